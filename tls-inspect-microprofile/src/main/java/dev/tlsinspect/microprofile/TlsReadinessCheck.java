package dev.tlsinspect.microprofile;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.health.HealthResult;
import dev.tlsinspect.health.HealthStatus;
import dev.tlsinspect.health.TargetHealth;
import dev.tlsinspect.health.TlsHealthCheck;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * A MicroProfile Health readiness check named {@code tls} over the targets of {@code
 * tls-inspect.targets} (see {@link TlsInspectSettings} for every property).
 *
 * <p>{@link #call()} never does network I/O: it reads the last result of inspections that run on
 * one daemon thread of this bean, started when the application starts and repeated every {@code
 * tls-inspect.refresh-interval}. Status: DOWN while no result is in yet (data {@code
 * pending=true}; a pod is not ready before its TLS dependencies were seen), DOWN when any target is
 * DOWN (unreachable, invalid certificate, or expiring inside {@code tls-inspect.critical-window}),
 * UP otherwise (DEGRADED targets are UP with their status in the data). With {@code
 * tls-inspect.enabled=false} the check is UP with {@code enabled=false} and inspects nothing.
 *
 * <p>There is deliberately no liveness check: an expired remote certificate is not cured by
 * restarting this process.
 *
 * <p>Trust and other inspection options: the application may produce one {@link InspectOptions}
 * bean; otherwise the defaults (the JDK's trust store) apply. Invalid configuration fails the
 * application's startup with an {@link IllegalArgumentException} naming the property.
 *
 * @since 0.1.0
 */
@Readiness
@ApplicationScoped
public class TlsReadinessCheck implements HealthCheck {
  /** The name of the check in the health payload. */
  public static final String NAME = "tls";

  private static final System.Logger LOG = System.getLogger(TlsReadinessCheck.class.getName());
  private static final Set<String> DATA = Set.of("status", "verdict", "version", "daysToExpiry",
      "rootCause");

  @Inject
  Config config;

  @Inject
  Instance<InspectOptions> options;

  private TlsInspectSettings settings;
  private TlsHealthCheck health;
  private ScheduledExecutorService scheduler;

  /** For CDI. */
  public TlsReadinessCheck() {}

  /**
   * Reads and validates the configuration and starts the schedule.
   *
   * @throws IllegalArgumentException when a property is invalid; the message names it
   */
  @PostConstruct
  void start() {
    settings = TlsInspectSettings.read(name -> config.getOptionalValue(name, String.class));
    if (!settings.enabled()) {
      return;
    }
    TlsHealthCheck.Builder builder = TlsHealthCheck.builder()
        .targets(settings.targets())
        .budget(settings.budget())
        .quick(settings.quick())
        .warningWindow(settings.expiryWarning())
        .criticalWindow(settings.criticalWindow())
        .refreshInterval(settings.refreshInterval());
    if (options.isResolvable()) {
      builder.options(options.get());
    }
    health = builder.build();
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tls-inspect-microprofile");
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleWithFixedDelay(this::refresh, 0,
        settings.refreshInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void refresh() {
    try {
      health.refresh();
    } catch (RuntimeException e) {
      // Keep the schedule alive; the last result stays until a run succeeds.
      LOG.log(System.Logger.Level.WARNING, "tls-inspect refresh failed", e);
    }
  }

  /** Stops the schedule. */
  @PreDestroy
  void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  /**
   * Instantiates the bean when the application starts, so the first inspection runs before the
   * first health call and invalid configuration fails the startup.
   *
   * @param event the container's initialisation event
   */
  void onStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
    settings();
  }

  /**
   * The validated settings.
   *
   * @return the settings
   */
  public TlsInspectSettings settings() {
    return settings;
  }

  /**
   * The last result, without running anything.
   *
   * @return the last result, empty before the first run or when disabled
   */
  public Optional<HealthResult> lastResult() {
    return health == null ? Optional.empty() : health.lastResult();
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named(NAME);
    if (health == null) {
      return b.up().withData("enabled", false).build();
    }
    Optional<HealthResult> last = health.lastResult();
    if (last.isEmpty()) {
      return b.down().withData("pending", true).build();
    }
    HealthResult result = last.get();
    b.status(result.status() != HealthStatus.DOWN)
        .withData("status", result.status().name())
        .withData("checkedAt", result.checkedAt().toString());
    for (TargetHealth t : result.targets()) {
      String prefix = t.target() + ".";
      t.details().forEach((key, value) -> {
        if (!DATA.contains(key.substring(prefix.length()))) {
          return;
        }
        if (value instanceof Long l) {
          b.withData(key, l);
        } else if (value instanceof Boolean bool) {
          b.withData(key, bool);
        } else {
          b.withData(key, String.valueOf(value));
        }
      });
    }
    return b.build();
  }
}
