package dev.tlsinspect.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.testing.TlsServerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The plain Java gate against loopback servers: refuses a broken dependency, meters a good one. */
class PlainJavaGateTest {
  @RegisterExtension
  static TlsServerExtension good = TlsServerExtension.withCertificate(Fixtures.healthyLeaf());
  @RegisterExtension
  static TlsServerExtension expired = TlsServerExtension.withCertificate(Fixtures.expiredLeaf());

  @Test
  void healthyDependency_starts_withMetersFromTheGatesOwnInspection() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    int before = good.server().handshakes();
    try (AutoCloseable running = PlainJavaGate.start(Fixtures.health(good.target()), registry, Duration.ofHours(1))) {
      assertEquals(1.0, registry.get("tls.inspect.up").tag("target", good.target().toString()).gauge().value());
      assertEquals(1, registry.get("tls.inspect.handshake").tag("outcome", "success").timer().count());
      // The server records a handshake on its own thread, possibly after the client has finished.
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (good.server().handshakes() < before + 1 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(before + 1, good.server().handshakes(), "the gate's inspection is the meters' first");
    }
  }

  @Test
  void expiredDependency_refusesToStart() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> PlainJavaGate.start(
        Fixtures.health(expired.target()), new SimpleMeterRegistry(), Duration.ofHours(1)));
    assertTrue(e.getMessage().contains(expired.target() + " DOWN: CERT_EXPIRED"), e.getMessage());
  }
}
