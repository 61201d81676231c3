package dev.tlsinspect.testing.checks;

import dev.tlsinspect.Code;
import dev.tlsinspect.Severity;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.CheckContexts;
import dev.tlsinspect.testing.CheckHarness;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.KeyPurpose;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CertificatePolicyCheckTest {
  private static final CheckHarness POLICY = CheckHarness.builtIn("certificate-policy");
  private static final IssuedCertificate ROOT = CertificateBuilder.root("Policy Test Root").build();

  private static CheckContexts.Builder serving(IssuedCertificate leaf) {
    // The reference store trusts ROOT as if it were public: the 398-day rule binds public roots only.
    return CheckContexts.builder().chain(leaf).trust(ROOT).referenceTrust(ROOT);
  }

  @Test
  void positive_rsa1024_isWeakKey() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT).rsa(1024).build();
    POLICY.run(serving(leaf)).hasCodes(Code.WEAK_KEY)
        .hasFinding(Code.WEAK_KEY).hasSeverity(Severity.HIGH)
        .hasEvidence("keyBits", 1024L).hasEvidence("minimumBits", 2048L).hasEvidence("position", 0L);
  }

  @Test
  void positive_sha1Signature_isWeakSignature() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT)
        .signatureAlgorithm("SHA1withRSA").build();
    POLICY.run(serving(leaf)).hasCodes(Code.WEAK_SIGNATURE)
        .hasFinding(Code.WEAK_SIGNATURE).hasSeverity(Severity.HIGH).hasEvidence("position", 0L);
  }

  @Test
  void positive_clientAuthOnly_isBadKeyUsage() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT)
        .extendedKeyUsage(KeyPurpose.CLIENT_AUTH).build();
    POLICY.run(serving(leaf)).hasCodes(Code.CERT_BAD_KEY_USAGE)
        .hasFinding(Code.CERT_BAD_KEY_USAGE).hasSeverity(Severity.HIGH).hasEvidence("extendedKeyUsage");
  }

  @Test
  void positive_publicLeafValidFor500Days_isValidityTooLong() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT)
        .validity(Duration.ofDays(500)).build();
    POLICY.run(serving(leaf)).hasCodes(Code.CERT_VALIDITY_TOO_LONG)
        .hasFinding(Code.CERT_VALIDITY_TOO_LONG).hasSeverity(Severity.LOW).hasEvidence("maximumDays", 398L);
  }

  @Test
  void negative_soundLeaf_isFine_andAPrivateRootMayIssueLongLeaves() {
    POLICY.run(serving(CertificateBuilder.leaf("service.test").issuedBy(ROOT).build())).isFine();
    IssuedCertificate longLived = CertificateBuilder.leaf("service.test").issuedBy(ROOT)
        .validity(Duration.ofDays(500)).build();
    POLICY.run(CheckContexts.builder().chain(longLived).trust(ROOT).referenceTrust()).isFine();
  }

  @Test
  void notApplicable_withoutACertificate() {
    POLICY.run(CheckContexts.builder().trust(ROOT)).isNotApplicable();
  }
}
