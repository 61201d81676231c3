package dev.tlsinspect.internal.inspect;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.check.Fetched;
import dev.tlsinspect.internal.cert.Certs;
import dev.tlsinspect.internal.cert.Der;
import dev.tlsinspect.internal.cert.OcspResponse;
import dev.tlsinspect.internal.cert.RevocationUrls;
import dev.tlsinspect.probe.Deadline;
import dev.tlsinspect.probe.Observation;
import java.io.ByteArrayInputStream;
import java.security.cert.CRL;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/*
 * Between the probes and the checks: downloads what the options allow, so that checks stay pure.
 *  - fetchIntermediates: when the sent chain does not reach an anchor, the caIssuers URL of the top
 *    of the sent chain (then of what was downloaded, up to three steps);
 *  - checkRevocationOnline: when nothing was stapled, an OCSP request to the leaf's responder, and
 *    the CRL when there is no responder or it gave nothing.
 * Everything is bounded by Fetcher and by the inspection's deadline; nothing here throws.
 */
/** The opt-in fetch phase of an inspection. Not API. */
final class FetchPhase {
  private static final int MAX_AIA_STEPS = 3;
  private static final int MAX_CERTS_PER_FETCH = 10;

  private FetchPhase() {}

  static Fetched run(InspectOptions options, Optional<Observation> seen, Deadline deadline) {
    if (!options.fetchIntermediates() && !options.checkRevocationOnline()) {
      return Fetched.none();
    }
    List<X509Certificate> chain = seen.map(Observation::peerChain).orElse(List.of());
    if (chain.isEmpty()) {
      return Fetched.none();
    }
    List<String> notes = new ArrayList<>();
    List<X509Certificate> intermediates = new ArrayList<>();
    List<byte[]> ocsp = new ArrayList<>();
    List<X509CRL> crls = new ArrayList<>();
    List<X509Certificate> anchors = List.of();
    try (Fetcher fetcher = new Fetcher()) {
      if (options.fetchIntermediates()) {
        anchors = options.trust().anchors();
        intermediates(fetcher, chain, anchors, deadline, intermediates, notes);
      }
      if (options.checkRevocationOnline() && seen.get().stapledOcsp().isEmpty()) {
        if (anchors.isEmpty()) {
          anchors = options.trust().anchors();
        }
        revocation(fetcher, chain, intermediates, anchors, deadline, ocsp, crls, notes);
      }
    }
    return new Fetched(intermediates, ocsp, crls, notes);
  }

  private static void intermediates(Fetcher fetcher, List<X509Certificate> chain, List<X509Certificate> anchors,
      Deadline deadline, List<X509Certificate> out, List<String> notes) {
    List<X509Certificate> known = new ArrayList<>(chain);
    for (int step = 0; step < MAX_AIA_STEPS; step++) {
      if (reachesAnchor(known.get(0), known, anchors, new java.util.HashSet<>(), 0)) {
        return;
      }
      X509Certificate top = top(known);
      if (Certs.selfIssued(top)) {
        return; // a root nobody trusts: nothing to download
      }
      List<String> urls = RevocationUrls.caIssuers(top);
      if (urls.isEmpty()) {
        notes.add("caIssuers: '" + top.getSubjectX500Principal().getName() + "' names no caIssuers URL");
        return;
      }
      String url = urls.get(0);
      Optional<byte[]> body = fetcher.get("caIssuers", url, deadline, notes);
      if (body.isEmpty()) {
        return;
      }
      List<X509Certificate> got = certificates(body.get());
      if (got.isEmpty()) {
        notes.add("caIssuers " + url + ": the answer holds no certificate (DER, PEM or PKCS#7 expected)");
        return;
      }
      boolean progressed = false;
      for (X509Certificate c : got) {
        if (!known.contains(c)) {
          out.add(c);
          known.add(c);
          progressed |= Certs.signedBy(top, c);
        }
      }
      if (!progressed) {
        notes.add("caIssuers " + url + ": no downloaded certificate signed '"
            + top.getSubjectX500Principal().getName() + "'");
        return;
      }
    }
  }

