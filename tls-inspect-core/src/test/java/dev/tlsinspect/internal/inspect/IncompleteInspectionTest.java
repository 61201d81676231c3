package dev.tlsinspect.internal.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.probe.HandshakeProbe;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.ProbeRequest;
import dev.tlsinspect.probe.TlsVersion;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 18: an inspection whose deadline passes before any handshake is tried examined nothing,
 * and must say so rather than pass. A stub provider counts the probes (none may be made); the
 * deadline of one nanosecond has always passed by the time the first address is due.
 */
class IncompleteInspectionTest {

  @ParameterizedTest(name = "quick={0}")
  @ValueSource(booleans = {true, false})
  void deadlinePassedBeforeAnyProbe_isInspectionIncomplete_andFails(boolean quick) {
    AtomicInteger probes = new AtomicInteger();
    HandshakeProbe stub = new HandshakeProbe() {
      @Override
      public String name() {
        return "stub";
      }

      @Override
      public ProbeOutcome probe(ProbeRequest r) {
        probes.incrementAndGet();
        return new ProbeOutcome.Completed(Observation.builder("stub").address(r.address())
            .version(TlsVersion.TLS_1_3).build());
      }
    };
    InspectOptions options = InspectOptions.builder().trust(TrustMaterial.jvmDefault())
        .timeout(Duration.ofNanos(1)).quick(quick).build();
    Report report = TlsInspector.builder().serviceLoaderChecks(false).probe(stub).options(options).build()
        .inspect(Target.of("127.0.0.1", 443));

    assertEquals(0, probes.get(), "no probe once the deadline has passed");
    assertEquals(Verdict.FAIL, report.verdict(), report::summary);
    List<Finding> incomplete = report.findings().stream()
        .filter(f -> f.code().equals(Code.INSPECTION_INCOMPLETE)).toList();
    assertEquals(1, incomplete.size(), report.findings()::toString);
    Finding f = incomplete.get(0);
    assertEquals(Severity.HIGH, f.severity());
    assertTrue(f.rootCause());
    assertEquals("the deadline passed before this address was tried", f.evidence().get("reason"));
    assertEquals(0L, ((Number) f.evidence().get("deadlineMillis")).longValue());
    assertEquals(1, ((Number) f.evidence().get("addressesSkipped")).intValue());
  }
}
