package dev.tlsinspect.spring.boot.autoconfigure;

/**
 * Thrown at startup, with {@code tls-inspect.fail-on-startup=true}, when a target is DOWN: the
 * message names each target that is not UP, its cause and the fix.
 *
 * @since 0.1.0
 */
public final class TlsStartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with the health check's message.
   *
   * @param message one multi-line message
   */
  public TlsStartupException(String message) {
    super(message);
  }
}
