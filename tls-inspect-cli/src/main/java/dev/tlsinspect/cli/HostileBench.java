package dev.tlsinspect.cli;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.ProxySpec;
import dev.tlsinspect.Report;
import dev.tlsinspect.Starttls;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.bc.BcProbe;
import dev.tlsinspect.jsse.JsseProbe;
import dev.tlsinspect.probe.HandshakeProbe;
import dev.tlsinspect.testing.HostilePeer;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/*
 * The soak behind bench/hostile (issue 18): many inspections against the hostile peers of the test
 * kit, round robin over peer x provider (jsse, bc) x mode (quick, full), all in one JVM, printing
 * the peak heap, threads and descriptors, the heap and threads after, and per peer the slowest
 * inspection and its overrun past the deadline. Not part of the tool's interface.
 *
 *   HostileBench soak [--runs N] [--timeout DURATION]
 *   HostileBench serve        (starts the peers, prints "name port" lines, runs until stdin closes)
 *
 * "serve" lets bench/hostile measure the CLI's peak RSS (/usr/bin/time -v) against each peer from
 * another process. Only loopback is contacted.
 */
final class HostileBench {
  private HostileBench() {}

  /** The flooding peers; the slow ones (a record every 100 ms) only in soak's first rounds. */
  private static Map<String, Supplier<HostilePeer>> peers() {
    Map<String, Supplier<HostilePeer>> m = new LinkedHashMap<>();
    m.put("endless-records", HostilePeer::endlessRecords);
    m.put("endless-alerts", HostilePeer::endlessAlerts);
    m.put("endless-fragments", HostilePeer::endlessFragments);
    m.put("huge-length", HostilePeer::hugeLength);
    m.put("large-certificate", HostilePeer::largeCertificate);
    m.put("many-certificates", HostilePeer::manyCertificates);
    m.put("starttls-flood", HostilePeer::starttlsFlood);
    m.put("proxy-flood", HostilePeer::proxyFlood);
    m.put("slow-records", () -> HostilePeer.slowRecords(Duration.ofMillis(100)));
    return m;
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(System.out, args));
  }

  static int run(PrintStream out, String... args) throws Exception {
    if (args.length >= 1 && args[0].equals("serve")) {
      return serve(out);
    }
    if (args.length < 1 || !args[0].equals("soak")) {
      System.err.println("usage: HostileBench soak [--runs N] [--timeout DURATION] | serve");
      return Cli.EXIT_ERROR;
    }
    int runs = 1000;
    Duration timeout = Duration.ofSeconds(2);
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        case "--timeout" -> timeout = Durations.parse(args[i + 1]);
        default -> {
          System.err.println("unknown option " + args[i]);
          return Cli.EXIT_ERROR;
        }
      }
    }
    return soak(out, runs, timeout);
  }

  private static int serve(PrintStream out) throws Exception {
    List<HostilePeer> started = new ArrayList<>();
    try {
      for (Map.Entry<String, Supplier<HostilePeer>> e : peers().entrySet()) {
        HostilePeer p = e.getValue().get();
        started.add(p);
        out.println(e.getKey() + " " + p.port());
      }
      out.flush();
      while (System.in.read() >= 0) {
        // run until the caller closes our standard input
      }
      return Cli.EXIT_PASS;
    } finally {
      started.forEach(HostilePeer::close);
    }
  }

  private static int soak(PrintStream out, int runs, Duration timeout) throws Exception {
    Map<String, Supplier<HostilePeer>> factories = peers();
    Map<String, HostilePeer> running = new LinkedHashMap<>();
    Map<String, Long> slowest = new LinkedHashMap<>();
    List<HandshakeProbe> probes = List.of(new JsseProbe(), new BcProbe());
    try {
      for (Map.Entry<String, Supplier<HostilePeer>> e : factories.entrySet()) {
        running.put(e.getKey(), e.getValue().get());
      }
      List<String> names = new ArrayList<>(running.keySet());
      // The slow peer takes the whole deadline each time: it gets one inspection in 100.
      long heapBefore = usedHeapMb();
      long threadsBefore = liveThreads();
      long fdsBefore = openFiles();
      long peakThreads = threadsBefore;
      long peakFds = fdsBefore;
      int fails = 0;
      int other = 0;
      long start = System.nanoTime();
      for (int i = 0; i < runs; i++) {
        String name = i % 100 == 99 ? "slow-records" : names.get(i % (names.size() - 1));
        HandshakeProbe probe = probes.get((i / (names.size() - 1)) % 2);
        boolean quick = (i / (2 * (names.size() - 1))) % 2 == 0;
        HostilePeer peer = running.get(name);
        InspectOptions options = InspectOptions.builder().timeout(timeout).quick(quick).build();
        TlsInspector inspector = TlsInspector.builder().probe(probe).options(options).build();
        long t0 = System.nanoTime();
        Report report = inspector.inspect(target(name, peer.port()), options);
        long took = (System.nanoTime() - t0) / 1_000_000;
        slowest.merge(name, took, Math::max);
        if (report.verdict() == dev.tlsinspect.Verdict.FAIL) {
          fails++;
        } else {
          other++;
        }
        if (i % 50 == 0) {
          peakThreads = Math.max(peakThreads, Thread.activeCount());
          peakFds = Math.max(peakFds, openFiles());
        }
      }
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;
      out.printf(Locale.ROOT, "runs=%d fail_verdicts=%d other_verdicts=%d seconds=%d timeout_ms=%d%n", runs, fails,
          other, seconds, timeout.toMillis());
      out.printf(Locale.ROOT, "peak_heap_mb=%d heap_mb_before=%d heap_mb_after=%d max_heap_mb=%d%n", peakHeapMb(),
          heapBefore, usedHeapMb(), Runtime.getRuntime().maxMemory() >> 20);
      out.printf(Locale.ROOT, "peak_threads=%d threads_before=%d threads_after=%d%n", peakThreads, threadsBefore,
          liveThreads());
      out.printf(Locale.ROOT, "peak_fds=%d fds_before=%d fds_after=%d%n", peakFds, fdsBefore, openFiles());
      for (Map.Entry<String, Long> e : slowest.entrySet()) {
        out.printf(Locale.ROOT, "slowest %-18s %5d ms (overrun past the deadline: %d ms)%n", e.getKey(), e.getValue(),
            Math.max(0, e.getValue() - timeout.toMillis()));
      }
      return other == 0 ? Cli.EXIT_PASS : Cli.EXIT_WARN;
    } finally {
      running.values().forEach(HostilePeer::close);
    }
  }

  private static Target target(String name, int port) {
    return switch (name) {
      case "starttls-flood" -> Target.builder("localhost", port).connectAddress("127.0.0.1")
          .starttls(Starttls.parse("smtp")).build();
      case "proxy-flood" -> Target.builder("localhost", 443).proxy(ProxySpec.http("127.0.0.1", port)).build();
      default -> Target.builder("localhost", port).connectAddress("127.0.0.1").build();
    };
  }

  private static long peakHeapMb() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak >> 20;
  }

  private static long usedHeapMb() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    Runtime rt = Runtime.getRuntime();
    return (rt.totalMemory() - rt.freeMemory()) >> 20;
  }

  private static long liveThreads() throws InterruptedException {
    Thread.sleep(1500); // the library's idle threads end after 1 s
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).count();
  }

  private static long openFiles() {
    java.io.File[] fds = new java.io.File("/proc/self/fd").listFiles();
    return fds == null ? -1 : fds.length;
  }
}
