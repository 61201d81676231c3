package dev.tlsinspect.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Loopback targets for the exporter's tests: a healthy server, one with an expired certificate,
 * one whose subject holds markup, and a closed port; the exporter configured with them. Only
 * 127.0.0.1 is ever contacted.
 */
final class ExporterFixture implements AutoCloseable {
  final IssuedCertificate root;
  final IssuedCertificate intermediate;
  final IssuedCertificate healthyLeaf;
  final IssuedCertificate expiredLeaf;
  final TlsServer healthy;
  final TlsServer expired;
  final TlsServer hostile;
  final int refusedPort;
  final Path rootPem;
  final Exporter exporter;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The subject of the hostile server's certificate: markup that must stay text. */
  static final String HOSTILE_SUBJECT =
      "CN=\\<script\\>document.title\\='pwned'\\</script\\>,O=\\\"\\>\\<img src\\=x onerror\\=alert(1)\\>";

  ExporterFixture(Path dir, Map<String, String> extraConfig) throws IOException {
    Instant now = Instant.now();
    root = CertificateBuilder.root("exporter test root")
        .validFrom(now.minus(Duration.ofDays(400))).validUntil(now.plus(Duration.ofDays(1000))).build();
    intermediate = CertificateBuilder.intermediate("exporter test intermediate").issuedBy(root)
        .validFrom(now.minus(Duration.ofDays(400))).validUntil(now.plus(Duration.ofDays(1000))).build();
    healthyLeaf = CertificateBuilder.leaf("127.0.0.1").issuedBy(intermediate)
        .validFrom(now.minus(Duration.ofDays(10))).validUntil(now.plus(Duration.ofDays(200))).build();
    expiredLeaf = CertificateBuilder.leaf("127.0.0.1").issuedBy(intermediate).expired().build();
    IssuedCertificate hostileLeaf = CertificateBuilder.leaf("127.0.0.1").issuedBy(intermediate)
        .subject(HOSTILE_SUBJECT).build();
    healthy = TlsServer.builder().certificateChain(healthyLeaf, intermediate.certificate())
        .protocols("TLSv1.3", "TLSv1.2").start();
    expired = TlsServer.builder().certificateChain(expiredLeaf, intermediate.certificate()).start();
    hostile = TlsServer.builder().certificateChain(hostileLeaf, intermediate.certificate()).start();
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      refusedPort = s.getLocalPort();
    }
    rootPem = Files.writeString(dir.resolve("root.pem"), root.toPem());
    Map<String, String> config = new LinkedHashMap<>();
    config.put("listen", "127.0.0.1:0");
    config.put("targets", String.join(", ", targets()));
    config.put("ca-file", rootPem.toString());
    config.put("refresh", "1h");
    config.put("cache-ttl", "1h");
    config.put("timeout", "5s");
    config.putAll(extraConfig);
    exporter = Exporter.start(ServeConfig.parse(config, dir, "test"));
  }

  List<String> targets() {
    return List.of(target(healthy), target(expired), target(hostile), "127.0.0.1:" + refusedPort);
  }

  static String target(TlsServer s) {
    return "127.0.0.1:" + s.port();
  }

  record Response(int status, String contentType, String body) {}

  Response get(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(exporter.url() + pathAndQuery))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString(UTF_8));
    return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  /** The series of a text exposition: {@code name{labels}} (labels as written) to value. */
  static Map<String, Double> parse(String exposition) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SERIES.matcher(line);
      Assertions.assertTrue(m.matches(), "not a sample line: " + line);
      out.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return out;
  }

  private static final Pattern SERIES = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)");

  /** Blocks until every configured target has a report (the first background round). */
  void awaitFirstRound() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (String t : targets()) {
        all &= exporter.cached(dev.tlsinspect.Target.parse(t)).isPresent();
      }
      if (all) {
        return;
      }
      Thread.sleep(50);
    }
    Assertions.fail("the first background round did not finish in 40 s");
  }

  /**
   * The tool's path, after checking it exists: in CI (CI=true) a missing tool fails the test, on a
   * developer's machine it skips it.
   */
  static Path requireTool(String path, String debianPackage) {
    Path p = Path.of(path);
    if (!Files.isExecutable(p)) {
      String message = path + " is missing: install the Debian package " + debianPackage + " (.ci/run does)";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(message);
      }
      Assumptions.abort(message);
    }
    return p;
  }

  @Override
  public void close() {
    exporter.close();
    healthy.close();
    expired.close();
    hostile.close();
  }
}
