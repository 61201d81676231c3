package dev.tlsinspect.cli;

import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/*
 * The fleet behind bench/scan: loopback servers in this JVM, the scan in another, so that the
 * scanner's own peak RSS can be read with /usr/bin/time. Not part of the tool's interface.
 *
 *   ScanBench serve DIR LINES
 *
 * starts, on 127.0.0.1 .. 127.0.0.HOSTS, healthy TLS servers, TLS servers with an expired leaf,
 * silent peers (accept, never answer) and closed ports (refused), writes DIR/root.pem and
 * DIR/targets.txt (LINES lines cycling over them: 70% healthy, 15% expired, 10% refused,
 * 5% silent, each line "localhost:PORT connect=127.0.0.K"), creates DIR/ready, and serves until
 * DIR/stop appears (or it is killed). Only loopback addresses are used.
 */
final class ScanBench {
  private static final int HOSTS = 20;
  /**
   * Handshakes before the fleet says it is ready. With 1,200 a fleet still used 4.1-4.7 CPU
   * seconds for the next 1,000 targets; with 3,000, 2.5-2.8, as much as a fleet that had served
   * tens of thousands (2-3).
   */
  static final int WARMUP_HANDSHAKES = 3000;

  private ScanBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3 || !args[0].equals("serve")) {
      System.err.println("usage: ScanBench serve DIR LINES");
      System.exit(3);
    }
    Path dir = Path.of(args[1]);
    long lines = Long.parseLong(args[2]);
    IssuedCertificate root = CertificateBuilder.root("scan bench root").build();
    IssuedCertificate good = CertificateBuilder.leaf("localhost").issuedBy(root).build();
    IssuedCertificate expired = CertificateBuilder.leaf("localhost").issuedBy(root).expired().build();
    List<AutoCloseable> open = new ArrayList<>();
    List<String> healthy = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    List<String> silent = new ArrayList<>();
    for (int k = 1; k <= HOSTS; k++) {
      String address = "127.0.0." + k;
      InetAddress a = InetAddress.getByName(address);
      TlsServer s = TlsServer.builder().bind(a, 0).certificate(good).maxConcurrentConnections(8).start();
      open.add(s);
      healthy.add("localhost:" + s.port() + " connect=" + address);
      if (k % 2 == 0) {
        TlsServer e = TlsServer.builder().bind(a, 0).certificate(expired).maxConcurrentConnections(8).start();
        open.add(e);
        bad.add("localhost:" + e.port() + " connect=" + address);
      }
      // Nothing listens on this port at this address: refused.
      refused.add("localhost:" + FakePeer.closedPort() + " connect=" + address);
      if (k % 5 == 0) {
        Silent p = new Silent(a);
        open.add(p);
        silent.add("localhost:" + p.port() + " connect=" + address);
      }
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("root.pem"), root.toPem());
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("targets.txt"), StandardCharsets.UTF_8))) {
      w.println("# scan bench: 70% healthy, 15% expired, 10% refused, 5% silent");
      for (long i = 0; i < lines; i++) {
        int slot = (int) (i % 20);
        List<String> pool = slot < 14 ? healthy : slot < 17 ? bad : slot < 19 ? refused : silent;
        w.println(pool.get((int) ((i / 20) % pool.size())));
      }
    }
    long start = System.nanoTime();
    int done = warmUp(root, open, WARMUP_HANDSHAKES);
    System.err.printf(java.util.Locale.ROOT, "fleet warmed up: %d handshakes in %.1f s%n", done,
        (System.nanoTime() - start) / 1e9);
    Files.writeString(dir.resolve("ready"), "");
    while (!Files.exists(dir.resolve("stop"))) {
      Thread.sleep(200);
    }
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  /**
   * Handshakes {@code count} times, from 4 threads, over the TLS servers in {@code open} in turn
   * (healthy and expired alike: a failed certificate check is a complete handshake for the
   * server), each with a fresh client context (no resumption), and returns how many completed or
   * were refused by the client's trust check.
   */
  static int warmUp(IssuedCertificate root, List<AutoCloseable> open, int count) throws Exception {
    List<TlsServer> servers = new ArrayList<>();
    for (AutoCloseable c : open) {
      if (c instanceof TlsServer s) {
        servers.add(s);
      }
    }
    java.security.KeyStore anchors = java.security.KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    anchors.setCertificateEntry("root", root.certificate());
    javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
    tmf.init(anchors);
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger completed = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> all = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        all.add(pool.submit(() -> {
          for (int i; (i = next.getAndIncrement()) < count; ) {
            TlsServer s = servers.get(i % servers.size());
            if (handshake(s, tmf.getTrustManagers())) {
              completed.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : all) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return completed.get();
  }

  private static boolean handshake(TlsServer server, javax.net.ssl.TrustManager[] trust) throws Exception {
    javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(null, trust, null);
    try (java.net.Socket raw = new java.net.Socket()) {
      raw.connect(server.address(), 2000);
      raw.setSoTimeout(2000);
      try (javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket)
          context.getSocketFactory().createSocket(raw, "localhost", server.port(), false)) {
        javax.net.ssl.SSLParameters p = ssl.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(p);
        ssl.startHandshake();
        return true;
      } catch (javax.net.ssl.SSLHandshakeException e) {
        return true; // the expired leaf: refused by the client after a complete server flight
      }
    } catch (IOException e) {
      return false;
    }
  }

  /** Accepts and never sends a byte: the client waits until its own timeout. */
  private static final class Silent implements AutoCloseable {
    private final java.net.ServerSocket listener;
    private final List<java.net.Socket> held = java.util.Collections.synchronizedList(new ArrayList<>());

    Silent(InetAddress address) throws IOException {
      listener = new java.net.ServerSocket(0, 200, address);
      Thread t = new Thread(() -> {
        while (!listener.isClosed()) {
          try {
            java.net.Socket s = listener.accept();
            held.add(s);
            if (held.size() > 2000) {
              held.remove(0).close();
            }
          } catch (IOException e) {
            return;
          }
        }
      }, "scan-bench-silent");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      listener.close();
      synchronized (held) {
        for (java.net.Socket s : held) {
          s.close();
        }
      }
    }
  }
}
