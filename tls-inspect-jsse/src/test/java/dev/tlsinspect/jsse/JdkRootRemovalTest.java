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
 * A root removed from {@code cacerts} by a later release, predicted against a real loopback server
 * whose private test CA is put into the prediction's data through {@link JdkUpgrade#of} as
 * {@code ROOT_REMOVED}. The inspection trusts the test CA explicitly (a test cannot add it to the
 * JVM's cacerts); whether the trust was the JVM default is passed to the prediction as
 * {@link TrustMaterial}, which is the seam: {@link TrustMaterial#jvmDefault()} stands for an
 * application trusting through cacerts.
 */
class JdkRootRemovalTest {
  private static final Runtime.Version JDK_17_0_15 = Runtime.Version.parse("17.0.15");
  private static final String SOURCE = "https://example.test/remove-root";
  private static IssuedCertificate root;
  private static Report report;

  @BeforeAll
  static void inspect() {
    root = CertificateBuilder.root("Removal Test Root").ec("secp256r1").build();
    IssuedCertificate ca = CertificateBuilder.intermediate("Removal Test CA").ec("secp256r1").issuedBy(root).build();
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

  private static String removed(String dn, String sha256, String releases) {
    return "ROOT_REMOVED\t-\t" + dn + "\t" + sha256 + "\t-\t" + releases + "\t" + SOURCE + "\n";
  }

  private static String rootDn() {
    return root.certificate().getSubjectX500Principal().getName();
  }

  @Test
  void aRootRemovedByALaterRelease_breaksAnEndpointTrustedThroughTheDefaultStore() {
    // By name (the source states no fingerprint): the server does not send the root, the last
    // certificate's issuer names it.
    JdkUpgrade byName = JdkUpgrade.of(removed(rootDn(), "-", "21.0.8,25"), JDK_17_0_15);
    List<Finding> at21 = byName.predict(report, 21, TrustMaterial.jvmDefault());
    assertEquals(1, at21.size(), at21::toString);
    Finding f = at21.get(0);
    assertEquals(Code.JDK_UPGRADE_BREAKS, f.code());
    assertEquals(Severity.HIGH, f.severity());
    assertEquals("21", f.evidence().get("jdk"));
    assertEquals("21.0.8", f.evidence().get("firstRelease"));
    assertEquals("ROOT_REMOVED", f.evidence().get("reason"));
    assertEquals(rootDn(), f.evidence().get("root"));
    assertEquals("YES", f.evidence().get("defaultTrust"));
    assertEquals(SOURCE, f.evidence().get("source"));
    assertTrue(f.title().startsWith("JDK 21 will not trust"), f::title);
    assertEquals("25", byName.predict(report, 25, TrustMaterial.jvmDefault()).get(0).evidence().get("firstRelease"));
    assertEquals(Verdict.FAIL, byName.withPrediction(report, 21, TrustMaterial.jvmDefault()).verdict());

    // By fingerprint.
    JdkUpgrade byHash = JdkUpgrade.of(removed(rootDn(), CertificateInfo.fingerprint(root.certificate()), "25"),
        JDK_17_0_15);
    assertEquals(1, byHash.predict(report, 25, TrustMaterial.jvmDefault()).size());

    // Trust not known: still reported, and the finding says it cannot be known.
    Finding unknown = byName.predict(report, 21).get(0);
    assertEquals("UNKNOWN", unknown.evidence().get("defaultTrust"));
    assertTrue(unknown.detail().contains("not known"), unknown::detail);
  }

  @Test
  void noBreakage_laterThanTheTarget_anotherRoot_ownTrustStore_orAnAddition() {
    String dn = rootDn();
    // Removed only in 25: an upgrade to 21 keeps it.
    assertEquals(List.of(), JdkUpgrade.of(removed(dn, "-", "25"), JDK_17_0_15)
        .predict(report, 21, TrustMaterial.jvmDefault()));
    // Another root.
    assertEquals(List.of(), JdkUpgrade.of(removed("CN=Some Other Root, O=Elsewhere, C=US", "-", "21"), JDK_17_0_15)
        .predict(report, 21, TrustMaterial.jvmDefault()));
    // A trust store of the application's own is not touched by cacerts.
    assertEquals(List.of(), JdkUpgrade.of(removed(dn, "-", "21"), JDK_17_0_15)
        .predict(report, 21, TrustMaterial.certificates(List.of(root.certificate()))));
    // Already removed in the running release.
    assertEquals(List.of(), JdkUpgrade.of(removed(dn, "-", "17.0.15,21"), JDK_17_0_15)
        .predict(report, 21, TrustMaterial.jvmDefault()));
    // An addition breaks nothing.
    assertEquals(List.of(), JdkUpgrade.of("ROOT_ADDED\t-\t" + dn + "\t-\t-\t21\t" + SOURCE + "\n", JDK_17_0_15)
        .predict(report, 21, TrustMaterial.jvmDefault()));
    // A distrust entry still needs its fingerprint; a malformed release is refused.
    assertThrows(IllegalArgumentException.class, () -> JdkUpgrade.of(
        "DISTRUST_AFTER\tX\t" + dn + "\t-\t2020-01-01\t21\t" + SOURCE + "\n", JDK_17_0_15));
    assertThrows(IllegalArgumentException.class, () -> JdkUpgrade.of(removed(dn, "-", "twenty"), JDK_17_0_15));
  }
}
