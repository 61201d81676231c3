package dev.tlsinspect.testing.checks;

import dev.tlsinspect.Code;
import dev.tlsinspect.Severity;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.CheckContexts;
import dev.tlsinspect.testing.CheckHarness;
import dev.tlsinspect.testing.IssuedCertificate;
import org.junit.jupiter.api.Test;

/**
 * SCTs and must-staple on hand-built contexts: the reference store (the stand-in for the public
 * roots) holds ROOT and differs from the application's store, which also holds OTHER_ROOT.
 */
class TransparencyCheckTest {
  private static final CheckHarness CHECK = CheckHarness.builtIn("transparency");
  private static final IssuedCertificate ROOT = CertificateBuilder.root("Transparency Root").build();
  private static final IssuedCertificate OTHER_ROOT = CertificateBuilder.root("Other Root").freshKey().build();

  private static CheckContexts.Builder publicContext(IssuedCertificate leaf) {
    return CheckContexts.builder().chain(leaf).trust(ROOT, OTHER_ROOT).referenceTrust(ROOT);
  }

  @Test
  void positive_publicLeafWithoutScts_isCertNoSct() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT).build();
    CHECK.run(publicContext(leaf))
        .hasCodes(Code.CERT_NO_SCT)
        .hasFinding(Code.CERT_NO_SCT).hasSeverity(Severity.MEDIUM).hasEvidence("publicRoot", true);
  }

  @Test
  void negative_embeddedScts_orPrivateCa_isNoFinding() {
    IssuedCertificate withScts = CertificateBuilder.leaf("service.test").issuedBy(ROOT).embeddedScts(3).build();
    CHECK.run(publicContext(withScts)).hasCodes();
    IssuedCertificate privateLeaf = CertificateBuilder.leaf("service.test").issuedBy(OTHER_ROOT).build();
    CHECK.run(CheckContexts.builder().chain(privateLeaf).trust(ROOT, OTHER_ROOT).referenceTrust(ROOT)).hasCodes();
  }

  @Test
  void sctsInTheTlsExtension_count_andWhereNoneCameTheEvidenceSaysWhereItLooked() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT).build();
    CHECK.run(publicContext(leaf).serverFeatures(dev.tlsinspect.probe.ServerFeatures.builder()
            .tlsExtensionScts(2, java.util.List.of("AAAA", "BBBB")).build()))
        .hasCodes();
    CHECK.run(publicContext(leaf).serverFeatures(dev.tlsinspect.probe.ServerFeatures.builder()
            .tlsExtensionScts(0, java.util.List.of()).build()))
        .hasFinding(Code.CERT_NO_SCT).hasSeverity(Severity.MEDIUM).hasEvidence("tlsExtensionScts", 0L)
        .hasEvidence("sctSourcesChecked", java.util.List.of("certificate", "stapled OCSP", "TLS extension"));
    CHECK.run(publicContext(leaf))
        .hasFinding(Code.CERT_NO_SCT).hasSeverity(Severity.MEDIUM)
        .hasEvidence("sctSourcesChecked", java.util.List.of("certificate", "stapled OCSP"));
  }

  @Test
  void positive_mustStapleWithoutStaple_isMustStapleNotStapled() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT).embeddedScts(2)
        .mustStaple().build();
    CHECK.run(publicContext(leaf))
        .hasCodes(Code.MUST_STAPLE_NOT_STAPLED)
        .hasFinding(Code.MUST_STAPLE_NOT_STAPLED).hasSeverity(Severity.HIGH)
        .hasEvidence("tlsFeature", "status_request");
  }
}
