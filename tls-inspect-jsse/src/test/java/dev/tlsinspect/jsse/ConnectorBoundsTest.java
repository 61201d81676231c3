package dev.tlsinspect.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.ProxySpec;
import dev.tlsinspect.Starttls;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.ProbeOutcome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Hostile plaintext peers: the Connector bounds every reply (64 KB) and every length a peer
 * announces, and types each failure, instead of allocating or waiting without end.
 */
class ConnectorBoundsTest {
  private static final InspectOptions OPTIONS = InspectOptions.builder().timeout(Duration.ofSeconds(8)).quick(true).build();

  /** A one-connection loopback peer that sends {@code first}, then {@code repeat} until the client goes. */
  private static final class Peer implements AutoCloseable {
    final ServerSocket server;
    final Thread thread;

    Peer(byte[] first, byte[] repeat) throws IOException {
      this(first, repeat, false);
    }

    Peer(byte[] first, byte[] repeat, boolean closeAfterFirst) throws IOException {
      server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
      thread = new Thread(() -> {
        try (Socket s = server.accept()) {
          s.setSoTimeout(10_000);
          OutputStream out = s.getOutputStream();
          out.write(first);
          out.flush();
          if (closeAfterFirst) {
            s.getInputStream().read(new byte[64]); // the client's next command, then close
            return;
          }
          long sent = 0;
          while (repeat.length > 0 && sent < 4_000_000) {
            out.write(repeat);
            sent += repeat.length;
          }
          s.getInputStream().readAllBytes();
        } catch (IOException ignored) {
          // the client gave up, as it should
        }
      }, "connector-bounds-peer");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Failure failure(Target target) {
    TlsInspector inspector = TlsInspector.builder().probe(new JsseProbe()).options(OPTIONS).build();
    ProbeOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> inspector.inspect(target))
        .outcomes().get(0);
    return ((ProbeOutcome.Failed) outcome).failure();
  }

  private static Target starttls(int port, Starttls protocol) {
    return Target.builder("localhost", port).connectAddress("127.0.0.1").starttls(protocol).build();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void endlessSmtpGreeting_isCutAt64KB() throws Exception {
    try (Peer peer = new Peer(ascii("220-hello\r\n"), ascii("220-" + "x".repeat(200) + "\r\n"))) {
      Failure f = failure(starttls(peer.port(), Starttls.SMTP));
      assertEquals(FailureKind.STARTTLS_UNAVAILABLE, f.kind(), f::toString);
      assertTrue(f.message().contains("more than 65536 bytes"), f.message());
    }
  }

  @Test
  void endlessProxyHeaders_areCutAt64KB() throws Exception {
    try (Peer peer = new Peer(ascii("HTTP/1.1 200 OK\r\n"), ascii("X-Padding: " + "y".repeat(200) + "\r\n"))) {
      Failure f = failure(Target.builder("backend.test", 443).proxy(ProxySpec.http("127.0.0.1", peer.port())).build());
      assertEquals(FailureKind.PROXY_FAILED, f.kind(), f::toString);
      assertTrue(f.message().contains("more than 65536 bytes"), f.message());
    }
  }

  @Test
  void ldapAnswerAnnouncingGigabytes_isRefusedBeforeReading() throws Exception {
    try (Peer peer = new Peer(new byte[] {0x30, (byte) 0x83, 0x7F, (byte) 0xFF, (byte) 0xFF}, new byte[0])) {
      Failure f = failure(starttls(peer.port(), Starttls.LDAP));
      assertEquals(FailureKind.STARTTLS_UNAVAILABLE, f.kind(), f::toString);
      assertTrue(f.message().contains("announces 8388607 bytes"), f.message());
    }
  }

  @Test
  void malformedLdapAnswer_isStarttlsUnavailable() throws Exception {
    // messageID, then an ExtendedResponse whose resultCode claims more bytes than there are.
    byte[] bad = {0x30, 0x08, 0x02, 0x01, 0x01, 0x78, 0x03, 0x0A, 0x05, 0x00};
    try (Peer peer = new Peer(bad, new byte[0])) {
      Failure f = failure(starttls(peer.port(), Starttls.LDAP));
      assertEquals(FailureKind.STARTTLS_UNAVAILABLE, f.kind(), f::toString);
      assertTrue(f.message().contains("malformed"), f.message());
    }
  }

  @Test
  void mysqlPacketOf16MB_isRefusedBeforeReading() throws Exception {
    try (Peer peer = new Peer(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0}, new byte[0])) {
      Failure f = failure(starttls(peer.port(), Starttls.MYSQL));
      assertEquals(FailureKind.STARTTLS_UNAVAILABLE, f.kind(), f::toString);
      assertTrue(f.message().contains("16777215 bytes"), f.message());
    }
  }

  @Test
  void serverClosingAfterGreeting_isConnectionResetDuringStarttls() throws Exception {
    try (Peer peer = new Peer(ascii("* OK ready\r\n"), new byte[0], true)) {
      Failure f = failure(starttls(peer.port(), Starttls.IMAP));
      assertEquals(FailureKind.CONNECTION_RESET, f.kind(), f::toString);
      assertEquals("during the IMAP STARTTLS exchange", f.stage().orElseThrow());
      assertTrue(f.message().contains("CAPABILITY"), f.message());
    }
  }
}
