package dev.tlsinspect.internal.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Target;
import dev.tlsinspect.check.Fetched;
import dev.tlsinspect.internal.inspect.DefaultCheckContext;
import dev.tlsinspect.probe.Alert;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.TlsVersion;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The SNI check's decisions on hand-built outcomes; the loopback cases are in the bc module's SniTest. */
class SniCheckTest {
  private static final Target TARGET = Target.of("service.test", 443);

  private static ProbeOutcome completed() {
    return new ProbeOutcome.Completed(Observation.builder("stub").version(TlsVersion.TLS_1_3).build());
  }

  private static ProbeOutcome failed(FailureKind kind, Optional<Alert> alert) {
    return new ProbeOutcome.Failed(new Failure(kind, kind.name(), alert, Optional.empty(),
        Optional.of("after ClientHello"), List.of(), new byte[0]), Observation.builder("stub").build());
  }

  private static List<Finding> evaluate(ProbeOutcome main, Optional<ProbeOutcome> bare,
      Optional<ProbeOutcome> neutral) {
    return new SniCheck().evaluate(new DefaultCheckContext(TARGET, InspectOptions.defaults(), main,
        Fetched.none(), Optional.empty(), List.of(main), bare, neutral));
  }

  @Test
  void alertWithoutSni_isSniRequired_butATimeoutIsNotEvidence() {
    List<Finding> f = evaluate(completed(),
        Optional.of(failed(FailureKind.ALERT_RECEIVED, Optional.of(Alert.of(true, true, 112)))), Optional.empty());
    assertEquals(1, f.size());
    assertEquals(Code.SNI_REQUIRED, f.get(0).code());
    assertEquals("unrecognized_name", f.get(0).evidence().get("alertWithoutSni"));
    assertEquals(List.of(), evaluate(completed(),
        Optional.of(failed(FailureKind.HANDSHAKE_TIMEOUT, Optional.empty())), Optional.empty()));
  }

  @Test
  void cutOffWhateverTheName_isNotSniFiltered() {
    ProbeOutcome reset = failed(FailureKind.CONNECTION_RESET, Optional.empty());
    assertEquals(List.of(), evaluate(reset, Optional.of(reset), Optional.of(reset)));
    List<Finding> f = evaluate(reset, Optional.of(reset), Optional.of(completed()));
    assertEquals(Code.SNI_FILTERED, f.get(0).code());
    assertTrue(f.get(0).rootCause());
  }
}
