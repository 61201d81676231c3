package dev.tlsinspect;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A certificate as shown in reports: the facts a person needs to find and replace it.
 *
 * @param subject the subject DN (RFC 2253)
 * @param issuer the issuer DN (RFC 2253)
 * @param serialNumber the serial number, hexadecimal
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param sha256 the SHA-256 fingerprint of the DER encoding, colon-separated hex
 * @param subjectAltNames the SANs as {@code DNS:name} or {@code IP:address}
 * @param publicKey the key, for example {@code RSA 2048} or {@code EC 256}
 * @param signatureAlgorithm the signature algorithm, for example {@code SHA256withRSA}
 * @param selfSigned whether subject and issuer are the same
 * @param ca whether it is a CA certificate (basicConstraints CA:true)
 * @since 0.1.0
 */
public record CertificateInfo(
    String subject,
    String issuer,
    String serialNumber,
    Instant notBefore,
    Instant notAfter,
    String sha256,
    List<String> subjectAltNames,
    String publicKey,
    String signatureAlgorithm,
    boolean selfSigned,
    boolean ca) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   */
  public CertificateInfo {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(serialNumber, "serialNumber");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(sha256, "sha256");
    subjectAltNames = List.copyOf(subjectAltNames);
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
  }

  /**
   * Describes a certificate.
   *
   * @param cert the certificate
   * @return its description
   * @since 0.1.0
   */
  public static CertificateInfo of(X509Certificate cert) {
    return new CertificateInfo(
        cert.getSubjectX500Principal().getName(),
        cert.getIssuerX500Principal().getName(),
        cert.getSerialNumber().toString(16),
        cert.getNotBefore().toInstant(),
        cert.getNotAfter().toInstant(),
        fingerprint(cert),
        subjectAltNames(cert),
        describeKey(cert.getPublicKey()),
        cert.getSigAlgName(),
        cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal()),
        cert.getBasicConstraints() >= 0);
  }

  /**
   * The SHA-256 fingerprint of a certificate, colon-separated upper-case hex.
   *
   * @param cert the certificate
   * @return the fingerprint
   * @since 0.1.0
   */
  public static String fingerprint(X509Certificate cert) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint certificate: " + e.getMessage(), e);
    }
  }

  /**
   * The SANs of a certificate as {@code DNS:name}, {@code IP:address}, {@code EMAIL:...},
   * {@code URI:...} or {@code OTHER:type}.
   *
   * @param cert the certificate
   * @return the names, empty when it has none or they cannot be parsed
   * @since 0.1.0
   */
  public static List<String> subjectAltNames(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    Collection<List<?>> sans;
    try {
      sans = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return List.of();
    }
    if (sans == null) {
      return List.of();
    }
    for (List<?> san : sans) {
      int type = (Integer) san.get(0);
      Object value = san.get(1);
      String prefix = switch (type) {
        case 1 -> "EMAIL:";
        case 2 -> "DNS:";
        case 6 -> "URI:";
        case 7 -> "IP:";
        default -> "OTHER:" + type + ":";
      };
      out.add(prefix + (value instanceof String s ? s : "<binary>"));
    }
    return out;
  }

  /**
   * A key as algorithm and size, for example {@code RSA 2048}, {@code EC 256}, {@code Ed25519}.
   *
   * @param key the public key
   * @return the description
   * @since 0.1.0
   */
  public static String describeKey(PublicKey key) {
    int bits = keySize(key);
    return bits > 0 ? key.getAlgorithm() + " " + bits : key.getAlgorithm();
  }

  /**
   * The size of a key in bits: the modulus for RSA and DSA, the order for EC.
   *
   * @param key the public key
   * @return the size, or 0 when not known
   * @since 0.1.0
   */
  public static int keySize(PublicKey key) {
    if (key instanceof RSAKey rsa) {
      return rsa.getModulus().bitLength();
    }
    if (key instanceof ECKey ec) {
      return ec.getParams().getOrder().bitLength();
    }
    if (key instanceof DSAKey dsa && dsa.getParams() != null) {
      return dsa.getParams().getP().bitLength();
    }
    return 0;
  }
}
