package dev.tlsinspect.bc;

import static dev.tlsinspect.testing.ReportAssert.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.jsse.JsseProbe;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.HandshakeProbe;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.BcTlsServer;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile loopback peers in full inspections, with both providers where both apply: a storm of
 * warning alerts, a ServerHello choosing a suite the client never offered, and a real server whose
 * only suites this JVM does not implement. Each inspection must end with a typed root-cause
 * finding; {@code assertTimeoutPreemptively} is only a guard against hangs.
 */
class HostilePeerTest {
  private static final int STORM = 100_000;
  private static IssuedCertificate leaf;
  private static TrustMaterial trust;

  @BeforeAll
  static void pki() {
    IssuedCertificate root = CertificateBuilder.root("tls-inspect Test Root").build();
    IssuedCertificate intermediate = CertificateBuilder.intermediate("tls-inspect Test Intermediate")
        .issuedBy(root).build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    trust = TrustMaterial.certificates(List.of(root.certificate()));
  }

  /** A full inspection (not quick: the enumeration runs where the main handshake allows it). */
  private static Report inspect(HandshakeProbe probe, int port) {
    InspectOptions options = InspectOptions.builder().trust(trust).timeout(Duration.ofSeconds(10)).build();
    assertFalse(options.quick());
    TlsInspector inspector = TlsInspector.builder().probe(probe).options(options).build();
    Target t = Target.builder("localhost", port).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(options.deadline().plusSeconds(5), () -> inspector.inspect(t, options));
  }

  private static List<String> rootCauses(Report report) {
    return report.findings().stream().filter(Finding::rootCause).map(f -> f.code().name()).toList();
  }

  /** The one root cause of a report: its code, CRITICAL, and the probe's failure kind. */
  private static Finding rootCause(Report report, Code code, String failure) {
    assertEquals(List.of(code.name()), rootCauses(report), report::summary);
    Finding f = only(report, code);
    assertEquals(Severity.CRITICAL, f.severity(), code::name);
    assertTrue(f.rootCause());
    assertEquals(failure, f.evidence().get("failure"), f::toString);
    return f;
  }

  // ---- 1. Alert storm: 100,000 warning alerts streamed after the ClientHello ----

  @Test
  void closeNotifyStorm_jsse_isProtocolError() {
    try (FakePeer peer = FakePeer.alertStorm(STORM)) {
      Finding f = rootCause(inspect(new JsseProbe(), peer.port()), Code.TLS_PROTOCOL_ERROR, "PROTOCOL_ERROR");
      // JSSE stops at the first record: a close_notify before the handshake is done.
      assertEquals("after ClientHello", f.evidence().get("stage"));
      assertTrue(f.detail().contains("close_notify during handshake"), f.detail());
    }
  }

  @Test
  void closeNotifyStorm_bc_isProtocolError() {
    try (FakePeer peer = FakePeer.alertStorm(STORM)) {
      Finding f = rootCause(inspect(new BcProbe(), peer.port()), Code.TLS_PROTOCOL_ERROR, "PROTOCOL_ERROR");
      // Bouncy Castle raises handshake_failure itself on a warning alert mid-handshake; the probe
      // reports it as a protocol violation by the server (the alert was not received).
      assertEquals("after ClientHello", f.evidence().get("stage"));
      assertTrue(f.detail().contains("handshake_failure"), f.detail());
    }
  }

  @Test
  void unrecognizedNameWarningStorm_jsse_isProtocolError() {
    // unrecognized_name (112) as a warning is what TLS 1.2 servers send for an unknown SNI name.
    // JSSE fails at the first one during the handshake ("received handshake warning"): a protocol
    // error, as the Bouncy Castle provider reports it too.
    try (FakePeer peer = FakePeer.alertStorm(STORM, 112)) {
      Finding f = rootCause(inspect(new JsseProbe(), peer.port()), Code.TLS_PROTOCOL_ERROR, "PROTOCOL_ERROR");
      assertTrue(f.detail().contains("unrecognized_name"), f.detail());
    }
  }

  @Test
  void unrecognizedNameWarningStorm_bc_isProtocolError() {
    try (FakePeer peer = FakePeer.alertStorm(STORM, 112)) {
      Finding f = rootCause(inspect(new BcProbe(), peer.port()), Code.TLS_PROTOCOL_ERROR, "PROTOCOL_ERROR");
      assertEquals("after ClientHello", f.evidence().get("stage"));
    }
  }

