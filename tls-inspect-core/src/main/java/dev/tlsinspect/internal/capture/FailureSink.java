package dev.tlsinspect.internal.capture;

/**
 * Receives a handshake failure on the failing thread. Implementations must return at once: no
 * I/O, no blocking, and never throw. Not API.
 */
@FunctionalInterface
public interface FailureSink {
  /**
   * A handshake failed.
   *
   * @param host the peer's host as the application named it, or {@code ""} when unknown
   * @param port the peer's port, or -1 when unknown
   * @param error the exception the application's caller is about to receive
   */
  void failed(String host, int port, Throwable error);
}
