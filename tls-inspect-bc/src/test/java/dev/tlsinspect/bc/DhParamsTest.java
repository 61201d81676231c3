package dev.tlsinspect.bc;

import static dev.tlsinspect.testing.ReportAssert.findings;
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
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.BcTlsServer;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.bouncycastle.tls.crypto.DHGroup;
import org.bouncycastle.tls.crypto.DHStandardGroups;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DHE parameters captured from the ServerKeyExchange and judged: WEAK_DH, DH_PARAMS_INSECURE. */
class DhParamsTest {
  private static final CipherSuite DHE_RSA_AES128_GCM = CipherSuite.of(0x009E);
  private static IssuedCertificate root;
  private static IssuedCertificate leaf;
  private static TlsInspector inspector;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("tls-inspect Test Root").build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(root).build();
    inspector = TlsInspector.builder().probe(new BcProbe())
        .options(InspectOptions.builder().trust(TrustMaterial.certificates(List.of(root.certificate())))
            .timeout(Duration.ofSeconds(20)).build())
        .build();
  }

  private static Report inspect(BcTlsServer.Builder server) {
    try (BcTlsServer s = server.certificate(leaf).versions(TlsVersion.TLS_1_2)
        .cipherSuites(DHE_RSA_AES128_GCM).start()) {
      Target t = Target.builder("localhost", s.port()).connectAddress("127.0.0.1").build();
      return assertTimeoutPreemptively(Duration.ofSeconds(40), () -> inspector.inspect(t));
    }
  }

  @Test
  void group1024_isWeakDh() {
    DHGroup g = DHStandardGroups.rfc2409_1024;
    Report report = inspect(BcTlsServer.builder().dhGroup(g.getP(), g.getG()));
    List<Finding> weak = findings(report, Code.WEAK_DH);
    assertEquals(1, weak.size(), report::summary);
    assertEquals(Severity.HIGH, weak.get(0).severity());
    assertEquals(1024L, weak.get(0).evidence().get("bits"));
    assertFalse(report.hasFinding(Code.DH_PARAMS_INSECURE), "a well-known safe prime: " + report.summary());
  }

  @Test
  void ffdhe2048_isFine() throws Exception {
    // The Mozilla file, DER DHParameter: SEQUENCE { INTEGER p, INTEGER g }
    String pem = mozillaFfdhe2048();
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    org.bouncycastle.asn1.ASN1Sequence seq = org.bouncycastle.asn1.ASN1Sequence.getInstance(der);
    BigInteger p = org.bouncycastle.asn1.ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
    BigInteger g = org.bouncycastle.asn1.ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
    assertEquals(DHStandardGroups.rfc7919_ffdhe2048.getP(), p);
    Report report = inspect(BcTlsServer.builder().dhGroup(p, g));
    assertFalse(report.hasFinding(Code.WEAK_DH), report::summary);
    assertFalse(report.hasFinding(Code.DH_PARAMS_INSECURE), report::summary);
    assertEquals(List.of("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"), report.cipherSuites().get("TLSv1.2"));
  }

  /** The Mozilla ffdhe2048 file, from test resources (with the Mozilla data's provenance note). */
  private static String mozillaFfdhe2048() throws IOException {
    try (InputStream in = DhParamsTest.class.getResourceAsStream("/mozilla/ffdhe2048.txt")) {
      if (in == null) {
        return org.junit.jupiter.api.Assertions.fail(
            "not on the test class path: /mozilla/ffdhe2048.txt (tls-inspect-bc/src/test/resources)");
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  @Test
  void nonSafePrime_isDhParamsInsecure() {
    BigInteger p = BigInteger.probablePrime(2048, new Random(4));
    assertFalse(p.subtract(BigInteger.ONE).shiftRight(1).isProbablePrime(32));
    Report report = inspect(BcTlsServer.builder().dhGroup(p, BigInteger.TWO));
    List<Finding> bad = findings(report, Code.DH_PARAMS_INSECURE);
    assertEquals(1, bad.size(), report::summary);
    assertEquals(Severity.HIGH, bad.get(0).severity());
    assertEquals(2048L, bad.get(0).evidence().get("bits"));
    assertTrue(bad.get(0).evidence().get("problems").toString().contains("not a safe prime"),
        bad.get(0).evidence()::toString);
    assertFalse(report.hasFinding(Code.WEAK_DH));
  }
}
