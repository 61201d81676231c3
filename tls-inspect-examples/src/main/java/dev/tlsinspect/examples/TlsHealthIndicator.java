package dev.tlsinspect.examples;

import dev.tlsinspect.health.HealthResult;
import dev.tlsinspect.health.HealthStatus;
import dev.tlsinspect.health.TlsHealthCheck;
import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * A Spring Boot 3.x Actuator {@link HealthIndicator} over a {@link TlsHealthCheck}. Declared as a
 * bean named {@code tlsHealthIndicator} it appears as the {@code tls} component of
 * {@code /actuator/health}:
 *
 * <pre>{@code
 * @Bean
 * TlsHealthIndicator tlsHealthIndicator() {
 *   return new TlsHealthIndicator(TlsHealthCheck.builder()
 *       .target(Target.of("payments.internal", 443)).build());
 * }
 * }</pre>
 *
 * <p>DOWN maps to {@link Status#DOWN} (HTTP 503); DEGRADED stays {@link Status#UP}, as Boot's own
 * {@code SslHealthIndicator} does for expiring certificates, with the detail
 * {@code tlsStatus=DEGRADED}. The details are the health check's flat map. A result is reused for
 * the health check's refresh interval, so frequent probes do not handshake each time.
 */
public final class TlsHealthIndicator implements HealthIndicator {
  private final TlsHealthCheck health;

  /**
   * An indicator over a health check.
   *
   * @param health the health check
   */
  public TlsHealthIndicator(TlsHealthCheck health) {
    this.health = Objects.requireNonNull(health, "health");
  }

  @Override
  public Health health() {
    HealthResult result = health.check();
    Status status = result.status() == HealthStatus.DOWN ? Status.DOWN : Status.UP;
    return Health.status(status)
        .withDetail("tlsStatus", result.status().name())
        .withDetails(result.details())
        .build();
  }
}
