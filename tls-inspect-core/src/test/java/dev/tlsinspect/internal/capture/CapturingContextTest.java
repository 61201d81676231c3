package dev.tlsinspect.internal.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The wrapping context hands each real handshake failure to its sink once, and the caller gets
 * the very same exception; the context reports the original's provider and protocol.
 */
class CapturingContextTest {
  private static final byte[] HTTP = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
      .getBytes(StandardCharsets.US_ASCII);

  record Seen(String host, int port, Throwable error) {}

  @Test
  void engineFailure_reachesTheSinkOnce_andTheCallerUnchanged() throws Exception {
    List<Seen> seen = new ArrayList<>();
    SSLContext original = SSLContext.getInstance("TLS");
    original.init(null, null, null);
    SSLContext wrapped = new CapturingContext(original, (h, p, e) -> seen.add(new Seen(h, p, e)));
    assertSame(original.getProvider(), wrapped.getProvider());
    assertEquals(original.getProtocol(), wrapped.getProtocol());

    SSLEngine engine = wrapped.createSSLEngine("127.0.0.1", 8443);
    engine.setUseClientMode(true);
    engine.beginHandshake();
    ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), net);
    ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    SSLException thrown = assertThrows(SSLException.class, () -> engine.unwrap(ByteBuffer.wrap(HTTP), app));
    // Whatever a later call does (the engine is closed now), it is still one failure.
    try {
      engine.unwrap(ByteBuffer.wrap(HTTP), app);
    } catch (SSLException again) {
      // reported already
    }

    assertEquals(1, seen.size());
    assertSame(thrown, seen.get(0).error());
    assertEquals("127.0.0.1", seen.get(0).host());
    assertEquals(8443, seen.get(0).port());
  }

  @Test
  void socketFailure_reachesTheSink_andTheCallerUnchanged() throws Exception {
    List<Seen> seen = new ArrayList<>();
    SSLContext original = SSLContext.getInstance("TLS");
    original.init(null, null, null);
    SSLContext wrapped = new CapturingContext(original, (h, p, e) -> seen.add(new Seen(h, p, e)));
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread peer = new Thread(() -> {
        try (Socket s = server.accept()) {
          s.setSoTimeout(5_000);
          s.getInputStream().read(new byte[512]);
          OutputStream out = s.getOutputStream();
          out.write(HTTP);
          out.flush();
          s.getInputStream().read(new byte[512]);
        } catch (java.io.IOException ignored) {
          // the client hangs up
        }
      }, "capture-test-peer");
      peer.setDaemon(true);
      peer.start();
      try (SSLSocket socket = (SSLSocket) wrapped.getSocketFactory()
          .createSocket(InetAddress.getLoopbackAddress().getHostAddress(), server.getLocalPort())) {
        socket.setSoTimeout(5_000);
        SSLException thrown = assertThrows(SSLException.class, socket::startHandshake);
        assertEquals(1, seen.size());
        assertSame(thrown, seen.get(0).error());
        assertEquals(server.getLocalPort(), seen.get(0).port());
        assertTrue(socket.getClass().getName().endsWith("CapturingSocket"));
      }
      peer.join(5_000);
    }
  }
}
