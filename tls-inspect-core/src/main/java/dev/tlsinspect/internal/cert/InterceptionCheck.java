package dev.tlsinspect.internal.cert;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TLS_INTERCEPTION_SUSPECTED: the chain was issued by a TLS-inspecting proxy, antivirus or
 * gateway instead of the server's CA. Three signs, each enough:
 *
 * <ul>
 *   <li>the chain's root is not in the reference trust store (a public CA would be) and a CA name
 *       in the chain names an interception product (Zscaler, Fortinet, "SSL Inspection", ...);
 *   <li>the options' expected issuer is not in the leaf's issuer name;
 *   <li>the options pin public keys and no key of the chain (or its anchor) matches.
 * </ul>
 */
public final class InterceptionCheck implements Check {
  /*
   * Product and feature names as they appear in the CA certificates these products generate.
   * Matched as whole words, case-insensitively, only on CA names that the reference store does not
   * hold, so a vendor's own public website certificate is never flagged.
   */
  private static final List<String> KEYWORDS = List.of(
      "Zscaler", "Netskope", "Fortinet", "FortiGate", "Palo Alto", "PAN-OS", "Blue Coat", "BlueCoat",
      "ProxySG", "Symantec Web", "McAfee Web Gateway", "McAfee", "Skyhigh", "Cisco Umbrella",
      "Umbrella", "OpenDNS", "Sophos", "Kaspersky", "Avast", "AVG", "ESET", "Bitdefender", "Norton",
      "Forcepoint", "Websense", "Check Point", "Checkpoint", "Barracuda", "Untangle", "mitmproxy",
      "Charles Proxy", "Fiddler", "DO_NOT_TRUST", "PortSwigger", "Burp", "Squid",
      "Menlo Security", "iboss", "Cloudflare Gateway", "Cloudflare for Teams", "Cloudflare Zero Trust",
      "WatchGuard", "SonicWall", "Trend Micro", "Lightspeed", "Securly", "GoGuardian", "ContentKeeper",
      "Smoothwall", "Cato Networks", "Proxy CA", "SSL Inspection", "TLS Inspection", "SSL Decryption",
      "TLS Decryption", "Decryption", "Deep Inspection", "HTTPS Inspection", "Web Filter",
      "Interception");
  private static final Pattern KEYWORD = Pattern.compile(KEYWORDS.stream()
      .map(k -> Pattern.quote(k))
      .reduce((a, b) -> a + "|" + b)
      .map(alternatives -> "(?<![A-Za-z0-9])(" + alternatives + ")(?![A-Za-z0-9])")
      .orElseThrow(), Pattern.CASE_INSENSITIVE);

