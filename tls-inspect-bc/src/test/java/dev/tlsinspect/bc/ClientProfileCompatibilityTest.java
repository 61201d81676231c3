package dev.tlsinspect.bc;

import static dev.tlsinspect.testing.ReportAssert.findings;
import static dev.tlsinspect.testing.ReportAssert.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tlsinspect.ClientPrediction;
import dev.tlsinspect.ClientProfiles;
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
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.BcTlsServer;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.security.Security;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Client profile predictions against real loopback servers: the BC provider enumerates, the
 * predictions follow, and where this JVM is the client a real JSSE handshake checks them.
 */
class ClientProfileCompatibilityTest {
  private static IssuedCertificate root;
  private static IssuedCertificate leaf;
  private static TrustMaterial trust;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("tls-inspect Test Root").build();
    IssuedCertificate intermediate = CertificateBuilder.intermediate("tls-inspect Test Intermediate")
        .issuedBy(root).build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    trust = TrustMaterial.certificates(List.of(root.certificate()));
  }

  private static Report inspect(int port, dev.tlsinspect.probe.HandshakeProbe probe, Set<String> profiles,
      boolean quick) {
    InspectOptions options = InspectOptions.builder().trust(trust).timeout(Duration.ofSeconds(10))
        .quick(quick).clientProfiles(profiles).build();
    TlsInspector inspector = TlsInspector.builder().probe(probe).options(options).build();
    Target t = Target.builder("localhost", port).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> inspector.inspect(t));
  }

  private static ClientPrediction prediction(Report report, String profile) {
    return report.clients().stream().filter(c -> c.profile().equals(profile)).findFirst()
        .orElseThrow(() -> new AssertionError("no prediction for " + profile + " in " + report.clients()));
  }

  private static String disabledAlgorithms() {
    String v = Security.getProperty("jdk.tls.disabledAlgorithms");
    return v == null ? "" : v;
  }

  private static boolean disables(String entry) {
    return Arrays.stream(disabledAlgorithms().split(",")).map(String::trim).anyMatch(entry::equals);
  }

  static Stream<Arguments> servers() {
    return Stream.of(
        Arguments.of("TLS 1.3 and 1.2, JSSE defaults", new String[] {"TLSv1.3", "TLSv1.2"}, null, true),
        Arguments.of("TLS 1.2, server order puts CBC first", new String[] {"TLSv1.2"},
            new String[] {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"}, true),
        Arguments.of("TLS 1.2, client chooses", new String[] {"TLSv1.2"},
            new String[] {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"}, false),
        Arguments.of("TLS 1.3, client chooses", new String[] {"TLSv1.3"},
            new String[] {"TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"}, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void jdk17AndThisJvmPredictions_matchARealJsseHandshake(String label, String[] protocols,
      String[] suites, boolean serverOrder) {
    TlsServer.Builder b = TlsServer.builder().certificate(leaf).protocols(protocols).serverCipherOrder(serverOrder);
    if (suites != null) {
      b.cipherSuites(suites);
    }
    try (TlsServer server = b.start()) {
      Report enumerated = inspect(server.port(), new BcProbe(), Set.of("jdk-17", "this-jvm"), false);
      Report jsse = inspect(server.port(), new JsseProbe(), Set.of("this-jvm"), true);
      Observation real = assertInstanceOf(ProbeOutcome.Completed.class, jsse.outcomes().get(0)).seen();
      ClientPrediction jvm = prediction(enumerated, "this-jvm");
      assertTrue(jvm.compatible(), jvm::toString);
      assertEquals(real.version(), jvm.version(), label);
      assertEquals(real.cipherSuite().map(CipherSuite::name), jvm.cipherSuite().map(CipherSuite::name), label);
      if (Runtime.version().feature() == 17) {
        // The JDK 17 profile is this JVM's default offer on 17 (with or without TLS_RSA_*, which
        // none of these servers accepts).
        ClientPrediction jdk17 = prediction(enumerated, "jdk-17");
        assertEquals(real.version(), jdk17.version(), label);
        assertEquals(real.cipherSuite().map(CipherSuite::name), jdk17.cipherSuite().map(CipherSuite::name), label);
      }
      assertTrue(jsse.clients().isEmpty(), "quick mode enumerates nothing, so predicts nothing");
      assertFalse(enumerated.hasFinding(Code.CLIENT_INCOMPATIBLE), enumerated::summary);
    }
  }

  @Test
  void tls10OnlyServer_isLocalProtocolDisabledForThisJvm_andIncompatibleForModernProfiles() {
    assumeTrue(disables("TLSv1"), "this JVM's jdk.tls.disabledAlgorithms does not disable TLSv1");
    try (BcTlsServer server = BcTlsServer.builder().certificate(leaf).versions(TlsVersion.TLS_1_0)
        .cipherSuites(CipherSuite.of(0xC013)).start()) {
      Report report = inspect(server.port(), new BcProbe(),
          Set.of("this-jvm", "chrome", "jdk-17", "android-7", "ie11-win7"), false);
      assertEquals(List.of("TLSv1"), report.protocols(), report::summary);
      Finding local = only(report, Code.LOCAL_PROTOCOL_DISABLED);
      assertEquals(Severity.CRITICAL, local.severity());
      assertTrue(local.rootCause(), "this JVM's handshake would fail because of its own policy");
      assertEquals("this-jvm", local.evidence().get("profile"));
      assertEquals("jdk.tls.disabledAlgorithms", local.evidence().get("property"));
      assertEquals(List.of("TLSv1"), local.evidence().get("disabledVersions"));
      assertEquals(List.of("TLSv1"), local.evidence().get("disabledBy"));
      assertEquals(List.of("TLSv1"), local.evidence().get("serverVersions"));
      assertTrue(local.remediation().contains("-Djava.security.properties="), local.remediation());
      assertTrue(local.detail().contains("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), local.detail());
      assertFalse(report.hasFinding(Code.NO_COMMON_PROTOCOL), () -> "the policy, not the server, is the cause " + report.findings());

      List<Finding> incompatible = findings(report, Code.CLIENT_INCOMPATIBLE);
      assertEquals(Set.of("chrome", "jdk-17"),
          Set.copyOf(incompatible.stream().map(f -> f.evidence().get("profile")).toList()), report::summary);
      for (Finding f : incompatible) {
        assertEquals(Severity.HIGH, f.severity());
        assertFalse(f.rootCause());
        assertEquals("NO_COMMON_VERSION", f.evidence().get("reason"));
        assertEquals(List.of("TLSv1"), f.evidence().get("serverVersions"));
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), f.evidence().get("serverCipherSuites"));
      }
      ClientPrediction ie = prediction(report, "ie11-win7");
      assertTrue(ie.compatible());
      assertEquals(TlsVersion.TLS_1_0, ie.version().orElseThrow());
      assertEquals("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", ie.cipherSuite().orElseThrow().name());
      assertTrue(prediction(report, "android-7").compatible());
      assertEquals(Verdict.FAIL, report.verdict());
    }
  }

  @Test
  void serverWithOnlyA3desSuite_isLocalCipherDisabledForThisJvm() {
    assumeTrue(disables("3DES_EDE_CBC"), "this JVM's jdk.tls.disabledAlgorithms does not disable 3DES");
    try (BcTlsServer server = BcTlsServer.builder().certificate(leaf).versions(TlsVersion.TLS_1_2)
        .cipherSuites(CipherSuite.of(0xC012)).start()) {
      Report report = inspect(server.port(), new BcProbe(), Set.of("this-jvm", "safari", "chrome"), false);
      assertEquals(List.of("TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"), report.cipherSuites().get("TLSv1.2"),
          report::summary);
      Finding local = only(report, Code.LOCAL_CIPHER_DISABLED);
      assertEquals(Severity.CRITICAL, local.severity());
      assertTrue(local.rootCause());
      assertEquals(List.of("TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"), local.evidence().get("disabledCipherSuites"));
      assertEquals(List.of("3DES_EDE_CBC"), local.evidence().get("disabledBy"));
      assertFalse(report.hasFinding(Code.NO_COMMON_CIPHER));
      assertFalse(report.hasFinding(Code.LOCAL_PROTOCOL_DISABLED));
      // Safari still offers 3DES last; Chrome does not.
      assertTrue(prediction(report, "safari").compatible());
      Finding chrome = only(report, Code.CLIENT_INCOMPATIBLE);
      assertEquals("chrome", chrome.evidence().get("profile"));
      assertEquals("NO_COMMON_CIPHER", chrome.evidence().get("reason"));
    }
  }

  @Test
  void tls13OnlyServer_isIncompatibleForIe11AndJava7_butNotForThisJvm() {
    try (TlsServer server = TlsServer.builder().certificate(leaf).protocols("TLSv1.3").start()) {
      Report report = inspect(server.port(), new BcProbe(),
          Set.of("ie11-win7", "ie11-win81", "java-7", "jdk-8", "jdk-17", "this-jvm"), false);
      assertEquals(List.of("TLSv1.3"), report.protocols(), report::summary);
      List<Finding> incompatible = findings(report, Code.CLIENT_INCOMPATIBLE);
      assertEquals(Set.of("ie11-win7", "ie11-win81", "java-7", "jdk-8"),
          Set.copyOf(incompatible.stream().map(f -> f.evidence().get("profile")).toList()));
      for (Finding f : incompatible) {
        assertEquals(Severity.HIGH, f.severity());
        assertEquals("NO_COMMON_VERSION", f.evidence().get("reason"));
        assertEquals(List.of("TLSv1.3"), f.evidence().get("serverVersions"));
        assertTrue(((String) f.evidence().get("detail")).contains("TLSv1.3"));
      }
      Finding java7 = incompatible.stream().filter(f -> f.evidence().get("profile").equals("java-7")).findFirst().orElseThrow();
      assertEquals(List.of("TLSv1"), java7.evidence().get("clientVersions"));
      assertTrue(prediction(report, "this-jvm").compatible());
      assertTrue(prediction(report, "jdk-17").compatible());
      assertFalse(report.hasFinding(Code.NO_COMMON_PROTOCOL));
      assertFalse(report.hasFinding(Code.LOCAL_PROTOCOL_DISABLED));
      assertEquals(Verdict.FAIL, report.verdict(), "CLIENT_INCOMPATIBLE is HIGH");
    }
  }

  @Test
  void defaultOptions_predictThisJvmOnly() {
    try (TlsServer server = TlsServer.builder().certificate(leaf).protocols("TLSv1.3").start()) {
      InspectOptions options = InspectOptions.builder().trust(trust).timeout(Duration.ofSeconds(10)).build();
      Report report = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> TlsInspector.builder()
          .probe(new BcProbe()).options(options).build()
          .inspect(Target.builder("localhost", server.port()).connectAddress("127.0.0.1").build()));
      assertEquals(List.of(ClientProfiles.THIS_JVM), report.clients().stream().map(ClientPrediction::profile).toList());
      assertFalse(report.hasFinding(Code.CLIENT_INCOMPATIBLE), "IE 11 and Java 7 are not selected by default");
    }
  }
}
