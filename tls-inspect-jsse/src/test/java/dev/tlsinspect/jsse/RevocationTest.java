package dev.tlsinspect.jsse;

import static dev.tlsinspect.testing.ReportAssert.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.Fetched;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation against real servers on loopback: a stapled OCSP response from {@code openssl
 * s_server}, and the opt-in AIA, OCSP and CRL fetches from a loopback HTTP server.
 */
class RevocationTest {
  private static IssuedCertificate root;
  private static IssuedCertificate intermediate;
  private static final Duration GUARD = Duration.ofSeconds(30); // hang guard only

  private HttpServer http;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("Revocation Test Root").build();
    intermediate = CertificateBuilder.intermediate("Revocation Test Intermediate").issuedBy(root).build();
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (http != null) {
      http.stop(0);
    }
  }

  private static InspectOptions.Builder options() {
    return InspectOptions.builder()
        .trust(TrustMaterial.certificates(List.of(root.certificate())))
        .timeout(Duration.ofSeconds(10));
  }

  private static Report inspect(int port, InspectOptions options, Check... extra) {
    TlsInspector.Builder b = TlsInspector.builder().probe(new JsseProbe()).options(options);
    for (Check c : extra) {
      b.addCheck(c);
    }
    TlsInspector inspector = b.build();
    Target t = Target.builder("localhost", port).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(GUARD, () -> inspector.inspect(t, options));
  }

  /** A loopback HTTP server; each handler records its request line. */
  private String serve(String path, Handler handler) throws IOException {
    if (http == null) {
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      http.setExecutor(Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "revocation-test-http");
        t.setDaemon(true);
        return t;
      }));
      http.start();
    }
    http.createContext(path, exchange -> {
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
      try {
        handler.handle(exchange);
      } catch (Exception e) {
        exchange.sendResponseHeaders(500, -1);
      } finally {
        exchange.close();
      }
    });
    return "http://127.0.0.1:" + http.getAddress().getPort() + path;
  }

  private interface Handler {
    void handle(HttpExchange exchange) throws Exception;
  }

  private static void send(HttpExchange exchange, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] ocspResponse(X509Certificate leaf, CertificateStatus status) throws Exception {
    CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
        .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(intermediate.certificate()),
        leaf.getSerialNumber());
    BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(
        new JcaX509CertificateHolder(intermediate.certificate()).getSubject()));
    Instant now = Instant.now();
    b.addResponse(id, status, Date.from(now.minusSeconds(60)), Date.from(now.plus(1, ChronoUnit.DAYS)));
    return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL,
        b.build(new JcaContentSignerBuilder("SHA256withRSA").build(intermediate.privateKey()), null,
            Date.from(now))).getEncoded();
  }

  private static RevokedStatus revokedYesterday() {
    return new RevokedStatus(Date.from(Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)),
        CRLReason.keyCompromise);
  }

  private static TlsServer tls(IssuedCertificate leaf) {
    return TlsServer.builder().certificateChain(leaf, intermediate.certificate()).start();
  }

  // (a) -------------------------------------------------------------------------------------

  @Test
  void stapledRevokedResponse_fromOpenssl_isCertRevoked(@TempDir Path dir) throws Exception {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .ocspUrl("http://127.0.0.1:9/ocsp").build();
    Files.writeString(dir.resolve("leaf.pem"), leaf.toPem());
    Files.writeString(dir.resolve("key.pem"), leaf.privateKeyPem());
    Files.writeString(dir.resolve("chain.pem"), IssuedCertificate.pem(intermediate.certificate()));
    Files.write(dir.resolve("ocsp.der"), ocspResponse(leaf.certificate(), revokedYesterday()));
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Process openssl = startOpenssl(dir, port);
    try {
      awaitListening(openssl, port);
      Report report = inspect(port, options().build());
      Finding revoked = only(report, Code.CERT_REVOKED);
      assertEquals(Severity.CRITICAL, revoked.severity());
      assertEquals("stapled", revoked.evidence().get("source"));
      assertEquals("keyCompromise", revoked.evidence().get("reason"));
      assertEquals(intermediate.certificate().getSubjectX500Principal().getName(),
          revoked.evidence().get("responder"));
      assertFalse(revoked.rootCause(), "the JSSE probe itself does not check revocation");
      assertFalse(report.hasFinding(Code.OCSP_STAPLING_MISSING), report::summary);
      assertEquals(1, report.outcomes().get(0).observation().orElseThrow().stapledOcsp().size(),
          "the JSSE client sends status_request and receives the staple");
    } finally {
      openssl.destroy();
      if (!openssl.waitFor(10, TimeUnit.SECONDS)) {
        openssl.destroyForcibly();
      }
    }
  }

  private static Process startOpenssl(Path dir, int port) throws IOException {
    List<String> command = List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port,
        "-cert", "leaf.pem", "-key", "key.pem", "-cert_chain", "chain.pem",
        "-status_file", "ocsp.der", "-www", "-quiet");
    try {
      return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("openssl.log").toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("this test needs the openssl command line tool (OpenSSL 3) on the "
          + "PATH to serve a stapled OCSP response; install it (apt-get install openssl); .ci/run "
          + "does: " + e.getMessage(), e);
    }
  }

  private static void awaitListening(Process openssl, int port) throws Exception {
    assertTimeoutPreemptively(GUARD, () -> {
      while (true) {
        if (!openssl.isAlive()) {
          fail("openssl s_server exited with " + openssl.exitValue());
        }
        try {
          new Socket("127.0.0.1", port).close();
          return;
        } catch (IOException notYet) {
          Thread.sleep(50);
        }
      }
    });
  }

  // (b) -------------------------------------------------------------------------------------

  /** Sees what the inspection fetched. */
  private static final class FetchedProbe implements Check {
    final AtomicReference<Fetched> seen = new AtomicReference<>();

    @Override
    public String id() {
      return "test-fetched";
    }

    @Override
    public List<Finding> evaluate(dev.tlsinspect.check.CheckContext ctx) {
      seen.set(ctx.fetched());
      return List.of();
    }
  }

  @Test
  void aiaIntermediate_isFetchedOnlyWhenAsked() throws Exception {
    String url = serve("/ca.der", ex -> send(ex, "application/pkix-cert",
        intermediate.certificate().getEncoded()));
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .caIssuersUrl(url).crlUrl("http://127.0.0.1:9/ca.crl").build();
    try (TlsServer server = TlsServer.builder().certificateChain(leaf).start()) {
      FetchedProbe off = new FetchedProbe();
      inspect(server.port(), options().build(), off);
      assertEquals(Fetched.none(), off.seen.get());
      assertEquals(List.of(), requests, "nothing is fetched unless asked");

      FetchedProbe on = new FetchedProbe();
      Report report = inspect(server.port(), options().fetchIntermediates(true).build(), on);
      assertEquals(List.of(intermediate.certificate()), on.seen.get().intermediates());
      assertEquals(List.of(), on.seen.get().notes());
      assertEquals(List.of("GET /ca.der"), requests);
      assertTrue(report.hasFinding(Code.CHAIN_INCOMPLETE), report::summary);
    }
  }

  @Test
  void aiaIntermediate_asPemAndPkcs7_isRead() throws Exception {
    byte[] pem = IssuedCertificate.pem(intermediate.certificate()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] p7 = java.security.cert.CertificateFactory.getInstance("X.509")
        .generateCertPath(List.of(intermediate.certificate())).getEncoded("PKCS7");
    for (byte[] body : List.of(pem, p7)) {
      requests.clear();
      String url = serve("/ca-" + body.length, ex -> send(ex, "application/octet-stream", body));
      IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
          .caIssuersUrl(url).crlUrl("http://127.0.0.1:9/ca.crl").build();
      try (TlsServer server = TlsServer.builder().certificateChain(leaf).start()) {
        FetchedProbe on = new FetchedProbe();
        inspect(server.port(), options().fetchIntermediates(true).build(), on);
        assertEquals(List.of(intermediate.certificate()), on.seen.get().intermediates());
      }
    }
  }

  // (c) -------------------------------------------------------------------------------------

  @Test
  void onlineOcsp_revoked_isCertRevoked_sourceOcsp_andOffByDefault() throws Exception {
    AtomicReference<X509Certificate> leafRef = new AtomicReference<>();
    List<BigInteger> askedSerials = new CopyOnWriteArrayList<>();
    String url = serve("/ocsp", ex -> {
      OCSPReq req = new OCSPReq(ex.getRequestBody().readAllBytes());
      askedSerials.add(req.getRequestList()[0].getCertID().getSerialNumber());
      send(ex, "application/ocsp-response", ocspResponse(leafRef.get(), revokedYesterday()));
    });
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).ocspUrl(url).build();
    leafRef.set(leaf.certificate());
    try (TlsServer server = tls(leaf)) {
      Report off = inspect(server.port(), options().build());
      assertEquals(List.of(), requests, "no OCSP request unless asked");
      assertFalse(off.hasFinding(Code.CERT_REVOKED));
      Finding missing = only(off, Code.OCSP_STAPLING_MISSING);
      assertEquals(Severity.INFO, missing.severity());
      assertEquals(url, missing.evidence().get("ocspUrl"));

      Report on = inspect(server.port(), options().checkRevocationOnline(true).build());
      Finding revoked = only(on, Code.CERT_REVOKED);
      assertEquals("ocsp", revoked.evidence().get("source"));
      assertEquals("keyCompromise", revoked.evidence().get("reason"));
      assertTrue(revoked.evidence().containsKey("producedAt"));
      assertEquals(List.of("POST /ocsp"), requests);
      assertEquals(List.of(leaf.certificate().getSerialNumber()), askedSerials);
    }
  }

  // (d) -------------------------------------------------------------------------------------

  @Test
  void crlDownload_withRevokedSerial_isCertRevoked_sourceCrl() throws Exception {
    AtomicReference<byte[]> crl = new AtomicReference<>();
    String url = serve("/ca.crl", ex -> send(ex, "application/pkix-crl", crl.get()));
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).crlUrl(url).build();
    Instant now = Instant.now();
    X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(
        intermediate.certificate().getSubjectX500Principal().getEncoded()), Date.from(now.minusSeconds(60)));
    b.setNextUpdate(Date.from(now.plus(1, ChronoUnit.DAYS)));
    b.addCRLEntry(leaf.certificate().getSerialNumber(), Date.from(now.minus(1, ChronoUnit.HOURS)),
        CRLReason.superseded);
    b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(7)));
    crl.set(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(intermediate.privateKey())).getEncoded());
    try (TlsServer server = tls(leaf)) {
      Report report = inspect(server.port(), options().checkRevocationOnline(true).build());
      Finding revoked = only(report, Code.CERT_REVOKED);
      assertEquals("crl", revoked.evidence().get("source"));
      assertEquals("superseded", revoked.evidence().get("reason"));
      assertEquals(List.of("GET /ca.crl"), requests);
      assertFalse(report.hasFinding(Code.REVOCATION_INFO_MISSING));
    }
  }

  // (e) -------------------------------------------------------------------------------------

  @Test
  void nonHttpUrls_areRefusedWithoutIo_andNoted() throws Exception {
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress("127.0.0.1", 0));
      listener.configureBlocking(false);
      int port = listener.socket().getLocalPort();
      IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
          .ocspUrl("file:///etc/passwd").crlUrl("ldap://127.0.0.1:" + port + "/cn=crl")
          .caIssuersUrl("ftp://127.0.0.1:" + port + "/ca.der").build();
      try (TlsServer server = TlsServer.builder().certificateChain(leaf).start()) {
        Report report = inspect(server.port(),
            options().checkRevocationOnline(true).fetchIntermediates(true).build());
        Finding unknown = only(report, Code.REVOCATION_STATUS_UNKNOWN);
        assertEquals(Severity.LOW, unknown.severity());
        @SuppressWarnings("unchecked")
        List<String> notes = (List<String>) unknown.evidence().get("fetchNotes");
        assertTrue(notes.stream().anyMatch(n -> n.contains("ldap://") && n.contains("refused")), notes::toString);
        Finding chain = only(report, Code.CHAIN_INCOMPLETE);
        assertTrue(String.valueOf(chain.evidence().get("fetchNotes")).contains("refused: scheme 'ftp'"),
            chain.evidence()::toString);
        assertNull(listener.accept(), "nothing connected to the ldap:// or ftp:// address");
      }
    }
  }

  // (f) -------------------------------------------------------------------------------------

  @Test
  void slowResponder_isBounded_andNoted() throws Exception {
    AtomicInteger started = new AtomicInteger();
    String url = serve("/slow.crl", ex -> {
      started.incrementAndGet();
      release.await(); // never answers while the test runs
    });
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).crlUrl(url).build();
    try (TlsServer server = tls(leaf)) {
      Report report = inspect(server.port(), options().checkRevocationOnline(true).build());
      Finding unknown = only(report, Code.REVOCATION_STATUS_UNKNOWN);
      assertTrue(String.valueOf(unknown.evidence().get("fetchNotes")).contains("no complete answer within"),
          unknown.evidence()::toString);
      assertEquals(1, started.get());
    }
  }

  @Test
  void fiveMegabyteBodies_areCutAt1MB_withAndWithoutLength() throws Exception {
    byte[] big = new byte[5 << 20];
    String sized = serve("/big.crl", ex -> send(ex, "application/pkix-crl", big));
    String chunked = serve("/chunked.crl", ex -> {
      ex.sendResponseHeaders(200, 0); // chunked, no length announced
      try (OutputStream out = ex.getResponseBody()) {
        for (int i = 0; i < 80; i++) {
          out.write(big, 0, 64 << 10);
        }
      } catch (IOException clientGaveUp) {
        // expected: the fetcher stops reading at 1 MB
      }
    });
    for (String url : List.of(sized, chunked)) {
      IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).crlUrl(url).build();
      try (TlsServer server = tls(leaf)) {
        Report report = inspect(server.port(), options().checkRevocationOnline(true).build());
        Finding unknown = only(report, Code.REVOCATION_STATUS_UNKNOWN);
        assertTrue(String.valueOf(unknown.evidence().get("fetchNotes")).contains("larger than 1048576 bytes"),
            unknown.evidence()::toString);
      }
    }
  }

  // (g) -------------------------------------------------------------------------------------

  @Test
  void revocationInfoMissing_onlyForLeavesWithoutUrls() {
    IssuedCertificate bare = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    try (TlsServer server = tls(bare)) {
      Report report = inspect(server.port(), options()
          .referenceTrust(TrustMaterial.certificates(List.of(root.certificate()))).build());
      Finding missing = only(report, Code.REVOCATION_INFO_MISSING);
      assertEquals(Severity.LOW, missing.severity(), "LOW under a public (reference) root");
      Report privately = inspect(server.port(), options().build());
      assertEquals(Severity.INFO, only(privately, Code.REVOCATION_INFO_MISSING).severity(),
          "INFO under a private root");
      assertEquals(Verdict.PASS, privately.verdict(), privately::summary);
      assertFalse(report.hasFinding(Code.OCSP_STAPLING_MISSING));
    }
    IssuedCertificate withOcsp = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .ocspUrl("http://127.0.0.1:9/ocsp").build();
    try (TlsServer server = tls(withOcsp)) {
      Report report = inspect(server.port(), options().build());
      assertFalse(report.hasFinding(Code.REVOCATION_INFO_MISSING));
      assertEquals(Severity.INFO, only(report, Code.OCSP_STAPLING_MISSING).severity());
      assertEquals(dev.tlsinspect.Verdict.PASS, report.verdict(), report::summary);
    }
    IssuedCertificate selfSigned = CertificateBuilder.leaf("localhost").build();
    try (TlsServer server = TlsServer.builder().certificate(selfSigned).start()) {
      Report report = inspect(server.port(), options()
          .trust(TrustMaterial.certificates(List.of(selfSigned.certificate()))).build());
      assertFalse(report.hasFinding(Code.REVOCATION_INFO_MISSING), report::summary);
    }
  }
}