  // ---- 2. A ServerHello choosing a suite the client never offered ----
  //
  // 0x0005 is TLS_RSA_WITH_RC4_128_SHA (in no default offer); 0x5600 is TLS_FALLBACK_SCSV, a
  // signalling value and never a suite to select; 0xABCD is unassigned. The main handshake fails
  // at the ServerHello, so there is nothing to enumerate.

  @ParameterizedTest(name = "0x{0}")
  @ValueSource(ints = {0x0005, 0x5600, 0xABCD})
  void unofferedSuite_bc_isProtocolError(int suite) {
    try (FakePeer peer = FakePeer.selectingAnyway(0x0303, suite)) {
      Report report = inspect(new BcProbe(), peer.port());
      Finding f = rootCause(report, Code.TLS_PROTOCOL_ERROR, "PROTOCOL_ERROR");
      assertEquals("after ServerHello", f.evidence().get("stage"));
      assertTrue(f.detail().contains("illegal_parameter"), f.detail());
      assertTrue(f.detail().contains("ServerHello selected invalid cipher suite"), f.detail());
      assertTrue(report.protocols().isEmpty(), report::summary);
    }
  }

  @ParameterizedTest(name = "0x{0}")
  @ValueSource(ints = {0x0005, 0x5600, 0xABCD})
  void unofferedSuite_jsse_isProtocolError(int suite) {
    // JSSE rejects it too ("Server selected improper ciphersuite ..."): a protocol error, the
    // same classification as the Bouncy Castle provider's.
    try (FakePeer peer = FakePeer.selectingAnyway(0x0303, suite)) {
      Finding f = rootCause(inspect(new JsseProbe(), peer.port()), Code.TLS_PROTOCOL_ERROR, "PROTOCOL_ERROR");
      assertEquals("after ServerHello", f.evidence().get("stage"));
      assertTrue(f.detail().contains("Server selected improper ciphersuite"), f.detail());
    }
  }

  // ---- 3. A real server whose only suites this JVM does not implement ----

  @Test
  void ariaAndCamelliaOnlyServer_isNoCommonCipherForThisJvm() throws NoSuchAlgorithmException {
    List<String> jvmSuites = Arrays.asList(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
    String aria = "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256"; // 0xC060
    String camellia = "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256"; // 0xC076
    assumeTrue(!jvmSuites.contains(aria) && !jvmSuites.contains(camellia), "this JDK implements ARIA or CAMELLIA");
    try (BcTlsServer server = BcTlsServer.builder().certificate(leaf).versions(TlsVersion.TLS_1_2)
        .cipherSuites(CipherSuite.of(0xC060), CipherSuite.of(0xC076)).start()) {
      Report report = inspect(new BcProbe(), server.port());
      assertEquals(List.of(aria, camellia), report.cipherSuites().get("TLSv1.2"), report::summary);

      Finding f = only(report, Code.NO_COMMON_CIPHER);
      assertEquals(Severity.CRITICAL, f.severity());
      assertTrue(f.rootCause());
      assertEquals("this-jvm", f.evidence().get("profile"));
      assertEquals(List.of(aria, camellia), f.evidence().get("serverCipherSuites"));
      assertEquals(List.of("TLSv1.2"), f.evidence().get("serverVersions"));
      @SuppressWarnings("unchecked")
      List<String> offered = (List<String>) f.evidence().get("clientCipherSuites");
      assertFalse(offered.contains(aria) || offered.contains(camellia), offered::toString);
      assertFalse(report.hasFinding(Code.LOCAL_CIPHER_DISABLED), "no policy stands in the way: the JDK lacks them");

      // The BC provider's default offer has neither suite either, so the main handshake got a
      // handshake_failure alert: the report keeps that as a second root cause next to the
      // prediction for this JVM.
      assertEquals(List.of("HANDSHAKE_FAILED", "NO_COMMON_CIPHER"), rootCauses(report));
      Finding alert = only(report, Code.HANDSHAKE_FAILED);
      assertEquals(Severity.CRITICAL, alert.severity());
      assertEquals("handshake_failure", alert.evidence().get("alert"));
      assertEquals("ALERT_RECEIVED", alert.evidence().get("failure"));
      // CAMELLIA_128_CBC is a CBC suite; TLS 1.3 was offered and refused.
      assertEquals(List.of(camellia), only(report, Code.CIPHER_CBC).evidence().get("cipherSuites"));
      assertTrue(report.hasFinding(Code.TLS1_3_UNSUPPORTED));
    }
  }
}
