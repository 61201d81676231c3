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
import dev.tlsinspect.probe.ServerFeatures;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resumption with the TLS 1.2 session ticket the server issued, and SCTs delivered in the TLS
 * signed_certificate_timestamp extension, against real {@code openssl s_server}s on loopback:
 * tickets on and {@code -no_ticket}; {@code -serverinfo} with an SCT list built here, and without.
 */
class TicketAndSctFeaturesTest {
  private static final byte[] LOG_A = filled(0x11);
  private static final byte[] LOG_B = filled(0x22);

  @BeforeAll
  static void pki() {
    ServerFeaturesProbeTest.pki();
  }

  private static byte[] filled(int b) {
    byte[] id = new byte[32];
    Arrays.fill(id, (byte) b);
    return id;
  }

  /** One v1 SCT (RFC 6962 3.2): version, log ID, timestamp, no extensions, an ECDSA-SHA256 signature. */
  private static byte[] sct(byte[] logId) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(0);
    o.writeBytes(logId);
    o.writeBytes(new byte[] {0, 0, 1, (byte) 0x8c, 0, 0, 0, 1});
    o.writeBytes(new byte[] {0, 0}); // no extensions
    o.writeBytes(new byte[] {4, 3}); // sha256, ecdsa
    byte[] sig = new byte[70];
    Arrays.fill(sig, (byte) 0x30);
    o.writeBytes(new byte[] {0, (byte) sig.length});
    o.writeBytes(sig);
    return o.toByteArray();
  }

  private static void u16(ByteArrayOutputStream o, int v) {
    o.write(v >> 8);
    o.write(v);
  }

  /** s_server's -serverinfo file: extension 18 with an SCT list of two SCTs. */
  private static Path serverinfo(Path dir) throws Exception {
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    for (byte[] s : List.of(sct(LOG_A), sct(LOG_B))) {
      u16(list, s.length);
      list.writeBytes(s);
    }
    ByteArrayOutputStream ext = new ByteArrayOutputStream();
    u16(ext, 18);
    u16(ext, list.size() + 2);
    u16(ext, list.size());
    list.writeTo(ext);
    Files.createDirectories(dir);
    Path file = dir.resolve("serverinfo.pem");
    Files.writeString(file, "-----BEGIN SERVERINFO FOR signed_certificate_timestamp-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(ext.toByteArray())
        + "\n-----END SERVERINFO FOR signed_certificate_timestamp-----\n");
    return file;
  }

  /**
   * The same SCT list as a version 2 serverinfo block, whose 4-byte context also puts it on the
   * TLS 1.3 leaf's CertificateEntry (SSL_EXT_CLIENT_HELLO | SSL_EXT_TLS1_2_SERVER_HELLO |
   * SSL_EXT_TLS1_3_CERTIFICATE).
   */
  private static Path serverinfoV2(Path dir) throws Exception {
    byte[] v1 = Base64.getMimeDecoder().decode(Files.readString(serverinfo(dir)).replaceAll("-----[^-]*-----", ""));
    ByteArrayOutputStream v2 = new ByteArrayOutputStream();
    v2.writeBytes(new byte[] {0, 0, 0x11, (byte) 0x80});
    v2.writeBytes(v1);
    Path file = dir.resolve("serverinfo-v2.pem");
    Files.writeString(file, "-----BEGIN SERVERINFOV2 FOR signed_certificate_timestamp-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(v2.toByteArray())
        + "\n-----END SERVERINFOV2 FOR signed_certificate_timestamp-----\n");
    return file;
  }

  // --- resumption by TLS 1.2 ticket -------------------------------------------------------------

  @Test
  void opensslWithTickets_resumesByTicket(@TempDir Path dir) throws Exception {
    try (ExternalServer s = ServerFeaturesProbeTest.openssl(dir, "-www")) {
      ServerFeatures f = ServerFeaturesProbeTest.features(s.port, TlsVersion.TLS_1_3);
      assertEquals(Optional.of(true), f.sessionTicket(), f::toString);
      assertEquals(Optional.of(true), f.ticketResumption(), f::toString);
    }
  }

  @Test
  void opensslNoTicket_nothingToResume_saysWhy(@TempDir Path dir) throws Exception {
    try (ExternalServer s = ServerFeaturesProbeTest.openssl(dir, "-www", "-no_ticket")) {
      ServerFeatures f = ServerFeaturesProbeTest.features(s.port, TlsVersion.TLS_1_3);
      assertEquals(Optional.of(false), f.sessionTicket(), f::toString);
      assertEquals(Optional.empty(), f.ticketResumption(), f::toString);
      assertEquals("the server issued no TLS 1.2 session ticket to offer", f.notes().get("ticketResumption"));
    }
  }

  @Test
  void sessionResumptionFinding_namesTicketResumption_onlyWhereItHappened(@TempDir Path dir) throws Exception {
    try (ExternalServer s = ServerFeaturesProbeTest.openssl(dir.resolve("tickets"), "-www")) {
      Finding r = only(inspect(s.port, false, false), Code.SESSION_RESUMPTION);
      assertEquals(Severity.INFO, r.severity());
      assertEquals(true, r.evidence().get("ticketResumption"), r::toString);
      assertTrue(r.title().contains("by TLS 1.2 ticket"), r::title);
    }
    try (ExternalServer s = ServerFeaturesProbeTest.openssl(dir.resolve("none"), "-www", "-no_ticket")) {
      Finding r = only(inspect(s.port, false, false), Code.SESSION_RESUMPTION);
      assertEquals(Severity.INFO, r.severity());
      assertFalse(r.evidence().containsKey("ticketResumption"), r::toString);
      assertEquals(false, r.evidence().get("sessionTicket"));
      assertEquals("the server issued no TLS 1.2 session ticket to offer", r.evidence().get("ticketResumptionNote"));
    }
  }

  /**
   * Two {@code openssl s_server} nodes behind one port, as behind a load balancer whose nodes
   * keep their own ticket keys: a ClientHello that offers a ticket goes to the second node, every
   * other one to the first. The ticket the first issued is refused by the second.
   */
  @Test
  void nodesWithoutSharedTicketKeys_ticketIssuedButNotHonoured(@TempDir Path dir) throws Exception {
    try (ExternalServer a = ServerFeaturesProbeTest.openssl(dir.resolve("a"), "-www");
        ExternalServer b = ServerFeaturesProbeTest.openssl(dir.resolve("b"), "-www");
        Sslv2Test.FakeServer balancer = new Sslv2Test.FakeServer((first, s) -> {
          byte[] hello = clientHelloRecord(first, s);
          Sslv2Test.forward(hello, s, offersTicket(hello) ? b.port : a.port);
        })) {
      ServerFeatures f = ServerFeaturesProbeTest.features(balancer.port(), TlsVersion.TLS_1_3);
      assertEquals(Optional.of(true), f.sessionTicket(), f::toString);
      assertEquals(Optional.of(false), f.ticketResumption(), f::toString);

      Finding r = only(inspect(balancer.port(), false, false), Code.SESSION_RESUMPTION);
      assertEquals(Severity.INFO, r.severity());
      assertEquals(false, r.evidence().get("ticketResumption"), r::toString);
      assertTrue(r.title().contains("not by the TLS 1.2 ticket it issued"), r::title);
      assertTrue(r.detail().contains("do not share their ticket keys"), r::detail);
      assertTrue(r.remediation().contains("ssl_session_ticket_key"), r::remediation);
    }
    // One node alone honours its own ticket, and the finding gives no such advice.
    try (ExternalServer one = ServerFeaturesProbeTest.openssl(dir.resolve("one"), "-www")) {
      Finding r = only(inspect(one.port, false, false), Code.SESSION_RESUMPTION);
      assertEquals(true, r.evidence().get("ticketResumption"), r::toString);
      assertFalse(r.detail().contains("ticket keys"), r::detail);
    }
  }

  /** The first TLS record (the ClientHello), read whole: the 2 bytes already read, then the rest. */
  private static byte[] clientHelloRecord(byte[] first, java.net.Socket s) {
    try {
      java.io.InputStream in = s.getInputStream();
      byte[] rest = in.readNBytes(3);
      if (first.length < 2 || rest.length < 3) {
        return first;
      }
      int length = ((rest[1] & 0xFF) << 8) | (rest[2] & 0xFF);
      byte[] body = in.readNBytes(length);
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.writeBytes(first);
      all.writeBytes(rest);
      all.writeBytes(body);
      return all.toByteArray();
    } catch (IOException e) {
      return first;
    }
  }

  /** Whether a ClientHello record carries a non-empty session_ticket extension (type 35). */
  static boolean offersTicket(byte[] record) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(record);
    try {
      b.position(5 + 4 + 2 + 32); // record header, handshake header, client_version, random
      b.position(b.position() + 1 + (b.get(b.position()) & 0xFF)); // session_id
      b.position(b.position() + 2 + (b.getShort(b.position()) & 0xFFFF)); // cipher_suites
      b.position(b.position() + 1 + (b.get(b.position()) & 0xFF)); // compression_methods
      int end = b.position() + 2 + (b.getShort() & 0xFFFF);
      while (b.position() + 4 <= Math.min(end, b.limit())) {
        int type = b.getShort() & 0xFFFF;
        int len = b.getShort() & 0xFFFF;
        if (type == 35) {
          return len > 0;
        }
        b.position(b.position() + len);
      }
    } catch (RuntimeException malformed) {
      return false;
    }
    return false;
  }

  // --- SCTs in the TLS extension ----------------------------------------------------------------

  @Test
  void serverinfoScts_areCounted_withTheirLogIds(@TempDir Path dir) throws Exception {
    Path info = serverinfo(dir);
    try (ExternalServer s = ServerFeaturesProbeTest.openssl(dir, "-www", "-serverinfo", info.toString())) {
      ServerFeatures f = ServerFeaturesProbeTest.features(s.port, TlsVersion.TLS_1_3);
      assertEquals(OptionalInt.of(2), f.tlsExtensionScts(), f::toString);
      assertEquals(List.of(Base64.getEncoder().encodeToString(LOG_A), Base64.getEncoder().encodeToString(LOG_B)),
          f.tlsExtensionSctLogIds());
    }
  }

  @Test
  void tls13OnlyServer_sctsOnTheLeafsCertificateEntry_areCounted(@TempDir Path dir) throws Exception {
    Path info = serverinfoV2(dir);
    try (ExternalServer s = ServerFeaturesProbeTest.openssl(dir, "-www", "-tls1_3", "-serverinfo", info.toString())) {
      ServerFeatures f = ServerFeaturesProbeTest.features(s.port, TlsVersion.TLS_1_3);
      assertEquals(OptionalInt.of(2), f.tlsExtensionScts(), f::toString);
      assertEquals(List.of(Base64.getEncoder().encodeToString(LOG_A), Base64.getEncoder().encodeToString(LOG_B)),
          f.tlsExtensionSctLogIds());
    }
  }

  @Test
  void noServerinfo_noScts_butAsked(@TempDir Path dir) throws Exception {
    try (ExternalServer s = ServerFeaturesProbeTest.openssl(dir, "-www")) {
      ServerFeatures f = ServerFeaturesProbeTest.features(s.port, TlsVersion.TLS_1_3);
      assertEquals(OptionalInt.of(0), f.tlsExtensionScts(), f::toString);
      assertEquals(List.of(), f.tlsExtensionSctLogIds());
    }
  }

  @Test
  void publicLeaf_withSctsInTheTlsExtension_isNoCertNoSct(@TempDir Path dir) throws Exception {
    Path info = serverinfo(dir);
    try (ExternalServer s = ServerFeaturesProbeTest.openssl(dir, "-www", "-serverinfo", info.toString())) {
      Report report = inspect(s.port, false, true);
      assertFalse(report.hasFinding(Code.CERT_NO_SCT), () -> report.findings().toString());
      // Quick mode asks for nothing beyond the one handshake: the finding stays, and says why.
      Finding quick = only(inspect(s.port, true, true), Code.CERT_NO_SCT);
      assertEquals(Severity.MEDIUM, quick.severity());
      assertEquals(List.of("certificate", "stapled OCSP"), quick.evidence().get("sctSourcesChecked"));
      assertFalse(quick.evidence().containsKey("tlsExtensionScts"), quick::toString);
      assertTrue(quick.detail().contains("quick mode makes no extra handshake"), quick::detail);
    }
  }

  @Test
  void publicLeaf_withoutScts_isCertNoSct_afterAskingTheTlsExtension(@TempDir Path dir) throws Exception {
    try (ExternalServer s = ServerFeaturesProbeTest.openssl(dir, "-www")) {
      Finding f = only(inspect(s.port, false, true), Code.CERT_NO_SCT);
      assertEquals(Severity.MEDIUM, f.severity());
      assertEquals(0L, f.evidence().get("tlsExtensionScts"), f::toString);
      assertEquals(0L, f.evidence().get("embeddedScts"));
      assertEquals(List.of("certificate", "stapled OCSP", "TLS extension"), f.evidence().get("sctSourcesChecked"));
      assertEquals(true, f.evidence().get("publicRoot"));
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static IssuedCertificate otherRoot;

  /**
   * A full or quick inspection; with {@code publicRoot} the reference store (the stand-in for the
   * public roots) holds the test root alone while the application trusts one more root.
   */
  private static Report inspect(int port, boolean quick, boolean publicRoot) {
    ServerFeaturesProbeTest.pki();
    synchronized (TicketAndSctFeaturesTest.class) {
      if (otherRoot == null) {
        otherRoot = CertificateBuilder.root("Another Root").build();
      }
    }
    InspectOptions.Builder b = InspectOptions.builder()
        .trust(TrustMaterial.certificates(List.of(ServerFeaturesProbeTest.root.certificate(), otherRoot.certificate())))
        .timeout(Duration.ofSeconds(20)).quick(quick);
    if (publicRoot) {
      b.referenceTrust(TrustMaterial.certificates(List.of(ServerFeaturesProbeTest.root.certificate())));
    }
    InspectOptions options = b.build();
    TlsInspector inspector = TlsInspector.builder().options(options).build();
    Target t = Target.builder("localhost", port).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> inspector.inspect(t, options));
  }

}
