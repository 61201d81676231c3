package dev.tlsinspect.bc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tlsinspect.AddressResult;
import dev.tlsinspect.CertificateInfo;
import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.jsse.JsseProbe;
import dev.tlsinspect.probe.HandshakeProbe;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every address behind one name is probed: real TLS servers on 127.0.0.1, 127.0.0.2 (and ::1
 * where IPv6 loopback works) share one port, and an injected resolver maps the name to them, as
 * DNS maps a name to the backends of a load balancer. Both providers.
 */
class AddressConsistencyTest {
  private static final String NAME = "service.test";
  private static IssuedCertificate root;
  private static IssuedCertificate leaf;
  private static IssuedCertificate otherLeaf;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("tls-inspect Test Root").build();
    IssuedCertificate intermediate = CertificateBuilder.intermediate("tls-inspect Test Intermediate")
        .issuedBy(root).build();
    leaf = CertificateBuilder.leaf(NAME).issuedBy(intermediate).crlUrl("http://127.0.0.1:9/ca.crl").build();
    otherLeaf = CertificateBuilder.leaf(NAME).issuedBy(intermediate).crlUrl("http://127.0.0.1:9/ca.crl")
        .freshKey().build();
  }

  static Stream<Supplier<HandshakeProbe>> providers() {
    return Stream.of(JsseProbe::new, BcProbe::new);
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Starts one server per address on one port; retries when the port is taken on another address. */
  private static List<TlsServer> servers(List<String> addresses, List<TlsServer.Builder> builders) {
    for (int attempt = 0; attempt < 5; attempt++) {
      List<TlsServer> started = new ArrayList<>();
      try {
        int port = 0;
        for (int i = 0; i < addresses.size(); i++) {
          TlsServer s = builders.get(i).bind(ip(addresses.get(i)), port).start();
          started.add(s);
          port = s.port();
        }
        return started;
      } catch (UncheckedIOException taken) {
        started.forEach(TlsServer::close);
      }
    }
    throw new AssertionError("no port free on all of " + addresses);
  }

  private static Report inspect(Supplier<HandshakeProbe> probe, int port, String... addresses) {
    return inspect(probe, false, port, addresses);
  }

  private static Report inspect(Supplier<HandshakeProbe> probe, boolean quick, int port, String... addresses) {
    InspectOptions options = InspectOptions.builder()
        .quick(quick)
        .trust(TrustMaterial.certificates(List.of(root.certificate())))
        .timeout(Duration.ofSeconds(10))
        // A full inspection: quick mode stops at the first address that answers.
        .resolver(host -> {
          assertEquals(NAME, host);
          List<InetAddress> out = new ArrayList<>();
          for (String a : addresses) {
            out.add(InetAddress.getByName(a));
          }
          return out;
        })
        .build();
    TlsInspector inspector = TlsInspector.builder().probe(probe.get()).options(options).build();
    return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> inspector.inspect(Target.of(NAME, port), options));
  }

  private static Finding inconsistent(Report report, Severity severity) {
    List<Finding> matches = report.findings().stream()
        .filter(f -> f.code().equals(Code.ADDRESS_INCONSISTENT)).toList();
    assertEquals(1, matches.size(), () -> report.summary() + " " + report.findings());
    Finding f = matches.get(0);
    assertEquals(severity, f.severity());
    // HIGH when some connections fail; MEDIUM when all work but the backends differ.
    assertEquals(severity == Severity.HIGH ? Verdict.FAIL : Verdict.WARN, report.verdict(),
        () -> report.findings().toString());
    return f;
  }

  private static void close(List<TlsServer> servers) {
    servers.forEach(TlsServer::close);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void identicalBackends_areConsistent(Supplier<HandshakeProbe> probe) throws InterruptedException {
    List<TlsServer> s = servers(List.of("127.0.0.1", "127.0.0.2"),
        List.of(TlsServer.builder().certificate(leaf), TlsServer.builder().certificate(leaf)));
    try {
      Report report = inspect(probe, s.get(0).port(), "127.0.0.1", "127.0.0.2");
      assertFalse(report.hasFinding(Code.ADDRESS_INCONSISTENT), report::summary);
      assertNotEquals(Verdict.FAIL, report.verdict(), () -> report.findings().toString());
      assertEquals(2, report.addresses().size());
      String fingerprint = CertificateInfo.fingerprint(leaf.certificate());
      for (AddressResult a : report.addresses()) {
        assertEquals("completed", a.result(), a::toString);
        assertEquals(fingerprint, a.leafSha256().orElseThrow());
        assertTrue(a.version().isPresent());
      }
      assertTrue(report.addresses().get(0).main());
      // The server notes a handshake a moment after the client has finished it.
      assertTrue(s.get(0).awaitFinishedConnections(1, Duration.ofSeconds(5)));
      assertTrue(s.get(1).awaitFinishedConnections(1, Duration.ofSeconds(5)));
      assertTrue(s.get(0).handshakes() >= 1, "the main backend (also enumerated and probed without SNI)");
      assertEquals(1, s.get(1).handshakes(), "the second backend was probed too, once");
    } finally {
      close(s);
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void differentCertificates_areInconsistent_withBothFingerprints(Supplier<HandshakeProbe> probe) {
    List<TlsServer> s = servers(List.of("127.0.0.1", "127.0.0.2"),
        List.of(TlsServer.builder().certificate(leaf), TlsServer.builder().certificate(otherLeaf)));
    try {
      Finding f = inconsistent(inspect(probe, s.get(0).port(), "127.0.0.1", "127.0.0.2"), Severity.MEDIUM);
      assertEquals(List.of("127.0.0.2"), f.evidence().get("differing"));
      assertEquals(List.of("certificate"), f.evidence().get("aspects"));
      assertEquals(List.of("127.0.0.1=" + CertificateInfo.fingerprint(leaf.certificate()),
          "127.0.0.2=" + CertificateInfo.fingerprint(otherLeaf.certificate())), f.evidence().get("leafSha256"));
      assertTrue(f.remediation().contains("Address 127.0.0.2 differs from 127.0.0.1"), f.remediation());
      assertFalse(f.rootCause(), "the main handshake completed");
    } finally {
      close(s);
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void refusedBackend_isInconsistent_andNamed(Supplier<HandshakeProbe> probe) {
    List<TlsServer> s = servers(List.of("127.0.0.1"), List.of(TlsServer.builder().certificate(leaf)));
    try {
      // Nothing listens on 127.0.0.3 at that port: the connect is refused.
      Report report = inspect(probe, s.get(0).port(), "127.0.0.3", "127.0.0.1");
      Finding f = inconsistent(report, Severity.HIGH);
      assertEquals(List.of("127.0.0.3"), f.evidence().get("differing"));
      assertEquals("127.0.0.1", f.evidence().get("mainAddress"));
      assertTrue(f.remediation().contains("Address 127.0.0.3 refuses the connection"), f.remediation());
      assertEquals("CONNECTION_REFUSED", report.addresses().get(0).result());
      assertTrue(report.addresses().get(1).main(), "the first address past TCP is the main one");
      assertFalse(report.hasFinding(Code.CONNECTION_REFUSED), "the main handshake was not refused");
    } finally {
      close(s);
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void differentVersions_areInconsistent(Supplier<HandshakeProbe> probe) {
    List<TlsServer> s = servers(List.of("127.0.0.1", "127.0.0.2"),
        List.of(TlsServer.builder().certificate(leaf).protocols("TLSv1.3", "TLSv1.2"),
            TlsServer.builder().certificate(leaf).protocols("TLSv1.2")));
    try {
      Report report = inspect(probe, s.get(0).port(), "127.0.0.1", "127.0.0.2");
      Finding f = inconsistent(report, Severity.MEDIUM);
      assertEquals(List.of("127.0.0.2"), f.evidence().get("differing"));
      assertTrue(((List<?>) f.evidence().get("aspects")).contains("version"), f::toString);
      assertTrue(f.remediation().contains("version TLSv1.2 instead of TLSv1.3"), f.remediation());
      assertEquals("TLSv1.2", report.addresses().get(1).version().orElseThrow());
    } finally {
      close(s);
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void quickMode_triesAddressesInOrder_onlyUntilOneAnswers(Supplier<HandshakeProbe> probe) throws InterruptedException {
    List<TlsServer> s = servers(List.of("127.0.0.1", "127.0.0.2"),
        List.of(TlsServer.builder().certificate(leaf), TlsServer.builder().certificate(otherLeaf)));
    try {
      // 127.0.0.3 refuses; 127.0.0.1 answers; 127.0.0.2 (another certificate) is never contacted.
      Report report = inspect(probe, true, s.get(0).port(), "127.0.0.3", "127.0.0.1", "127.0.0.2");
      assertEquals(List.of("127.0.0.3", "127.0.0.1"),
          report.addresses().stream().map(AddressResult::address).toList(), report::summary);
      assertEquals("CONNECTION_REFUSED", report.addresses().get(0).result());
      assertTrue(report.addresses().get(1).main());
      assertFalse(report.hasFinding(Code.ADDRESS_INCONSISTENT), "quick mode compares nothing");
      assertTrue(s.get(0).awaitFinishedConnections(1, Duration.ofSeconds(5)));
      assertEquals(0, s.get(1).connections(), "one handshake: the third address is not tried");
    } finally {
      close(s);
    }
  }

  private static boolean ipv6Loopback() {
    try {
      new ServerSocket(0, 1, InetAddress.getByName("::1")).close();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void ipv6Backend_withAnotherCertificate_isInconsistent(Supplier<HandshakeProbe> probe) {
    assumeTrue(ipv6Loopback(), "no IPv6 loopback (::1) here");
    List<TlsServer> s = servers(List.of("127.0.0.1", "::1"),
        List.of(TlsServer.builder().certificate(leaf), TlsServer.builder().certificate(otherLeaf)));
    try {
      Report report = inspect(probe, s.get(0).port(), "127.0.0.1", "::1");
      Finding f = inconsistent(report, Severity.MEDIUM);
      assertEquals(List.of("0:0:0:0:0:0:0:1"), f.evidence().get("differing"));
      assertEquals(2, report.addresses().stream().filter(a -> a.leafSha256().isPresent()).count());
    } finally {
      close(s);
    }
  }
}
