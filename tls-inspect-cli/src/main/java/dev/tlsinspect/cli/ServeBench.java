package dev.tlsinspect.cli;

import dev.tlsinspect.Target;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/*
 * The benchmark behind bench/serve (issue 16): how fast `tls-inspect serve` answers /probe for a
 * cached target, idle and while it refreshes 100 targets in the background. Not part of the
 * tool's interface (package-private, started with java -cp ... ServeBench).
 *
 *   ServeBench [--targets N] [--requests N] [--workers N]
 *
 * Starts N in-JVM loopback TLS servers from the test kit (one private CA, trusted through a
 * temporary ca-file), an exporter configured with all of them on 127.0.0.1, then:
 *   1. idle: --requests sequential /probe requests for one cached target;
 *   2. busy: the same requests while a background round re-inspects all N targets, until the
 *      round is done (so every timed request overlapped the refresh).
 * Prints the latency percentiles of each phase and how long the round of N took.
 */
final class ServeBench {
  private ServeBench() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(System.out, args));
  }

  static int run(PrintStream out, String... args) throws Exception {
    int targets = 100;
    int requests = 2000;
    int workers = 4;
    for (int i = 0; i + 1 < args.length; i += 2) {
      int n = Integer.parseInt(args[i + 1]);
      switch (args[i]) {
        case "--targets" -> targets = n;
        case "--requests" -> requests = n;
        case "--workers" -> workers = n;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("tls-inspect-serve-bench");
    IssuedCertificate root = CertificateBuilder.root("serve bench root").build();
    IssuedCertificate leaf = CertificateBuilder.leaf("127.0.0.1").issuedBy(root).build();
    Path rootPem = Files.writeString(dir.resolve("root.pem"), root.toPem());
    List<TlsServer> servers = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Exporter exporter = null;
    try {
      for (int i = 0; i < targets; i++) {
        TlsServer s = TlsServer.builder().certificate(leaf).start();
        servers.add(s);
        names.add("127.0.0.1:" + s.port());
      }
      Map<String, String> config = new LinkedHashMap<>();
      config.put("listen", "127.0.0.1:0");
      config.put("targets", String.join(",", names));
      config.put("ca-file", rootPem.toString());
      config.put("refresh", "1h"); // rounds are started by hand below
      config.put("cache-ttl", "1h");
      config.put("workers", Integer.toString(workers));
      config.put("queue", Integer.toString(Math.max(200, targets)));
      exporter = Exporter.start(ServeConfig.parse(config, dir, "bench"));
      Target hot = Target.parse(names.get(0));
      awaitRound(exporter, names, Instant.EPOCH);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI probe = URI.create(exporter.url() + "/probe?target=" + names.get(0));
      // Warm-up: class loading and JIT of the request path.
      time(http, probe, 500);

      long[] idle = time(http, probe, requests);
      out.println(stats("idle", idle));

      Instant before = Instant.now();
      long start = System.nanoTime();
      exporter.refreshAll();
      List<Long> busy = new ArrayList<>();
      while (!roundDone(exporter, names, before)) {
        for (long t : time(http, probe, 20)) {
          busy.add(t);
        }
      }
      double roundSeconds = (System.nanoTime() - start) / 1e9;
      out.println(stats("busy", busy.stream().mapToLong(Long::longValue).toArray()));
      out.printf("refresh_targets=%d refresh_round_s=%.2f workers=%d%n", targets, roundSeconds, workers);
      if (exporter.cached(hot).isEmpty()) {
        out.println("error: the hot target has no report");
        return Cli.EXIT_ERROR;
      }
      return Cli.EXIT_PASS;
    } finally {
      if (exporter != null) {
        exporter.close();
      }
      servers.forEach(TlsServer::close);
    }
  }

  private static boolean roundDone(Exporter exporter, List<String> names, Instant after) {
    for (String n : names) {
      var e = exporter.cached(Target.parse(n));
      if (e.isEmpty() || !e.get().checkedAt().isAfter(after)) {
        return false;
      }
    }
    return true;
  }

  private static void awaitRound(Exporter exporter, List<String> names, Instant after) throws InterruptedException {
    while (!roundDone(exporter, names, after)) {
      Thread.sleep(20);
    }
  }

  private static long[] time(HttpClient http, URI uri, int n) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
    long[] nanos = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      nanos[i] = System.nanoTime() - t0;
      if (r.statusCode() != 200) {
        throw new IllegalStateException("/probe answered " + r.statusCode());
      }
    }
    return nanos;
  }

  private static String stats(String phase, long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return String.format("%s_requests=%d %s_p50_ms=%.2f %s_p99_ms=%.2f %s_max_ms=%.2f", phase, s.length,
        phase, pct(s, 0.50), phase, pct(s, 0.99), phase, s.length == 0 ? 0 : s[s.length - 1] / 1e6);
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }
}
