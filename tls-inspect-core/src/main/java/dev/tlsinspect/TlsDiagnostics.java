package dev.tlsinspect;

import dev.tlsinspect.internal.capture.CapturingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures the application's real TLS failures as they happen. {@link #wrap(SSLContext)} returns
 * a context whose sockets and engines behave exactly like the original's (every call is delegated),
 * except that a failed handshake is, on the failing thread and without any I/O there, explained
 * with {@link TlsExplainer}, counted, kept among the last failures ({@link #recentFailures()}, for a
 * health endpoint), and logged at WARN with its root cause and fix, once per endpoint and cause per
 * interval. The caller still receives the original exception, the same instance.
 *
 * <pre>{@code
 * TlsDiagnostics diagnostics = TlsDiagnostics.builder().build();
 * HttpClient client = HttpClient.newBuilder().sslContext(diagnostics.wrap(sslContext)).build();
 * // a health endpoint:
 * diagnostics.recentFailures().forEach(f -> ...);
 * }</pre>
 *
 * <p>With {@link Builder#verifyWith(TlsInspector)} (off by default: it contacts the endpoint), the
 * first failure per endpoint and cause in each interval is also verified against the endpoint in
 * the background: on a small pool of daemon threads with a short queue, at most so many per
 * interval over all endpoints (a verification that finds no room is dropped and counted), each
 * bounded by the inspector's deadline, and the verdict is added to the kept failure and logged.
 *
 * <p>Everything is bounded: the kept failures ({@link Builder#maxRecent(int)}), the endpoints and
 * causes remembered for the once-per-interval rule ({@link Builder#maxTracked(int)}, the least
 * recently seen are forgotten first), the threads and the queue. Nothing global is changed: no
 * default context, no {@code HttpsURLConnection} default. Thread-safe.
 *
 * @since 0.1.0
 */
public final class TlsDiagnostics implements AutoCloseable {
  private static final String UNRECOGNISED = "UNRECOGNISED";
  private static final int MAX_CAUSES = 128;
  private static final int QUEUE = 16;
  private static final int EXPLAINED = 64;
  private static final int MAX_KEY = 1 << 16;

  private final int maxRecent;
  private final int maxTracked;
  private final Duration interval;
  private final Optional<TlsInspector> verifier;
  private final int maxVerifications;
  private Instant windowStart = Instant.MIN;
  private int windowVerifications;
  private final Clock clock;
  private final Logger log;
  private final ThreadPoolExecutor pool;

  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong logged = new AtomicLong();
  private final AtomicLong verificationsStarted = new AtomicLong();
  private final AtomicLong verificationsDropped = new AtomicLong();
  private final ArrayDeque<CapturedFailure> recent = new ArrayDeque<>();
  private final Map<String, Long> byCause = new LinkedHashMap<>();
  private final LinkedHashMap<String, Instant> lastSeen;
  /** A flood repeats one failure: the same text (messages and frames) is explained once. */
  private final LinkedHashMap<String, Explanation> explained = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Explanation> eldest) {
      return size() > EXPLAINED;
    }
  };

  private TlsDiagnostics(Builder b) {
    this.maxRecent = b.maxRecent;
    this.maxTracked = b.maxTracked;
    this.interval = b.interval;
    this.verifier = b.verifier;
    this.maxVerifications = b.maxVerifications;
    this.clock = b.clock;
    this.log = b.log;
    this.lastSeen = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
        return size() > maxTracked;
      }
    };
    if (verifier.isPresent()) {
      AtomicInteger n = new AtomicInteger();
      pool = new ThreadPoolExecutor(b.threads, b.threads, 30, TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "tls-inspect-verify-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          }, (r, executor) -> verificationsDropped.incrementAndGet());
      pool.allowCoreThreadTimeOut(true);
    } else {
      pool = null;
    }
  }

  /**
   * Diagnostics with the defaults of {@link Builder}: no background verification.
   *
   * @return the diagnostics
   * @since 0.1.0
   */
  public static TlsDiagnostics create() {
    return builder().build();
  }

  /**
   * Starts diagnostics with chosen bounds, interval or verification.
   *
   * @return a builder
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A context that behaves exactly like this one and reports its handshake failures here. Give
   * it where the application gives its context: {@code HttpClient.newBuilder().sslContext(...)},
   * {@code connection.setSSLSocketFactory(wrapped.getSocketFactory())}, an {@code SSLEngine}
   * factory. The original is not changed.
   *
   * @param context the application's initialised context
   * @return the wrapping context
   * @since 0.1.0
   */
  public SSLContext wrap(SSLContext context) {
    Objects.requireNonNull(context, "context");
    return new CapturingContext(context, this::failed);
  }

  /**
   * The last failures, oldest first; at most {@link Builder#maxRecent(int)}.
   *
   * @return an immutable copy
   * @since 0.1.0
   */
  public List<CapturedFailure> recentFailures() {
    synchronized (recent) {
      return List.copyOf(recent);
    }
  }

  /**
   * The counters, for a health endpoint or metrics.
   *
   * @return a snapshot
   * @since 0.1.0
   */
  public Stats stats() {
    Map<String, Long> causes;
    synchronized (byCause) {
      causes = Collections.unmodifiableMap(new LinkedHashMap<>(byCause));
    }
    int tracked;
    synchronized (lastSeen) {
      tracked = lastSeen.size();
    }
    return new Stats(failures.get(), logged.get(), verificationsStarted.get(),
        verificationsDropped.get(), tracked, causes);
  }

  /**
   * Stops the verification threads; captured failures are still explained, logged and kept.
   *
   * @since 0.1.0
   */
  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  /*
   * On the failing thread: explain (pure), count, keep, and decide whether this endpoint and
   * cause is new in this interval; only then log and hand a verification to the pool. Never
   * throws, never blocks on I/O.
   */
  private void failed(String host, int port, Throwable error) {
    try {
      Explanation explanation = explain(error);
      Optional<Explanation.Candidate> top = explanation.mostLikely();
      String cause = top.map(c -> c.code().name()).orElse(UNRECOGNISED);
      long sequence = failures.incrementAndGet();
      synchronized (byCause) {
        if (byCause.containsKey(cause) || byCause.size() < MAX_CAUSES) {
          byCause.merge(cause, 1L, Long::sum);
        }
      }
      Throwable root = error;
      for (int i = 0; i < 32 && root.getCause() != null && root.getCause() != root; i++) {
        root = root.getCause();
      }
      String remediation = top.map(c -> c.why() + (c.confirm().isEmpty() ? "" : " Confirm: " + c.confirm()))
          .orElse("Not recognised as a TLS failure: see the exception.");
      CapturedFailure failure = new CapturedFailure(sequence, clock.instant(), host, port,
          top.map(Explanation.Candidate::code), explanation.summary(), remediation,
          SafeText.of(describe(error)), SafeText.of(describe(root)), Optional.empty(), Optional.empty());
      synchronized (recent) {
        recent.addLast(failure);
        while (recent.size() > maxRecent) {
          recent.removeFirst();
        }
      }
      if (!firstInInterval(host + ":" + port + "|" + cause, failure.at())) {
        return;
      }
      logged.incrementAndGet();
      log.warn("TLS handshake to {} failed: {}. {} Fix: {}", SafeText.of(failure.endpoint()),
          failure.rootError(), SafeText.of(explanation.summary()), SafeText.of(remediation, 2048));
      if (verifier.isPresent() && top.isPresent() && !host.isEmpty() && port > 0) {
        if (withinBudget(failure.at())) {
          verifyLater(failure, explanation);
        } else {
          verificationsDropped.incrementAndGet();
        }
      }
    } catch (RuntimeException | StackOverflowError e) {
      // The application's exception is what matters; ours must never replace it.
      log.debug("capturing a TLS failure failed", e);
    }
  }

  /** TlsExplainer's reading of the exception, from the cache when the same text was seen. */
  private Explanation explain(Throwable error) {
    String key = text(error);
    synchronized (explained) {
      Explanation cached = explained.get(key);
      if (cached != null) {
        return cached;
      }
    }
    Explanation fresh = TlsExplainer.explain(error);
    synchronized (explained) {
      explained.put(key, fresh);
    }
    return fresh;
  }

  /** What TlsExplainer reads: each cause's and suppressed exception's type, message and frames. */
  private static String text(Throwable error) {
    StringBuilder b = new StringBuilder();
    java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>();
    todo.add(error);
    while (!todo.isEmpty() && b.length() < MAX_KEY && seen.size() < 32) {
      Throwable t = todo.poll();
      if (!seen.add(t)) {
        continue;
      }
      b.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
      for (StackTraceElement f : t.getStackTrace()) {
        b.append(f).append('\n');
      }
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
      todo.addAll(java.util.List.of(t.getSuppressed()));
    }
    return b.toString();
  }

  private boolean firstInInterval(String key, Instant now) {
    synchronized (lastSeen) {
      Instant last = lastSeen.get(key);
      if (last != null && Duration.between(last, now).compareTo(interval) < 0) {
        return false;
      }
      lastSeen.put(key, now);
      return true;
    }
  }

  /** A flood of new endpoints must not become a flood of outbound inspections. */
  private synchronized boolean withinBudget(Instant now) {
    if (windowStart == Instant.MIN || Duration.between(windowStart, now).compareTo(interval) >= 0) {
      windowStart = now;
      windowVerifications = 0;
    }
    if (windowVerifications >= maxVerifications) {
      return false;
    }
    windowVerifications++;
    return true;
  }

  private void verifyLater(CapturedFailure failure, Explanation explanation) {
    try {
      pool.execute(() -> {
        verificationsStarted.incrementAndGet();
        try {
          Explanation verified = verifier.get().verify(explanation, Target.of(failure.host(), failure.port()));
          verified.verification().ifPresent(v -> {
            update(failure, v.summary(), v.confirmed());
            log.info("TLS handshake to {}: {}", SafeText.of(failure.endpoint()), SafeText.of(v.summary(), 2048));
          });
        } catch (RuntimeException e) {
          log.debug("verifying the TLS failure to {} failed", SafeText.of(failure.endpoint()), e);
        }
      });
    } catch (RejectedExecutionException closed) {
      verificationsDropped.incrementAndGet();
    }
  }

  private void update(CapturedFailure failure, String summary, Optional<Code> confirmed) {
    synchronized (recent) {
      List<CapturedFailure> copy = new ArrayList<>(recent);
      int i = copy.indexOf(failure);
      if (i >= 0) {
        copy.set(i, failure.withVerification(summary, confirmed));
        recent.clear();
        recent.addAll(copy);
      }
    }
  }

  private static String describe(Throwable t) {
    return t.getClass().getName() + ": " + t.getMessage();
  }

  /**
   * The counters of {@link TlsDiagnostics}.
   *
   * @param failures handshake failures captured
   * @param logged WARN lines written (one per endpoint and cause per interval)
   * @param verificationsStarted background verifications started
   * @param verificationsDropped verifications not made because the pool and its queue were full
   * @param tracked endpoints and causes remembered for the once-per-interval rule
   * @param byCause failures per most likely cause ({@code UNRECOGNISED} when none)
   * @since 0.1.0
   */
  public record Stats(long failures, long logged, long verificationsStarted, long verificationsDropped,
      int tracked, Map<String, Long> byCause) {
    /**
     * Copies.
     *
     * @throws NullPointerException when byCause is null
     */
    public Stats {
      byCause = Map.copyOf(byCause);
    }
  }

  /**
   * Builds {@link TlsDiagnostics}.
   *
   * <p>Defaults: the last 50 failures kept, one log line (and verification) per endpoint and cause
   * every 5 minutes, 1,000 endpoints and causes remembered, no verification; when verifying, 2
   * threads, a queue of 16 and at most 20 verifications per interval; the system clock, the logger {@code dev.tlsinspect.TlsDiagnostics}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private int maxRecent = 50;
    private int maxTracked = 1_000;
    private Duration interval = Duration.ofMinutes(5);
    private Optional<TlsInspector> verifier = Optional.empty();
    private int threads = 2;
    private int maxVerifications = 20;
    private Clock clock = Clock.systemUTC();
    private Logger log = LoggerFactory.getLogger(TlsDiagnostics.class);

    private Builder() {}

    /**
     * How many of the last failures to keep.
     *
     * @param value 1 or more
     * @return this builder
     */
    public Builder maxRecent(int value) {
      this.maxRecent = atLeastOne(value, "maxRecent");
      return this;
    }

    /**
     * How many endpoints and causes to remember for the once-per-interval rule.
     *
     * @param value 1 or more
     * @return this builder
     */
    public Builder maxTracked(int value) {
      this.maxTracked = atLeastOne(value, "maxTracked");
      return this;
    }

    /**
     * How often the same endpoint and cause is logged and verified again.
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder interval(Duration value) {
      Objects.requireNonNull(value, "interval");
      if (value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException("interval must be positive, got " + value);
      }
      this.interval = value;
      return this;
    }

    /**
     * Verifies each new failure against its endpoint in the background with this inspector
     * ({@link TlsInspector#verify(Explanation, Target)}), bounded by its options' deadline.
     * Off by default, because it contacts the endpoint.
     *
     * @param inspector the inspector, for example one built with the application's
     *     {@link ClientTls}
     * @return this builder
     */
    public Builder verifyWith(TlsInspector inspector) {
      this.verifier = Optional.of(Objects.requireNonNull(inspector, "inspector"));
      return this;
    }

    /**
     * How many verifications may start per interval, over all endpoints (default 20): beyond it
     * they are dropped and counted, so that a flood of failures to many endpoints does not become
     * a flood of outbound connections.
     *
     * @param value 1 or more
     * @return this builder
     */
    public Builder maxVerificationsPerInterval(int value) {
      this.maxVerifications = atLeastOne(value, "maxVerificationsPerInterval");
      return this;
    }

    /**
     * How many verifications may run at once.
     *
     * @param value 1 or more
     * @return this builder
     */
    public Builder verificationThreads(int value) {
      this.threads = atLeastOne(value, "verificationThreads");
      return this;
    }

    /**
     * The clock failures are stamped and intervals measured with.
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * The logger the WARN lines go to.
     *
     * @param value the logger
     * @return this builder
     */
    public Builder logger(Logger value) {
      this.log = Objects.requireNonNull(value, "logger");
      return this;
    }

    /**
     * Builds the diagnostics.
     *
     * @return the diagnostics
     */
    public TlsDiagnostics build() {
      return new TlsDiagnostics(this);
    }

    private static int atLeastOne(int value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, got " + value);
      }
      return value;
    }
  }
}
