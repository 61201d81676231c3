package dev.tlsinspect.bc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.BcTlsServer;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POLICY_VIOLATION against real loopback servers, enumerated by the Bouncy Castle provider. */
class PolicyCheckTest {
  private static final Set<String> ALL = new LinkedHashSet<>(
      List.of("mozilla-modern", "mozilla-intermediate", "mozilla-old", "nist-sp800-52r2"));
  private static IssuedCertificate root;
  private static IssuedCertificate intermediate;
  private static IssuedCertificate leaf;
  private static TlsInspector inspector;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("tls-inspect Test Root").build();
    intermediate = CertificateBuilder.intermediate("tls-inspect Test Intermediate").issuedBy(root).build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    inspector = TlsInspector.builder()
        .probe(new BcProbe())
        .options(InspectOptions.builder()
            .trust(TrustMaterial.certificates(List.of(root.certificate())))
            .timeout(Duration.ofSeconds(20))
            .policies(ALL)
            .build())
        .build();
  }

  private static Map<String, Finding> violations(int port, InspectOptions options) {
    Target t = Target.builder("localhost", port).connectAddress("127.0.0.1").build();
    Report report = assertTimeoutPreemptively(options.deadline().plusSeconds(5), () -> inspector.inspect(t, options));
    List<Finding> found = report.findings().stream().filter(f -> f.code().equals(Code.POLICY_VIOLATION)).toList();
    for (Finding f : found) {
      assertEquals(Severity.MEDIUM, f.severity(), f::toString);
      assertFalse(f.rootCause());
    }
    Map<String, Finding> byPolicy = found.stream()
        .collect(Collectors.toMap(f -> (String) f.evidence().get("policy"), Function.identity()));
    assertEquals(found.size(), byPolicy.size(), () -> "one finding per policy: " + found);
    return byPolicy;
  }

  @SuppressWarnings("unchecked")
  private static List<String> deviations(Finding f) {
    return (List<String>) f.evidence().get("deviations");
  }

  @Test
  void mozillaIntermediateServer_passesIntermediate_andViolatesModern() {
    try (TlsServer server = TlsServer.builder().certificate(leaf).protocols("TLSv1.3", "TLSv1.2")
        .cipherSuites("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")
        .serverCipherOrder(false).start()) {
      Map<String, Finding> v = violations(server.port(), inspector.options());

      assertFalse(v.containsKey("mozilla-intermediate"), () -> "intermediate: " + v.get("mozilla-intermediate"));
      Finding modern = v.get("mozilla-modern");
      assertEquals("6.0", modern.evidence().get("policyVersion"));
      assertEquals(List.of(
          "accepts TLSv1.2, the policy allows TLSv1.3",
          "accepts TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (not in the policy)",
          "accepts TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (not in the policy)",
          "accepts TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 (not in the policy)",
          "certificate key RSA 2048 is not of a type the policy allows (EC)",
          "certificate signature SHA256withRSA is not one the policy allows "
              + "(SHA256withECDSA, SHA384withECDSA, SHA512withECDSA)"),
          deviations(modern));
      assertFalse(modern.evidence().containsKey("unchecked"));
      // Old wants the server's order; NIST does not list ChaCha20.
      assertEquals(List.of("no server cipher order with TLSv1.2 (the policy wants it)"),
          deviations(v.get("mozilla-old")).stream().filter(d -> d.contains("order")).toList());
      assertEquals(List.of("accepts TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 (not in the policy)",
          "accepts TLS_CHACHA20_POLY1305_SHA256 (not in the policy)"), deviations(v.get("nist-sp800-52r2")));
    }
  }

  @Test
  void legacyServer_tls10CbcStaticRsa_violatesIntermediateAndNist_andFitsOld() {
    try (BcTlsServer server = BcTlsServer.builder().certificate(leaf)
        .versions(TlsVersion.TLS_1_2, TlsVersion.TLS_1_0)
        .cipherSuites(CipherSuite.of(0xC013), CipherSuite.of(0x002F)).serverCipherOrder(true).start()) {
      Map<String, Finding> v = violations(server.port(), inspector.options());

      assertEquals(List.of(
          "accepts TLSv1, the policy allows TLSv1.2, TLSv1.3",
          "does not support TLSv1.3 (required)",
          "accepts TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (not in the policy)",
          "accepts TLS_RSA_WITH_AES_128_CBC_SHA (not in the policy)"),
          deviations(v.get("mozilla-intermediate")));
      assertEquals(List.of(
          "accepts TLSv1, the policy allows TLSv1.2, TLSv1.3",
          "does not support TLSv1.3 (required)"),
          deviations(v.get("nist-sp800-52r2"))); // RSA key transport: discouraged, still allowed
      assertTrue(v.get("nist-sp800-52r2").detail().contains("NIST SP 800-52 Rev. 2"), v.get("nist-sp800-52r2").detail());
      assertTrue(deviations(v.get("mozilla-modern")).contains("does not support TLSv1.3 (required)"));
      assertFalse(v.containsKey("mozilla-old"), () -> "old: " + v.get("mozilla-old"));
    }
  }

  @Test
  void weakLongLivedCertificate_isListedUnderEveryPolicy() {
    IssuedCertificate weak = CertificateBuilder.leaf("localhost").issuedBy(intermediate).rsa(1024)
        .validity(Duration.ofDays(400)).build();
    try (BcTlsServer server = BcTlsServer.builder().certificate(weak)
        .versions(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2).cipherSuites(CipherSuite.of(0x1301), CipherSuite.of(0xC02F))
        .start()) {
      Map<String, Finding> v = violations(server.port(), inspector.options());

      assertEquals(List.of("certificate key RSA 1024 below 2048", "certificate lifespan 400 days above 366"),
          deviations(v.get("mozilla-intermediate")));
      assertEquals(List.of("certificate key RSA 1024 below 2048"), deviations(v.get("nist-sp800-52r2")));
      assertTrue(deviations(v.get("mozilla-old")).contains("certificate key RSA 1024 below 2048"));
    }
  }

  @Test
  void quickMode_judgesTheCertificateAlone_andSaysWhatItCouldNotCheck() {
    IssuedCertificate weak = CertificateBuilder.leaf("localhost").issuedBy(intermediate).rsa(1024).build();
    try (BcTlsServer server = BcTlsServer.builder().certificate(weak)
        .versions(TlsVersion.TLS_1_2, TlsVersion.TLS_1_0).start()) {
      InspectOptions quick = inspector.options().toBuilder().quick(true)
          .policies(Set.of("mozilla-intermediate")).build();
      Map<String, Finding> v = violations(server.port(), quick);

      assertEquals(Set.of("mozilla-intermediate"), v.keySet());
      assertEquals(List.of("certificate key RSA 1024 below 2048"), deviations(v.get("mozilla-intermediate")));
      assertEquals(1, ((List<?>) v.get("mozilla-intermediate").evidence().get("unchecked")).size());
    }
  }

  @Test
  void noPolicySelected_noPolicyViolation() {
    try (BcTlsServer server = BcTlsServer.builder().certificate(leaf)
        .versions(TlsVersion.TLS_1_2, TlsVersion.TLS_1_0).start()) {
      assertEquals(Map.of(), violations(server.port(), inspector.options().toBuilder().policies(Set.of()).build()));
    }
  }

  @Test
  void unknownPolicyName_isRejectedAtOnce_listingTheKnownNames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> InspectOptions.builder().policies(Set.of("mozilla-ancient")));
    assertEquals("unknown policy 'mozilla-ancient': use one of mozilla-modern, mozilla-intermediate, "
        + "mozilla-old, nist-sp800-52r2 (or a pinned version: mozilla-modern-6.0, "
        + "mozilla-intermediate-6.0, mozilla-old-5.8)", e.getMessage());
  }
}
