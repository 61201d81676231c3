package dev.tlsinspect.bc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.probe.ClientOffer;
import dev.tlsinspect.probe.Deadline;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.ProbeRequest;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.BcTlsServer;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SSL 2.0 detection: the hand-built CLIENT-HELLO against fake SSL 2.0 servers and real TLS ones. */
class Sslv2Test {
  private static final ClientOffer SSL2 = ClientOffer.builder().versions(TlsVersion.SSL_2_0)
      .serverHelloOnly(true).build();
  private static IssuedCertificate root;
  private static IssuedCertificate leaf;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("tls-inspect Test Root").build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(root).build();
  }

  /** A SERVER-HELLO offering 3DES, with the leaf certificate, as an SSL 2.0 server sends it. */
  static byte[] serverHello(byte[] certificate) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(4); // SERVER-HELLO
    b.write(0); // no session id hit
    b.write(1); // X.509 certificate
    b.write(0);
    b.write(2); // version 0x0002
    b.write(certificate.length >>> 8);
    b.write(certificate.length);
    b.write(0);
    b.write(3); // one cipher kind
    b.write(0);
    b.write(16); // connection id
    b.writeBytes(certificate);
    b.writeBytes(new byte[] {0x07, 0x00, (byte) 0xC0});
    b.writeBytes(new byte[16]);
    byte[] body = b.toByteArray();
    byte[] out = new byte[body.length + 2];
    out[0] = (byte) (0x80 | (body.length >>> 8));
    out[1] = (byte) body.length;
    System.arraycopy(body, 0, out, 2, body.length);
    return out;
  }

  /** A loopback server: each connection gets its first bytes read and is answered by the handler. */
  static final class FakeServer implements AutoCloseable {
    final ServerSocket socket;
    final Thread thread;

    FakeServer(BiConsumer<byte[], Socket> handler) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      thread = new Thread(() -> {
        while (!socket.isClosed()) {
          try {
            Socket s = socket.accept();
            Thread t = new Thread(() -> {
              try (s) {
                s.setSoTimeout(5000);
                byte[] first = new byte[2];
                int n = s.getInputStream().readNBytes(first, 0, 2);
                handler.accept(java.util.Arrays.copyOf(first, n), s);
              } catch (IOException ignored) {
                // the client went away
              }
            });
            t.setDaemon(true);
            t.start();
          } catch (IOException e) {
            return;
          }
        }
      });
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static void answerSsl2(byte[] first, Socket s) {
    try {
      answerSsl2With(leaf.certificate().getEncoded()).accept(first, s);
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An SSL 2.0 server's answer to a CLIENT-HELLO: a SERVER-HELLO with this certificate. */
  static BiConsumer<byte[], Socket> answerSsl2With(byte[] certificate) {
    return (first, s) -> answer(first, s, certificate);
  }

  private static void answer(byte[] first, Socket s, byte[] certificate) {
    try {
      // The CLIENT-HELLO must be SSL 2.0: two-byte header, msg type 1, version 0x0002, 7 kinds.
      int length = ((first[0] & 0x7F) << 8) | (first[1] & 0xFF);
      byte[] body = s.getInputStream().readNBytes(length);
      if ((first[0] & 0x80) == 0 || body[0] != 1 || body[1] != 0 || body[2] != 2 || body[4] != 21) {
        return;
      }
      s.getOutputStream().write(serverHello(certificate));
      s.getOutputStream().flush();
      s.getInputStream().read(); // wait for the client to close
    } catch (IOException ignored) {
      // the client went away
    }
  }

  private static ProbeOutcome probe(int port) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    ProbeRequest request = new ProbeRequest(Target.builder("localhost", port).connectAddress("127.0.0.1").build(),
        new InetSocketAddress(loopback, port), List.of(loopback), Deadline.after(Duration.ofSeconds(5)),
        Duration.ofSeconds(2), Duration.ofSeconds(2), TrustMaterial.jvmDefault(), SSL2);
    return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> new BcProbe().probe(request));
  }

  @Test
  void clientHello_isTheSsl2Format() {
    byte[] hello = Sslv2.clientHello(new byte[16]);
    assertEquals("802e" + "01" + "0002" + "0015" + "0000" + "0010"
        + "010080020080030080040080050080060040" + "0700c0" + "00".repeat(16),
        HexFormat.of().formatHex(hello));
  }

  @Test
  void fakeSsl2Server_answersWithAServerHello() throws Exception {
    try (FakeServer server = new FakeServer(Sslv2Test::answerSsl2)) {
      ProbeOutcome outcome = probe(server.port());
      assertEquals(TlsVersion.SSL_2_0,
          assertInstanceOf(ProbeOutcome.Completed.class, outcome).seen().version().orElseThrow());
    }
  }

  @Test
  void modernServer_isNoSsl2() {
    try (BcTlsServer server = BcTlsServer.builder().certificate(leaf).start()) {
      ProbeOutcome outcome = probe(server.port());
      assertInstanceOf(ProbeOutcome.Failed.class, outcome);
      assertTrue(outcome.observation().flatMap(o -> o.version()).isEmpty());
    }
  }

  @Test
  void garbage_isNoSsl2_withinTheDeadline() throws Exception {
    try (FakeServer http = new FakeServer((first, s) -> {
          try {
            s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          } catch (IOException ignored) {
            // gone
          }
        });
        FakeServer lying = new FakeServer((first, s) -> {
          try {
            // claims 32 KB, sends 10 bytes and stalls: the read ends at the time limit
            s.getOutputStream().write(HexFormat.of().parseHex("ffff04000100020000ff"));
            Thread.sleep(4000);
          } catch (IOException | InterruptedException ignored) {
            // gone
          }
        });
        FakeServer silent = new FakeServer((first, s) -> {
          try {
            Thread.sleep(4000);
          } catch (InterruptedException ignored) {
            // done
          }
        })) {
      for (FakeServer server : List.of(http, lying, silent)) {
        ProbeOutcome outcome = probe(server.port());
        assertInstanceOf(ProbeOutcome.Failed.class, outcome);
      }
    }
  }

  /** TLS goes to a real server, SSL 2.0 gets the fake answer: a server that accepts both. */
  @Test
  void enumeration_reportsProtocolSsl2() throws Exception {
    try (BcTlsServer tls = BcTlsServer.builder().certificate(leaf).versions(TlsVersion.TLS_1_2).start();
        FakeServer both = new FakeServer((first, s) -> {
          if ((first[0] & 0x80) != 0) {
            answerSsl2(first, s);
          } else {
            forward(first, s, tls.port());
          }
        })) {
      TlsInspector inspector = TlsInspector.builder().probe(new BcProbe())
          .options(InspectOptions.builder().trust(TrustMaterial.certificates(List.of(root.certificate())))
              .timeout(Duration.ofSeconds(20)).build())
          .build();
      Target t = Target.builder("localhost", both.port()).connectAddress("127.0.0.1").build();
      Report report = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> inspector.inspect(t));
      List<Finding> ssl2 = report.findings().stream().filter(f -> f.code().equals(Code.PROTOCOL_SSL2)).toList();
      assertEquals(1, ssl2.size(), report::summary);
      assertEquals(Severity.CRITICAL, ssl2.get(0).severity());
      assertTrue(report.protocols().contains("SSLv2"), report.protocols()::toString);
      assertFalse(report.hasFinding(Code.PROTOCOL_SSL3));
      Finding drown = report.findings().stream().filter(f -> f.code().equals(Code.DROWN)).findFirst()
          .orElseThrow(() -> new AssertionError(report.summary()));
      assertEquals(Severity.CRITICAL, drown.severity());
      assertEquals("CVE-2016-0800", drown.evidence().get("cve"));
    }
  }

  @Test
  void enumeration_ofAModernServer_hasNoProtocolSsl2() {
    try (BcTlsServer tls = BcTlsServer.builder().certificate(leaf).versions(TlsVersion.TLS_1_3).start()) {
      TlsInspector inspector = TlsInspector.builder().probe(new BcProbe())
          .options(InspectOptions.builder().trust(TrustMaterial.certificates(List.of(root.certificate())))
              .timeout(Duration.ofSeconds(20)).build())
          .build();
      Target t = Target.builder("localhost", tls.port()).connectAddress("127.0.0.1").build();
      Report report = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> inspector.inspect(t));
      assertFalse(report.hasFinding(Code.PROTOCOL_SSL2), report::summary);
      assertFalse(report.hasFinding(Code.DROWN), report::summary);
      assertEquals(List.of("TLSv1.3"), report.protocols());
    }
  }

  /** Hands a connection to a real TLS server: the first bytes, then both ways. */
  static void forward(byte[] first, Socket client, int port) {
    try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), port)) {
      upstream.getOutputStream().write(first);
      Thread back = new Thread(() -> pipe(upstream, client));
      back.setDaemon(true);
      back.start();
      pipe(client, upstream);
      back.join(5000);
    } catch (IOException | InterruptedException ignored) {
      // either side went away
    }
  }

  private static void pipe(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException ignored) {
      // closed
    }
  }
}
