package dev.tlsinspect.internal.cert;

import dev.tlsinspect.CertificateInfo;
import dev.tlsinspect.Finding;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Certificate helpers shared by the checks. Not API. */
public final class Certs {
  private Certs() {}

  /** "CN=x, O=y (serial 1f, SHA-256 AB:CD:...)": enough to find the certificate. */
  public static String describe(X509Certificate cert) {
    String subject = cert.getSubjectX500Principal().getName();
    return (subject.isEmpty() ? "<empty subject>" : subject) + " (serial "
        + cert.getSerialNumber().toString(16) + ", SHA-256 " + CertificateInfo.fingerprint(cert) + ")";
  }

  /**
   * Adds the identifying evidence of a certificate under a prefix.
   *
   * @param b the finding under construction
   * @param prefix the evidence keys' prefix, for example {@code leaf}
   * @param cert the certificate
   * @return the builder
   */
  public static Finding.Builder identify(Finding.Builder b, String prefix, X509Certificate cert) {
    return b.evidence(prefix + "Subject", cert.getSubjectX500Principal().getName())
        .evidence(prefix + "Issuer", cert.getIssuerX500Principal().getName())
        .evidence(prefix + "Serial", cert.getSerialNumber().toString(16))
        .evidence(prefix + "Sha256", CertificateInfo.fingerprint(cert));
  }

  public static boolean selfIssued(X509Certificate cert) {
    return cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal());
  }

  public static boolean selfSigned(X509Certificate cert) {
    if (!selfIssued(cert)) {
      return false;
    }
    return signedBy(cert, cert);
  }

  public static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
    if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      return false;
    }
    // Several checks ask the same question of the same chain, and a health check asks it again on
    // every run; a verified signature stays verified, so the answer is remembered (bounded).
    SignaturePair key = new SignaturePair(cert, issuer.getPublicKey());
    Boolean known = SIGNATURES.get(key);
    if (known != null) {
      return known;
    }
    boolean ok;
    try {
      cert.verify(issuer.getPublicKey());
      ok = true;
    } catch (GeneralSecurityException | RuntimeException e) {
      ok = false;
    }
    if (SIGNATURES.size() >= MAX_REMEMBERED) {
      SIGNATURES.clear();
    }
    SIGNATURES.put(key, ok);
    return ok;
  }

  private static final int MAX_REMEMBERED = 4096;
  private static final java.util.Map<SignaturePair, Boolean> SIGNATURES =
      new java.util.concurrent.ConcurrentHashMap<>();

  private record SignaturePair(X509Certificate cert, java.security.PublicKey issuerKey) {}

  public static String role(int index, X509Certificate cert) {
    if (index == 0) {
      return "leaf certificate";
    }
    return selfIssued(cert) ? "root certificate" : "intermediate certificate";
  }

  /** Whole days between two instants, rounded toward zero. */
  static long days(Instant from, Instant to) {
    return Duration.between(from, to).toDays();
  }

  public static List<String> dnsAndIpNames(X509Certificate cert) {
    return CertificateInfo.subjectAltNames(cert).stream()
        .filter(n -> n.startsWith("DNS:") || n.startsWith("IP:"))
        .toList();
  }
}
