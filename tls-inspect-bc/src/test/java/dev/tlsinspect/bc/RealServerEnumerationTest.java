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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enumeration answers that used to be wrong on real servers, and the named attacks derived from
 * them, against {@code openssl s_server} and {@code gnutls-serv} on loopback: a server whose only
 * curve is secp224r1, RFC 7919 groups negotiated in TLS 1.2, the DH group of anonymous suites,
 * TLS 1.0 with CBC. Each positive has a server that is fine in that respect beside it.
 */
class RealServerEnumerationTest {
  /** RFC 2409 group 2 (Oakley, 1024 bits), g = 2: the group of many old DHE configurations. */
  private static final BigInteger OAKLEY_2 = new BigInteger(
      "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879"
          + "8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B"
          + "0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF", 16);

  @TempDir
  static Path dir;
  private static TlsInspector inspector;

  @BeforeAll
  static void pki() throws IOException {
    IssuedCertificate root = CertificateBuilder.root("tls-inspect Test Root").build();
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(root).build();
    Files.writeString(dir.resolve("rsa.pem"), leaf.toPem());
    Files.writeString(dir.resolve("rsa.key"), leaf.privateKeyPem());
    IssuedCertificate ecdsa = CertificateBuilder.leaf("localhost").issuedBy(root).ec("secp256r1").build();
    Files.writeString(dir.resolve("ec.pem"), ecdsa.toPem());
    Files.writeString(dir.resolve("ec.key"), ecdsa.privateKeyPem());
    IssuedCertificate expiredRsa = CertificateBuilder.leaf("localhost").issuedBy(root).expired().build();
    Files.writeString(dir.resolve("expired-rsa.pem"), expiredRsa.toPem());
    Files.writeString(dir.resolve("expired-rsa.key"), expiredRsa.privateKeyPem());
    Files.writeString(dir.resolve("dh1024.pem"), "-----BEGIN DH PARAMETERS-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(dhParameters(OAKLEY_2, BigInteger.TWO))
        + "\n-----END DH PARAMETERS-----\n");
    inspector = TlsInspector.builder()
        .probe(new BcProbe())
        .options(InspectOptions.builder()
            .trust(TrustMaterial.certificates(List.of(root.certificate())))
            .timeout(Duration.ofSeconds(15))
            .build())
        .build();
  }

