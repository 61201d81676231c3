package dev.tlsinspect.internal.cert;

import dev.tlsinspect.CertificateInfo;
import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.TlsVersion;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the certificates are made of: WEAK_SIGNATURE and WEAK_KEY over the chain as sent,
 * CERT_BAD_KEY_USAGE for the leaf against the negotiated key exchange, and CERT_VALIDITY_TOO_LONG
 * for a publicly trusted leaf.
 *
 * <p>The thresholds are the CA/Browser Forum's and NIST's, not this JVM's
 * {@code jdk.certpath.disabledAlgorithms}: the JDK still accepts RSA 1024 and SHA-1 below a private
 * root, other clients do not.
 */
public final class CertificatePolicyCheck implements Check {
  static final int MIN_RSA_DSA_BITS = 2048;
  static final int MIN_EC_BITS = 224;
  /** CA/Browser Forum Baseline Requirements 6.3.2, for leaves issued from 2020-09-01. */
  static final long MAX_PUBLIC_VALIDITY_DAYS = 398;
  private static final Instant VALIDITY_RULE_START = Instant.parse("2020-09-01T00:00:00Z");

  private static final String EKU_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String EKU_ANY = "2.5.29.37.0";
  private static final Map<String, String> WEAK_SIGNATURE_OIDS = Map.of(
      "1.2.840.113549.1.1.2", "MD2withRSA",
      "1.2.840.113549.1.1.4", "MD5withRSA",
      "1.2.840.113549.1.1.5", "SHA1withRSA",
      "1.3.14.3.2.29", "SHA1withRSA",
      "1.2.840.10045.4.1", "SHA1withECDSA",
      "1.2.840.10040.4.3", "SHA1withDSA");

