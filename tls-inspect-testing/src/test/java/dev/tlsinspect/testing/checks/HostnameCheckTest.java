package dev.tlsinspect.testing.checks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Severity;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.CheckContexts;
import dev.tlsinspect.testing.CheckHarness;
import dev.tlsinspect.testing.IssuedCertificate;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostnameCheckTest {
  private static final CheckHarness HOSTNAME = CheckHarness.builtIn("hostname");
  private static final IssuedCertificate ROOT = CertificateBuilder.root("Hostname Test Root").build();

  @Test
  void positive_otherName_isHostnameMismatch() {
    IssuedCertificate leaf = CertificateBuilder.leaf("other.test").issuedBy(ROOT).build();
    HOSTNAME.run(CheckContexts.builder().target("service.test", 443).chain(leaf))
        .hasCodes(Code.HOSTNAME_MISMATCH)
        .hasFinding(Code.HOSTNAME_MISMATCH).hasSeverity(Severity.CRITICAL)
        .hasEvidence("host", "service.test")
        .hasEvidence("coveredNames", List.of("DNS:other.test"));
  }

  @Test
  void positive_wildcardOverATopLevelDomain_isAMismatch_thatSaysJavaMayConnect() {
    IssuedCertificate leaf = CertificateBuilder.leaf("wild").issuedBy(ROOT).dnsNames("*.test").build();
    var finding = HOSTNAME.run(CheckContexts.builder().target("service.test", 443).chain(leaf))
        .hasCodes(Code.HOSTNAME_MISMATCH)
        .hasFinding(Code.HOSTNAME_MISMATCH).hasSeverity(Severity.CRITICAL)
        .hasEvidence("topLevelWildcard", "*.test")
        .detailContains("Java does connect when the chain ends at a private CA")
        .finding();
    // A wildcard one level lower is an ordinary mismatch with no such note.
    IssuedCertificate deeper = CertificateBuilder.leaf("wild").issuedBy(ROOT).dnsNames("*.example.test").build();
    Finding plain = HOSTNAME.run(CheckContexts.builder().target("service.test", 443).chain(deeper))
        .hasFinding(Code.HOSTNAME_MISMATCH).finding();
    assertFalse(plain.evidence().containsKey("topLevelWildcard"), plain::toString);
    assertFalse(plain.detail().contains("private CA"), plain::detail);
    assertTrue(finding.detail().contains("*.test would cover it"), finding::detail);
  }

  @Test
  void positive_nameOnlyInTheCommonName_isCertNoSan_butMatches() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT).noSubjectAltName().build();
    HOSTNAME.run(CheckContexts.builder().target("service.test", 443).chain(leaf))
        .hasCodes(Code.CERT_NO_SAN)
        .hasFinding(Code.CERT_NO_SAN).hasSeverity(Severity.MEDIUM).detailContains("service.test");
  }

  @Test
  void positive_ipTarget_needsAnIpSan() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT).build();
    HOSTNAME.run(CheckContexts.builder().target("127.0.0.1", 443).chain(leaf))
        .hasFinding(Code.HOSTNAME_MISMATCH).hasSeverity(Severity.CRITICAL).hasEvidence("host", "127.0.0.1");
  }

  @Test
  void negative_coveredName_andWildcard_areFine() {
    IssuedCertificate exact = CertificateBuilder.leaf("service.test").issuedBy(ROOT).build();
    HOSTNAME.run(CheckContexts.builder().target("service.test", 443).chain(exact)).isFine();
    IssuedCertificate wildcard = CertificateBuilder.leaf("wild").issuedBy(ROOT).dnsNames("*.example.test").build();
    HOSTNAME.run(CheckContexts.builder().target("api.example.test", 443).chain(wildcard)).isFine();
  }

  @Test
  void notApplicable_withoutACertificate() {
    HOSTNAME.run(CheckContexts.builder().target("service.test", 443)).isNotApplicable();
  }
}
