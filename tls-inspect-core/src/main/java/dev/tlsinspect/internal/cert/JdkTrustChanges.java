package dev.tlsinspect.internal.cert;

import dev.tlsinspect.CertificateInfo;
import dev.tlsinspect.ClientPrediction;
import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * What later JDK releases change in trust ({@code jdk-trust-changes.tsv}: distrust policies by
 * issuance date, and roots removed from or added to {@code cacerts}, each line naming its source),
 * and the prediction of whether a server's chain still validates after an upgrade. Pure: the data
 * and the chain in, findings out.
 */
public final class JdkTrustChanges {

  /**
   * One change.
   *
   * @param kind {@code DISTRUST_AFTER}, {@code ROOT_REMOVED} (the root leaves {@code cacerts}) or
   *     {@code ROOT_ADDED} (informational: an addition breaks nothing)
   * @param policy the name in {@code jdk.security.caDistrustPolicies}; {@code -} for a root change
   * @param root the root's distinguished name
   * @param sha256 the root's SHA-256 fingerprint, colon-separated upper-case hex; {@code -} when the
   *     source does not state it (the root is then matched by name)
   * @param after leaf certificates issued after the end of this day (UTC) are rejected; null for a
   *     root change
   * @param releases the first releases with the change: {@code 21.0.5} or a feature release {@code 24}
   * @param source where the entry comes from
   */
  public record Change(String kind, String policy, String root, String sha256, LocalDate after,
      List<String> releases, String source) {}

  /** The kinds of change. */
  public static final String DISTRUST_AFTER = "DISTRUST_AFTER";
  /** A root removed from {@code cacerts}. */
  public static final String ROOT_REMOVED = "ROOT_REMOVED";
  /** A root added to {@code cacerts}: recorded, never a breakage. */
  public static final String ROOT_ADDED = "ROOT_ADDED";

  /** Whether the inspection's trust includes the JVM default trust store (cacerts). */
  public enum DefaultTrust {
    /** It does: a root leaving cacerts breaks the endpoint. */
    YES,
    /** It does not: a trust store of the application's own is not touched by cacerts changes. */
    NO,
    /** Not known from the report: a root leaving cacerts breaks the endpoint if it does. */
    UNKNOWN
  }

  private JdkTrustChanges() {}

