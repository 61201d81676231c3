package dev.tlsinspect.internal.cert;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Severity;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import java.security.cert.CertPathValidatorException;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The chain of trust. Builds paths of our own from the certificates the server sent (plus fetched
 * intermediates) to the trust anchors, validates them with the JDK's PKIX validator, and names
 * why the chain fails: CERT_SELF_SIGNED, CHAIN_INCOMPLETE (the server did not send an issuer),
 * CHAIN_UNTRUSTED (an untrusted root, or a path that breaks a PKIX rule: CA flag, path length,
 * name constraints, key usage, critical extensions, policies). Also CHAIN_ORDER (what the server
 * sends is out of order, foreign or duplicated), INTERMEDIATE_EXPIRED for CA certificates the
 * path needs but the server does not send, and TRUST_STORE_DIFFERS against the reference trust.
 *
 * <p>Dates of sent certificates are left to the validity check, and algorithm policy to the
 * weak-crypto checks, so an expired intermediate is reported as expired, not as untrusted.
 */
public final class TrustCheck implements Check {

  @Override
  public String id() {
    return "chain-of-trust";
  }

  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder("chain-of-trust")
        .summary("Whether the chain as sent leads to a trusted anchor, in order, and whether the reference trust store agrees")
        .codes(Code.CHAIN_INCOMPLETE, Code.CERT_SELF_SIGNED, Code.CHAIN_UNTRUSTED, Code.INTERMEDIATE_EXPIRED, Code.TRUST_STORE_DIFFERS, Code.CHAIN_ORDER)
        .reference("RFC 5280 §6")
        .reference("RFC 5280 §4.2.2.1")
        .reference("RFC 8446 §4.4.2")
        .reference("RFC 5246 §7.4.2")
        .since("0.1.0")
        .needs(CheckDescriptor.Input.PEER_CHAIN, CheckDescriptor.Input.TRUST_ANCHORS, CheckDescriptor.Input.REFERENCE_ANCHORS, CheckDescriptor.Input.FETCHED)
        .build();
  }

  @Override
  public List<Finding> evaluate(CheckContext ctx) {
    List<X509Certificate> chain = ctx.observation().map(o -> o.peerChain()).orElse(List.of());
    if (chain.isEmpty()) {
      return List.of();
    }
    List<Finding> out = new ArrayList<>();
    chainOrder(chain).ifPresent(out::add);
    List<X509Certificate> anchors = ctx.trustAnchors();
    X509Certificate leaf = chain.get(0);
    if (ChainPaths.isAnchor(anchors, leaf)) {
      return out; // pinned directly
    }
    // Validity has second granularity (RFC 5280 4.1.2.5): judge as the validity check does.
    Instant now = ctx.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    List<X509Certificate> sent = chain.subList(1, chain.size());
    String trust = ctx.options().trust().toString();
    ChainPaths.Assessment app = ChainPaths.assess(leaf, sent, anchors, now);

    if (app.trusted()) {
      ChainPaths.Validated best = app.best().orElseThrow();
      out.addAll(expiredButNotSent(best.path(), chain, now, trust));
      referenceDiffers(ctx, leaf, sent, true).ifPresent(out::add);
      return out;
    }
    if (app.pathFound()) {
      out.add(pkixFailure(ctx, leaf, app.firstFailure().orElseThrow(), trust));
      return out;
    }
    List<X509Certificate> fetched = ctx.fetched().intermediates();
    if (!fetched.isEmpty()) {
      List<X509Certificate> pool = new ArrayList<>(sent);
      pool.addAll(fetched);
      ChainPaths.Assessment completed = ChainPaths.assess(leaf, pool, anchors, now);
      Optional<ChainPaths.Validated> best = completed.best();
      if (best.isPresent()) {
        out.add(incomplete(ctx, chain, best.get().path(), trust));
        out.addAll(expiredButNotSent(best.get().path(), chain, now, trust));
        return out;
      }
    }
    if (Certs.selfSigned(leaf)) {
      out.add(selfSigned(ctx, leaf, trust));
      referenceDiffers(ctx, leaf, sent, false).ifPresent(out::add);
      return out;
    }
    List<X509Certificate> followed = follow(chain);
    X509Certificate top = followed.get(followed.size() - 1);
    boolean issuerKnown = anchors.stream()
        .anyMatch(a -> a.getSubjectX500Principal().equals(top.getIssuerX500Principal()));
    if (!Certs.selfIssued(top) && !issuerKnown && top == leaf) {
      out.add(incomplete(ctx, chain, null, trust));
    } else {
      out.add(untrustedRoot(ctx, chain, followed, issuerKnown, trust));
    }
    referenceDiffers(ctx, leaf, sent, false).ifPresent(out::add);
    return out;
  }

  // --- CHAIN_INCOMPLETE ---------------------------------------------------------------------

  /** {@code completed} is the path found with fetched intermediates, or null when unconfirmed. */
  private static Finding incomplete(CheckContext ctx, List<X509Certificate> chain,
      ChainPaths.Path completed, String trust) {
    X509Certificate leaf = chain.get(0);
    // The certificate whose issuer is missing: the top of what the server sent, in path order.
    List<X509Certificate> followed = follow(chain);
    X509Certificate lastSent = followed.get(followed.size() - 1);
    String missing = lastSent.getIssuerX500Principal().getName();
    Optional<String> aia = RevocationUrls.caIssuers(lastSent).stream().findFirst();
    List<X509Certificate> needed = new ArrayList<>();
    if (completed != null) {
      for (X509Certificate c : completed.certs()) {
        if (!chain.contains(c)) {
          needed.add(c);
        }
      }
    }
    String neededText = needed.isEmpty() ? "'" + missing + "'"
        : String.join(", then ", needed.stream().map(c -> "'" + Certs.describe(c) + "'").toList());
    Finding.Builder b = Finding.builder(Code.CHAIN_INCOMPLETE)
        .title("The server does not send the intermediate certificate")
        .detail("The server sent " + (chain.size() == 1 ? "only the leaf " + Certs.describe(leaf)
            : chain.size() + " certificate(s), ending the path at " + Certs.describe(lastSent))
            + ". Its issuer '" + missing + "' is neither sent nor in " + trust + "."
            + " Browsers may still connect (they fetch or cache intermediates); Java, curl and "
            + "most API clients will not."
            + aia.map(u -> " The certificate says the issuer can be downloaded from " + u + ".").orElse("")
            + (completed == null ? ""
                : " Confirmed: with the intermediate downloaded from the AIA URL the chain "
                    + describePath(completed.withAnchor()) + " is trusted."))
        .remediation("Configure the server to send the full chain: the leaf "
            + Certs.describe(leaf) + " first, then the intermediate " + neededText
            + " (nginx: ssl_certificate with the full chain file, leaf first, then the "
            + "intermediates; Apache: SSLCertificateFile with the chain appended; Java: the key "
            + "entry's certificate chain). If the issuer is in fact a private root, add that root "
            + "to the client's trust store instead.")
        .evidence("missingIssuer", missing)
        .evidence("trustStore", trust)
        .evidence("pathError", "no path from '" + leaf.getSubjectX500Principal().getName()
            + "' to a trust anchor over the " + chain.size() + " certificate(s) sent")
        .evidence("confirmed", completed != null);
    aia.ifPresent(u -> b.evidence("caIssuersUrl", u));
    if (completed != null) {
      b.evidence("completedChain", subjects(completed.withAnchor()));
    }
    Certs.identify(b, "leaf", leaf);
    return b.build();
  }

  // --- CERT_SELF_SIGNED ---------------------------------------------------------------------

  private static Finding selfSigned(CheckContext ctx, X509Certificate leaf, String trust) {
    Finding.Builder b = Finding.builder(Code.CERT_SELF_SIGNED)
        .title("The certificate is self-signed and not trusted")
        .detail("The leaf " + Certs.describe(leaf) + " is signed by its own key, and "
            + trust + " does not hold it.")
        .remediation("Use a certificate issued by a CA the clients trust (a public CA such as "
            + "Let's Encrypt, or your organisation's internal CA). If this self-signed certificate "
            + "(SHA-256 " + dev.tlsinspect.CertificateInfo.fingerprint(leaf) + ") is intended, "
            + "add exactly it to the client's trust store (keytool -importcert -alias "
            + ctx.target().host() + " -file server.crt -keystore truststore.p12) rather than "
            + "disabling verification.");
    Certs.identify(b, "leaf", leaf).evidence("trustStore", trust)
        .evidence("pathError", "the self-signed leaf is not a trust anchor");
    return b.build();
  }

  // --- CHAIN_UNTRUSTED: the root ------------------------------------------------------------

  private static Finding untrustedRoot(CheckContext ctx, List<X509Certificate> chain,
      List<X509Certificate> path, boolean issuerKnown, String trust) {
    X509Certificate leaf = chain.get(0);
    X509Certificate top = path.get(path.size() - 1);
    String root = Certs.selfIssued(top) ? top.getSubjectX500Principal().getName()
        : top.getIssuerX500Principal().getName();
    String rootCert = Certs.selfIssued(top) ? "the root " + Certs.describe(top) : "the root '" + root + "'";
    Finding.Builder b = Finding.builder(Code.CHAIN_UNTRUSTED)
        .title("The chain ends at a root that is not trusted")
        .detail("The chain " + describePath(path) + " leads to '" + root + "', which "
            + trust + " does not hold" + (issuerKnown ? " (a CA with that name is there, but "
            + "it did not sign this chain: a different key or a re-issued CA)" : "") + ".")
        .remediation("If '" + root + "' is your organisation's private CA, add " + rootCert
            + " to the trust store the application uses (keytool -importcert -cacerts or the "
            + "application's truststore). If the server should present a publicly trusted "
            + "certificate, replace the leaf " + Certs.describe(leaf) + "; if a proxy or antivirus "
            + "issued this chain, it is intercepting TLS.")
        .evidence("root", root)
        .evidence("trustStore", trust)
        .evidence("pathError", "no path from '" + leaf.getSubjectX500Principal().getName()
            + "' to a trust anchor over the " + chain.size() + " certificate(s) sent")
        .evidence("reason", issuerKnown ? "ANCHOR_KEY_MISMATCH" : "NO_TRUST_ANCHOR")
        .evidence("chainLength", (long) chain.size());
    Certs.identify(b, "leaf", leaf);
    return b.build();
  }

  // --- CHAIN_UNTRUSTED: a PKIX rule ---------------------------------------------------------

  private static Finding pkixFailure(CheckContext ctx, X509Certificate leaf,
      ChainPaths.Validated failed, String trust) {
    CertPathValidatorException e = failed.failure().orElseThrow();
    List<X509Certificate> path = failed.path().withAnchor();
    int index = e.getIndex();
    X509Certificate culprit = index >= 0 && index < path.size() ? path.get(index) : null;
    X509Certificate below = culprit != null && index > 0 ? path.get(index - 1) : null;
    String who = culprit == null ? "a certificate of the path" : Certs.describe(culprit);
    String reason = ChainPaths.reason(e);
    String what;
    String fix;
    if (e.getReason() == PKIXReason.NOT_CA_CERT) {
      what = "The certificate " + who + " issues " + (below == null ? "certificates"
          : Certs.describe(below)) + " but is not a CA: it lacks basicConstraints CA:true.";
      fix = "Have the CA reissue " + who + " with a critical basicConstraints CA:true (and keyUsage "
          + "keyCertSign), or, if the server sends the wrong certificate as its intermediate, "
          + "configure the intermediate the CA published for this leaf.";
    } else if (e.getReason() == PKIXReason.PATH_TOO_LONG) {
      what = "The path " + describePath(path) + " is longer than a pathLenConstraint in it allows"
          + (culprit == null ? "" : " (at " + who + ")") + ".";
      fix = "Use a chain that respects the CA's path length constraint: get the leaf issued by a "
          + "CA closer to the root, or a CA certificate without the constraint.";
    } else if (e.getReason() == PKIXReason.INVALID_NAME) {
      what = "A name of " + who + " violates the name constraints of a CA above it ("
          + e.getMessage() + ").";
      fix = "Reissue " + who + " with names inside the CA's permitted subtrees (and outside its "
          + "excluded ones), or get it from a CA that may issue for those names.";
    } else if (e.getReason() == PKIXReason.INVALID_KEY_USAGE) {
      what = "The CA certificate " + who + " has a keyUsage without keyCertSign, so it may not "
          + "sign certificates.";
      fix = "Have the CA reissue " + who + " with keyUsage keyCertSign (and cRLSign).";
    } else if (e.getReason() == PKIXReason.UNRECOGNIZED_CRIT_EXT) {
      what = "The certificate " + who + " carries a critical extension the validator does not "
          + "understand, so it must be rejected (RFC 5280 4.2).";
      fix = "Reissue " + who + " without the unknown critical extension, or with it marked "
          + "non-critical.";
    } else if (e.getReason() == PKIXReason.INVALID_POLICY) {
      what = "The certificate policies of the path " + describePath(path) + " do not satisfy "
          + "its policy constraints.";
      fix = "Use a chain whose certificate policies are consistent (ask the CA for the chain it "
          + "publishes for this leaf).";
    } else {
      what = "The path " + describePath(path) + " is not valid: " + e.getMessage() + ".";
      fix = "Compare the chain the server sends with the one the CA publishes for the leaf "
          + Certs.describe(leaf) + ", and deploy the CA's chain.";
    }
    Finding.Builder b = Finding.builder(Code.CHAIN_UNTRUSTED)
        .title("The chain breaks a rule of path validation (" + reason + ")")
        .detail(what + " The chain leads to " + Certs.describe(failed.path().anchor()) + " in "
            + trust + ", but Java's PKIX validation rejects the path: " + e.getMessage() + ".")
        .remediation(fix)
        .evidence("root", failed.path().anchor().getSubjectX500Principal().getName())
        .evidence("trustStore", trust)
        .evidence("pathError", String.valueOf(e.getMessage()))
        .evidence("reason", reason)
        .evidence("path", subjects(path));
    if (culprit != null) {
      Certs.identify(b, "certificate", culprit);
    }
    Certs.identify(b, "leaf", leaf);
    return b.build();
  }

  // --- INTERMEDIATE_EXPIRED for what the server does not send --------------------------------

  private static List<Finding> expiredButNotSent(ChainPaths.Path path, List<X509Certificate> chain,
      Instant now, String trust) {
    List<Finding> out = new ArrayList<>();
    List<X509Certificate> all = path.withAnchor();
    for (int i = 1; i < all.size(); i++) {
      X509Certificate c = all.get(i);
      if (chain.contains(c) || !ChainPaths.outOfDate(c, now)) {
        continue; // the validity check reports what the server sends
      }
      boolean anchor = i == all.size() - 1;
      boolean expired = now.isAfter(c.getNotAfter().toInstant());
      String where = anchor ? "the trust anchor in " + trust : "an intermediate the path needs (not sent by the server)";
      Finding.Builder b = Finding.builder(Code.INTERMEDIATE_EXPIRED)
          .title("The CA certificate '" + c.getSubjectX500Principal().getName() + "' the chain needs "
              + (expired ? "has expired" : "is not valid yet"))
          .detail("The path " + describePath(all) + " needs " + Certs.describe(c) + ", "
              + where + ", valid from " + c.getNotBefore().toInstant() + " until "
              + c.getNotAfter().toInstant() + "; it is now " + now + "."
              + (anchor ? " The JDK does not check an anchor's dates, but most other clients do." : ""))
          .remediation(anchor
              ? "Update the trust store (" + trust + ") with the CA's current root, and have the "
                  + "server send a chain that leads to a root that is still valid (ask the CA for "
                  + "its current chain)."
              : "Have the server send the CA's current intermediate instead of relying on '"
                  + c.getSubjectX500Principal().getName() + "', and replace it in the chain file.")
          .evidence("notBefore", c.getNotBefore().toInstant())
          .evidence("notAfter", c.getNotAfter().toInstant())
          .evidence("sent", false)
          .evidence("trustAnchor", anchor);
      Certs.identify(b, "certificate", c);
      out.add(b.build());
    }
    return out;
  }

  // --- TRUST_STORE_DIFFERS ------------------------------------------------------------------

  private static Optional<Finding> referenceDiffers(CheckContext ctx, X509Certificate leaf,
      List<X509Certificate> sent, boolean appTrusts) {
    List<X509Certificate> reference = ctx.referenceAnchors();
    if (reference.isEmpty() || ChainPaths.sameAnchors(reference, ctx.trustAnchors())) {
      return Optional.empty();
    }
    if (ChainPaths.isAnchor(reference, leaf)) {
      return Optional.empty();
    }
    ChainPaths.Assessment ref = ChainPaths.assess(leaf, sent, reference,
        ctx.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    if (ref.trusted() == appTrusts) {
      return Optional.empty();
    }
    String app = ctx.options().trust().toString();
    String refName = ctx.options().referenceTrust().toString();
    Finding.Builder b;
    if (!appTrusts) {
      ChainPaths.Path path = ref.best().orElseThrow().path();
      b = Finding.builder(Code.TRUST_STORE_DIFFERS)
          .title("The chain is trusted by " + refName + " but not by the application's trust store")
          .detail("The chain " + describePath(path.withAnchor()) + " leads to "
              + Certs.describe(path.anchor()) + ", which " + refName + " holds and " + app
              + " does not. The application uses a trust store of its own (javax.net.ssl.trustStore "
              + "or an SSLContext built from a custom key store) that lacks this root.")
          .remediation("Add the root " + Certs.describe(path.anchor()) + " to the application's "
              + "trust store, or build the trust store from the JDK's cacerts plus your private "
              + "CAs instead of from the private CAs alone.")
          .evidence("trustedBy", refName)
          .evidence("notTrustedBy", app)
          .evidence("root", path.anchor().getSubjectX500Principal().getName());
    } else {
      b = Finding.builder(Code.TRUST_STORE_DIFFERS)
          .severity(Severity.INFO)
          .title("The chain is trusted by the application's trust store but not by " + refName)
          .detail("The application trusts this chain (" + app + "), but " + refName + " does "
              + "not. That is expected for a private CA; other clients (another JVM with the "
              + "default trust store, curl, browsers) will reject the certificate "
              + Certs.describe(leaf) + ".")
          .remediation("Nothing to do when only clients configured with this trust store connect. "
              + "If other clients must connect, use a certificate from a publicly trusted CA, or "
              + "distribute the private root to them.")
          .evidence("trustedBy", app)
          .evidence("notTrustedBy", refName);
    }
    Certs.identify(b, "leaf", leaf);
    return Optional.of(b.build());
  }

  // --- CHAIN_ORDER --------------------------------------------------------------------------

  /** The sent chain against the order a path needs: leaf, then each issuer in turn. */
  static Optional<Finding> chainOrder(List<X509Certificate> chain) {
    if (chain.size() < 2) {
      return Optional.empty();
    }
    List<X509Certificate> distinct = new ArrayList<>(new LinkedHashSet<>(chain));
    List<String> duplicates = new ArrayList<>();
    Set<X509Certificate> seen = new HashSet<>();
    for (X509Certificate c : chain) {
      if (!seen.add(c) && !duplicates.contains(Certs.describe(c))) {
        duplicates.add(Certs.describe(c));
      }
    }
    List<X509Certificate> expected = follow(distinct);
    List<String> foreign = distinct.stream().filter(c -> !expected.contains(c))
        .map(Certs::describe).toList();
    List<X509Certificate> sentPathOrder = distinct.stream().filter(expected::contains).toList();
    boolean outOfOrder = !sentPathOrder.equals(expected);
    if (!outOfOrder && foreign.isEmpty() && duplicates.isEmpty()) {
      return Optional.empty();
    }
    List<String> problems = new ArrayList<>();
    if (outOfOrder) {
      problems.add("out of order");
    }
    if (!foreign.isEmpty()) {
      problems.add(foreign.size() + " certificate(s) that do not belong to the path ("
          + String.join("; ", foreign) + ")");
    }
    if (!duplicates.isEmpty()) {
      problems.add("duplicates (" + String.join("; ", duplicates) + ")");
    }
    Finding.Builder b = Finding.builder(Code.CHAIN_ORDER)
        .title("The server sends its chain " + (outOfOrder ? "out of order"
            : !foreign.isEmpty() ? "with certificates that do not belong to it" : "with duplicates"))
        .detail("The server sends " + describePath(chain) + ": " + String.join(", ", problems)
            + ". The path needs " + describePath(expected) + ". Most clients reorder, but "
            + "strict ones (older Java, embedded TLS stacks, some load balancers) fail, and every "
            + "extra certificate costs handshake bytes.")
        .remediation("Send exactly the path, leaf first, then each issuer in turn: "
            + String.join(", then ", expected.stream().map(c -> "'" + c.getSubjectX500Principal().getName() + "'").toList())
            + (foreign.isEmpty() ? "" : "; remove " + String.join(" and ", foreign))
            + " (nginx: the ssl_certificate file in that order; Apache: SSLCertificateFile in that order).")
        .evidence("sentOrder", subjects(chain))
        .evidence("expectedOrder", subjects(expected))
        .evidence("foreign", foreign)
        .evidence("duplicates", duplicates);
    return Optional.of(b.build());
  }

  /** From the leaf, each next issuer among the given certificates, by name and signature. */
  private static List<X509Certificate> follow(List<X509Certificate> chain) {
    List<X509Certificate> path = new ArrayList<>();
    X509Certificate top = chain.get(0);
    path.add(top);
    boolean progressed = true;
    while (progressed && !Certs.selfIssued(top) && path.size() <= ChainPaths.MAX_DEPTH) {
      progressed = false;
      for (X509Certificate c : chain) {
        if (!path.contains(c) && Certs.signedBy(top, c)) {
          path.add(c);
          top = c;
          progressed = true;
          break;
        }
      }
    }
    return path;
  }

  private static List<String> subjects(List<X509Certificate> certs) {
    return certs.stream().map(c -> c.getSubjectX500Principal().getName()).toList();
  }

  private static String describePath(List<X509Certificate> path) {
    List<String> names = new ArrayList<>();
    for (X509Certificate c : path) {
      names.add("'" + c.getSubjectX500Principal().getName() + "'");
    }
    return String.join(" -> ", names);
  }

  /**
   * Empty when the sent chain links, by issuer name and signature, to one of these anchors (or
   * the leaf is one); otherwise why not. Dates and PKIX rules are not judged: this answers "does
   * this chain belong to that trust store" for the checks that compare stores.
   */
  static Optional<String> buildPath(List<X509Certificate> chain, List<X509Certificate> anchors) {
    if (anchors.isEmpty()) {
      return Optional.of("the trust store is empty");
    }
    X509Certificate leaf = chain.get(0);
    if (ChainPaths.isAnchor(anchors, leaf)
        || !ChainPaths.build(leaf, chain.subList(1, chain.size()), anchors).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("no path from '" + leaf.getSubjectX500Principal().getName()
        + "' to a trust anchor over the " + chain.size() + " certificate(s) sent");
  }
}