  private static ExternalServer openssl(String... extra) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of("openssl", "s_server",
        "-accept", "127.0.0.1:{port}", "-cert", "rsa.pem", "-key", "rsa.key", "-www", "-quiet"));
    command.addAll(List.of(extra));
    return ExternalServer.start(dir, command.toArray(String[]::new));
  }

  private static Report inspect(ExternalServer server) {
    Target t = Target.builder("localhost", server.port()).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> inspector.inspect(t), server::toString);
  }

  @Test
  void onlyDeprecatedCurves_areEnumerated_withTheirEcdheSuites_andForwardSecrecy() throws IOException {
    try (ExternalServer server = openssl("-no_tls1_3", "-groups", "secp224r1:secp192r1",
        "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0")) {
      Report report = inspect(server);
      assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), report.cipherSuites().get("TLSv1.2"),
          report::summary);
      assertEquals(Set.of("secp224r1", "secp192r1"), Set.copyOf(report.namedGroups()), report::summary);
      assertFalse(report.hasFinding(Code.NO_FORWARD_SECRECY), report::summary);
    }
  }

  @Test
  void ffdheGroupsNegotiatedInTls12_byGnutls_areListed() throws IOException {
    try (ExternalServer server = ExternalServer.start(dir, "gnutls-serv", "--port", "{port}",
        "--x509certfile", "rsa.pem", "--x509keyfile", "rsa.key", "--priority",
        "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+DHE-RSA:-GROUP-ALL:+GROUP-FFDHE3072:+GROUP-FFDHE4096")) {
      Report report = inspect(server);
      assertEquals(List.of("TLSv1.2"), report.protocols(), report::summary);
      assertEquals(Set.of("ffdhe3072", "ffdhe4096"), Set.copyOf(report.namedGroups()), report::summary);
      assertFalse(report.hasFinding(Code.WEAK_DH), report::summary);
      assertFalse(report.hasFinding(Code.LOGJAM), report::summary);
    }
  }

  @Test
  void anonymousDhWith1024Bits_isWeakDhAndLogjam_tls10Cbc_isBeast() throws IOException {
    try (ExternalServer server = openssl("-no_tls1_3", "-cipher", "ADH-AES128-SHA:@SECLEVEL=0",
        "-dhparam", "dh1024.pem")) {
      Report report = inspect(server);
      assertEquals(List.of("TLS_DH_anon_WITH_AES_128_CBC_SHA"), report.cipherSuites().get("TLSv1.2"),
          report::summary);
      Finding weak = only(report, Code.WEAK_DH);
      assertEquals(1024L, ((Number) weak.evidence().get("bits")).longValue());
      assertEquals("RFC 2409 group 2 (1024 bits)", weak.evidence().get("group"));
      assertFalse(report.hasFinding(Code.DH_GROUP), "the weak group is shown once, as WEAK_DH");
      Finding logjam = only(report, Code.LOGJAM);
      assertEquals(Severity.MEDIUM, logjam.severity());
      assertEquals("CVE-2015-4000", logjam.evidence().get("cve"));
      assertEquals(1024L, ((Number) logjam.evidence().get("bits")).longValue());
      assertTrue(report.protocols().contains("TLSv1"), report::summary);
      Finding beast = only(report, Code.BEAST);
      assertEquals(Severity.LOW, beast.severity());
      assertEquals("CVE-2011-3389", beast.evidence().get("cve"));
      assertEquals(List.of("TLS_DH_anon_WITH_AES_128_CBC_SHA"), beast.evidence().get("cipherSuites"));
      assertFalse(report.hasFinding(Code.POODLE), "OpenSSL 3 has no SSL 3.0");
      assertFalse(report.hasFinding(Code.DROWN), "nor SSL 2.0");
    }
  }

  @Test
  void dheWithOpensslsOwnGroup_isNoWeakDhNorLogjam_tls12Only_isNoBeast_andNoFfdheListed() throws IOException {
    try (ExternalServer server = openssl("-no_tls1_3", "-no_tls1", "-no_tls1_1",
        "-cipher", "DHE-RSA-AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256")) {
      Report report = inspect(server);
      assertEquals(List.of("TLSv1.2"), report.protocols(), report::summary);
      assertTrue(report.cipherSuites().get("TLSv1.2").contains("TLS_DHE_RSA_WITH_AES_128_CBC_SHA"),
          report::summary);
      for (Code c : List.of(Code.WEAK_DH, Code.LOGJAM, Code.BEAST, Code.SWEET32, Code.FREAK, Code.POODLE,
          Code.DROWN)) {
        assertFalse(report.hasFinding(c), c + ": " + report.summary());
      }
      assertTrue(report.namedGroups().stream().noneMatch(g -> g.startsWith("ffdhe")), report::summary);
      assertFalse(report.hasFinding(Code.CERT_ALTERNATE), "one certificate only");
      // A sound group is shown too, not only a weak one.
      Finding group = only(report, Code.DH_GROUP);
      assertEquals(Severity.INFO, group.severity());
      assertEquals(2048L, ((Number) group.evidence().get("bits")).longValue());
      assertEquals("RFC 3526 MODP group 14 (2048 bits)", group.evidence().get("group"));
      assertEquals(List.of("TLS_DHE_RSA_WITH_AES_128_CBC_SHA"), group.evidence().get("cipherSuites"));
    }
  }

  @Test
  void rsaAndEcdsaCertificates_bothReported_andEachJudged() throws IOException {
    // The ECDSA certificate is valid, the RSA one expired: clients offering only RSA suites get it.
    try (ExternalServer server = ExternalServer.start(dir, "openssl", "s_server", "-accept", "127.0.0.1:{port}",
        "-cert", "expired-rsa.pem", "-key", "expired-rsa.key", "-dcert", "ec.pem", "-dkey", "ec.key",
        "-no_tls1_3", "-www", "-quiet", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256")) {
      Report report = inspect(server);
      assertEquals(Set.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
          Set.copyOf(report.cipherSuites().get("TLSv1.2")), report::summary);
      assertTrue(report.certificateChain().get(0).publicKey().startsWith("EC"),
          "the provider's default offer prefers ECDSA suites: " + report.certificateChain().get(0));
      Finding other = only(report, Code.CERT_ALTERNATE);
      assertEquals(Severity.INFO, other.severity());
      assertEquals("RSA", other.evidence().get("keyType"), report::summary);
      Finding expired = only(report, Code.CERT_EXPIRED);
      assertEquals(Severity.CRITICAL, expired.severity());
      assertEquals("RSA", expired.evidence().get("certificateKeyType"), expired::toString);
      assertEquals(other.evidence().get("leafSha256"), expired.evidence().get("leafSha256"));
      assertFalse(expired.rootCause(), "the main handshake did not see it");
      assertTrue(expired.title().startsWith("(RSA certificate) "), expired.title());
    }
  }

  /** DER of PKCS #3 DHParameter: SEQUENCE { INTEGER p, INTEGER g }. */
  private static byte[] dhParameters(BigInteger p, BigInteger g) {
    byte[] body = concat(integer(p), integer(g));
    return concat(new byte[] {0x30}, length(body.length), body);
  }

  private static byte[] integer(BigInteger v) {
    byte[] value = v.toByteArray();
    return concat(new byte[] {0x02}, length(value.length), value);
  }

  private static byte[] length(int n) {
    if (n < 0x80) {
      return new byte[] {(byte) n};
    }
    return n < 0x100 ? new byte[] {(byte) 0x81, (byte) n} : new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