  /**
   * The bundled data.
   *
   * @return the changes
   */
  public static List<Change> bundled() {
    try (InputStream in = JdkTrustChanges.class.getResourceAsStream("/dev/tlsinspect/jdk-trust-changes.tsv")) {
      if (in == null) {
        throw new IllegalStateException("jdk-trust-changes.tsv is missing from the jar");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses the tab-separated data; lines starting with {@code #} are comments.
   *
   * @param tsv the data
   * @return the changes
   * @throws IllegalArgumentException when a line is malformed
   */
  public static List<Change> parse(String tsv) {
    List<Change> out = new ArrayList<>();
    int n = 0;
    for (String line : tsv.split("\n")) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] c = line.split("\t", -1);
      if (c.length != 7 || !List.of(DISTRUST_AFTER, ROOT_REMOVED, ROOT_ADDED).contains(c[0])) {
        throw new IllegalArgumentException("jdk trust changes, line " + n + ": expected 7 columns, "
            + "kind DISTRUST_AFTER, ROOT_REMOVED or ROOT_ADDED");
      }
      try {
        new X500Principal(c[2]);
        boolean distrust = c[0].equals(DISTRUST_AFTER);
        if (distrust && c[3].strip().equals("-")) {
          throw new IllegalArgumentException("a distrust entry needs the root's SHA-256");
        }
        List<String> releases = List.of(c[5].strip().split(","));
        releases.forEach(JdkTrustChanges::feature);
        out.add(new Change(c[0], c[1].strip(), c[2], c[3].strip().toUpperCase(java.util.Locale.ROOT),
            distrust ? LocalDate.parse(c[4]) : null, releases, c[6].strip()));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("jdk trust changes, line " + n + ": " + e.getMessage(), e);
      }
    }
    return List.copyOf(out);
  }

  /**
   * The first release of feature line {@code target} that has the change, if any: an update of
   * that line, or the line itself when the change came in an earlier feature release.
   */
  static Optional<String> firstIn(Change c, int target) {
    Optional<String> sameLine = c.releases().stream()
        .filter(r -> feature(r) == target).findFirst();
    if (sameLine.isPresent()) {
      return sameLine;
    }
    return c.releases().stream().filter(r -> !r.contains(".") && feature(r) < target).findFirst()
        .map(r -> String.valueOf(target));
  }

  /** Whether the running release already applies the change. */
  static boolean inEffect(Change c, Runtime.Version current) {
    for (String r : c.releases()) {
      int f = feature(r);
      if (!r.contains(".")) {
        if (f <= current.feature()) {
          return true;
        }
      } else if (f == current.feature()) {
        String[] p = r.split("\\.");
        if (p.length < 3 || Integer.parseInt(p[2]) <= current.update()) {
          return true;
        }
      }
    }
    return false;
  }

  private static int feature(String release) {
    int dot = release.indexOf('.');
    return Integer.parseInt(dot < 0 ? release : release.substring(0, dot));
  }

  /**
   * Predicts what breaks when this JVM is replaced by the newest release of feature line
   * {@code target}.
   *
   * @param chain the chain the server sent, leaf first
   * @param clients the report's client predictions (the {@code jdk-N} profile, when present, says
   *     whether versions and suites still match)
   * @param current this JVM's version
   * @param target the feature release to upgrade to, for example 21
   * @param data the changes
   * @return {@code JDK_UPGRADE_BREAKS} findings, empty when nothing is known to break
   */
  public static List<Finding> predict(List<CertificateInfo> chain, List<ClientPrediction> clients,
      Runtime.Version current, int target, List<Change> data) {
    return predict(chain, clients, current, target, data, DefaultTrust.UNKNOWN);
  }

  /**
   * As {@link #predict(List, List, Runtime.Version, int, List)}, knowing whether the inspection
   * trusted through the JVM default trust store: a root removed from {@code cacerts} breaks only
   * such an application.
   *
   * @param chain the chain the server sent, leaf first
   * @param clients the report's client predictions
   * @param current this JVM's version
   * @param target the feature release to upgrade to
   * @param data the changes
   * @param defaultTrust whether the trust in use includes the JVM default trust store
   * @return {@code JDK_UPGRADE_BREAKS} findings, empty when nothing is known to break
   */
  public static List<Finding> predict(List<CertificateInfo> chain, List<ClientPrediction> clients,
      Runtime.Version current, int target, List<Change> data, DefaultTrust defaultTrust) {
    List<Finding> out = new ArrayList<>();
    for (ClientPrediction p : clients) {
      if (p.profile().equals("jdk-" + target) && p.mismatch().isPresent()) {
        out.add(Finding.builder(Code.JDK_UPGRADE_BREAKS)
            .title("JDK " + target + " cannot connect: " + p.mismatch().get())
            .detail("The jdk-" + target + " client profile finds no common protocol version or cipher suite"
                + " with this server: " + p.reason())
            .remediation("Enable on the server a version and suite that JDK " + target + " offers by default "
                + "(TLS 1.2 or 1.3 with ECDHE and AES-GCM), before upgrading.")
            .evidence("jdk", String.valueOf(target)).evidence("reason", "PROTOCOL")
            .evidence("profile", p.profile()).build());
      }
    }
    if (chain.isEmpty()) {
      return out;
    }
    CertificateInfo leaf = chain.get(0);
    CertificateInfo top = chain.get(chain.size() - 1);
    for (Change c : data) {
      Optional<String> first = firstIn(c, target);
      if (first.isEmpty() || inEffect(c, current) || c.kind().equals(ROOT_ADDED)) {
        continue;
      }
      if (c.kind().equals(ROOT_REMOVED)) {
        if (defaultTrust != DefaultTrust.NO && endsAt(chain, c)) {
          out.add(removed(c, target, first.get(), defaultTrust));
        }
        continue;
      }
      boolean anchored = chain.stream().anyMatch(ci -> ci.sha256().equalsIgnoreCase(c.sha256()))
          || (!top.selfSigned() && samePrincipal(top.issuer(), c.root()));
      Instant cutoff = c.after().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      if (!anchored || leaf.notBefore().isBefore(cutoff)) {
        continue;
      }
      out.add(Finding.builder(Code.JDK_UPGRADE_BREAKS)
          .title("JDK " + target + " will reject this server's certificate: " + c.policy() + " distrust")
          .detail("The chain is anchored by " + c.root() + ", and the leaf was issued on " + leaf.notBefore()
              + ", after " + c.after() + ". From JDK " + first.get() + " on, the distrust policy "
              + c.policy() + " (jdk.security.caDistrustPolicies) rejects TLS server certificates issued "
              + "after that day under this root: the handshake fails with 'TLS server certificate issued "
              + "after " + c.after() + " and anchored by a distrusted legacy ... root CA'. Source: " + c.source())
          .remediation("Replace the server certificate with one from a CA that JDK " + target
              + " trusts before the upgrade; removing " + c.policy() + " from jdk.security.caDistrustPolicies "
              + "is a workaround at your own risk.")
          .evidence("jdk", String.valueOf(target)).evidence("firstRelease", first.get())
          .evidence("reason", "DISTRUST").evidence("policy", c.policy()).evidence("root", c.root())
          .evidence("issuedAfter", c.after().toString()).evidence("leafNotBefore", leaf.notBefore())
          .evidence("source", c.source())
          .build());
    }
    return out;
  }

  /**
   * Whether the chain ends at the root: by fingerprint when the source states one (any certificate
   * sent), else by name: the subject of a self-signed last certificate, or the issuer of the last.
   */
  static boolean endsAt(List<CertificateInfo> chain, Change c) {
    if (!c.sha256().equals("-")) {
      if (chain.stream().anyMatch(ci -> ci.sha256().equalsIgnoreCase(c.sha256()))) {
        return true;
      }
    }
    CertificateInfo top = chain.get(chain.size() - 1);
    return samePrincipal(top.selfSigned() ? top.subject() : top.issuer(), c.root());
  }

  private static Finding removed(Change c, int target, String first, DefaultTrust defaultTrust) {
    String condition = defaultTrust == DefaultTrust.YES
        ? "This inspection trusts through the JVM default trust store, so the upgrade breaks it."
        : "Whether this application trusts through the JVM default trust store is not known from the "
            + "report: the upgrade breaks it if it does; a trust store of its own that holds the root is "
            + "not affected.";
    return Finding.builder(Code.JDK_UPGRADE_BREAKS)
        .title("JDK " + target + " will not trust this server's chain: its root leaves cacerts")
        .detail("The chain ends at " + c.root() + ", which JDK " + first + " removes from the default "
            + "trust store (cacerts). Once upgraded, a client using the JVM default trust store fails with "
            + "'PKIX path building failed: unable to find valid certification path to requested target'. "
            + condition + " Source: " + c.source())
        .remediation("Move the server to a certificate chaining to a root that JDK " + target
            + " still ships, before the upgrade; or add this root to a trust store of your own "
            + "(javax.net.ssl.trustStore) at your own risk.")
        .evidence("jdk", String.valueOf(target)).evidence("firstRelease", first)
        .evidence("reason", ROOT_REMOVED).evidence("root", c.root())
        .evidence("defaultTrust", defaultTrust.name()).evidence("source", c.source())
        .build();
  }

  private static boolean samePrincipal(String a, String b) {
    try {
      return new X500Principal(a).equals(new X500Principal(b));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
