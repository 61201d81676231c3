package dev.tlsinspect.jsse;

import static dev.tlsinspect.testing.ReportAssert.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.ProxySpec;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Starttls;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakeProxy;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.StarttlsServer;
import dev.tlsinspect.testing.StarttlsServer.Mode;
import dev.tlsinspect.testing.TlsServer;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * STARTTLS for every protocol and HTTP CONNECT / SOCKS5 proxies, through the JSSE provider, against
 * loopback fakes that speak the plaintext part and then do a real TLS handshake.
 */
class StarttlsProxyTest {
  private static final String BACKEND = "backend.test";
  private static final String SECRET = "s3cret-Pa55";
  private static IssuedCertificate root;
  private static IssuedCertificate good;
  private static IssuedCertificate expired;
  private static IssuedCertificate backend;
  private static InspectOptions options;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("tls-inspect STARTTLS Test Root").build();
    good = CertificateBuilder.leaf("localhost").issuedBy(root).crlUrl("http://127.0.0.1:9/ca.crl").build();
    expired = CertificateBuilder.leaf("localhost").issuedBy(root).expired().build();
    backend = CertificateBuilder.leaf(BACKEND).issuedBy(root).crlUrl("http://127.0.0.1:9/ca.crl").build();
    options = InspectOptions.builder()
        .trust(TrustMaterial.certificates(List.of(root.certificate())))
        .timeout(Duration.ofSeconds(8))
        // Any local lookup fails: through a proxy only the proxy (an IP literal here) is dialled.
        .resolver(host -> {
          throw new UnknownHostException("no local DNS in this test: " + host);
        })
        .build();
  }

  private static Report inspect(Target target, InspectOptions o) {
    TlsInspector inspector = TlsInspector.builder().probe(new JsseProbe()).options(o).build();
    return assertTimeoutPreemptively(o.deadline().plusSeconds(5), () -> inspector.inspect(target));
  }

  private static Target direct(int port, Starttls protocol) {
    return Target.builder("localhost", port).connectAddress("127.0.0.1").starttls(protocol).build();
  }

  @ParameterizedTest
  @EnumSource(Starttls.class)
  void starttls_handshakeCompletes_andTheCertificateIsChecked(Starttls protocol) {
    try (StarttlsServer server = StarttlsServer.builder(protocol).certificate(good).start()) {
      Report report = inspect(direct(server.port(), protocol), options);
      assertInstanceOf(ProbeOutcome.Completed.class, report.outcomes().get(0), report::summary);
      assertEquals(Verdict.PASS, report.verdict(), report::summary);
      assertEquals(good.certificate(), report.outcomes().get(0).observation().orElseThrow().peerChain().get(0));
      assertFalse(server.commands().isEmpty(), "the client spoke " + protocol + " first");
      assertEquals(Starttls.valueOf(protocol.name()), report.target().starttls().orElseThrow());
    }
  }

  @ParameterizedTest
  @EnumSource(Starttls.class)
  void starttls_expiredCertificate_isTheRootCause(Starttls protocol) {
    try (StarttlsServer server = StarttlsServer.builder(protocol).certificate(expired).start()) {
      Report report = inspect(direct(server.port(), protocol), options);
      assertEquals(Verdict.FAIL, report.verdict());
      Finding f = only(report, Code.CERT_EXPIRED);
      assertTrue(f.rootCause(), report::summary);
      assertEquals(Severity.CRITICAL, f.severity());
    }
  }

  @ParameterizedTest
  @EnumSource(Starttls.class)
  void starttls_notOffered_isStarttlsUnavailable(Starttls protocol) {
    try (StarttlsServer server = StarttlsServer.builder(protocol).certificate(good).mode(Mode.NOT_OFFERED).start()) {
      Report report = inspect(direct(server.port(), protocol), options);
      assertEquals(Verdict.FAIL, report.verdict());
      assertEquals(List.of(Code.STARTTLS_UNAVAILABLE), report.rootCauses().stream().map(Finding::code).toList(),
          report::summary);
      Finding f = only(report, Code.STARTTLS_UNAVAILABLE);
      assertEquals(Severity.CRITICAL, f.severity());
      assertEquals(protocol.name(), f.evidence().get("protocol"));
      assertEquals(FailureKind.STARTTLS_UNAVAILABLE.name(), f.evidence().get("failure"));
      assertTrue(String.valueOf(f.evidence().get("stage")).contains("STARTTLS exchange"), f::toString);
      assertFalse(f.remediation().isBlank());
      assertEquals(0, server.handshakes());
    }
  }

  @ParameterizedTest
  @EnumSource(value = Starttls.class, names = {"SMTP", "IMAP", "POP3", "FTP", "LDAP", "XMPP"})
  void starttls_refused_isStarttlsUnavailable_withWhatTheServerSaid(Starttls protocol) {
    try (StarttlsServer server = StarttlsServer.builder(protocol).certificate(good).mode(Mode.REFUSE).start()) {
      Report report = inspect(direct(server.port(), protocol), options);
      Finding f = only(report, Code.STARTTLS_UNAVAILABLE);
      assertTrue(f.rootCause());
      assertTrue(f.title().contains("refused"), f::toString);
      assertTrue(f.evidence().containsKey("serverSaid"), f::toString);
    }
  }

  @Test
  void smtpRefusal_quotesTheReplyCode() {
    try (StarttlsServer server = StarttlsServer.builder(Starttls.SMTP).certificate(good).mode(Mode.REFUSE).start()) {
      Finding f = only(inspect(direct(server.port(), Starttls.SMTP), options), Code.STARTTLS_UNAVAILABLE);
      assertTrue(String.valueOf(f.evidence().get("serverSaid")).startsWith("454 4.7.0"), f::toString);
      assertTrue(server.commands().contains("STARTTLS"));
    }
  }

  @Test
  void silentStarttlsServer_givesTimeoutWithinTheDeadline() {
    InspectOptions fast = options.toBuilder().timeout(Duration.ofSeconds(2)).build();
    try (StarttlsServer server = StarttlsServer.builder(Starttls.SMTP).certificate(good).mode(Mode.SILENT).start()) {
      Report report = inspect(direct(server.port(), Starttls.SMTP), fast);
      Finding f = only(report, Code.HANDSHAKE_TIMEOUT);
      assertTrue(f.rootCause());
      assertEquals("during the SMTP STARTTLS exchange", f.evidence().get("stage"));
      assertTrue(f.detail().contains("greeting"), f::toString);
    }
  }

  @Test
  void httpConnect_withoutAuth_tunnelsByName() {
    try (TlsServer server = TlsServer.builder().certificate(backend).start();
        FakeProxy proxy = FakeProxy.http().route(BACKEND).start()) {
      Target target = Target.builder(BACKEND, server.port()).proxy(ProxySpec.parse(proxy.url())).build();
      Report report = inspect(target, options);
      assertEquals(Verdict.PASS, report.verdict(), report::summary);
      assertEquals(List.of(BACKEND + ":" + server.port()), proxy.requests().stream().distinct().toList(),
          "every probe (the extra one without SNI too) tunnels to the same name");
      assertEquals(proxy.port(), report.outcomes().get(0).observation().orElseThrow().address().orElseThrow().getPort());
    }
  }

  @Test
  void httpConnect_withBasicAuth_succeeds_andNeverShowsThePassword() {
    try (TlsServer server = TlsServer.builder().certificate(backend).start();
        FakeProxy proxy = FakeProxy.http().credentials("alice", SECRET).route(BACKEND).start()) {
      ProxySpec spec = ProxySpec.parse("http://alice:" + SECRET + "@127.0.0.1:" + proxy.port());
      Report report = inspect(Target.builder(BACKEND, server.port()).proxy(spec).build(), options);
      assertEquals(Verdict.PASS, report.verdict(), report::summary);
      assertEquals(1, proxy.requests().stream().distinct().count());
      assertFalse(report.toString().contains(SECRET));
      assertFalse(spec.toString().contains(SECRET));
      assertFalse(spec.credentials().orElseThrow().toString().contains(SECRET));
    }
  }

  @Test
  void httpConnect_407_isProxyFailed_withTheStatus() {
    try (TlsServer server = TlsServer.builder().certificate(backend).start();
        FakeProxy proxy = FakeProxy.http().credentials("alice", SECRET).route(BACKEND).start()) {
      ProxySpec wrong = ProxySpec.http("127.0.0.1", proxy.port()).withCredentials("alice", "wrong-" + SECRET);
      for (ProxySpec spec : List.of(ProxySpec.http("127.0.0.1", proxy.port()), wrong)) {
        Report report = inspect(Target.builder(BACKEND, server.port()).proxy(spec).build(), options);
        assertEquals(Verdict.FAIL, report.verdict());
        Finding f = only(report, Code.PROXY_FAILED);
        assertTrue(f.rootCause());
        assertEquals(Severity.CRITICAL, f.severity());
        assertTrue(String.valueOf(f.evidence().get("proxyAnswer")).startsWith("407 Proxy Authentication Required"),
            f::toString);
        assertEquals("http://127.0.0.1:" + proxy.port(), f.evidence().get("proxy"));
        assertTrue(f.remediation().contains("credentials"), f::toString);
        assertFalse(report.findings().toString().contains(SECRET));
      }
    }
  }

  @Test
  void httpConnect_502_isProxyFailed() {
    try (FakeProxy proxy = FakeProxy.http().failWith(502).start()) {
      Report report = inspect(Target.builder(BACKEND, 443).proxy(ProxySpec.http("127.0.0.1", proxy.port())).build(),
          options);
      Finding f = only(report, Code.PROXY_FAILED);
      assertTrue(f.rootCause());
      assertEquals("502 Bad Gateway", f.evidence().get("proxyAnswer"));
      assertEquals(BACKEND + ":443", f.evidence().get("destination"));
      assertEquals(List.of(BACKEND + ":443"), proxy.requests().stream().distinct().toList(),
          "every probe (the extra one without SNI too) tunnels to the same name");
    }
  }

  @Test
  void socks5_withAndWithoutAuth_succeeds() {
    try (TlsServer server = TlsServer.builder().certificate(backend).start();
        FakeProxy open = FakeProxy.socks5().route(BACKEND).start();
        FakeProxy locked = FakeProxy.socks5().credentials("bob", SECRET).route(BACKEND).start()) {
      Report plain = inspect(Target.builder(BACKEND, server.port()).proxy(ProxySpec.parse(open.url())).build(), options);
      assertEquals(Verdict.PASS, plain.verdict(), plain::summary);
      assertEquals(List.of(BACKEND + ":" + server.port()), open.requests().stream().distinct().toList(),
          "every probe (the extra one without SNI too) tunnels to the same name");
      ProxySpec spec = ProxySpec.parse("socks5://bob:" + SECRET + "@127.0.0.1:" + locked.port());
      Report auth = inspect(Target.builder(BACKEND, server.port()).proxy(spec).build(), options);
      assertEquals(Verdict.PASS, auth.verdict(), auth::summary);
      assertEquals(List.of(BACKEND + ":" + server.port()), locked.requests().stream().distinct().toList(),
          "every probe (the extra one without SNI too) tunnels to the same name");
    }
  }

  @Test
  void socks5_replyCode_isProxyFailed() {
    try (FakeProxy proxy = FakeProxy.socks5().failWith(5).start()) {
      Report report = inspect(Target.builder(BACKEND, 443).proxy(ProxySpec.socks5("127.0.0.1", proxy.port())).build(),
          options);
      Finding f = only(report, Code.PROXY_FAILED);
      assertTrue(f.rootCause());
      assertEquals("SOCKS5 reply 0x05 connection refused", f.evidence().get("proxyAnswer"));
    }
  }

  @Test
  void socks5_missingOrWrongCredentials_isProxyFailed() {
    try (FakeProxy proxy = FakeProxy.socks5().credentials("bob", SECRET).route(BACKEND).start()) {
      Report none = inspect(Target.builder(BACKEND, 443).proxy(ProxySpec.socks5("127.0.0.1", proxy.port())).build(),
          options);
      assertTrue(only(none, Code.PROXY_FAILED).detail().contains("authentication methods"), none::summary);
      Report wrong = inspect(Target.builder(BACKEND, 443)
          .proxy(ProxySpec.socks5("127.0.0.1", proxy.port()).withCredentials("bob", "nope")).build(), options);
      assertTrue(String.valueOf(only(wrong, Code.PROXY_FAILED).evidence().get("proxyAnswer")).contains("auth status 0x01"),
          wrong::summary);
    }
  }

  @Test
  void silentProxy_givesTimeoutWithinTheDeadline() {
    InspectOptions fast = options.toBuilder().timeout(Duration.ofSeconds(2)).build();
    try (FakeProxy proxy = FakeProxy.http().silent().start()) {
      Report report = inspect(Target.builder(BACKEND, 443).proxy(ProxySpec.http("127.0.0.1", proxy.port())).build(), fast);
      Finding f = only(report, Code.HANDSHAKE_TIMEOUT);
      assertTrue(f.rootCause());
      assertEquals("during the HTTP CONNECT exchange with the proxy", f.evidence().get("stage"));
      assertTrue(f.remediation().contains("proxy"), f::toString);
    }
  }

  @Test
  void proxyNotListening_isConnectionRefused_namingTheProxy() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    Report report = inspect(Target.builder(BACKEND, 443).proxy(ProxySpec.http("127.0.0.1", closed)).build(), options);
    Finding f = only(report, Code.CONNECTION_REFUSED);
    assertTrue(f.rootCause());
    assertTrue(f.title().contains("proxy"), f::toString);
    assertTrue(f.remediation().contains(":" + closed), f::toString);
  }

  @Test
  void proxyNameNotResolving_isDnsFailureOfTheProxy_andTheTargetIsNeverLookedUp() {
    Report report = inspect(Target.builder(BACKEND, 443).proxy(ProxySpec.http("proxy.test", 3128)).build(), options);
    Finding f = only(report, Code.DNS_RESOLUTION_FAILED);
    assertTrue(f.rootCause());
    assertEquals("The name proxy.test (the proxy) does not resolve", f.title());
    assertTrue(f.detail().contains("no local DNS in this test: proxy.test"), f::toString);
  }

  @Test
  void socks5_thenSmtpStarttls_bothLayersWork() {
    try (StarttlsServer smtp = StarttlsServer.builder(Starttls.SMTP).certificate(backend).start();
        FakeProxy proxy = FakeProxy.socks5().route(BACKEND).start()) {
      Target target = Target.builder(BACKEND, smtp.port()).starttls(Starttls.SMTP)
          .proxy(ProxySpec.socks5("127.0.0.1", proxy.port())).build();
      Report report = inspect(target, options);
      assertEquals(Verdict.PASS, report.verdict(), report::summary);
      assertTrue(smtp.commands().contains("STARTTLS"), smtp.commands()::toString);
    }
  }
}
