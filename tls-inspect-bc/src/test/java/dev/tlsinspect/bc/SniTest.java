package dev.tlsinspect.bc;

import static dev.tlsinspect.testing.ReportAssert.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.SniFilterPeer;
import dev.tlsinspect.testing.TlsServer;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SNI_REQUIRED and SNI_FILTERED against real loopback servers that pick their certificate by SNI,
 * and a loopback middlebox that resets connections naming one server. Both providers.
 */
class SniTest {
  private static final String NAME = "service.test";
  private static IssuedCertificate root;
  private static IssuedCertificate leaf;
  private static IssuedCertificate defaultLeaf;
  private static IssuedCertificate wideDefaultLeaf;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("tls-inspect Test Root").build();
    IssuedCertificate intermediate = CertificateBuilder.intermediate("tls-inspect Test Intermediate")
        .issuedBy(root).build();
    leaf = leaf(CertificateBuilder.leaf(NAME), intermediate);
    defaultLeaf = leaf(CertificateBuilder.leaf("default.test"), intermediate);
    wideDefaultLeaf = leaf(CertificateBuilder.leaf("shared.test").dnsNames("shared.test", NAME), intermediate);
  }

  private static IssuedCertificate leaf(CertificateBuilder b, IssuedCertificate issuer) {
    return b.issuedBy(issuer).crlUrl("http://127.0.0.1:9/ca.crl").freshKey().build();
  }

  static Stream<Supplier<HandshakeProbe>> providers() {
    return Stream.of(JsseProbe::new, BcProbe::new);
  }

  private static Report inspect(Supplier<HandshakeProbe> probe, int port, boolean quick) {
    InspectOptions options = InspectOptions.builder()
        .trust(TrustMaterial.certificates(List.of(root.certificate())))
        .timeout(Duration.ofSeconds(15))
        .quick(quick)
        .build();
    TlsInspector inspector = TlsInspector.builder().probe(probe.get()).options(options).build();
    Target t = Target.builder(NAME, port).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> inspector.inspect(t, options));
  }

  @ParameterizedTest
  @MethodSource("providers")
  void noDefaultCertificate_isSniRequired(Supplier<HandshakeProbe> probe) {
    try (TlsServer server = TlsServer.builder().certificateFor(NAME, leaf).start()) {
      Report report = inspect(probe, server.port(), false);
      Finding f = only(report, Code.SNI_REQUIRED);
      assertEquals(Severity.LOW, f.severity(), "only clients without SNI are affected");
      assertFalse(f.rootCause(), "with SNI the handshake works");
      assertEquals(NAME, f.evidence().get("sni"));
      assertEquals("handshake_failure", f.evidence().get("alertWithoutSni"), f::toString);
      assertTrue(String.valueOf(f.evidence().get("withoutSni")).startsWith("ALERT_RECEIVED"), f::toString);
      assertEquals(Verdict.WARN, report.verdict(), () -> report.findings().toString());
      assertTrue(report.outcomes().stream().anyMatch(o -> o.observation()
          .map(x -> x.sniSent().isEmpty()).orElse(false)), "the extra handshake sent no SNI");
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void anotherDefaultCertificate_isSniRequired_showingIt(Supplier<HandshakeProbe> probe) {
    try (TlsServer server = TlsServer.builder().certificate(defaultLeaf).certificateFor(NAME, leaf).start()) {
      Report report = inspect(probe, server.port(), false);
      Finding f = only(report, Code.SNI_REQUIRED);
      assertEquals(Severity.LOW, f.severity());
      assertEquals(CertificateInfo.fingerprint(defaultLeaf.certificate()), f.evidence().get("defaultCertificateSha256"));
      assertEquals(List.of("DNS:default.test"), f.evidence().get("defaultCertificateNames"));
      assertTrue(String.valueOf(f.evidence().get("defaultCertificateSubject")).contains("CN=default.test"), f::toString);
      assertTrue(f.title().contains("not valid for " + NAME), f.title());
      assertEquals(CertificateInfo.fingerprint(leaf.certificate()), report.certificateChain().get(0).sha256(),
          "the report's chain is the one sent for the name");
    }
  }

  @Test
  void defaultCertificateThatAlsoCoversTheName_isOnlyInfo() {
    try (TlsServer server = TlsServer.builder().certificate(wideDefaultLeaf).certificateFor(NAME, leaf).start()) {
      Report report = inspect(JsseProbe::new, server.port(), false);
      Finding f = only(report, Code.SNI_REQUIRED);
      assertEquals(Severity.INFO, f.severity());
      assertEquals(List.of("DNS:shared.test", "DNS:" + NAME), f.evidence().get("defaultCertificateNames"));
      assertEquals(Verdict.PASS, report.verdict(), () -> report.findings().toString());
    }
  }

  @Test
  void oneCertificateForEveryone_isNoSniFinding_andQuickModeMakesNoExtraHandshake() {
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      Report full = inspect(JsseProbe::new, server.port(), false);
      assertFalse(full.hasFinding(Code.SNI_REQUIRED), full::summary);
      assertEquals(2, server.connections(), "the main handshake and the one without SNI");
    }
    try (TlsServer server = TlsServer.builder().certificateFor(NAME, leaf).start()) {
      Report quick = inspect(JsseProbe::new, server.port(), true);
      assertFalse(quick.hasFinding(Code.SNI_REQUIRED), quick::summary);
      assertEquals(1, server.connections(), "quick mode: one handshake");
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void resetOnlyForTheRealName_isSniFiltered(Supplier<HandshakeProbe> probe) {
    try (TlsServer server = TlsServer.builder().certificate(leaf).start();
        SniFilterPeer filter = SniFilterPeer.blocking(NAME, server.address())) {
      Report report = inspect(probe, filter.port(), false);
      Finding f = only(report, Code.SNI_FILTERED);
      assertEquals(Severity.HIGH, f.severity());
      assertTrue(f.rootCause());
      assertEquals(NAME, f.evidence().get("sni"));
      assertEquals("CONNECTION_RESET", f.evidence().get("failure"));
      assertTrue(String.valueOf(f.evidence().get("neutralName")).endsWith(".invalid"), f::toString);
      assertTrue(String.valueOf(f.evidence().get("withNeutralName")).startsWith("completed"), f::toString);
      Finding reset = only(report, Code.CONNECTION_RESET);
      assertFalse(reset.rootCause(), "the reset is the symptom");
      assertEquals("SNI_FILTERED", reset.evidence().get("explainedBy"));
      assertEquals(List.of(Code.SNI_FILTERED), report.rootCauses().stream().map(Finding::code).toList());
      assertTrue(filter.resetConnections() >= 1);
      assertTrue(filter.relayedConnections() >= 1, "the neutral name got through");
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void silenceOnlyForTheRealName_isSniFiltered(Supplier<HandshakeProbe> probe) {
    InspectOptions options = InspectOptions.builder()
        .trust(TrustMaterial.certificates(List.of(root.certificate())))
        .timeout(Duration.ofSeconds(15))
        .readTimeout(Duration.ofSeconds(2)) // each unanswered handshake ends here, within the deadline
        .build();
    try (TlsServer server = TlsServer.builder().certificate(leaf).start();
        SniFilterPeer filter = SniFilterPeer.stalling(NAME, server.address())) {
      TlsInspector inspector = TlsInspector.builder().probe(probe.get()).options(options).build();
      Target t = Target.builder(NAME, filter.port()).connectAddress("127.0.0.1").build();
      Report report = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> inspector.inspect(t, options));
      Finding f = only(report, Code.SNI_FILTERED);
      assertTrue(f.rootCause());
      assertEquals("HANDSHAKE_TIMEOUT", f.evidence().get("failure"));
      assertTrue(f.title().contains("goes unanswered"), f.title());
      assertEquals("SNI_FILTERED", only(report, Code.HANDSHAKE_TIMEOUT).evidence().get("explainedBy"));
      assertEquals(List.of(Code.SNI_FILTERED), report.rootCauses().stream().map(Finding::code).toList());
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void resetForEveryName_isNotSniFiltered(Supplier<HandshakeProbe> probe) {
    try (FakePeer peer = FakePeer.resetAfterClientHello()) {
      Report report = inspect(probe, peer.port(), false);
      assertFalse(report.hasFinding(Code.SNI_FILTERED), report::summary);
      assertTrue(only(report, Code.CONNECTION_RESET).rootCause());
      assertEquals(3, peer.connections(), "main, without SNI, with a neutral name");
    }
  }
}
