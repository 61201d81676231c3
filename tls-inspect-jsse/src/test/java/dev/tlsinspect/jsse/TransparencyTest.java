package dev.tlsinspect.jsse;

import static dev.tlsinspect.testing.ReportAssert.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CERT_NO_SCT and MUST_STAPLE_NOT_STAPLED on real loopback servers: an in-JVM JSSE server (which
 * staples nothing without a JVM-global property) and {@code openssl s_server -status_file} (which
 * staples the OCSP response it is given). The test root stands for a public root by being the
 * reference trust store; with the default reference (the JDK's cacerts) it is a private CA.
 */
class TransparencyTest {
  private static final Duration GUARD = Duration.ofSeconds(30); // hang guard only
  private static final String OCSP_SCT_LIST = "1.3.6.1.4.1.11129.2.4.5";
  private static IssuedCertificate root;
  private static IssuedCertificate privateRoot;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("Transparency Test Root").build();
    privateRoot = CertificateBuilder.root("Transparency Private Root").build();
  }

  /**
   * The application trusts the test root and a private root; when {@code publicRoot}, the
   * reference store (the stand-in for the public roots) holds the test root alone, else it is the
   * default, the JDK's cacerts, which holds neither.
   */
  private static InspectOptions options(boolean publicRoot) {
    InspectOptions.Builder b = InspectOptions.builder()
        .trust(TrustMaterial.certificates(List.of(root.certificate(), privateRoot.certificate())))
        .timeout(Duration.ofSeconds(10))
        .quick(true);
    if (publicRoot) {
      b.referenceTrust(TrustMaterial.certificates(List.of(root.certificate())));
    }
    return b.build();
  }

  private static Report inspect(int port, InspectOptions options) {
    TlsInspector inspector = TlsInspector.builder().probe(new JsseProbe()).options(options).build();
    Target t = Target.builder("localhost", port).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(GUARD, () -> inspector.inspect(t, options));
  }

  private static Report inspectJsse(IssuedCertificate leaf, boolean publicRoot) {
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      return inspect(server.port(), options(publicRoot));
    }
  }

  // --- CERT_NO_SCT ----------------------------------------------------------------------------

  @Test
  void publicLeafWithoutScts_isCertNoSct_medium() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(root).build();
    Report report = inspectJsse(leaf, true);
    Finding f = only(report, Code.CERT_NO_SCT);
    assertEquals(Severity.MEDIUM, f.severity());
    assertEquals(0L, f.evidence().get("embeddedScts"));
    assertEquals(false, f.evidence().get("ocspScts"));
    assertEquals(true, f.evidence().get("publicRoot"));
    assertEquals(leaf.certificate().getSubjectX500Principal().getName(), f.evidence().get("leafSubject"));
    assertFalse(f.rootCause());
  }

  @Test
  void publicLeafWithEmbeddedScts_isNoFinding() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(root).embeddedScts(2).build();
    Report report = inspectJsse(leaf, true);
    assertFalse(report.hasFinding(Code.CERT_NO_SCT), report::summary);
  }

  @Test
  void privateCaLeafWithoutScts_isNoFinding() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(root).build();
    Report report = inspectJsse(leaf, false);
    assertFalse(report.hasFinding(Code.CERT_NO_SCT), "the JDK's cacerts does not hold the test root: "
        + report.summary());
  }

  @Test
  void referenceStoreThatIsTheApplicationsOwn_isNoFinding() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(root).build();
    TrustMaterial own = TrustMaterial.certificates(List.of(root.certificate()));
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      Report report = inspect(server.port(), InspectOptions.builder().trust(own).referenceTrust(own)
          .timeout(Duration.ofSeconds(10)).quick(true).build());
      assertFalse(report.hasFinding(Code.CERT_NO_SCT), "a private PKI compared with itself: " + report.summary());
    }
  }

  // --- MUST_STAPLE_NOT_STAPLED -----------------------------------------------------------------

  @Test
  void mustStapleWithoutStaple_isHigh() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(root).embeddedScts(2)
        .mustStaple().build();
    Report report = inspectJsse(leaf, false);
    Finding f = only(report, Code.MUST_STAPLE_NOT_STAPLED);
    assertEquals(Severity.HIGH, f.severity());
    assertEquals("status_request", f.evidence().get("tlsFeature"));
    assertEquals(0L, f.evidence().get("stapledResponses"));
    assertFalse(f.rootCause(), "Java ignores must-staple: the handshake works");
  }

  @Test
  void noMustStaple_noStaple_isNoFinding() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(root).build();
    assertFalse(inspectJsse(leaf, false).hasFinding(Code.MUST_STAPLE_NOT_STAPLED));
  }

  /**
   * openssl staples a good response: must-staple is honoured, and the SCTs in the response count;
   * the same response without SCTs leaves a public leaf without any.
   */
  @Test
  void opensslStapling_honoursMustStaple_andCarriesScts(@TempDir Path dir) throws Exception {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(root).mustStaple().build();
    Files.writeString(dir.resolve("leaf.pem"), leaf.toPem());
    Files.writeString(dir.resolve("key.pem"), leaf.privateKeyPem());

    Files.write(dir.resolve("ocsp.der"), goodResponse(leaf, true));
    Report withScts = withOpenssl(dir, options(true));
    assertFalse(withScts.hasFinding(Code.MUST_STAPLE_NOT_STAPLED), withScts::summary);
    assertFalse(withScts.hasFinding(Code.CERT_NO_SCT), withScts::summary);
    assertEquals(1, withScts.outcomes().get(0).observation().orElseThrow().stapledOcsp().size());

    Files.write(dir.resolve("ocsp.der"), goodResponse(leaf, false));
    Report withoutScts = withOpenssl(dir, options(true));
    assertFalse(withoutScts.hasFinding(Code.MUST_STAPLE_NOT_STAPLED), withoutScts::summary);
    assertEquals(Severity.MEDIUM, only(withoutScts, Code.CERT_NO_SCT).severity());
  }

  private static byte[] goodResponse(IssuedCertificate leaf, boolean scts) throws Exception {
    CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
        .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(root.certificate()),
        leaf.certificate().getSerialNumber());
    BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(
        new JcaX509CertificateHolder(root.certificate()).getSubject()));
    Instant now = Instant.now();
    Extensions single = scts ? new Extensions(new Extension(new ASN1ObjectIdentifier(OCSP_SCT_LIST), false,
        new DEROctetString(CertificateBuilder.sctList(2)).getEncoded())) : null;
    b.addResponse(id, CertificateStatus.GOOD, Date.from(now.minusSeconds(60)),
        Date.from(now.plus(1, ChronoUnit.DAYS)), single);
    return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL,
        b.build(new JcaContentSignerBuilder("SHA256withRSA").build(root.privateKey()), null,
            Date.from(now))).getEncoded();
  }

  private static Report withOpenssl(Path dir, InspectOptions options) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    List<String> command = List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port,
        "-cert", "leaf.pem", "-key", "key.pem", "-status_file", "ocsp.der", "-www", "-quiet");
    Process openssl;
    try {
      openssl = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("openssl.log").toFile()).start();
    } catch (IOException e) {
      if (!"true".equals(System.getenv("CI"))) {
        Assumptions.abort("openssl not found: " + e.getMessage());
      }
      throw new AssertionError("this test needs the openssl command line tool (OpenSSL 3) on the "
          + "PATH to staple OCSP; install it (apt-get install openssl); .ci/run does: " + e.getMessage(), e);
    }
    try {
      assertTimeoutPreemptively(GUARD, () -> {
        while (true) {
          if (!openssl.isAlive()) {
            fail("openssl s_server exited with " + openssl.exitValue());
          }
          try {
            new Socket("127.0.0.1", port).close();
            return;
          } catch (IOException notYet) {
            Thread.sleep(50);
          }
        }
      });
      return inspect(port, options);
    } finally {
      openssl.destroy();
      if (!openssl.waitFor(10, TimeUnit.SECONDS)) {
        openssl.destroyForcibly();
      }
    }
  }
}
