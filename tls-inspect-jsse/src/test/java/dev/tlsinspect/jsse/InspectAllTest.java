package dev.tlsinspect.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.ScanOptions;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * {@link TlsInspector#inspectAll}: the limits as a server sees them (connections counted on
 * loopback), a silent endpoint holding one slot only, lazy reading of the targets, and errors of
 * the caller's code. Real JSSE handshakes against the test kit's servers; only 127.0.0.0/8.
 */
class InspectAllTest {
  static IssuedCertificate root;
  static IssuedCertificate leaf;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("InspectAll Root").build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(root).build();
  }

  private static TlsInspector inspector(Duration timeout) {
    return TlsInspector.builder().probe(new JsseProbe())
        .options(InspectOptions.builder().quick(true).timeout(timeout)
            .trust(TrustMaterial.certificates(List.of(root.certificate()))).build())
        .build();
  }

  private static Target via(String address, int port) {
    return Target.builder("localhost", port).connectAddress(address).build();
  }

  @Test
  void perHostLimit_isNeverExceededAtTheServer_whileOtherHostsRunAlongside() throws Exception {
    try (TlsServer server = TlsServer.builder().certificate(leaf).maxConcurrentConnections(16).start();
        CountingRelay one = new CountingRelay("127.0.0.1", server.port());
        CountingRelay two = new CountingRelay("127.0.0.2", server.port())) {
      List<Target> targets = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        targets.add(via("127.0.0.1", one.port()));
        targets.add(via("127.0.0.2", two.port()));
      }
      List<Report> reports = new CopyOnWriteArrayList<>();
      inspector(Duration.ofSeconds(5)).inspectAll(targets,
          ScanOptions.builder().concurrency(8).perHost(2).build(), reports::add);

      assertEquals(20, reports.size());
      reports.forEach(r -> assertEquals(Verdict.PASS, r.verdict(), r.summary()));
      assertEquals(10, one.accepted.get());
      assertEquals(10, two.accepted.get());
      assertTrue(one.peak.get() <= 2, "peak at 127.0.0.1: " + one.peak);
      assertTrue(two.peak.get() <= 2, "peak at 127.0.0.2: " + two.peak);
      // The limit is reached, and the two hosts ran at the same time: 2 per host is not 2 overall.
      assertEquals(2, one.peak.get(), "the per-host slots were used");
      assertTrue(CountingRelay.peakBoth.get() >= 3, "peak over both hosts: " + CountingRelay.peakBoth);
    }
  }

  @Test
  void aSilentTarget_holdsOneSlot_andTheOthersFinishBeforeIt() throws Exception {
    try (TlsServer server = TlsServer.builder().certificate(leaf).start();
        FakePeer silent = FakePeer.silent()) {
      List<Target> targets = new ArrayList<>();
      targets.add(via("127.0.0.1", silent.port()));
      for (int i = 0; i < 6; i++) {
        targets.add(via("127.0.0.1", server.port()));
      }
      TlsInspector inspector = inspector(Duration.ofSeconds(2));
      // Warm: the JVM's first handshake (class loading, JIT) must not be what is measured here.
      assertEquals(Verdict.PASS, inspector.inspect(via("127.0.0.1", server.port())).verdict());
      List<Report> reports = new CopyOnWriteArrayList<>();
      inspector.inspectAll(targets,
          ScanOptions.builder().concurrency(2).perHost(4).build(), reports::add);

      assertEquals(7, reports.size());
      for (int i = 0; i < 6; i++) {
        assertEquals(server.port(), reports.get(i).target().port(), "report " + i);
        assertEquals(Verdict.PASS, reports.get(i).verdict(), reports.get(i).summary());
      }
      Report last = reports.get(6);
      assertEquals(silent.port(), last.target().port());
      assertEquals(Verdict.FAIL, last.verdict());
      assertTrue(last.hasFinding(Code.HANDSHAKE_TIMEOUT), last.summary());
    }
  }

  /*
   * The consumer runs on the thread that inspected the target, so it can tell which kind of
   * thread the engine chose: virtual on Java 21+ (found by reflection, the library being compiled
   * for 17), else the daemon pool. Run on both: `./mvnw` with JDK 17, and with JAVA_HOME set to a
   * JDK 21+ (see bench/README.md).
   */
  @Test
  void inspectionsRunOnVirtualThreads_onJava21AndLater_elseOnDaemonPlatformThreads() throws Exception {
    boolean jvmHasVirtualThreads = Runtime.version().feature() >= 21;
    try (TlsServer server = TlsServer.builder().certificate(leaf).maxConcurrentConnections(8).start()) {
      List<Target> targets = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        targets.add(via("127.0.0.1", server.port()));
      }
      List<Report> reports = new CopyOnWriteArrayList<>();
      List<Thread> threads = new CopyOnWriteArrayList<>();
      inspector(Duration.ofSeconds(5)).inspectAll(targets,
          ScanOptions.builder().concurrency(3).perHost(3).build(), r -> {
            reports.add(r);
            threads.add(Thread.currentThread());
          });

      assertEquals(6, reports.size());
      reports.forEach(r -> assertEquals(Verdict.PASS, r.verdict(), r.summary()));
      assertEquals(jvmHasVirtualThreads, dev.tlsinspect.internal.inspect.Batch.virtualThreads());
      for (Thread t : threads) {
        assertTrue(t != Thread.currentThread(), "inspected on the caller's thread");
        assertEquals(jvmHasVirtualThreads, isVirtual(t), t.toString());
        if (!jvmHasVirtualThreads) {
          assertTrue(t.isDaemon(), t.toString());
          assertTrue(t.getName().startsWith("tls-inspect-scan-"), t.getName());
        }
      }
    }
  }

  private static boolean isVirtual(Thread t) throws ReflectiveOperationException {
    try {
      return (Boolean) Thread.class.getMethod("isVirtual").invoke(t);
    } catch (NoSuchMethodException e) {
      return false; // before Java 19 no thread is virtual
    }
  }

  @Test
  void targetsAreReadLazily_aBoundedWindowAheadOfTheInspections() {
    int closed = FakePeer.closedPort();
    AtomicInteger pulled = new AtomicInteger();
    List<Integer> pulledAtDelivery = Collections.synchronizedList(new ArrayList<>());
    Iterable<Target> many = () -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return pulled.get() < 400;
      }

      @Override
      public Target next() {
        pulled.incrementAndGet();
        return Target.of("127.0.0.1", closed);
      }
    };
    AtomicInteger refused = new AtomicInteger();
    inspector(Duration.ofSeconds(2)).inspectAll(many,
        ScanOptions.builder().concurrency(4).perHost(4).build(), r -> {
          pulledAtDelivery.add(pulled.get());
          if (r.hasFinding(Code.CONNECTION_REFUSED)) {
            refused.incrementAndGet();
          }
        });
    assertEquals(400, refused.get());
    // 4 running and a look-ahead of 4 + 64: never the whole input.
    assertTrue(pulledAtDelivery.get(0) <= 4 + 4 + 64 + 1, "read ahead at the first report: " + pulledAtDelivery.get(0));
  }

  /**
   * Repeated, and the failing delivery waits a moment first, so that the other worker is
   * already queued to deliver when the consumer throws: the failure must be recorded before that
   * worker gets its turn.
   */
  @RepeatedTest(20)
  void anExceptionFromTheConsumer_stopsTheRunAndIsRethrown() {
    int closed = FakePeer.closedPort();
    AtomicInteger pulled = new AtomicInteger();
    Iterable<Target> many = () -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return pulled.get() < 10_000;
      }

      @Override
      public Target next() {
        pulled.incrementAndGet();
        return Target.of("127.0.0.1", closed);
      }
    };
    IllegalStateException boom = new IllegalStateException("disk full");
    AtomicInteger delivered = new AtomicInteger();
    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> inspector(Duration.ofSeconds(2)).inspectAll(many,
            ScanOptions.builder().concurrency(2).perHost(2).build(), r -> {
              if (delivered.incrementAndGet() == 3) {
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                throw boom;
              }
            }));
    assertSame(boom, thrown);
    assertEquals(3, delivered.get(), "no report after the failure");
    assertTrue(pulled.get() < 200, "stopped reading: " + pulled.get());
  }

  @Test
  void badLimits_areRefusedWithTheirName() {
    assertThrows(IllegalArgumentException.class, () -> ScanOptions.builder().concurrency(0).build());
    assertThrows(IllegalArgumentException.class, () -> ScanOptions.builder().perHost(0).build());
    assertThrows(IllegalArgumentException.class, () -> ScanOptions.builder().rate(-1).build());
    assertThrows(IllegalArgumentException.class, () -> ScanOptions.builder().rate(Double.NaN).build());
    assertThrows(IllegalArgumentException.class,
        () -> ScanOptions.builder().delay(Duration.ofMillis(-1)).build());
    assertEquals(ScanOptions.defaults(), ScanOptions.builder().build());
  }

  /**
   * A TCP relay on one loopback address in front of the TLS server, counting the connections in
   * progress through it at once. It waits 100 ms before forwarding each, so that connections the
   * scan allows at the same time are in progress at the same time. A connection counts from its
   * accept until the relay has forwarded the server's first bytes (its ServerHello): the client
   * cannot finish its handshake, let alone start another inspection, before that. (Counting until
   * the relay sees the client's close would race with the relay's own thread scheduling.)
   */
  static final class CountingRelay implements AutoCloseable {
    static final AtomicInteger both = new AtomicInteger();
    static final AtomicInteger peakBoth = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();
    final AtomicInteger accepted = new AtomicInteger();
    private final ServerSocket listener;
    private final int backend;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    CountingRelay(String address, int backend) throws IOException {
      this.listener = new ServerSocket(0, 50, InetAddress.getByName(address));
      this.backend = backend;
      both.set(0);
      peakBoth.set(0);
      Thread t = new Thread(this::accept, "counting-relay-" + address);
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    private void accept() {
      while (!listener.isClosed()) {
        try {
          Socket client = listener.accept();
          accepted.incrementAndGet();
          peak.accumulateAndGet(open.incrementAndGet(), Math::max);
          peakBoth.accumulateAndGet(both.incrementAndGet(), Math::max);
          sockets.add(client);
          Thread t = new Thread(() -> relay(client), "counting-relay-conn");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    private void relay(Socket client) {
      java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
      Runnable done = () -> {
        if (ended.compareAndSet(false, true)) {
          open.decrementAndGet();
          both.decrementAndGet();
        }
      };
      try (client; Socket server = new Socket()) {
        client.setSoTimeout(10_000);
        Thread.sleep(100);
        server.connect(new InetSocketAddress("127.0.0.1", backend), 5_000);
        server.setSoTimeout(10_000);
        sockets.add(server);
        Thread back = new Thread(() -> pipe(server, client, done), "counting-relay-back");
        back.setDaemon(true);
        back.start();
        pipe(client, server, null); // ends when the client closes
      } catch (IOException | InterruptedException e) {
        // the client went away
      } finally {
        done.run();
      }
    }

    private static void pipe(Socket from, Socket to, Runnable afterFirstWrite) {
      byte[] buf = new byte[8192];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buf)) >= 0) {
          out.write(buf, 0, n);
          out.flush();
          if (afterFirstWrite != null) {
            afterFirstWrite.run();
          }
        }
        to.shutdownOutput();
      } catch (IOException e) {
        // closed
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
      for (Socket s : sockets) {
        s.close();
      }
    }
  }
}
