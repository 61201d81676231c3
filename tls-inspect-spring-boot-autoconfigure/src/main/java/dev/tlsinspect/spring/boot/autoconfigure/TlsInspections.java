package dev.tlsinspect.spring.boot.autoconfigure;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.ProxySpec;
import dev.tlsinspect.Starttls;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.health.HealthResult;
import dev.tlsinspect.health.TlsHealthCheck;
import dev.tlsinspect.spring.boot.autoconfigure.TlsInspectProperties.Mode;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * The configured targets, each with its own health check, inspected on a schedule of their own
 * (every {@code tls-inspect.refresh-interval}, the first run at startup). Health contributors,
 * meters and the {@code /actuator/tls} endpoint read the last result; none of them starts a
 * handshake once the first run is done.
 *
 * @since 0.1.0
 */
public final class TlsInspections implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TlsInspections.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private final Map<String, TlsHealthCheck> checks;
  private final Duration refreshInterval;
  private final List<Consumer<HealthResult>> listeners = new CopyOnWriteArrayList<>();
  private ScheduledExecutorService executor; // guarded by this

  private TlsInspections(Map<String, TlsHealthCheck> checks, Duration refreshInterval) {
    this.checks = Collections.unmodifiableMap(checks);
    this.refreshInterval = refreshInterval;
  }

  /**
   * Validates the properties and builds one health check per target.
   *
   * @param properties the {@code tls-inspect.*} properties
   * @param bundles the application's SSL bundles, for targets that name one; may be empty
   * @param inspector the inspector every target runs
   * @return the inspections, not yet started
   * @throws InvalidConfigurationPropertyValueException naming the first invalid property
   */
  static TlsInspections of(TlsInspectProperties properties, Optional<SslBundles> bundles,
      TlsInspector inspector) {
    positive("tls-inspect.budget", properties.getBudget());
    positive("tls-inspect.refresh-interval", properties.getRefreshInterval());
    positive("tls-inspect.critical-window", properties.getCriticalWindow());
    Map<String, TlsHealthCheck> checks = new LinkedHashMap<>();
    List<TlsInspectProperties.Target> targets = properties.getTargets();
    for (int i = 0; i < targets.size(); i++) {
      String p = "tls-inspect.targets[" + i + "].";
      TlsInspectProperties.Target t = targets.get(i);
      if (t.getHost() == null || t.getHost().isBlank()) {
        throw new InvalidConfigurationPropertyValueException(p + "host", t.getHost(),
            "Each target needs a host name or IP address.");
      }
      if (t.getPort() < 1 || t.getPort() > 65535) {
        throw new InvalidConfigurationPropertyValueException(p + "port", t.getPort(),
            "A port is between 1 and 65535.");
      }
      positive(p + "expiry-warning", t.getExpiryWarning());
      String name = t.getName() == null ? t.getHost() + "-" + t.getPort() : t.getName();
      if (!NAME.matcher(name).matches()) {
        throw new InvalidConfigurationPropertyValueException(p + "name", name,
            "A name is letters, digits, '.', '_' and '-' only: it becomes a health path.");
      }
      if (name.equals(TlsInspectEndpoint.CAPTURED_FAILURES)) {
        throw new InvalidConfigurationPropertyValueException(p + "name", name,
            "The name captured-failures is taken by the captured failures (/actuator/tls/captured-failures).");
      }
      if (name.equals("ssl-bundles")) {
        throw new InvalidConfigurationPropertyValueException(p + "name", name,
            "The name ssl-bundles is taken by the SSL bundles' health (tls/ssl-bundles).");
      }
      if (checks.containsKey(name)) {
        throw new InvalidConfigurationPropertyValueException(p + "name", name,
            "Another target has this name; give each target its own tls-inspect.targets[i].name.");
      }
      Target.Builder target = Target.builder(t.getHost(), t.getPort());
      if (t.getSni() != null) {
        target.sni(t.getSni());
      }
      if (t.getStarttls() != null) {
        try {
          target.starttls(Starttls.parse(t.getStarttls()));
        } catch (IllegalArgumentException e) {
          throw new InvalidConfigurationPropertyValueException(p + "starttls", t.getStarttls(),
              e.getMessage());
        }
      }
      if (t.getProxy() != null) {
        try {
          target.proxy(ProxySpec.parse(t.getProxy()));
        } catch (IllegalArgumentException e) {
          // The URL may hold credentials: say what is wrong, never echo it.
          throw new InvalidConfigurationPropertyValueException(p + "proxy", "(hidden)", e.getMessage());
        }
      }
      InspectOptions.Builder options = InspectOptions.builder()
          .quick(t.getMode() == Mode.QUICK)
          .expiryWarning(t.getExpiryWarning());
      if (t.getTrustBundle() != null) {
        applyBundle(options, p + "trust-bundle", t.getTrustBundle(), bundles);
      }
      checks.put(name, TlsHealthCheck.builder()
          .inspector(inspector)
          .options(options.build())
          .budget(properties.getBudget())
          .quick(t.getMode() == Mode.QUICK)
          .warningWindow(t.getExpiryWarning())
          .criticalWindow(properties.getCriticalWindow())
          // The schedule below decides when to run; the health check never refreshes on its own.
          .refreshInterval(Duration.ofDays(3650))
          .target(target.build())
          .build());
    }
    return new TlsInspections(checks, properties.getRefreshInterval());
  }

  /*
   * The core has no way yet to probe with an application's SSLContext: the bundle's trust store
   * becomes the trust material (the application's and the reference trust alike, since this
   * endpoint is private to the application), and its key store, if any, the client certificate.
   */
  private static void applyBundle(InspectOptions.Builder options, String property, String name,
      Optional<SslBundles> bundles) {
    if (bundles.isEmpty()) {
      throw new InvalidConfigurationPropertyValueException(property, name,
          "No SSL bundles are configured (spring.ssl.bundle.*).");
    }
    SslBundle bundle;
    try {
      bundle = bundles.get().getBundle(name);
    } catch (NoSuchSslBundleException e) {
      throw new InvalidConfigurationPropertyValueException(property, name,
          "There is no SSL bundle of this name; known: " + bundles.get().getBundleNames() + ".");
    }
    KeyStore trustStore = bundle.getStores().getTrustStore();
    if (trustStore == null) {
      throw new InvalidConfigurationPropertyValueException(property, name,
          "The SSL bundle has no trust store.");
    }
    TrustMaterial trust;
    try {
      trust = TrustMaterial.keyStore(trustStore);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(property, name, e.getMessage());
    }
    options.trust(trust).referenceTrust(trust);
    KeyStore keyStore = bundle.getStores().getKeyStore();
    if (keyStore != null) {
      String password = bundle.getKey().getPassword() != null ? bundle.getKey().getPassword()
          : bundle.getStores().getKeyStorePassword();
      options.clientKeyStore(keyStore, password == null ? new char[0] : password.toCharArray());
    }
  }

  private static void positive(String property, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new InvalidConfigurationPropertyValueException(property, value, "Must be a positive duration.");
    }
  }

  /**
   * The target names, in configuration order.
   *
   * @return the names
   */
  public List<String> names() {
    return List.copyOf(checks.keySet());
  }

  /**
   * The health check of a target.
   *
   * @param name the target's name
   * @return its health check, or empty for an unknown name
   */
  public Optional<TlsHealthCheck> check(String name) {
    return Optional.ofNullable(checks.get(name));
  }

  /**
   * The last result of a target; before the first scheduled run, runs it now.
   *
   * @param name the target's name
   * @return the result, or empty for an unknown name
   */
  public Optional<HealthResult> result(String name) {
    TlsHealthCheck check = checks.get(name);
    if (check == null) {
      return Optional.empty();
    }
    Optional<HealthResult> last = check.lastResult();
    return last.isPresent() ? last : Optional.of(runOnce(check));
  }

  /**
   * The last result of every target that has run, by name; never starts an inspection.
   *
   * @return the results
   */
  public Map<String, HealthResult> lastResults() {
    Map<String, HealthResult> out = new LinkedHashMap<>();
    checks.forEach((name, check) -> check.lastResult().ifPresent(r -> out.put(name, r)));
    return out;
  }

  /**
   * Registers a listener told of every new result (meters record with it).
   *
   * @param listener the listener
   */
  public void addListener(Consumer<HealthResult> listener) {
    listeners.add(listener);
  }

  /**
   * Starts the schedule: the first run now, in the background, unless every target already has a
   * result (the startup gate ran them), then one interval later.
   */
  synchronized void start() {
    if (executor != null || checks.isEmpty()) {
      return;
    }
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "tls-inspect");
      thread.setDaemon(true);
      return thread;
    });
    executor.scheduleWithFixedDelay(() -> {
      try {
        checks.values().forEach(this::runOnceOrRefresh);
      } catch (RuntimeException e) {
        LOG.debug("scheduled TLS inspection failed", e);
      }
    }, lastResults().size() == checks.size() ? refreshInterval.toMillis() : 0,
        refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runOnceOrRefresh(TlsHealthCheck check) {
    synchronized (check) {
      refresh(check);
    }
  }

  private HealthResult runOnce(TlsHealthCheck check) {
    synchronized (check) {
      Optional<HealthResult> last = check.lastResult();
      return last.isPresent() ? last.get() : refresh(check);
    }
  }

  private HealthResult refresh(TlsHealthCheck check) {
    HealthResult result = check.refresh();
    for (Consumer<HealthResult> listener : listeners) {
      listener.accept(result);
    }
    return result;
  }

  /** Stops the schedule. */
  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }

  /**
   * Every target, in order: for meters.
   *
   * @return the targets
   */
  List<Target> targets() {
    List<Target> out = new ArrayList<>();
    checks.values().forEach(c -> out.addAll(c.targets()));
    return out;
  }
}
