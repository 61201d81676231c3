package dev.tlsinspect.spring.boot.autoconfigure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter as an application sees it: a real embedded server on a random loopback port, real
 * HTTP calls to the actuator, three loopback targets (healthy, expired certificate, closed port)
 * trusted through an SSL bundle, and SSL bundles of its own to check.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "server.address=127.0.0.1",
    "management.endpoint.health.show-details=always",
    "management.endpoint.health.probes.enabled=true",
    "management.endpoints.web.exposure.include=health,metrics,tls",
    "tls-inspect.include-in-readiness=true",
    "tls-inspect.budget=5s",
    // The scheduled run at startup is the only one during the test.
    "tls-inspect.refresh-interval=1h"})
class TlsInspectApplicationTest {
  @RegisterExtension
  static TlsServerExtension good = TlsServerExtension.withCertificate(Pki.healthyLeaf());
  @RegisterExtension
  static TlsServerExtension expired = TlsServerExtension.withCertificate(Pki.expiredLeaf());
  static final int CLOSED = Pki.closedPort();

  static final IssuedCertificate EXPIRED_KEY = CertificateBuilder.leaf("client.test").issuedBy(Pki.ROOT).expired().build();
  static final IssuedCertificate MISMATCHED = Pki.healthyLeaf();
  // Same key algorithm as the certificate's, another key: only the signature test tells them apart.
  static final IssuedCertificate OTHER = Pki.leafWithOwnKey("other.test", MISMATCHED.publicKey().getAlgorithm());

  @DynamicPropertySource
  static void targets(DynamicPropertyRegistry registry) {
    registry.add("tls-inspect.targets[0].name", () -> "good");
    registry.add("tls-inspect.targets[0].host", () -> "localhost");
    registry.add("tls-inspect.targets[0].port", good::port);
    registry.add("tls-inspect.targets[0].trust-bundle", () -> "internal");
    registry.add("tls-inspect.targets[1].name", () -> "expired");
    registry.add("tls-inspect.targets[1].host", () -> "localhost");
    registry.add("tls-inspect.targets[1].port", expired::port);
    registry.add("tls-inspect.targets[1].trust-bundle", () -> "internal");
    registry.add("tls-inspect.targets[2].name", () -> "closed");
    registry.add("tls-inspect.targets[2].host", () -> "localhost");
    registry.add("tls-inspect.targets[2].port", () -> CLOSED);
    registry.add("tls-inspect.targets[2].trust-bundle", () -> "internal");
    // The application's own bundles: a trust store, an expired client certificate, and a
    // certificate with another certificate's private key.
    registry.add("spring.ssl.bundle.pem.internal.truststore.certificate", Pki.ROOT::toPem);
    registry.add("spring.ssl.bundle.pem.expiredclient.keystore.certificate", EXPIRED_KEY::toPem);
    registry.add("spring.ssl.bundle.pem.expiredclient.keystore.private-key", EXPIRED_KEY::privateKeyPem);
    registry.add("spring.ssl.bundle.pem.mismatched.keystore.certificate", MISMATCHED::toPem);
    registry.add("spring.ssl.bundle.pem.mismatched.keystore.private-key", OTHER::privateKeyPem);
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    /** The application's failure capture, as an application would declare it. */
    @org.springframework.context.annotation.Bean
    dev.tlsinspect.TlsDiagnostics tlsDiagnostics() {
      return dev.tlsinspect.TlsDiagnostics.create();
    }
  }

  @org.springframework.beans.factory.annotation.Autowired
  dev.tlsinspect.TlsDiagnostics diagnostics;

  @LocalServerPort
  int port;

