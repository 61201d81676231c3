package dev.tlsinspect.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.CapturedFailure;
import dev.tlsinspect.Code;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.TlsDiagnostics;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.RecordingLogger;
import dev.tlsinspect.testing.TlsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * The wrapped context with each client API of the JDK, against loopback servers that fail for
 * real: the caller's exception is unchanged, the failure is explained, kept, counted and logged
 * once per endpoint and cause; with a verifier, confirmed in the background.
 */
class TlsDiagnosticsTest {
  private static IssuedCertificate root;
  private static IssuedCertificate leaf;
  /** Trusts another CA than the servers' one: every handshake fails on the chain. */
  private static SSLContext untrusting;
  private static SSLContext trusting;

  @BeforeAll
  static void pki() throws Exception {
    root = CertificateBuilder.root("Diagnostics Root").build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(root).build();
    IssuedCertificate other = CertificateBuilder.root("Some Other Root").build();
    untrusting = context(other);
    trusting = context(root);
  }

  private static SSLContext context(IssuedCertificate anchor) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {TrustMaterial.certificates(List.of(anchor.certificate())).trustManager()},
        null);
    return ctx;
  }

  private static List<RecordingLogger.Line> warnings(RecordingLogger log) {
    return log.lines().stream().filter(l -> l.level() == Level.WARN).toList();
  }

  @Test
  void httpClient_untrustedChain_isExplainedKeptAndLoggedOnce() throws Exception {
    RecordingLogger log = new RecordingLogger("diagnostics");
    TlsDiagnostics diagnostics = TlsDiagnostics.builder().logger(log).build();
    HttpClient client = HttpClient.newBuilder().sslContext(diagnostics.wrap(untrusting))
        .connectTimeout(Duration.ofSeconds(5)).build();
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/"))
          .timeout(Duration.ofSeconds(5)).build();
      for (int i = 0; i < 3; i++) {
        IOException e = assertThrows(IOException.class,
            () -> client.send(request, HttpResponse.BodyHandlers.discarding()));
        assertTrue(chainHas(e, SSLHandshakeException.class), () -> String.valueOf(e));
      }
      List<CapturedFailure> failures = diagnostics.recentFailures();
      assertEquals(3, failures.size());
      CapturedFailure f = failures.get(0);
      assertEquals("localhost", f.host());
      assertEquals(server.port(), f.port());
      assertEquals(Optional.of(Code.CHAIN_INCOMPLETE), f.cause(), f::toString);
      assertTrue(f.rootError().contains("unable to find valid certification path"), f.rootError());
      assertEquals(3, diagnostics.stats().failures());
      assertEquals(1, diagnostics.stats().logged());
      assertEquals(1, warnings(log).size(), () -> String.valueOf(log.lines()));
      String line = warnings(log).get(0).message();
      assertTrue(line.contains("localhost:" + server.port()) && line.contains("CHAIN_INCOMPLETE")
          && line.contains("Fix:"), line);
    }
  }

  @Test
  void httpsUrlConnection_perConnectionFactory_capturesWithoutTouchingTheDefault() throws Exception {
    javax.net.ssl.SSLSocketFactory defaultFactory = HttpsURLConnection.getDefaultSSLSocketFactory();
    SSLContext defaultContext = SSLContext.getDefault();
    TlsDiagnostics diagnostics = TlsDiagnostics.builder().logger(new RecordingLogger("d")).build();
    SSLContext wrapped = diagnostics.wrap(untrusting);
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      HttpsURLConnection c = (HttpsURLConnection) new URL("https://localhost:" + server.port() + "/")
          .openConnection();
      c.setSSLSocketFactory(wrapped.getSocketFactory());
      c.setConnectTimeout(5_000);
      c.setReadTimeout(5_000);
      SSLHandshakeException e = assertThrows(SSLHandshakeException.class, c::getResponseCode);
      assertTrue(e.getMessage().contains("PKIX path building failed"), e.getMessage());
      CapturedFailure f = diagnostics.recentFailures().get(0);
      assertEquals(Optional.of(Code.CHAIN_INCOMPLETE), f.cause(), f::toString);
      assertEquals(server.port(), f.port());
    }
    assertSame(defaultFactory, HttpsURLConnection.getDefaultSSLSocketFactory());
    assertSame(defaultContext, SSLContext.getDefault());
  }

  @Test
  void rawSocket_protocolMismatch_isExplained_andTheExceptionIsTheSocketsOwn() throws Exception {
    TlsDiagnostics diagnostics = TlsDiagnostics.builder().logger(new RecordingLogger("d")).build();
    SSLContext wrapped = diagnostics.wrap(trusting);
    try (TlsServer server = TlsServer.builder().certificate(leaf).protocols("TLSv1.2").start();
        SSLSocket socket = (SSLSocket) wrapped.getSocketFactory().createSocket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5_000);
      socket.setEnabledProtocols(new String[] {"TLSv1.3"});
      SSLHandshakeException e = assertThrows(SSLHandshakeException.class, socket::startHandshake);
      assertTrue(e.getMessage().contains("protocol_version"), e.getMessage());
      CapturedFailure f = diagnostics.recentFailures().get(0);
      assertEquals("127.0.0.1", f.host());
      assertTrue(f.error().startsWith("javax.net.ssl.SSLHandshakeException"), f.error());
      assertEquals(Optional.of(Code.NO_COMMON_PROTOCOL), f.cause(), f::toString);
    }
  }

  @Test
  void rawEngine_untrustedChain_isVerifiedInTheBackground() throws Exception {
    RecordingLogger log = new RecordingLogger("diagnostics");
    TlsInspector verifier = TlsInspector.builder().probe(new JsseProbe())
        .options(InspectOptions.builder().quick(true).timeout(Duration.ofSeconds(4)).build()).build();
    try (TlsDiagnostics diagnostics = TlsDiagnostics.builder().logger(log).verifyWith(verifier).build();
        TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      SSLEngine engine = diagnostics.wrap(untrusting).createSSLEngine("127.0.0.1", server.port());
      engine.setUseClientMode(true);
      SSLException e;
      try (Socket socket = new Socket("127.0.0.1", server.port())) {
        socket.setSoTimeout(5_000);
        e = assertThrows(SSLException.class, () -> drive(engine, socket));
      }
      assertTrue(e.getMessage().contains("PKIX path building failed"), e.getMessage());
      CapturedFailure f = awaitVerified(diagnostics);
      // The verifier (JVM default trust) does not know the test CA either: the issuer is neither sent nor trusted.
      assertEquals(Optional.of(Code.CHAIN_INCOMPLETE), f.cause(), f::toString);
      assertEquals(Optional.of(Code.CHAIN_INCOMPLETE), f.confirmed(), f::toString);
      assertTrue(f.verification().orElseThrow().startsWith("Confirmed"), f::toString);
      assertEquals(1, diagnostics.stats().verificationsStarted());
    }
  }

  private static CapturedFailure awaitVerified(TlsDiagnostics diagnostics) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      List<CapturedFailure> f = diagnostics.recentFailures();
      if (!f.isEmpty() && f.get(0).verification().isPresent()) {
        return f.get(0);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no verification within 10 s: " + diagnostics.recentFailures());
  }

  /** A blocking client handshake over an SSLEngine, as an NIO client would drive it. */
  static void drive(SSLEngine engine, Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    OutputStream out = socket.getOutputStream();
    int packet = engine.getSession().getPacketBufferSize();
    ByteBuffer netOut = ByteBuffer.allocate(packet);
    ByteBuffer netIn = ByteBuffer.allocate(4 * packet);
    ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    byte[] buf = new byte[8192];
    engine.beginHandshake();
    for (int steps = 0; steps < 1_000; steps++) {
      SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
      switch (hs) {
        case NEED_WRAP -> {
          netOut.clear();
          engine.wrap(ByteBuffer.allocate(0), netOut);
          out.write(netOut.array(), 0, netOut.position());
          out.flush();
        }
        case NEED_TASK -> {
          Runnable r;
          while ((r = engine.getDelegatedTask()) != null) {
            r.run();
          }
        }
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          netIn.flip();
          SSLEngineResult r = engine.unwrap(netIn, app);
          netIn.compact();
          app.clear();
          if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
            int n = in.read(buf, 0, Math.min(buf.length, netIn.remaining()));
            if (n < 0) {
              throw new IOException("closed");
            }
            netIn.put(buf, 0, n);
          }
        }
        default -> {
          return;
        }
      }
    }
  }

  private static boolean chainHas(Throwable t, Class<?> type) {
    for (; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void wrappedContext_completesHandshakes_likeTheOriginal() throws Exception {
    TlsDiagnostics diagnostics = TlsDiagnostics.builder().logger(new RecordingLogger("d")).build();
    SSLContext wrapped = diagnostics.wrap(trusting);
    try (TlsServer server = TlsServer.builder().certificate(leaf).start();
        SSLSocket socket = (SSLSocket) wrapped.getSocketFactory().createSocket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5_000);
      SSLParameters p = socket.getSSLParameters();
      p.setServerNames(List.of(new javax.net.ssl.SNIHostName("localhost")));
      p.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(p);
      socket.startHandshake();
      assertEquals(leaf.certificate(), socket.getSession().getPeerCertificates()[0]);
      assertFalse(socket.getSession().getProtocol().isEmpty());
    }
    assertEquals(0, diagnostics.stats().failures());
    assertTrue(diagnostics.recentFailures().isEmpty());
  }
}
