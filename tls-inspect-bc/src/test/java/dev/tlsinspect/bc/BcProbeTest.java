package dev.tlsinspect.bc;

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
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.ClientOffer;
import dev.tlsinspect.probe.Deadline;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.NamedGroup;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.ProbeRequest;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.BcTlsServer;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Bouncy Castle provider and the enumeration against real loopback servers and fake peers. */
class BcProbeTest {
  private static final BcProbe PROBE = new BcProbe();
  private static IssuedCertificate root;
  private static IssuedCertificate leaf;
  private static TlsInspector inspector;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("tls-inspect Test Root").build();
    IssuedCertificate intermediate = CertificateBuilder.intermediate("tls-inspect Test Intermediate")
        .issuedBy(root).build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    inspector = TlsInspector.builder()
        .probe(PROBE)
        .options(InspectOptions.builder()
            .trust(TrustMaterial.certificates(List.of(root.certificate())))
            .timeout(Duration.ofSeconds(10))
            .build())
        .build();
  }

  private static Report inspect(int port) {
    return inspect(port, inspector.options());
  }

  private static Report inspect(int port, InspectOptions options) {
    Target t = Target.builder("localhost", port).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(options.deadline().plusSeconds(5), () -> inspector.inspect(t, options));
  }

  private static ProbeOutcome probe(int port, ClientOffer offer) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    ProbeRequest request = new ProbeRequest(Target.builder("localhost", port).connectAddress("127.0.0.1").build(),
        new InetSocketAddress(loopback, port), List.of(loopback), Deadline.after(Duration.ofSeconds(5)),
        Duration.ofSeconds(3), Duration.ofSeconds(3), TrustMaterial.jvmDefault(), offer);
    return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> PROBE.probe(request));
  }

  @Test
  void defaultHandshake_withJsseServer_completesWithChainGroupAndSni() {
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      ProbeOutcome outcome = probe(server.port(), ClientOffer.providerDefaults());
      Observation seen = assertInstanceOf(ProbeOutcome.Completed.class, outcome).seen();
      assertEquals(TlsVersion.TLS_1_3, seen.version().orElseThrow());
      assertTrue(seen.cipherSuite().orElseThrow().name().startsWith("TLS_AES_"), seen.toString());
      assertEquals(leaf.chainWithoutRoot(), seen.peerChain());
      assertEquals(NamedGroup.X25519, seen.namedGroup().orElseThrow());
      assertEquals("localhost", seen.sniSent().orElseThrow());
    }
  }

  @Test
  void tls12Ecdhe_groupComesFromTheKeyExchange() {
    try (TlsServer server = TlsServer.builder().certificate(leaf).protocols("TLSv1.2").start()) {
      Observation seen = assertInstanceOf(ProbeOutcome.Completed.class,
          probe(server.port(), ClientOffer.providerDefaults())).seen();
      assertEquals(TlsVersion.TLS_1_2, seen.version().orElseThrow());
      assertTrue(seen.namedGroup().isPresent(), "TLS 1.2 ECDHE group read from ServerKeyExchange");
    }
  }

  @Test
  void hybridPostQuantumGroup_isDetected() throws InterruptedException {
    try (BcTlsServer server = BcTlsServer.builder().certificate(leaf)
        .versions(TlsVersion.TLS_1_3).namedGroups(NamedGroup.X25519_MLKEM768).start()) {
      Observation seen = assertInstanceOf(ProbeOutcome.Completed.class,
          probe(server.port(), ClientOffer.providerDefaults())).seen();
      assertEquals(NamedGroup.X25519_MLKEM768, seen.namedGroup().orElseThrow());
      assertTrue(seen.namedGroup().orElseThrow().postQuantum());
      assertTrue(server.awaitHandshakes(1, Duration.ofSeconds(5)));
      assertEquals(0x11EC, server.completedHandshakes().get(0).namedGroup());
    }
  }

  @Test
  void serverHelloOnly_stopsAfterTheServerHello_withUserCanceled() {
    try (BcTlsServer server = BcTlsServer.builder().certificate(leaf).start()) {
      ClientOffer offer = ClientOffer.builder().versions(TlsVersion.TLS_1_2)
          .cipherSuites(CipherSuite.of(0xC02F), CipherSuite.of(0x002F)).serverHelloOnly(true).build();
      Observation seen = assertInstanceOf(ProbeOutcome.Completed.class, probe(server.port(), offer)).seen();
      assertEquals(TlsVersion.TLS_1_2, seen.version().orElseThrow());
      assertEquals("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", seen.cipherSuite().orElseThrow().name());
      assertTrue(seen.peerChain().isEmpty(), "stopped before the Certificate");
      assertTrue(seen.alerts().stream().anyMatch(a -> !a.received() && a.name().equals("user_canceled")),
          seen.alerts().toString());
    }
  }

  @Test
  void tls12OnlyServer_isTls13Unsupported_andServerOrderFollowsItsConfiguration() {
    List<String> order = List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256");
    try (TlsServer server = TlsServer.builder().certificate(leaf).protocols("TLSv1.2")
        .cipherSuites(order.toArray(String[]::new)).serverCipherOrder(true).start()) {
      Report report = inspect(server.port());
      assertEquals(List.of("TLSv1.2"), report.protocols(), report::summary);
      assertEquals(order, report.cipherSuites().get("TLSv1.2"), "elimination yields the server's order");
      Finding f = only(report, Code.TLS1_3_UNSUPPORTED);
      assertEquals(Severity.LOW, f.severity());
      assertEquals(List.of("TLSv1.2"), f.evidence().get("acceptedVersions"));
      assertFalse(report.hasFinding(Code.NO_SERVER_CIPHER_ORDER), report::summary);
      Finding cbc = only(report, Code.CIPHER_CBC);
      assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"), cbc.evidence().get("cipherSuites"));
      assertFalse(report.hasFinding(Code.NO_FORWARD_SECRECY));
      assertFalse(report.hasFinding(Code.PROTOCOL_TLS1_0));
    }
  }

  @Test
  void clientChoosingServer_isNoServerCipherOrder() {
    try (TlsServer server = TlsServer.builder().certificate(leaf).protocols("TLSv1.2")
        .cipherSuites("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
        .serverCipherOrder(false).start()) {
      Report report = inspect(server.port());
      Finding f = only(report, Code.NO_SERVER_CIPHER_ORDER);
      assertEquals(Severity.INFO, f.severity());
      assertEquals(List.of("TLSv1.2"), f.evidence().get("versions"));
      assertEquals(2, report.cipherSuites().get("TLSv1.2").size());
    }
  }

  @Test
  void staticRsaCbcServer_isCbcAndNoForwardSecrecy() {
    try (BcTlsServer server = BcTlsServer.builder().certificate(leaf).versions(TlsVersion.TLS_1_2)
        .cipherSuites(CipherSuite.of(0x002F)).start()) {
      Report report = inspect(server.port());
      assertEquals(List.of("TLS_RSA_WITH_AES_128_CBC_SHA"), report.cipherSuites().get("TLSv1.2"), report::summary);
      Finding fs = only(report, Code.NO_FORWARD_SECRECY);
      assertEquals(Severity.HIGH, fs.severity());
      assertEquals(List.of("TLS_RSA_WITH_AES_128_CBC_SHA"), fs.evidence().get("cipherSuites"));
      assertEquals(true, fs.evidence().get("allSuites"));
      Finding cbc = only(report, Code.CIPHER_CBC);
      assertEquals(Severity.LOW, cbc.severity());
      assertEquals(List.of("TLSv1.2"), cbc.evidence().get("versions"));
      assertEquals(Verdict.FAIL, report.verdict());
    }
  }

  @Test
  void tls10Server_isProtocolTls10() {
    try (BcTlsServer server = BcTlsServer.builder().certificate(leaf)
        .versions(TlsVersion.TLS_1_2, TlsVersion.TLS_1_0)
        .cipherSuites(CipherSuite.of(0xC013), CipherSuite.of(0x002F)).start()) {
      Report report = inspect(server.port());
      assertEquals(List.of("TLSv1.2", "TLSv1"), report.protocols(), report::summary);
      Finding f = only(report, Code.PROTOCOL_TLS1_0);
      assertEquals(Severity.MEDIUM, f.severity());
      assertEquals("TLSv1", f.evidence().get("version"));
      assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"),
          f.evidence().get("cipherSuites"));
      assertFalse(report.hasFinding(Code.PROTOCOL_TLS1_1));
      assertFalse(report.hasFinding(Code.PROTOCOL_SSL3));
      assertEquals(Severity.MEDIUM, only(report, Code.NO_FORWARD_SECRECY).severity());
    }
  }

  @Test
  void quickMode_doesNotEnumerate() {
    try (BcTlsServer server = BcTlsServer.builder().certificate(leaf).versions(TlsVersion.TLS_1_2).start()) {
      Report report = inspect(server.port(), inspector.options().toBuilder().quick(true).build());
      assertEquals(1, report.protocols().size());
      assertFalse(report.hasFinding(Code.TLS1_3_UNSUPPORTED));
    }
  }

  @Test
  void garbage_isNotTls() {
    try (FakePeer peer = FakePeer.garbage(16L * 1024 * 1024)) {
      Report report = inspect(peer.port());
      Finding f = report.findings().get(0);
      assertTrue(f.rootCause());
      assertTrue(f.code().equals(Code.NOT_TLS) || f.code().equals(Code.TLS_PROTOCOL_ERROR), f.code().name());
    }
  }

  @Test
  void httpBanner_isNotTls_namedHttp() {
    try (FakePeer peer = FakePeer.http()) {
      Finding f = only(inspect(peer.port()), Code.NOT_TLS);
      assertTrue(f.rootCause());
      assertEquals("HTTP", f.evidence().get("protocol"));
    }
  }

  @Test
  void fatalAlert_isNamed() {
    try (FakePeer failure = FakePeer.alert(40); FakePeer version = FakePeer.alert(70)) {
      Finding f = only(inspect(failure.port()), Code.HANDSHAKE_FAILED);
      assertEquals("handshake_failure", f.evidence().get("alert"));
      assertEquals("ALERT_RECEIVED", f.evidence().get("failure"));
      Finding v = only(inspect(version.port()), Code.NO_COMMON_PROTOCOL);
      assertEquals("protocol_version", v.evidence().get("alert"));
    }
  }

  @Test
  void sixteenMegabyteHandshakeLength_isProtocolError() {
    try (FakePeer peer = FakePeer.hugeRecordLength()) {
      Finding f = only(inspect(peer.port()), Code.TLS_PROTOCOL_ERROR);
      assertTrue(f.rootCause());
      assertTrue(f.detail().contains("16777215"), f.detail());
    }
  }

  @Test
  void silentPeer_isHandshakeTimeout_withinTheDeadline() {
    InspectOptions fast = inspector.options().toBuilder().timeout(Duration.ofSeconds(1)).build();
    try (FakePeer peer = FakePeer.silent()) {
      Finding f = only(inspect(peer.port(), fast), Code.HANDSHAKE_TIMEOUT);
      assertTrue(f.rootCause());
      assertEquals("after ClientHello, before any answer", f.evidence().get("stage"));
    }
  }

  @Test
  void closedPort_isConnectionRefused() {
    Finding f = only(inspect(FakePeer.closedPort()), Code.CONNECTION_REFUSED);
    assertTrue(f.rootCause());
  }

  @Test
  void resetAfterClientHello_isConnectionReset() {
    try (FakePeer peer = FakePeer.resetAfterClientHello()) {
      Finding f = only(inspect(peer.port()), Code.CONNECTION_RESET);
      assertTrue(f.rootCause());
    }
  }

  @Test
  void serviceLoader_findsTheBcProvider() {
    boolean found = java.util.ServiceLoader.load(dev.tlsinspect.probe.HandshakeProbe.class).stream()
        .anyMatch(p -> p.type() == BcProbe.class);
    assertTrue(found);
    assertTrue(PROBE.makesOffers());
  }

  @Test
  void noProviderIsInstalled() {
    for (java.security.Provider p : java.security.Security.getProviders()) {
      assertFalse(p.getName().startsWith("BC"), "a Bouncy Castle provider was installed: " + p.getName());
    }
  }
}