  @Override
  public String id() {
    return "interception";
  }

  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder("interception")
        .summary("Whether the chain comes from an interception product's CA, another issuer than expected, or keys other than the pinned ones")
        .codes(Code.TLS_INTERCEPTION_SUSPECTED)
        .since("0.1.0")
        .needs(CheckDescriptor.Input.PEER_CHAIN, CheckDescriptor.Input.TRUST_ANCHORS, CheckDescriptor.Input.OPTIONS)
        .build();
  }

  @Override
  public List<Finding> evaluate(CheckContext ctx) {
    List<X509Certificate> chain = ctx.observation().map(o -> o.peerChain()).orElse(List.of());
    if (chain.isEmpty()) {
      return List.of();
    }
    X509Certificate leaf = chain.get(0);
    List<X509Certificate> anchors = ctx.trustAnchors();
    Optional<X509Certificate> anchor = anchorOf(chain, anchors);
    List<Finding> out = new ArrayList<>();
    productCa(ctx, chain, anchor).ifPresent(out::add);
    ctx.options().expectedIssuer().ifPresent(expected -> {
      String issuer = leaf.getIssuerX500Principal().getName();
      if (!issuer.toLowerCase(Locale.ROOT).contains(expected.toLowerCase(Locale.ROOT))) {
        Finding.Builder b = Finding.builder(Code.TLS_INTERCEPTION_SUSPECTED)
            .title("The certificate is not issued by the expected CA")
            .detail("The leaf " + Certs.describe(leaf) + " is issued by '" + issuer + "', which does "
                + "not contain the expected '" + expected + "'. Something between this host and "
                + ctx.target().host() + " may be presenting its own certificate"
                + anchor.map(a -> " (the chain ends at '" + a.getSubjectX500Principal().getName()
                    + "')").orElse("") + ".")
            .remediation(remediation(ctx))
            .evidence("reason", "expectedIssuer")
            .evidence("expectedIssuer", expected)
            .evidence("actualIssuer", issuer);
        anchor.ifPresent(a -> b.evidence("root", a.getSubjectX500Principal().getName()));
        Certs.identify(b, "leaf", leaf);
        out.add(b.build());
      }
    });
    Set<String> pins = ctx.options().pinnedKeys();
    if (!pins.isEmpty()) {
      List<X509Certificate> pinnable = new ArrayList<>(chain);
      anchor.filter(a -> !pinnable.contains(a)).ifPresent(pinnable::add);
      Set<String> seen = new LinkedHashSet<>();
      for (X509Certificate c : pinnable) {
        seen.add(spkiSha256(c));
      }
      Set<String> matched = new HashSet<>(seen);
      matched.retainAll(pins);
      if (matched.isEmpty()) {
        Finding.Builder b = Finding.builder(Code.TLS_INTERCEPTION_SUSPECTED)
            .title("No public key in the chain matches the pinned keys")
            .detail("None of the " + pins.size() + " pinned key(s) is the key of a certificate in the "
                + "chain of " + ctx.target().host() + " (leaf " + Certs.describe(leaf) + ", issued by '"
                + leaf.getIssuerX500Principal().getName() + "'). Either something on the path "
                + "presents its own certificate, or the server's keys changed without the pins.")
            .remediation(remediation(ctx) + " If the server's operators rotated the key or changed "
                + "CA on purpose, update the pins (keep a backup pin for the next key).")
            .evidence("reason", "pinMismatch")
            .evidence("pinnedKeys", List.copyOf(new java.util.TreeSet<>(pins)))
            .evidence("chainKeys", List.copyOf(seen));
        Certs.identify(b, "leaf", leaf);
        out.add(b.build());
      }
    }
    return out;
  }

  private static Optional<Finding> productCa(CheckContext ctx, List<X509Certificate> chain,
      Optional<X509Certificate> anchor) {
    // The names of the CAs behind the leaf: what the server sent and the anchor it chains to,
    // or, for an untrusted chain, the top certificate's issuer.
    List<String> names = new ArrayList<>();
    List<X509Certificate> cas = new ArrayList<>();
    for (int i = 1; i < chain.size(); i++) {
      cas.add(chain.get(i));
    }
    anchor.filter(a -> !cas.contains(a)).ifPresent(cas::add);
    for (X509Certificate c : cas) {
      names.add(c.getSubjectX500Principal().getName());
    }
    names.add(chain.get(0).getIssuerX500Principal().getName());
    List<X509Certificate> reference = ctx.referenceAnchors();
    if (anchor.isPresent() && ChainPaths.isAnchor(reference, anchor.get())) {
      return Optional.empty();
    }
    if (!reference.isEmpty() && TrustCheck.buildPath(chain, reference).isEmpty()) {
      return Optional.empty(); // a public chain
    }
    for (String name : new LinkedHashSet<>(names)) {
      Matcher m = KEYWORD.matcher(name);
      if (m.find()) {
        boolean trusted = anchor.isPresent();
        String root = anchor.map(a -> a.getSubjectX500Principal().getName()).orElse(name);
        X509Certificate leaf = chain.get(0);
        Finding.Builder b = Finding.builder(Code.TLS_INTERCEPTION_SUSPECTED)
            .title("The certificate was issued by an interception CA ('" + m.group(1) + "')")
            .detail("The chain of " + ctx.target().host() + " is issued by '" + name + "', which "
                + "names a TLS-inspecting proxy, antivirus or gateway product ('" + m.group(1)
                + "'), and it does not chain to a CA of the reference trust store. "
                + (trusted
                    ? "This application trusts that CA ('" + root + "'), so the inspection is "
                        + "silent: the connection works, but the proxy sees and can alter all "
                        + "traffic, and what this report says about the certificate describes the "
                        + "proxy, not " + ctx.target().host() + "."
                    : "This application does not trust that CA, so connections through the proxy "
                        + "fail certificate validation."))
            .remediation(remediation(ctx))
            .evidence("reason", "interceptionCa")
            .evidence("matchedKeyword", m.group(1))
            .evidence("issuer", name)
            .evidence("root", root)
            .evidence("trustedByApplication", trusted);
        Certs.identify(b, "leaf", leaf);
        return Optional.of(b.build());
      }
    }
    return Optional.empty();
  }

  private static String remediation(CheckContext ctx) {
    return "Find out whether a TLS-inspecting proxy, firewall or antivirus sits between this host and "
        + ctx.target().host() + " (compare with the certificate seen from another network, e.g. "
        + "openssl s_client -connect " + ctx.target().host() + ":" + ctx.target().port()
        + " -showcerts). If the inspection is your organisation's and intended, trust its CA "
        + "explicitly in this application's trust store (keytool -importcert) and nowhere else; "
        + "otherwise ask for " + ctx.target().host() + " to be excluded from inspection (many "
        + "services, and every pinned one, break under it) or bypass the proxy for this host "
        + "(NO_PROXY, -Dhttp.nonProxyHosts). If no proxy is expected, treat the chain as tampered "
        + "with and do not send credentials over this connection.";
  }

  /** The anchor of the trust store the chain reaches: a sent certificate that is one, or its signer. */
  static Optional<X509Certificate> anchorOf(List<X509Certificate> chain, List<X509Certificate> anchors) {
    if (anchors.isEmpty()) {
      return Optional.empty();
    }
    // By subject name, from the index ChainPaths keeps per trust store: the same answers (in the
    // anchors' order) without asking ~150 anchors for their names on every inspection.
    java.util.Map<javax.security.auth.x500.X500Principal, List<X509Certificate>> bySubject =
        ChainPaths.anchorIndex(anchors);
    Set<X509Certificate> visited = new HashSet<>();
    X509Certificate current = chain.get(0);
    for (int depth = 0; current != null && depth <= 12 && visited.add(current); depth++) {
      if (bySubject.getOrDefault(current.getSubjectX500Principal(), List.of()).contains(current)) {
        return Optional.of(current);
      }
      for (X509Certificate a : bySubject.getOrDefault(current.getIssuerX500Principal(), List.of())) {
        if (Certs.signedBy(current, a)) {
          return Optional.of(a);
        }
      }
      X509Certificate next = null;
      for (X509Certificate c : chain) {
        if (c != current && !visited.contains(c) && Certs.signedBy(current, c)) {
          next = c;
          break;
        }
      }
      current = next;
    }
    return Optional.empty();
  }

  /** The HPKP pin of a certificate's key: base64 of the SHA-256 of its SubjectPublicKeyInfo. */
  static String spkiSha256(X509Certificate cert) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded());
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
