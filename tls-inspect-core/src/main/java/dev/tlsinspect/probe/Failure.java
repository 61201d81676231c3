package dev.tlsinspect.probe;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What went wrong in a probe, as data.
 *
 * @param kind the classification
 * @param message one line, from the provider
 * @param alert the alert that ended the handshake, if any
 * @param peerProtocol for {@link FailureKind#NOT_TLS}: what the peer speaks ({@code HTTP},
 *     {@code SMTP}, {@code SSH}, ..., or {@code unknown})
 * @param stage how far the handshake got, for example {@code after ClientHello}
 * @param causes the error and its causes as {@code Type: message}, outermost first
 * @param firstBytes up to 64 bytes the peer sent first, for diagnosing a non-TLS answer
 * @since 0.1.0
 */
public record Failure(
    FailureKind kind,
    String message,
    Optional<Alert> alert,
    Optional<String> peerProtocol,
    Optional<String> stage,
    List<String> causes,
    byte[] firstBytes) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   */
  public Failure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(alert, "alert");
    Objects.requireNonNull(peerProtocol, "peerProtocol");
    Objects.requireNonNull(stage, "stage");
    causes = List.copyOf(causes);
    firstBytes = firstBytes.clone();
  }

  /**
   * A failure with just a kind and message.
   *
   * @param kind the classification
   * @param message one line
   * @return the failure
   * @since 0.1.0
   */
  public static Failure of(FailureKind kind, String message) {
    return new Failure(kind, message, Optional.empty(), Optional.empty(), Optional.empty(),
        List.of(), new byte[0]);
  }

  /**
   * A copy of the first bytes the peer sent.
   *
   * @return the bytes
   */
  @Override
  public byte[] firstBytes() {
    return firstBytes.clone();
  }

  /**
   * Whether the failure happened before any TLS was exchanged (DNS or TCP).
   *
   * @return {@code true} for DNS and connect failures
   * @since 0.1.0
   */
  public boolean beforeTls() {
    return switch (kind) {
      case DNS_RESOLUTION_FAILED, CONNECTION_REFUSED, CONNECT_TIMEOUT, HOST_UNREACHABLE -> true;
      default -> false;
    };
  }
}
