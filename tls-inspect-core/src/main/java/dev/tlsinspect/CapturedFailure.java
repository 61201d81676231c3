package dev.tlsinspect;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One real handshake failure captured by {@link TlsDiagnostics}: where, when, what the exception
 * said, and what it means (from {@link TlsExplainer}, without contacting anything); with the live
 * verification's verdict once a background verification has run. Holds text only, never the
 * exception, so that keeping the last failures keeps no stack traces or sockets alive.
 *
 * @param sequence the failure's number, counting from 1 since the diagnostics were created
 * @param at when it failed
 * @param host the peer's host as the application named it; empty when unknown
 * @param port the peer's port; -1 when unknown
 * @param cause the most likely root cause; empty when the exception was not recognised
 * @param summary the explanation's one line
 * @param remediation what to do about the most likely cause
 * @param error the exception as caught: its class and message (control characters escaped)
 * @param rootError the innermost cause: its class and message (control characters escaped)
 * @param verification the live verification's one line, once it has run
 * @param confirmed the code the live verification confirmed, if any
 * @since 0.1.0
 */
public record CapturedFailure(
    long sequence,
    Instant at,
    String host,
    int port,
    Optional<Code> cause,
    String summary,
    String remediation,
    String error,
    String rootError,
    Optional<String> verification,
    Optional<Code> confirmed) {

  /**
   * Validates.
   *
   * @throws NullPointerException when a component is null
   */
  public CapturedFailure {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(remediation, "remediation");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(rootError, "rootError");
    Objects.requireNonNull(verification, "verification");
    Objects.requireNonNull(confirmed, "confirmed");
  }

  /**
   * The endpoint, {@code host:port}.
   *
   * @return for example {@code api.example.com:443}
   * @since 0.1.0
   */
  public String endpoint() {
    return host + ":" + port;
  }

  /**
   * This failure with the live verification's verdict.
   *
   * @param summary the verification's one line
   * @param code the confirmed code, if any
   * @return the copy
   * @since 0.1.0
   */
  public CapturedFailure withVerification(String summary, Optional<Code> code) {
    return new CapturedFailure(sequence, at, host, port, cause, this.summary, remediation, error,
        rootError, Optional.of(summary), code);
  }
}
