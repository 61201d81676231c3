package dev.tlsinspect.bc;

import static dev.tlsinspect.testing.ReportAssert.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.ProxySpec;
import dev.tlsinspect.Report;
import dev.tlsinspect.Starttls;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakeProxy;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.StarttlsServer;
import dev.tlsinspect.testing.StarttlsServer.Mode;
import dev.tlsinspect.testing.TlsServer;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Bouncy Castle provider goes through the same Connector: STARTTLS and proxies, enumeration included. */
class BcStarttlsProxyTest {
  private static final String BACKEND = "backend.test";
  private static IssuedCertificate good;
  private static IssuedCertificate expired;
  private static IssuedCertificate backend;
  private static InspectOptions options;

  @BeforeAll
  static void pki() {
    IssuedCertificate root = CertificateBuilder.root("tls-inspect BC STARTTLS Root").build();
    good = CertificateBuilder.leaf("localhost").issuedBy(root).crlUrl("http://127.0.0.1:9/ca.crl").build();
    expired = CertificateBuilder.leaf("localhost").issuedBy(root).expired().build();
    backend = CertificateBuilder.leaf(BACKEND).issuedBy(root).crlUrl("http://127.0.0.1:9/ca.crl").build();
    options = InspectOptions.builder()
        .trust(TrustMaterial.certificates(List.of(root.certificate())))
        .timeout(Duration.ofSeconds(8))
        .quick(true)
        .resolver(host -> {
          throw new UnknownHostException("no local DNS in this test: " + host);
        })
        .build();
  }

  private static Report inspect(Target target, InspectOptions o) {
    TlsInspector inspector = TlsInspector.builder().probe(new BcProbe()).options(o).build();
    return assertTimeoutPreemptively(o.deadline().plusSeconds(5), () -> inspector.inspect(target));
  }

  private static Target direct(int port, Starttls protocol) {
    return Target.builder("localhost", port).connectAddress("127.0.0.1").starttls(protocol).build();
  }

  @ParameterizedTest
  @EnumSource(Starttls.class)
  void starttls_handshakeCompletes(Starttls protocol) {
    try (StarttlsServer server = StarttlsServer.builder(protocol).certificate(good).start()) {
      Report report = inspect(direct(server.port(), protocol), options);
      assertInstanceOf(ProbeOutcome.Completed.class, report.outcomes().get(0), report::summary);
      assertEquals(Verdict.PASS, report.verdict(), report::summary);
      assertEquals("bc", report.provider());
    }
  }

  @ParameterizedTest
  @EnumSource(value = Starttls.class, names = {"SMTP", "POSTGRES"})
  void starttls_expiredCertificate_isTheRootCause(Starttls protocol) {
    try (StarttlsServer server = StarttlsServer.builder(protocol).certificate(expired).start()) {
      Report report = inspect(direct(server.port(), protocol), options);
      // The bc provider captures the chain and lets the checks judge it: the handshake completes,
      // and the expired certificate fails the inspection as a CRITICAL finding.
      assertInstanceOf(ProbeOutcome.Completed.class, report.outcomes().get(0), report::summary);
      assertEquals(Verdict.FAIL, report.verdict());
      assertEquals(dev.tlsinspect.Severity.CRITICAL, only(report, Code.CERT_EXPIRED).severity());
      assertEquals(expired.certificate(), report.outcomes().get(0).observation().orElseThrow().peerChain().get(0));
    }
  }

  @Test
  void smtpNotOffered_isStarttlsUnavailable() {
    try (StarttlsServer server = StarttlsServer.builder(Starttls.SMTP).certificate(good).mode(Mode.NOT_OFFERED).start()) {
      Report report = inspect(direct(server.port(), Starttls.SMTP), options);
      Finding f = only(report, Code.STARTTLS_UNAVAILABLE);
      assertTrue(f.rootCause());
      assertEquals("SMTP", f.evidence().get("protocol"));
    }
  }

  @Test
  void fullInspection_enumeratesThroughStarttls() {
    InspectOptions full = options.toBuilder().quick(false).timeout(Duration.ofSeconds(30)).build();
    try (StarttlsServer server = StarttlsServer.builder(Starttls.SMTP).certificate(good).start()) {
      Report report = inspect(direct(server.port(), Starttls.SMTP), full);
      assertTrue(report.protocols().contains("TLSv1.3"), report::toString);
      assertTrue(report.protocols().contains("TLSv1.2"), report::toString);
      assertTrue(server.commands().stream().filter("STARTTLS"::equals).count() > 2,
          "every enumeration probe upgraded with STARTTLS");
    }
  }

  @Test
  void httpConnect_and_socks5_tunnel() {
    try (TlsServer server = TlsServer.builder().certificate(backend).start();
        FakeProxy http = FakeProxy.http().credentials("alice", "pw").route(BACKEND).start();
        FakeProxy socks = FakeProxy.socks5().route(BACKEND).start()) {
      ProxySpec viaHttp = ProxySpec.http("127.0.0.1", http.port()).withCredentials("alice", "pw");
      Report a = inspect(Target.builder(BACKEND, server.port()).proxy(viaHttp).build(), options);
      assertEquals(Verdict.PASS, a.verdict(), a::summary);
      Report b = inspect(Target.builder(BACKEND, server.port()).proxy(ProxySpec.parse(socks.url())).build(), options);
      assertEquals(Verdict.PASS, b.verdict(), b::summary);
      assertEquals(List.of(BACKEND + ":" + server.port()), socks.requests());
    }
  }

  @Test
  void proxy407_isProxyFailed() {
    try (FakeProxy http = FakeProxy.http().credentials("alice", "pw").start()) {
      Report report = inspect(Target.builder(BACKEND, 443).proxy(ProxySpec.http("127.0.0.1", http.port())).build(),
          options);
      Finding f = only(report, Code.PROXY_FAILED);
      assertTrue(f.rootCause());
      assertTrue(String.valueOf(f.evidence().get("proxyAnswer")).startsWith("407"), f::toString);
    }
  }
}
