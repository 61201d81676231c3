package dev.tlsinspect.bc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import dev.tlsinspect.jsse.JsseProbe;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.BcTlsServer;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.tls.crypto.DHStandardGroups;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both engines by default (issue #11): with tls-inspect-jsse and tls-inspect-bc on the class path
 * (as here: jsse is a test dependency of this module), an inspector built without pinning a
 * provider makes its main handshake with JSSE and enumerates with Bouncy Castle, so the plain
 * inspection finds what only {@code --provider bc} found before. Real loopback servers only.
 */
class BothEnginesTest {
  private static IssuedCertificate root;
  private static IssuedCertificate intermediate;
  private static IssuedCertificate leaf;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("tls-inspect Both Engines Root").build();
    intermediate = CertificateBuilder.intermediate("tls-inspect Both Engines Intermediate").issuedBy(root).build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
  }

  private static InspectOptions options() {
    return InspectOptions.builder()
        .trust(TrustMaterial.certificates(List.of(root.certificate())))
        .timeout(Duration.ofSeconds(15))
        .build();
  }

  /** The plain inspector: no provider pinned. */
  private static TlsInspector plain() {
    return TlsInspector.builder().options(options()).build();
  }

  private static Report inspect(TlsInspector inspector, int port) {
    Target t = Target.builder("localhost", port).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(Duration.ofSeconds(40), () -> inspector.inspect(t));
  }

  private static Finding only(Report report, Code code) {
    List<Finding> matches = report.findings().stream().filter(f -> f.code().equals(code)).toList();
    assertEquals(1, matches.size(), () -> "expected one " + code + " in " + report.summary());
    return matches.get(0);
  }

  private static Set<Code> codes(Report report) {
    return report.findings().stream().map(Finding::code).collect(Collectors.toSet());
  }

  private static BcTlsServer tls12CbcStaticRsa() {
    return BcTlsServer.builder().certificateChain(leaf, intermediate.certificate())
        .versions(TlsVersion.TLS_1_2)
        .cipherSuites(CipherSuite.of(0x002F), CipherSuite.of(0x0035)) // TLS_RSA_WITH_AES_{128,256}_CBC_SHA
        .start();
  }

  @Test
  void create_findsBothProviders_andUsesJsseForTheMainHandshakeAndBcForTheEnumeration() {
    assertEquals("jsse+bc", TlsInspector.create().providerName());
    assertEquals("jsse", TlsInspector.builder().provider("jsse").build().providerName());
    assertEquals("bc", TlsInspector.builder().provider("bc").build().providerName());
    assertEquals("jsse", TlsInspector.builder().probe(new JsseProbe()).build().providerName());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TlsInspector.builder().provider("openssl").build());
    assertTrue(e.getMessage().contains("no HandshakeProbe provider named 'openssl'"), e.getMessage());
  }

  @Test
  void tls12CbcStaticRsaServer_plainInspection_findsWhatTheEnumerationSees() {
    try (BcTlsServer server = tls12CbcStaticRsa()) {
      Report report = inspect(plain(), server.port());

      assertEquals("jsse+bc", report.provider());
      // The main handshake is this JVM's: JSSE completes with a suite it enables.
      assertEquals(List.of(), report.rootCauses(), report::summary);
      assertEquals("jsse", report.outcomes().get(0).observation().orElseThrow().provider());
      // protocols and cipherSuites come from Bouncy Castle's enumeration, not the one handshake.
      assertEquals(List.of("TLSv1.2"), report.protocols());
      assertEquals(List.of("TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"),
          report.cipherSuites().get("TLSv1.2"), report::summary);

      Finding fs = only(report, Code.NO_FORWARD_SECRECY);
      assertEquals(Severity.HIGH, fs.severity());
      assertEquals(true, fs.evidence().get("allSuites"));
      assertEquals(List.of("TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"),
          only(report, Code.CIPHER_CBC).evidence().get("cipherSuites"));
      assertEquals(List.of("TLSv1.2"), only(report, Code.TLS1_3_UNSUPPORTED).evidence().get("acceptedVersions"));
      assertFalse(report.hasFinding(Code.ENUMERATION_UNAVAILABLE), report::summary);
      assertEquals(Verdict.FAIL, report.verdict());

      // The same findings as with Bouncy Castle pinned for everything.
      Report pinned = inspect(TlsInspector.builder().provider("bc").options(options()).build(), server.port());
      assertEquals("bc", pinned.provider());
      assertEquals(codes(pinned), codes(report), () -> pinned.summary() + "\n" + report.summary());
    }
  }

  @Test
  void jssePinned_saysPlainlyWhatWasNotChecked_andHowToAddIt() {
    try (BcTlsServer server = tls12CbcStaticRsa()) {
      Report report = inspect(TlsInspector.builder().probe(new JsseProbe()).options(options()).build(),
          server.port());

      assertEquals("jsse", report.provider());
      assertFalse(report.hasFinding(Code.CIPHER_CBC), "not enumerated: " + report.summary());
      assertFalse(report.hasFinding(Code.NO_FORWARD_SECRECY), report::summary);
      Finding f = only(report, Code.ENUMERATION_UNAVAILABLE);
      assertEquals(Severity.INFO, f.severity());
      assertFalse(f.rootCause());
      assertEquals("jsse", f.evidence().get("provider"));
      assertEquals(List.of("protocol versions", "cipher suites", "named groups", "DH parameters"),
          f.evidence().get("unchecked"));
      assertEquals("dev.tlsinspect:tls-inspect-bc", f.evidence().get("module"));
      assertTrue(f.remediation().contains("dev.tlsinspect:tls-inspect-bc"), f.remediation());
      assertTrue(f.detail().contains("The verdict covers the certificate and this JVM's handshake only"),
          f.detail());

      // Quick mode is one JSSE handshake by design: nothing to say there.
      Report quick = inspect(TlsInspector.builder().options(options().toBuilder().quick(true).build()).build(),
          server.port());
      assertEquals(1, quick.outcomes().size(), quick::summary);
      assertFalse(quick.hasFinding(Code.ENUMERATION_UNAVAILABLE), quick::summary);
      assertFalse(quick.hasFinding(Code.CIPHER_CBC), quick::summary);
    }
  }

  @Test
  void dheExportServer_isWeakDh_besideCipherExport() {
    // TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA with TLS 1.0: no library of today completes it, so the
    // scripted peer answers the ServerHello; the suite itself limits the group to 512 bits.
    try (FakePeer peer = FakePeer.selecting(0x0301, 0x0014)) {
      Report report = inspect(plain(), peer.port());

      assertEquals(List.of("TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA"), report.cipherSuites().get("TLSv1"),
          report::summary);
      only(report, Code.CIPHER_EXPORT);
      Finding dh = only(report, Code.WEAK_DH);
      assertEquals(Severity.HIGH, dh.severity());
      assertEquals(512L, dh.evidence().get("bits"));
      assertEquals(List.of("TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA"), dh.evidence().get("cipherSuites"));
      assertEquals(List.of("TLSv1"), dh.evidence().get("versions"));
    }
  }

  @Test
  void weakDhGroupServer_isOneWeakDh_theRootCause_withItsSize() {
    // 768 bits: this JVM refuses the group, so JSSE's handshake fails; Bouncy Castle's enumeration
    // reads the same group. One finding, the root cause.
    try (BcTlsServer server = BcTlsServer.builder().certificateChain(leaf, intermediate.certificate())
        .versions(TlsVersion.TLS_1_2).cipherSuites(CipherSuite.of(0x009E))
        .dhGroup(DHStandardGroups.rfc2409_768.getP(), DHStandardGroups.rfc2409_768.getG()).start()) {
      Report report = inspect(plain(), server.port());

      Finding dh = only(report, Code.WEAK_DH);
      assertTrue(dh.rootCause(), report::summary);
      assertEquals(768L, dh.evidence().get("bits"));
      assertEquals(List.of("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"), report.cipherSuites().get("TLSv1.2"),
          report::summary);
      assertTrue(report.hasFinding(Code.TLS1_3_UNSUPPORTED), report::summary);
      assertEquals(Verdict.FAIL, report.verdict());
    }
  }

  @Test
  void serverThatRefusesJsseBeforeItsCertificate_stillHasItsCertificateJudged() {
    // TLS_AES_128_CCM_SHA256 only: JSSE offers no CCM suite and gets handshake_failure before any
    // certificate, as a JVM does from OpenSSL with an MD5-signed certificate in TLS 1.3. Bouncy
    // Castle's handshake fetches the chain, and the MD5 signature is reported.
    IssuedCertificate md5 = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .signatureAlgorithm("MD5withRSA").build();
    try (BcTlsServer server = BcTlsServer.builder().certificateChain(md5, intermediate.certificate())
        .versions(TlsVersion.TLS_1_3).cipherSuites(CipherSuite.of(0x1304)).start()) {
      Report report = inspect(plain(), server.port());

      assertTrue(report.rootCauses().stream().anyMatch(f -> f.code().equals(Code.HANDSHAKE_FAILED)),
          report::summary);
      assertEquals(2, report.certificateChain().size(), report::summary);
      Finding weak = only(report, Code.WEAK_SIGNATURE);
      assertTrue(weak.severity().atLeast(Severity.HIGH), weak::toString);
      assertTrue(weak.detail().contains("MD5"), weak.detail());
      assertEquals("jsse", report.outcomes().get(0).observation().orElseThrow().provider(),
          "the main outcome stays JSSE's, with the chain Bouncy Castle received");

      // Pinned to JSSE there is no chain to judge.
      Report jsse = inspect(TlsInspector.builder().provider("jsse").options(options()).build(), server.port());
      assertEquals(List.of(), jsse.certificateChain());
      assertFalse(jsse.hasFinding(Code.WEAK_SIGNATURE), jsse::summary);
    }
  }

  @Test
  void policyAndClients_workWithoutPinningBc_andAnswerAsBcDoes() {
    try (BcTlsServer server = tls12CbcStaticRsa()) {
      InspectOptions asked = options().toBuilder()
          .policies(Set.of("mozilla-intermediate"))
          .clientProfiles(new java.util.LinkedHashSet<>(List.of("this-jvm", "jdk-8", "chrome")))
          .build();
      Report both = inspect(TlsInspector.builder().options(asked).build(), server.port());
      Report bc = inspect(TlsInspector.builder().provider("bc").options(asked).build(), server.port());

      Finding policy = only(both, Code.POLICY_VIOLATION);
      assertEquals(only(bc, Code.POLICY_VIOLATION).evidence().get("deviations"), policy.evidence().get("deviations"));
      assertFalse(policy.evidence().containsKey("unchecked"), policy.evidence().toString());
      assertTrue(policy.evidence().get("deviations").toString().contains("TLS_RSA_WITH_AES_128_CBC_SHA"),
          policy.evidence().toString());
      assertEquals(bc.clients(), both.clients());
      assertEquals(List.of("this-jvm", "jdk-8", "chrome"),
          both.clients().stream().map(c -> c.profile()).toList());
      assertNotEquals(List.of(), both.clients());
    }
  }
}
