package dev.tlsinspect.bc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tlsinspect.Target;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.probe.ClientOffer;
import dev.tlsinspect.probe.Deadline;
import dev.tlsinspect.probe.ProbeRequest;
import dev.tlsinspect.probe.ServerFeatures;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.BcTlsServer;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bc provider's feature handshakes ({@link BcProbe#features}) against real servers on
 * loopback: {@code openssl s_server} with renegotiation, tickets and early data switched on and
 * off, {@code gnutls-serv} without RFC 5746 and RFC 7627, nginx with and without HTTP/2 and HSTS,
 * an in-JVM Bouncy Castle server that ignores TLS_FALLBACK_SCSV, and a scripted peer that still
 * compresses (no TLS library here will).
 */
class ServerFeaturesProbeTest {
  static IssuedCertificate root;
  static IssuedCertificate leaf;

  @BeforeAll
  static synchronized void pki() {
    if (root != null) {
      return;
    }
    root = CertificateBuilder.root("Features Test Root").build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(root).build();
  }

  static void writePem(Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("leaf.pem"), leaf.toPem());
    Files.writeString(dir.resolve("key.pem"), leaf.privateKeyPem());
  }

  static ServerFeatures features(int port, TlsVersion highest) {
    ProbeRequest req = new ProbeRequest(Target.builder("localhost", port).connectAddress("127.0.0.1").build(),
        new InetSocketAddress("127.0.0.1", port), List.of(), Deadline.after(Duration.ofSeconds(20)),
        Duration.ofSeconds(5), Duration.ofSeconds(5), TrustMaterial.jvmDefault(), ClientOffer.providerDefaults());
    // Both stages, as an inspection makes them: the handshakes beside the enumeration, then the last.
    BcProbe probe = new BcProbe();
    return assertTimeoutPreemptively(Duration.ofSeconds(40),
        () -> probe.lastFeatures(req, highest, probe.features(req, highest)));
  }

  static ExternalServer openssl(Path dir, String... extra) throws Exception {
    ExternalServer.require("openssl", "openssl");
    writePem(dir);
    return start(dir, extra);
  }

  /** An openssl s_server on a P-521 ECDSA key: it signs only with ecdsa_secp521r1_sha512. */
  static ExternalServer opensslP521(Path dir) throws Exception {
    ExternalServer.require("openssl", "openssl");
    IssuedCertificate ec = CertificateBuilder.leaf("localhost").issuedBy(root).ec("secp521r1").build();
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("leaf.pem"), ec.toPem());
    Files.writeString(dir.resolve("key.pem"), ec.privateKeyPem());
    return start(dir, "-www");
  }

  private static ExternalServer start(Path dir, String... extra) throws Exception {
    return ExternalServer.start(dir, port -> {
      List<String> cmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port,
          "-cert", "leaf.pem", "-key", "key.pem", "-quiet"));
      cmd.addAll(List.of(extra));
      return cmd;
    });
  }

  static ExternalServer gnutls(Path dir, String priority) throws Exception {
    ExternalServer.require("gnutls-serv", "gnutls-bin");
    writePem(dir);
    return ExternalServer.start(dir, port -> List.of("gnutls-serv", "--http", "--port", String.valueOf(port),
        "--x509certfile", "leaf.pem", "--x509keyfile", "key.pem", "--priority", priority));
  }

  /** nginx in the foreground, one process, everything under dir. */
  static ExternalServer nginx(Path dir, boolean http2, boolean hsts) throws Exception {
    ExternalServer.require("nginx", "nginx");
    writePem(dir);
    Files.createDirectories(dir.resolve("tmp"));
    return ExternalServer.start(dir, port -> {
      String d = dir.toAbsolutePath().toString();
      String conf = "daemon off;\nmaster_process off;\npid " + d + "/nginx.pid;\nerror_log " + d
          + "/error.log;\nevents { worker_connections 64; }\nhttp {\n access_log off;\n"
          + " client_body_temp_path " + d + "/tmp/body;\n proxy_temp_path " + d + "/tmp/proxy;\n"
          + " fastcgi_temp_path " + d + "/tmp/fastcgi;\n uwsgi_temp_path " + d + "/tmp/uwsgi;\n"
          + " scgi_temp_path " + d + "/tmp/scgi;\n server {\n  listen 127.0.0.1:" + port + " ssl"
          + (http2 ? " http2" : "") + ";\n  ssl_certificate " + d + "/leaf.pem;\n  ssl_certificate_key "
          + d + "/key.pem;\n  location / {\n"
          + (hsts ? "   add_header Strict-Transport-Security \"max-age=31536000; includeSubDomains\" always;\n" : "")
          + "   return 200 \"ok\\n\";\n  }\n }\n}\n";
      try {
        Files.writeString(dir.resolve("nginx-" + port + ".conf"), conf);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return List.of(ExternalServer.executable("nginx"), "-p", d, "-c", d + "/nginx-" + port + ".conf");
    });
  }

  @Test
  void opensslDefaults_secureRenegotiationEmsScsvTickets_noClientRenegotiationNoCompression(@TempDir Path dir)
      throws Exception {
    try (ExternalServer s = openssl(dir, "-www")) {
      ServerFeatures f = features(s.port, TlsVersion.TLS_1_3);
      assertEquals(Optional.of(true), f.secureRenegotiation(), f::toString);
      assertEquals(Optional.of(false), f.clientRenegotiation(), "OpenSSL 3 refuses it by default: " + f);
      assertEquals(Optional.of(true), f.extendedMasterSecret(), f::toString);
      assertEquals(Optional.of(false), f.compression(), f::toString);
      assertEquals(Optional.of(true), f.fallbackScsv(), f::toString);
      assertEquals(Optional.of(TlsVersion.TLS_1_2), f.fallbackVersion(), f::toString);
      assertEquals(Optional.of(true), f.sessionTicket(), f::toString);
      assertEquals(Optional.of(Duration.ofHours(2)), f.ticketLifetime(), "OpenSSL's default hint: " + f);
      assertEquals(Optional.of(Duration.ofHours(2)), f.tls13TicketLifetime(), f::toString);
      assertEquals(OptionalLong.of(0), f.maxEarlyData(), "no early data unless asked: " + f);
      assertEquals(List.of("h2", "http/1.1"), f.alpnOffered());
      assertEquals(Optional.empty(), f.alpnSelected(), "no -alpn, no selection: " + f);
      assertEquals(Optional.empty(), f.http(), "ALPN said nothing about HTTP: no request: " + f);
    }
  }

  @Test
  void signatureSchemes_ofAnRsaAndAP521Server_byElimination(@TempDir Path dir) throws Exception {
    try (ExternalServer s = openssl(dir.resolve("rsa"), "-www")) {
      ServerFeatures f = features(s.port, TlsVersion.TLS_1_3);
      assertEquals(List.of("rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384", "rsa_pss_rsae_sha512"),
          f.signatureSchemes().get(TlsVersion.TLS_1_3), f::toString);
      List<String> tls12 = f.signatureSchemes().get(TlsVersion.TLS_1_2);
      assertEquals(true, tls12 != null && tls12.containsAll(List.of("rsa_pss_rsae_sha256", "rsa_pkcs1_sha256",
          "rsa_pkcs1_sha512")) && tls12.stream().allMatch(n -> n.startsWith("rsa_")), f::toString);
    }
    try (ExternalServer s = opensslP521(dir.resolve("p521"))) {
      ServerFeatures f = features(s.port, TlsVersion.TLS_1_3);
      assertEquals(List.of("ecdsa_secp521r1_sha512"), f.signatureSchemes().get(TlsVersion.TLS_1_3), f::toString);
    }
  }

  @Test
  void opensslClientRenegotiationNoTicketsEarlyData_allSeen(@TempDir Path dir) throws Exception {
    try (ExternalServer s = openssl(dir, "-client_renegotiation", "-no_ticket", "-early_data")) {
      ServerFeatures f = features(s.port, TlsVersion.TLS_1_3);
      assertEquals(Optional.of(true), f.clientRenegotiation(), f::toString);
      assertEquals(Optional.of(true), f.secureRenegotiation(), f::toString);
      assertEquals(Optional.of(false), f.sessionTicket(), f::toString);
      assertEquals(Optional.of(true), f.sessionIdResumption(), "-no_ticket keeps the session cache: " + f);
      assertEquals(OptionalLong.of(16384), f.maxEarlyData(), "s_server -early_data's default: " + f);
    }
  }

  @Test
  void gnutlsWithoutSafeRenegotiationAndSessionHash_bothSeenMissing(@TempDir Path dir) throws Exception {
    try (ExternalServer s = gnutls(dir, "NORMAL:%DISABLE_SAFE_RENEGOTIATION:%NO_SESSION_HASH")) {
      ServerFeatures f = features(s.port, TlsVersion.TLS_1_3);
      assertEquals(Optional.of(false), f.secureRenegotiation(), f::toString);
      assertEquals(Optional.of(false), f.extendedMasterSecret(), f::toString);
      assertEquals(Optional.of(true), f.fallbackScsv(), "GnuTLS honours RFC 7507: " + f);
    }
  }

  @Test
  void gnutlsDefaults_safeRenegotiationAndSessionHash(@TempDir Path dir) throws Exception {
    try (ExternalServer s = gnutls(dir, "NORMAL")) {
      ServerFeatures f = features(s.port, TlsVersion.TLS_1_3);
      assertEquals(Optional.of(true), f.secureRenegotiation(), f::toString);
      assertEquals(Optional.of(true), f.extendedMasterSecret(), f::toString);
    }
  }

  @Test
  void bcServerIgnoringFallbackScsv_isSeen_andOneHonouringIt_isNot() {
    for (boolean honour : new boolean[] {false, true}) {
      try (BcTlsServer server = BcTlsServer.builder().certificate(leaf)
          .versions(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2).honourFallbackScsv(honour).start()) {
        ServerFeatures f = features(server.port(), TlsVersion.TLS_1_3);
        assertEquals(Optional.of(honour), f.fallbackScsv(), f::toString);
        assertEquals(Optional.of(TlsVersion.TLS_1_2), f.fallbackVersion(), f::toString);
      }
    }
  }

  @Test
  void scriptedCompressingServer_isSeen() {
    try (FakePeer peer = FakePeer.compressing(0xC02F)) {
      ServerFeatures f = features(peer.port(), TlsVersion.TLS_1_2);
      assertEquals(Optional.of(true), f.compression(), f::toString);
    }
  }

  @Test
  void nginxWithHttp2AndHsts_selectsH2_andSendsTheHeader(@TempDir Path dir) throws Exception {
    try (ExternalServer s = nginx(dir, true, true)) {
      ServerFeatures f = features(s.port, TlsVersion.TLS_1_3);
      assertEquals(Optional.of("h2"), f.alpnSelected(), f::toString);
      assertEquals(Optional.of(new ServerFeatures.HttpHead(200,
          Optional.of("max-age=31536000; includeSubDomains"))), f.http(), f::toString);
    }
  }

  @Test
  void nginxWithoutHttp2OrHsts_selectsHttp11_andSendsNoHeader(@TempDir Path dir) throws Exception {
    try (ExternalServer s = nginx(dir, false, false)) {
      ServerFeatures f = features(s.port, TlsVersion.TLS_1_3);
      assertEquals(Optional.of("http/1.1"), f.alpnSelected(), f::toString);
      assertEquals(Optional.of(new ServerFeatures.HttpHead(200, Optional.empty())), f.http(), f::toString);
    }
  }

  /*
   * openssl s_server -www sleeps a second after refusing a client-initiated renegotiation, and
   * serves one connection at a time: the renegotiation must be the inspection's last connection,
   * after the enumeration and every other feature handshake, so that nothing waits behind it.
   */
  @Test
  void fullInspection_asksForRenegotiationLast_afterEveryOtherConnection(@TempDir Path dir) throws Exception {
    try (ExternalServer s = openssl(dir, "-www")) {
      Ordering probe = new Ordering(new BcProbe());
      dev.tlsinspect.Report report = dev.tlsinspect.TlsInspector.builder().probe(probe)
          .options(dev.tlsinspect.InspectOptions.builder()
              .trust(TrustMaterial.certificates(List.of(root.certificate()))).build())
          .build()
          .inspect(Target.builder("localhost", s.port).connectAddress("127.0.0.1").build());
      List<String> events = probe.events();
      assertEquals("last:start", events.get(events.size() - 2), () -> String.valueOf(events));
      assertEquals("last:end", events.get(events.size() - 1), () -> String.valueOf(events));
      int firstLast = events.indexOf("last:start");
      List<String> before = events.subList(0, firstLast);
      assertEquals(before.stream().filter("probe:start"::equals).count(),
          before.stream().filter("probe:end"::equals).count(),
          () -> "a handshake was still open when the last stage began: " + events);
      org.junit.jupiter.api.Assertions.assertTrue(events.indexOf("features:end") < firstLast, events::toString);
      org.junit.jupiter.api.Assertions.assertTrue(events.stream().filter("probe:end"::equals).count() > 5,
          () -> "the enumeration ran: " + events);
      assertEquals(Optional.of(false), probe.lastResult.clientRenegotiation(),
          () -> "OpenSSL 3 refuses it by default: " + probe.lastResult);
      org.junit.jupiter.api.Assertions.assertFalse(report.findings().stream()
          .anyMatch(f -> f.code().equals(dev.tlsinspect.Code.CLIENT_RENEGOTIATION)), report::toString);
    }
  }

  /** The bc provider, recording the order of its handshakes and feature stages. */
  private static final class Ordering implements dev.tlsinspect.probe.HandshakeProbe,
      dev.tlsinspect.probe.FeatureProbe {
    private final BcProbe delegate;
    private final List<String> events = new ArrayList<>();
    volatile ServerFeatures lastResult;

    Ordering(BcProbe delegate) {
      this.delegate = delegate;
    }

    synchronized List<String> events() {
      return List.copyOf(events);
    }

    private synchronized void event(String e) {
      events.add(e);
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public boolean makesOffers() {
      return delegate.makesOffers();
    }

    @Override
    public dev.tlsinspect.probe.ProbeOutcome probe(ProbeRequest request) {
      event("probe:start");
      try {
        return delegate.probe(request);
      } finally {
        event("probe:end");
      }
    }

    @Override
    public ServerFeatures features(ProbeRequest request, TlsVersion highest) {
      event("features:start");
      try {
        return delegate.features(request, highest);
      } finally {
        event("features:end");
      }
    }

    @Override
    public ServerFeatures lastFeatures(ProbeRequest request, TlsVersion highest, ServerFeatures learned) {
      event("last:start");
      try {
        lastResult = delegate.lastFeatures(request, highest, learned);
        return lastResult;
      } finally {
        event("last:end");
      }
    }
  }
}
