package dev.tlsinspect.cli;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.ScanOptions;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.probe.HandshakeProbe;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/*
 * tls-inspect scan: many targets, one result line each as it finishes, a summary at the end.
 *
 * Memory stays bounded whatever the number of targets: the targets are read twice, lazily (once
 * to validate and count them before anything is connected, once to inspect them), results are
 * written as they come and forgotten, the summary keeps counters and the N soonest expiries, and
 * the JUnit test cases go to a temporary file next to the report (the XML's header holds the
 * counts, known only at the end).
 */
/** Runs {@code tls-inspect scan}. */
final class Scan {
  private final PrintStream out;
  private final PrintStream err;
  private final boolean progressBar;
  private final Clock clock;

  Scan(PrintStream out, PrintStream err) {
    this(out, err, err == System.err && System.console() != null, Clock.systemUTC());
  }

  Scan(PrintStream out, PrintStream err, boolean progressBar, Clock clock) {
    this.out = out;
    this.err = err;
    this.progressBar = progressBar;
    this.clock = clock;
  }

  int run(ScanCommand o) {
    if (o.targets == null && o.hosts.isEmpty()) {
      throw UsageException.badArgument("give the targets: --targets FILE or HOST[:PORT]...");
    }
    if (o.jsonl && o.csv) {
      throw UsageException.badArgument("--jsonl and --csv cannot be used together (both write to "
          + "standard output)");
    }
    if (o.expiryWarningDays < 0) {
      throw UsageException.badArgument("--expiry-warning must be 0 or more days, got " + o.expiryWarningDays);
    }
    if (o.expiries < 0 || o.expiries > 1000) {
      throw UsageException.badArgument("--expiries must be between 0 and 1000, got " + o.expiries);
    }
    if (o.timeout.isZero() || o.timeout.isNegative()) {
      throw UsageException.badArgument("--timeout must be positive, got " + o.timeout);
    }
    o.endpoint.validate();
    ScanOptions limits;
    TlsInspector inspector;
    try {
      limits = ScanOptions.builder().concurrency(o.concurrency).perHost(o.perHost).rate(o.rate)
          .delay(o.delay == null ? Duration.ZERO : o.delay).build();
      InspectOptions.Builder b = InspectOptions.builder()
          .timeout(o.timeout)
          .trust(o.endpoint.trust())
          .expiryWarning(Duration.ofDays(o.expiryWarningDays))
          .quick(!o.full);
      o.endpoint.clientCredentials().ifPresent(b::clientCredentials);
      TlsInspector.Builder ib = TlsInspector.builder().options(b.build());
      if (o.provider != null) {
        HandshakeProbe pinned = Cli.findProbe(o.provider);
        ib.probe(pinned);
      }
      inspector = ib.build();
    } catch (IllegalArgumentException e) {
      throw UsageException.badArgument(e.getMessage().replace("concurrency", "--concurrency")
          .replace("perHost", "--per-host").replace("rate must", "--rate must")
          .replace("delay must", "--delay must"));
    }
    long total = ScanTargets.count(o.hosts, o.targets, o.endpoint);
    if (total == 0) {
      throw UsageException.badArgument("no targets in " + o.targets + " (only blank or comment lines)");
    }

    Summary summary = new Summary(o.expiries, clock);
    Progress progress = progressBar ? new Progress(err, total) : null;
    try (JUnitFile junit = o.junitXml == null ? null : JUnitFile.create(o.junitXml);
        ScanTargets targets = new ScanTargets(o.hosts, o.targets, o.endpoint)) {
      if (o.csv) {
        out.print(ScanFormats.CSV_HEADER + "\r\n");
      }
      Iterable<dev.tlsinspect.Target> once = () -> targets;
      inspector.inspectAll(once, limits, report -> {
        summary.add(report);
        if (progress != null) {
          progress.clear();
        }
        if (o.jsonl) {
          out.println(ScanFormats.jsonLine(report));
        } else if (o.csv) {
          out.print(ScanFormats.csvLine(report, clock.instant()) + "\r\n");
        } else {
          out.println(ScanFormats.textLine(report));
        }
        out.flush();
        if (junit != null) {
          junit.add(report);
        }
        if (progress != null) {
          progress.done();
        }
      });
      if (progress != null) {
        progress.clear();
      }
      if (junit != null) {
        junit.finish(summary);
      }
    } catch (IOException e) {
      throw UsageException.unavailable("cannot write --junit-xml " + o.junitXml + ": " + e.getMessage());
    } catch (UncheckedIOException e) {
      throw UsageException.unavailable("cannot write --junit-xml " + o.junitXml + ": "
          + e.getCause().getMessage());
    }
    PrintStream summaryStream = o.jsonl || o.csv ? err : out;
    summaryStream.print(summary.render());
    summaryStream.flush();
    return Cli.exitStatus(summary.worst());
  }

  /** Counters by verdict and root cause, and the soonest leaf expiries; bounded. */
  static final class Summary {
    private final long start = System.nanoTime();
    private final int keep;
    private final Clock clock;
    private final Map<Verdict, Long> byVerdict = new java.util.EnumMap<>(Verdict.class);
    private final Map<String, Long> byRootCause = new TreeMap<>();
    /** The soonest expiries, the latest of them on top (so it is the one replaced). */
    private final PriorityQueue<Expiry> soonest =
        new PriorityQueue<>(Comparator.comparing(Expiry::notAfter).reversed());
    private long count;
    private Verdict worst = Verdict.PASS;

    record Expiry(Instant notAfter, String target) {}

