package dev.tlsinspect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tls-inspect serve}'s HTTP answers, over real HTTP to the exporter, which inspects real TLS
 * servers on 127.0.0.1: the allow-list, the metrics of healthy, expired and refused targets parsed
 * back, the cache, the exporter's own metrics, and the configuration's errors.
 */
class ExporterTest {
  @TempDir static Path dir;
  static ExporterFixture fixture;
  /** A loopback server the configuration does not list: the exporter must never connect to it. */
  static TlsServer unlisted;

  @BeforeAll
  static void start() throws IOException {
    fixture = new ExporterFixture(dir, Map.of("allow", "localhost:1"));
    unlisted = TlsServer.builder().certificate(fixture.healthyLeaf).start();
  }

  @AfterAll
  static void stop() {
    fixture.close();
    unlisted.close();
  }

  static String probe(String target) {
    return "/probe?target=" + URLEncoder.encode(target, StandardCharsets.UTF_8);
  }

  @Test
  void refusesAnUnlistedTargetWith403AndNeverConnects() throws Exception {
    for (String path : new String[] {probe(ExporterFixture.target(unlisted)),
        "/report?target=" + ExporterFixture.target(unlisted), probe("localhost:" + unlisted.port())}) {
      ExporterFixture.Response r = fixture.get(path);
      assertEquals(403, r.status(), path);
      assertTrue(r.body().contains("is not allowed"), r.body());
      assertTrue(r.body().contains("allow patterns"), r.body());
    }
    assertEquals(0, unlisted.connections(), "the exporter connected to a target it refused");
    Map<String, Double> own = ExporterFixture.parse(fixture.get("/metrics").body());
    assertTrue(own.getOrDefault("tlsinspect_exporter_probes_total{result=\"refused\"}", 0.0) >= 3, own.toString());
  }

  @Test
  void badRequestsSayWhat() throws Exception {
    assertEquals(400, fixture.get("/probe").status());
    assertEquals(400, fixture.get("/probe?target=" + ExporterFixture.target(fixture.healthy) + "&module=evil").status());
    assertEquals(400, fixture.get("/probe?target=%5B%5D%3A99999").status());
    assertEquals(404, fixture.get("/nope").status());
  }

  @Test
  void healthyTargetMetrics() throws Exception {
    ExporterFixture.Response r = fixture.get(probe(ExporterFixture.target(fixture.healthy)));
    assertEquals(200, r.status(), r.body());
    assertTrue(r.contentType().startsWith("text/plain; version=0.0.4"), r.contentType());
    Map<String, Double> m = ExporterFixture.parse(r.body());
    assertEquals(1.0, m.get("tlsinspect_probe_success"), r.body());
    assertEquals(1.0, m.get("tlsinspect_verdict{verdict=\"PASS\"}"), r.body());
    assertEquals(0.0, m.get("tlsinspect_verdict{verdict=\"FAIL\"}"), r.body());
    assertEquals((double) fixture.healthyLeaf.certificate().getNotAfter().toInstant().getEpochSecond(),
        m.get("tlsinspect_leaf_not_after_timestamp_seconds"));
    assertEquals((double) fixture.healthyLeaf.certificate().getNotAfter().toInstant().getEpochSecond(),
        m.get("tlsinspect_chain_not_after_timestamp_seconds"), "the intermediate expires later than the leaf");
    double days = m.get("tlsinspect_leaf_days_left");
    assertTrue(days > 199 && days <= 200, "days left " + days);
    assertEquals(1.0, m.get("tlsinspect_tls_version_info{version=\"TLSv1.3\"}"), r.body());
    assertEquals(0.0, m.get("tlsinspect_root_causes"));
    assertFalse(r.body().contains("tlsinspect_root_cause{"), r.body());
    assertTrue(m.get("tlsinspect_handshake_seconds") >= 0);
    assertTrue(m.get("tlsinspect_last_checked_timestamp_seconds") > Instant.now().minus(Duration.ofHours(1)).getEpochSecond());
  }

