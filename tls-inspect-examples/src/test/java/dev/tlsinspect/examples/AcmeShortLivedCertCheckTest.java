package dev.tlsinspect.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Finding;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.TlsInspector;
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
    Finding f = report.findings().stream()
        .filter(x -> x.code().equals(AcmeShortLivedCertCheck.ACME_SHORT_LIVED_CERT)).findFirst()
        .orElseThrow(() -> new AssertionError(report.summary()));
    assertEquals(Severity.LOW, f.severity());
    assertEquals(73L, f.evidence().get("lifetimeHours")); // 3 days plus the kit's 1 h backdating
  }

  @Test
  void aNinetyDayLeaf_doesNot() {
    Report report = inspector.inspect(regular.target());
    assertFalse(report.hasFinding(AcmeShortLivedCertCheck.ACME_SHORT_LIVED_CERT), report::summary);
  }
}