  @Override
  public String id() {
    return "certificate-policy";
  }

  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder("certificate-policy")
        .summary("Signature algorithms, key sizes, key usage and lifetime of the certificates in the path")
        .codes(Code.WEAK_SIGNATURE, Code.WEAK_KEY, Code.CERT_BAD_KEY_USAGE, Code.CERT_VALIDITY_TOO_LONG)
        .reference("RFC 5280 §4.2.1.3")
        .reference("RFC 5280 §4.2.1.12")
        .reference("CA/B Forum BR §6.1.5")
        .reference("CA/B Forum BR §6.3.2")
        .reference("CA/B Forum BR §7.1.3.2")
        .since("0.1.0")
        .needs(CheckDescriptor.Input.PEER_CHAIN, CheckDescriptor.Input.TRUST_ANCHORS)
        .build();
  }

  @Override
  public List<Finding> evaluate(CheckContext ctx) {
    Observation seen = ctx.observation().orElse(null);
    if (seen == null || seen.peerChain().isEmpty()) {
      return List.of();
    }
    List<X509Certificate> chain = seen.peerChain();
    List<X509Certificate> anchors = ctx.trustAnchors();
    List<Finding> out = new ArrayList<>();
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate cert = chain.get(i);
      // A trust anchor's own signature is never checked by anyone; only a sent root that is not
      // an anchor of the trust store in use is part of the path.
      if (!ChainPaths.isAnchor(anchors, cert)) {
        weakSignature(i, cert).ifPresent(out::add);
      }
      weakKey(i, cert).ifPresent(out::add);
    }
    badKeyUsage(chain.get(0), seen).ifPresent(out::add);
    validityTooLong(ctx, chain).ifPresent(out::add);
    return out;
  }

  /** The weak digest in a certificate's signature algorithm: MD2, MD5 or SHA-1, if any. */
  static Optional<String> weakSignatureAlgorithm(X509Certificate cert) {
    String byOid = WEAK_SIGNATURE_OIDS.get(cert.getSigAlgOID());
    if (byOid != null) {
      return Optional.of(byOid);
    }
    String name = String.valueOf(cert.getSigAlgName()).toUpperCase(Locale.ROOT).replace("-", "");
    if (name.startsWith("MD2") || name.startsWith("MD5") || name.startsWith("SHA1WITH")) {
      return Optional.of(cert.getSigAlgName());
    }
    return Optional.empty();
  }

  private static Optional<Finding> weakSignature(int index, X509Certificate cert) {
    Optional<String> algorithm = weakSignatureAlgorithm(cert);
    if (algorithm.isEmpty()) {
      return Optional.empty();
    }
    String alg = algorithm.get();
    String digest = alg.toUpperCase(Locale.ROOT).startsWith("MD") ? alg.substring(0, 3) : "SHA-1";
    String role = Certs.role(index, cert);
    Finding.Builder b = Finding.builder(Code.WEAK_SIGNATURE)
        .title("The " + role + " is signed with " + digest + " (" + alg + ")")
        .detail("The " + role + " " + Certs.describe(cert) + " carries a " + alg + " signature. "
            + digest + " collisions are practical, so such a signature can be forged; browsers, "
            + "OpenSSL 3 at its default security level and current JDKs for public CAs reject it"
            + (digest.startsWith("MD") ? ", and the JDK rejects MD5 and MD2 everywhere." : "."))
        .remediation("Have the " + (index == 0 ? "certificate" : "CA certificate") + " reissued "
            + "with a SHA-256 (or stronger) signature by its issuer '"
            + cert.getIssuerX500Principal().getName() + "' and deploy the new one"
            + (index == 0 ? "." : " in the chain file the server sends.")
            + " A private CA that can only sign with " + digest + " needs replacing.");
    Certs.identify(b, "certificate", cert)
        .evidence("signatureAlgorithm", alg)
        .evidence("digest", digest)
        .evidence("position", (long) index);
    return Optional.of(b.build());
  }

  /** The minimum size for a key's algorithm, or 0 when this check has no rule for it. */
  static int minimumBits(PublicKey key) {
    if (key instanceof RSAKey || key instanceof DSAKey) {
      return MIN_RSA_DSA_BITS;
    }
    if (key instanceof ECKey) {
      return MIN_EC_BITS;
    }
    return 0;
  }

  private static Optional<Finding> weakKey(int index, X509Certificate cert) {
    PublicKey key = cert.getPublicKey();
    int bits = CertificateInfo.keySize(key);
    int minimum = minimumBits(key);
    if (bits <= 0 || bits >= minimum) {
      return Optional.empty();
    }
    String role = Certs.role(index, cert);
    String alg = key.getAlgorithm();
    Finding.Builder b = Finding.builder(Code.WEAK_KEY)
        .title("The " + role + " has a " + bits + "-bit " + alg + " key")
        .detail("The " + role + " " + Certs.describe(cert) + " has a " + alg + " key of " + bits
            + " bits; at least " + minimum + " are needed (NIST SP 800-131A, CA/Browser Forum). "
            + (bits < 1024 && !(key instanceof ECKey)
                ? "The JDK refuses keys this small (jdk.certpath.disabledAlgorithms)."
                : "Browsers and OpenSSL 3 refuse it even where this JVM still accepts it."))
        .remediation("Generate a new key of at least " + minimum + " bits"
            + (key instanceof ECKey ? " (P-256 or P-384)" : " (RSA 2048 or 3072, or an EC P-256 key)")
            + ", have the " + (index == 0 ? "certificate" : "CA certificate") + " reissued for it, "
            + "and deploy it" + (index == 0 ? " with its chain." : " in the chain the server sends."));
    Certs.identify(b, "certificate", cert)
        .evidence("keyAlgorithm", alg)
        .evidence("keyBits", (long) bits)
        .evidence("minimumBits", (long) minimum)
        .evidence("position", (long) index);
    return Optional.of(b.build());
  }

  /** What the leaf's key must be allowed to do for the key exchange, as the JDK's checker sees it. */
  private enum KeyRole {
    SIGN("digitalSignature"), ENCIPHER("keyEncipherment"), AGREE("keyAgreement"), EITHER(
        "digitalSignature or keyEncipherment");
    final String bits;

    KeyRole(String bits) {
      this.bits = bits;
    }
  }

  private static KeyRole keyRole(Observation seen) {
    Optional<TlsVersion> version = seen.version();
    if (version.isPresent() && version.get().compareTo(TlsVersion.TLS_1_3) >= 0) {
      return KeyRole.SIGN;
    }
    String suite = seen.cipherSuite().map(CipherSuite::name).orElse("").toUpperCase(Locale.ROOT);
    if (suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")) {
      return KeyRole.SIGN; // TLS 1.3 suite names
    }
    if (suite.startsWith("TLS_ECDHE_") || suite.startsWith("TLS_DHE_")
        || suite.startsWith("SSL_DHE_")) {
      return KeyRole.SIGN;
    }
    if (suite.startsWith("TLS_RSA_") || suite.startsWith("SSL_RSA_")) {
      return KeyRole.ENCIPHER;
    }
    if (suite.startsWith("TLS_ECDH_") || suite.startsWith("TLS_DH_")) {
      return KeyRole.AGREE;
    }
    return KeyRole.EITHER;
  }

  private static Optional<Finding> badKeyUsage(X509Certificate leaf, Observation seen) {
    List<String> problems = new ArrayList<>();
    List<String> ekus;
    try {
      ekus = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      ekus = List.of("unparseable");
    }
    boolean ekuBad = ekus != null && !ekus.contains(EKU_SERVER_AUTH) && !ekus.contains(EKU_ANY);
    if (ekuBad) {
      problems.add("its extendedKeyUsage (" + String.join(", ", names(ekus)) + ") does not include "
          + "serverAuth");
    }
    boolean[] ku = leaf.getKeyUsage();
    KeyRole role = keyRole(seen);
    boolean kuBad = false;
    if (ku != null) {
      boolean sign = ku.length > 0 && ku[0];
      boolean encipher = ku.length > 2 && ku[2];
      boolean agree = ku.length > 4 && ku[4];
      kuBad = switch (role) {
        case SIGN -> !sign;
        case ENCIPHER -> !encipher;
        case AGREE -> !agree;
        case EITHER -> !sign && !encipher;
      };
      if (kuBad) {
        problems.add("its keyUsage (" + String.join(", ", keyUsageNames(ku)) + ") lacks " + role.bits
            + ", which " + seen.version().map(v -> v.name() + " ").orElse("")
            + seen.cipherSuite().map(s -> "with " + s.name() + " ").orElse("") + "needs");
      }
    }
    if (problems.isEmpty()) {
      return Optional.empty();
    }
    Finding.Builder b = Finding.builder(Code.CERT_BAD_KEY_USAGE)
        .title(ekuBad ? "The certificate is not meant for TLS servers (no serverAuth usage)"
            : "The certificate's key usage does not allow " + role.bits)
        .detail("The leaf " + Certs.describe(leaf) + " cannot authenticate a TLS server: "
            + String.join("; ", problems) + "."
            + (ekuBad && ekus.contains("1.3.6.1.5.5.7.3.2")
                ? " It looks like a client certificate deployed on a server." : ""))
        .remediation("Reissue the certificate for TLS server use: extendedKeyUsage serverAuth "
            + "(1.3.6.1.5.5.7.3.1) and keyUsage digitalSignature (plus keyEncipherment for RSA keys "
            + "that serve TLS_RSA_* suites). With a private CA, fix the certificate profile or "
            + "template; ask a public CA for a TLS server certificate, not an S/MIME, code-signing "
            + "or client one.");
    Certs.identify(b, "leaf", leaf);
    if (ekus != null) {
      b.evidence("extendedKeyUsage", names(ekus));
    }
    if (ku != null) {
      b.evidence("keyUsage", keyUsageNames(ku));
    }
    b.evidence("requiredKeyUsage", role.bits);
    seen.version().ifPresent(v -> b.evidence("version", v.name()));
    seen.cipherSuite().ifPresent(s -> b.evidence("cipherSuite", s.name()));
    return Optional.of(b.build());
  }

  private static List<String> names(List<String> ekus) {
    List<String> out = new ArrayList<>();
    for (String oid : ekus) {
      out.add(switch (oid) {
        case EKU_SERVER_AUTH -> "serverAuth";
        case "1.3.6.1.5.5.7.3.2" -> "clientAuth";
        case "1.3.6.1.5.5.7.3.3" -> "codeSigning";
        case "1.3.6.1.5.5.7.3.4" -> "emailProtection";
        case "1.3.6.1.5.5.7.3.8" -> "timeStamping";
        case "1.3.6.1.5.5.7.3.9" -> "OCSPSigning";
        case EKU_ANY -> "anyExtendedKeyUsage";
        default -> oid;
      });
    }
    return out;
  }

  private static final String[] KEY_USAGE_NAMES = {"digitalSignature", "nonRepudiation",
      "keyEncipherment", "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign",
      "encipherOnly", "decipherOnly"};

  private static List<String> keyUsageNames(boolean[] ku) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < ku.length && i < KEY_USAGE_NAMES.length; i++) {
      if (ku[i]) {
        out.add(KEY_USAGE_NAMES[i]);
      }
    }
    return out;
  }

  private static Optional<Finding> validityTooLong(CheckContext ctx, List<X509Certificate> chain) {
    X509Certificate leaf = chain.get(0);
    Instant notBefore = leaf.getNotBefore().toInstant();
    Instant notAfter = leaf.getNotAfter().toInstant();
    // RFC 5280 validity is inclusive of both ends: notAfter - notBefore + 1 s.
    Duration validity = Duration.between(notBefore, notAfter).plusSeconds(1);
    if (validity.compareTo(Duration.ofDays(MAX_PUBLIC_VALIDITY_DAYS)) <= 0
        || notBefore.isBefore(VALIDITY_RULE_START)) {
      return Optional.empty();
    }
    // Private CAs may issue long-lived leaves; the rule binds publicly trusted ones only.
    List<X509Certificate> reference = ctx.referenceAnchors();
    if (reference.isEmpty() || TrustCheck.buildPath(chain, reference).isPresent()) {
      return Optional.empty();
    }
    long days = validity.toDays();
    Finding.Builder b = Finding.builder(Code.CERT_VALIDITY_TOO_LONG)
        .title("The certificate is valid for " + days + " days, more than the 398 public CAs may issue")
        .detail("The leaf " + Certs.describe(leaf) + " is valid from " + notBefore + " to " + notAfter
            + " (" + days + " days) and chains to a public root. Browsers (Safari, Chrome) reject "
            + "publicly trusted leaves valid for more than 398 days issued since 2020-09-01.")
        .remediation("Have the certificate reissued with a validity of at most 398 days (90 days "
            + "with automated ACME renewal is the norm, and the CA/Browser Forum is shortening the "
            + "maximum further), and automate the renewal.");
    Certs.identify(b, "leaf", leaf)
        .evidence("notBefore", notBefore)
        .evidence("notAfter", notAfter)
        .evidence("validityDays", days)
        .evidence("maximumDays", MAX_PUBLIC_VALIDITY_DAYS);
    return Optional.of(b.build());
  }
}
