package dev.tlsinspect.bc;

import static dev.tlsinspect.testing.ReportAssert.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS 1.3-only {@code openssl s_server} with an RSA and an ECDSA certificate chooses one by the
 * client's signature_algorithms (checked with {@code s_client -sigalgs}: ECDSA+SHA256 alone gets
 * the ECDSA leaf, RSA-PSS first gets the RSA one). No TLS 1.2 suite tells them apart, so the
 * second certificate is found by the signature-scheme handshakes of the feature phase, reported
 * as CERT_ALTERNATE and judged like the main one. A single-certificate server has no such finding.
 */
class Tls13AlternateCertificateTest {
  @TempDir
  static Path dir;
  static IssuedCertificate root;

  @BeforeAll
  static void pki() throws Exception {
    root = CertificateBuilder.root("TLS 1.3 Alternate Root").build();
    IssuedCertificate rsaExpired = CertificateBuilder.leaf("localhost").issuedBy(root).expired().build();
    IssuedCertificate ec = CertificateBuilder.leaf("localhost").issuedBy(root).ec("secp256r1").build();
    Files.writeString(dir.resolve("rsa.pem"), rsaExpired.toPem());
    Files.writeString(dir.resolve("rsa.key"), rsaExpired.privateKeyPem());
    Files.writeString(dir.resolve("ec.pem"), ec.toPem());
    Files.writeString(dir.resolve("ec.key"), ec.privateKeyPem());
  }

  private static ExternalServer server(String... certificates) throws Exception {
    ExternalServer.require("openssl", "openssl");
    return ExternalServer.start(dir, port -> {
      List<String> cmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port,
          "-tls1_3", "-www", "-quiet"));
      cmd.addAll(List.of(certificates));
      return cmd;
    });
  }

  private static Report inspect(int port) {
    InspectOptions options = InspectOptions.builder()
        .trust(TrustMaterial.certificates(List.of(root.certificate())))
        .timeout(Duration.ofSeconds(20)).build();
    TlsInspector inspector = TlsInspector.builder().options(options).build();
    Target t = Target.builder("localhost", port).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> inspector.inspect(t, options));
  }


  @Test
  void rsaAndEcdsaCertificates_tls13Only_bothReported_andEachJudged() throws Exception {
    // The ECDSA certificate is valid, the RSA one expired: clients offering only RSA schemes get it.
    try (ExternalServer s = server("-cert", "ec.pem", "-key", "ec.key", "-dcert", "rsa.pem", "-dkey", "rsa.key")) {
      Report report = inspect(s.port);
      assertEquals(List.of("TLSv1.3"), report.protocols(), report::summary);
      assertTrue(report.certificateChain().get(0).publicKey().startsWith("EC"),
          "JSSE lists ECDSA schemes first: " + report.certificateChain().get(0));
      Finding other = only(report, Code.CERT_ALTERNATE);
      assertEquals(Severity.INFO, other.severity());
      assertEquals("RSA", other.evidence().get("keyType"), report::summary);
      Finding expired = only(report, Code.CERT_EXPIRED);
      assertEquals(Severity.CRITICAL, expired.severity());
      assertEquals("RSA", expired.evidence().get("certificateKeyType"), expired::toString);
      assertEquals(other.evidence().get("leafSha256"), expired.evidence().get("leafSha256"));
      assertFalse(expired.rootCause(), "the main handshake did not see it");
    }
  }

  @Test
  void oneCertificate_tls13Only_noAlternate() throws Exception {
    try (ExternalServer s = server("-cert", "ec.pem", "-key", "ec.key")) {
      Report report = inspect(s.port);
      assertEquals(List.of("TLSv1.3"), report.protocols(), report::summary);
      assertFalse(report.hasFinding(Code.CERT_ALTERNATE), () -> report.findings().toString());
      assertFalse(report.hasFinding(Code.CERT_EXPIRED), () -> report.findings().toString());
    }
  }
}
