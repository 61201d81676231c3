package dev.tlsinspect.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's {@code prometheus}, {@code /usr/bin/prometheus}) scrapes the exporter
 * through {@code /probe} with the sample configuration's relabelling, for loopback targets, with
 * the sample alert rules (every {@code for:} set to 0s): its HTTP API must show the series and the
 * expired certificate's alerts firing. Prometheus listens on 127.0.0.1 on a free port and keeps its
 * data in a temporary directory. In CI a missing Prometheus fails the test; elsewhere it skips.
 */
class PrometheusExporterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void prometheusScrapesTheExporterAndTheExpiredCertificateAlertFires(@TempDir Path dir) throws Exception {
    Path prometheus = ExporterFixture.requireTool("/usr/bin/prometheus", "prometheus");
    try (ExporterFixture fixture = new ExporterFixture(dir, Map.of())) {
      fixture.awaitFirstRound();
      String exporter = fixture.exporter.address().getAddress().getHostAddress() + ":"
          + fixture.exporter.address().getPort();
      String healthy = ExporterFixture.target(fixture.healthy);
      String expired = ExporterFixture.target(fixture.expired);
      String refused = "127.0.0.1:" + fixture.refusedPort;

      // The samples as documented, with this run's addresses and short intervals.
      String config = resource("prometheus.yml")
          .replace("scrape_interval: 60s", "scrape_interval: 1s")
          .replace("evaluation_interval: 60s", "evaluation_interval: 1s")
          .replace("scrape_timeout: 15s", "scrape_timeout: 1s")
          .replace("- api.example.com:443", "- " + healthy)
          .replace("- mail.example.com:465", "- " + expired + "\n          - " + refused)
          .replace("127.0.0.1:9219", exporter);
      String rules = resource("tls-inspect-rules.yml").replaceAll("for: \\w+", "for: 0s");
      Files.writeString(dir.resolve("prometheus.yml"), config);
      Files.writeString(dir.resolve("tls-inspect-rules.yml"), rules);

      int port = freePort();
      Path log = dir.resolve("prometheus.log");
      Process p = new ProcessBuilder(prometheus.toString(),
          "--config.file=" + dir.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port)
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        String api = "http://127.0.0.1:" + port + "/api/v1/";
        // The series of each target, labelled by instance through the relabelling.
        Map<String, Double> success = await("tlsinspect_probe_success for 3 instances", log, () -> {
          Map<String, Double> m = byInstance(query(api, "tlsinspect_probe_success"));
          return m.size() == 3 ? m : null;
        });
        assertEquals(Map.of(healthy, 1.0, expired, 0.0, refused, 0.0), success);
        Map<String, Double> daysLeft = byInstance(query(api, "tlsinspect_leaf_days_left"));
        assertEquals(2, daysLeft.size(), daysLeft.toString());
        assertEquals(true, daysLeft.get(healthy) > 199, daysLeft.toString());
        assertEquals(true, daysLeft.get(expired) < 0, daysLeft.toString());
        JsonNode rootCause = query(api, "tlsinspect_root_cause{code=\"CERT_EXPIRED\"}");
        assertEquals(1, rootCause.size(), rootCause.toString());
        assertEquals(expired, rootCause.get(0).get("metric").get("instance").asText());
        // The exporter's own job is scraped on its own schedule: its first scrape may come later.
        JsonNode up = await("the exporter's own scrape job", log, () -> {
          JsonNode u = query(api, "up{job=\"tls-inspect-exporter\"}");
          return u.size() > 0 ? u : null;
        });
        assertEquals("1", up.get(0).get("value").get(1).asText(), up.toString());

        // The alerts: the expired certificate fires TlsCertificateExpired and TlsRootCause.
        JsonNode alerts = await("TlsCertificateExpired and TlsRootCause firing", log, () -> {
          JsonNode a = get(api + "alerts").get("data").get("alerts");
          boolean expiredFires = firing(a, x -> x.get("labels").get("alertname").asText().equals("TlsCertificateExpired")
              && x.get("labels").get("instance").asText().equals(expired));
          boolean rootFires = firing(a, x -> x.get("labels").get("alertname").asText().equals("TlsRootCause")
              && x.get("labels").get("code").asText().equals("CERT_EXPIRED"));
          return expiredFires && rootFires ? a : null;
        });
        // The healthy target raises nothing.
        for (JsonNode a : alerts) {
          assertEquals(false, a.get("labels").get("instance").asText().equals(healthy), a.toString());
        }
      } finally {
        p.destroy();
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
        }
      }
    }
  }

  private static boolean firing(JsonNode alerts, Predicate<JsonNode> which) {
    for (JsonNode a : alerts) {
      if (a.get("state").asText().equals("firing") && which.test(a)) {
        return true;
      }
    }
    return false;
  }

  private JsonNode query(String api, String promql) throws IOException, InterruptedException {
    JsonNode r = get(api + "query?query=" + URLEncoder.encode(promql, UTF_8));
    assertEquals("success", r.get("status").asText(), r.toString());
    return r.get("data").get("result");
  }

  private static Map<String, Double> byInstance(JsonNode result) {
    Map<String, Double> out = new HashMap<>();
    for (JsonNode s : result) {
      out.put(s.get("metric").get("instance").asText(), Double.parseDouble(s.get("value").get(1).asText()));
    }
    return out;
  }

  private JsonNode get(String url) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString(UTF_8));
    return JSON.readTree(r.body());
  }

  interface Poll<T> {
    T get() throws Exception;
  }

  /** Polls until the answer is not null; Prometheus's log goes into the failure message. */
  private static <T> T await(String what, Path log, Poll<T> poll) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        T t = poll.get();
        if (t != null) {
          return t;
        }
      } catch (IOException e) {
        last = e; // not listening yet
      }
      Thread.sleep(200);
    }
    String output = Files.exists(log) ? Files.readAllLines(log).stream().skip(Math.max(0, Files.readAllLines(log).size() - 30))
        .collect(Collectors.joining("\n")) : "";
    fail("no " + what + " within 40 s" + (last == null ? "" : " (last error: " + last + ")") + "; Prometheus said:\n" + output);
    return null;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = PrometheusExporterTest.class.getResourceAsStream("/prometheus/" + name)) {
      assertNotNull(in, name);
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

}
