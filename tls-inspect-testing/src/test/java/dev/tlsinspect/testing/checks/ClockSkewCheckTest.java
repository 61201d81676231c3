package dev.tlsinspect.testing.checks;

import dev.tlsinspect.Code;
import dev.tlsinspect.Severity;
import dev.tlsinspect.check.ClockReading;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.CheckContexts;
import dev.tlsinspect.testing.CheckHarness;
import dev.tlsinspect.testing.IssuedCertificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockSkewCheckTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final CheckHarness SKEW = CheckHarness.builtIn("clock-skew");
  private static final IssuedCertificate ROOT = CertificateBuilder.root("Skew Root")
      .clock(Clock.fixed(NOW, ZoneOffset.UTC)).validity(Duration.ofDays(3650)).build();

  private static ClockReading reference(Duration ahead) {
    return ClockReading.of("sntp 127.0.0.1:123", NOW, NOW.plus(ahead));
  }

  @Test
  void positive_clockAnHourBehind_isClockSkew() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT)
        .validFrom(NOW.minus(Duration.ofDays(1))).validUntil(NOW.plus(Duration.ofDays(80))).build();
    SKEW.run(CheckContexts.builder().now(NOW).chain(leaf).clockReading(reference(Duration.ofHours(1))))
        .hasCodes(Code.CLOCK_SKEW)
        .hasFinding(Code.CLOCK_SKEW).hasSeverity(Severity.HIGH)
        .hasEvidence("offsetSeconds", 3600L).hasEvidence("source", "sntp 127.0.0.1:123");
  }

  @Test
  void positive_skewThatMakesTheLeafLookNotYetValid_isTheRootCause() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT)
        .validFrom(NOW.plus(Duration.ofHours(1))).validUntil(NOW.plus(Duration.ofDays(80))).build();
    SKEW.run(CheckContexts.builder().now(NOW).chain(leaf).clockReading(reference(Duration.ofHours(2))))
        .hasFinding(Code.CLOCK_SKEW).isRootCause().hasEvidence("explains");
  }

  @Test
  void negative_clockWithinTheThreshold_isFine() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT).build();
    SKEW.run(CheckContexts.builder().now(NOW).chain(leaf).clockReading(reference(Duration.ofSeconds(30))))
        .isFine();
  }

  @Test
  void notApplicable_withoutAReferenceClock() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT).build();
    SKEW.run(CheckContexts.builder().now(NOW).chain(List.of(leaf.certificate()))).isNotApplicable();
  }
}
