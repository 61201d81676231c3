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
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.KeyPurpose;
import dev.tlsinspect.testing.TlsServer;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JSSE provider against real loopback TLS servers and fake peers. */
class JsseProbeTest {
  private static IssuedCertificate root;
  private static IssuedCertificate intermediate;
  private static TlsInspector inspector;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("tls-inspect Test Root").build();
    intermediate = CertificateBuilder.intermediate("tls-inspect Test Intermediate").issuedBy(root).build();
    inspector = TlsInspector.builder()
        .probe(new JsseProbe())
        .options(InspectOptions.builder()
            .trust(TrustMaterial.certificates(List.of(root.certificate())))
            .timeout(Duration.ofSeconds(3))
            .build())
        .build();
  }

  /** A leaf of the test intermediate. It names a CRL (never fetched: fetching is off), so a
   * healthy server has no REVOCATION_INFO_MISSING and, unlike an OCSP URL, no OCSP_STAPLING_MISSING. */
  private static IssuedCertificate leaf(CertificateBuilder b) {
    return b.issuedBy(intermediate).crlUrl("http://127.0.0.1:9/ca.crl").build();
  }

  private static TlsServer serve(IssuedCertificate leaf, X509Certificate... chain) {
    return TlsServer.builder().certificateChain(leaf, chain).start();
  }

  private static Report inspect(int port) {
    return inspect(port, inspector.options());
  }

  private static Report inspect(int port, InspectOptions options) {
    Target t = Target.builder("localhost", port).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(options.deadline().plusSeconds(5), () -> inspector.inspect(t, options));
  }

  private static void awaitServer(TlsServer server) {
    try {
      assertTrue(server.awaitFinishedConnections(1, Duration.ofSeconds(5)));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static Observation observation(Report report) {
    return report.outcomes().get(0).observation().orElseThrow();
  }

  @Test
  void healthyServer_passes_withChainAndNegotiatedParameters() {
    IssuedCertificate leaf = leaf(CertificateBuilder.leaf("localhost"));
    try (TlsServer server = serve(leaf, intermediate.certificate())) {
      Report report = inspect(server.port());
      assertEquals(Verdict.PASS, report.verdict(), report::summary);
      // A private test root is not in the JDK's cacerts: TRUST_STORE_DIFFERS at INFO only.
      assertTrue(report.findings().stream().allMatch(f -> f.severity() == Severity.INFO), report::summary);
      assertInstanceOf(ProbeOutcome.Completed.class, report.outcomes().get(0));
      Observation seen = observation(report);
      assertEquals(TlsVersion.TLS_1_3, seen.version().orElseThrow());
      assertTrue(seen.cipherSuite().orElseThrow().name().startsWith("TLS_"));
      assertTrue(seen.cipherSuite().orElseThrow().code() > 0, "code read from the ServerHello");
      assertEquals(List.of(leaf.certificate(), intermediate.certificate()), seen.peerChain());
      assertEquals(List.of("TLSv1.3"), report.protocols());
      assertEquals(2, report.certificateChain().size());
      assertEquals("jsse", report.provider());
      // SNI is sent for a dot-less name, which the JDK would leave out on its own.
      awaitServer(server);
      assertEquals("localhost", server.completedHandshakes().get(0).serverName().orElseThrow());
    }
  }

  @Test
  void tls12Server_negotiatesTls12() {
    IssuedCertificate leaf = leaf(CertificateBuilder.leaf("localhost"));
    try (TlsServer server = TlsServer.builder().certificateChain(leaf, intermediate.certificate())
        .protocols("TLSv1.2").start()) {
      Report report = inspect(server.port());
      assertEquals(Verdict.PASS, report.verdict(), report::summary);
      assertEquals(TlsVersion.TLS_1_2, observation(report).version().orElseThrow());
    }
  }

  @Test
  void expiredLeaf_isTheRootCause() {
    IssuedCertificate leaf = leaf(CertificateBuilder.leaf("localhost").expired());
    try (TlsServer server = serve(leaf, intermediate.certificate())) {
      Report report = inspect(server.port());
      assertEquals(Verdict.FAIL, report.verdict());
      Finding f = only(report, Code.CERT_EXPIRED);
      assertEquals(Severity.CRITICAL, f.severity());
      assertTrue(f.rootCause());
      assertEquals(f, report.findings().get(0), "root cause first");
      assertEquals(leaf.certificate().getNotAfter().toInstant(), f.evidence().get("notAfter"));
      assertTrue((Long) f.evidence().get("daysOverdue") >= 9L);
      assertTrue(f.remediation().contains("Renew"));
      ProbeOutcome.Failed failed = assertInstanceOf(ProbeOutcome.Failed.class, report.outcomes().get(0));
      assertEquals(FailureKind.CERTIFICATE_REJECTED, failed.failure().kind());
      assertEquals(2, failed.seen().peerChain().size(), "chain captured although rejected");
      assertTrue(failed.seen().cipherSuite().orElseThrow().name().startsWith("TLS_"),
          "suite named although the handshake failed");
      assertFalse(report.hasFinding(Code.CHAIN_UNTRUSTED), "an expired chain is not also untrusted");
    }
  }

  @Test
  void notYetValidLeaf_isTheRootCause() {
    IssuedCertificate leaf = leaf(CertificateBuilder.leaf("localhost").notYetValid());
    try (TlsServer server = serve(leaf, intermediate.certificate())) {
      Report report = inspect(server.port());
      dev.tlsinspect.testing.ReportAssert.assertThat(report)
          .hasVerdict(Verdict.FAIL)
          .hasRootCauses(Code.CERT_NOT_YET_VALID)
          .hasFinding(Code.CERT_NOT_YET_VALID).hasSeverity(Severity.CRITICAL).isRootCause()
          .hasEvidence("notBefore", leaf.certificate().getNotBefore().toInstant())
          .remediationContains("clock");
      assertTrue((Long) only(report, Code.CERT_NOT_YET_VALID).evidence().get("daysUntilValid") >= 9L);
    }
  }

  @Test
  void wrongHost_isHostnameMismatch_namingWhatTheCertificateCovers() {
    IssuedCertificate leaf = leaf(CertificateBuilder.leaf("wrong.example"));
    try (TlsServer server = serve(leaf, intermediate.certificate())) {
      Report report = inspect(server.port());
      Finding f = only(report, Code.HOSTNAME_MISMATCH);
      assertTrue(f.rootCause());
      assertEquals(Severity.CRITICAL, f.severity());
      assertEquals(List.of("DNS:wrong.example"), f.evidence().get("coveredNames"));
      assertEquals("localhost", f.evidence().get("host"));
    }
  }

  @Test
  void wildcard_coversOneLabelOnly() {
    IssuedCertificate leaf = leaf(CertificateBuilder.leaf("*.example.test").dnsNames("*.example.test"));
    try (TlsServer server = serve(leaf, intermediate.certificate())) {
      Target oneLabel = Target.builder("api.example.test", server.port()).connectAddress("127.0.0.1").build();
      Report ok = inspector.inspect(oneLabel);
      assertFalse(ok.hasFinding(Code.HOSTNAME_MISMATCH), ok::summary);
      Target twoLabels = Target.builder("a.b.example.test", server.port()).connectAddress("127.0.0.1").build();
      Report report = inspector.inspect(twoLabels);
      Finding f = only(report, Code.HOSTNAME_MISMATCH);
      assertTrue(f.rootCause(), "JSSE rejects it too");
      assertEquals(List.of("DNS:*.example.test"), f.evidence().get("coveredNames"));
      assertEquals("a.b.example.test", f.evidence().get("host"));
    }
  }

  @Test
  void untrustedRoot_isChainUntrusted() {
    IssuedCertificate otherRoot = CertificateBuilder.root("Someone Else Root").build();
    IssuedCertificate otherIntermediate = CertificateBuilder.intermediate("Someone Else CA").issuedBy(otherRoot).build();
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(otherIntermediate).build();
    try (TlsServer server = serve(leaf, otherIntermediate.certificate())) {
      Report report = inspect(server.port());
      Finding f = only(report, Code.CHAIN_UNTRUSTED);
      assertTrue(f.rootCause());
      assertEquals(otherRoot.certificate().getSubjectX500Principal().getName(), f.evidence().get("root"));
      assertFalse(report.hasFinding(Code.CHAIN_INCOMPLETE));
    }
  }

  @Test
  void missingIntermediate_isChainIncomplete_withAiaUrl() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .caIssuersUrl("http://127.0.0.1:1/intermediate.cer").build();
    try (TlsServer server = serve(leaf)) {
      Report report = inspect(server.port());
      Finding f = only(report, Code.CHAIN_INCOMPLETE);
      assertTrue(f.rootCause());
      assertEquals(Severity.HIGH, f.severity());
      assertEquals(intermediate.certificate().getSubjectX500Principal().getName(), f.evidence().get("missingIssuer"));
      assertEquals("http://127.0.0.1:1/intermediate.cer", f.evidence().get("caIssuersUrl"));
      assertEquals(Verdict.FAIL, report.verdict());
    }
  }

  @Test
  void selfSignedLeaf_isCertSelfSigned() {
    IssuedCertificate self = CertificateBuilder.leaf("localhost").build();
    try (TlsServer server = serve(self)) {
      Report report = inspect(server.port());
      Finding f = only(report, Code.CERT_SELF_SIGNED);
      assertTrue(f.rootCause());
      assertFalse(report.hasFinding(Code.CHAIN_UNTRUSTED));
    }
  }

  @Test
  void expiringSoon_warnsWithoutFailing() {
    IssuedCertificate leaf = leaf(CertificateBuilder.leaf("localhost").validity(Duration.ofDays(10)));
    try (TlsServer server = serve(leaf, intermediate.certificate())) {
      Report report = inspect(server.port());
      assertEquals(Verdict.WARN, report.verdict(), report::summary);
      Finding f = only(report, Code.CERT_EXPIRING_SOON);
      assertEquals(Severity.MEDIUM, f.severity());
      assertFalse(f.rootCause());
      long days = (Long) f.evidence().get("daysRemaining");
      assertTrue(days >= 9 && days <= 10, "days remaining " + days);
    }
  }

  @Test
  void ipLiteralTarget_sendsNoSni_andNeedsAnIpSan() {
    IssuedCertificate leaf = leaf(CertificateBuilder.leaf("localhost").dnsNames("localhost").ipAddresses("127.0.0.1"));
    try (TlsServer server = serve(leaf, intermediate.certificate())) {
      Report report = inspector.inspect(Target.of("127.0.0.1", server.port()));
      assertEquals(Verdict.PASS, report.verdict(), report::summary);
      awaitServer(server);
      assertTrue(server.completedHandshakes().get(0).serverName().isEmpty());
    }
  }

  @Test
  void clientCertificateRequired_tls13_isClientCertRequired() {
    assertClientCertRequired("TLSv1.3");
  }

  @Test
  void clientCertificateRequired_tls12_isClientCertRequired() {
    assertClientCertRequired("TLSv1.2");
  }

  private void assertClientCertRequired(String protocol) {
    IssuedCertificate leaf = leaf(CertificateBuilder.leaf("localhost"));
    IssuedCertificate clientCa = CertificateBuilder.root("Client CA").build();
    try (TlsServer server = TlsServer.builder().certificateChain(leaf, intermediate.certificate())
        .protocols(protocol).clientAuth(TlsServer.ClientAuth.NEED)
        .trustedClientCas(clientCa.certificate()).start()) {
      Report report = inspect(server.port());
      Finding f = only(report, Code.CLIENT_CERT_REQUIRED);
      assertTrue(f.rootCause(), report::summary);
      assertEquals(List.of(clientCa.certificate().getSubjectX500Principal().getName()),
          f.evidence().get("acceptedIssuers"));
    }
  }

  @Test
  void closedPort_isConnectionRefused() {
    Report report = inspect(FakePeer.closedPort());
    Finding f = only(report, Code.CONNECTION_REFUSED);
    assertTrue(f.rootCause());
    assertEquals(Severity.CRITICAL, f.severity());
    assertEquals("127.0.0.1", f.evidence().get("address"));
    assertEquals("CONNECTION_REFUSED", report.addresses().get(0).result());
    assertEquals(0, report.timings().handshakeMillis(), "no handshake was started");
  }

  @Test
  void plainHttp_isNotTls_namedHttp() {
    try (FakePeer peer = FakePeer.http()) {
      Report report = inspect(peer.port());
      Finding f = only(report, Code.NOT_TLS);
      assertTrue(f.rootCause());
      assertEquals("HTTP", f.evidence().get("protocol"));
      assertTrue(((String) f.evidence().get("firstBytes")).startsWith("485454502f"), "HTTP/ in hex");
    }
  }

  @Test
  void smtpAndSshBanners_areNamed() {
    try (FakePeer smtp = FakePeer.banner("220 mail.example ESMTP Postfix\r\n");
        FakePeer ssh = FakePeer.banner("SSH-2.0-OpenSSH_9.2p1\r\n")) {
      assertEquals("SMTP", only(inspect(smtp.port()), Code.NOT_TLS).evidence().get("protocol"));
      assertEquals("SSH", only(inspect(ssh.port()), Code.NOT_TLS).evidence().get("protocol"));
    }
  }

  @Test
  void sixteenMegabytesOfGarbage_isNotTls_andReadIsBounded() {
    try (FakePeer peer = FakePeer.garbage(16L * 1024 * 1024)) {
      Report report = inspect(peer.port());
      Finding f = report.findings().get(0);
      assertTrue(f.rootCause());
      assertTrue(f.code().equals(Code.NOT_TLS) || f.code().equals(Code.TLS_PROTOCOL_ERROR), f.code().name());
      assertEquals(Verdict.FAIL, report.verdict());
    }
  }

  @Test
  void hugeHandshakeLength_isProtocolError() {
    try (FakePeer peer = FakePeer.hugeRecordLength()) {
      Report report = inspect(peer.port());
      Finding f = only(report, Code.TLS_PROTOCOL_ERROR);
      assertTrue(f.rootCause());
      assertTrue(f.detail().contains("16777215") || f.detail().contains("ServerHello"), f.detail());
    }
  }

  @Test
  void silentPeer_isHandshakeTimeout_withinTheDeadline() {
    InspectOptions fast = inspector.options().toBuilder().timeout(Duration.ofSeconds(1)).build();
    try (FakePeer peer = FakePeer.silent()) {
      Report report = inspect(peer.port(), fast);
      Finding f = only(report, Code.HANDSHAKE_TIMEOUT);
      assertTrue(f.rootCause());
      assertEquals("after ClientHello, before any answer", f.evidence().get("stage"));
    }
  }

  @Test
  void drippingPeer_isHandshakeTimeout_withinTheDeadline() {
    InspectOptions fast = inspector.options().toBuilder().timeout(Duration.ofMillis(1500)).build();
    try (FakePeer peer = FakePeer.drip(Duration.ofMillis(100))) {
      Report report = inspect(peer.port(), fast);
      Finding f = only(report, Code.HANDSHAKE_TIMEOUT);
      assertTrue(f.rootCause());
      assertTrue(f.detail().contains("slow or stalled"), f.detail());
    }
  }

  @Test
  void resetAfterClientHello_isConnectionReset() {
    try (FakePeer peer = FakePeer.resetAfterClientHello()) {
      Finding f = only(inspect(peer.port()), Code.CONNECTION_RESET);
      assertTrue(f.rootCause());
      assertTrue(String.valueOf(f.evidence().get("stage")).contains("ClientHello"));
    }
  }

  @Test
  void closeAfterClientHello_isConnectionReset() {
    try (FakePeer peer = FakePeer.closeAfterClientHello()) {
      Finding f = only(inspect(peer.port()), Code.CONNECTION_RESET);
      assertTrue(f.detail().contains("without"), f.detail());
    }
  }

  @Test
  void fatalAlerts_areNamed() {
    try (FakePeer failure = FakePeer.alert(40); FakePeer version = FakePeer.alert(70)) {
      Finding f = only(inspect(failure.port()), Code.HANDSHAKE_FAILED);
      assertEquals("handshake_failure", f.evidence().get("alert"));
      assertTrue(f.rootCause());
      Finding v = only(inspect(version.port()), Code.NO_COMMON_PROTOCOL);
      assertEquals("protocol_version", v.evidence().get("alert"));
    }
  }

  @Test
  void unresolvableName_isDnsResolutionFailed() {
    InspectOptions options = inspector.options().toBuilder()
        .resolver(host -> {
          throw new UnknownHostException(host + ": Name or service not known");
        })
        .build();
    Report report = inspector.inspect(Target.of("no-such-host.invalid", 443), options);
    Finding f = only(report, Code.DNS_RESOLUTION_FAILED);
    assertTrue(f.rootCause());
    assertTrue(f.detail().contains("no-such-host.invalid"));
  }

  @Test
  void unresponsiveConnect_isConnectTimeout() {
    InspectOptions fast = inspector.options().toBuilder().timeout(Duration.ofSeconds(1)).build();
    try (FakePeer peer = FakePeer.unresponsiveConnect()) {
      Finding f = only(inspect(peer.port(), fast), Code.CONNECT_TIMEOUT);
      assertTrue(f.rootCause());
    }
  }

  @Test
  void serviceLoader_findsTheJsseProvider() {
    assertEquals("jsse", TlsInspector.create().providerName());
  }

  /**
   * Only JSSE on this module's class path: a full inspection cannot enumerate and says so, with
   * the dependency to add, and quick mode (one handshake by design) says nothing.
   */
  @Test
  void jsseAlone_fullInspection_saysVersionsAndSuitesWereNotChecked() {
    IssuedCertificate leaf = leaf(CertificateBuilder.leaf("localhost"));
    try (TlsServer server = serve(leaf, intermediate.certificate())) {
      TlsInspector alone = TlsInspector.builder().options(inspector.options()).build();
      Target t = Target.builder("localhost", server.port()).connectAddress("127.0.0.1").build();
      Report report = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> alone.inspect(t));
      assertEquals(Verdict.PASS, report.verdict(), report::summary);
      Finding f = only(report, Code.ENUMERATION_UNAVAILABLE);
      assertEquals(Severity.INFO, f.severity());
      assertEquals("dev.tlsinspect:tls-inspect-bc", f.evidence().get("module"));
      assertEquals(List.of("protocol versions", "cipher suites", "named groups", "DH parameters"),
          f.evidence().get("unchecked"));
      // What the one handshake negotiated, not an enumeration.
      assertEquals(1, report.protocols().size(), report.protocols()::toString);

      Report quick = assertTimeoutPreemptively(Duration.ofSeconds(20),
          () -> alone.inspect(t, alone.options().toBuilder().quick(true).build()));
      assertFalse(quick.hasFinding(Code.ENUMERATION_UNAVAILABLE), quick::summary);
    }
  }

  /** Live threads other than the test kit's servers, by name. */
  private static java.util.Set<String> threads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(t -> t.getName() + "#" + t.getId())
        .filter(n -> !n.startsWith("tls-inspect-tls-server") && !n.startsWith("tls-inspect-fake-peer"))
        .collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void manyProbes_leaveNoThreadsBehind() throws Exception {
    IssuedCertificate leaf = leaf(CertificateBuilder.leaf("localhost"));
    try (TlsServer server = serve(leaf, intermediate.certificate())) {
      inspect(server.port());
      java.util.Set<String> before = threads();
      for (int i = 0; i < 20; i++) {
        assertEquals(Verdict.PASS, inspect(server.port()).verdict());
      }
      java.util.Set<String> added = new java.util.TreeSet<>(threads());
      added.removeAll(before);
      // JUnit's own timeout threads come and go; nothing else may stay behind.
      added.removeIf(n -> n.startsWith("junit-timeout"));
      assertEquals(java.util.Set.of(), added, "threads left behind");
    }
  }
}
