package dev.tlsinspect.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code tls-inspect serve}: a Prometheus multi-target exporter (like blackbox_exporter) with a
 * status page, on the JDK's HTTP server.
 *
 * <ul>
 *   <li>{@code /probe?target=host:port[&module=quick|full]}: the report as metrics ({@link ProbeMetrics});
 *   <li>{@code /metrics}: the exporter's own metrics, by the Prometheus Java client;
 *   <li>{@code /}: the configured targets, refreshed in the background every {@code refresh};
 *   <li>{@code /report?target=host:port}: the report as the HTML page of {@code --html}.
 * </ul>
 *
 * <p>Only configured targets and hosts matching an allow pattern are inspected: anything else is
 * refused with 403, so the exporter cannot be used to scan other networks. Threads and memory are
 * bounded: a fixed pool of HTTP workers, a fixed pool of inspection workers with a bounded queue
 * (a full queue answers 503), at most {@code max-cached} reports, and every inspection has the
 * configured deadline. A report answers for {@code cache-ttl}; concurrent requests for the same
 * target share one inspection.
 */
final class Exporter implements AutoCloseable {
  private static final int HTTP_THREADS = 8;

  /** One inspection's result, with its metrics text already rendered (a cached /probe copies bytes). */
  record Entry(Report report, Instant checkedAt, Duration took, byte[] metrics) {}

  private final ServeConfig config;
  private final Clock clock;
  private final Map<String, TlsInspector> inspectors = new HashMap<>();
  private final HttpServer server;
  private final ThreadPoolExecutor httpPool;
  private final ThreadPoolExecutor probePool;
  private final ScheduledExecutorService scheduler;
  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompletableFuture<Entry>> inflight = new ConcurrentHashMap<>();

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests;
  private final Counter probes;
  private final Histogram inspectionSeconds;

