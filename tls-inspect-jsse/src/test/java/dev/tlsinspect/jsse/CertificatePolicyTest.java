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
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.KeyPurpose;
import dev.tlsinspect.testing.TlsServer;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The certificate policy checks (weak signatures and keys, key usage, size, validity, names,
 * interception) against real loopback servers through the JSSE probe.
 */
class CertificatePolicyTest {
  private static IssuedCertificate root;
  private static IssuedCertificate intermediate;
  private static TlsInspector inspector;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("tls-inspect Policy Root").build();
    intermediate = CertificateBuilder.intermediate("tls-inspect Policy Intermediate").issuedBy(root).build();
    inspector = TlsInspector.builder()
        .probe(new JsseProbe())
        .options(InspectOptions.builder()
            .trust(TrustMaterial.certificates(List.of(root.certificate())))
            .timeout(Duration.ofSeconds(5))
            .build())
        .build();
  }

  private static TlsServer serve(IssuedCertificate leaf, String... protocols) {
    TlsServer.Builder b = TlsServer.builder().certificateChain(leaf, intermediate.certificate());
    if (protocols.length > 0) {
      b.protocols(protocols);
    }
    return b.start();
  }

  private static Report inspect(TlsServer server) {
    return inspect(server, inspector.options());
  }

  private static Report inspect(TlsServer server, InspectOptions options) {
    Target t = Target.builder("localhost", server.port()).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(options.deadline().plusSeconds(5), () -> inspector.inspect(t, options));
  }

  private static List<Finding> highOrWorse(Report report) {
    return report.findings().stream().filter(f -> f.severity().atLeast(Severity.HIGH)).toList();
  }

  private static ProbeOutcome main(Report report) {
    return report.outcomes().get(0);
  }

  private static Observation observation(Report report) {
    return main(report).observation().orElseThrow();
  }

  private static String pin(X509Certificate cert) throws Exception {
    return Base64.getEncoder().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
  }

  // ---- weak signatures ----------------------------------------------------------------------

  @Test
  void sha1Intermediate_isWeakSignature_butJsseAcceptsIt() {
    IssuedCertificate sha1Ca = CertificateBuilder.intermediate("tls-inspect SHA-1 Intermediate")
        .issuedBy(root).signatureAlgorithm("SHA1withRSA").build();
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(sha1Ca).build();
    try (TlsServer server = TlsServer.builder().certificateChain(leaf, sha1Ca.certificate()).start()) {
      Report report = inspect(server);
      // jdk.certpath.disabledAlgorithms forbids SHA-1 only below the JDK's own CAs.
      assertInstanceOf(ProbeOutcome.Completed.class, main(report), report::summary);
      Finding f = only(report, Code.WEAK_SIGNATURE);
      assertEquals(Severity.HIGH, f.severity());
      assertFalse(f.rootCause());
      assertEquals("SHA1withRSA", f.evidence().get("signatureAlgorithm"));
      assertEquals("SHA-1", f.evidence().get("digest"));
      assertEquals(sha1Ca.certificate().getSubjectX500Principal().getName(), f.evidence().get("certificateSubject"));
      assertEquals(1L, f.evidence().get("position"));
      assertTrue(f.remediation().contains("SHA-256"), f.remediation());
      assertEquals(Verdict.FAIL, report.verdict());
    }
  }

  @Test
  void md5Leaf_isWeakSignature_andTheRootCause() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .signatureAlgorithm("MD5withRSA").build();
    try (TlsServer server = serve(leaf)) {
      Report report = inspect(server);
      ProbeOutcome.Failed failed = assertInstanceOf(ProbeOutcome.Failed.class, main(report), report::summary);
      assertEquals(FailureKind.CERTIFICATE_REJECTED, failed.failure().kind(), failed.failure().toString());
      Finding f = only(report, Code.WEAK_SIGNATURE);
      assertTrue(f.rootCause(), report::summary);
      assertEquals("MD5withRSA", f.evidence().get("signatureAlgorithm"));
      assertEquals(0L, f.evidence().get("position"));
      assertEquals(leaf.certificate().getSubjectX500Principal().getName(), f.evidence().get("certificateSubject"));
      assertFalse(report.hasFinding(Code.HANDSHAKE_FAILED), report::summary);
    }
  }

  // ---- weak keys ----------------------------------------------------------------------------

  @Test
  void rsa1024Leaf_isWeakKey_butJsseAcceptsIt() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).rsa(1024).build();
    try (TlsServer server = serve(leaf)) {
      Report report = inspect(server);
      assertInstanceOf(ProbeOutcome.Completed.class, main(report), report::summary);
      Finding f = only(report, Code.WEAK_KEY);
      assertEquals(Severity.HIGH, f.severity());
      assertFalse(f.rootCause());
      assertEquals(1024L, f.evidence().get("keyBits"));
      assertEquals("RSA", f.evidence().get("keyAlgorithm"));
      assertEquals(2048L, f.evidence().get("minimumBits"));
      assertEquals(0L, f.evidence().get("position"));
      assertEquals(Verdict.FAIL, report.verdict());
    }
  }

  @Test
  void rsa512Leaf_isWeakKey_andTheRootCause() {
    // TLS 1.2: a 512-bit key cannot make an RSA-PSS signature, so a TLS 1.3 server cannot use it.
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).rsa(512).build();
    try (TlsServer server = serve(leaf, "TLSv1.2")) {
      Report report = inspect(server);
      ProbeOutcome.Failed failed = assertInstanceOf(ProbeOutcome.Failed.class, main(report), report::summary);
      assertEquals(FailureKind.CERTIFICATE_REJECTED, failed.failure().kind(), failed.failure().toString());
      Finding f = only(report, Code.WEAK_KEY);
      assertTrue(f.rootCause(), report::summary);
      assertEquals(512L, f.evidence().get("keyBits"));
      assertFalse(report.hasFinding(Code.WEAK_SIGNATURE));
      assertFalse(report.hasFinding(Code.HANDSHAKE_FAILED), report::summary);
    }
  }

  // ---- key usage ----------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void clientAuthOnlyEku_isBadKeyUsage_andTheRootCause(String protocol) {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .extendedKeyUsage(KeyPurpose.CLIENT_AUTH).build();
    try (TlsServer server = serve(leaf, protocol)) {
      Report report = inspect(server);
      assertEquals(FailureKind.CERTIFICATE_REJECTED,
          assertInstanceOf(ProbeOutcome.Failed.class, main(report), report::summary).failure().kind());
      Finding f = only(report, Code.CERT_BAD_KEY_USAGE);
      assertTrue(f.rootCause(), report::summary);
      assertEquals(Severity.HIGH, f.severity());
      assertEquals(List.of("clientAuth"), f.evidence().get("extendedKeyUsage"));
      assertTrue(f.detail().contains("client certificate"), f.detail());
      assertTrue(f.remediation().contains("serverAuth"), f.remediation());
    }
  }

  @Test
  void keyEnciphermentOnly_withEcdhe_isBadKeyUsage_andTheRootCause() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .keyUsage(CertificateBuilder.KEY_ENCIPHERMENT).build();
    try (TlsServer server = serve(leaf, "TLSv1.2")) {
      Report report = inspect(server);
      assertInstanceOf(ProbeOutcome.Failed.class, main(report), report::summary);
      Finding f = only(report, Code.CERT_BAD_KEY_USAGE);
      assertTrue(f.rootCause(), report::summary);
      assertEquals("digitalSignature", f.evidence().get("requiredKeyUsage"));
      assertEquals(List.of("keyEncipherment"), f.evidence().get("keyUsage"));
      assertTrue(String.valueOf(f.evidence().get("cipherSuite")).startsWith("TLS_ECDHE_"), f.toString());
    }
  }

  // ---- size ---------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void tenThousandSans_isCertTooLarge_andTheRootCause(String protocol) {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .extraSubjectAltNames(10_000).build();
    try (TlsServer server = serve(leaf, protocol)) {
      Report report = inspect(server);
      ProbeOutcome.Failed failed = assertInstanceOf(ProbeOutcome.Failed.class, main(report), report::summary);
      assertEquals(FailureKind.CERTIFICATE_REJECTED, failed.failure().kind(), failed.failure().toString());
      assertTrue(failed.failure().message().contains("exceeds the maximum allowed size"),
          failed.failure().message());
      Finding f = only(report, Code.CERT_TOO_LARGE);
      assertTrue(f.rootCause(), report::summary);
      assertEquals(Severity.HIGH, f.severity());
      long bytes = (Long) f.evidence().get("bytes");
      assertTrue(bytes > 32768, "bytes " + bytes);
      assertEquals(32768L, f.evidence().get("limit"));
      assertEquals(bytes, (long) failed.seen().certificateMessageLength().orElseThrow());
      assertTrue(f.remediation().contains("jdk.tls.maxHandshakeMessageSize"), f.remediation());
      assertTrue(f.remediation().contains("jdk.tls.maxCertificateChainLength"), f.remediation());
      assertFalse(report.hasFinding(Code.HANDSHAKE_FAILED), report::summary);
      assertFalse(report.hasFinding(Code.TLS_PROTOCOL_ERROR), report::summary);
      int chainBytes = leaf.certificate().getEncoded().length + intermediate.certificate().getEncoded().length;
      if (protocol.equals("TLSv1.2")) {
        // The tap read the whole message although JSSE refused it: the chain is known.
        assertEquals(3L + 3 + 3 + chainBytes, bytes);
        assertEquals(List.of(leaf.certificate(), intermediate.certificate()), failed.seen().peerChain());
        assertEquals(10_001L, f.evidence().get("leafSubjectAltNames"));
      } else {
        // Encrypted: only JSSE's message tells the size, and the chain stays unknown.
        assertEquals(1L + 3 + 5 + 5 + chainBytes, bytes);
      }
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void threeHundredKilobyteCertificate_isCertTooLarge() {
    byte[] content = new byte[300 * 1024];
    byte[] der = new byte[content.length + 5];
    der[0] = 0x04; // OCTET STRING, long-form length on 3 bytes
    der[1] = (byte) 0x83;
    der[2] = (byte) (content.length >> 16);
    der[3] = (byte) (content.length >> 8);
    der[4] = (byte) content.length;
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .extension("1.3.6.1.4.1.55555.1", false, der).build();
    try (TlsServer server = serve(leaf, "TLSv1.2")) {
      Report report = inspect(server);
      Finding f = only(report, Code.CERT_TOO_LARGE);
      assertTrue(f.rootCause(), report::summary);
      assertTrue((Long) f.evidence().get("bytes") > 300 * 1024L, f.toString());
      assertEquals(1L, f.evidence().get("leafSubjectAltNames"));
      assertEquals(2, observation(report).peerChain().size());
    }
  }

  @Test
  void thousandSans_isNotTooLarge() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .extraSubjectAltNames(1000).build();
    try (TlsServer server = serve(leaf, "TLSv1.2")) {
      Report report = inspect(server);
      assertInstanceOf(ProbeOutcome.Completed.class, main(report), report::summary);
      assertFalse(report.hasFinding(Code.CERT_TOO_LARGE), report::summary);
      assertTrue(observation(report).certificateMessageLength().orElseThrow() > 20_000);
    }
  }

  // ---- validity -----------------------------------------------------------------------------

  @Test
  void fiveHundredDayLeaf_isTooLong_onlyUnderAPublicRoot() {
    Instant now = Instant.now();
    IssuedCertificate longRoot = CertificateBuilder.root("tls-inspect Long Root")
        .validFrom(now.minus(Duration.ofDays(10))).validUntil(now.plus(Duration.ofDays(2000))).build();
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(longRoot)
        .validFrom(now.minus(Duration.ofDays(1))).validUntil(now.plus(Duration.ofDays(499))).build();
    InspectOptions trustLong = inspector.options().toBuilder()
        .trust(TrustMaterial.certificates(List.of(longRoot.certificate()))).build();
    try (TlsServer server = TlsServer.builder().certificateChain(leaf).start()) {
      Report privateCa = inspect(server, trustLong);
      assertFalse(privateCa.hasFinding(Code.CERT_VALIDITY_TOO_LONG), privateCa::summary);

      // The same chain, with its root standing in for a public CA in the reference store.
      Report publicCa = inspect(server, trustLong.toBuilder()
          .referenceTrust(TrustMaterial.certificates(List.of(longRoot.certificate()))).build());
      Finding f = only(publicCa, Code.CERT_VALIDITY_TOO_LONG);
      assertEquals(Severity.LOW, f.severity());
      assertEquals(500L, f.evidence().get("validityDays"));
      assertEquals(398L, f.evidence().get("maximumDays"));
      assertEquals(Verdict.WARN, publicCa.verdict(), publicCa::summary);
    }
  }

  // ---- interception -------------------------------------------------------------------------

  @Test
  void zscalerRootInAppTrustStore_isInterceptionSuspected() {
    IssuedCertificate proxyRoot = CertificateBuilder.root("Zscaler Root CA").freshKey().build();
    IssuedCertificate proxyCa = CertificateBuilder.intermediate("Zscaler Intermediate Root CA (zscaler.net)")
        .issuedBy(proxyRoot).freshKey().build();
    IssuedCertificate forged = CertificateBuilder.leaf("localhost").issuedBy(proxyCa).build();
    InspectOptions corporate = inspector.options().toBuilder()
        .trust(TrustMaterial.certificates(List.of(root.certificate(), proxyRoot.certificate()))).build();
    try (TlsServer server = TlsServer.builder().certificateChain(forged, proxyCa.certificate()).start()) {
      Report report = inspect(server, corporate);
      assertInstanceOf(ProbeOutcome.Completed.class, main(report), report::summary);
      Finding f = only(report, Code.TLS_INTERCEPTION_SUSPECTED);
      assertEquals(Severity.HIGH, f.severity());
      assertEquals("Zscaler", f.evidence().get("matchedKeyword"));
      assertEquals(proxyRoot.certificate().getSubjectX500Principal().getName(), f.evidence().get("root"));
      assertEquals(true, f.evidence().get("trustedByApplication"));
      assertTrue(f.remediation().contains("proxy"), f.remediation());
      assertEquals(Verdict.FAIL, report.verdict());

      // Without the proxy's root, the handshake fails, and the proxy is why.
      Report untrusted = inspect(server);
      Finding rootCause = only(untrusted, Code.TLS_INTERCEPTION_SUSPECTED);
      assertTrue(rootCause.rootCause(), untrusted::summary);
      assertEquals(false, rootCause.evidence().get("trustedByApplication"));
      assertFalse(only(untrusted, Code.CHAIN_UNTRUSTED).rootCause(), "a symptom of the proxy");
    }
  }

  @Test
  void expectedIssuerMismatch_isInterceptionSuspected() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    try (TlsServer server = serve(leaf)) {
      Report ok = inspect(server, inspector.options().toBuilder().expectedIssuer("policy intermediate").build());
      assertFalse(ok.hasFinding(Code.TLS_INTERCEPTION_SUSPECTED), ok::summary);

      Report report = inspect(server, inspector.options().toBuilder().expectedIssuer("O=Let's Encrypt").build());
      Finding f = only(report, Code.TLS_INTERCEPTION_SUSPECTED);
      assertEquals("expectedIssuer", f.evidence().get("reason"));
      assertEquals("O=Let's Encrypt", f.evidence().get("expectedIssuer"));
      assertEquals(intermediate.certificate().getSubjectX500Principal().getName(), f.evidence().get("actualIssuer"));
    }
  }

  @Test
  void pins_matchOrInterceptionSuspected() throws Exception {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    IssuedCertificate other = CertificateBuilder.root("tls-inspect Other Root").freshKey().build();
    try (TlsServer server = serve(leaf)) {
      for (X509Certificate pinned : List.of(leaf.certificate(), intermediate.certificate(), root.certificate())) {
        Report ok = inspect(server, inspector.options().toBuilder().pinnedKeys(Set.of(pin(pinned))).build());
        assertFalse(ok.hasFinding(Code.TLS_INTERCEPTION_SUSPECTED), ok::summary);
      }
      String wrong = pin(other.certificate());
      Report report = inspect(server, inspector.options().toBuilder().pinnedKeys(Set.of(wrong)).build());
      Finding f = only(report, Code.TLS_INTERCEPTION_SUSPECTED);
      assertEquals("pinMismatch", f.evidence().get("reason"));
      assertEquals(List.of(wrong), f.evidence().get("pinnedKeys"));
      assertTrue(((List<?>) f.evidence().get("chainKeys")).contains(pin(leaf.certificate())));
    }
  }

  // ---- healthy certificates raise nothing serious -------------------------------------------

  static Stream<Arguments> healthy() {
    return Stream.of(
        Arguments.of("RSA 2048", CertificateBuilder.leaf("localhost").rsa(2048)),
        Arguments.of("RSA 3072", CertificateBuilder.leaf("localhost").rsa(3072)),
        Arguments.of("RSA 4096", CertificateBuilder.leaf("localhost").rsa(4096)),
        // Pooled per JVM: generated once however often it is used.
        Arguments.of("RSA 8192", CertificateBuilder.leaf("localhost").rsa(8192)),
        Arguments.of("P-256", CertificateBuilder.leaf("localhost").ec("secp256r1")),
        Arguments.of("P-384", CertificateBuilder.leaf("localhost").ec("secp384r1")),
        Arguments.of("1000 SANs", CertificateBuilder.leaf("localhost").extraSubjectAltNames(1000)),
        Arguments.of("no CN, SAN only", CertificateBuilder.leaf("localhost").subject("O=tls-inspect, C=DE")),
        Arguments.of("empty subject, critical SAN", CertificateBuilder.leaf("localhost").subject("")
            .criticalSubjectAltName(true)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("healthy")
  void healthyCertificates_raiseNothingHighOrCritical(String name, CertificateBuilder builder) {
    IssuedCertificate leaf = builder.issuedBy(intermediate).build();
    for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
      try (TlsServer server = serve(leaf, protocol)) {
        Report report = inspect(server);
        assertInstanceOf(ProbeOutcome.Completed.class, main(report), report::summary);
        assertEquals(List.of(), highOrWorse(report), report::summary);
        assertFalse(report.hasFinding(Code.CERT_NO_SAN), report::summary);
      }
    }
  }

  @Test
  void cnOnlyCertificate_isNoSan_butNotHigh() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).noSubjectAltName().build();
    try (TlsServer server = serve(leaf)) {
      Report report = inspect(server);
      Finding f = only(report, Code.CERT_NO_SAN);
      assertEquals(Severity.MEDIUM, f.severity());
      assertEquals(List.of(), highOrWorse(report), report::summary);
    }
  }
}
