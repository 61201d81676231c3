package dev.tlsinspect.internal.cert;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Path building of our own (issuer name and signature, over the certificates the server sent,
 * fetched intermediates and the trust anchors), then validation of each path found with the JDK's
 * PKIX {@link CertPathValidator}: basicConstraints, pathLen, name constraints, key usage on CAs,
 * unknown critical extensions, policies. Pure: no I/O, no global state. Not API.
 *
 * <p>The anchor itself is put at the end of the path handed to the validator (when it is
 * self-issued), because the JDK's validator ignores the constraints of a {@link TrustAnchor}: an
 * anchor's name constraints, path length, key usage and critical extensions would otherwise be
 * silently dropped, which web PKI validators (and x509-limbo) do not allow.
 *
 * <p>Dates are not judged here: the validator runs at a date inside every certificate's validity
 * when there is one (the validity check names expired certificates), so that a date does not hide
 * the structural faults behind it.
 */
final class ChainPaths {
  /** Longest path (certificates below the anchor) we look for; the JDK's own default is 8. */
  static final int MAX_DEPTH = 10;
  private static final int MAX_PATHS = 8;
  private static final int MAX_STEPS = 2000;

  private ChainPaths() {}

  /**
   * One path: the certificates from the leaf up to (not including) the anchor, and the anchor.
   *
   * @param certs leaf first
   * @param anchor the trust anchor that signed the last certificate
   */
  record Path(List<X509Certificate> certs, X509Certificate anchor) {
    List<X509Certificate> withAnchor() {
      List<X509Certificate> all = new ArrayList<>(certs);
      all.add(anchor);
      return all;
    }
  }

  /**
   * What the validator said about one path.
   *
   * @param path the path
   * @param failure the validator's exception, empty when the path is valid
   */
  record Validated(Path path, Optional<CertPathValidatorException> failure) {
    /** Valid, or failing only for dates or algorithm policy, which other checks report. */
    boolean trusted() {
      return failure.isEmpty() || ignorable(failure.get());
    }

    /** Valid with no reservation at all. */
    boolean clean() {
      return failure.isEmpty();
    }
  }

  /**
   * The assessment of one chain against one set of anchors.
   *
   * @param validated every path found, validated, in the order found
   */
  record Assessment(List<Validated> validated, Instant now) {
    boolean trusted() {
      return validated.stream().anyMatch(Validated::trusted);
    }

    boolean pathFound() {
      return !validated.isEmpty();
    }

    /**
     * The trusted path to report on: a clean one whose certificates are all valid now if any,
     * else a clean one, else the first trusted one.
     */
    Optional<Validated> best() {
      return validated.stream()
          .filter(v -> v.clean() && v.path().withAnchor().stream().noneMatch(c -> outOfDate(c, now)))
          .findFirst()
          .or(() -> validated.stream().filter(Validated::clean).findFirst())
          .or(() -> validated.stream().filter(Validated::trusted).findFirst());
    }

    /** Why the first path found failed, when none is trusted. */
    Optional<Validated> firstFailure() {
      return trusted() ? Optional.empty() : validated.stream().findFirst();
    }
  }

  /** Whether a validator failure is not a matter of trust: dates and algorithm policy. */
  static boolean ignorable(CertPathValidatorException e) {
    return e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
        || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID
        || e.getReason() == CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED;
  }

  /**
   * Builds paths from the leaf to the anchors over the pool and validates each at {@code now}
   * (or inside the validity window shared by the path's certificates).
   */
  static Assessment assess(X509Certificate leaf, Collection<X509Certificate> pool,
      Collection<X509Certificate> anchors, Instant now) {
    List<Validated> out = new ArrayList<>();
    for (Path p : build(leaf, pool, anchors)) {
      out.add(new Validated(p, validate(p, now)));
    }
    return new Assessment(out, now);
  }

  /** Every path (up to a bound) from the leaf to an anchor, by issuer name and signature. */
  static List<Path> build(X509Certificate leaf, Collection<X509Certificate> pool,
      Collection<X509Certificate> anchors) {
    Map<X500Principal, List<X509Certificate>> anchorsByName = anchorIndex(anchors);
    Map<X500Principal, List<X509Certificate>> poolByName = index(new LinkedHashSet<>(pool));
    List<Path> found = new ArrayList<>();
    List<X509Certificate> current = new ArrayList<>();
    current.add(leaf);
    int[] steps = {0};
    walk(current, anchorsByName, poolByName, found, steps, new HashMap<>());
    return found;
  }