  @Test
  void health_upForGood_outOfServiceForExpired_downForClosed_withNestedDetails() throws Exception {
    Http.Response response = new Http(port).get("/actuator/health");
    assertEquals(503, response.status(), response.body());
    JsonNode tls = response.json().path("components").path("tls");
    assertEquals("DOWN", tls.path("status").asText(), response.body());
    JsonNode targets = tls.path("components");

    JsonNode ok = targets.path("good");
    assertEquals("UP", ok.path("status").asText(), ok.toString());
    assertEquals("UP", ok.path("details").path("tlsStatus").asText());
    assertEquals("TLSv1.3", ok.path("details").path("version").asText());
    assertEquals(89, ok.path("details").path("daysToExpiry").asLong());
    assertEquals("localhost:" + good.port(), ok.path("details").path("target").asText());
    assertTrue(ok.path("details").path("codes").isArray(), ok.toString());

    JsonNode bad = targets.path("expired");
    assertEquals("OUT_OF_SERVICE", bad.path("status").asText(), bad.toString());
    assertEquals("CERT_EXPIRED", bad.path("details").path("cause").path("code").asText(), bad.toString());
    assertFalse(bad.path("details").path("cause").path("remediation").asText().isEmpty());

    JsonNode closed = targets.path("closed");
    assertEquals("DOWN", closed.path("status").asText(), closed.toString());
    assertEquals("CONNECTION_REFUSED", closed.path("details").path("cause").path("code").asText(),
        closed.toString());
    assertTrue(closed.path("details").path("version").isMissingNode(), closed.toString());
  }

  @Test
  void sslBundles_expiredCertificateAndForeignKey_areOutOfService() throws Exception {
    JsonNode bundles = new Http(port).get("/actuator/health/tls/ssl-bundles").json();
    JsonNode components = bundles.path("components");
    assertEquals("UP", components.path("internal").path("status").asText(), bundles.toString());
    assertEquals(1, components.path("internal").path("details").path("trustStore").path("anchors").asInt());

    JsonNode expiredClient = components.path("expiredclient");
    assertEquals("OUT_OF_SERVICE", expiredClient.path("status").asText(), bundles.toString());
    JsonNode key = expiredClient.path("details").path("keyStore").elements().next();
    assertEquals("EXPIRED", key.path("validity").asText(), key.toString());
    assertTrue(key.path("keyMatchesCertificate").asBoolean(), key.toString());

    JsonNode mismatched = components.path("mismatched");
    assertEquals("OUT_OF_SERVICE", mismatched.path("status").asText(), bundles.toString());
    JsonNode entry = mismatched.path("details").path("keyStore").elements().next();
    assertEquals("VALID", entry.path("validity").asText(), entry.toString());
    assertFalse(entry.path("keyMatchesCertificate").asBoolean(true), entry.toString());
  }

  @Test
  void readinessGroup_includesTls_andFollowsIt() throws Exception {
    Http.Response response = new Http(port).get("/actuator/health/readiness");
    assertEquals(503, response.status(), response.body());
    assertEquals("DOWN", response.json().path("status").asText(), response.body());
    JsonNode components = response.json().path("components");
    assertEquals("UP", components.path("readinessState").path("status").asText(), response.body());
    assertEquals("DOWN", components.path("tls").path("status").asText(), response.body());
    // Liveness is not affected: a broken dependency must not get the pod restarted.
    Http.Response liveness = new Http(port).get("/actuator/health/liveness");
    assertEquals(200, liveness.status(), liveness.body());
    assertTrue(liveness.json().path("components").path("tls").isMissingNode(), liveness.body());
  }

  @Test
  void tlsEndpoint_listsEachTargetsLastReport_inTheClisJsonShape() throws Exception {
    Http http = new Http(port);
    http.get("/actuator/health"); // the first results exist
    Http.Response response = http.get("/actuator/tls");
    assertEquals(200, response.status(), response.body());
    JsonNode ok = response.json().path("good");
    assertEquals("PASS", ok.path("verdict").asText(), ok.toString());
    assertEquals("localhost", ok.path("target").path("host").asText());
    assertEquals(good.port(), ok.path("target").path("port").asInt());
    JsonNode bad = response.json().path("expired");
    assertEquals("FAIL", bad.path("verdict").asText());
    List<String> codes = new ArrayList<>();
    bad.path("findings").forEach(f -> codes.add(f.path("code").asText()));
    assertTrue(codes.contains("CERT_EXPIRED"), codes.toString());
    assertEquals("CRITICAL", bad.path("findings").get(codes.indexOf("CERT_EXPIRED")).path("severity").asText());
    assertFalse(bad.path("certificateChain").isEmpty(), bad.toString());

    Http.Response one = http.get("/actuator/tls/closed");
    assertEquals(200, one.status(), one.body());
    assertEquals("FAIL", one.json().path("verdict").asText());
    assertEquals(404, http.get("/actuator/tls/nosuchtarget").status());
  }

