package dev.tlsinspect.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.testing.ReportAssert;
import dev.tlsinspect.testing.TlsServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The custom check is found through META-INF/services by a plain {@code TlsInspector.create()}. */
class AcmeShortLivedCertCheckTest {
  @RegisterExtension
  static TlsServerExtension shortLived =
      TlsServerExtension.withCertificate(Fixtures.leafValidFor(Duration.ofDays(3)));
  @RegisterExtension
  static TlsServerExtension regular = TlsServerExtension.withCertificate(Fixtures.healthyLeaf());

  private final TlsInspector inspector = TlsInspector.builder().options(Fixtures.options()).build();

  @Test
  void create_loadsTheCheck() {
    assertTrue(TlsInspector.create().checkIds().contains("acme-short-lived-cert"));
  }

  @Test
  void aShortLivedLeaf_getsTheAcmeCode() {
    Report report = inspector.inspect(shortLived.target());
    ReportAssert.assertThat(report)
        .hasVerdict(Verdict.WARN)
        .hasFinding(AcmeShortLivedCertCheck.ACME_SHORT_LIVED_CERT)
        .hasSeverity(Severity.LOW).isNotRootCause()
        .hasEvidence("lifetimeHours", 73L) // 3 days plus the kit's 1 h backdating
        .and().hasFinding(dev.tlsinspect.Code.CERT_EXPIRING_SOON).hasSeverity(Severity.MEDIUM)
        .and().hasNoFindingAtLeast(Severity.MEDIUM, dev.tlsinspect.Code.CERT_EXPIRING_SOON);
  }

  @Test
  void aNinetyDayLeaf_doesNot() {
    ReportAssert.assertThat(inspector.inspect(regular.target()))
        .hasVerdict(Verdict.PASS)
        .doesNotHaveFinding(AcmeShortLivedCertCheck.ACME_SHORT_LIVED_CERT);
  }
}
