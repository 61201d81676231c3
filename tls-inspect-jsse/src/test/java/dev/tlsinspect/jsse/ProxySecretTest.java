package dev.tlsinspect.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.ProxySpec;
import dev.tlsinspect.Target;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.probe.ClientOffer;
import dev.tlsinspect.probe.Deadline;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.ProbeRequest;
import dev.tlsinspect.testing.RecordingLogger;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A proxy that echoes the request, Proxy-Authorization included, in its refusal (some do, in the
 * status line, a header or the body of a 400/407): the proxy password, and the Basic token made of
 * it, appear nowhere: not in the failure, the trace, the report or the DEBUG log.
 */
class ProxySecretTest {
  private static final String USER = "svc-scan";
  private static final String PASSWORD = "pr0xy-s3cret!";
  private static final String TOKEN = Base64.getEncoder()
      .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

  /** Answers one CONNECT with a 407 that quotes every request line back, then closes. */
  static final class EchoingProxy implements AutoCloseable {
    final ServerSocket server;
    final Thread thread;

    EchoingProxy(String style) throws IOException {
      server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
      thread = new Thread(() -> {
        try (Socket s = server.accept()) {
          s.setSoTimeout(10_000);
          BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
          List<String> lines = new ArrayList<>();
          for (String l = in.readLine(); l != null && !l.isEmpty(); l = in.readLine()) {
            lines.add(l);
          }
          String echo = String.join(" | ", lines);
          String reply = switch (style) {
            case "status" -> "HTTP/1.1 407 you sent: " + echo + "\r\n\r\n";
            case "header" -> "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\" "
                + "error=\"rejected " + echo + "\"\r\n\r\n";
            default -> echo + "\r\n\r\n"; // not HTTP at all: the first line is quoted as what it said
          };
          OutputStream out = s.getOutputStream();
          out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        } catch (IOException ignored) {
          // the test asserts on what the client saw
        }
      }, "echoing-proxy");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  private static void assertNoSecret(String where, String text) {
    assertFalse(text.contains(PASSWORD), () -> where + " holds the password: " + text);
    assertFalse(text.contains(TOKEN), () -> where + " holds the Basic token: " + text);
  }

  private static void check(String style) throws IOException {
    try (EchoingProxy proxy = new EchoingProxy(style)) {
      ProxySpec spec = ProxySpec.parse("http://" + USER + ":" + PASSWORD + "@127.0.0.1:" + proxy.port());
      Target target = Target.builder("service.test", 443).proxy(spec).build();
      InetAddress loopback = InetAddress.getLoopbackAddress();
      ProbeRequest request = new ProbeRequest(target, new InetSocketAddress(loopback, proxy.port()),
          List.of(loopback), Deadline.after(Duration.ofSeconds(8)), Duration.ofSeconds(4),
          Duration.ofSeconds(4), TrustMaterial.jvmDefault(), ClientOffer.providerDefaults());
      RecordingLogger log = new RecordingLogger("jsse");
      ProbeOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(20),
          () -> new JsseHandshake(request, "jsse", log).run());
      ProbeOutcome.Failed failed = assertInstanceOf(ProbeOutcome.Failed.class, outcome, outcome::toString);
      assertEquals(FailureKind.PROXY_FAILED, failed.failure().kind(), failed::toString);
      assertTrue(failed.toString().contains("[redacted]"), failed::toString);
      assertNoSecret("the outcome (failure, evidence and trace)", failed.toString());
      assertFalse(log.lines().isEmpty(), "the DEBUG log is recorded");
      assertNoSecret("the DEBUG log", log.lines().toString());
    }
  }

  @Test
  void echoInTheStatusLine_isRedacted() throws IOException {
    check("status");
  }

  @Test
  void echoInProxyAuthenticate_isRedacted() throws IOException {
    check("header");
  }

  @Test
  void echoInsteadOfHttp_isRedacted() throws IOException {
    check("raw");
  }
}
