package dev.tlsinspect.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.CertificateInfo;
import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.JdkUpgrade;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDK upgrade prediction against a real loopback server whose private test CA is put into the
 * prediction's data through {@link JdkUpgrade#of}: a later release that distrusts the CA by
 * issuance date breaks the endpoint, and the finding names that release.
 */
class JdkUpgradeTest {
  private static final Runtime.Version JDK_17_0_15 = Runtime.Version.parse("17.0.15");
  private static IssuedCertificate root;
  private static Report report;

  @BeforeAll
  static void inspect() {
    root = CertificateBuilder.root("Upgrade Test Root").ec("secp256r1").build();
    IssuedCertificate ca = CertificateBuilder.intermediate("Upgrade Test CA").ec("secp256r1").issuedBy(root).build();
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").ec("secp256r1").issuedBy(ca).build();
    TlsInspector inspector = TlsInspector.builder().probe(new JsseProbe())
        .options(InspectOptions.builder().trust(TrustMaterial.certificates(List.of(root.certificate())))
            .timeout(Duration.ofSeconds(3)).quick(true).build())
        .build();
    try (TlsServer server = TlsServer.builder().certificateChain(leaf, ca.certificate()).start()) {
      report = inspector.inspect(Target.builder("localhost", server.port()).connectAddress("127.0.0.1").build());
    }
    assertEquals(Verdict.PASS, report.verdict(), report::summary);
  }

  private static String line(String after, String releases) {
    return "DISTRUST_AFTER\tTEST_TLS\t" + root.certificate().getSubjectX500Principal().getName() + "\t"
        + CertificateInfo.fingerprint(root.certificate()) + "\t" + after + "\t" + releases
        + "\thttps://example.test/release-note\n";
  }

  @Test
  void aLaterReleaseThatDistrustsTheTestCa_breaksTheEndpoint_andNamesTheRelease() {
    JdkUpgrade upgrade = JdkUpgrade.of(line("2020-01-01", "21.0.9,25"), JDK_17_0_15);
    List<Finding> at21 = upgrade.predict(report, 21);
    assertEquals(1, at21.size(), at21::toString);
    Finding f = at21.get(0);
    assertEquals(Code.JDK_UPGRADE_BREAKS, f.code());
    assertEquals(Severity.HIGH, f.severity());
    assertEquals("21", f.evidence().get("jdk"));
    assertEquals("21.0.9", f.evidence().get("firstRelease"));
    assertEquals("DISTRUST", f.evidence().get("reason"));
    assertEquals("TEST_TLS", f.evidence().get("policy"));
    assertEquals("https://example.test/release-note", f.evidence().get("source"));
    assertTrue(f.title().startsWith("JDK 21 will reject"), f::title);
    assertEquals("25", upgrade.predict(report, 25).get(0).evidence().get("firstRelease"));
    assertEquals(Verdict.FAIL, upgrade.withPrediction(report, 21).verdict());
  }

  @Test
  void noBreakage_whenIssuedBeforeTheDate_orOnlyInAnotherLine_orAlreadyInEffect() {
    assertEquals(List.of(), JdkUpgrade.of(line("2099-01-01", "21.0.9"), JDK_17_0_15).predict(report, 21));
    // Only in 25: JDK 21 is fine, 25 breaks.
    JdkUpgrade only25 = JdkUpgrade.of(line("2020-01-01", "25"), JDK_17_0_15);
    assertEquals(List.of(), only25.predict(report, 21));
    assertEquals(1, only25.predict(report, 25).size());
    // Already applied by the running release: the inspection itself would show it.
    assertEquals(List.of(), JdkUpgrade.of(line("2020-01-01", "17.0.13,21.0.5"), JDK_17_0_15).predict(report, 21));
    // Another CA's entry does not touch this chain.
    assertEquals(List.of(), JdkUpgrade.defaults().predict(report, Runtime.version().feature() + 1));
    assertThrows(IllegalArgumentException.class, () -> JdkUpgrade.defaults().predict(report, 11));
    assertThrows(IllegalArgumentException.class, () -> JdkUpgrade.of("DISTRUST_AFTER\tx\n", JDK_17_0_15));
  }
}
