package dev.tlsinspect.testing.checks;

import dev.tlsinspect.Code;
import dev.tlsinspect.Severity;
import dev.tlsinspect.probe.Alert;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.CheckContexts;
import dev.tlsinspect.testing.CheckHarness;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientCertificateCheckTest {
  private static final CheckHarness CLIENT_CERT = CheckHarness.builtIn("client-certificate");

  @Test
  void positive_requestThenCertificateRequiredAlert_isClientCertRequired() {
    Failure alert = new Failure(FailureKind.ALERT_RECEIVED, "certificate_required",
        Optional.of(Alert.of(true, true, 116)), Optional.empty(), Optional.of("after Certificate"),
        List.of(), new byte[0]);
    CLIENT_CERT.run(CheckContexts.builder().version(TlsVersion.TLS_1_3)
            .observe(o -> o.clientCertificateRequested(List.of("CN=Client CA")))
            .failed(alert))
        .hasCodes(Code.CLIENT_CERT_REQUIRED)
        .hasFinding(Code.CLIENT_CERT_REQUIRED).hasSeverity(Severity.HIGH).isRootCause()
        .detailContains("CN=Client CA");
  }

  @Test
  void positive_optionalRequest_isClientCertRequested() {
    CLIENT_CERT.run(CheckContexts.builder().version(TlsVersion.TLS_1_3)
            .observe(o -> o.clientCertificateRequested(List.of("CN=Client CA"))))
        .hasCodes(Code.CLIENT_CERT_REQUESTED)
        .hasFinding(Code.CLIENT_CERT_REQUESTED).hasSeverity(Severity.INFO).detailContains("CN=Client CA");
  }

  @Test
  void negative_noRequest_isFine() {
    CLIENT_CERT.run(CheckContexts.builder().version(TlsVersion.TLS_1_3)).isFine();
  }

  @Test
  void notApplicable_whenNoHandshakeWasMade() {
    CLIENT_CERT.run(CheckContexts.builder().outcome(new ProbeOutcome.Skipped("not probed"))).isNotApplicable();
  }
}
