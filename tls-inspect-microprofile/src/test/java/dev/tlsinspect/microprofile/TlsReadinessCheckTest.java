package dev.tlsinspect.microprofile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Target;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServerExtension;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import io.smallrye.config.inject.ConfigExtension;
import io.smallrye.health.AsyncHealthCheckFactory;
import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.registry.HealthRegistries;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The readiness check on SmallRye Health in a Weld SE container, configured through SmallRye
 * Config, against real loopback TLS servers.
 */
class TlsReadinessCheckTest {
  static final IssuedCertificate ROOT = CertificateBuilder.root("MicroProfile Root").build();

  @RegisterExtension
  static TlsServerExtension good = TlsServerExtension.withCertificate(
      CertificateBuilder.leaf("localhost").issuedBy(ROOT).crlUrl("http://127.0.0.1:9/ca.crl").build());
  @RegisterExtension
  static TlsServerExtension expired = TlsServerExtension.withCertificate(
      CertificateBuilder.leaf("localhost").issuedBy(ROOT).expired().build());

  /** The application's trust: a bean the check picks up. */
  @Dependent
  static class Trust {
    @Produces
    InspectOptions options() {
      TrustMaterial trust = TrustMaterial.certificates(List.of(ROOT.certificate()));
      return InspectOptions.builder().trust(trust).referenceTrust(trust).build();
    }
  }

  /** Boots a container with the given properties, runs the body, shuts everything down. */
  private static void withContainer(Map<String, String> properties, Consumer<WeldContainer> body) {
    SmallRyeConfig config = new SmallRyeConfigBuilder()
        .withSources(new MapBackedConfigSource("test", properties, 500) {})
        .addDefaultInterceptors()
        .build();
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    ConfigProviderResolver.instance().registerConfig(config, loader);
    try {
      Weld weld = new Weld("tls-inspect-" + UUID.randomUUID())
          .disableDiscovery()
          .addExtensions(new ConfigExtension())
          .addBeanClasses(TlsReadinessCheck.class, SmallRyeHealthReporter.class, AsyncHealthCheckFactory.class,
              HealthRegistries.class, Trust.class);
      try (WeldContainer container = weld.initialize()) {
        body.accept(container);
      }
    } finally {
      ConfigProviderResolver.instance().releaseConfig(config);
    }
  }

