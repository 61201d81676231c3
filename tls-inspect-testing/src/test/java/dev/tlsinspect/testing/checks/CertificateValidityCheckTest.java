package dev.tlsinspect.testing.checks;

import dev.tlsinspect.Code;
import dev.tlsinspect.Severity;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.CheckContexts;
import dev.tlsinspect.testing.CheckHarness;
import dev.tlsinspect.testing.IssuedCertificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Certificates and the check share one fixed clock, so no case depends on the day it runs. */
class CertificateValidityCheckTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final CheckHarness VALIDITY = CheckHarness.builtIn("certificate-validity");
  private static final IssuedCertificate ROOT = CertificateBuilder.root("Validity Root").clock(CLOCK)
      .validity(Duration.ofDays(3650)).build();
  private static final IssuedCertificate CA = CertificateBuilder.intermediate("Validity CA").clock(CLOCK)
      .issuedBy(ROOT).validity(Duration.ofDays(1825)).build();

  private static CheckContexts.Builder serving(IssuedCertificate leaf) {
    return CheckContexts.builder().target("service.test", 443).now(NOW).trust(ROOT).chain(leaf);
  }

  @Test
  void positive_expiredLeaf_isCertExpired() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").clock(CLOCK).issuedBy(CA)
        .validFrom(NOW.minus(Duration.ofDays(100))).validUntil(NOW.minus(Duration.ofDays(3))).build();
    VALIDITY.run(serving(leaf)).hasCodes(Code.CERT_EXPIRED)
        .hasFinding(Code.CERT_EXPIRED).hasSeverity(Severity.CRITICAL)
        .hasEvidence("daysOverdue", 3L).hasEvidence("position", 0L);
  }

  @Test
  void positive_futureLeaf_isCertNotYetValid() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").clock(CLOCK).issuedBy(CA)
        .validFrom(NOW.plus(Duration.ofDays(2))).validUntil(NOW.plus(Duration.ofDays(90))).build();
    VALIDITY.run(serving(leaf)).hasCodes(Code.CERT_NOT_YET_VALID)
        .hasFinding(Code.CERT_NOT_YET_VALID).hasSeverity(Severity.CRITICAL).hasEvidence("daysUntilValid", 2L);
  }

  @Test
  void positive_leafInsideTheWarningWindow_isExpiringSoon() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").clock(CLOCK).issuedBy(CA)
        .validFrom(NOW.minus(Duration.ofDays(80))).validUntil(NOW.plus(Duration.ofDays(10))).build();
    VALIDITY.run(serving(leaf)).hasCodes(Code.CERT_EXPIRING_SOON)
        .hasFinding(Code.CERT_EXPIRING_SOON).hasSeverity(Severity.MEDIUM).hasEvidence("daysRemaining", 10L);
  }

  @Test
  void positive_expiredIntermediateThePathNeeds_isIntermediateExpired() {
    IssuedCertificate oldCa = CertificateBuilder.intermediate("Old CA").clock(CLOCK).issuedBy(ROOT)
        .validFrom(NOW.minus(Duration.ofDays(400))).validUntil(NOW.minus(Duration.ofDays(1))).build();
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").clock(CLOCK).issuedBy(oldCa)
        .validFrom(NOW.minus(Duration.ofDays(10))).validUntil(NOW.plus(Duration.ofDays(80))).build();
    VALIDITY.run(serving(leaf)).hasCodes(Code.INTERMEDIATE_EXPIRED)
        .hasFinding(Code.INTERMEDIATE_EXPIRED).hasSeverity(Severity.CRITICAL).hasEvidence("position", 1L);
  }

  @Test
  void negative_currentChain_isFine() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").clock(CLOCK).issuedBy(CA).build();
    VALIDITY.run(serving(leaf)).isFine();
  }

  @Test
  void notApplicable_withoutACertificate() {
    VALIDITY.run(CheckContexts.builder().now(NOW)).isNotApplicable();
  }
}
