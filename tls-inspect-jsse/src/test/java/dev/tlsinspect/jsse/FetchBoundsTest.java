package dev.tlsinspect.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: the opt-in fetches (AIA, OCSP, CRL) stay bounded whatever the certificate lists and
 * whatever the URLs answer: at most 4 URLs of one certificate, 16 per inspection, redirects only to
 * the same scheme, host and port, each inside the inspection's deadline, and every URL not asked is
 * said in the finding's evidence. Loopback HTTP servers only.
 */
class FetchBoundsTest {
  private static final Duration DEADLINE = Duration.ofSeconds(6);
  /** Room for a loaded CI machine; the bound itself is DEADLINE. */
  private static final Duration GRACE = Duration.ofSeconds(2);
  private static IssuedCertificate root;
  private static IssuedCertificate intermediate;

  private final List<HttpServer> servers = new ArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("Fetch Bounds Root").build();
    intermediate = CertificateBuilder.intermediate("Fetch Bounds Intermediate").issuedBy(root).build();
  }

  @AfterEach
  void stop() {
    release.countDown();
    servers.forEach(s -> s.stop(0));
  }

  /** A loopback HTTP server on {@code host} that records "host method path" and runs the handler. */
  private HttpServer server(String host, Handler handler) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(host, 0), 0);
    http.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fetch-bounds-http");
      t.setDaemon(true);
      return t;
    }));
    http.createContext("/", exchange -> {
      requests.add(host + " " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
      try {
        handler.handle(exchange);
      } catch (Exception e) {
        // the client gave up
      } finally {
        exchange.close();
      }
    });
    http.start();
    servers.add(http);
    return http;
  }

  private interface Handler {
    void handle(com.sun.net.httpserver.HttpExchange exchange) throws Exception;
  }

  private static String base(HttpServer http) {
    return "http://" + http.getAddress().getHostString() + ":" + http.getAddress().getPort();
  }

  private static byte[] crlPoints(List<String> urls) throws IOException {
    DistributionPoint[] points = urls.stream().map(u -> new DistributionPoint(new DistributionPointName(
        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, u))), null, null))
        .toArray(DistributionPoint[]::new);
    return new CRLDistPoint(points).getEncoded();
  }

  private Report inspect(IssuedCertificate leaf) {
    InspectOptions options = InspectOptions.builder().trust(TrustMaterial.certificates(List.of(root.certificate())))
        .timeout(DEADLINE).checkRevocationOnline(true).fetchIntermediates(true).quick(true).build();
    try (TlsServer tls = TlsServer.builder().certificateChain(leaf, intermediate.certificate()).start()) {
      TlsInspector inspector = TlsInspector.builder().probe(new JsseProbe()).options(options).build();
      Target t = Target.builder("localhost", tls.port()).connectAddress("127.0.0.1").build();
      long start = System.nanoTime();
      Report report = assertTimeoutPreemptively(DEADLINE.plusSeconds(30), () -> inspector.inspect(t, options));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(took.compareTo(DEADLINE.plus(GRACE)) <= 0, () -> "took " + took.toMillis() + " ms");
      return report;
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> notes(Report report) {
    Finding f = report.findings().stream().filter(x -> x.code().equals(Code.REVOCATION_STATUS_UNKNOWN))
        .findFirst().orElseThrow(() -> new AssertionError("no REVOCATION_STATUS_UNKNOWN in " + report.findings()));
    return (List<String>) f.evidence().get("fetchNotes");
  }

  @Test
  void twoHundredCrlUrls_onlyFourAreAsked_andTheRestIsNoted() throws Exception {
    HttpServer http = server("127.0.0.1", ex -> ex.sendResponseHeaders(404, -1));
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      urls.add(base(http) + "/crl/" + i + ".crl");
    }
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .extension("2.5.29.31", false, crlPoints(urls)).build();
    Report report = inspect(leaf);

    assertEquals(List.of("127.0.0.1 GET /crl/0.crl", "127.0.0.1 GET /crl/1.crl", "127.0.0.1 GET /crl/2.crl",
        "127.0.0.1 GET /crl/3.crl"), requests);
    List<String> notes = notes(report);
    assertTrue(notes.contains("crl 200 URLs in the leaf: only the first 4 are asked, 196 skipped"), notes::toString);
  }

  @Test
  void redirects_onlyToTheSameSchemeHostAndPort() throws Exception {
    HttpServer elsewhere = server("127.0.0.2", ex -> ex.sendResponseHeaders(404, -1));
    HttpServer http = server("127.0.0.1", ex -> {
      String path = ex.getRequestURI().getPath();
      String to = switch (path) {
        case "/other-host.crl" -> base(elsewhere) + "/x.crl";
        case "/https.crl" -> "https://127.0.0.1:" + ex.getLocalAddress().getPort() + "/x.crl";
        case "/same.crl" -> "/moved.crl";
        default -> null;
      };
      if (to == null) {
        ex.sendResponseHeaders(404, -1);
      } else {
        ex.getResponseHeaders().add("Location", to);
        ex.sendResponseHeaders(302, -1);
      }
    });
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .extension("2.5.29.31", false, crlPoints(List.of(base(http) + "/other-host.crl",
            base(http) + "/https.crl", base(http) + "/same.crl"))).build();
    Report report = inspect(leaf);

    assertEquals(List.of("127.0.0.1 GET /other-host.crl", "127.0.0.1 GET /https.crl", "127.0.0.1 GET /same.crl",
        "127.0.0.1 GET /moved.crl"), requests, "nothing reached 127.0.0.2 or https");
    String notes = notes(report).toString();
    assertTrue(notes.contains("refused redirect to " + base(elsewhere) + "/x.crl"), notes);
    assertTrue(notes.contains("refused redirect to https://127.0.0.1:"), notes);
    assertTrue(notes.contains("only the same scheme, host and port are followed"), notes);
  }

  @Test
  void atMostSixteenUrlsPerInspection_redirectHopsIncluded() throws Exception {
    // Four CRL URLs, each redirecting to itself (same origin) for ever: 4 x (1 + 3 hops) = 16
    // requests would be made; the OCSP request before them makes 17, so the last is skipped.
    HttpServer http = server("127.0.0.1", ex -> {
      if (ex.getRequestMethod().equals("POST")) {
        ex.sendResponseHeaders(500, -1);
        return;
      }
      ex.getResponseHeaders().add("Location", ex.getRequestURI().getPath() + "x");
      ex.sendResponseHeaders(302, -1);
    });
    List<String> urls = List.of(base(http) + "/a", base(http) + "/b", base(http) + "/c", base(http) + "/d");
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .ocspUrl(base(http) + "/ocsp").extension("2.5.29.31", false, crlPoints(urls)).build();
    Report report = inspect(leaf);

    assertEquals(16, requests.size(), requests::toString);
    String notes = notes(report).toString();
    assertTrue(notes.contains("skipped, 16 URLs were asked in this inspection already"), notes);
  }

  @Test
  void theFetchClient_andItsThreads_doNotOutliveTheInspection() throws Exception {
    HttpServer http = server("127.0.0.1", ex -> ex.sendResponseHeaders(404, -1));
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .crlUrl(base(http) + "/x.crl").build();
    inspect(leaf);
    assertEquals(List.of("127.0.0.1 GET /x.crl"), requests);
    // On Java 21+ the client is shut down at once; on 17 its selector thread ends once the client
    // is collected. Polled with a generous limit: this is about leaks, not speed.
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<String> left;
    do {
      System.gc();
      Thread.sleep(200);
      left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
          .filter(n -> n.startsWith("tls-inspect-fetch") || (n.startsWith("HttpClient-") && n.endsWith("SelectorManager")))
          .toList();
    } while (!left.isEmpty() && System.nanoTime() < until);
    assertEquals(List.of(), left);
  }

  @Test
  void drippingUrls_stayInsideTheDeadline() throws Exception {
    // Each answer drips one byte every 200 ms and never ends: every fetch is cut at 3 s or at the
    // deadline, whichever comes first, and the inspection still ends by its deadline.
    HttpServer http = server("127.0.0.1", ex -> {
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        for (int i = 0; i < 1000 && release.getCount() > 0; i++) {
          out.write('x');
          out.flush();
          Thread.sleep(200);
        }
      }
    });
    List<String> urls = List.of(base(http) + "/1.crl", base(http) + "/2.crl", base(http) + "/3.crl",
        base(http) + "/4.crl");
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .extension("2.5.29.31", false, crlPoints(urls)).build();
    Report report = inspect(leaf);

    String notes = notes(report).toString();
    assertTrue(notes.contains("no complete answer within"), notes);
    assertTrue(notes.contains("skipped, the inspection's deadline is reached"), notes);
  }
}
