package dev.tlsinspect.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tlsinspect.testing.TlsServerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/** Boots Spring with the indicator and reads /actuator/health over loopback HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "server.address=127.0.0.1",
    "management.endpoint.health.show-details=always",
    "management.endpoints.web.exposure.include=health"})
class TlsHealthIndicatorTest {
  // Started in beforeAll, before Spring builds the context and asks for the targets.
  @RegisterExtension
  static TlsServerExtension good = TlsServerExtension.withCertificate(Fixtures.healthyLeaf());
  @RegisterExtension
  static TlsServerExtension expired = TlsServerExtension.withCertificate(Fixtures.expiredLeaf());

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    TlsHealthIndicator tlsHealthIndicator() {
      return new TlsHealthIndicator(Fixtures.health(good.target(), expired.target()));
    }
  }

  @LocalServerPort
  int port;

  @Test
  void theTlsComponent_isDown_withPerTargetDetails() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
            .timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(503, response.statusCode(), response.body());
    JsonNode tls = JsonMapper.builder().build().readTree(response.body()).path("components").path("tls");
    assertEquals("DOWN", tls.path("status").asText(), response.body());
    JsonNode details = tls.path("details");
    assertEquals("DOWN", details.path("tlsStatus").asText());
    assertEquals("UP", details.path(good.target() + ".status").asText(), details.toString());
    assertEquals("TLSv1.3", details.path(good.target() + ".version").asText());
    assertEquals(89, details.path(good.target() + ".daysToExpiry").asLong());
    assertEquals("DOWN", details.path(expired.target() + ".status").asText());
    assertEquals("CERT_EXPIRED", details.path(expired.target() + ".rootCause").asText());
  }
}
