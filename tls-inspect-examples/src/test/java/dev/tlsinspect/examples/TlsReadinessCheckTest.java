package dev.tlsinspect.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlsinspect.testing.TlsServerExtension;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The MicroProfile check called directly, no container. */
class TlsReadinessCheckTest {
  @RegisterExtension
  static TlsServerExtension healthy = TlsServerExtension.withCertificate(Fixtures.healthyLeaf());
  @RegisterExtension
  static TlsServerExtension expiringSoon =
      TlsServerExtension.withCertificate(Fixtures.leafValidFor(Duration.ofDays(20)));
  @RegisterExtension
  static TlsServerExtension expired = TlsServerExtension.withCertificate(Fixtures.expiredLeaf());

  private static Map<String, Object> data(HealthCheckResponse r) {
    return r.getData().orElseThrow();
  }

  @Test
  void healthy_isUp() {
    HealthCheckResponse r = new TlsReadinessCheck(Fixtures.health(healthy.target())).call();
    assertEquals("tls-inspect", r.getName());
    assertEquals(HealthCheckResponse.Status.UP, r.getStatus());
    assertEquals("UP", data(r).get("tlsStatus"));
    assertEquals("TLSv1.3", data(r).get(healthy.target() + ".version"));
  }

  @Test
  void degraded_isUpWithData() {
    HealthCheckResponse r = new TlsReadinessCheck(Fixtures.health(expiringSoon.target())).call();
    assertEquals(HealthCheckResponse.Status.UP, r.getStatus());
    assertEquals("DEGRADED", data(r).get("tlsStatus"));
    String p = expiringSoon.target() + ".";
    assertEquals("DEGRADED", data(r).get(p + "status"));
    assertEquals("CERT_EXPIRING_SOON", data(r).get(p + "rootCause"));
    assertEquals(19L, data(r).get(p + "daysToExpiry"));
  }

  @Test
  void expired_isDown() {
    HealthCheckResponse r = new TlsReadinessCheck(
        Fixtures.health(healthy.target(), expired.target())).call();
    assertEquals(HealthCheckResponse.Status.DOWN, r.getStatus());
    assertEquals("UP", data(r).get(healthy.target() + ".status"));
    assertEquals("CERT_EXPIRED", data(r).get(expired.target() + ".rootCause"));
  }
}