  private static void walk(List<X509Certificate> current,
      Map<X500Principal, List<X509Certificate>> anchors,
      Map<X500Principal, List<X509Certificate>> pool, List<Path> found, int[] steps,
      Map<List<X509Certificate>, Boolean> signatures) {
    if (found.size() >= MAX_PATHS || ++steps[0] > MAX_STEPS) {
      return;
    }
    X509Certificate top = current.get(current.size() - 1);
    for (X509Certificate anchor : anchors.getOrDefault(top.getIssuerX500Principal(), List.of())) {
      if (!anchor.equals(top) && signed(top, anchor, signatures)) {
        found.add(new Path(List.copyOf(current), anchor));
        if (found.size() >= MAX_PATHS) {
          return;
        }
      }
    }
    if (current.size() >= MAX_DEPTH) {
      return;
    }
    for (X509Certificate issuer : pool.getOrDefault(top.getIssuerX500Principal(), List.of())) {
      // A CA flag is not required here: the validator names a missing one precisely.
      if (!current.contains(issuer) && signed(top, issuer, signatures)) {
        current.add(issuer);
        walk(current, anchors, pool, found, steps, signatures);
        current.remove(current.size() - 1);
      }
    }
  }

  private static boolean signed(X509Certificate cert, X509Certificate issuer,
      Map<List<X509Certificate>, Boolean> memo) {
    return memo.computeIfAbsent(List.of(cert, issuer), k -> Certs.signedBy(cert, issuer));
  }

  /*
   * Trust stores are read once per TrustMaterial and handed over as the same list every time, so
   * the index of the last few is kept (by identity) instead of rehashing ~150 names per check.
   */
  private static final Map<Collection<X509Certificate>, Map<X500Principal, List<X509Certificate>>> ANCHOR_INDEX =
      java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

  static Map<X500Principal, List<X509Certificate>> anchorIndex(Collection<X509Certificate> anchors) {
    Map<X500Principal, List<X509Certificate>> known = ANCHOR_INDEX.get(anchors);
    if (known != null) {
      return known;
    }
    Map<X500Principal, List<X509Certificate>> built = index(anchors);
    if (ANCHOR_INDEX.size() >= 16) {
      ANCHOR_INDEX.clear();
    }
    ANCHOR_INDEX.put(anchors, built);
    return built;
  }

  /** Whether a certificate is one of the anchors, through the same per-store index. */
  static boolean isAnchor(Collection<X509Certificate> anchors, X509Certificate cert) {
    return !anchors.isEmpty()
        && anchorIndex(anchors).getOrDefault(cert.getSubjectX500Principal(), List.of()).contains(cert);
  }

  /** The anchors that may have issued a certificate: those with its issuer's name. */
  static List<X509Certificate> anchorsNamed(Collection<X509Certificate> anchors, X500Principal name) {
    return anchors.isEmpty() ? List.of() : anchorIndex(anchors).getOrDefault(name, List.of());
  }

  /** Two trust stores, by identity: the lists a TrustMaterial hands over every time. */
  private record StorePair(Collection<X509Certificate> a, Collection<X509Certificate> b) {
    @Override
    public boolean equals(Object o) {
      return o instanceof StorePair p && p.a == a && p.b == b;
    }

    @Override
    public int hashCode() {
      return 31 * System.identityHashCode(a) + System.identityHashCode(b);
    }
  }

  private static final Map<StorePair, Boolean> SAME = new java.util.concurrent.ConcurrentHashMap<>();

  /** Whether two trust stores hold the same certificates (in any order); remembered per pair. */
  static boolean sameAnchors(Collection<X509Certificate> a, Collection<X509Certificate> b) {
    if (a == b) {
      return true;
    }
    if (a.size() != b.size()) {
      return false;
    }
    StorePair pair = new StorePair(a, b);
    Boolean known = SAME.get(pair);
    if (known != null) {
      return known;
    }
    boolean same = compareAnchors(a, b);
    if (SAME.size() >= 16) {
      SAME.clear();
    }
    SAME.put(pair, same);
    return same;
  }

