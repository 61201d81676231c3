package dev.tlsinspect.internal;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a path of our own from the certificates the server sent to the trust anchors in use, and
 * names why it fails: CERT_SELF_SIGNED, CHAIN_INCOMPLETE (the server did not send the issuer of
 * what it sent) or CHAIN_UNTRUSTED (the chain ends at a root the trust store does not hold).
 *
 * <p>Validity dates are left to the validity check, so an expired leaf is not also called
 * untrusted.
 */
final class TrustCheck implements Check {

  @Override
  public String id() {
    return "chain-of-trust";
  }

  @Override
  public List<Finding> evaluate(CheckContext ctx) {
    List<X509Certificate> chain = ctx.observation().map(o -> o.peerChain()).orElse(List.of());
    if (chain.isEmpty()) {
      return List.of();
    }
    List<X509Certificate> anchors = ctx.trustAnchors();
    X509Certificate leaf = chain.get(0);
    if (anchors.contains(leaf)) {
      return List.of(); // pinned directly
    }
    Optional<String> problem = buildPath(chain, anchors);
    if (problem.isEmpty()) {
      return List.of();
    }
    String trust = ctx.options().trust().toString();
    if (Certs.selfSigned(leaf)) {
      Finding.Builder b = Finding.builder(Code.CERT_SELF_SIGNED)
          .title("The certificate is self-signed and not trusted")
          .detail("The leaf " + Certs.describe(leaf) + " is signed by its own key, and "
              + trust + " does not hold it.")
          .remediation("Use a certificate issued by a CA the clients trust (a public CA such as "
              + "Let's Encrypt, or your organisation's internal CA). If this self-signed certificate "
              + "is intended, add exactly it to the client's trust store (keytool -importcert "
              + "-alias " + ctx.target().host() + " -file server.crt -keystore truststore.p12) rather "
              + "than disabling verification.");
      Certs.identify(b, "leaf", leaf).evidence("trustStore", trust).evidence("pathError", problem.get());
      return List.of(b.build());
    }
    // Follow the chain as sent from the leaf, by name and signature.
    List<X509Certificate> path = new ArrayList<>();
    path.add(leaf);
    X509Certificate top = leaf;
    Set<X509Certificate> used = new HashSet<>(path);
    boolean progressed = true;
    while (progressed && !Certs.selfIssued(top)) {
      progressed = false;
      for (X509Certificate c : chain) {
        if (!used.contains(c) && Certs.signedBy(top, c)) {
          path.add(c);
          used.add(c);
          top = c;
          progressed = true;
          break;
        }
      }
    }
    boolean issuerKnown = false;
    for (X509Certificate a : anchors) {
      if (a.getSubjectX500Principal().equals(top.getIssuerX500Principal())) {
        issuerKnown = true;
        break;
      }
    }
    if (!Certs.selfIssued(top) && !issuerKnown && top == leaf) {
      Optional<String> aia = AiaUrls.caIssuers(leaf);
      Finding.Builder b = Finding.builder(Code.CHAIN_INCOMPLETE)
          .title("The server does not send the intermediate certificate")
          .detail("The server sent only the leaf " + Certs.describe(leaf) + ". Its issuer '"
              + leaf.getIssuerX500Principal().getName() + "' is neither sent nor in " + trust + "."
              + " Browsers may still connect (they fetch or cache intermediates); Java, curl and "
              + "most API clients will not."
              + aia.map(u -> " The certificate says the issuer can be downloaded from " + u + ".").orElse(""))
          .remediation("Configure the server to send the full chain: the leaf first, then the "
              + "intermediate '" + leaf.getIssuerX500Principal().getName() + "' (nginx: "
              + "ssl_certificate with fullchain.pem; Apache: SSLCertificateFile with the chain "
              + "appended; Java: the key entry's certificate chain). If the issuer is in fact a "
              + "private root, add that root to the client's trust store instead.")
          .evidence("missingIssuer", leaf.getIssuerX500Principal().getName())
          .evidence("trustStore", trust)
          .evidence("pathError", problem.get());
      aia.ifPresent(u -> b.evidence("caIssuersUrl", u));
      Certs.identify(b, "leaf", leaf);
      return List.of(b.build());
    }
    String root = Certs.selfIssued(top) ? top.getSubjectX500Principal().getName()
        : top.getIssuerX500Principal().getName();
    Finding.Builder b = Finding.builder(Code.CHAIN_UNTRUSTED)
        .title("The chain ends at a root that is not trusted")
        .detail("The chain " + describePath(path) + " leads to '" + root + "', which "
            + trust + " does not hold" + (issuerKnown ? " (a CA with that name is there, but "
            + "it did not sign this chain: a different key or a re-issued CA)" : "") + ".")
        .remediation("If '" + root + "' is your organisation's private CA, add its root certificate "
            + "to the trust store the application uses (keytool -importcert -cacerts or the "
            + "application's truststore). If the server should present a publicly trusted "
            + "certificate, replace the certificate; if a proxy or antivirus issued this chain, it "
            + "is intercepting TLS.")
        .evidence("root", root)
        .evidence("trustStore", trust)
        .evidence("pathError", problem.get())
        .evidence("chainLength", (long) chain.size());
    Certs.identify(b, "leaf", leaf);
    return List.of(b.build());
  }

  private static String describePath(List<X509Certificate> path) {
    List<String> names = new ArrayList<>();
    for (X509Certificate c : path) {
      names.add("'" + c.getSubjectX500Principal().getName() + "'");
    }
    return String.join(" -> ", names);
  }

  /**
   * Empty when a path from the leaf to an anchor exists over the sent certificates; otherwise why
   * not. The path is built by issuer name and signature, with CA certificates as issuers; validity
   * dates and algorithm policy are deliberately not part of it (other checks name those), so an
   * expired intermediate is reported as expired, not as untrusted.
   */
  static Optional<String> buildPath(List<X509Certificate> chain, List<X509Certificate> anchors) {
    if (anchors.isEmpty()) {
      return Optional.of("the trust store is empty");
    }
    Set<X509Certificate> visited = new HashSet<>();
    return reaches(chain.get(0), chain, anchors, visited, 0)
        ? Optional.empty()
        : Optional.of("no path from '" + chain.get(0).getSubjectX500Principal().getName()
            + "' to a trust anchor over the " + chain.size() + " certificate(s) sent");
  }

  private static final int MAX_DEPTH = 12;

  private static boolean reaches(X509Certificate cert, List<X509Certificate> sent,
      List<X509Certificate> anchors, Set<X509Certificate> visited, int depth) {
    if (depth > MAX_DEPTH || !visited.add(cert)) {
      return false;
    }
    for (X509Certificate anchor : anchors) {
      if (anchor.equals(cert) || Certs.signedBy(cert, anchor)) {
        return true;
      }
    }
    for (X509Certificate issuer : sent) {
      if (issuer != cert && issuer.getBasicConstraints() >= 0 && Certs.signedBy(cert, issuer)
          && reaches(issuer, sent, anchors, visited, depth + 1)) {
        return true;
      }
    }
    return false;
  }
}
