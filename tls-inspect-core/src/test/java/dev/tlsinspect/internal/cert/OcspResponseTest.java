package dev.tlsinspect.internal.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OCSP parser on responses built with Bouncy Castle. */
class OcspResponseTest {
  private static final RevocationPki PKI = new RevocationPki("OCSP Test CA");
  private static final X509Certificate LEAF = PKI.leaf("leaf.test", "http://127.0.0.1:9/ocsp", null);

  private static OcspResponse.Basic basic(byte[] der) throws Exception {
    OcspResponse r = OcspResponse.parse(der);
    assertTrue(r.successful());
    return r.basic().orElseThrow();
  }

  @Test
  void good_isParsedMatchedAndVerified() throws Exception {
    OcspResponse.Basic b = basic(PKI.response(LEAF, PKI.ocsp()));
    OcspResponse.Single s = b.find(LEAF, PKI.ca).orElseThrow();
    assertEquals(OcspResponse.Status.GOOD, s.status());
    assertEquals(OcspResponse.SHA1_OID, s.certId().hashAlgorithm());
    assertEquals(LEAF.getSerialNumber(), s.certId().serialNumber());
    assertTrue(s.nextUpdate().isPresent());
    assertEquals(PKI.ca.getSubjectX500Principal(), b.responderName().orElseThrow());
    assertEquals(PKI.ca, b.signer(PKI.ca, Instant.now()).orElseThrow());
  }

  @Test
  void revoked_withReason() throws Exception {
    Instant when = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    OcspResponse.Single s = basic(PKI.response(LEAF, PKI.ocsp().revoked(when, 1)))
        .find(LEAF, PKI.ca).orElseThrow();
    assertEquals(OcspResponse.Status.REVOKED, s.status());
    assertEquals(when, s.revocationTime().orElseThrow());
    assertEquals(1, s.reason().orElseThrow());
    assertEquals("keyCompromise", OcspResponse.reasonName(s.reason().get()));
  }

  @Test
  void unknown() throws Exception {
    assertEquals(OcspResponse.Status.UNKNOWN,
        basic(PKI.response(LEAF, PKI.ocsp().unknown())).find(LEAF, PKI.ca).orElseThrow().status());
  }

  @Test
  void sha256CertId_matches() throws Exception {
    RevocationPki.Ocsp o = PKI.ocsp();
    o.sha256 = true;
    OcspResponse.Single s = basic(PKI.response(LEAF, o)).find(LEAF, PKI.ca).orElseThrow();
    assertEquals(OcspResponse.SHA256_OID, s.certId().hashAlgorithm());
  }

  @Test
  void otherSerial_orOtherIssuer_doesNotMatch() throws Exception {
    RevocationPki.Ocsp o = PKI.ocsp();
    o.serial = LEAF.getSerialNumber().add(BigInteger.ONE);
    assertTrue(basic(PKI.response(LEAF, o)).find(LEAF, PKI.ca).isEmpty());
    RevocationPki other = new RevocationPki("OCSP Test CA"); // same name, other key
    assertTrue(basic(PKI.response(LEAF, PKI.ocsp())).find(LEAF, other.ca).isEmpty());
  }

  @Test
  void delegatedResponder_withOcspSigning_isAccepted_withoutIt_isNot() throws Exception {
    KeyPair key = RevocationPki.key();
    RevocationPki.Ocsp o = PKI.ocsp();
    o.signer = key.getPrivate();
    o.responderCert = PKI.responder(key, true);
    o.included = new X509Certificate[] {o.responderCert};
    OcspResponse.Basic b = basic(PKI.response(LEAF, o));
    assertEquals(o.responderCert, b.signer(PKI.ca, Instant.now()).orElseThrow());
    assertEquals(1, b.certs().size());

    o.responderCert = PKI.responder(key, false);
    o.included = new X509Certificate[] {o.responderCert};
    assertTrue(basic(PKI.response(LEAF, o)).signer(PKI.ca, Instant.now()).isEmpty());
  }

