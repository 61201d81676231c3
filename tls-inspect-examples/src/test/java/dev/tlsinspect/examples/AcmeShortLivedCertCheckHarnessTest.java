package dev.tlsinspect.examples;

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

/**
 * The custom check on its own, through the test kit's harness: no server, no inspector, the same
 * way the built-in checks are tested. AcmeShortLivedCertCheckTest runs it end to end.
 */
class AcmeShortLivedCertCheckHarnessTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final IssuedCertificate ROOT = CertificateBuilder.root("Acme Test Root").clock(CLOCK).build();
  private final CheckHarness harness = CheckHarness.of(new AcmeShortLivedCertCheck());

  @Test
  void positive_threeDayLeaf() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT).clock(CLOCK)
        .validFrom(NOW).validUntil(NOW.plus(Duration.ofDays(3))).build();
    harness.run(CheckContexts.builder().now(NOW).chain(leaf))
        .hasCodes(AcmeShortLivedCertCheck.ACME_SHORT_LIVED_CERT)
        .hasFinding(AcmeShortLivedCertCheck.ACME_SHORT_LIVED_CERT)
        .hasSeverity(Severity.LOW).hasEvidence("lifetimeHours", 72L);
  }

  @Test
  void negative_ninetyDayLeaf() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT).clock(CLOCK).build();
    harness.run(CheckContexts.builder().now(NOW).chain(leaf)).isFine();
  }

  @Test
  void notApplicable_withoutACertificate() {
    harness.run(CheckContexts.builder().now(NOW)).isNotApplicable();
  }
}
