package dev.tlsinspect.testing.checks;

import dev.tlsinspect.Code;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Severity;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.CheckContexts;
import dev.tlsinspect.testing.CheckHarness;
import dev.tlsinspect.testing.IssuedCertificate;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InterceptionCheckTest {
  private static final CheckHarness INTERCEPTION = CheckHarness.builtIn("interception");
  private static final IssuedCertificate ROOT = CertificateBuilder.root("Acme Public Root").build();
  private static final IssuedCertificate LEAF = CertificateBuilder.leaf("service.test").issuedBy(ROOT).build();
  private static final IssuedCertificate OTHER_ROOT = CertificateBuilder.root("Other Issuing Root").freshKey().build();
  private static final IssuedCertificate OTHER = CertificateBuilder.leaf("service.test").issuedBy(OTHER_ROOT).build();

  private static CheckContexts.Builder expecting(String issuer, IssuedCertificate leaf) {
    return CheckContexts.builder().chain(leaf).trust(ROOT, OTHER_ROOT)
        .options(InspectOptions.builder().expectedIssuer(issuer).build());
  }

  @Test
  void positive_otherIssuerThanExpected_isInterceptionSuspected() {
    INTERCEPTION.run(expecting("Acme Public", OTHER))
        .hasCodes(Code.TLS_INTERCEPTION_SUSPECTED)
        .hasFinding(Code.TLS_INTERCEPTION_SUSPECTED).hasSeverity(Severity.HIGH)
        .hasEvidence("reason", "expectedIssuer").hasEvidence("expectedIssuer", "Acme Public");
  }

  @Test
  void positive_issuedByAnInterceptionProductsCa_isInterceptionSuspected() {
    IssuedCertificate proxyRoot = CertificateBuilder.root("Corporate Proxy CA").freshKey().build();
    IssuedCertificate proxied = CertificateBuilder.leaf("service.test").issuedBy(proxyRoot).build();
    INTERCEPTION.run(CheckContexts.builder().chain(proxied).trust(proxyRoot))
        .hasCodes(Code.TLS_INTERCEPTION_SUSPECTED)
        .hasFinding(Code.TLS_INTERCEPTION_SUSPECTED).hasSeverity(Severity.HIGH)
        .hasEvidence("reason", "interceptionCa").hasEvidence("trustedByApplication", true);
  }

  @Test
  void positive_noKeyMatchesThePins_isInterceptionSuspected() {
    InspectOptions pinned = InspectOptions.builder()
        .pinnedKeys(Set.of("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")).build();
    INTERCEPTION.run(CheckContexts.builder().chain(LEAF).trust(ROOT).options(pinned))
        .hasFinding(Code.TLS_INTERCEPTION_SUSPECTED).hasSeverity(Severity.HIGH)
        .hasEvidence("reason", "pinMismatch");
  }

  @Test
  void negative_expectedIssuer_isFine() {
    INTERCEPTION.run(expecting("Acme Public", LEAF)).isFine();
  }

  @Test
  void notApplicable_withoutACertificate() {
    INTERCEPTION.run(CheckContexts.builder().trust(ROOT)
        .options(InspectOptions.builder().expectedIssuer("Acme").build())).isNotApplicable();
  }
}
