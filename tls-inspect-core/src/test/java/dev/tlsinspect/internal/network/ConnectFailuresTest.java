package dev.tlsinspect.internal.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.internal.inspect.DefaultCheckContext;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The findings made of failed TCP connects. HOST_UNREACHABLE cannot be produced on loopback without
 * routing to another address (which tests never contact), so it is proven at the seams: here the
 * finding the check makes of the failure kind, in {@code probe.ConnectFailuresTest} the
 * classification of the JDK's exceptions.
 */
class ConnectFailuresTest {

  @Test
  void hostUnreachable_isARootCauseNamingTheAddress() {
    Target target = Target.of("service.test", 443);
    ProbeOutcome outcome = new ProbeOutcome.Failed(
        Failure.of(FailureKind.HOST_UNREACHABLE, "No route to host"),
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
