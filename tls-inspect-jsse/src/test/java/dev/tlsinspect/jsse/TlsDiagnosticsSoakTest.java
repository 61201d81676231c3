package dev.tlsinspect.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.CapturedFailure;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.TlsDiagnostics;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.RecordingLogger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/**
 * A flood of real handshake failures (2,000 client engines for 2,000 loopback endpoints: one in ten
 * answered with an HTTP reply instead of a ServerHello, the others failing on their own enabled
 * protocols and suites) with background verification on: the threads, the kept failures, the
 * remembered endpoints and the log stay bounded.
 */
class TlsDiagnosticsSoakTest {
  private static final byte[] HTTP = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
      .getBytes(StandardCharsets.US_ASCII);

  private static long verifyThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("tls-inspect-verify")).count();
  }

  @Test
  void floodOfFailures_staysBounded() throws Exception {
    int closed = FakePeer.closedPort();
    RecordingLogger log = new RecordingLogger("soak");
    TlsInspector verifier = TlsInspector.builder().probe(new JsseProbe())
        .options(InspectOptions.builder().quick(true).timeout(Duration.ofSeconds(2)).build()).build();
    SSLContext original = SSLContext.getInstance("TLS");
    original.init(null, null, null);
    int threadsBefore = Thread.activeCount();
    long maxVerifyThreads = 0;
    try (TlsDiagnostics diagnostics = TlsDiagnostics.builder().logger(log).verifyWith(verifier)
        .maxVerificationsPerInterval(20).maxRecent(20).maxTracked(100).verificationThreads(2).build()) {
      SSLContext wrapped = diagnostics.wrap(original);
      for (int i = 0; i < 2_000; i++) {
        // 127.0.0.0/8 is loopback: 2,000 distinct endpoints, every one refusing the verification.
        String host = "127.0." + (1 + i / 250) + "." + (1 + i % 250);
        SSLEngine engine = wrapped.createSSLEngine(host, closed);
        engine.setUseClientMode(true);
        if (i % 10 == 0) {
          engine.beginHandshake();
          engine.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(engine.getSession().getPacketBufferSize()));
          ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
          assertThrows(SSLException.class, () -> engine.unwrap(ByteBuffer.wrap(HTTP), app));
        } else {
          // The cheaper failure, before any key is made: nothing this client enables fits together.
          engine.setEnabledProtocols(new String[] {"TLSv1.3"});
          engine.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
          assertThrows(SSLException.class, () -> {
            engine.beginHandshake();
            engine.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(engine.getSession().getPacketBufferSize()));
          });
        }
        if (i % 100 == 0) {
          maxVerifyThreads = Math.max(maxVerifyThreads, verifyThreads());
        }
      }
      TlsDiagnostics.Stats stats = diagnostics.stats();
      assertEquals(2_000, stats.failures());
      List<CapturedFailure> kept = diagnostics.recentFailures();
      assertEquals(20, kept.size());
      assertEquals(2_000, kept.get(kept.size() - 1).sequence());
      assertTrue(stats.tracked() <= 100, () -> String.valueOf(stats));
      // Every endpoint is new, so each is logged; the verifications beyond the pool and its
      // budget of the interval are dropped, not queued without end.
      assertEquals(2_000, stats.logged());
      assertTrue(stats.verificationsDropped() > 0, () -> String.valueOf(stats));
      assertTrue(stats.verificationsStarted() <= 20, () -> String.valueOf(stats));
      assertTrue(stats.verificationsStarted() + stats.verificationsDropped() <= 2_000, () -> String.valueOf(stats));
      assertTrue(maxVerifyThreads <= 2, "verification threads: " + maxVerifyThreads);
      assertTrue(verifyThreads() <= 2);
      assertEquals(2, stats.byCause().size(), () -> String.valueOf(stats.byCause()));
      assertEquals(200L, stats.byCause().get("NOT_TLS"), () -> String.valueOf(stats.byCause()));
    }
    // A handful of JDK and pool threads may still be winding down; never one per failure.
    assertTrue(Thread.activeCount() <= threadsBefore + 8,
        "threads before " + threadsBefore + ", after " + Thread.activeCount());
  }
}