  @Test
  void expiredTargetMetrics() throws Exception {
    ExporterFixture.Response r = fixture.get(probe(ExporterFixture.target(fixture.expired)));
    assertEquals(200, r.status(), r.body());
    Map<String, Double> m = ExporterFixture.parse(r.body());
    assertEquals(0.0, m.get("tlsinspect_probe_success"), r.body());
    assertEquals(1.0, m.get("tlsinspect_verdict{verdict=\"FAIL\"}"), r.body());
    assertEquals(1.0, m.get("tlsinspect_finding{code=\"CERT_EXPIRED\",severity=\"CRITICAL\"}"), r.body());
    assertEquals(1.0, m.get("tlsinspect_root_cause{code=\"CERT_EXPIRED\"}"), r.body());
    assertEquals(1.0, m.get("tlsinspect_root_causes"), r.body());
    assertTrue(m.get("tlsinspect_leaf_days_left") < 0, r.body());
    assertEquals((double) fixture.expiredLeaf.certificate().getNotAfter().toInstant().getEpochSecond(),
        m.get("tlsinspect_leaf_not_after_timestamp_seconds"));
    // Label values are codes and severities only: never a title or a certificate name.
    for (String series : m.keySet()) {
      assertTrue(series.matches("[a-z_]+(\\{([a-z]+=\"[A-Za-z0-9_.]+\",?)+\\})?"), series);
    }
  }

  @Test
  void refusedTargetMetrics() throws Exception {
    ExporterFixture.Response r = fixture.get(probe("127.0.0.1:" + fixture.refusedPort));
    assertEquals(200, r.status(), r.body());
    Map<String, Double> m = ExporterFixture.parse(r.body());
    assertEquals(0.0, m.get("tlsinspect_probe_success"), r.body());
    assertEquals(1.0, m.get("tlsinspect_root_cause{code=\"CONNECTION_REFUSED\"}"), r.body());
    assertNull(m.get("tlsinspect_leaf_not_after_timestamp_seconds"), "no certificate was received");
    assertFalse(r.body().contains("tlsinspect_tls_version_info"), r.body());
  }

  @Test
  void aCachedTargetIsAnsweredWithoutConnecting() throws Exception {
    String target = ExporterFixture.target(fixture.healthy);
    assertEquals(200, fixture.get(probe(target)).status());
    fixture.awaitFirstRound();
    int connections = fixture.healthy.connections();
    double cachedBefore = cached();
    ExporterFixture.Response again = fixture.get(probe(target));
    assertEquals(200, again.status());
    assertEquals(connections, fixture.healthy.connections(), "a cached target was inspected again");
    assertEquals(cachedBefore + 1, cached());
  }

  private static double cached() throws Exception {
    return ExporterFixture.parse(fixture.get("/metrics").body())
        .getOrDefault("tlsinspect_exporter_probes_total{result=\"cached\"}", 0.0);
  }

  @Test
  void ownMetricsComeFromThePrometheusClient() throws Exception {
    fixture.get("/");
    ExporterFixture.Response r = fixture.get("/metrics");
    assertEquals(200, r.status());
    assertTrue(r.body().contains("# TYPE tlsinspect_exporter_requests_total counter"), r.body());
    assertTrue(r.body().contains("# TYPE tlsinspect_exporter_inspection_seconds histogram"), r.body());
    Map<String, Double> m = ExporterFixture.parse(r.body());
    assertTrue(m.get("tlsinspect_exporter_requests_total{path=\"/\",status=\"200\"}") >= 1, r.body());
    assertTrue(m.containsKey("tlsinspect_exporter_queue_depth"), r.body());
  }

