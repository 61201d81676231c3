package dev.tlsinspect.examples;

import dev.tlsinspect.Target;
import dev.tlsinspect.health.HealthResult;
import dev.tlsinspect.health.TargetHealth;
import dev.tlsinspect.health.TlsHealthCheck;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A Micrometer {@link MeterBinder} over a {@link TlsHealthCheck}: per target, a time gauge
 * {@code tls.inspect.expiry} of the time left until the leaf certificate expires, and a timer
 * {@code tls.inspect.handshake} of the handshake durations, both tagged {@code host} and
 * {@code port}. In Spring Boot, declare it as a bean and Boot binds it to every registry.
 *
 * <pre>{@code
 * TlsHealthCheck health = TlsHealthCheck.builder().target(Target.of("api.example.com", 443)).build();
 * new TlsMeterBinder(health).bindTo(registry);
 * // Prometheus: tls_inspect_expiry_seconds{host="api.example.com",port="443"} 2.5E6
 * }</pre>
 *
 * <p>Reading a gauge calls {@link TlsHealthCheck#check()}, which returns the cached result while it
 * is fresh, so a scrape does not handshake more often than the health check's refresh interval.
 * Each new result records one handshake per target that completed one. A target without a
 * certificate reads {@code NaN}.
 */
public final class TlsMeterBinder implements MeterBinder {
  private final TlsHealthCheck health;
  private final Map<Target, List<Timer>> timers = new LinkedHashMap<>();
  private HealthResult recorded; // guarded by this

  /**
   * A binder over a health check.
   *
   * @param health the health check whose targets get meters
   */
  public TlsMeterBinder(TlsHealthCheck health) {
    this.health = Objects.requireNonNull(health, "health");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (Target target : health.targets()) {
      Tags tags = Tags.of("host", target.host(), "port", Integer.toString(target.port()));
      TimeGauge.builder("tls.inspect.expiry", this, TimeUnit.SECONDS, b -> b.secondsToExpiry(target))
          .tags(tags)
          .description("Time until the TLS leaf certificate of the endpoint expires")
          .register(registry);
      Timer timer = Timer.builder("tls.inspect.handshake").tags(tags)
          .description("TLS handshake duration seen by the health check")
          .register(registry);
      synchronized (this) {
        timers.computeIfAbsent(target, t -> new ArrayList<>()).add(timer);
      }
    }
  }

  private double secondsToExpiry(Target target) {
    return latest().targets().stream().filter(t -> t.target().equals(target)).findFirst()
        .flatMap(TargetHealth::untilExpiry)
        .map(d -> (double) d.toSeconds())
        .orElse(Double.NaN);
  }

  /** The health check's current result; records each new result's handshakes once. */
  private synchronized HealthResult latest() {
    HealthResult result = health.check();
    if (result != recorded) {
      recorded = result;
      for (TargetHealth t : result.targets()) {
        boolean handshook = t.report().outcomes().stream().findFirst()
            .flatMap(o -> o.observation()).flatMap(o -> o.version()).isPresent();
        if (handshook) {
          Duration took = Duration.ofMillis(t.report().timings().handshakeMillis());
          timers.getOrDefault(t.target(), List.of()).forEach(timer -> timer.record(took));
        }
      }
    }
    return result;
  }
}
