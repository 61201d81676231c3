package dev.tlsinspect.bc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.jsse.JsseProbe;
import dev.tlsinspect.probe.HandshakeProbe;
import dev.tlsinspect.testing.FakePeer;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every transport fault against a real loopback peer, for both providers: each ends as its own
 * typed root cause within the deadline (the test would hang, not pass, if a wait were unbounded;
 * assertTimeoutPreemptively turns a hang into a failure). HOST_UNREACHABLE needs a route to a
 * non-loopback address, which tests never contact: ConnectFailuresTest covers it at the seam.
 */
class TransportFaultTest {

  static Stream<Supplier<HandshakeProbe>> providers() {
    return Stream.of(JsseProbe::new, BcProbe::new);
  }

  private static Report inspect(Supplier<HandshakeProbe> probe, int port, Duration timeout) {
    InspectOptions options = InspectOptions.builder()
        .timeout(timeout)
        .build();
    TlsInspector inspector = TlsInspector.builder().probe(probe.get()).options(options).build();
    Target t = Target.builder("localhost", port).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(timeout.plusSeconds(10), () -> inspector.inspect(t, options));
  }

  /** The report's one root cause: code, CRITICAL, and the failure kind in evidence. */
  private static Finding rootCause(Report report, Code code) {
    List<Finding> roots = report.findings().stream().filter(Finding::rootCause).toList();
    assertEquals(1, roots.size(), () -> report.summary() + " " + report.findings());
    Finding f = roots.get(0);
    assertEquals(code, f.code(), () -> report.summary() + " " + f);
    assertEquals(Severity.CRITICAL, f.severity());
    assertEquals("127.0.0.1", f.evidence().get("address"));
    return f;
  }

  @ParameterizedTest
  @MethodSource("providers")
  void fullAcceptQueue_isConnectTimeout(Supplier<HandshakeProbe> probe) {
    try (FakePeer peer = FakePeer.unresponsiveConnect()) {
      Finding f = rootCause(inspect(probe, peer.port(), Duration.ofSeconds(2)), Code.CONNECT_TIMEOUT);
      assertEquals("CONNECT_TIMEOUT", f.evidence().get("failure"));
      assertEquals(0, peer.connections(), "the connect never got through");
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void silentPeer_isHandshakeTimeout(Supplier<HandshakeProbe> probe) {
    try (FakePeer peer = FakePeer.silent()) {
      Finding f = rootCause(inspect(probe, peer.port(), Duration.ofSeconds(2)), Code.HANDSHAKE_TIMEOUT);
      assertEquals("HANDSHAKE_TIMEOUT", f.evidence().get("failure"));
      assertEquals(1, peer.connections());
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void drippingPeer_isHandshakeTimeout(Supplier<HandshakeProbe> probe) {
    try (FakePeer peer = FakePeer.drip(Duration.ofMillis(50))) {
      Finding f = rootCause(inspect(probe, peer.port(), Duration.ofSeconds(2)), Code.HANDSHAKE_TIMEOUT);
      assertEquals("HANDSHAKE_TIMEOUT", f.evidence().get("failure"));
      assertTrue(peer.bytesSent() > 0, "the peer did answer, slowly");
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void resetAfterClientHello_isConnectionReset_namingTheMessage(Supplier<HandshakeProbe> probe) {
    try (FakePeer peer = FakePeer.resetAfterClientHello()) {
      Finding f = rootCause(inspect(probe, peer.port(), Duration.ofSeconds(5)), Code.CONNECTION_RESET);
      assertEquals("CONNECTION_RESET", f.evidence().get("failure"));
      assertTrue(String.valueOf(f.evidence().get("stage")).contains("after ClientHello"), f::toString);
      assertTrue(f.title().contains("after ClientHello"), f.title());
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void closeAfterClientHello_isConnectionReset(Supplier<HandshakeProbe> probe) {
    try (FakePeer peer = FakePeer.closeAfterClientHello()) {
      Finding f = rootCause(inspect(probe, peer.port(), Duration.ofSeconds(5)), Code.CONNECTION_RESET);
      assertTrue(String.valueOf(f.evidence().get("stage")).contains("after ClientHello"), f::toString);
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void closedPort_isConnectionRefused(Supplier<HandshakeProbe> probe) {
    Finding f = rootCause(inspect(probe, FakePeer.closedPort(), Duration.ofSeconds(5)), Code.CONNECTION_REFUSED);
    assertEquals("CONNECTION_REFUSED", f.evidence().get("failure"));
  }

  @ParameterizedTest
  @MethodSource("providers")
  void unresolvableName_isDnsResolutionFailed(Supplier<HandshakeProbe> probe) {
    InspectOptions options = InspectOptions.builder()
        .resolver(host -> {
          throw new UnknownHostException(host + ": Name or service not known");
        })
        .build();
    TlsInspector inspector = TlsInspector.builder().probe(probe.get()).options(options).build();
    Report report = inspector.inspect(Target.of("no-such-host.invalid", 443));
    List<Finding> roots = report.findings().stream().filter(Finding::rootCause).toList();
    assertEquals(1, roots.size(), report::summary);
    assertEquals(Code.DNS_RESOLUTION_FAILED, roots.get(0).code());
    assertTrue(roots.get(0).detail().contains("no-such-host.invalid"));
    assertEquals(List.of(), report.addresses(), "no address was tried");
  }

  /**
   * What servers of other protocols say to a TLS ClientHello: those that speak first greet
   * (SMTP, FTP, IMAP, POP3, SSH, MySQL), the others answer the bytes they could not parse
   * (HTTP, Redis, PostgreSQL).
   */
  static Stream<Arguments> banners() {
    List<String[]> peers = List.of(
        new String[] {"SMTP", "220 mail.example.test ESMTP Postfix (Debian/GNU)\r\n"},
        new String[] {"FTP", "220 (vsFTPd 3.0.5)\r\n"},
        new String[] {"IMAP", "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ "
            + "STARTTLS AUTH=PLAIN] Dovecot (Debian) ready.\r\n"},
        new String[] {"POP3", "+OK Dovecot (Debian) ready.\r\n"},
        new String[] {"SSH", "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n"},
        // Protocol::HandshakeV10: 3-byte length, sequence 0, protocol 10, server version, NUL.
        new String[] {"MySQL", "\u004a\u0000\u0000\u0000\n8.0.36\u0000\u0008\u0000\u0000\u0000abcdefgh\u0000"},
        new String[] {"HTTP", "HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Length: 0\r\n\r\n"},
        new String[] {"Redis", "-ERR unknown command '\u0016\u0003\u0001', with args beginning with: \r\n"},
        // ErrorResponse: 'E', int32 length, then S, V, C, M fields, each NUL-terminated.
        new String[] {"PostgreSQL", "E\u0000\u0000\u0000\u0058SFATAL\u0000VFATAL\u0000C08P01\u0000"
            + "Minvalid length of startup packet\u0000\u0000"});
    return providers().flatMap(p -> peers.stream().map(b -> Arguments.of(p, b[0], b[1])));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("banners")
  void otherProtocols_areNotTls_andNamed(Supplier<HandshakeProbe> probe, String protocol, String banner) {
    try (FakePeer peer = FakePeer.banner(banner)) {
      Finding f = rootCause(inspect(probe, peer.port(), Duration.ofSeconds(5)), Code.NOT_TLS);
      assertEquals(protocol, f.evidence().get("protocol"), f::toString);
      assertTrue(f.title().contains(protocol), f.title());
    }
  }
}
