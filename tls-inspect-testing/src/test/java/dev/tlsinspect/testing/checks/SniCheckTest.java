package dev.tlsinspect.testing.checks;

import dev.tlsinspect.Code;
import dev.tlsinspect.Severity;
import dev.tlsinspect.probe.Alert;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.CheckContexts;
import dev.tlsinspect.testing.CheckHarness;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The SNI check through the harness; core's SniCheckTest has more cases, the bc module's SniTest the loopback ones. */
class SniCheckTest {
  private static final CheckHarness SNI = CheckHarness.builtIn("sni");

  private static ProbeOutcome completed() {
    return new ProbeOutcome.Completed(Observation.builder("stub").version(TlsVersion.TLS_1_3).build());
  }

  private static Failure failure(FailureKind kind, Optional<Alert> alert) {
    return new Failure(kind, kind.name(), alert, Optional.empty(), Optional.of("after ClientHello"),
        List.of(), new byte[0]);
  }

  @Test
  void positive_unrecognizedNameWithoutSni_isSniRequired() {
    ProbeOutcome bare = new ProbeOutcome.Failed(failure(FailureKind.ALERT_RECEIVED,
        Optional.of(Alert.of(true, true, 112))), Observation.builder("stub").build());
    SNI.run(CheckContexts.builder().version(TlsVersion.TLS_1_3).withoutSni(bare))
        .hasCodes(Code.SNI_REQUIRED)
        // LOW, not the catalogue's HIGH: this handshake sent SNI and got through, so only clients without SNI suffer.
        .hasFinding(Code.SNI_REQUIRED).hasSeverity(Severity.LOW)
        .hasEvidence("alertWithoutSni", "unrecognized_name");
  }

  @Test
  void positive_cutOffOnlyForThisName_isSniFiltered_theRootCause() {
    Failure reset = failure(FailureKind.CONNECTION_RESET, Optional.empty());
    ProbeOutcome cut = new ProbeOutcome.Failed(reset, Observation.builder("stub").build());
    SNI.run(CheckContexts.builder().failed(reset).withoutSni(cut).neutralSni(completed()))
        .hasFinding(Code.SNI_FILTERED).hasSeverity(Severity.HIGH).isRootCause();
  }

  @Test
  void negative_sameAnswerWithoutSni_isFine() {
    SNI.run(CheckContexts.builder().version(TlsVersion.TLS_1_3).withoutSni(completed())).isFine();
  }

  @Test
  void notApplicable_whenNoExtraHandshakeWasMade() {
    SNI.run(CheckContexts.builder().version(TlsVersion.TLS_1_3)).isNotApplicable();
  }
}
