package dev.tlsinspect.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.health.TlsHealthCheck;
import dev.tlsinspect.testing.TlsServerExtension;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TlsMeterBinderTest {
  @RegisterExtension
  static TlsServerExtension server = TlsServerExtension.withCertificate(Fixtures.healthyLeaf());

  @Test
  void expiryGaugeAndHandshakeTimer_perTarget() {
    TlsHealthCheck health = Fixtures.health(server.target());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new TlsMeterBinder(health).bindTo(registry);
    String port = Integer.toString(server.port());

    TimeGauge expiry = registry.get("tls.inspect.expiry").tag("host", "localhost").tag("port", port)
        .timeGauge();
    double days = expiry.value(TimeUnit.DAYS);
    assertTrue(days > 89 && days <= 90, "days to expiry: " + days);
    assertEquals(TimeUnit.SECONDS, expiry.baseTimeUnit());

    Timer handshake = registry.get("tls.inspect.handshake").tag("host", "localhost").tag("port", port)
        .timer();
    assertEquals(1, handshake.count());
    expiry.value(); // the cached result: no new handshake recorded
    assertEquals(1, handshake.count());
  }
}
