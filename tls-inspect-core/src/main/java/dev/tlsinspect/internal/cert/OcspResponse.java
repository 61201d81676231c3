package dev.tlsinspect.internal.cert;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * An OCSP response (RFC 6960) as parsed from DER, with the basic response's fields, and the rules
 * to verify its signature and find the entry of one certificate. Not API.
 *
 * @param responseStatus 0 successful, 1 malformedRequest, 2 internalError, 3 tryLater,
 *     5 sigRequired, 6 unauthorized
 * @param basic the basic response; present only when the status is successful
 */
public record OcspResponse(int responseStatus, Optional<Basic> basic) {
  static final String BASIC_OID = "1.3.6.1.5.5.7.48.1.1";
  static final String OCSP_SIGNING_EKU = "1.3.6.1.5.5.7.3.9";
  static final String SHA1_OID = "1.3.14.3.2.26";
  static final String SHA256_OID = "2.16.840.1.101.3.4.2.1";
  /** Clock skew tolerated between responder and this machine. */
  static final Duration SKEW = Duration.ofMinutes(5);

  private static final Map<String, String> HASHES = Map.of(
      SHA1_OID, "SHA-1", SHA256_OID, "SHA-256",
      "2.16.840.1.101.3.4.2.2", "SHA-384", "2.16.840.1.101.3.4.2.3", "SHA-512");
  private static final Map<String, String> SIGNATURES = Map.ofEntries(
      Map.entry("1.2.840.113549.1.1.5", "SHA1withRSA"),
      Map.entry("1.2.840.113549.1.1.11", "SHA256withRSA"),
      Map.entry("1.2.840.113549.1.1.12", "SHA384withRSA"),
      Map.entry("1.2.840.113549.1.1.13", "SHA512withRSA"),
      Map.entry("1.2.840.113549.1.1.10", "RSASSA-PSS"),
      Map.entry("1.2.840.10045.4.1", "SHA1withECDSA"),
      Map.entry("1.2.840.10045.4.3.2", "SHA256withECDSA"),
      Map.entry("1.2.840.10045.4.3.3", "SHA384withECDSA"),
      Map.entry("1.2.840.10045.4.3.4", "SHA512withECDSA"),
      Map.entry("1.3.101.112", "Ed25519"),
      Map.entry("1.3.101.113", "Ed448"));

  /** The status of one certificate. */
  enum Status { GOOD, REVOKED, UNKNOWN }

  /**
   * The identifier of a certificate in OCSP.
   *
   * @param hashAlgorithm OID of the hash
   * @param issuerNameHash hash of the issuer's DER subject name
   * @param issuerKeyHash hash of the issuer's public key bits
   * @param serialNumber the certificate's serial number
   */
  record CertId(String hashAlgorithm, byte[] issuerNameHash, byte[] issuerKeyHash,
      BigInteger serialNumber) {

    /** Whether this identifies {@code cert} issued by {@code issuer}: serial and both hashes. */
    boolean matches(X509Certificate cert, X509Certificate issuer) {
      if (!serialNumber.equals(cert.getSerialNumber())) {
        return false;
      }
      String hash = HASHES.get(hashAlgorithm);
      if (hash == null) {
        return false;
      }
      try {
        return MessageDigest.isEqual(issuerNameHash,
                digest(hash, issuer.getSubjectX500Principal().getEncoded()))
            && MessageDigest.isEqual(issuerKeyHash, digest(hash, keyBits(issuer.getPublicKey())));
      } catch (GeneralSecurityException | Der.MalformedException e) {
        return false;
      }
    }
  }

  /**
   * One SingleResponse.
   *
   * @param certId the certificate it is about
   * @param status good, revoked or unknown
   * @param revocationTime when revoked
   * @param reason the CRLReason code when revoked and given
   * @param thisUpdate when the status was known to be correct
   * @param nextUpdate when newer information will be available
   */
  record Single(CertId certId, Status status, Optional<Instant> revocationTime,
      Optional<Integer> reason, Instant thisUpdate, Optional<Instant> nextUpdate) {}