  @Test
  void endpoint_listsTheApplicationsCapturedFailures() throws Exception {
    // The application's own client, through the wrapped context, fails for real against the
    // expired server (the JVM's default trust does not know the test root either).
    javax.net.ssl.SSLContext wrapped = diagnostics.wrap(javax.net.ssl.SSLContext.getDefault());
    try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) wrapped.getSocketFactory()
        .createSocket("127.0.0.1", expired.port())) {
      socket.setSoTimeout(5000);
      org.junit.jupiter.api.Assertions.assertThrows(javax.net.ssl.SSLHandshakeException.class,
          socket::startHandshake);
    }
    Http.Response response = new Http(port).get("/actuator/tls/captured-failures");
    assertEquals(200, response.status(), response.body());
    assertTrue(response.json().path("stats").path("failures").asLong() >= 1, response.body());
    JsonNode failures = response.json().path("failures");
    assertTrue(failures.isArray() && failures.size() >= 1, response.body());
    JsonNode last = failures.get(failures.size() - 1);
    assertEquals(expired.port(), last.path("port").asInt(), last.toString());
    assertFalse(last.path("summary").asText().isEmpty(), last.toString());
  }

  @Test
  void metrics_readTheLastResult_andAScrapeStartsNoHandshake() throws Exception {
    Http http = new Http(port);
    http.get("/actuator/health"); // the first results exist
    // The server counts a handshake when it has read the client's Finished, possibly a moment
    // after the client returned: let every accepted connection finish before counting.
    for (TlsServerExtension server : List.of(good, expired)) {
      assertTrue(server.server().awaitFinishedConnections(server.server().connections(), Duration.ofSeconds(5)));
    }
    int before = good.server().handshakes() + expired.server().handshakes();
    int connectionsBefore = good.server().connections() + expired.server().connections();

    String goodTag = "?tag=target:" + Http.encode("localhost:" + good.port());
    JsonNode expiry = http.get("/actuator/metrics/tls.inspect.certificate.expiry" + goodTag).json();
    assertEquals("seconds", expiry.path("baseUnit").asText(), expiry.toString());
    double seconds = expiry.path("measurements").get(0).path("value").asDouble();
    assertTrue(seconds > Duration.ofDays(89).toSeconds() && seconds <= Duration.ofDays(90).toSeconds(),
        expiry.toString());
    String expiredTag = "?tag=target:" + Http.encode("localhost:" + expired.port());
    JsonNode expiredExpiry = http.get("/actuator/metrics/tls.inspect.certificate.expiry" + expiredTag).json();
    assertTrue(expiredExpiry.path("measurements").get(0).path("value").asDouble() < 0, expiredExpiry.toString());

    assertEquals(1.0, http.get("/actuator/metrics/tls.inspect.up" + goodTag).json()
        .path("measurements").get(0).path("value").asDouble());
    assertEquals(0.0, http.get("/actuator/metrics/tls.inspect.up" + expiredTag).json()
        .path("measurements").get(0).path("value").asDouble());

    JsonNode findings = http.get("/actuator/metrics/tls.inspect.findings" + expiredTag
        + "&tag=code:CERT_EXPIRED&tag=severity:CRITICAL").json();
    assertEquals(1.0, findings.path("measurements").get(0).path("value").asDouble(), findings.toString());

    JsonNode handshake = http.get("/actuator/metrics/tls.inspect.handshake" + goodTag
        + "&tag=outcome:success").json();
    assertTrue(handshake.path("measurements").get(0).path("value").asDouble() >= 1, handshake.toString());

    http.get("/actuator/health");
    assertEquals(before, good.server().handshakes() + expired.server().handshakes(),
        "a scrape or a health read must not start a handshake");
    assertEquals(connectionsBefore, good.server().connections() + expired.server().connections());
  }
}