  private Exporter(ServeConfig config, Clock clock) throws IOException {
    this.config = config;
    this.clock = clock;
    TrustMaterial trust = TrustMaterial.jvmDefault();
    if (!config.caFiles().isEmpty()) {
      trust = trust.plus(TrustMaterial.pem(config.caFiles().toArray(java.nio.file.Path[]::new)));
    }
    for (String module : ServeConfig.MODULES) {
      InspectOptions options = InspectOptions.builder().timeout(config.timeout()).trust(trust)
          .expiryWarning(Duration.ofDays(config.expiryWarningDays())).quick(module.equals("quick")).build();
      inspectors.put(module, TlsInspector.builder().options(options).build());
    }
    requests = Counter.builder().name("tlsinspect_exporter_requests_total")
        .help("HTTP requests by path and status").labelNames("path", "status").register(registry);
    probes = Counter.builder().name("tlsinspect_exporter_probes_total")
        .help("Probe and report requests by how they were answered: cached, inspected, refused "
            + "(not allowed), rejected (queue full), timeout, error")
        .labelNames("result").register(registry);
    inspectionSeconds = Histogram.builder().name("tlsinspect_exporter_inspection_seconds")
        .help("How long inspections took").classicUpperBounds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
        .register(registry);
    AtomicInteger threadNumber = new AtomicInteger();
    probePool = new ThreadPoolExecutor(config.workers(), config.workers(), 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(config.queue()),
        r -> daemon(r, "tls-inspect-serve-inspect-" + threadNumber.incrementAndGet()),
        new ThreadPoolExecutor.AbortPolicy());
    probePool.allowCoreThreadTimeOut(true);
    GaugeWithCallback.builder().name("tlsinspect_exporter_queue_depth")
        .help("Inspections waiting for a worker").callback(cb -> cb.call(probePool.getQueue().size()))
        .register(registry);
    GaugeWithCallback.builder().name("tlsinspect_exporter_inspections_running")
        .help("Inspections running now").callback(cb -> cb.call(probePool.getActiveCount()))
        .register(registry);
    GaugeWithCallback.builder().name("tlsinspect_exporter_cached_reports")
        .help("Reports held in the cache").callback(cb -> cb.call(cache.size())).register(registry);
    AtomicInteger httpNumber = new AtomicInteger();
    // A full HTTP queue makes the accepting thread answer itself: slower, never unbounded.
    httpPool = new ThreadPoolExecutor(HTTP_THREADS, HTTP_THREADS, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(256), r -> daemon(r, "tls-inspect-serve-http-" + httpNumber.incrementAndGet()),
        new ThreadPoolExecutor.CallerRunsPolicy());
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "tls-inspect-serve-refresh"));
    server = HttpServer.create(config.listen(), 64);
    server.setExecutor(httpPool);
    server.createContext("/", this::handle);
  }

  /** Starts listening and refreshing the configured targets. */
  static Exporter start(ServeConfig config) throws IOException {
    return start(config, Clock.systemUTC());
  }

  static Exporter start(ServeConfig config, Clock clock) throws IOException {
    Exporter e = new Exporter(config, clock);
    e.server.start();
    e.scheduler.scheduleWithFixedDelay(e::refreshAll, 0, config.refresh().toMillis(), TimeUnit.MILLISECONDS);
    return e;
  }

  /** Where it listens (the port is chosen when the configuration says 0). */
  InetSocketAddress address() {
    return server.getAddress();
  }

  /** The base URL, http://127.0.0.1:PORT. */
  String url() {
    InetSocketAddress a = address();
    String host = a.getAddress().getHostAddress();
    return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    server.stop(0);
    httpPool.shutdownNow();
    probePool.shutdownNow();
  }

  /**
   * Inspects every configured target again, unless one is already running. A long list is fed in
   * as workers free up, filling at most half the queue, so that requests for other targets still
   * find room.
   */
  void refreshAll() {
    int limit = Math.max(1, config.queue() / 2);
    for (Target t : config.targets()) {
      try {
        while (probePool.getQueue().size() >= limit) {
          if (probePool.isShutdown()) {
            return;
          }
          Thread.sleep(20);
        }
        inspect(config.module(), t);
      } catch (RejectedExecutionException e) {
        // The queue filled up meanwhile: this target waits for the next round.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The cached report of a configured target for the default module, if any. */
  Optional<Entry> cached(Target t) {
    return Optional.ofNullable(cache.get(config.module() + "|" + ServeConfig.key(t)));
  }

  /** Starts (or joins) an inspection; a full queue throws RejectedExecutionException. */
  CompletableFuture<Entry> inspect(String module, Target target) {
    String key = module + "|" + ServeConfig.key(target);
    CompletableFuture<Entry> created = new CompletableFuture<>();
    CompletableFuture<Entry> running = inflight.putIfAbsent(key, created);
    if (running != null) {
      return running;
    }
    try {
      probePool.execute(() -> {
        try {
          long start = System.nanoTime();
          Report report = inspectors.get(module).inspect(target);
          Duration took = Duration.ofNanos(System.nanoTime() - start);
          inspectionSeconds.observe(took.toNanos() / 1e9);
          Instant now = clock.instant();
          Entry entry = new Entry(report, now, took, ProbeMetrics.render(report, now, took));
          put(key, entry);
          created.complete(entry);
        } catch (RuntimeException | Error e) {
          created.completeExceptionally(e);
        } finally {
          inflight.remove(key, created);
        }
      });
    } catch (RejectedExecutionException e) {
      inflight.remove(key, created);
      throw e;
    }
    return created;
  }

  private void put(String key, Entry entry) {
    cache.put(key, entry);
    // Rarely over the bound (each allowed host is one entry): drop the oldest, keeping configured ones.
    while (cache.size() > config.maxCached() + config.targets().size()) {
      cache.entrySet().stream().min(Comparator.comparing(e -> e.getValue().checkedAt()))
          .ifPresent(e -> cache.remove(e.getKey(), e.getValue()));
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String label = switch (path) {
      case "/", "/probe", "/metrics", "/report" -> path;
      default -> "other";
    };
    int status;
    try {
      if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        status = send(ex, 405, "text/plain; charset=utf-8", "only GET\n");
      } else {
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        status = switch (path) {
          case "/probe" -> probe(ex, query, false);
          case "/report" -> probe(ex, query, true);
          case "/metrics" -> metrics(ex);
          case "/" -> send(ex, 200, "text/html; charset=utf-8", StatusPage.render(this, config, clock.instant()));
          default -> send(ex, 404, "text/plain; charset=utf-8", "not found: /probe?target=HOST:PORT, /metrics, /, /report?target=HOST:PORT\n");
        };
      }
    } catch (RuntimeException e) {
      status = send(ex, 500, "text/plain; charset=utf-8", "internal error: "
          + dev.tlsinspect.SafeText.of(Cli.firstLine(String.valueOf(e))) + "\n");
    } finally {
      ex.close();
    }
    requests.labelValues(label, Integer.toString(status)).inc();
  }

  private int probe(HttpExchange ex, Map<String, String> query, boolean html) throws IOException {
    String text = "text/plain; charset=utf-8";
    String value = query.get("target");
    if (value == null || value.isBlank()) {
      return send(ex, 400, text, "missing target: " + (html ? "/report" : "/probe") + "?target=HOST:PORT\n");
    }
    String module = query.getOrDefault("module", config.module());
    if (!ServeConfig.MODULES.contains(module)) {
      return send(ex, 400, text, "unknown module '" + dev.tlsinspect.SafeText.of(module, 64) + "': use quick or full\n");
    }
    Target target;
    try {
      target = Target.parse(value);
    } catch (IllegalArgumentException e) {
      return send(ex, 400, text, "bad target: " + dev.tlsinspect.SafeText.of(Cli.firstLine(e.getMessage())) + "\n");
    }
    if (!config.allows(target)) {
      probes.labelValues("refused").inc();
      return send(ex, 403, text, "target '" + dev.tlsinspect.SafeText.of(value, 256) + "' is not allowed: tls-inspect "
          + "serve inspects only the configuration's targets and hosts matching its allow patterns\n");
    }
    String key = module + "|" + ServeConfig.key(target);
    Entry entry = cache.get(key);
    if (entry != null && entry.checkedAt().plus(config.cacheTtl()).isAfter(clock.instant())) {
      probes.labelValues("cached").inc();
    } else {
      try {
        // The inspection's own deadline bounds this wait; the slack covers the queue and rendering.
        entry = inspect(module, target).get(config.timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        probes.labelValues("inspected").inc();
      } catch (RejectedExecutionException e) {
        probes.labelValues("rejected").inc();
        return send(ex, 503, text, "too many inspections waiting (queue " + config.queue() + "): try again later\n");
      } catch (TimeoutException e) {
        probes.labelValues("timeout").inc();
        return send(ex, 504, text, "the inspection did not finish in time\n");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return send(ex, 503, text, "shutting down\n");
      } catch (ExecutionException e) {
        probes.labelValues("error").inc();
        return send(ex, 500, text, "internal error: "
            + dev.tlsinspect.SafeText.of(Cli.firstLine(String.valueOf(e.getCause()))) + "\n");
      }
    }
    if (html) {
      return send(ex, 200, "text/html; charset=utf-8", HtmlReport.render(entry.report()));
    }
    return send(ex, 200, ProbeMetrics.CONTENT_TYPE, entry.metrics());
  }

  private int metrics(HttpExchange ex) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    writer.write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
    return send(ex, 200, writer.getContentType(), out.toByteArray());
  }

  /** The root causes of a report as codes, or the findings' worst codes when there is none. */
  static List<String> rootCauseCodes(Report report) {
    return report.rootCauses().stream().map(Finding::code).map(c -> c.name()).distinct().toList();
  }

  private static int send(HttpExchange ex, int status, String type, String body) throws IOException {
    return send(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static int send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    if (type.startsWith("text/html")) {
      // The pages need no script and load nothing: say so, as a second line behind the escaping.
      ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    }
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
    return status;
  }

  /** The query parameters (the first of each name); at most 16, each at most 1 KB. */
  static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.length() > 4096) {
      return out;
    }
    for (String part : raw.split("&", 16)) {
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      String value = eq < 0 ? "" : part.substring(eq + 1);
      try {
        out.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        // A malformed escape: the parameter is left out, and a missing target says so.
      }
    }
    return out;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
