package dev.tlsinspect.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The classification of failed TCP connects that both providers share: the exceptions the JDK
 * throws for EHOSTUNREACH, ENETUNREACH, ECONNREFUSED and a connect timeout.
 */
class ConnectFailuresTest {

  @Test
  void theJdksConnectExceptions_areClassified() {
    assertEquals(FailureKind.HOST_UNREACHABLE,
        ConnectFailures.classify(new NoRouteToHostException("No route to host")));
    // Linux ENETUNREACH arrives as a plain ConnectException.
    assertEquals(FailureKind.HOST_UNREACHABLE,
        ConnectFailures.classify(new ConnectException("Network is unreachable")));
    assertEquals(FailureKind.CONNECTION_REFUSED,
        ConnectFailures.classify(new ConnectException("Connection refused")));
    assertEquals(FailureKind.CONNECT_TIMEOUT,
        ConnectFailures.classify(new SocketTimeoutException("Connect timed out")));
    assertEquals(FailureKind.OTHER, ConnectFailures.classify(new IOException("something else")));
  }
}
