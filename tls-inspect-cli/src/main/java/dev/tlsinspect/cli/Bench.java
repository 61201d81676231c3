package dev.tlsinspect.cli;

import dev.tlsinspect.Report;
import dev.tlsinspect.Target;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/*
 * The benchmark behind bench/run: one JVM, warm-up runs first, then timed runs, median reported.
 * Not part of the tool's interface (package-private, started with java -cp ... Bench).
 *
 *   Bench full-scan [--runs N] [--warmup N] [--pause MS] [CLI options] HOST[:PORT]   (default --provider bc)
 *   Bench quick     [--runs N] [--warmup N] [CLI options] HOST[:PORT]   (also a bare JSSE handshake)
 *   Bench soak      [--runs N] [CLI options] HOST[:PORT]    (quick runs; threads, fds, heap before/after)
 *
 * --pause MS waits that long, untimed, after each run: a server that stalls after an inspection's
 * last connection (openssl s_server -www sleeps a second after refusing a renegotiation) then
 * meets the next run idle, as it meets a single inspection.
 *
 * HOST "local" starts an in-JVM loopback TLS server from the test kit (a fresh private CA,
 * trusted through a temporary --ca-file), so quick and soak need no external server.
 *
 * Each timed run is a whole TlsInspector.inspect(target), as a user calling the library gets it.
 * The report's protocols and suites are compared across runs, so a speed-up that changes results,
 * or a flaky server, shows up as results_stable=false.
 */
final class Bench {
  private static final int DEFAULT_RUNS = 10;
  private static final int DEFAULT_WARMUP = 3;

