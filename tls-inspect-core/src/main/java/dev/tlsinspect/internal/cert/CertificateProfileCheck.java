package dev.tlsinspect.internal.cert;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Severity;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import dev.tlsinspect.probe.Observation;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAKey;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The certificate profile: the rules of RFC 5280 and the CA/Browser Forum Baseline Requirements
 * that the JDK's PKIX validator does not enforce, and that other clients (Go, rustls' webpki,
 * strict OpenSSL modes, browsers' root programs) do. Each family is one code; each finding lists
 * the rules broken, where, and which clients care:
 *
 * <ul>
 *   <li>CERT_PROFILE_SERIAL: serial number zero, negative or longer than 20 octets;
 *   <li>CERT_PROFILE_NAMES: subjectAltName syntax (malformed extension, dNSName not in preferred
 *       name syntax, iPAddress of the wrong length), its criticality, and a host-like common name
 *       that is not a copy of a SAN entry;
 *   <li>CERT_PROFILE_NAME_CONSTRAINTS: name constraints beyond the JDK's checks (criticality, in an
 *       end-entity certificate, empty, malformed subtrees, a wildcard SAN reaching into an
 *       excluded subtree) and path-building limits (names times constraints);
 *   <li>CERT_PROFILE_KEY_IDENTIFIERS: authority and subject key identifiers;
 *   <li>CERT_PROFILE_EXTENSIONS: version, basicConstraints and keyUsage consistency, policy
 *       constraints, extended key usage profile, authority information access syntax;
 *   <li>CERT_PROFILE_KEY: key types and sizes the CA/Browser Forum does not allow, including the
 *       trust anchor's (which WEAK_KEY does not judge when the server does not send it).
 * </ul>
 *
 * <p>The path judged is the one the trust check would report (the server's chain, completed with
 * fetched intermediates and ending at the anchor); without a trusted path, the chain as sent.
 * Pure: no I/O, bounded by the chain (at most {@value #MAX_NAMES} SAN entries are read).
 */
public final class CertificateProfileCheck implements Check {
  /** Comparisons of names against name constraints above which a path is too costly to check. */
  static final long MAX_NAME_CONSTRAINT_COMPARISONS = 1L << 20;
  /** SAN entries read per certificate. */
  static final int MAX_NAMES = 10_000;

  private static final String SAN_OID = "2.5.29.17";
  private static final String NC_OID = "2.5.29.30";
  private static final String BC_OID = "2.5.29.19";
  private static final String EKU_OID = "2.5.29.37";
  private static final String PC_OID = "2.5.29.36";
  private static final String AKI_OID = "2.5.29.35";
  private static final String SKI_OID = "2.5.29.14";
  private static final String AIA_OID = "1.3.6.1.5.5.7.1.1";
  private static final String EKU_ANY = "2.5.29.37.0";
  private static final int DNS_TAG = 0x82;
  private static final int IP_TAG = 0x87;
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern HOST_LIKE = Pattern.compile("[^\\s/@]+[.:][^\\s/@]+");

  /** The families, each with its code and the clients that enforce it. */
  private enum Family {
    SERIAL(Code.CERT_PROFILE_SERIAL, "serial number", "RFC 5280 §4.1.2.2"),
    NAMES(Code.CERT_PROFILE_NAMES, "subject names", "RFC 5280 §4.2.1.6"),
    NAME_CONSTRAINTS(Code.CERT_PROFILE_NAME_CONSTRAINTS, "name constraints", "RFC 5280 §4.2.1.10"),
    KEY_IDENTIFIERS(Code.CERT_PROFILE_KEY_IDENTIFIERS, "key identifiers", "RFC 5280 §4.2.1.1"),
    EXTENSIONS(Code.CERT_PROFILE_EXTENSIONS, "extensions", "RFC 5280 §4.2"),
    KEY(Code.CERT_PROFILE_KEY, "public key", "CA/B Forum BR §6.1.5");

    final Code code;
    final String what;
    final String reference;

    Family(Code code, String what, String reference) {
      this.code = code;
      this.what = what;
      this.reference = reference;
    }
  }

  /** One broken rule on one certificate. */
  private record Violation(Family family, String rule, Severity severity, int position,
      X509Certificate cert, String text) {}

  @Override
  public String id() {
    return "certificate-profile";
  }

  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder("certificate-profile")
        .summary("RFC 5280 and CA/B Forum profile rules that the JDK does not enforce and other clients do")
        .codes(Code.CERT_PROFILE_SERIAL, Code.CERT_PROFILE_NAMES, Code.CERT_PROFILE_NAME_CONSTRAINTS,
            Code.CERT_PROFILE_KEY_IDENTIFIERS, Code.CERT_PROFILE_EXTENSIONS, Code.CERT_PROFILE_KEY)
        .reference("RFC 5280 §4.1.2.2")
        .reference("RFC 5280 §4.2.1.1")
        .reference("RFC 5280 §4.2.1.2")
        .reference("RFC 5280 §4.2.1.6")
        .reference("RFC 5280 §4.2.1.9")
        .reference("RFC 5280 §4.2.1.10")
        .reference("RFC 5280 §4.2.1.11")
        .reference("CA/B Forum BR §6.1.5")
        .reference("CA/B Forum BR §7.1.2")
        .reference("CA/B Forum BR §7.1.4.3")
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
    List<X509Certificate> sent = seen.peerChain();
    X509Certificate leaf = sent.get(0);
    List<X509Certificate> path = path(ctx, sent);
    Optional<X509Certificate> anchor = path.size() > 1 && ctx.trustAnchors().contains(path.get(path.size() - 1))
        ? Optional.of(path.get(path.size() - 1)) : Optional.empty();

    List<Violation> found = new ArrayList<>();
    for (int i = 0; i < path.size(); i++) {
      X509Certificate cert = path.get(i);
      boolean isAnchor = anchor.isPresent() && i == path.size() - 1;
      if (!isAnchor) {
        serial(i, cert, found);
        version(i, cert, found);
        authorityKeyId(i, cert, found);
      } else {
        anchorProfile(i, cert, found);
      }
      caProfile(i, cert, found);
      key(i, cert, isAnchor, found);
      nameConstraintsProfile(i, cert, found);
    }
    leafNames(leaf, found);
    leafExtensions(leaf, found);
    nameConstraintsAgainstLeaf(path, leaf, found);

    Map<Family, List<Violation>> byFamily = new LinkedHashMap<>();
    for (Family f : Family.values()) {
      List<Violation> v = found.stream().filter(x -> x.family() == f).toList();
      if (!v.isEmpty()) {
        byFamily.put(f, v);
      }
    }
    List<Finding> out = new ArrayList<>();
    byFamily.forEach((family, violations) -> out.add(finding(family, violations)));
    return out;
  }

  /** Whether a code is one of this check's: a strict RFC 5280 / CA/B Forum validator rejects the chain. */
  public static boolean isProfileCode(Code code) {
    for (Family f : Family.values()) {
      if (f.code.equals(code)) {
        return true;
      }
    }
    return false;
  }

  private static List<X509Certificate> path(CheckContext ctx, List<X509Certificate> sent) {
    List<X509Certificate> anchors = ctx.trustAnchors();
    if (!anchors.isEmpty()) {
      List<X509Certificate> pool = new ArrayList<>(sent);
      pool.addAll(ctx.fetched().intermediates());
      Instant now = ctx.now().truncatedTo(ChronoUnit.SECONDS);
      Optional<ChainPaths.Validated> best = ChainPaths.assess(sent.get(0), pool, anchors, now).best();
      if (best.isPresent()) {
        return best.get().path().withAnchor();
      }
    }
    return sent;
  }

  private static Finding finding(Family family, List<Violation> violations) {
    Severity severity = violations.stream().map(Violation::severity)
        .reduce((a, b) -> a.atLeast(b) ? a : b).orElse(Severity.LOW);
    Violation first = violations.get(0);
    Set<String> rules = new LinkedHashSet<>();
    List<String> where = new ArrayList<>();
    StringBuilder detail = new StringBuilder();
    for (Violation v : violations) {
      rules.add(v.rule());
      where.add(v.position() + ":" + v.rule());
      if (detail.length() > 0) {
        detail.append(' ');
      }
      detail.append("The ").append(role(v.position(), v.cert())).append(' ')
          .append(Certs.describe(v.cert())).append(": ").append(v.text());
    }
    detail.append(" The JDK accepts this; clients that enforce the profile do not, so the same "
        + "endpoint can work from Java and fail elsewhere.");
    Finding.Builder b = Finding.builder(family.code)
        .severity(severity)
        .title("The " + role(first.position(), first.cert()) + "'s " + family.what
            + " break" + (violations.size() == 1 ? "s " : " ") + (violations.size() == 1 ? "a" : violations.size())
            + " certificate profile rule" + (violations.size() == 1 ? "" : "s") + " (" + String.join(", ", rules) + ")")
        .detail(detail.toString())
        .remediation(remediation(family))
        .evidence("rules", List.copyOf(rules))
        .evidence("violations", where)
        .evidence("reference", family.reference);
    Certs.identify(b, "certificate", first.cert());
    return b.build();
  }

  private static String remediation(Family family) {
    return switch (family) {
      case SERIAL -> "Have the certificate reissued by its CA with a positive serial number of at "
          + "most 20 octets (CAs should use 64 or more random bits); a private CA tool that writes "
          + "zero or negative serials needs fixing.";
      case NAMES -> "Have the certificate reissued with every host name as a dNSName in the "
          + "subjectAltName (letters, digits and hyphens; a wildcard only as the whole leftmost "
          + "label and never directly above a public suffix such as co.uk), IP addresses as 4- or 16-byte iPAddress entries, the extension non-critical "
          + "when the subject is not empty, and a common name that is an exact copy of one SAN "
          + "entry (or no common name).";
      case NAME_CONSTRAINTS -> "Have the CA certificate reissued with a critical nameConstraints "
          + "extension that names at least one permitted or excluded subtree, in valid syntax "
          + "(dNSName without a leading period, iPAddress as address and mask), only in CA "
          + "certificates; issue leaves whose names lie inside the permitted subtrees (no "
          + "wildcard that covers an excluded name); keep names times constraints small.";
      case KEY_IDENTIFIERS -> "Have the certificates reissued by a CA that writes a "
          + "subjectKeyIdentifier into every CA certificate and an authorityKeyIdentifier with its "
          + "keyIdentifier (and nothing else, for a root) into every certificate it signs.";
      case EXTENSIONS -> "Have the certificate reissued as X.509 v3 with a critical basicConstraints "
          + "in every CA certificate, cA=false and no keyCertSign in the leaf, a non-critical "
          + "extendedKeyUsage with serverAuth (and not anyExtendedKeyUsage) in the leaf, none in a "
          + "root, a critical policyConstraints, and a well-formed authorityInfoAccess.";
      case KEY -> "Use RSA keys of at least 2048 bits whose size is a multiple of 8, or ECDSA P-256 "
          + "or P-384 keys, for every certificate in the path including the root; replace a CA "
          + "whose key is DSA or too small.";
    };
  }

  private static String role(int position, X509Certificate cert) {
    return Certs.role(position, cert);
  }

  // ---------------------------------------------------------------- serial

  private static void serial(int i, X509Certificate cert, List<Violation> out) {
    BigInteger serial = cert.getSerialNumber();
    if (serial.signum() < 0) {
      out.add(new Violation(Family.SERIAL, "serial-negative", Severity.HIGH, i, cert,
          "its serial number is negative (" + serial + "); RFC 5280 requires a positive integer, "
              + "and Go's crypto/x509 refuses to parse such a certificate ('x509: negative serial "
              + "number').")); 
    } else if (serial.signum() == 0) {
      out.add(new Violation(Family.SERIAL, "serial-zero", Severity.MEDIUM, i, cert,
          "its serial number is zero; RFC 5280 requires a positive integer."));
    }
    int octets = serial.toByteArray().length;
    if (octets > 20) {
      out.add(new Violation(Family.SERIAL, "serial-too-long", Severity.MEDIUM, i, cert,
          "its serial number is " + octets + " octets long; RFC 5280 allows at most 20."));
    }
  }

  private static void version(int i, X509Certificate cert, List<Violation> out) {
    if (cert.getVersion() != 3) {
      out.add(new Violation(Family.EXTENSIONS, "not-v3", Severity.MEDIUM, i, cert,
          "it is an X.509 v" + cert.getVersion() + " certificate; the CA/Browser Forum requires v3 "
              + "(BR §7.1.1) and v1/v2 certificates cannot carry the extensions that make a path safe."));
    }
  }

  // ---------------------------------------------------------------- key identifiers

  private static void authorityKeyId(int i, X509Certificate cert, List<Violation> out) {
    if (Certs.selfSigned(cert)) {
      return;
    }
    Optional<Boolean> keyId = akiHasKeyIdentifier(cert);
    if (keyId.isEmpty() || !keyId.get()) {
      out.add(new Violation(Family.KEY_IDENTIFIERS, "aki-missing", Severity.INFO, i, cert,
          "it has no authorityKeyIdentifier with a keyIdentifier (RFC 5280 §4.2.1.1: MUST in every "
              + "certificate a conforming CA issues, to build paths)."));
    }
  }

  private static void anchorProfile(int i, X509Certificate cert, List<Violation> out) {
    byte[] aki = cert.getExtensionValue(AKI_OID);
    if (aki != null) {
      try {
        Der.Reader r = Der.parse(Der.parse(aki).octetString()).expect(Der.SEQUENCE).children();
        boolean keyId = false;
        boolean other = false;
        while (r.hasMore()) {
          int tag = r.next().tag();
          if (tag == 0x80) {
            keyId = true;
          } else {
            other = true;
          }
        }
        if (!keyId || other) {
          out.add(new Violation(Family.KEY_IDENTIFIERS, "root-aki-profile", Severity.INFO, i, cert,
              "its authorityKeyIdentifier " + (keyId ? "" : "lacks the keyIdentifier ")
                  + (other ? (keyId ? "" : "and ") + "carries authorityCertIssuer or its serial " : "")
                  + "(CA/B Forum BR §7.1.2.1.3: a root's AKI, if present, holds only the keyIdentifier)."));
        }
      } catch (Der.MalformedException e) {
        out.add(new Violation(Family.KEY_IDENTIFIERS, "root-aki-profile", Severity.INFO, i, cert,
            "its authorityKeyIdentifier cannot be parsed (" + e.getMessage() + ")."));
      }
    }
    try {
      if (cert.getExtendedKeyUsage() != null) {
        out.add(new Violation(Family.EXTENSIONS, "root-has-eku", Severity.INFO, i, cert,
            "it carries extendedKeyUsage, which a root must not (CA/B Forum BR §7.1.2.1.2)."));
      }
    } catch (CertificateParsingException e) {
      out.add(new Violation(Family.EXTENSIONS, "eku-malformed", Severity.MEDIUM, i, cert,
          "its extendedKeyUsage cannot be parsed (" + e.getMessage() + ")."));
    }
  }

  private static Optional<Boolean> akiHasKeyIdentifier(X509Certificate cert) {
    byte[] aki = cert.getExtensionValue(AKI_OID);
    if (aki == null) {
      return Optional.empty();
    }
    try {
      Der.Reader r = Der.parse(Der.parse(aki).octetString()).expect(Der.SEQUENCE).children();
      while (r.hasMore()) {
        if (r.next().tag() == 0x80) {
          return Optional.of(true);
        }
      }
      return Optional.of(false);
    } catch (Der.MalformedException e) {
      return Optional.of(false);
    }
  }

  // ---------------------------------------------------------------- CA certificates

  private static void caProfile(int i, X509Certificate cert, List<Violation> out) {
    boolean ca = cert.getBasicConstraints() >= 0;
    if (i == 0 && !Certs.selfSigned(cert)) {
      return; // the leaf's own basicConstraints are judged in leafExtensions
    }
    if (ca) {
      if (!critical(cert, BC_OID)) {
        out.add(new Violation(Family.EXTENSIONS, "ca-basic-constraints-not-critical", Severity.INFO, i,
            cert, "its basicConstraints (cA=true) is not marked critical (RFC 5280 §4.2.1.9: MUST)."));
      }
      if (cert.getExtensionValue(SKI_OID) == null) {
        out.add(new Violation(Family.KEY_IDENTIFIERS, "ski-missing", Severity.INFO, i, cert,
            "it is a CA certificate without a subjectKeyIdentifier (RFC 5280 §4.2.1.2: MUST in every "
                + "CA certificate)."));
      }
    }
    if (cert.getExtensionValue(PC_OID) != null && !critical(cert, PC_OID)) {
      out.add(new Violation(Family.EXTENSIONS, "policy-constraints-not-critical", Severity.INFO, i, cert,
          "its policyConstraints is not marked critical (RFC 5280 §4.2.1.11: MUST)."));
    }
  }

  private static void key(int i, X509Certificate cert, boolean isAnchor, List<Violation> out) {
    PublicKey key = cert.getPublicKey();
    if (key instanceof DSAKey) {
      out.add(new Violation(Family.KEY, "dsa-key", Severity.MEDIUM, i, cert,
          "its key is DSA; the CA/Browser Forum allows only RSA and ECDSA keys (BR §6.1.5), and "
              + "TLS 1.3 has no DSA signature scheme at all (RFC 8446)."));
    } else if (key instanceof RSAKey rsa) {
      int bits = rsa.getModulus().bitLength();
      if (bits % 8 != 0) {
        out.add(new Violation(Family.KEY, "rsa-modulus-not-multiple-of-8", Severity.INFO, i, cert,
            "its RSA modulus is " + bits + " bits, not a multiple of 8 (CA/B Forum BR §6.1.5)."));
      }
      if (isAnchor && bits < CertificatePolicyCheck.MIN_RSA_DSA_BITS) {
        out.add(new Violation(Family.KEY, "weak-anchor-key", Severity.MEDIUM, i, cert,
            "the trust anchor's RSA key is " + bits + " bits; at least 2048 are required "
                + "(CA/B Forum BR §6.1.5), and root programs removed such roots."));
      }
    }
  }

  // ---------------------------------------------------------------- leaf

  private static void leafNames(X509Certificate leaf, List<Violation> out) {
    byte[] san = leaf.getExtensionValue(SAN_OID);
    List<String> dns = new ArrayList<>();
    List<byte[]> ips = new ArrayList<>();
    if (san != null) {
      try {
        Der.Reader names = Der.parse(Der.parse(san).octetString()).expect(Der.SEQUENCE).children();
        int n = 0;
        while (names.hasMore() && n++ < MAX_NAMES) {
          Der.Value name = names.next();
          if (name.tag() == DNS_TAG) {
            dns.add(name.ia5());
          } else if (name.tag() == IP_TAG) {
            ips.add(name.content());
          }
        }
      } catch (Der.MalformedException e) {
        out.add(new Violation(Family.NAMES, "san-malformed", Severity.MEDIUM, 0, leaf,
            "its subjectAltName extension is not a DER sequence of names (" + e.getMessage() + ")."));
        return;
      }
      boolean emptySubject = leaf.getSubjectX500Principal().getEncoded().length <= 2;
      if (critical(leaf, SAN_OID) && !emptySubject) {
        out.add(new Violation(Family.NAMES, "san-critical-with-subject", Severity.INFO, 0, leaf,
            "its subjectAltName is critical although the subject is not empty (RFC 5280 §4.2.1.6, "
                + "CA/B Forum BR §7.1.2.7)."));
      }
    }
    for (String name : dns) {
      Optional<String> why = dnsNameSyntax(name, true);
      why.ifPresent(w -> out.add(new Violation(Family.NAMES, "dns-name-syntax", Severity.MEDIUM, 0,
          leaf, "its SAN dNSName '" + printable(name) + "' " + w + " (RFC 5280 §4.2.1.6: preferred "
              + "name syntax).")));
    }
    List<String> wildcards = new ArrayList<>(dns);
    if (dns.isEmpty()) {
      wildcards.addAll(commonNames(leaf)); // the name a client falls back to without SANs
    }
    for (String name : wildcards) {
      wildcardOverPublicSuffix(name).ifPresent(w -> out.add(new Violation(Family.NAMES,
          "wildcard-over-public-suffix", Severity.HIGH, 0, leaf, w)));
    }
    for (byte[] ip : ips) {
      if (ip.length != 4 && ip.length != 16) {
        out.add(new Violation(Family.NAMES, "ip-address-length", Severity.MEDIUM, 0, leaf,
            "its SAN iPAddress is " + ip.length + " octets; an address is 4 (IPv4) or 16 (IPv6) "
                + "octets (RFC 5280 §4.2.1.6)."));
      }
    }
    for (String cn : commonNames(leaf)) {
      if (!HOST_LIKE.matcher(cn).matches()) {
        continue; // a label such as "My Server" names no host; only host-like names mislead
      }
      boolean copied = dns.contains(cn) || ips.stream().anyMatch(ip -> ipText(ip).equals(cn));
      if (!copied) {
        out.add(new Violation(Family.NAMES, "common-name-not-in-san", Severity.INFO, 0, leaf,
            "its common name '" + printable(cn) + "' is not a character-for-character copy of a "
                + "subjectAltName entry (CA/B Forum BR §7.1.4.3); Java's host name check may fall "
                + "back to the common name where browsers, Go and curl never do."));
      }
    }
  }

  private static void leafExtensions(X509Certificate leaf, List<Violation> out) {
    if (Certs.selfSigned(leaf)) {
      return;
    }
    if (leaf.getBasicConstraints() >= 0) {
      out.add(new Violation(Family.EXTENSIONS, "leaf-is-ca", Severity.MEDIUM, 0, leaf,
          "the server's certificate says cA=true (CA/B Forum BR §7.1.2.7.8: cA MUST be false)."));
    }
    boolean[] ku = leaf.getKeyUsage();
    if (ku != null && ku.length > 5 && ku[5] && leaf.getBasicConstraints() < 0) {
      out.add(new Violation(Family.EXTENSIONS, "key-cert-sign-without-ca", Severity.MEDIUM, 0, leaf,
          "its keyUsage asserts keyCertSign while basicConstraints does not say cA=true "
              + "(RFC 5280 §4.2.1.9)."));
    }
    List<String> eku;
    try {
      eku = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      out.add(new Violation(Family.EXTENSIONS, "eku-malformed", Severity.MEDIUM, 0, leaf,
          "its extendedKeyUsage cannot be parsed (" + e.getMessage() + ")."));
      return;
    }
    // No extendedKeyUsage at all is fine under RFC 5280 (any purpose); only the CA/Browser Forum
    // requires it, so it is not flagged (x509-limbo's rfc5280 and webpki namespaces disagree).
    if (eku != null) {
      if (eku.contains(EKU_ANY)) {
        out.add(new Violation(Family.EXTENSIONS, "eku-any", Severity.INFO, 0, leaf,
            "its extendedKeyUsage holds anyExtendedKeyUsage (CA/B Forum BR §7.1.2.7.10: MUST NOT)."));
      }
      if (critical(leaf, EKU_OID)) {
        out.add(new Violation(Family.EXTENSIONS, "eku-critical", Severity.INFO, 0, leaf,
            "its extendedKeyUsage is marked critical (CA/B Forum BR §7.1.2.7.6: MUST NOT)."));
      }
    }
    byte[] aia = leaf.getExtensionValue(AIA_OID);
    if (aia != null) {
      try {
        Der.Reader list = Der.parse(Der.parse(aia).octetString()).expect(Der.SEQUENCE).children();
        if (!list.hasMore()) {
          throw new Der.MalformedException("no AccessDescription");
        }
        while (list.hasMore()) {
          Der.Reader ad = list.next().expect(Der.SEQUENCE).children();
          ad.next().oid();
          ad.next();
          ad.end();
        }
      } catch (Der.MalformedException e) {
        out.add(new Violation(Family.EXTENSIONS, "aia-malformed", Severity.LOW, 0, leaf,
            "its authorityInfoAccess is malformed (" + e.getMessage() + "; RFC 5280 §4.2.2.1)."));
      }
    }
  }

  // ---------------------------------------------------------------- name constraints

  /** The subtrees of one nameConstraints extension: permitted and excluded bases by tag. */
  private record Constraints(List<Der.Value> permitted, List<Der.Value> excluded) {}

  private static Optional<Constraints> constraints(X509Certificate cert) throws Der.MalformedException {
    byte[] nc = cert.getExtensionValue(NC_OID);
    if (nc == null) {
      return Optional.empty();
    }
    Der.Reader r = Der.parse(Der.parse(nc).octetString()).expect(Der.SEQUENCE).children();
    List<Der.Value> permitted = new ArrayList<>();
    List<Der.Value> excluded = new ArrayList<>();
    while (r.hasMore()) {
      Der.Value subtrees = r.next();
      if (subtrees.tag() != 0xA0 && subtrees.tag() != 0xA1) {
        throw new Der.MalformedException("unexpected field tag 0x" + Integer.toHexString(subtrees.tag()));
      }
      Der.Reader list = subtrees.children();
      int n = 0;
      while (list.hasMore()) {
        if (++n > MAX_NAMES) {
          throw new Der.MalformedException("more than " + MAX_NAMES + " subtrees");
        }
        Der.Reader subtree = list.next().expect(Der.SEQUENCE).children();
        (subtrees.tag() == 0xA0 ? permitted : excluded).add(subtree.next());
      }
    }
    return Optional.of(new Constraints(permitted, excluded));
  }

  private static void nameConstraintsProfile(int i, X509Certificate cert, List<Violation> out) {
    if (cert.getExtensionValue(NC_OID) == null) {
      return;
    }
    if (!critical(cert, NC_OID)) {
      out.add(new Violation(Family.NAME_CONSTRAINTS, "name-constraints-not-critical", Severity.MEDIUM,
          i, cert, "its nameConstraints is not marked critical (RFC 5280 §4.2.1.10: MUST)."));
    }
    if (cert.getBasicConstraints() < 0) {
      out.add(new Violation(Family.NAME_CONSTRAINTS, "name-constraints-in-end-entity", Severity.MEDIUM,
          i, cert, "it carries nameConstraints but is not a CA certificate (RFC 5280 §4.2.1.10: only "
              + "in CA certificates)."));
    }
    Constraints c;
    try {
      c = constraints(cert).orElseThrow();
    } catch (Der.MalformedException e) {
      out.add(new Violation(Family.NAME_CONSTRAINTS, "name-constraints-malformed", Severity.MEDIUM, i,
          cert, "its nameConstraints cannot be parsed (" + e.getMessage() + ")."));
      return;
    }
    if (c.permitted().isEmpty() && c.excluded().isEmpty()) {
      out.add(new Violation(Family.NAME_CONSTRAINTS, "name-constraints-empty", Severity.MEDIUM, i, cert,
          "its nameConstraints names no permitted and no excluded subtree (RFC 5280 §4.2.1.10, "
              + "CA/B Forum BR §7.1.2.5.2)."));
    }
    List<Der.Value> all = new ArrayList<>(c.permitted());
    all.addAll(c.excluded());
    for (Der.Value base : all) {
      if (base.tag() == DNS_TAG) {
        String dns = base.ia5();
        Optional<String> why = dns.isEmpty() ? Optional.empty() : dnsNameSyntax(dns, false);
        why.ifPresent(w -> out.add(new Violation(Family.NAME_CONSTRAINTS, "constraint-dns-syntax",
            Severity.MEDIUM, i, cert, "its dNSName constraint '" + printable(dns) + "' " + w
                + " (RFC 5280 §4.2.1.10)."))); 
      } else if (base.tag() == IP_TAG) {
        byte[] ip = base.content();
        if ((ip.length != 8 && ip.length != 32) || !contiguousMask(ip)) {
          out.add(new Violation(Family.NAME_CONSTRAINTS, "constraint-ip-syntax", Severity.MEDIUM, i,
              cert, "its iPAddress constraint is not an address and a contiguous mask of 8 or 32 "
                  + "octets (RFC 5280 §4.2.1.10)."));
        }
      }
    }
  }

  private static void nameConstraintsAgainstLeaf(List<X509Certificate> path, X509Certificate leaf,
      List<Violation> out) {
    List<String> dns = new ArrayList<>();
    for (String n : dnsNamesOf(leaf)) {
      dns.add(n.toLowerCase(Locale.ROOT));
    }
    long names = dns.size() + 1L; // and the subject
    for (int i = 1; i < path.size(); i++) {
      X509Certificate ca = path.get(i);
      Constraints c;
      try {
        Optional<Constraints> oc = constraints(ca);
        if (oc.isEmpty()) {
          continue;
        }
        c = oc.get();
      } catch (Der.MalformedException e) {
        continue; // reported by nameConstraintsProfile
      }
      long comparisons = names * (c.permitted().size() + c.excluded().size());
      if (comparisons > MAX_NAME_CONSTRAINT_COMPARISONS) {
        out.add(new Violation(Family.NAME_CONSTRAINTS, "name-constraints-too-costly", Severity.MEDIUM,
            i, ca, "checking its " + (c.permitted().size() + c.excluded().size()) + " constraints "
                + "against the leaf's " + names + " names takes " + comparisons + " comparisons; "
                + "validators bound this work (it grows with the product) and refuse such a path."));
      }
      for (Der.Value ex : c.excluded()) {
        if (ex.tag() != DNS_TAG) {
          continue;
        }
        String excluded = ex.ia5().toLowerCase(Locale.ROOT);
        for (String name : dns) {
          if (name.startsWith("*.") && excluded.indexOf('.') > 0
              && excluded.substring(excluded.indexOf('.') + 1).equals(name.substring(2))) {
            out.add(new Violation(Family.NAME_CONSTRAINTS, "wildcard-covers-excluded", Severity.MEDIUM,
                i, ca, "it excludes '" + printable(excluded) + "', and the leaf's wildcard '"
                    + printable(name) + "' covers that name (RFC 9525 wildcard semantics; "
                    + "CVE-2025-61727)."));
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  /*
   * A wildcard directly above a public suffix (*.co.uk, *.com, *.corp): Chrome refuses to match
   * it ("prevent *.com or *.co.uk as valid presented names"; unknown top-level domains too), and
   * CAs may not issue one (CA/B Forum BR 3.2.2.6). curl, OpenSSL and GnuTLS refuse only a
   * wildcard over a single label (*.com), and JDK 17 with a private CA accepts both (observed on
   * loopback). A suffix from the list's private section
   * (*.github.io) is not reported: its owner may hold that wildcard, and Chrome accepts it. The
   * list is read only here, so a certificate without a wildcard costs nothing.
   */
  static Optional<String> wildcardOverPublicSuffix(String name) {
    if (name == null || !name.startsWith("*.") || dnsNameSyntax(name, true).isPresent()) {
      return Optional.empty();
    }
    String rest = name.substring(2);
    return PublicSuffixes.of(rest)
        .filter(section -> section != PublicSuffixes.Section.PRIVATE)
        .map(section -> "its name '" + printable(name) + "' is a wildcard directly above '"
            + printable(rest) + "', " + (section == PublicSuffixes.Section.ICANN
                ? "a public suffix (ICANN section of the Public Suffix List)"
                : "a top-level domain the Public Suffix List does not know (its default rule)")
            + ": Chrome refuses to match such a wildcard to any host"
            + (rest.indexOf('.') < 0 ? ", and so do curl, OpenSSL and GnuTLS" : "")
            + ", and CAs may not issue it (CA/B Forum BR §3.2.2.6); Java accepts it when the "
            + "chain ends at a private CA.");
  }

  /** Why a dNSName is not in the preferred name syntax, empty when it is. */
  static Optional<String> dnsNameSyntax(String name, boolean wildcardAllowed) {
    if (name.isEmpty()) {
      return Optional.of("is empty");
    }
    if (name.length() > 253) {
      return Optional.of("is longer than 253 characters");
    }
    if (name.startsWith(".")) {
      return Optional.of("starts with a period");
    }
    if (name.endsWith(".")) {
      return Optional.of("ends with a period");
    }
    String[] labels = name.split("\\.", -1);
    for (int k = 0; k < labels.length; k++) {
      String label = labels[k];
      if (k == 0 && wildcardAllowed && label.equals("*") && labels.length > 1) {
        continue;
      }
      if (label.isEmpty()) {
        return Optional.of("has an empty label");
      }
      if (label.indexOf('_') >= 0) {
        return Optional.of("contains an underscore");
      }
      if (label.indexOf('*') >= 0) {
        return Optional.of("has a wildcard that is not the whole leftmost label");
      }
      if (!LABEL.matcher(label).matches()) {
        return Optional.of("has a label with characters other than letters, digits and inner hyphens");
      }
    }
    return Optional.empty();
  }

  private static boolean contiguousMask(byte[] addressAndMask) {
    int half = addressAndMask.length / 2;
    boolean zeros = false;
    for (int k = half; k < addressAndMask.length; k++) {
      for (int bit = 7; bit >= 0; bit--) {
        boolean one = (addressAndMask[k] >> bit & 1) == 1;
        if (one && zeros) {
          return false;
        }
        zeros |= !one;
      }
    }
    return true;
  }

  private static List<String> dnsNamesOf(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    try {
      var names = cert.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> n : names) {
          if (n.size() > 1 && Integer.valueOf(2).equals(n.get(0)) && n.get(1) instanceof String s) {
            out.add(s);
          }
        }
      }
    } catch (CertificateParsingException e) {
      return out;
    }
    return out;
  }

  private static List<String> commonNames(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String s) {
          out.add(s);
        }
      }
    } catch (InvalidNameException e) {
      return out;
    }
    return out;
  }

  /** The text form CA/B Forum BR §7.1.4.3 asks for: dotted decimal, or RFC 5952 for IPv6. */
  static String ipText(byte[] ip) {
    if (ip.length == 4) {
      return (ip[0] & 0xff) + "." + (ip[1] & 0xff) + "." + (ip[2] & 0xff) + "." + (ip[3] & 0xff);
    }
    if (ip.length != 16) {
      return "";
    }
    int[] groups = new int[8];
    for (int k = 0; k < 8; k++) {
      groups[k] = (ip[2 * k] & 0xff) << 8 | (ip[2 * k + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int k = 0; k < 8; ) {
      if (groups[k] != 0) {
        k++;
        continue;
      }
      int start = k;
      while (k < 8 && groups[k] == 0) {
        k++;
      }
      if (k - start > bestLen) {
        bestStart = start;
        bestLen = k - start;
      }
    }
    if (bestLen < 2) {
      bestStart = -1;
    }
    StringBuilder s = new StringBuilder();
    for (int k = 0; k < 8; k++) {
      if (k == bestStart) {
        s.append("::");
        k += bestLen - 1;
        continue;
      }
      if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
        s.append(':');
      }
      s.append(Integer.toHexString(groups[k]));
    }
    return s.toString();
  }

  private static boolean critical(X509Certificate cert, String oid) {
    Set<String> critical = cert.getCriticalExtensionOIDs();
    return critical != null && critical.contains(oid);
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < s.length() && k < 100; k++) {
      char c = s.charAt(k);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }
}
