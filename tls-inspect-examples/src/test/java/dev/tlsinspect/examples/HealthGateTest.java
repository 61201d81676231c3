package dev.tlsinspect.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.health.HealthResult;
import dev.tlsinspect.health.HealthStatus;
import dev.tlsinspect.health.TlsHealthCheck;
import dev.tlsinspect.testing.TlsServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TlsHealthCheck#requireHealthy()} as a startup gate, against real loopback servers. */
class HealthGateTest {
  @RegisterExtension
  static TlsServerExtension good = TlsServerExtension.withCertificate(Fixtures.healthyLeaf());
  @RegisterExtension
  static TlsServerExtension expired = TlsServerExtension.withCertificate(Fixtures.expiredLeaf());

  @Test
  void healthyDependencies_passTheGate() {
    HealthResult result = Fixtures.health(good.target()).requireHealthy();
    assertEquals(HealthStatus.UP, result.status(), result::message);
    assertEquals("PASS", result.details().get(good.target() + ".verdict"));
  }

  @Test
  void anExpiredDependency_stopsTheStart_withOneClearMessage() {
    TlsHealthCheck health = Fixtures.health(good.target(), expired.target());
    IllegalStateException e = assertThrows(IllegalStateException.class, health::requireHealthy);
    String[] lines = e.getMessage().split("\n");
    assertEquals(3, lines.length, e.getMessage());
    assertEquals("TLS health DOWN: 1 of 2 target(s) DOWN", lines[0]);
    assertTrue(lines[1].startsWith("  " + expired.target() + " DOWN: CERT_EXPIRED - "), lines[1]);
    assertTrue(lines[2].startsWith("    fix: Renew the certificate"), lines[2]);
  }
}