  /**
   * The BasicOCSPResponse.
   *
   * @param tbsResponseData the signed bytes (the whole DER of ResponseData)
   * @param responderName the responder by name, when identified so
   * @param responderKeyHash the SHA-1 of the responder's key, when identified so
   * @param producedAt when the response was signed
   * @param responses the single responses
   * @param signatureAlgorithm OID of the signature algorithm
   * @param signatureParameters DER of the algorithm parameters, empty when absent or NULL
   * @param signature the signature bits
   * @param certs certificates included to help verify the signature
   */
  record Basic(byte[] tbsResponseData, Optional<X500Principal> responderName,
      Optional<byte[]> responderKeyHash, Instant producedAt, List<Single> responses,
      String signatureAlgorithm, Optional<byte[]> signatureParameters, byte[] signature,
      List<X509Certificate> certs) {

    /** The responder, for a report. */
    String responder() {
      return responderName.map(X500Principal::getName)
          .orElseGet(() -> "key SHA-1 " + java.util.HexFormat.of().formatHex(responderKeyHash.orElse(new byte[0])));
    }

    /** The entry for {@code cert} issued by {@code issuer}, if there is one. */
    Optional<Single> find(X509Certificate cert, X509Certificate issuer) {
      for (Single s : responses) {
        if (s.certId().matches(cert, issuer)) {
          return Optional.of(s);
        }
      }
      return Optional.empty();
    }

    /**
     * Who signed this response, or empty when neither the issuer nor an included delegated
     * responder (issued by the issuer, with EKU OCSPSigning, valid at {@code now}) did.
     */
    Optional<X509Certificate> signer(X509Certificate issuer, Instant now) {
      if (verifies(issuer.getPublicKey())) {
        return Optional.of(issuer);
      }
      for (X509Certificate c : certs) {
        if (!Certs.signedBy(c, issuer) || !ocspSigning(c)) {
          continue;
        }
        if (now.isBefore(c.getNotBefore().toInstant()) || now.isAfter(c.getNotAfter().toInstant())) {
          continue;
        }
        if (verifies(c.getPublicKey())) {
          return Optional.of(c);
        }
      }
      return Optional.empty();
    }

    boolean verifies(PublicKey key) {
      String name = SIGNATURES.get(signatureAlgorithm);
      if (name == null) {
        return false;
      }
      try {
        Signature sig = Signature.getInstance(name);
        if (name.equals("RSASSA-PSS")) {
          if (signatureParameters.isEmpty()) {
            return false;
          }
          AlgorithmParameters p = AlgorithmParameters.getInstance("RSASSA-PSS");
          p.init(signatureParameters.get());
          sig.setParameter(p.getParameterSpec(PSSParameterSpec.class));
        }
        sig.initVerify(key);
        sig.update(tbsResponseData);
        return sig.verify(signature);
      } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
        return false;
      }
    }
  }

  static boolean ocspSigning(X509Certificate c) {
    try {
      List<String> eku = c.getExtendedKeyUsage();
      return eku != null && eku.contains(OCSP_SIGNING_EKU);
    } catch (java.security.cert.CertificateParsingException e) {
      return false;
    }
  }

  /** Whether the status is successful (0). */
  boolean successful() {
    return responseStatus == 0 && basic.isPresent();
  }

  static String statusName(int status) {
    return switch (status) {
      case 0 -> "successful";
      case 1 -> "malformedRequest";
      case 2 -> "internalError";
      case 3 -> "tryLater";
      case 5 -> "sigRequired";
      case 6 -> "unauthorized";
      default -> "status " + status;
    };
  }

  static String reasonName(int reason) {
    return switch (reason) {
      case 0 -> "unspecified";
      case 1 -> "keyCompromise";
      case 2 -> "cACompromise";
      case 3 -> "affiliationChanged";
      case 4 -> "superseded";
      case 5 -> "cessationOfOperation";
      case 6 -> "certificateHold";
      case 8 -> "removeFromCRL";
      case 9 -> "privilegeWithdrawn";
      case 10 -> "aACompromise";
      default -> "reason " + reason;
    };
  }

  /**
   * Parses a DER OCSPResponse.
   *
   * @throws Der.MalformedException for anything that is not a well-formed response
   */
  static OcspResponse parse(byte[] der) throws Der.MalformedException {
    Der.Reader top = Der.parse(der).expect(Der.SEQUENCE).children();
    Der.Value status = top.next().expect(Der.ENUMERATED);
    int responseStatus = status.smallInt();
    if (!top.hasMore()) {
      top.end();
      if (responseStatus == 0) {
        throw new Der.MalformedException("successful response without responseBytes");
      }
      return new OcspResponse(responseStatus, Optional.empty());
    }
    Der.Reader bytes = top.next().expect(0xA0).explicit().expect(Der.SEQUENCE).children();
    top.end();
    String type = bytes.next().oid();
    byte[] response = bytes.next().octetString();
    bytes.end();
    if (!type.equals(BASIC_OID)) {
      throw new Der.MalformedException("response type " + type + " is not id-pkix-ocsp-basic");
    }
    if (responseStatus != 0) {
      return new OcspResponse(responseStatus, Optional.empty());
    }
    return new OcspResponse(0, Optional.of(parseBasic(response)));
  }

  private static Basic parseBasic(byte[] der) throws Der.MalformedException {
    Der.Reader basic = Der.parse(der).expect(Der.SEQUENCE).children();
    Der.Value tbs = basic.next().expect(Der.SEQUENCE);
    Der.Reader alg = basic.next().expect(Der.SEQUENCE).children();
    String sigAlg = alg.next().oid();
    Optional<byte[]> params = Optional.empty();
    if (alg.hasMore()) {
      Der.Value p = alg.next();
      if (p.tag() != Der.NULL) {
        params = Optional.of(p.encoded());
      }
    }
    alg.end();
    byte[] signature = basic.next().bitString();
    List<X509Certificate> certs = new ArrayList<>();
    if (basic.hasMore()) {
      Der.Reader list = basic.next().expect(0xA0).explicit().expect(Der.SEQUENCE).children();
      while (list.hasMore()) {
        certs.add(certificate(list.next().expect(Der.SEQUENCE).encoded()));
      }
    }
    basic.end();

    Der.Reader data = tbs.children();
    if (data.peekTag() == 0xA0) {
      int version = data.next().explicit().smallInt();
      if (version != 0) {
        throw new Der.MalformedException("ResponseData version " + version);
      }
    }
    Der.Value rid = data.next();
    Optional<X500Principal> byName = Optional.empty();
    Optional<byte[]> byKey = Optional.empty();
    if (rid.tag() == 0xA1) {
      byte[] name = rid.explicit().expect(Der.SEQUENCE).encoded();
      try {
        byName = Optional.of(new X500Principal(name));
      } catch (IllegalArgumentException e) {
        throw new Der.MalformedException("bad responder name");
      }
    } else if (rid.tag() == 0xA2) {
      byKey = Optional.of(rid.explicit().octetString());
    } else {
      throw new Der.MalformedException("bad ResponderID tag 0x" + Integer.toHexString(rid.tag()));
    }
    Instant producedAt = data.next().generalizedTime();
    Der.Reader responses = data.next().expect(Der.SEQUENCE).children();
    List<Single> singles = new ArrayList<>();
    while (responses.hasMore()) {
      singles.add(single(responses.next().expect(Der.SEQUENCE).children()));
    }
    if (data.hasMore()) {
      data.next().expect(0xA1); // responseExtensions: not interpreted
    }
    data.end();
    return new Basic(tbs.encoded(), byName, byKey, producedAt, List.copyOf(singles), sigAlg, params,
        signature, List.copyOf(certs));
  }

  private static Single single(Der.Reader r) throws Der.MalformedException {
    Der.Reader id = r.next().expect(Der.SEQUENCE).children();
    Der.Reader hashAlg = id.next().expect(Der.SEQUENCE).children();
    String hash = hashAlg.next().oid();
    if (hashAlg.hasMore()) {
      hashAlg.next(); // NULL parameters
    }
    hashAlg.end();
    byte[] nameHash = id.next().octetString();
    byte[] keyHash = id.next().octetString();
    BigInteger serial = id.next().expect(Der.INTEGER).integer();
    id.end();
    CertId certId = new CertId(hash, nameHash, keyHash, serial);

    Der.Value status = r.next();
    Status s;
    Optional<Instant> revoked = Optional.empty();
    Optional<Integer> reason = Optional.empty();
    switch (status.tag()) {
      case 0x80 -> s = Status.GOOD;
      case 0x82 -> s = Status.UNKNOWN;
      case 0xA1 -> {
        s = Status.REVOKED;
        Der.Reader info = status.children();
        revoked = Optional.of(info.next().generalizedTime());
        if (info.hasMore()) {
          reason = Optional.of(info.next().expect(0xA0).explicit().expect(Der.ENUMERATED).smallInt());
        }
        info.end();
      }
      default -> throw new Der.MalformedException("bad CertStatus tag 0x" + Integer.toHexString(status.tag()));
    }
    Instant thisUpdate = r.next().generalizedTime();
    Optional<Instant> nextUpdate = Optional.empty();
    if (r.peekTag() == 0xA0) {
      nextUpdate = Optional.of(r.next().explicit().generalizedTime());
    }
    if (r.peekTag() == 0xA1) {
      r.next(); // singleExtensions: not interpreted
    }
    r.end();
    return new Single(certId, s, revoked, reason, thisUpdate, nextUpdate);
  }

  private static X509Certificate certificate(byte[] der) throws Der.MalformedException {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new Der.MalformedException("bad certificate in the response: " + e.getMessage());
    }
  }

  // ---- requests ----

  /** A DER OCSPRequest for one certificate, CertID with SHA-1 (what responders all accept). */
  public static byte[] request(X509Certificate cert, X509Certificate issuer) throws Der.MalformedException {
    try {
      byte[] certId = Der.tlv(Der.SEQUENCE,
          Der.tlv(Der.SEQUENCE, Der.oidBytes(SHA1_OID), new byte[] {Der.NULL, 0}),
          Der.tlv(Der.OCTET_STRING, digest("SHA-1", issuer.getSubjectX500Principal().getEncoded())),
          Der.tlv(Der.OCTET_STRING, digest("SHA-1", keyBits(issuer.getPublicKey()))),
          Der.tlv(Der.INTEGER, cert.getSerialNumber().toByteArray()));
      byte[] request = Der.tlv(Der.SEQUENCE, certId);
      byte[] tbs = Der.tlv(Der.SEQUENCE, Der.tlv(Der.SEQUENCE, request));
      return Der.tlv(Der.SEQUENCE, tbs);
    } catch (GeneralSecurityException e) {
      throw new Der.MalformedException("cannot hash: " + e.getMessage());
    }
  }

  static byte[] digest(String algorithm, byte[] data) throws GeneralSecurityException {
    return MessageDigest.getInstance(algorithm).digest(data);
  }

  /** The subjectPublicKey bits of a key's SubjectPublicKeyInfo (what issuerKeyHash hashes). */
  static byte[] keyBits(PublicKey key) throws Der.MalformedException {
    Der.Reader spki = Der.parse(key.getEncoded()).expect(Der.SEQUENCE).children();
    spki.next().expect(Der.SEQUENCE);
    byte[] bits = spki.next().bitString();
    spki.end();
    return bits;
  }

  @Override
  public String toString() {
    return "OcspResponse[" + statusName(responseStatus) + basic.map(b -> ", responder=" + b.responder()
        + ", producedAt=" + b.producedAt() + ", " + b.responses().size() + " response(s)").orElse("")
        + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OcspResponse other && other.responseStatus == responseStatus
        && other.basic.isPresent() == basic.isPresent()
        && (basic.isEmpty() || Arrays.equals(basic.get().tbsResponseData(), other.basic.get().tbsResponseData()));
  }

  @Override
  public int hashCode() {
    return responseStatus;
  }
}
