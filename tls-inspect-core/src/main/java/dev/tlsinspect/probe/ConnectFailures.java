package dev.tlsinspect.probe;

import dev.tlsinspect.probe.FailureKind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.util.Locale;

/** How a failed TCP connect is classified, the same for every provider. Not API. */
final class ConnectFailures {
  private ConnectFailures() {}

  /**
   * Classifies the exception of a failed {@code Socket.connect}.
   *
   * @param e what connect threw
   * @return CONNECT_TIMEOUT, HOST_UNREACHABLE, CONNECTION_REFUSED or OTHER
   */
  static FailureKind classify(IOException e) {
    String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (e instanceof SocketTimeoutException || msg.contains("timed out")) {
      return FailureKind.CONNECT_TIMEOUT;
    }
    if (e instanceof NoRouteToHostException || msg.contains("unreachable") || msg.contains("no route")) {
      return FailureKind.HOST_UNREACHABLE;
    }
    if (e instanceof ConnectException || msg.contains("refused")) {
      return FailureKind.CONNECTION_REFUSED;
    }
    return FailureKind.OTHER;
  }
}
