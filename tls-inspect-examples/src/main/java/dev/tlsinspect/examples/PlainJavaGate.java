package dev.tlsinspect.examples;

import dev.tlsinspect.health.TlsHealthCheck;
import dev.tlsinspect.micrometer.TlsMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * A plain Java application (no framework) that refuses to start while a TLS dependency is broken,
 * then keeps its meters current with {@code tls-inspect-micrometer}:
 *
 * <pre>{@code
 * TlsHealthCheck health = TlsHealthCheck.builder()
 *     .target(Target.of("payments.internal", 443))
 *     .build();
 * AutoCloseable meters = PlainJavaGate.start(health, registry, Duration.ofMinutes(5));
 * }</pre>
 */
public final class PlainJavaGate {
  private PlainJavaGate() {}

  /**
   * Checks every dependency once, throwing when one is DOWN; then binds the meters and inspects
   * again every {@code interval} on a thread of its own (a scrape never inspects).
   *
   * @param health the dependencies
   * @param registry where the meters go
   * @param interval time between inspections
   * @return closing it stops the inspections
   * @throws IllegalStateException when a dependency is DOWN, with one readable message
   */
  public static AutoCloseable start(TlsHealthCheck health, MeterRegistry registry, Duration interval) {
    health.requireHealthy();
    TlsMeterBinder meters = new TlsMeterBinder(health.targets());
    meters.bindTo(registry);
    return meters.schedule(health, interval);
  }
}
