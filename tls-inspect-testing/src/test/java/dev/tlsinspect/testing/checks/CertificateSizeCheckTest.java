package dev.tlsinspect.testing.checks;

import dev.tlsinspect.Code;
import dev.tlsinspect.Severity;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.CheckContexts;
import dev.tlsinspect.testing.CheckHarness;
import dev.tlsinspect.testing.IssuedCertificate;
import org.junit.jupiter.api.Test;

class CertificateSizeCheckTest {
  private static final CheckHarness SIZE = CheckHarness.builtIn("certificate-size");
  private static final IssuedCertificate ROOT = CertificateBuilder.root("Size Test Root").build();
  private static final IssuedCertificate LEAF = CertificateBuilder.leaf("service.test").issuedBy(ROOT).build();

  @Test
  void positive_announcedMessageOverTheJdkLimit_isCertTooLarge() {
    SIZE.run(CheckContexts.builder().chain(LEAF).version(TlsVersion.TLS_1_3)
            .observe(o -> o.certificateMessageLength(40_000)))
        .hasCodes(Code.CERT_TOO_LARGE)
        .hasFinding(Code.CERT_TOO_LARGE).hasSeverity(Severity.HIGH)
        .hasEvidence("bytes", 40_000L).hasEvidence("limit", 32_768L).hasEvidence("source", "announced");
  }

  @Test
  void positive_thousandsOfNames_isCertTooLarge_computedFromTheChain() {
    IssuedCertificate huge = CertificateBuilder.leaf("service.test").issuedBy(ROOT)
        .extraSubjectAltNames(2_000).build();
    SIZE.run(CheckContexts.builder().chain(huge).version(TlsVersion.TLS_1_2))
        .hasFinding(Code.CERT_TOO_LARGE).hasSeverity(Severity.HIGH).hasEvidence("source", "computed");
  }

  @Test
  void negative_ordinaryChain_isFine() {
    SIZE.run(CheckContexts.builder().chain(LEAF).version(TlsVersion.TLS_1_3)).isFine();
  }

  @Test
  void notApplicable_whenNoHandshakeWasMade() {
    SIZE.run(CheckContexts.builder().outcome(new ProbeOutcome.Skipped("quick mode"))).isNotApplicable();
  }
}