  /*
   * Whether a path by issuer name and signature leads from cert to an anchor over the given
   * certificates. Deliberately independent of the trust check's own path building: this only
   * decides whether a download is worth making.
   */
  private static boolean reachesAnchor(X509Certificate cert, List<X509Certificate> certs,
      List<X509Certificate> anchors, java.util.Set<X509Certificate> visited, int depth) {
    if (depth > 12 || !visited.add(cert)) {
      return false;
    }
    for (X509Certificate anchor : anchors) {
      if (anchor.equals(cert) || Certs.signedBy(cert, anchor)) {
        return true;
      }
    }
    for (X509Certificate issuer : certs) {
      if (issuer != cert && Certs.signedBy(cert, issuer)
          && reachesAnchor(issuer, certs, anchors, visited, depth + 1)) {
        return true;
      }
    }
    return false;
  }

  /** The end of the path followed from the leaf by signature over the given certificates. */
  private static X509Certificate top(List<X509Certificate> certs) {
    X509Certificate top = certs.get(0);
    List<X509Certificate> used = new ArrayList<>(List.of(top));
    boolean progressed = true;
    while (progressed && !Certs.selfIssued(top)) {
      progressed = false;
      for (X509Certificate c : certs) {
        if (!used.contains(c) && Certs.signedBy(top, c)) {
          used.add(c);
          top = c;
          progressed = true;
          break;
        }
      }
    }
    return top;
  }

  static List<X509Certificate> certificates(byte[] body) {
    try {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(body));
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : certs) {
        if (c instanceof X509Certificate x && out.size() < MAX_CERTS_PER_FETCH) {
          out.add(x);
        }
      }
      return out;
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      return List.of();
    }
  }

  private static void revocation(Fetcher fetcher, List<X509Certificate> chain, List<X509Certificate> fetched,
      List<X509Certificate> anchors, Deadline deadline, List<byte[]> ocsp, List<X509CRL> crls,
      List<String> notes) {
    X509Certificate leaf = chain.get(0);
    if (Certs.selfSigned(leaf) || anchors.contains(leaf)) {
      return;
    }
    List<X509Certificate> candidates = new ArrayList<>(chain.subList(1, chain.size()));
    candidates.addAll(fetched);
    candidates.addAll(anchors);
    Optional<X509Certificate> issuer = candidates.stream().filter(c -> Certs.signedBy(leaf, c)).findFirst();
    List<String> ocspUrls = RevocationUrls.ocsp(leaf);
    if (!ocspUrls.isEmpty()) {
      String url = ocspUrls.get(0);
      if (issuer.isEmpty()) {
        notes.add("ocsp " + url + ": not asked, the leaf's issuer is neither sent nor trusted");
      } else {
        try {
          byte[] request = OcspResponse.request(leaf, issuer.get());
          Optional<byte[]> answer = fetcher.post("ocsp", url, request, "application/ocsp-request",
              deadline, notes);
          if (answer.isPresent()) {
            ocsp.add(answer.get());
            return;
          }
        } catch (Der.MalformedException e) {
          notes.add("ocsp " + url + ": cannot build the request: " + e.getMessage());
        }
      }
    }
    List<String> crlUrls = RevocationUrls.crls(leaf);
    if (crlUrls.size() > Fetcher.MAX_URLS_PER_CERTIFICATE) {
      // A certificate may list any number of distribution points; a real one lists one or two.
      notes.add("crl " + crlUrls.size() + " URLs in the leaf: only the first "
          + Fetcher.MAX_URLS_PER_CERTIFICATE + " are asked, " + (crlUrls.size() - Fetcher.MAX_URLS_PER_CERTIFICATE)
          + " skipped");
      crlUrls = crlUrls.subList(0, Fetcher.MAX_URLS_PER_CERTIFICATE);
    }
    for (String url : crlUrls) {
      if (deadline.expired()) {
        notes.add("crl " + url + ": skipped, the inspection's deadline is reached");
        continue;
      }
      Optional<byte[]> body = fetcher.get("crl", url, deadline, notes);
      if (body.isEmpty()) {
        continue;
      }
      try {
        CRL crl = CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(body.get()));
        if (crl instanceof X509CRL x) {
          crls.add(x);
          return;
        }
        notes.add("crl " + url + ": not an X.509 CRL");
      } catch (java.security.GeneralSecurityException | RuntimeException e) {
        notes.add("crl " + url + ": not a CRL (" + e.getMessage() + ")");
      }
    }
  }
}
