package dev.tlsinspect.health;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.StoreInspector;
import dev.tlsinspect.StoreReport;
import dev.tlsinspect.StoreSource;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A health check over one or many TLS endpoints, for readiness probes, startup gates and metrics.
 *
 * <pre>{@code
 * TlsHealthCheck health = TlsHealthCheck.builder()
 *     .target(Target.of("api.example.com", 443))
 *     .target(Target.of("db.internal", 5432))
 *     .build();
 * health.requireHealthy();                 // at startup: throws when a target is DOWN
 * HealthResult result = health.check();    // in a readiness probe: cached for refreshInterval
 * Map<String, Object> details = result.details();
 * }</pre>
 *
 * <p>Each run inspects every target in {@linkplain InspectOptions#quick() quick mode} (one
 * handshake plus certificate checks) within a time budget; several targets are inspected in
 * parallel, so a run takes about one budget whatever their number. The budget is the one given to
 * {@link Builder#budget(Duration)}; without it, the timeout of the {@linkplain
 * Builder#options(InspectOptions) options} or else of the {@linkplain Builder#inspector(TlsInspector)
 * inspector} ({@link InspectOptions#deadline()}, 10 s by default): a timeout configured there is
 * never replaced silently. {@link #options()} shows the one that applies. The status of a target:
 * <ul>
 *   <li>{@link HealthStatus#DOWN} when its verdict is FAIL, or its leaf certificate expires within
 *       the {@linkplain Builder#criticalWindow(Duration) critical window} (default 7 days);
 *   <li>{@link HealthStatus#DEGRADED} when its verdict is WARN, or its leaf expires within the
 *       {@linkplain Builder#warningWindow(Duration) warning window} (default 30 days);
 *   <li>{@link HealthStatus#UP} otherwise.
 * </ul>
 * The overall status is the worst target's.
 *
 * <p>Local key and trust stores can be added with {@link Builder#store(StoreSource)}: each run
 * inspects them with a {@link StoreInspector} (no network) and judges them by the same rule, a
 * client certificate's expiry standing for the leaf's. Client-certificate expiry is an outage
 * that no server-side monitor sees coming.
 *
 * <p>{@link #check()} returns the last result while it is younger than the
 * {@linkplain Builder#refreshInterval(Duration) refresh interval} (default 60 s), as told by the
 * {@linkplain Builder#clock(Clock) clock}; otherwise it runs the targets again. Concurrent callers
 * that find the result stale share one run. Thread-safe.
 *
 * @since 0.1.0
 */
public final class TlsHealthCheck {
  private final TlsInspector inspector;
  private final InspectOptions options;
  private final List<Target> targets;
  private final List<StoreSource> stores;
  private final StoreInspector storeInspector;
  private final Duration criticalWindow;
  private final Duration warningWindow;
  private final Duration refreshInterval;
  private final Clock clock;

  private final Object lock = new Object();
  private volatile HealthResult last;
  private CompletableFuture<HealthResult> running; // guarded by lock

  private TlsHealthCheck(Builder b, TlsInspector inspector) {
    this.inspector = inspector;
    InspectOptions base = b.options != null ? b.options : inspector.options();
    InspectOptions.Builder o = base.toBuilder().quick(b.quick).expiryWarning(b.warningWindow).clock(b.clock);
    // An explicit budget wins; otherwise the caller's own timeout stands (it used to be replaced by
    // a fixed 2 s, which cut short checks configured for slow links without a word).
    b.budget.ifPresent(o::timeout);
    this.options = o.build();
    this.targets = List.copyOf(b.targets);
    this.stores = List.copyOf(b.stores);
    this.storeInspector = StoreInspector.builder().clock(b.clock).expiryWarning(b.warningWindow).build();
    this.criticalWindow = b.criticalWindow;
    this.warningWindow = b.warningWindow;
    this.refreshInterval = b.refreshInterval;
    this.clock = b.clock;
  }

  /**
   * Starts a health check.
   *
   * @return a builder
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The last result when it is fresh, otherwise the result of a new run (shared with concurrent
   * callers).
   *
   * @return the result; failures of the endpoints are DOWN statuses, never exceptions
   * @since 0.1.0
   */
  public HealthResult check() {
    HealthResult r = last;
    if (fresh(r)) {
      return r;
    }
    CompletableFuture<HealthResult> run;
    boolean mine = false;
    synchronized (lock) {
      r = last;
      if (fresh(r)) {
        return r;
      }
      if (running == null) {
        running = new CompletableFuture<>();
        mine = true;
      }
      run = running;
    }
    if (mine) {
      try {
        HealthResult result = runNow();
        last = result;
        run.complete(result);
      } catch (RuntimeException | Error e) {
        run.completeExceptionally(e);
        throw e;
      } finally {
        synchronized (lock) {
          running = null;
        }
      }
    }
    try {
      return run.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
  }

  /**
   * Runs the targets now, whatever the age of the last result, and keeps the new result.
   *
   * @return the result
   * @since 0.1.0
   */
  public HealthResult refresh() {
    HealthResult result = runNow();
    last = result;
    return result;
  }

  /**
   * The last result, without running anything.
   *
   * @return the last result, or empty before the first run
   * @since 0.1.0
   */
  public Optional<HealthResult> lastResult() {
    return Optional.ofNullable(last);
  }

  /**
   * A startup gate: {@linkplain #check() checks} and throws when any target is DOWN, with one
   * multi-line message naming each target that is not UP, its cause's code and title, and the fix:
   *
   * <pre>
   * TLS health DOWN: 1 of 2 target(s) DOWN
   *   payments.internal:443 DOWN: CERT_EXPIRED - Certificate expired
   *     fix: Renew the certificate ...
   * </pre>
   *
   * @return the result, UP or DEGRADED
   * @throws IllegalStateException when the status is DOWN
   * @since 0.1.0
   */
  public HealthResult requireHealthy() {
    HealthResult result = check();
    if (result.status() == HealthStatus.DOWN) {
      throw new IllegalStateException(result.message());
    }
    return result;
  }

  /**
   * The targets, in order.
   *
   * @return the targets
   * @since 0.1.0
   */
  public List<Target> targets() {
    return targets;
  }

  /**
   * The options each run inspects with: quick, the budget as deadline ({@link
   * InspectOptions#deadline()}: the explicit {@linkplain Builder#budget(Duration) budget}, or else
   * the options' or inspector's timeout), the warning window and the clock.
   *
   * @return the options
   * @since 0.1.0
   */
  public InspectOptions options() {
    return options;
  }

  private boolean fresh(HealthResult r) {
    return r != null && clock.instant().isBefore(r.checkedAt().plus(refreshInterval));
  }

  private HealthResult runNow() {
    Instant now = clock.instant();
    List<Report> reports = inspectAll();
    List<TargetHealth> healths = new ArrayList<>();
    HealthStatus overall = HealthStatus.UP;
    for (Report report : reports) {
      TargetHealth h = assess(report, now);
      healths.add(h);
      overall = overall.worst(h.status());
    }
    List<StoreHealth> storeHealths = new ArrayList<>();
    for (StoreSource store : stores) {
      StoreHealth h = assess(storeInspector.inspect(store), now);
      storeHealths.add(h);
      overall = overall.worst(h.status());
    }
    return new HealthResult(overall, now, healths, storeHealths);
  }

  private StoreHealth assess(StoreReport report, Instant now) {
    Optional<Duration> untilExpiry = report.firstKeyExpiry().map(t -> Duration.between(now, t));
    HealthStatus status;
    if (report.verdict() == Verdict.FAIL
        || untilExpiry.filter(d -> d.compareTo(criticalWindow) < 0).isPresent()) {
      status = HealthStatus.DOWN;
    } else if (report.verdict() == Verdict.WARN
        || untilExpiry.filter(d -> d.compareTo(warningWindow) < 0).isPresent()) {
      status = HealthStatus.DEGRADED;
    } else {
      status = HealthStatus.UP;
    }
    return new StoreHealth(report.store(), status, report, untilExpiry);
  }

  /**
   * The local key and trust stores, in order.
   *
   * @return the stores
   * @since 0.1.0
   */
  public List<StoreSource> stores() {
    return stores;
  }

  private List<Report> inspectAll() {
    if (targets.isEmpty()) {
      return List.of();
    }
    if (targets.size() == 1) {
      return List.of(inspector.inspect(targets.get(0), options));
    }
    // One thread per target: each inspection is bounded by the budget, so the run is too.
    List<CompletableFuture<Report>> futures = new ArrayList<>();
    for (Target t : targets) {
      CompletableFuture<Report> f = new CompletableFuture<>();
      Thread thread = new Thread(() -> {
        try {
          f.complete(inspector.inspect(t, options));
        } catch (Throwable e) {
          f.completeExceptionally(e);
        }
      }, "tls-health-" + t);
      thread.setDaemon(true);
      thread.start();
      futures.add(f);
    }
    List<Report> out = new ArrayList<>();
    for (CompletableFuture<Report> f : futures) {
      try {
        out.add(f.join());
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException re ? re : e;
      }
    }
    return out;
  }

  private TargetHealth assess(Report report, Instant now) {
    Optional<Duration> untilExpiry = report.certificateChain().stream().findFirst()
        .map(leaf -> Duration.between(now, leaf.notAfter()));
    HealthStatus status;
    if (report.verdict() == Verdict.FAIL
        || untilExpiry.filter(d -> d.compareTo(criticalWindow) < 0).isPresent()) {
      status = HealthStatus.DOWN;
    } else if (report.verdict() == Verdict.WARN
        || untilExpiry.filter(d -> d.compareTo(warningWindow) < 0).isPresent()) {
      status = HealthStatus.DEGRADED;
    } else {
      status = HealthStatus.UP;
    }
    return new TargetHealth(report.target(), status, report, untilExpiry);
  }

  /**
   * Builds a {@link TlsHealthCheck}; each setter checks its argument at once.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final List<Target> targets = new ArrayList<>();
    private final List<StoreSource> stores = new ArrayList<>();
    private TlsInspector inspector;
    private InspectOptions options;
    private Optional<Duration> budget = Optional.empty();
    private boolean quick = true;
    private Duration warningWindow = Duration.ofDays(30);
    private Duration criticalWindow = Duration.ofDays(7);
    private Duration refreshInterval = Duration.ofSeconds(60);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Adds a target.
     *
     * @param value the endpoint
     * @return this builder
     */
    public Builder target(Target value) {
      targets.add(Objects.requireNonNull(value, "target"));
      return this;
    }

    /**
     * Adds targets.
     *
     * @param values the endpoints
     * @return this builder
     */
    public Builder targets(Collection<Target> values) {
      values.forEach(this::target);
      return this;
    }

    /**
     * Adds a local key store or trust store, inspected on every run with {@link StoreInspector}
     * (no network): an unreadable store, an expired or mismatched client certificate or an empty
     * trust store makes it DOWN; a client certificate expiring within the windows makes it
     * DEGRADED or DOWN like a target's leaf.
     *
     * @param value the store
     * @return this builder
     * @since 0.1.0
     */
    public Builder store(StoreSource value) {
      stores.add(Objects.requireNonNull(value, "store"));
      return this;
    }

    /**
     * The inspector to run (its provider and checks); default {@link TlsInspector#create()}.
     *
     * @param value the inspector
     * @return this builder
     */
    public Builder inspector(TlsInspector value) {
      this.inspector = Objects.requireNonNull(value, "inspector");
      return this;
    }

    /**
     * The options to start from (trust material, resolver, timeout, ...); default the inspector's.
     * Quick mode, the warning window and the clock of this builder replace theirs; their timeout
     * is the budget unless {@link #budget(Duration)} is given.
     *
     * @param value the options
     * @return this builder
     */
    public Builder options(InspectOptions value) {
      this.options = Objects.requireNonNull(value, "options");
      return this;
    }

    /**
     * The time budget of one inspection; targets run in parallel, so also of one run. It replaces
     * the timeout of the options or inspector; without it, their timeout applies (default 10 s).
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder budget(Duration value) {
      Objects.requireNonNull(value, "budget");
      if (value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException("budget must be positive, got " + value);
      }
      this.budget = Optional.of(value);
      return this;
    }

    /**
     * Quick mode (default on): one handshake plus certificate checks. Off runs full inspections,
     * which need a larger budget.
     *
     * @param value whether to run quick inspections
     * @return this builder
     */
    public Builder quick(boolean value) {
      this.quick = value;
      return this;
    }

    /**
     * A leaf expiring within this window makes the target DEGRADED. Default 30 days.
     *
     * @param value zero or more, not less than the critical window
     * @return this builder
     */
    public Builder warningWindow(Duration value) {
      this.warningWindow = notNegative(value, "warningWindow");
      return this;
    }

    /**
     * A leaf expiring within this window makes the target DOWN. Default 7 days.
     *
     * @param value zero or more, not more than the warning window
     * @return this builder
     */
    public Builder criticalWindow(Duration value) {
      this.criticalWindow = notNegative(value, "criticalWindow");
      return this;
    }

    /**
     * How long {@link TlsHealthCheck#check()} reuses a result. Default 60 s; zero runs every time.
     *
     * @param value zero or more
     * @return this builder
     */
    public Builder refreshInterval(Duration value) {
      this.refreshInterval = notNegative(value, "refreshInterval");
      return this;
    }

    /**
     * The clock that decides when a result is stale, and judges certificate validity. Default
     * {@link Clock#systemUTC()}.
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Builds the health check.
     *
     * @return the health check
     * @throws IllegalStateException when neither a target nor a store was added, or no provider is
     *     on the class path
     * @throws IllegalArgumentException when the critical window is longer than the warning window
     */
    public TlsHealthCheck build() {
      if (targets.isEmpty() && stores.isEmpty()) {
        throw new IllegalStateException("a TlsHealthCheck needs at least one target or store");
      }
      if (criticalWindow.compareTo(warningWindow) > 0) {
        throw new IllegalArgumentException("criticalWindow (" + criticalWindow
            + ") must not be longer than warningWindow (" + warningWindow + ")");
      }
      return new TlsHealthCheck(this, inspector != null ? inspector : TlsInspector.create());
    }

    private static Duration notNegative(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, got " + d);
      }
      return d;
    }
  }
}
