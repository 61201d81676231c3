package dev.tlsinspect;

import java.util.Objects;
import java.util.Optional;

/**
 * What happened at one resolved address. A full or quick inspection probes every address the
 * host resolves to (at most 8), so that one bad backend behind a load-balanced name shows up
 * ({@code ADDRESS_INCONSISTENT}) even when the first address is healthy.
 *
 * @param address the IP address
 * @param result {@code completed}, {@code skipped}, or the failure kind, for example
 *     {@code CONNECTION_REFUSED}
 * @param detail one line: the negotiated version and suite, or the failure message
 * @param version the negotiated protocol version, for example {@code TLSv1.3}, when the server
 *     chose one
 * @param cipherSuite the negotiated cipher suite, when the server chose one
 * @param leafSha256 the SHA-256 fingerprint of the leaf certificate the address sent
 *     (colon-separated upper-case hex), when it sent one
 * @param main whether this address gave the main handshake, the one the other checks judge
 * @since 0.1.0
 */
public record AddressResult(String address, String result, String detail, Optional<String> version,
    Optional<String> cipherSuite, Optional<String> leafSha256, boolean main) {
  /**
   * Validates.
   *
   * @throws NullPointerException when a component is null
   */
  public AddressResult {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(cipherSuite, "cipherSuite");
    Objects.requireNonNull(leafSha256, "leafSha256");
  }

  /**
   * A result without negotiated parameters or certificate, not the main address.
   *
   * @param address the IP address
   * @param result {@code completed}, {@code skipped}, or the failure kind
   * @param detail one line
   * @since 0.1.0
   */
  public AddressResult(String address, String result, String detail) {
    this(address, result, detail, Optional.empty(), Optional.empty(), Optional.empty(), false);
  }

  /**
   * Whether the handshake at this address completed.
   *
   * @return {@code true} when {@link #result()} is {@code completed}
   * @since 0.1.0
   */
  public boolean completed() {
    return "completed".equals(result);
  }
}
