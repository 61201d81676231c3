package dev.tlsinspect.probe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tlsinspect.ProxySpec;
import dev.tlsinspect.Starttls;
import dev.tlsinspect.Target;
import dev.tlsinspect.TrustMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The STARTTLS and proxy exchanges parse what a peer chose to send (SMTP and FTP reply lines, IMAP
 * tags, POP3 answers, LDAP BER, the MySQL handshake packet, PostgreSQL's one byte, XMPP features,
 * HTTP status lines, SOCKS5 replies). Whatever comes back, {@link Connector#open} ends with a
 * socket or a typed {@link Connector.Failed}, within the deadline, with a bounded quote of the
 * reply. A loopback peer sends the fuzzer's bytes and closes. Regression mode in every build;
 * {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class ConnectorFuzzTest {
  private static final Set<FailureKind> EXPECTED = EnumSet.of(FailureKind.STARTTLS_UNAVAILABLE,
      FailureKind.PROXY_FAILED, FailureKind.CONNECTION_RESET, FailureKind.HANDSHAKE_TIMEOUT,
      FailureKind.PROTOCOL_ERROR, FailureKind.OTHER);
  private static ServerSocket peer;
  private static volatile byte[] script = new byte[0];
  private static Thread acceptor;

  @BeforeAll
  static void start() throws IOException {
    peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(() -> {
      while (!peer.isClosed()) {
        try (Socket s = peer.accept()) {
          s.setSoTimeout(200);
          OutputStream out = s.getOutputStream();
          out.write(script);
          out.flush();
          s.shutdownOutput();
          // Drain what the client says until it gives up, so that the close is not a reset.
          InputStream in = s.getInputStream();
          byte[] sink = new byte[4096];
          try {
            while (in.read(sink) >= 0) {
              // discard
            }
          } catch (IOException ignored) {
            // timeout or reset: the client is done
          }
        } catch (IOException e) {
          // closed at the end, or a client that went away
        }
      }
    }, "connector-fuzz-peer");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterAll
  static void stop() throws IOException {
    peer.close();
  }

  @FuzzTest(maxDuration = "30s")
  void anyPlaintextReply_endsTyped(FuzzedDataProvider data) {
    int choice = data.consumeInt(0, Starttls.values().length + 1);
    script = data.consumeRemainingAsBytes();
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.getLocalPort());
    Target.Builder target = Target.builder("service.test", 443);
    if (choice < Starttls.values().length) {
      target.starttls(Starttls.values()[choice]);
    } else if (choice == Starttls.values().length) {
      target.proxy(ProxySpec.http("127.0.0.1", peer.getLocalPort()).withCredentials("user", "s3cr3t-pw"));
    } else {
      target.proxy(ProxySpec.socks5("127.0.0.1", peer.getLocalPort()).withCredentials("user", "s3cr3t-pw"));
    }
    ProbeRequest request = new ProbeRequest(target.build(), address, List.of(address.getAddress()),
        Deadline.after(Duration.ofSeconds(3)), Duration.ofSeconds(1), Duration.ofMillis(500),
        TrustMaterial.jvmDefault(), ClientOffer.providerDefaults());
    // Jazzer's SSRF detector: the peer, and only the peer, on loopback is the point of this test.
    // Closed in finally, after the socket, rather than as an unreferenced try resource.
    SilentCloseable loopbackOnly = BugDetectors.allowNetworkConnections((host, port) ->
        (host.equals("localhost") || host.startsWith("127.")) && port == peer.getLocalPort());
    try (Socket upgraded = Connector.open(request)) {
      assertTrue(upgraded.isConnected()); // the bytes happened to be a valid acceptance
    } catch (Connector.Failed e) {
      assertTrue(EXPECTED.contains(e.kind()), e.kind() + ": " + e.getMessage());
      assertTrue(e.reply().length() <= 2_000, "the quoted reply is bounded");
      // The password never shows, unless the peer itself said it (the reply is quoted).
      boolean peerSaidIt = new String(script, java.nio.charset.StandardCharsets.ISO_8859_1).contains("s3cr3t-pw");
      assertTrue(peerSaidIt || !e.getMessage().contains("s3cr3t-pw"), "the proxy password never shows");
    } catch (IOException e) {
      throw new AssertionError("closing failed", e);
    } finally {
      loopbackOnly.close();
    }
  }
}
