package dev.tlsinspect.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The classification of failed TCP connects that both providers share. HOST_UNREACHABLE cannot be
 * produced on loopback without routing to another address (which tests never contact), so it is
 * proven here, at the seam: the exceptions the JDK throws for EHOSTUNREACH and ENETUNREACH, and the
 * finding the check makes of the failure kind.
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

  @Test
  void hostUnreachable_isARootCauseNamingTheAddress() {
    Target target = Target.of("service.test", 443);
    ProbeOutcome outcome = new ProbeOutcome.Failed(
        Failure.of(ConnectFailures.classify(new NoRouteToHostException("No route to host")), "No route to host"),
        Observation.builder("stub").address(new InetSocketAddress("127.0.0.9", 443)).build());
    List<Finding> findings = new HandshakeFailureCheck().evaluate(
        new DefaultCheckContext(target, InspectOptions.defaults(), outcome));
    assertEquals(1, findings.size());
    Finding f = findings.get(0);
    assertEquals(Code.HOST_UNREACHABLE, f.code());
    assertEquals(Severity.CRITICAL, f.severity());
    assertTrue(f.rootCause());
    assertEquals("127.0.0.9", f.evidence().get("address"));
    assertTrue(f.remediation().contains("routing"), f.remediation());
  }
}
