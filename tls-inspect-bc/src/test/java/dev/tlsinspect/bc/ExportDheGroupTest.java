package dev.tlsinspect.bc;

import static dev.tlsinspect.testing.ReportAssert.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.BcTlsServer;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DH group of export DHE suites is read, not assumed: full inspections with the Bouncy Castle
 * provider against a scripted TLS 1.0 peer ({@link FakePeer#exportDhe}) that sends a real
 * ServerKeyExchange with a 512-bit or a 1024-bit prime, which Bouncy Castle itself cannot complete.
 */
class ExportDheGroupTest {
  private static final BcProbe PROBE = new BcProbe();
  private static final String SUITE = "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA";
  private static IssuedCertificate leaf;
  private static TlsInspector inspector;

  @BeforeAll
  static void pki() {
    IssuedCertificate root = CertificateBuilder.root("tls-inspect Test Root").build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(root).build();
    inspector = TlsInspector.builder()
        .probe(PROBE)
        .options(InspectOptions.builder()
            .trust(TrustMaterial.certificates(List.of(root.certificate())))
            .timeout(Duration.ofSeconds(10))
            .build())
        .build();
  }

  private static Report inspect(int port, InspectOptions options) {
    Target t = Target.builder("localhost", port).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(options.deadline().plusSeconds(5), () -> inspector.inspect(t, options));
  }

  private static Report inspect(int port) {
    assertFalse(inspector.options().quick(), "full mode: the enumeration runs");
    return inspect(port, inspector.options());
  }

  @Test
  void a512BitExportGroup_isMeasured_andLogjamHigh() {
    BigInteger p = BigInteger.probablePrime(512, new Random(512));
    try (FakePeer peer = FakePeer.exportDhe(leaf, p)) {
      Report report = inspect(peer.port());
      assertEquals(List.of(SUITE), report.cipherSuites().get("TLSv1"), report::summary);
      Finding logjam = only(report, Code.LOGJAM);
      assertEquals(Severity.HIGH, logjam.severity());
      assertEquals(512L, logjam.evidence().get("bits"));
      assertEquals("measured", logjam.evidence().get("bitsSource"));
      assertEquals("custom", logjam.evidence().get("group"));
      assertEquals(List.of(SUITE), logjam.evidence().get("cipherSuites"));
      assertTrue(logjam.detail().contains("512-bit Diffie-Hellman group (read from its ServerKeyExchange)"),
          logjam.detail());
      Finding weak = only(report, Code.WEAK_DH);
      assertEquals(Severity.HIGH, weak.severity());
      assertEquals(512L, weak.evidence().get("bits"));
      assertEquals("measured", weak.evidence().get("bitsSource"));
    }
  }

  @Test
  void a1024BitExportGroup_isMeasuredAs1024_not512_andLogjamMedium() {
    BigInteger p = BigInteger.probablePrime(1024, new Random(1024));
    try (FakePeer peer = FakePeer.exportDhe(leaf, p)) {
      Report report = inspect(peer.port());
      assertEquals(List.of(SUITE), report.cipherSuites().get("TLSv1"), report::summary);
      Finding logjam = only(report, Code.LOGJAM);
      assertEquals(Severity.MEDIUM, logjam.severity(), "1024 bits, as for any 1024-bit DHE group");
      assertEquals(1024L, logjam.evidence().get("bits"));
      assertEquals("measured", logjam.evidence().get("bitsSource"));
      // Not "512" alone: the detail names the peer's port, which may contain those digits.
      assertFalse(logjam.detail().matches("(?s).*\\b512[- ]bit.*"), logjam.detail());
      Finding weak = only(report, Code.WEAK_DH);
      assertEquals(1024L, weak.evidence().get("bits"));
      assertEquals("measured", weak.evidence().get("bitsSource"));
      assertEquals(Severity.HIGH, weak.severity(), "under 2048 bits, as DhGroups judges any DHE group");
      assertTrue(report.hasFinding(Code.CIPHER_EXPORT), "the 40-bit cipher stays CIPHER_EXPORT");
    }
  }

  @Test
  void a2048BitExportGroup_isShownAsDhGroup_andOnlyTheCipherIsWeak() {
    BigInteger p = BigInteger.probablePrime(2048, new Random(2048));
    try (FakePeer peer = FakePeer.exportDhe(leaf, p)) {
      Report report = inspect(peer.port());
      assertEquals(List.of(SUITE), report.cipherSuites().get("TLSv1"), report::summary);
      assertFalse(report.hasFinding(Code.WEAK_DH), report::summary);
      assertFalse(report.hasFinding(Code.LOGJAM), report::summary);
      Finding group = only(report, Code.DH_GROUP);
      assertEquals(Severity.INFO, group.severity());
      assertEquals(2048L, group.evidence().get("bits"));
      assertEquals("measured", group.evidence().get("bitsSource"));
      assertEquals(List.of(SUITE), group.evidence().get("cipherSuites"));
      assertEquals(Severity.CRITICAL, only(report, Code.CIPHER_EXPORT).severity());
    }
  }

  @Test
  void anAnonymousExportGroup_isMeasuredToo_withoutACertificate() {
    BigInteger p = BigInteger.probablePrime(512, new Random(19));
    try (FakePeer peer = FakePeer.anonymousExportDhe(p)) {
      Report report = inspect(peer.port());
      String anon = "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA";
      assertEquals(List.of(anon), report.cipherSuites().get("TLSv1"), report::summary);
      Finding logjam = only(report, Code.LOGJAM);
      assertEquals(Severity.HIGH, logjam.severity());
      assertEquals(512L, logjam.evidence().get("bits"));
      assertEquals("measured", logjam.evidence().get("bitsSource"));
      assertEquals(List.of(anon), logjam.evidence().get("cipherSuites"));
      assertEquals("measured", only(report, Code.WEAK_DH).evidence().get("bitsSource"));
      assertTrue(report.hasFinding(Code.CIPHER_ANON), report::summary);
    }
  }

  @Test
  void aServerThatSendsNoServerKeyExchange_fallsBackToTheAssumed512Bits() {
    // ServerHello only: the group cannot be read, and the report says it was assumed.
    try (FakePeer peer = FakePeer.selecting(0x0301, 0x0014)) {
      Report report = inspect(peer.port());
      Finding logjam = only(report, Code.LOGJAM);
      assertEquals(Severity.HIGH, logjam.severity());
      assertEquals(512L, logjam.evidence().get("bits"));
      assertEquals("assumed", logjam.evidence().get("bitsSource"));
      assertEquals("assumed", only(report, Code.WEAK_DH).evidence().get("bitsSource"));
    }
  }

  @Test
  void aServerWithoutExportSuites_hasNoExportGroupFinding() {
    try (BcTlsServer server = BcTlsServer.builder().certificate(leaf).versions(TlsVersion.TLS_1_2)
        .cipherSuites(CipherSuite.of(0xC02F), CipherSuite.of(0x009E)).start()) {
      Report report = inspect(server.port());
      assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"),
          report.cipherSuites().get("TLSv1.2"), report::summary);
      assertFalse(report.hasFinding(Code.LOGJAM), report::summary);
      assertFalse(report.hasFinding(Code.WEAK_DH), report::summary);
      assertFalse(report.hasFinding(Code.CIPHER_EXPORT), report::summary);
    }
  }

  @Test
  void quickMode_neverMeasures() {
    BigInteger p = BigInteger.probablePrime(512, new Random(512));
    try (FakePeer peer = FakePeer.exportDhe(leaf, p)) {
      Report report = inspect(peer.port(), InspectOptions.builder()
          .trust(inspector.options().trust()).timeout(Duration.ofSeconds(10)).quick(true).build());
      assertFalse(report.hasFinding(Code.LOGJAM), report::summary);
      assertFalse(report.hasFinding(Code.WEAK_DH), report::summary);
      assertEquals(1, peer.connections(), "quick mode: the main handshake only");
    }
  }
}
