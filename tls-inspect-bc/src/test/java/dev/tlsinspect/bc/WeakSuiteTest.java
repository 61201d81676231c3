package dev.tlsinspect.bc;

import static dev.tlsinspect.testing.ReportAssert.only;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import dev.tlsinspect.probe.ClientOffer;
import dev.tlsinspect.probe.Deadline;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.ProbeRequest;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.BcTlsServer;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every weak-version and weak-suite code of the enumeration, shown in full inspections with the
 * Bouncy Castle provider against real loopback peers: a {@link BcTlsServer} for what Bouncy
 * Castle still serves (3DES, NULL, TLS 1.1), a scripted {@link FakePeer#selecting} peer that
 * answers just the ServerHello for what it does not (RC4, single DES, export, anonymous, SSL 3.0).
 */
class WeakSuiteTest {
  private static final BcProbe PROBE = new BcProbe();
  private static IssuedCertificate leaf;
  private static TlsInspector inspector;

  @BeforeAll
  static void pki() {
    IssuedCertificate root = CertificateBuilder.root("tls-inspect Test Root").build();
    IssuedCertificate intermediate = CertificateBuilder.intermediate("tls-inspect Test Intermediate")
        .issuedBy(root).build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    inspector = TlsInspector.builder()
        .probe(PROBE)
        .options(InspectOptions.builder()
            .trust(TrustMaterial.certificates(List.of(root.certificate())))
            .timeout(Duration.ofSeconds(10))
            .build())
        .build();
  }

  private static Report inspect(int port) {
    InspectOptions options = inspector.options();
    assertFalse(options.quick(), "full mode: the enumeration runs");
    Target t = Target.builder("localhost", port).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(options.deadline().plusSeconds(5), () -> inspector.inspect(t, options));
  }

  /** A suite-family finding: severity, the suite by name, the version it was accepted with. */
  private static void assertFamily(Report report, Code code, Severity severity, String suite, String version) {
    Finding f = only(report, code);
    assertEquals(severity, f.severity(), code::name);
    assertFalse(f.rootCause(), code::name);
    assertEquals(List.of(suite), f.evidence().get("cipherSuites"), code::name);
    assertEquals(List.of(version), f.evidence().get("versions"), code::name);
  }

  private static List<String> rootCauses(Report report) {
    return report.findings().stream().filter(Finding::rootCause).map(f -> f.code().name()).toList();
  }

  // ---- Bouncy Castle serves these: a real handshake completes, the enumeration finds the rest ----

  @Test
  void tripleDesAndNullSuites_withBcServer_areCipher3desAndCipherNull() {
    try (BcTlsServer server = BcTlsServer.builder().certificate(leaf).versions(TlsVersion.TLS_1_2)
        .cipherSuites(CipherSuite.of(0xC02F), CipherSuite.of(0x000A), CipherSuite.of(0x003B)).start()) {
      Report report = inspect(server.port());
      assertEquals(List.of("TLSv1.2"), report.protocols(), report::summary);
      assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
          "TLS_RSA_WITH_NULL_SHA256"), report.cipherSuites().get("TLSv1.2"), report::summary);
      assertEquals(List.of(), rootCauses(report), "the main handshake completes with the ECDHE suite");
      assertFamily(report, Code.CIPHER_3DES, Severity.MEDIUM, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLSv1.2");
      assertFamily(report, Code.CIPHER_NULL, Severity.CRITICAL, "TLS_RSA_WITH_NULL_SHA256", "TLSv1.2");
      assertEquals(List.of("TLS_RSA_WITH_3DES_EDE_CBC_SHA"), only(report, Code.CIPHER_CBC).evidence().get("cipherSuites"));
      assertFalse(report.hasFinding(Code.CIPHER_DES), "3DES is not single DES");
      Finding sweet32 = only(report, Code.SWEET32);
      assertEquals(Severity.MEDIUM, sweet32.severity());
      assertEquals("CVE-2016-2183", sweet32.evidence().get("cve"));
      assertEquals(List.of("TLS_RSA_WITH_3DES_EDE_CBC_SHA"), sweet32.evidence().get("cipherSuites"));
      assertFalse(report.hasFinding(Code.BEAST), "CBC in TLS 1.2 only");
    }
  }

  @Test
  void tls11_withBcServer_isProtocolTls11() {
    try (BcTlsServer server = BcTlsServer.builder().certificate(leaf)
        .versions(TlsVersion.TLS_1_2, TlsVersion.TLS_1_1)
        .cipherSuites(CipherSuite.of(0xC013), CipherSuite.of(0x002F)).start()) {
      Report report = inspect(server.port());
      assertEquals(List.of("TLSv1.2", "TLSv1.1"), report.protocols(), report::summary);
      Finding f = only(report, Code.PROTOCOL_TLS1_1);
      assertEquals(Severity.MEDIUM, f.severity());
      assertEquals("TLSv1.1", f.evidence().get("version"));
      assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"),
          f.evidence().get("cipherSuites"));
      assertFalse(report.hasFinding(Code.PROTOCOL_TLS1_0));
      assertFalse(report.hasFinding(Code.PROTOCOL_SSL3));
    }
  }

  // ---- Nobody serves these any more: a scripted peer answers just the ServerHello ----
  //
  // The main handshake (the provider's default offer: TLS 1.3 and 1.2, modern suites) cannot
  // complete against these peers: they accept none of the offered suites (or not the offered
  // versions) and answer a fatal alert. That alert is what makes the inspection enumerate, and
  // the root cause the report names is the one the inspection derives from the enumeration
  // (this JVM's jdk.tls.disabledAlgorithms would refuse the suite or version) or, where it
  // cannot, the alert. The enumeration findings are there regardless.

  @Test
  void rc4_withScriptedPeer_isCipherRc4() {
    try (FakePeer peer = FakePeer.selecting(0x0303, 0x0005)) {
      Report report = inspect(peer.port());
      assertEquals(List.of("TLS_RSA_WITH_RC4_128_SHA"), report.cipherSuites().get("TLSv1.2"), report::summary);
      assertFamily(report, Code.CIPHER_RC4, Severity.HIGH, "TLS_RSA_WITH_RC4_128_SHA", "TLSv1.2");
      // The default offer has no RC4: handshake_failure; the JVM's policy disables RC4 as well.
      assertEquals("handshake_failure", only(report, Code.HANDSHAKE_FAILED).evidence().get("alert"));
      assertEquals(List.of("RC4"), only(report, Code.LOCAL_CIPHER_DISABLED).evidence().get("disabledBy"));
    }
  }

  @Test
  void singleDes_withScriptedPeer_isCipherDes() {
    try (FakePeer peer = FakePeer.selecting(0x0303, 0x0009)) {
      Report report = inspect(peer.port());
      assertEquals(List.of("TLS_RSA_WITH_DES_CBC_SHA"), report.cipherSuites().get("TLSv1.2"), report::summary);
      assertFamily(report, Code.CIPHER_DES, Severity.HIGH, "TLS_RSA_WITH_DES_CBC_SHA", "TLSv1.2");
      assertFalse(report.hasFinding(Code.CIPHER_3DES), "single DES is not 3DES");
      assertEquals("handshake_failure", only(report, Code.HANDSHAKE_FAILED).evidence().get("alert"));
      assertEquals(List.of("DES"), only(report, Code.LOCAL_CIPHER_DISABLED).evidence().get("disabledBy"));
    }
  }

  @Test
  void exportSuite_withScriptedTls10Peer_isCipherExport() {
    // Export suites are forbidden from TLS 1.1 on (RFC 4346), so the peer speaks TLS 1.0.
    try (FakePeer peer = FakePeer.selecting(0x0301, 0x0003)) {
      Report report = inspect(peer.port());
      assertEquals(List.of("TLSv1"), report.protocols(), report::summary);
      assertEquals(List.of("TLS_RSA_EXPORT_WITH_RC4_40_MD5"), report.cipherSuites().get("TLSv1"));
      assertFamily(report, Code.CIPHER_EXPORT, Severity.CRITICAL, "TLS_RSA_EXPORT_WITH_RC4_40_MD5", "TLSv1");
      // RC4_40 is RC4 too.
      assertFamily(report, Code.CIPHER_RC4, Severity.HIGH, "TLS_RSA_EXPORT_WITH_RC4_40_MD5", "TLSv1");
      assertEquals("TLSv1", only(report, Code.PROTOCOL_TLS1_0).evidence().get("version"));
      // The default offer is TLS 1.3 and 1.2 only: protocol_version, named as no common protocol.
      assertEquals(List.of("NO_COMMON_PROTOCOL"), rootCauses(report));
      assertEquals(List.of("TLSv1"), only(report, Code.NO_COMMON_PROTOCOL).evidence().get("serverVersions"));
      Finding freak = only(report, Code.FREAK);
      assertEquals(Severity.HIGH, freak.severity());
      assertEquals("CVE-2015-0204", freak.evidence().get("cve"));
      assertEquals(List.of("TLS_RSA_EXPORT_WITH_RC4_40_MD5"), freak.evidence().get("cipherSuites"));
      assertFalse(report.hasFinding(Code.LOGJAM), "export RSA is FREAK, not Logjam");
      assertFalse(report.hasFinding(Code.BEAST), "RC4 is no CBC suite");
    }
  }

  @Test
  void exportDheSuite_withScriptedTls10Peer_isLogjam_notFreak() {
    try (FakePeer peer = FakePeer.selecting(0x0301, 0x0014)) {
      Report report = inspect(peer.port());
      assertEquals(List.of("TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA"), report.cipherSuites().get("TLSv1"),
          report::summary);
      Finding logjam = only(report, Code.LOGJAM);
      assertEquals(Severity.HIGH, logjam.severity());
      assertEquals("CVE-2015-4000", logjam.evidence().get("cve"));
      assertEquals(List.of("TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA"), logjam.evidence().get("cipherSuites"));
      assertFalse(report.hasFinding(Code.FREAK), "export DHE is Logjam, not FREAK");
      assertEquals(List.of("TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA"), only(report, Code.SWEET32).evidence().get("cipherSuites"));
    }
  }

  @Test
  void anonymousSuite_withScriptedPeer_isCipherAnon() {
    try (FakePeer peer = FakePeer.selecting(0x0303, 0x0034)) {
      Report report = inspect(peer.port());
      assertEquals(List.of("TLS_DH_anon_WITH_AES_128_CBC_SHA"), report.cipherSuites().get("TLSv1.2"),
          report::summary);
      assertFamily(report, Code.CIPHER_ANON, Severity.CRITICAL, "TLS_DH_anon_WITH_AES_128_CBC_SHA", "TLSv1.2");
      assertFalse(report.hasFinding(Code.NO_FORWARD_SECRECY), "DH_anon is ephemeral, only unauthenticated");
      assertEquals("handshake_failure", only(report, Code.HANDSHAKE_FAILED).evidence().get("alert"));
      assertEquals(List.of("anon"), only(report, Code.LOCAL_CIPHER_DISABLED).evidence().get("disabledBy"));
    }
  }

  @Test
  void ssl3_withScriptedPeer_isProtocolSsl3() {
    try (FakePeer peer = FakePeer.selecting(0x0300, 0x002F)) {
      Report report = inspect(peer.port());
      assertEquals(List.of("SSLv3"), report.protocols(), report::summary);
      Finding f = only(report, Code.PROTOCOL_SSL3);
      assertEquals(Severity.CRITICAL, f.severity());
      assertFalse(f.rootCause());
      assertEquals("SSLv3", f.evidence().get("version"));
      assertEquals(List.of("TLS_RSA_WITH_AES_128_CBC_SHA"), f.evidence().get("cipherSuites"));
      assertFalse(report.hasFinding(Code.PROTOCOL_TLS1_0));
      Finding poodle = only(report, Code.POODLE);
      assertEquals(Severity.HIGH, poodle.severity());
      assertEquals("CVE-2014-3566", poodle.evidence().get("cve"));
      assertEquals(List.of("TLS_RSA_WITH_AES_128_CBC_SHA"), poodle.evidence().get("cipherSuites"));
      // The main handshake got protocol_version; the root cause named is the JVM policy on SSLv3.
      assertEquals(List.of("LOCAL_PROTOCOL_DISABLED"), rootCauses(report));
      assertEquals(List.of("SSLv3"), only(report, Code.LOCAL_PROTOCOL_DISABLED).evidence().get("disabledVersions"));
    }
  }

  @Test
  void ssl3WithRc4_withScriptedPeer_isBothCodes() {
    try (FakePeer peer = FakePeer.selecting(0x0300, 0x0005)) {
      Report report = inspect(peer.port());
      assertEquals("SSLv3", only(report, Code.PROTOCOL_SSL3).evidence().get("version"));
      assertFamily(report, Code.CIPHER_RC4, Severity.HIGH, "TLS_RSA_WITH_RC4_128_SHA", "SSLv3");
      assertFalse(report.hasFinding(Code.POODLE), "SSL 3.0 with RC4 only: no CBC, no POODLE");
    }
  }

  // ---- The scripted peer itself ----

  private static ProbeOutcome probe(int port, ClientOffer offer) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    ProbeRequest request = new ProbeRequest(Target.builder("localhost", port).connectAddress("127.0.0.1").build(),
        new InetSocketAddress(loopback, port), List.of(loopback), Deadline.after(Duration.ofSeconds(5)),
        Duration.ofSeconds(3), Duration.ofSeconds(3), TrustMaterial.jvmDefault(), offer);
    return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> PROBE.probe(request));
  }

  @Test
  void scriptedPeer_choosesItsFirstOfferedSuite_andRefusesOtherVersionsAndSuites() {
    try (FakePeer peer = FakePeer.selecting(0x0303, 0x0009, 0x0005)) {
      ClientOffer both = ClientOffer.builder().versions(TlsVersion.TLS_1_2)
          .cipherSuites(CipherSuite.of(0x0005), CipherSuite.of(0x0009)).serverHelloOnly(true).build();
      var seen = assertInstanceOf(ProbeOutcome.Completed.class, probe(peer.port(), both)).seen();
      assertEquals(TlsVersion.TLS_1_2, seen.version().orElseThrow());
      assertEquals(0x0009, seen.cipherSuite().orElseThrow().code(), "the peer's order wins");

      ClientOffer other = ClientOffer.builder().versions(TlsVersion.TLS_1_2)
          .cipherSuites(CipherSuite.of(0x002F)).serverHelloOnly(true).build();
      var noSuite = assertInstanceOf(ProbeOutcome.Failed.class, probe(peer.port(), other));
      assertEquals(FailureKind.ALERT_RECEIVED, noSuite.failure().kind());
      assertEquals("handshake_failure", noSuite.failure().alert().orElseThrow().name());

      ClientOffer tls13 = ClientOffer.builder().versions(TlsVersion.TLS_1_3)
          .cipherSuites(CipherSuite.of(0x1301), CipherSuite.of(0x0005)).serverHelloOnly(true).build();
      var noVersion = assertInstanceOf(ProbeOutcome.Failed.class, probe(peer.port(), tls13));
      assertEquals(FailureKind.ALERT_RECEIVED, noVersion.failure().kind());
      assertEquals("protocol_version", noVersion.failure().alert().orElseThrow().name());
    }
  }

  private static byte[] exchange(int port, byte[] request) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      s.shutdownOutput();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buf = new byte[256];
      for (int n; (n = in.read(buf)) >= 0 && answer.size() < 4096; ) {
        answer.write(buf, 0, n);
      }
      return answer.toByteArray();
    }
  }

  @Test
  void scriptedPeer_answersGarbageWithHandshakeFailure_andKeepsServing() throws IOException {
    byte[] failure = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 40};
    byte[] random = new byte[3000];
    new Random(7).nextBytes(random);
    random[0] = 0x16; // looks like a handshake record, then nonsense
    random[1] = 0x03;
    byte[][] inputs = {
        new byte[0],
        "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        random,
        // a ClientHello header declaring 16 MB
        {0x16, 0x03, 0x01, 0x00, 0x04, 0x01, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
        // a ClientHello whose suite list runs past its end
        {0x16, 0x03, 0x01, 0x00, 0x2C, 0x01, 0x00, 0x00, 0x28, 0x03, 0x03,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0x00, 0x7F, (byte) 0xFE},
        // a ClientHello whose session id claims 255 bytes
        {0x16, 0x03, 0x01, 0x00, 0x2A, 0x01, 0x00, 0x00, 0x26, 0x03, 0x03,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            (byte) 0xFF},
    };
    try (FakePeer peer = FakePeer.selecting(0x0303, 0x0005)) {
      for (byte[] input : inputs) {
        assertArrayEquals(failure, assertTimeoutPreemptively(Duration.ofSeconds(10),
            () -> exchange(peer.port(), input)), () -> "answer to " + input.length + " bytes");
      }
      assertEquals(inputs.length, peer.connections());
      // Still a working peer afterwards.
      ClientOffer rc4 = ClientOffer.builder().versions(TlsVersion.TLS_1_2)
          .cipherSuites(CipherSuite.of(0x0005)).serverHelloOnly(true).build();
      assertInstanceOf(ProbeOutcome.Completed.class, probe(peer.port(), rc4));
      assertTrue(peer.bytesSent() > 0);
    }
  }
}
