package dev.tlsinspect.bc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.NamedGroup;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.BcTlsServer;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Named groups enumerated by elimination, TLS 1.3 (key share and HelloRetryRequest) and TLS 1.2 ECDHE. */
class GroupEnumerationTest {
  private static IssuedCertificate root;
  private static IssuedCertificate leaf;
  private static TlsInspector inspector;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("tls-inspect Test Root").build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(root).build();
    inspector = TlsInspector.builder().probe(new BcProbe())
        .options(InspectOptions.builder().trust(TrustMaterial.certificates(List.of(root.certificate())))
            .timeout(Duration.ofSeconds(30)).build())
        .build();
  }

  private static Report inspect(BcTlsServer s) {
    Target t = Target.builder("localhost", s.port()).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(Duration.ofSeconds(50), () -> inspector.inspect(t));
  }

  @Test
  void tls13_groupsIncludingHybrids_inServerOrder() {
    try (BcTlsServer s = BcTlsServer.builder().certificate(leaf).versions(TlsVersion.TLS_1_3)
        .namedGroups(NamedGroup.X25519_MLKEM768, NamedGroup.SECP384R1, NamedGroup.FFDHE3072).start()) {
      Report report = inspect(s);
      assertEquals(List.of("X25519MLKEM768", "secp384r1", "ffdhe3072"), report.namedGroups(), report::summary);
    }
  }

  @Test
  void tls12_ecdheCurves_oneAtATime() {
    try (BcTlsServer s = BcTlsServer.builder().certificate(leaf).versions(TlsVersion.TLS_1_2)
        .cipherSuites(CipherSuite.of(0xC02F))
        .namedGroups(NamedGroup.SECP521R1, NamedGroup.X25519).start()) {
      Report report = inspect(s);
      // Bouncy Castle's server takes the client's first acceptable curve: the set is what counts.
      assertEquals(java.util.Set.of("secp521r1", "x25519"), java.util.Set.copyOf(report.namedGroups()),
          report::summary);
    }
  }
}
