package dev.tlsinspect.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.health.HealthResult;
import dev.tlsinspect.health.TlsHealthCheck;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServerExtension;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The meters against real loopback servers: values from the last result, no I/O when read. */
class TlsMeterBinderTest {
  static final IssuedCertificate ROOT = CertificateBuilder.root("Meters Root").build();

  @RegisterExtension
  static TlsServerExtension good = TlsServerExtension.withCertificate(
      CertificateBuilder.leaf("localhost").issuedBy(ROOT).crlUrl("http://127.0.0.1:9/ca.crl").build());
  @RegisterExtension
  static TlsServerExtension expired = TlsServerExtension.withCertificate(
      CertificateBuilder.leaf("localhost").issuedBy(ROOT).expired().build());

  private static TlsHealthCheck health() {
    TrustMaterial trust = TrustMaterial.certificates(List.of(ROOT.certificate()));
    return TlsHealthCheck.builder()
        .options(InspectOptions.builder().trust(trust).referenceTrust(trust).build())
        .budget(Duration.ofSeconds(5))
        .targets(List.of(good.target(), expired.target()))
        .build();
  }

  @Test
  void gaugesAreNaN_beforeTheFirstResult_andTheBinderNeverInspects() {
    TlsHealthCheck health = health();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    int connections = good.server().connections();
    new TlsMeterBinder(health.targets()).bindTo(registry);
    String target = good.target().toString();
    assertTrue(Double.isNaN(registry.get("tls.inspect.up").tag("target", target).gauge().value()));
    assertTrue(Double.isNaN(registry.get("tls.inspect.certificate.expiry").tag("target", target)
        .timeGauge().value(TimeUnit.SECONDS)));
    assertEquals(connections, good.server().connections(), "reading a gauge must not connect");
  }

  /**
   * The server counts a handshake when it has read the client's Finished, which can be a moment
   * after the client has returned; wait for every accepted connection to be done before counting.
   */
  private static int settledHandshakes() throws InterruptedException {
    for (TlsServerExtension server : List.of(good, expired)) {
      assertTrue(server.server().awaitFinishedConnections(server.server().connections(), Duration.ofSeconds(5)));
    }
    return good.server().handshakes() + expired.server().handshakes();
  }

  @Test
  void record_feedsEveryMeter_andReadingThemStartsNoHandshake() throws InterruptedException {
    TlsHealthCheck health = health();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TlsMeterBinder binder = new TlsMeterBinder(health.targets());
    binder.bindTo(registry);
    HealthResult result = health.refresh();
    binder.record(result);
    int handshakes = settledHandshakes();

    String ok = good.target().toString();
    String bad = expired.target().toString();
    double seconds = registry.get("tls.inspect.certificate.expiry").tag("target", ok).timeGauge()
        .value(TimeUnit.SECONDS);
    assertTrue(seconds > Duration.ofDays(89).toSeconds() && seconds <= Duration.ofDays(90).toSeconds(),
        Double.toString(seconds));
    assertTrue(registry.get("tls.inspect.certificate.expiry").tag("target", bad).timeGauge()
        .value(TimeUnit.SECONDS) < 0);
    assertEquals(1.0, registry.get("tls.inspect.up").tag("target", ok).gauge().value());
    assertEquals(0.0, registry.get("tls.inspect.up").tag("target", bad).gauge().value());
    assertEquals(1.0, registry.get("tls.inspect.findings")
        .tags("target", bad, "code", "CERT_EXPIRED", "severity", "CRITICAL").gauge().value());
    Timer timer = registry.get("tls.inspect.handshake").tags("target", ok, "outcome", "success").timer();
    assertEquals(1, timer.count());

    // A scrape: every meter read, many times.
    for (int i = 0; i < 5; i++) {
      for (Meter meter : registry.getMeters()) {
        meter.measure().forEach(m -> m.getValue());
      }
    }
    assertEquals(handshakes, good.server().handshakes() + expired.server().handshakes());

    // Each inspection is one more timer sample; tags stay the configured targets.
    binder.record(health.refresh());
    assertEquals(2, timer.count());
    assertTrue(registry.getMeters().stream()
        .map(m -> m.getId().getTag("target"))
        .allMatch(t -> t.equals(ok) || t.equals(bad)));
  }

  @Test
  void schedule_runsTheCheckOnItsOwnThread_untilClosed() throws Exception {
    TlsHealthCheck health = health();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TlsMeterBinder binder = new TlsMeterBinder(health.targets());
    binder.bindTo(registry);
    try (AutoCloseable schedule = binder.schedule(health, Duration.ofHours(1))) {
      Timer timer = registry.get("tls.inspect.handshake").tags("target", good.target().toString(),
          "outcome", "success").timer();
      for (int i = 0; i < 600 && timer.count() == 0; i++) {
        Thread.sleep(50);
      }
      assertEquals(1, timer.count());
      assertEquals(1.0, registry.get("tls.inspect.up").tag("target", good.target().toString()).gauge().value());
    }
  }
}
