package dev.tlsinspect.examples;

import dev.tlsinspect.health.HealthResult;
import dev.tlsinspect.health.HealthStatus;
import dev.tlsinspect.health.TlsHealthCheck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.eclipse.microprofile.health.Readiness;

/**
 * A MicroProfile Health readiness check over a {@link TlsHealthCheck}, for Quarkus, Open Liberty,
 * Helidon MP or any MicroProfile runtime ({@code /health/ready}, in Quarkus {@code /q/health/ready}).
 * The application produces the {@link TlsHealthCheck} bean:
 *
 * <pre>{@code
 * @Produces @ApplicationScoped
 * TlsHealthCheck tlsHealth() {
 *   return TlsHealthCheck.builder().target(Target.of("payments.internal", 443)).build();
 * }
 * }</pre>
 *
 * <p>MicroProfile knows only UP and DOWN: DOWN stays DOWN, DEGRADED becomes UP with the data
 * {@code tlsStatus=DEGRADED}. The data are the health check's flat map, whose values are already
 * the String, long and boolean that MicroProfile accepts.
 */
@Readiness
@ApplicationScoped
public class TlsReadinessCheck implements HealthCheck {
  private final TlsHealthCheck health;

  /**
   * A readiness check over a health check.
   *
   * @param health the health check, produced by the application
   */
  @Inject
  public TlsReadinessCheck(TlsHealthCheck health) {
    this.health = Objects.requireNonNull(health, "health");
  }

  @Override
  public HealthCheckResponse call() {
    HealthResult result = health.check();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tlsStatus", result.status().name());
    data.putAll(result.details()); // String, Long and Boolean only: what MicroProfile accepts
    // The public constructor, not HealthCheckResponse.named(...): the builder needs the runtime's
    // HealthCheckResponseProvider, the constructor works everywhere, tests included.
    return new HealthCheckResponse("tls-inspect",
        result.status() == HealthStatus.DOWN ? Status.DOWN : Status.UP, Optional.of(data));
  }
}
