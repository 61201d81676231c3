package dev.tlsinspect.internal.cert;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Severity;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import dev.tlsinspect.check.Fetched;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Revocation of the leaf, from what the server stapled and what the inspection fetched (OCSP
 * responses and CRLs, only when the options allow fetching):
 * <ul>
 *   <li>CERT_REVOKED when a verified, current OCSP response or CRL says the leaf is revoked;
 *   <li>OCSP_STAPLING_MISSING: INFO when the server staples nothing and the leaf names an OCSP
 *       responder; LOW when the staple is unusable (bad signature, stale, another certificate);
 *   <li>REVOCATION_INFO_MISSING when the leaf names neither an OCSP responder nor a CRL (not for
 *       a self-signed leaf or one that is itself a trust anchor: nobody can revoke those);
 *   <li>REVOCATION_STATUS_UNKNOWN: HIGH when the fetched or given revocation data for the leaf is
 *       invalid (clients that check revocation reject the certificate), LOW when the online check
 *       was asked for and could not be made.
 * </ul>
 * Pure: it reads the observation and {@link CheckContext#fetched()}, and does no I/O.
 */
public final class RevocationCheck implements Check {
  /** CRL extensions understood here; any other critical one makes the CRL unusable. */
  private static final Set<String> KNOWN_CRL_EXTENSIONS = Set.of(
      "2.5.29.20", // CRLNumber
      "2.5.29.35", // authorityKeyIdentifier
      "2.5.29.28", // issuingDistributionPoint
      "2.5.29.18"); // issuerAltName
  private static final String CRL_NUMBER = "2.5.29.20";

  @Override
  public String id() {
    return "revocation";
  }

  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder("revocation")
        .summary("The leaf's revocation status from stapled or fetched OCSP responses and CRLs, and whether it can be checked at all")
        .codes(Code.CERT_REVOKED, Code.REVOCATION_STATUS_UNKNOWN, Code.REVOCATION_INFO_MISSING, Code.OCSP_STAPLING_MISSING)
        .reference("RFC 6960")
        .reference("RFC 5280 §5")
        .reference("RFC 6066 §8")
        .reference("RFC 8446 §4.4.2.1")
        .since("0.1.0")
        .needs(CheckDescriptor.Input.PEER_CHAIN, CheckDescriptor.Input.TRUST_ANCHORS, CheckDescriptor.Input.FETCHED, CheckDescriptor.Input.OPTIONS)
        .build();
  }

  /** What one source says. */
  private record Verdict(String source, Status status, String problem, Optional<Instant> revocationTime,
      Optional<String> reason, String responder, Optional<Instant> thisUpdate,
      Optional<Instant> nextUpdate, Optional<Instant> producedAt) {

    static Verdict unusable(String source, String problem) {
      return new Verdict(source, Status.UNUSABLE, problem, Optional.empty(), Optional.empty(), "",
          Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  private enum Status { GOOD, REVOKED, UNUSABLE }

  @Override
  public List<Finding> evaluate(CheckContext ctx) {
    List<X509Certificate> chain = ctx.observation().map(o -> o.peerChain()).orElse(List.of());
    if (chain.isEmpty()) {
      return List.of();
    }
    X509Certificate leaf = chain.get(0);
    Fetched fetched = ctx.fetched();
    List<X509Certificate> anchors = ctx.trustAnchors();
    Instant now = ctx.now();
    boolean unrevocable = ChainPaths.isAnchor(anchors, leaf) || Certs.selfSigned(leaf);
    // The leaf's issuer, and the CRL's signer, bear the leaf's issuer name: of the anchors, only
    // those so named are candidates (asking ~150 anchors for their names costs more than the rest).
    List<X509Certificate> candidates = new ArrayList<>();
    candidates.addAll(chain.subList(1, chain.size()));
    candidates.addAll(fetched.intermediates());
    candidates.addAll(ChainPaths.anchorsNamed(anchors, leaf.getIssuerX500Principal()));
    if (Certs.selfIssued(leaf)) {
      candidates.add(leaf);
    }
    Optional<X509Certificate> issuer = candidates.stream().filter(c -> Certs.signedBy(leaf, c)).findFirst();
    List<String> ocspUrls = RevocationUrls.ocsp(leaf);
    List<String> crlUrls = RevocationUrls.crls(leaf);
    List<byte[]> stapled = ctx.observation().map(o -> o.stapledOcsp()).orElse(List.of());

    List<Verdict> verdicts = new ArrayList<>();
    List<Verdict> staples = new ArrayList<>();
    for (byte[] der : stapled) {
      Verdict v = ocsp("stapled", der, leaf, issuer, now);
      staples.add(v);
      verdicts.add(v);
    }
    for (byte[] der : fetched.ocspResponses()) {
      verdicts.add(ocsp("ocsp", der, leaf, issuer, now));
    }
    for (X509CRL crl : fetched.crls()) {
      crl(crl, leaf, candidates, now).ifPresent(verdicts::add);
    }
    List<String> notes = fetched.notes().stream()
        .filter(n -> n.startsWith("ocsp ") || n.startsWith("crl ")).toList();

    List<Finding> out = new ArrayList<>();
    List<Verdict> revoked = verdicts.stream().filter(v -> v.status() == Status.REVOKED).toList();
    boolean known = verdicts.stream().anyMatch(v -> v.status() != Status.UNUSABLE);
    if (!revoked.isEmpty()) {
      out.add(revoked(leaf, revoked));
    }
    List<Verdict> badFetched = verdicts.stream()
        .filter(v -> v.status() == Status.UNUSABLE && !v.source().equals("stapled")).toList();
    if (!known && !badFetched.isEmpty()) {
      out.add(invalidData(leaf, badFetched, notes));
    }
    List<Verdict> badStaples = staples.stream().filter(v -> v.status() == Status.UNUSABLE).toList();
    if (!badStaples.isEmpty() && staples.stream().noneMatch(v -> v.status() != Status.UNUSABLE)) {
      Finding.Builder b = Finding.builder(Code.OCSP_STAPLING_MISSING)
          .severity(Severity.LOW)
          .title("The server staples an OCSP response that is unusable")
          .detail("The server stapled " + badStaples.size() + " OCSP response(s) for "
              + Certs.describe(leaf) + ", and none can be used: "
              + String.join("; ", badStaples.stream().map(Verdict::problem).toList())
              + ". Clients ignore such a staple, or (with must-staple) refuse the connection.")
          .remediation("Make the server fetch a fresh response from the CA's responder (nginx: "
              + "ssl_stapling on with a resolver and ssl_stapling_verify on; Apache: SSLUseStapling "
              + "on; check that the server's clock is right and that its cached response is for the "
              + "certificate it now serves).")
          .evidence("staple", "unusable")
          .evidence("problems", badStaples.stream().map(Verdict::problem).toList());
      Certs.identify(b, "leaf", leaf);
      out.add(b.build());
    }
    if (stapled.isEmpty() && !ocspUrls.isEmpty() && !unrevocable) {
      Finding.Builder b = Finding.builder(Code.OCSP_STAPLING_MISSING)
          .title("The server does not staple an OCSP response")
          .detail("The leaf " + Certs.describe(leaf) + " names the OCSP responder "
              + ocspUrls.get(0) + ", but the server sent no OCSP response in the handshake, so "
              + "each client that checks revocation must ask the responder itself (slower, and a "
              + "privacy leak to the CA).")
          .remediation("Enable OCSP stapling on the server (nginx: ssl_stapling on; "
              + "ssl_stapling_verify on; Apache: SSLUseStapling on; Java: "
              + "jdk.tls.server.enableStatusRequestExtension=true).")
          .evidence("ocspUrl", ocspUrls.get(0));
      if (!notes.isEmpty()) {
        b.evidence("fetchNotes", notes);
      }
      out.add(b.build());
    }
    if (ocspUrls.isEmpty() && crlUrls.isEmpty() && !unrevocable) {
      // Public CAs must publish revocation data (CA/Browser Forum baseline requirements); a
      // private CA may legitimately not, so there it is worth knowing, not a warning.
      List<X509Certificate> reference = ctx.referenceAnchors();
      boolean publicChain = !reference.isEmpty()
          && TrustCheck.buildPath(ctx.observation().orElseThrow().peerChain(), reference).isEmpty();
      Finding.Builder b = Finding.builder(Code.REVOCATION_INFO_MISSING)
          .severity(publicChain ? Severity.LOW : Severity.INFO)
          .title("The certificate names no OCSP responder and no CRL")
          .detail("The leaf " + Certs.describe(leaf) + " has neither an OCSP URL (Authority "
              + "Information Access) nor a CRL distribution point, so if its key is ever "
              + "compromised, no client can learn that it was revoked.")
          .remediation("Issue certificates with an OCSP responder or a CRL distribution point "
              + "(public CAs always add them; for a private CA, set authorityInfoAccess and "
              + "crlDistributionPoints in its issuing profile).")
          .evidence("publicChain", publicChain);
      Certs.identify(b, "leaf", leaf);
      out.add(b.build());
    }
    if (revoked.isEmpty() && !known && badFetched.isEmpty() && stapled.isEmpty()
        && ctx.options().checkRevocationOnline() && !unrevocable
        && (!ocspUrls.isEmpty() || !crlUrls.isEmpty())) {
      Finding.Builder b = Finding.builder(Code.REVOCATION_STATUS_UNKNOWN)
          .severity(Severity.LOW)
          .title("The revocation status could not be checked online")
          .detail("The online revocation check of " + Certs.describe(leaf) + " got no usable "
              + "answer" + (notes.isEmpty() ? "" : ": " + String.join("; ", notes)) + ".")
          .remediation("Check that this machine can reach the CA's OCSP responder or CRL "
              + "distribution point (firewall, proxy), and retry; clients behind the same network "
              + "cannot check revocation either.")
          .evidence("fetchNotes", notes.isEmpty() ? List.of("no answer") : notes);
      Certs.identify(b, "leaf", leaf);
      out.add(b.build());
    }
    return out;
  }

  private static Finding revoked(X509Certificate leaf, List<Verdict> revoked) {
    Verdict v = revoked.get(0);
    String when = v.revocationTime().map(Instant::toString).orElse("an unknown time");
    String why = v.reason().map(r -> " (reason: " + r + ")").orElse("");
    Finding.Builder b = Finding.builder(Code.CERT_REVOKED)
        .title("The certificate is revoked")
        .detail("The " + sourceName(v.source()) + " from '" + v.responder() + "' says "
            + Certs.describe(leaf) + " was revoked at " + when + why + ". Clients that check "
            + "revocation refuse it.")
        .remediation("Replace the certificate now: generate a new key (the old one may be "
            + "compromised), have the CA issue a new certificate, install it with its chain, and "
            + "find out why the certificate was revoked before reusing anything of the old setup.")
        .evidence("source", v.source());
    v.revocationTime().ifPresent(t -> b.evidence("revocationTime", t));
    v.reason().ifPresent(r -> b.evidence("reason", r));
    b.evidence("responder", v.responder());
    v.thisUpdate().ifPresent(t -> b.evidence("thisUpdate", t));
    v.nextUpdate().ifPresent(t -> b.evidence("nextUpdate", t));
    v.producedAt().ifPresent(t -> b.evidence("producedAt", t));
    Set<String> sources = new LinkedHashSet<>();
    revoked.forEach(r -> sources.add(r.source()));
    b.evidence("sources", List.copyOf(sources));
    Certs.identify(b, "leaf", leaf);
    return b.build();
  }

  private static Finding invalidData(X509Certificate leaf, List<Verdict> bad, List<String> notes) {
    List<String> problems = bad.stream().map(v -> v.source() + ": " + v.problem()).toList();
    Finding.Builder b = Finding.builder(Code.REVOCATION_STATUS_UNKNOWN)
        .title("The revocation data for the certificate is invalid")
        .detail("The revocation status of " + Certs.describe(leaf) + " cannot be established: "
            + String.join("; ", problems) + ". Clients that check revocation strictly (Java with "
            + "revocation checking on, many enterprise proxies) reject the certificate.")
        .remediation("Ask the CA (or fix your private CA) to publish a valid, current CRL or OCSP "
            + "response signed by the issuing CA: a CRLNumber, the cRLSign key usage on the signer, "
            + "a nextUpdate in the future.")
        .evidence("sources", bad.stream().map(Verdict::source).distinct().toList())
        .evidence("problems", problems);
    if (!notes.isEmpty()) {
      b.evidence("fetchNotes", notes);
    }
    Certs.identify(b, "leaf", leaf);
    return b.build();
  }

  private static String sourceName(String source) {
    return switch (source) {
      case "stapled" -> "OCSP response stapled by the server";
      case "ocsp" -> "OCSP response fetched from the responder";
      default -> "CRL";
    };
  }

  private static Verdict ocsp(String source, byte[] der, X509Certificate leaf,
      Optional<X509Certificate> issuer, Instant now) {
    OcspResponse response;
    try {
      response = OcspResponse.parse(der);
    } catch (Der.MalformedException e) {
      return Verdict.unusable(source, "malformed OCSP response (" + e.getMessage() + ")");
    }
    if (!response.successful()) {
      return Verdict.unusable(source, "the responder answered "
          + OcspResponse.statusName(response.responseStatus()));
    }
    OcspResponse.Basic basic = response.basic().orElseThrow();
    if (issuer.isEmpty()) {
      return Verdict.unusable(source, "the leaf's issuer '" + leaf.getIssuerX500Principal().getName()
          + "' is neither sent nor trusted, so the response cannot be verified");
    }
    Optional<OcspResponse.Single> single = basic.find(leaf, issuer.get());
    if (single.isEmpty()) {
      return Verdict.unusable(source, "the response is about another certificate (no entry for "
          + "serial " + leaf.getSerialNumber().toString(16) + " of this issuer)");
    }
    if (basic.signer(issuer.get(), now).isEmpty()) {
      return Verdict.unusable(source, "bad signature: neither the issuer nor a delegated responder "
          + "it authorised (EKU OCSPSigning) signed the response");
    }
    OcspResponse.Single s = single.get();
    if (s.thisUpdate().isAfter(now.plus(OcspResponse.SKEW))) {
      return Verdict.unusable(source, "not yet valid: thisUpdate " + s.thisUpdate() + " is after now " + now);
    }
    if (s.nextUpdate().isPresent() && s.nextUpdate().get().plus(OcspResponse.SKEW).isBefore(now)) {
      return Verdict.unusable(source, "stale: nextUpdate " + s.nextUpdate().get() + " has passed (now " + now + ")");
    }
    if (s.status() == OcspResponse.Status.UNKNOWN) {
      return Verdict.unusable(source, "the responder does not know the certificate (status unknown)");
    }
    return new Verdict(source, s.status() == OcspResponse.Status.REVOKED ? Status.REVOKED : Status.GOOD,
        "", s.revocationTime(), s.reason().map(OcspResponse::reasonName), basic.responder(),
        Optional.of(s.thisUpdate()), s.nextUpdate(), Optional.of(basic.producedAt()));
  }

  /** Empty when the CRL is not about the leaf's issuer (another CA's CRL is not evidence). */
  private static Optional<Verdict> crl(X509CRL crl, X509Certificate leaf,
      List<X509Certificate> candidates, Instant now) {
    if (!crl.getIssuerX500Principal().equals(leaf.getIssuerX500Principal())) {
      return Optional.empty();
    }
    String issuerName = crl.getIssuerX500Principal().getName();
    X509Certificate signer = null;
    boolean issuerSeen = false;
    for (X509Certificate c : candidates) {
      if (!c.getSubjectX500Principal().equals(crl.getIssuerX500Principal())
          || !Certs.signedBy(leaf, c)) {
        continue;
      }
      issuerSeen = true;
      try {
        crl.verify(c.getPublicKey());
        signer = c;
        break;
      } catch (java.security.GeneralSecurityException | RuntimeException e) {
        // try the next certificate of that name
      }
    }
    if (signer == null) {
      return Optional.of(Verdict.unusable("crl", issuerSeen
          ? "the CRL of '" + issuerName + "' is not signed by the key that signed the leaf"
          : "the issuer '" + issuerName + "' is neither sent nor trusted, so its CRL cannot be verified"));
    }
    boolean[] ku = signer.getKeyUsage();
    if (ku != null && (ku.length < 7 || !ku[6])) {
      return Optional.of(Verdict.unusable("crl", "the CRL's signer '" + issuerName
          + "' has a keyUsage without cRLSign (RFC 5280 4.2.1.3)"));
    }
    if (crl.getExtensionValue(CRL_NUMBER) == null) {
      return Optional.of(Verdict.unusable("crl", "the CRL of '" + issuerName
          + "' has no CRLNumber (RFC 5280 5.2.3)"));
    }
    Set<String> critical = crl.getCriticalExtensionOIDs();
    if (critical != null) {
      if (critical.contains(CRL_NUMBER)) {
        return Optional.of(Verdict.unusable("crl", "the CRL of '" + issuerName
            + "' marks CRLNumber critical (RFC 5280 5.2.3)"));
      }
      for (String oid : critical) {
        if (!KNOWN_CRL_EXTENSIONS.contains(oid)) {
          return Optional.of(Verdict.unusable("crl", "the CRL of '" + issuerName
              + "' has the unsupported critical extension " + oid));
        }
      }
    }
    Instant thisUpdate = crl.getThisUpdate().toInstant();
    Optional<Instant> nextUpdate = Optional.ofNullable(crl.getNextUpdate()).map(java.util.Date::toInstant);
    if (thisUpdate.isAfter(now.plus(OcspResponse.SKEW))) {
      return Optional.of(Verdict.unusable("crl", "the CRL of '" + issuerName + "' is not yet valid: "
          + "thisUpdate " + thisUpdate + " is after now " + now));
    }
    if (nextUpdate.isPresent() && nextUpdate.get().plus(OcspResponse.SKEW).isBefore(now)) {
      return Optional.of(Verdict.unusable("crl", "the CRL of '" + issuerName + "' is stale: "
          + "nextUpdate " + nextUpdate.get() + " has passed (now " + now + ")"));
    }
    X509CRLEntry entry = crl.getRevokedCertificate(leaf.getSerialNumber());
    if (entry == null) {
      return Optional.of(new Verdict("crl", Status.GOOD, "", Optional.empty(), Optional.empty(),
          issuerName, Optional.of(thisUpdate), nextUpdate, Optional.empty()));
    }
    Optional<String> reason = Optional.ofNullable(entry.getRevocationReason())
        .map(r -> OcspResponse.reasonName(r.ordinal()));
    return Optional.of(new Verdict("crl", Status.REVOKED, "",
        Optional.ofNullable(entry.getRevocationDate()).map(java.util.Date::toInstant), reason,
        issuerName, Optional.of(thisUpdate), nextUpdate, Optional.empty()));
  }
}