    Summary(int keep, Clock clock) {
      this.keep = keep;
      this.clock = clock;
    }

    void add(Report r) {
      count++;
      byVerdict.merge(r.verdict(), 1L, Long::sum);
      if (r.verdict().compareTo(worst) > 0) {
        worst = r.verdict();
      }
      r.rootCauses().stream().map(f -> f.code().toString()).distinct()
          .forEach(c -> byRootCause.merge(c, 1L, Long::sum));
      ScanFormats.leafNotAfter(r).ifPresent(n -> {
        if (keep == 0) {
          return;
        }
        soonest.add(new Expiry(n, r.target().toString()));
        if (soonest.size() > keep) {
          soonest.poll();
        }
      });
    }

    long count() {
      return count;
    }

    long count(Verdict v) {
      return byVerdict.getOrDefault(v, 0L);
    }

    Verdict worst() {
      return worst;
    }

    String render() {
      double seconds = (System.nanoTime() - start) / 1e9;
      StringBuilder b = new StringBuilder();
      b.append(String.format(java.util.Locale.ROOT, "%nScanned %d target%s in %.1f s (%.1f/s): %d PASS, %d WARN, %d FAIL%n",
          count, count == 1 ? "" : "s", seconds, seconds > 0 ? count / seconds : 0.0,
          count(Verdict.PASS), count(Verdict.WARN), count(Verdict.FAIL)));
      if (!byRootCause.isEmpty()) {
        b.append("By root cause:\n");
        byRootCause.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
            .forEach(e -> b.append(String.format(java.util.Locale.ROOT, "  %-32s %d%n", e.getKey(), e.getValue())));
      }
      if (!soonest.isEmpty()) {
        b.append("Soonest leaf expiries:\n");
        Instant now = clock.instant();
        soonest.stream().sorted(Comparator.comparing(Expiry::notAfter)).forEach(e -> {
          long days = ScanFormats.daysLeft(e.notAfter(), now);
          String when = days < 0 ? "expired " + (-days) + " days ago" : "in " + days + " days";
          b.append(String.format(java.util.Locale.ROOT, "  %s  %-22s %s%n", e.notAfter(), when,
              dev.tlsinspect.SafeText.of(e.target())));
        });
      }
      return b.toString();
    }
  }

  /** The progress bar on a terminal: done/total, rate, ETA; redrawn at most ten times a second. */
  static final class Progress {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final long total;
    private final long start = System.nanoTime();
    private long done;
    private long lastDraw;
    private boolean drawn;

    Progress(PrintStream err, long total) {
      this.err = err;
      this.total = total;
    }

    void done() {
      done++;
      long now = System.nanoTime();
      if (now - lastDraw > 100_000_000L || done == total) {
        lastDraw = now;
        err.print("\r" + line(now));
        err.flush();
        drawn = true;
      }
    }

    void clear() {
      if (drawn) {
        err.print("\r" + " ".repeat(79) + "\r");
        err.flush();
        drawn = false;
        lastDraw = 0;
      }
    }

    String line(long now) {
      double seconds = Math.max(1e-3, (now - start) / 1e9);
      double rate = done / seconds;
      int filled = (int) (WIDTH * done / Math.max(1, total));
      long eta = rate > 0 ? (long) ((total - done) / rate) : 0;
      return String.format(java.util.Locale.ROOT, "[%s%s] %d/%d %.1f/s ETA %d:%02d",
          "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, rate, eta / 60, eta % 60);
    }
  }

  /** JUnit XML written in two parts: the test cases to a temporary file, then the whole. */
  static final class JUnitFile implements AutoCloseable {
    private final Path target;
    private final Path part;
    private final Writer cases;
    private final Instant started = Instant.now();
    private final long start = System.nanoTime();

    private JUnitFile(Path target, Path part, Writer cases) {
      this.target = target;
      this.part = part;
      this.cases = cases;
    }

    static JUnitFile create(Path target) throws IOException {
      Path dir = target.toAbsolutePath().getParent();
      if (dir == null || !Files.isDirectory(dir)) {
        throw new IOException("no such directory");
      }
      Path part = Files.createTempFile(dir, ".tls-inspect-junit", ".part");
      return new JUnitFile(target, part, Files.newBufferedWriter(part, StandardCharsets.UTF_8));
    }

    void add(Report report) {
      try {
        cases.write(ScanFormats.junitCase(report));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void finish(Summary summary) throws IOException {
      cases.close();
      String time = ScanFormats.seconds((System.nanoTime() - start) / 1_000_000L);
      Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), ".tls-inspect-junit", ".xml");
      try {
        write(tmp, summary, time);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }

    private void write(Path tmp, Summary summary, String time) throws IOException {
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        w.write("<testsuites name=\"tls-inspect scan\" tests=\"" + summary.count() + "\" failures=\""
            + summary.count(Verdict.FAIL) + "\" errors=\"0\" time=\"" + time + "\">\n");
        w.write("  <testsuite name=\"tls-inspect scan\" tests=\"" + summary.count() + "\" failures=\""
            + summary.count(Verdict.FAIL) + "\" errors=\"0\" skipped=\"0\" time=\"" + time
            + "\" timestamp=\"" + started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\">\n");
        w.flush();
        try (var in = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
          in.transferTo(w);
        }
        w.write("  </testsuite>\n</testsuites>\n");
      }
    }

    @Override
    public void close() throws IOException {
      try {
        cases.close();
      } finally {
        Files.deleteIfExists(part);
      }
    }
  }
}