  @Test
  void statusPageListsEveryTargetWithItsRootCause() throws Exception {
    fixture.awaitFirstRound();
    ExporterFixture.Response r = fixture.get("/");
    assertEquals(200, r.status());
    for (String t : fixture.targets()) {
      assertTrue(r.body().contains("/report?target=" + URLEncoder.encode(t, StandardCharsets.UTF_8)), t);
    }
    assertTrue(r.body().contains("CERT_EXPIRED"), r.body());
    assertTrue(r.body().contains("CONNECTION_REFUSED"), r.body());
    assertFalse(r.body().contains("<script"), "the hostile subject is shown as text");
  }

  @Test
  void theReportPageEscapesAHostileSubject() throws Exception {
    ExporterFixture.Response r = fixture.get("/report?target=" + ExporterFixture.target(fixture.hostile));
    assertEquals(200, r.status(), r.body());
    assertTrue(r.contentType().startsWith("text/html"), r.contentType());
    assertFalse(r.body().contains("<script"), r.body());
    assertFalse(r.body().contains("<img"), r.body());
    assertTrue(r.body().contains("&lt;script\\&gt;"), r.body());
  }

  @Test
  void allowPatternsLetMatchingHostsThrough() {
    ServeConfig c = ServeConfig.of(java.util.List.of(), java.util.List.of("*.internal.example", "db-*.example.com:5432"));
    assertTrue(c.allows(dev.tlsinspect.Target.parse("a.b.internal.example:443")));
    assertTrue(c.allows(dev.tlsinspect.Target.parse("DB-7.example.com:5432")));
    assertFalse(c.allows(dev.tlsinspect.Target.parse("db-7.example.com:443")));
    assertFalse(c.allows(dev.tlsinspect.Target.parse("internal.example.evil.com:443")));
    assertFalse(c.allows(dev.tlsinspect.Target.parse("127.0.0.1:443")));
  }

  @Test
  void badConfigurationIsOneClearError(@TempDir Path tmp) throws IOException {
    Path f = java.nio.file.Files.writeString(tmp.resolve("serve.properties"), "targets = a:443\nallow = *\n");
    UsageException e = assertThrows(UsageException.class, () -> ServeConfig.load(f));
    assertTrue(e.getMessage().contains("allow: '*'"), e.getMessage());
    java.nio.file.Files.writeString(f, "target = a:443\n");
    e = assertThrows(UsageException.class, () -> ServeConfig.load(f));
    assertTrue(e.getMessage().contains("target: unknown key"), e.getMessage());
    java.nio.file.Files.writeString(f, "listen = example.com:80\n");
    e = assertThrows(UsageException.class, () -> ServeConfig.load(f));
    assertTrue(e.getMessage().contains("an IP address"), e.getMessage());

    MainTest.Run run = MainTest.run("serve", "--config", tmp.resolve("missing.properties").toString());
    assertEquals(3, run.status());
    assertTrue(run.err().startsWith("tls-inspect: --config: no such file"), run.err());
    assertFalse(run.err().contains("Exception"), run.err());
  }

  @Test
  void aRefreshRoundLongerThanTheQueueReachesEveryTarget() throws Exception {
    // One worker and a queue of two: submitted at once, the fourth target would be refused.
    Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("listen", "127.0.0.1:0");
    m.put("targets", String.join(",", fixture.targets()));
    m.put("ca-file", fixture.rootPem.toString());
    m.put("refresh", "1h");
    m.put("workers", "1");
    m.put("queue", "2");
    try (Exporter small = Exporter.start(ServeConfig.parse(m, dir, "test"))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
      long missing;
      do {
        Thread.sleep(50);
        missing = fixture.targets().stream()
            .filter(t -> small.cached(dev.tlsinspect.Target.parse(t)).isEmpty()).count();
      } while (missing > 0 && System.nanoTime() < deadline);
      assertEquals(0, missing, "targets left out of the first round");
    }
  }

  @Test
  void defaultsListenOnLoopback() {
    ServeConfig c = ServeConfig.of(java.util.List.of(), java.util.List.of());
    assertEquals("127.0.0.1", c.listen().getAddress().getHostAddress());
    assertEquals(9219, c.listen().getPort());
  }
}