  private Bench() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(System.out, System.err, args));
  }

  static int run(PrintStream out, PrintStream err, String... args) throws Exception {
    if (args.length < 1 || !List.of("full-scan", "quick", "soak").contains(args[0])) {
      err.println("usage: bench/run full-scan|quick|soak [--runs N] [--warmup N] [tls-inspect options] HOST[:PORT]|local");
      return Cli.EXIT_ERROR;
    }
    String mode = args[0];
    int runs = DEFAULT_RUNS;
    int warmup = DEFAULT_WARMUP;
    pauseMillis = 0;
    List<String> cliArgs = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--pause") && i + 1 < args.length) {
        pauseMillis = Math.max(0, Long.parseLong(args[++i]));
      } else if ((args[i].equals("--runs") || args[i].equals("--warmup")) && i + 1 < args.length) {
        int n = Integer.parseInt(args[++i]);
        if (args[i - 1].equals("--runs")) {
          runs = Math.max(1, n);
        } else {
          warmup = Math.max(0, n);
        }
      } else {
        cliArgs.add(args[i]);
      }
    }
    if (!cliArgs.contains("--provider") && cliArgs.stream().noneMatch(a -> a.startsWith("--provider="))
        && mode.equals("full-scan")) {
      cliArgs.add(0, "bc");
      cliArgs.add(0, "--provider");
    }
    if ((mode.equals("quick") || mode.equals("soak")) && !cliArgs.contains("--quick")) {
      cliArgs.add(0, "--quick");
    }
    LocalServer local = cliArgs.contains("local") ? LocalServer.start(cliArgs) : null;
    try {
      return measure(mode, runs, warmup, cliArgs, out, err);
    } finally {
      if (local != null) {
        local.close();
      }
    }
  }

  private static int measure(String mode, int runs, int warmup, List<String> cliArgs,
      PrintStream out, PrintStream err) throws Exception {
    Cli.Prepared prepared;
    try {
      prepared = new Cli(InputStream.nullInputStream(), out, err).prepare(cliArgs.toArray(String[]::new));
    } catch (UsageException e) {
      err.println("bench: " + dev.tlsinspect.SafeText.of(Cli.firstLine(e.getMessage())));
      return Cli.EXIT_ERROR;
    }
    Target target = prepared.target();
    if (mode.equals("soak")) {
      return soak(prepared, target, runs, out);
    }
    String[] first = new String[1];
    boolean[] stable = {true};
    Callable<Object> inspect = () -> {
      Report r = prepared.inspector().inspect(target);
      String summary = r.verdict() + " " + r.protocols() + " " + r.cipherSuites();
      if (first[0] == null) {
        first[0] = summary;
      } else if (!first[0].equals(summary)) {
        stable[0] = false;
      }
      return r;
    };
    if (mode.equals("quick")) {
      // What an application's own JSSE client does: the same trust anchors, chain and host name
      // checked (the inspection must check them too), a fresh SSLContext so nothing is resumed.
      javax.net.ssl.X509TrustManager trust = prepared.inspector().options().trust().trustManager();
      // Interleaved, one run of each in turn: the three see the same JIT state, the same server
      // state and the same moments of a shared machine's load, so their ratio is fair.
      Timed[] timed = interleave(List.of(inspect, () -> jsseHandshake(target, new AcceptAll()),
          () -> jsseHandshake(target, trust)), warmup, runs);
      out.println(line(mode, timed[0].wall) + cpu(timed[0]) + " provider="
          + prepared.inspector().providerName() + " results_stable=" + stable[0]);
      out.println("# result: " + dev.tlsinspect.SafeText.of(String.valueOf(first[0]), 2048)); // may quote the peer
      out.println(line("jsse-handshake", timed[1].wall) + cpu(timed[1]));
      out.println(line("jsse-handshake-validating", timed[2].wall) + cpu(timed[2]));
      out.println(String.format(java.util.Locale.ROOT,
          "ratio_wall=%.2f ratio_cpu=%.2f (quick / validating JSSE handshake, medians)",
          median(timed[0].wall) / median(timed[2].wall), median(timed[0].cpu) / median(timed[2].cpu)));
      return stable[0] ? Cli.EXIT_PASS : Cli.EXIT_WARN;
    }
    out.println(line(mode, time(inspect, warmup, runs)) + cpu() + " provider="
        + prepared.inspector().providerName() + " results_stable=" + stable[0]);
    out.println("# result: " + dev.tlsinspect.SafeText.of(String.valueOf(first[0]), 2048)); // may quote the peer
    return stable[0] ? Cli.EXIT_PASS : Cli.EXIT_WARN;
  }

  /*
   * Many quick inspections in a row, as a health check that runs for days would make them; what
   * the JVM holds before and after says whether anything leaks (threads, sockets, memory).
   */
  private static int soak(Cli.Prepared prepared, Target target, int runs, PrintStream out)
      throws Exception {
    for (int i = 0; i < 20; i++) {
      prepared.inspector().inspect(target); // warm up lazily created JDK and library state
    }
    long threads = liveThreads();
    long fds = openFiles();
    long heap = usedHeapMb();
    double[] ms = new double[runs];
    int fails = 0;
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      if (prepared.inspector().inspect(target).verdict() == dev.tlsinspect.Verdict.FAIL) {
        fails++;
      }
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    out.println(line("soak", ms) + " fail_runs=" + fails);
    out.println("threads_before=" + threads + " threads_after=" + liveThreads()
        + " fds_before=" + fds + " fds_after=" + openFiles()
        + " heap_mb_before=" + heap + " heap_mb_after=" + usedHeapMb());
    return Cli.EXIT_PASS;
  }

  private static long liveThreads() throws InterruptedException {
    Thread.sleep(200); // let threads that just finished their work end
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> !t.getName().startsWith("tls-inspect-tls-server"))
        .count();
  }

  private static long openFiles() {
    java.io.File[] fds = new java.io.File("/proc/self/fd").listFiles();
    return fds == null ? -1 : fds.length;
  }

  private static long usedHeapMb() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    Runtime rt = Runtime.getRuntime();
    return (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
  }

  /** A loopback server of the test kit standing in for HOST "local". */
  private static final class LocalServer implements AutoCloseable {
    private final dev.tlsinspect.testing.TlsServer server;
    private final java.nio.file.Path pem;

    private LocalServer(dev.tlsinspect.testing.TlsServer server, java.nio.file.Path pem) {
      this.server = server;
      this.pem = pem;
    }

    static LocalServer start(List<String> cliArgs) throws java.io.IOException {
      dev.tlsinspect.testing.IssuedCertificate root =
          dev.tlsinspect.testing.CertificateBuilder.root("bench root").build();
      dev.tlsinspect.testing.IssuedCertificate leaf = dev.tlsinspect.testing.CertificateBuilder
          .leaf("localhost").issuedBy(root).crlUrl("http://127.0.0.1:9/bench.crl").build();
      dev.tlsinspect.testing.TlsServer server = dev.tlsinspect.testing.TlsServer.builder()
          .certificate(leaf).maxConcurrentConnections(8).start();
      java.nio.file.Path pem = java.nio.file.Files.createTempFile("bench-root", ".pem");
      java.nio.file.Files.writeString(pem, root.toPem());
      int at = cliArgs.indexOf("local");
      cliArgs.set(at, "localhost:" + server.port());
      cliArgs.addAll(at, List.of("--ca-file", pem.toString(), "--connect", "127.0.0.1"));
      return new LocalServer(server, pem);
    }

    @Override
    public void close() throws java.io.IOException {
      server.close();
      java.nio.file.Files.deleteIfExists(pem);
    }
  }

  /** --pause: untimed wait after each run of {@link #time}. */
  private static long pauseMillis;

  /** The median CPU time of the calling thread per run in the last {@link #time}. */
  private static double lastCpuMedianMs;

  /*
   * Wall time, and the calling thread's CPU time: a quick inspection and a bare handshake do all
   * their client-side work on the calling thread, and CPU time does not move with the load of a
   * shared machine the way wall time does.
   */
  private static double[] time(Callable<Object> task, int warmup, int runs) throws Exception {
    for (int i = 0; i < warmup; i++) {
      Objects.requireNonNull(task.call());
      Thread.sleep(pauseMillis);
    }
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    double[] ms = new double[runs];
    double[] cpu = new double[runs];
    for (int i = 0; i < runs; i++) {
      long cpuStart = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      Objects.requireNonNull(task.call());
      ms[i] = (System.nanoTime() - start) / 1e6;
      cpu[i] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6;
      Thread.sleep(pauseMillis);
    }
    Arrays.sort(ms);
    Arrays.sort(cpu);
    lastCpuMedianMs = runs % 2 == 1 ? cpu[runs / 2] : (cpu[runs / 2 - 1] + cpu[runs / 2]) / 2;
    return ms;
  }

  /** Wall and calling-thread CPU milliseconds of each run, sorted. */
  private record Timed(double[] wall, double[] cpu) {}

  /** Runs the tasks in turn, one run of each per round, after the warm-up rounds. */
  private static Timed[] interleave(List<Callable<Object>> tasks, int warmup, int runs) throws Exception {
    for (int i = 0; i < warmup; i++) {
      for (Callable<Object> t : tasks) {
        Objects.requireNonNull(t.call());
      }
    }
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    Timed[] out = new Timed[tasks.size()];
    for (int t = 0; t < out.length; t++) {
      out[t] = new Timed(new double[runs], new double[runs]);
    }
    for (int i = 0; i < runs; i++) {
      for (int t = 0; t < out.length; t++) {
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        Objects.requireNonNull(tasks.get(t).call());
        out[t].wall[i] = (System.nanoTime() - start) / 1e6;
        out[t].cpu[i] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6;
      }
    }
    for (Timed t : out) {
      Arrays.sort(t.wall);
      Arrays.sort(t.cpu);
    }
    return out;
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String cpu(Timed t) {
    return String.format(java.util.Locale.ROOT, " cpu_median_ms=%.2f", median(t.cpu));
  }

  private static String cpu() {
    return String.format(java.util.Locale.ROOT, " cpu_median_ms=%.2f", lastCpuMedianMs);
  }

  private static String line(String mode, double[] sorted) {
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return String.format(java.util.Locale.ROOT, "median_ms=%.1f min_ms=%.1f max_ms=%.1f runs=%d mode=%s",
        median, sorted[0], sorted[n - 1], n, mode);
  }

  /*
   * One JDK handshake with a fresh SSLContext (no session resumption), accepting any chain: the
   * floor a JSSE-based check pays for one connection. The accept-all manager exists only here.
   */
  private static Object jsseHandshake(Target target, X509TrustManager trust) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {trust}, null);
    String host = target.address().orElse(target.host());
    try (Socket plain = new Socket()) {
      plain.setTcpNoDelay(true);
      plain.connect(new InetSocketAddress(host, target.port()), 10_000);
      plain.setSoTimeout(10_000);
      try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
          .createSocket(plain, target.host(), target.port(), true)) {
        SSLParameters params = socket.getSSLParameters();
        target.sni().ifPresent(s -> params.setServerNames(List.of(new SNIHostName(s))));
        if (!(trust instanceof AcceptAll)) {
          params.setEndpointIdentificationAlgorithm("HTTPS");
        }
        socket.setSSLParameters(params);
        socket.startHandshake();
        return socket.getSession().getCipherSuite();
      }
    }
  }

  private static final class AcceptAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
