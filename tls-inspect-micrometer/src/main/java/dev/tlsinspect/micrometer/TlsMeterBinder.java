package dev.tlsinspect.micrometer;

import dev.tlsinspect.Finding;
import dev.tlsinspect.Target;
import dev.tlsinspect.health.HealthResult;
import dev.tlsinspect.health.HealthStatus;
import dev.tlsinspect.health.TargetHealth;
import dev.tlsinspect.health.TlsHealthCheck;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Micrometer meters for the targets of tls-inspect health checks. The gauges read the last
 * {@linkplain #record(HealthResult) recorded} result and never start a handshake: a scrape costs
 * no I/O. Inspections run on a schedule of their own, {@link #schedule(TlsHealthCheck, Duration)},
 * or wherever the application already runs its health check, followed by {@link #record}.
 *
 * <pre>{@code
 * TlsHealthCheck health = TlsHealthCheck.builder().target(Target.of("api.example.com", 443)).build();
 * TlsMeterBinder meters = new TlsMeterBinder(health.targets());
 * meters.bindTo(registry);
 * AutoCloseable schedule = meters.schedule(health, Duration.ofMinutes(5));
 * }</pre>
 *
 * <p>The meters, each tagged {@code target} ({@code host:port}, one value per configured target,
 * so tags stay bounded):
 * <ul>
 *   <li>{@code tls.inspect.certificate.expiry}: time gauge, seconds until the leaf certificate
 *       seen last expires (negative once expired; NaN before any certificate was seen);
 *   <li>{@code tls.inspect.handshake}: timer, one sample per inspection, tagged {@code outcome}
 *       {@code success} or {@code failure};
 *   <li>{@code tls.inspect.up}: gauge, 1 when the last status is UP or DEGRADED, 0 when DOWN,
 *       NaN before the first inspection;
 *   <li>{@code tls.inspect.findings}: gauge per finding {@code code} and {@code severity} of the
 *       last report, its value the number of such findings (codes come from the diagnosis
 *       catalogue and the registered checks: a bounded set).
 * </ul>
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
public final class TlsMeterBinder implements MeterBinder {
  private final List<Target> targets;
  private final Clock clock;
  private final Map<Target, TargetHealth> last = new ConcurrentHashMap<>();
  private final List<Bound> bound = new CopyOnWriteArrayList<>();

  /**
   * A binder for these targets, with the system clock.
   *
   * @param targets the targets that get meters
   * @since 0.1.0
   */
  public TlsMeterBinder(List<Target> targets) {
    this(targets, Clock.systemUTC());
  }

  /**
   * A binder for these targets.
   *
   * @param targets the targets that get meters
   * @param clock tells the time left until expiry at each reading
   * @since 0.1.0
   */
  public TlsMeterBinder(List<Target> targets, Clock clock) {
    this.targets = List.copyOf(targets);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    List<TargetMeters> meters = new ArrayList<>();
    for (Target target : targets) {
      Tags tags = Tags.of("target", target.toString());
      TimeGauge.builder("tls.inspect.certificate.expiry", this, TimeUnit.SECONDS,
              b -> b.secondsToExpiry(target))
          .tags(tags)
          .description("Time until the leaf certificate seen last expires")
          .register(registry);
      Gauge.builder("tls.inspect.up", this, b -> b.up(target))
          .tags(tags)
          .description("1 when the endpoint's last TLS inspection was UP or DEGRADED, 0 when DOWN")
          .register(registry);
      Timer success = handshakeTimer(registry, tags, "success");
      Timer failure = handshakeTimer(registry, tags, "failure");
      meters.add(new TargetMeters(target, success, failure));
    }
    MultiGauge findings = MultiGauge.builder("tls.inspect.findings")
        .description("Findings of the last TLS inspection, by code and severity")
        .register(registry);
    Bound b = new Bound(meters, findings);
    bound.add(b);
    b.updateFindings(last);
  }

  private static Timer handshakeTimer(MeterRegistry registry, Tags tags, String outcome) {
    return Timer.builder("tls.inspect.handshake")
        .tags(tags).tag("outcome", outcome)
        .description("Handshake time of each TLS inspection")
        .register(registry);
  }

  /**
   * Keeps a new result for the gauges and records its handshakes; call after each inspection.
   * Targets of the result this binder was not made for are ignored.
   *
   * @param result a health check's result
   * @since 0.1.0
   */
  public void record(HealthResult result) {
    Objects.requireNonNull(result, "result");
    for (TargetHealth t : result.targets()) {
      if (!targets.contains(t.target())) {
        continue;
      }
      last.put(t.target(), t);
      boolean handshook = t.report().outcomes().stream().findFirst()
          .flatMap(o -> o.observation()).flatMap(o -> o.version()).isPresent();
      Duration took = Duration.ofMillis(t.report().timings().handshakeMillis());
      for (Bound b : bound) {
        b.record(t.target(), handshook, took);
      }
    }
    for (Bound b : bound) {
      b.updateFindings(last);
    }
  }

  /**
   * Runs the health check every {@code interval} on a daemon thread of its own,
   * {@linkplain TlsHealthCheck#refresh() refreshing} it and {@linkplain #record recording} each
   * result. When the health check already has a result (a startup gate ran it), that one is
   * recorded at once and the first run is one interval later; otherwise the first run is now.
   *
   * @param health the health check to run
   * @param interval the time between the end of one run and the start of the next
   * @return closing it stops the schedule
   * @throws IllegalArgumentException when the interval is not positive
   * @since 0.1.0
   */
  public AutoCloseable schedule(TlsHealthCheck health, Duration interval) {
    Objects.requireNonNull(health, "health");
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "tls-inspect-meters");
      thread.setDaemon(true);
      return thread;
    });
    long first = health.lastResult().map(r -> {
      record(r);
      return interval.toMillis();
    }).orElse(0L);
    executor.scheduleWithFixedDelay(() -> record(health.refresh()), first, interval.toMillis(),
        TimeUnit.MILLISECONDS);
    return executor::shutdownNow;
  }

  private double secondsToExpiry(Target target) {
    TargetHealth t = last.get(target);
    if (t == null || t.report().certificateChain().isEmpty()) {
      return Double.NaN;
    }
    Instant notAfter = t.report().certificateChain().get(0).notAfter();
    return Duration.between(clock.instant(), notAfter).toSeconds();
  }

  private double up(Target target) {
    TargetHealth t = last.get(target);
    if (t == null) {
      return Double.NaN;
    }
    return t.status() == HealthStatus.DOWN ? 0 : 1;
  }

  private record TargetMeters(Target target, Timer success, Timer failure) {}

  /** The meters of one registry. */
  private record Bound(List<TargetMeters> meters, MultiGauge findings) {
    void record(Target target, boolean handshook, Duration took) {
      for (TargetMeters m : meters) {
        if (m.target().equals(target)) {
          (handshook ? m.success() : m.failure()).record(took);
        }
      }
    }

    void updateFindings(Map<Target, TargetHealth> last) {
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      for (TargetMeters m : meters) {
        TargetHealth t = last.get(m.target());
        if (t == null) {
          continue;
        }
        Map<List<String>, Long> counts = t.report().findings().stream().collect(Collectors.groupingBy(
            (Finding f) -> List.of(f.code().name(), f.severity().name()), Collectors.counting()));
        counts.forEach((key, count) -> rows.add(MultiGauge.Row.of(
            Tags.of("target", m.target().toString(), "code", key.get(0), "severity", key.get(1)),
            count)));
      }
      findings.register(rows, true);
    }
  }
}