  @Test
  void badSignature_isNotVerified() throws Exception {
    RevocationPki.Ocsp o = PKI.ocsp();
    o.signer = RevocationPki.key().getPrivate();
    assertTrue(basic(PKI.response(LEAF, o)).signer(PKI.ca, Instant.now()).isEmpty());
    // a flipped byte in the signed data
    byte[] der = PKI.response(LEAF, PKI.ocsp());
    OcspResponse.Basic good = basic(der);
    byte[] tbs = good.tbsResponseData();
    int at = indexOf(der, tbs) + tbs.length - 3;
    der[at] ^= 1;
    OcspResponse.Basic tampered = basic(der);
    assertFalse(tampered.verifies(PKI.ca.getPublicKey()));
  }

  @Test
  void stale_keepsItsDates() throws Exception {
    RevocationPki.Ocsp o = PKI.ocsp();
    o.thisUpdate = Instant.now().minus(10, ChronoUnit.DAYS);
    o.nextUpdate = Instant.now().minus(3, ChronoUnit.DAYS);
    OcspResponse.Single s = basic(PKI.response(LEAF, o)).find(LEAF, PKI.ca).orElseThrow();
    assertTrue(s.nextUpdate().orElseThrow().isBefore(Instant.now()));
  }

  @Test
  void errorStatus_hasNoBasicResponse() throws Exception {
    OcspResponse r = OcspResponse.parse(RevocationPki.errorResponse(3));
    assertFalse(r.successful());
    assertEquals("tryLater", OcspResponse.statusName(r.responseStatus()));
  }

  @Test
  void request_isWhatBouncyCastleReads() throws Exception {
    byte[] der = OcspResponse.request(LEAF, PKI.ca);
    var req = new org.bouncycastle.cert.ocsp.OCSPReq(der);
    var id = req.getRequestList()[0].getCertID();
    assertEquals(LEAF.getSerialNumber(), id.getSerialNumber());
    assertTrue(id.matchesIssuer(new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(PKI.ca),
        new org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder().build()));
  }

  @Test
  void garbage_isMalformed() {
    for (byte[] bad : List.of(new byte[0], new byte[] {0x30}, new byte[] {0x30, (byte) 0x80, 0, 0},
        new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},
        new byte[] {0x30, 0x03, 0x0a, 0x01, 0x00})) {
      assertThrows(Der.MalformedException.class, () -> OcspResponse.parse(bad), Arrays.toString(bad));
    }
  }

  @Test
  void truncations_areMalformed() {
    byte[] der = PKI.response(LEAF, PKI.ocsp());
    for (int n = 0; n < der.length; n += 7) {
      byte[] cut = Arrays.copyOf(der, n);
      assertThrows(Der.MalformedException.class, () -> OcspResponse.parse(cut));
    }
  }

  @Test
  void derReader_decodesOidsIntegersAndTimes() throws Exception {
    assertEquals("1.3.6.1.5.5.7.48.1.1", Der.parse(Der.oidBytes("1.3.6.1.5.5.7.48.1.1")).oid());
    assertEquals("2.999.3", Der.parse(Der.oidBytes("2.999.3")).oid());
    assertEquals(BigInteger.valueOf(-129), Der.parse(Der.tlv(Der.INTEGER,
        BigInteger.valueOf(-129).toByteArray())).integer());
    byte[] time = Der.tlv(Der.GENERALIZED_TIME, "20240102030405.5Z".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(Instant.parse("2024-01-02T03:04:05.500Z"), Der.parse(time).generalizedTime());
    byte[] deep = new byte[0];
    for (int i = 0; i < Der.MAX_DEPTH + 2; i++) {
      deep = Der.tlv(Der.SEQUENCE, deep);
    }
    Der.Value v = Der.parse(deep);
    assertThrows(Der.MalformedException.class, () -> {
      Der.Value cur = v;
      while (true) {
        cur = cur.children().next();
      }
    });
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
