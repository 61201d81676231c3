package dev.tlsinspect.spring.boot.autoconfigure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tlsinspect.testing.TlsServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The startup gate, startup validation naming the property, and a readiness group that is UP. */
class TlsInspectStartupTest {
  @RegisterExtension
  static TlsServerExtension good = TlsServerExtension.withCertificate(Pki.healthyLeaf());
  @RegisterExtension
  static TlsServerExtension expired = TlsServerExtension.withCertificate(Pki.expiredLeaf());

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  private static SpringApplicationBuilder app(WebApplicationType type, String... properties) {
    List<String> all = new ArrayList<>(List.of(
        "server.address=127.0.0.1", "server.port=0",
        "spring.main.banner-mode=off",
        "tls-inspect.budget=5s",
        "tls-inspect.refresh-interval=1h",
        "spring.ssl.bundle.pem.internal.truststore.certificate=" + Pki.ROOT.toPem()));
    all.addAll(List.of(properties));
    return new SpringApplicationBuilder(App.class).web(type).properties(all.toArray(String[]::new));
  }

  @Test
  void failOnStartup_refusesToStart_withOneMessageNamingTheTargetAndCause() {
    RuntimeException e = assertThrows(RuntimeException.class, () -> app(WebApplicationType.NONE,
        "tls-inspect.fail-on-startup=true",
        "tls-inspect.targets[0].name=payments",
        "tls-inspect.targets[0].host=localhost",
        "tls-inspect.targets[0].port=" + expired.port(),
        "tls-inspect.targets[0].trust-bundle=internal").run().close());
    TlsStartupException gate = cause(e, TlsStartupException.class);
    String message = gate.getMessage();
    assertTrue(message.startsWith("tls-inspect.fail-on-startup: 1 of 1 TLS target(s) DOWN"), message);
    assertTrue(message.contains("[payments]"), message);
    assertTrue(message.contains("localhost:" + expired.port() + " DOWN: CERT_EXPIRED"), message);
    FailureAnalysis analysis = new TlsStartupFailureAnalyzer().analyze(e);
    assertEquals(message, analysis.getDescription());
    assertTrue(analysis.getAction().contains("tls-inspect.fail-on-startup=false"), analysis.getAction());
  }

  @Test
  void invalidPort_failsStartup_namingTheProperty() {
    RuntimeException e = assertThrows(RuntimeException.class, () -> app(WebApplicationType.NONE,
        "tls-inspect.targets[0].host=localhost",
        "tls-inspect.targets[1].host=localhost",
        "tls-inspect.targets[1].port=70000").run().close());
    InvalidConfigurationPropertyValueException invalid = cause(e, InvalidConfigurationPropertyValueException.class);
    assertEquals("tls-inspect.targets[1].port", invalid.getName());
    assertEquals(70000, invalid.getValue());
  }

  @Test
  void unknownTrustBundle_failsStartup_namingThePropertyAndTheKnownBundles() {
    RuntimeException e = assertThrows(RuntimeException.class, () -> app(WebApplicationType.NONE,
        "tls-inspect.targets[0].host=localhost",
        "tls-inspect.targets[0].trust-bundle=nosuch").run().close());
    InvalidConfigurationPropertyValueException invalid = cause(e, InvalidConfigurationPropertyValueException.class);
    assertEquals("tls-inspect.targets[0].trust-bundle", invalid.getName());
    assertTrue(invalid.getReason().contains("[internal]"), invalid.getReason());
  }

  @Test
  void healthyTarget_passesTheGate_andTheReadinessGroupIsUpWithTls() throws Exception {
    try (ConfigurableApplicationContext context = app(WebApplicationType.SERVLET,
        "tls-inspect.fail-on-startup=true",
        "tls-inspect.include-in-readiness=true",
        "management.endpoint.health.show-details=always",
        "tls-inspect.targets[0].name=good",
        "tls-inspect.targets[0].host=localhost",
        "tls-inspect.targets[0].port=" + good.port(),
        "tls-inspect.targets[0].trust-bundle=internal").run()) {
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      Http.Response readiness = new Http(port).get("/actuator/health/readiness");
      assertEquals(200, readiness.status(), readiness.body());
      JsonNode tls = readiness.json().path("components").path("tls");
      assertEquals("UP", tls.path("components").path("good").path("status").asText(), readiness.body());
      assertEquals("UP", readiness.json().path("status").asText());
      // The gate's run is the result health shows: one handshake in all (counted by the server
      // once the connection is done, which can be a moment after the client returned).
      assertTrue(good.server().awaitFinishedConnections(good.server().connections(), Duration.ofSeconds(5)));
      assertEquals(1, good.server().handshakes());
    }
  }

  private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    assertNotNull(null, "no " + type.getSimpleName() + " in " + e);
    throw new AssertionError();
  }
}