  private static void awaitFirstResult(WeldContainer container) {
    TlsReadinessCheck check = container.select(TlsReadinessCheck.class, Readiness.Literal.INSTANCE).get();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (check.lastResult().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no result within 20 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** The readiness payload as the HTTP endpoint writes it, parsed back; the "tls" check. */
  private static JsonObject readinessCheck(WeldContainer container) {
    SmallRyeHealthReporter reporter = container.select(SmallRyeHealthReporter.class).get();
    SmallRyeHealth health = reporter.getReadiness();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    reporter.reportHealth(out, health);
    JsonObject payload;
    try (JsonReader reader = Json.createReader(
        new StringReader(out.toString(StandardCharsets.UTF_8)))) {
      payload = reader.readObject();
    }
    assertEquals(health.isDown() ? "DOWN" : "UP", payload.getString("status"));
    JsonObject check = payload.getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("name").equals(TlsReadinessCheck.NAME)).findFirst()
        .orElseThrow(() -> new AssertionError("no tls check in " + payload));
    assertEquals(payload.getString("status"), check.getString("status"), payload.toString());
    return check;
  }

  private static Map<String, String> targeting(Target target) {
    return Map.of("tls-inspect.targets", target.toString(), "tls-inspect.budget", "5s",
        "tls-inspect.refresh-interval", "1h");
  }

  @Test
  void healthyServer_isUp_andReadinessCallsStartNoHandshake() {
    withContainer(targeting(good.target()), container -> {
      awaitFirstResult(container);
      String t = good.target().toString();
      int connections = good.server().connections();
      JsonObject check = null;
      for (int i = 0; i < 25; i++) {
        check = readinessCheck(container);
      }
      assertEquals(connections, good.server().connections(),
          "a readiness call must not connect to the target");
      assertEquals("UP", check.getString("status"), check.toString());
      JsonObject data = check.getJsonObject("data");
      assertEquals("UP", data.getString(t + ".status"), data.toString());
      assertEquals("PASS", data.getString(t + ".verdict"), data.toString());
      assertTrue(data.getJsonNumber(t + ".daysToExpiry").longValue() > 30, data.toString());
      assertTrue(data.containsKey(t + ".version"), data.toString());
      assertFalse(data.containsKey(t + ".rootCause"), data.toString());
    });
  }

  @Test
  void expiredCertificate_isDown_namingCertExpired() {
    withContainer(targeting(expired.target()), container -> {
      awaitFirstResult(container);
      JsonObject check = readinessCheck(container);
      String t = expired.target().toString();
      assertEquals("DOWN", check.getString("status"), check.toString());
      JsonObject data = check.getJsonObject("data");
      assertEquals("DOWN", data.getString(t + ".status"), data.toString());
      assertEquals("CERT_EXPIRED", data.getString(t + ".rootCause"), data.toString());
      assertTrue(data.getJsonNumber(t + ".daysToExpiry").longValue() < 0, data.toString());
    });
  }

  @Test
  void closedPort_isDown_connectionRefused() {
    Target closed = Target.parse("127.0.0.1:" + closedPort());
    withContainer(targeting(closed), container -> {
      awaitFirstResult(container);
      JsonObject check = readinessCheck(container);
      assertEquals("DOWN", check.getString("status"), check.toString());
      assertEquals("CONNECTION_REFUSED",
          check.getJsonObject("data").getString(closed + ".rootCause"), check.toString());
    });
  }

  @Test
  void beforeTheFirstResult_readinessIsDownAndPending() throws IOException {
    // A loopback listener that never answers: the first inspection waits out its budget.
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Target target = Target.parse("127.0.0.1:" + silent.getLocalPort());
      withContainer(Map.of("tls-inspect.targets", target.toString(), "tls-inspect.budget", "3s",
          "tls-inspect.refresh-interval", "1h"), container -> {
        JsonObject check = readinessCheck(container);
        assertEquals("DOWN", check.getString("status"), check.toString());
        assertTrue(check.getJsonObject("data").getBoolean("pending"), check.toString());
      });
    }
  }

  @Test
  void disabled_isUp_andInspectsNothing() {
    int connections = good.server().connections();
    withContainer(Map.of("tls-inspect.enabled", "false",
        "tls-inspect.targets", good.target().toString()), container -> {
      JsonObject check = readinessCheck(container);
      assertEquals("UP", check.getString("status"), check.toString());
      assertFalse(check.getJsonObject("data").getBoolean("enabled"), check.toString());
    });
    assertEquals(connections, good.server().connections());
  }

  @Test
  void invalidTarget_failsStartup_namingTheProperty() {
    RuntimeException e = assertThrows(RuntimeException.class, () ->
        withContainer(Map.of("tls-inspect.targets", ":x"), container -> { }));
    assertTrue(messages(e).contains("tls-inspect.targets: invalid target ':x'"), messages(e));
  }

  @Test
  void invalidDuration_failsStartup_namingTheProperty() {
    RuntimeException e = assertThrows(RuntimeException.class, () ->
        withContainer(Map.of("tls-inspect.targets", good.target().toString(),
            "tls-inspect.refresh-interval", "soon"), container -> { }));
    assertTrue(messages(e).contains("tls-inspect.refresh-interval: expected a duration"),
        messages(e));
  }

  @Test
  void missingTargets_failStartup_namingTheProperty() {
    RuntimeException e = assertThrows(RuntimeException.class, () ->
        withContainer(Map.of(), container -> { }));
    assertTrue(messages(e).contains("tls-inspect.targets: at least one target is required"),
        messages(e));
  }

  private static String messages(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t.getMessage()).append('\n');
    }
    return sb.toString();
  }

  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