  private static boolean compareAnchors(Collection<X509Certificate> a, Collection<X509Certificate> b) {
    Map<X500Principal, List<X509Certificate>> ia = anchorIndex(a);
    Map<X500Principal, List<X509Certificate>> ib = anchorIndex(b);
    for (X509Certificate c : a) {
      if (!ib.getOrDefault(c.getSubjectX500Principal(), List.of()).contains(c)) {
        return false;
      }
    }
    for (X509Certificate c : b) {
      if (!ia.getOrDefault(c.getSubjectX500Principal(), List.of()).contains(c)) {
        return false;
      }
    }
    return true;
  }

  private static Map<X500Principal, List<X509Certificate>> index(Collection<X509Certificate> certs) {
    Map<X500Principal, List<X509Certificate>> map = new HashMap<>();
    for (X509Certificate c : certs) {
      map.computeIfAbsent(c.getSubjectX500Principal(), k -> new ArrayList<>()).add(c);
    }
    return map;
  }

  /*
   * The validator's answer for a path, remembered: several checks ask about the same path in one
   * inspection, and a health check asks again on every run. The answer depends on the date only
   * through the certificates' validity (the validator runs inside the window they share, so that
   * part cannot change while the date stays in it) and through date-bound algorithm policy
   * (jdk.certpath.disabledAlgorithms "denyAfter"), which is why an answer is reused for at most an
   * hour. Bounded; cleared when full.
   */
  private record Judged(Instant at, Optional<CertPathValidatorException> result) {}

  private static final Map<List<X509Certificate>, Judged> VALIDATED = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MAX_VALIDATED = 512;
  private static final java.time.Duration REUSE_FOR = java.time.Duration.ofHours(1);

  /** Runs the JDK's PKIX validator on one path; empty when valid. */
  static Optional<CertPathValidatorException> validate(Path path, Instant now) {
    List<X509Certificate> certs = Certs.selfIssued(path.anchor()) ? path.withAnchor() : path.certs();
    Instant at = judgedAt(certs, now);
    boolean inWindow = !at.equals(now) || certs.stream().noneMatch(c -> outOfDate(c, now));
    List<X509Certificate> key = new ArrayList<>(certs);
    key.add(path.anchor()); // the anchor is in the key even when the validator is not shown it
    Judged known = VALIDATED.get(key);
    if (known != null && (known.at().equals(at) || inWindow
        && java.time.Duration.between(known.at(), at).abs().compareTo(REUSE_FOR) <= 0)) {
      return known.result();
    }
    Optional<CertPathValidatorException> result = runValidator(certs, path.anchor(), at);
    if (inWindow || known == null) {
      if (VALIDATED.size() >= MAX_VALIDATED) {
        VALIDATED.clear();
      }
      VALIDATED.put(List.copyOf(key), new Judged(at, result));
    }
    return result;
  }

  private static Optional<CertPathValidatorException> runValidator(List<X509Certificate> certs,
      X509Certificate anchor, Instant at) {
    try {
      CertPath cp = CertificateFactory.getInstance("X.509").generateCertPath(certs);
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
      params.setRevocationEnabled(false);
      params.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX").validate(cp, params);
      return Optional.empty();
    } catch (CertPathValidatorException e) {
      return Optional.of(e);
    } catch (GeneralSecurityException | RuntimeException e) {
      return Optional.of(new CertPathValidatorException("cannot validate the path: " + e, e, null, -1,
          PKIXReason.NO_TRUST_ANCHOR));
    }
  }

  /** Now when every certificate is valid now; else a date inside all validity periods, if any. */
  static Instant judgedAt(List<X509Certificate> certs, Instant now) {
    Instant from = Instant.MIN;
    Instant until = Instant.MAX;
    for (X509Certificate c : certs) {
      Instant nb = c.getNotBefore().toInstant();
      Instant na = c.getNotAfter().toInstant();
      from = nb.isAfter(from) ? nb : from;
      until = na.isBefore(until) ? na : until;
    }
    if (from.isAfter(until)) {
      return now; // no common window: the validator will name a date, which we leave aside
    }
    if (now.isBefore(from)) {
      return from;
    }
    return now.isAfter(until) ? until : now;
  }

  /** Whether a certificate is outside its validity period at an instant. */
  static boolean outOfDate(X509Certificate c, Instant now) {
    return now.isAfter(c.getNotAfter().toInstant()) || now.isBefore(c.getNotBefore().toInstant());
  }

  /** The validator's reason as a stable name, for example {@code NOT_CA_CERT}. */
  static String reason(CertPathValidatorException e) {
    return e.getReason() instanceof Enum<?> r ? r.name() : String.valueOf(e.getReason());
  }
}
