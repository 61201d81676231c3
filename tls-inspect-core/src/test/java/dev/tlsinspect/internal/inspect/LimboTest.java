package dev.tlsinspect.internal.inspect;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Severity;
import dev.tlsinspect.SitePages;
import dev.tlsinspect.Target;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.Fetched;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Runs the built-in checks over the x509-limbo path-validation suite (SERVER testcases) and scores
 * them. Each testcase becomes a synthetic completed handshake whose chain is the peer certificate
 * plus the untrusted intermediates, judged with the testcase's trusted certificates (as both trust
 * and reference trust), its validation time and its expected peer name. Our verdict is FAILURE
 * when any finding is HIGH or CRITICAL.
 *
 * <p>The score and every mismatch are written to {@code src/site/markdown/limbo.md} at each run
 * (commit it when it changes). The test fails when a testcase of importance high or critical is
 * an unexpected success: those are the cases where we would call a broken chain fine.
 */
class LimboTest {
  /** The suite, with its licence and provenance beside it in test resources (gzip: 1.4 MB raw). */
  private static final String LIMBO = "/x509-limbo/limbo.json.gz";

  private enum Result { MATCH, UNEXPECTED_SUCCESS, UNEXPECTED_FAILURE, SKIPPED }

  /**
   * Why the mismatches that remain on purpose remain: where limbo's namespaces disagree with each
   * other, or where a rule is applied narrowly to keep findings on real private PKIs meaningful.
   */
  private static final Map<String, String> EXPLAINED = Map.ofEntries(
      Map.entry("rfc5280::aki::cross-signed-root-missing-aki", "the certificate without an AKI is a "
          + "cross-signed copy of the trusted root; the path we judge ends at the trusted self-signed "
          + "root, so the copy is not on it (limbo calls this rule ambiguous)"),
      Map.entry("webpki::cn::ipv4-hex-mismatch", "the common name 0xC0A80101 has no dot or colon, so it "
          + "is not taken for a host name: the BR copy rule is applied to host-like common names only, "
          + "so that labels such as 'My Server' on private certificates are not flagged"),
      Map.entry("webpki::eku::ee-without-eku", "a leaf without extendedKeyUsage is valid under RFC 5280, "
          + "and limbo's own rfc5280::eku::ee-without-eku expects SUCCESS for it; only the CA/Browser "
          + "Forum requires the extension, so we do not flag its absence"),
      Map.entry("webpki::nc::permitted-dns-match-noncritical", "limbo's "
          + "rfc5280::nc::permitted-dns-match-noncritical expects FAILURE for the same chain (RFC 5280 "
          + "§4.2.1.10: the extension MUST be critical); the namespaces disagree and we follow RFC 5280"),
      Map.entry("rfc5280::nc::permitted-dns-match-more", cnNotCopied()),
      Map.entry("rfc5280::nc::permitted-ipv4-match", cnNotCopied()),
      Map.entry("rfc5280::nc::permitted-ipv6-match", cnNotCopied()),
      Map.entry("webpki::nc::nc-permits-dns-san-pattern", cnNotCopied()),
      Map.entry("webpki::san::exact-localhost-ip-san", cnNotCopied()),
      Map.entry("webpki::san::leftmost-wildcard-san", cnNotCopied()));

  private static String cnNotCopied() {
    return "the leaf's common name example.com is not a copy of its SAN entry, which CA/B Forum BR "
        + "§7.1.4.3 forbids and limbo's webpki::cn testcases reject; this testcase tests something "
        + "else, and our finding is LOW (no effect on the handshake)";
  }

  private record Row(String id, String importance, Result result, String expected, String ours,
      String why) {}

  @Test
  void scoreTheChainAnalysisOnLimbo() throws IOException {
    Path repo = SitePages.repository();
    JsonNode suite = suite();
    List<Check> checks = BuiltInChecks.all();
    boolean revocationModelled = checks.stream().anyMatch(c -> c.id().contains("revocation"));
    List<Row> rows = new ArrayList<>();
    int client = 0;
    for (JsonNode tc : suite.get("testcases")) {
      if (!"SERVER".equals(tc.get("validation_kind").asText())) {
        client++;
        continue;
      }
      rows.add(run(tc, checks, revocationModelled));
    }

    Map<Result, Long> counts = new LinkedHashMap<>();
    for (Result r : Result.values()) {
      counts.put(r, rows.stream().filter(x -> x.result() == r).count());
    }
    String score = "match " + counts.get(Result.MATCH)
        + ", unexpected success " + counts.get(Result.UNEXPECTED_SUCCESS)
        + ", unexpected failure " + counts.get(Result.UNEXPECTED_FAILURE)
        + ", skipped " + counts.get(Result.SKIPPED)
        + " (of " + rows.size() + " SERVER testcases)";
    Files.writeString(repo.resolve("src/site/markdown/limbo.md"), page(score, rows, client),
        StandardCharsets.UTF_8);
    System.out.println("x509-limbo: " + score);

    List<String> dangerous = rows.stream()
        .filter(r -> r.result() == Result.UNEXPECTED_SUCCESS)
        .filter(r -> r.importance().equals("high") || r.importance().equals("critical"))
        .map(r -> r.id() + " (" + r.why() + ")")
        .toList();
    assertTrue(dangerous.isEmpty(),
        "limbo testcases of high or critical importance that we call fine: " + dangerous);
  }

  private static Row run(JsonNode tc, List<Check> checks, boolean revocationModelled) {
    String id = tc.get("id").asText();
    String importance = tc.path("importance").asText("undetermined");
    String expected = tc.get("expected_result").asText();
    String skip = unsupported(tc, revocationModelled);
    if (skip != null) {
      return new Row(id, importance, Result.SKIPPED, expected, "-", skip);
    }
    List<X509Certificate> chain = new ArrayList<>();
    List<X509Certificate> trusted = new ArrayList<>();
    List<X509CRL> crls = new ArrayList<>();
    try {
      chain.add(certificate(tc.get("peer_certificate").asText()));
      for (JsonNode n : tc.get("untrusted_intermediates")) {
        chain.add(certificate(n.asText()));
      }
      for (JsonNode n : tc.get("trusted_certs")) {
        trusted.add(certificate(n.asText()));
      }
      for (JsonNode n : tc.path("crls")) {
        crls.add((X509CRL) CertificateFactory.getInstance("X.509").generateCRL(
            new ByteArrayInputStream(n.asText().getBytes(StandardCharsets.US_ASCII))));
      }
    } catch (CertificateException | CRLException | RuntimeException e) {
      return new Row(id, importance, Result.SKIPPED, expected, "-",
          "the JDK cannot parse a certificate or CRL: " + oneLine(e.getMessage()));
    }
    if (trusted.isEmpty()) {
      return new Row(id, importance, Result.SKIPPED, expected, "-", "no trusted certificates");
    }
    JsonNode peer = tc.get("expected_peer_name");
    boolean checkHost = peer != null && !peer.isNull();
    Target target;
    try {
      target = Target.of(checkHost ? peer.get("value").asText() : "limbo.invalid", 443);
    } catch (IllegalArgumentException e) {
      return new Row(id, importance, Result.SKIPPED, expected, "-",
          "Target does not accept the peer name: " + oneLine(e.getMessage()));
    }
    Clock clock = tc.get("validation_time").isNull() ? Clock.systemUTC()
        : Clock.fixed(OffsetDateTime.parse(tc.get("validation_time").asText()).toInstant(), ZoneOffset.UTC);
    TrustMaterial trust = TrustMaterial.certificates(trusted);
    InspectOptions options = InspectOptions.builder().trust(trust).referenceTrust(trust)
        .clock(clock).build();
    ProbeOutcome outcome = new ProbeOutcome.Completed(
        Observation.builder("limbo").peerChain(chain).build());
    DefaultCheckContext ctx = new DefaultCheckContext(target, options, outcome,
        new Fetched(List.of(), List.of(), crls, List.of()));
    List<Finding> findings = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Check check : checks) {
      if (!checkHost && check.id().equals("hostname")) {
        continue;
      }
      try {
        findings.addAll(check.evaluate(ctx));
      } catch (RuntimeException | StackOverflowError e) {
        errors.add(check.id() + " threw " + oneLine(String.valueOf(e)));
      }
    }
    List<Finding> blocking = findings.stream().filter(LimboTest::rejects).toList();
    String ours = blocking.isEmpty() ? "SUCCESS" : "FAILURE";
    Result result = ours.equals(expected) ? Result.MATCH
        : ours.equals("SUCCESS") ? Result.UNEXPECTED_SUCCESS : Result.UNEXPECTED_FAILURE;
    String why;
    if (result == Result.UNEXPECTED_FAILURE) {
      why = blocking.stream().map(LimboTest::describe).collect(Collectors.joining("; "));
    } else {
      String seen = findings.isEmpty() ? "no findings"
          : "only " + findings.stream().map(f -> f.code() + " " + f.severity()).collect(Collectors.joining(", "));
      why = EXPLAINED.containsKey(id) ? seen : seen + "; missing check: " + missingCheck(id);
    }
    if (!errors.isEmpty()) {
      why += "; " + String.join("; ", errors);
    }
    if (result != Result.MATCH && EXPLAINED.containsKey(id)) {
      why += "; explained: " + EXPLAINED.get(id);
    }
    return new Row(id, importance, result, expected, ours, why);
  }

  /**
   * Whether a finding says that a strict validator refuses the chain: HIGH or CRITICAL, or a
   * certificate-profile finding (whatever its severity, which says how much the clients that
   * connect care), because limbo's expectations are those of a validator that enforces RFC 5280
   * and the CA/Browser Forum profile, which is exactly what those findings name.
   */
  private static boolean rejects(Finding f) {
    return f.severity().atLeast(Severity.HIGH)
        || dev.tlsinspect.internal.cert.CertificateProfileCheck.isProfileCode(f.code());
  }

  /** Why a testcase needs what the analysis does not model, or null when it can run. */
  private static String unsupported(JsonNode tc, boolean revocationModelled) {
    if (!tc.path("max_chain_depth").isNull() && !tc.path("max_chain_depth").isMissingNode()) {
      return "max_chain_depth " + tc.get("max_chain_depth").asText()
          + ": a configured maximum chain depth is not modelled";
    }
    List<String> eku = strings(tc.path("extended_key_usage"));
    if (!eku.isEmpty() && !eku.equals(List.of("serverAuth"))) {
      return "extended_key_usage " + eku + ": only serverAuth (TLS server) is modelled";
    }
    List<String> ku = strings(tc.path("key_usage"));
    if (!ku.isEmpty() && !ku.equals(List.of("digitalSignature"))) {
      return "key_usage " + ku + ": only digitalSignature (TLS server) is modelled";
    }
    if (!strings(tc.path("signature_algorithms")).isEmpty()) {
      return "signature_algorithms: a configured algorithm list is not modelled";
    }
    if (tc.path("crls").size() > 0 && !revocationModelled) {
      return "CRLs given, and no built-in revocation check reads Fetched.crls() on this build";
    }
    JsonNode peer = tc.get("expected_peer_name");
    if (peer != null && !peer.isNull() && !List.of("DNS", "IP").contains(peer.get("kind").asText())) {
      return "peer name of kind " + peer.get("kind").asText() + ": only DNS and IP are modelled";
    }
    return null;
  }

  /** The check that would be needed, from the testcase's namespace; a hint for the page. */
  private static String missingCheck(String id) {
    Map<String, String> hints = new LinkedHashMap<>();
    hints.put("::eku::", "extended key usage (CERT_BAD_KEY_USAGE)");
    hints.put("-eku", "extended key usage (CERT_BAD_KEY_USAGE)");
    hints.put("::ku", "key usage of the leaf (CERT_BAD_KEY_USAGE)");
    hints.put("ku-", "key usage of the leaf (CERT_BAD_KEY_USAGE)");
    hints.put("::aki::", "authority key identifier profile (RFC 5280 4.2.1.1); the JDK's PKIX ignores it");
    hints.put("::ski::", "subject key identifier profile (RFC 5280 4.2.1.2); the JDK's PKIX ignores it");
    hints.put("::serial::", "serial number profile (RFC 5280 4.1.2.2)");
    hints.put("::san::", "subjectAltName syntax (RFC 5280 4.2.1.6)");
    hints.put("::cn::", "CABF BR 7.1.4.3: the subject CN must repeat a SAN entry (certificate profile)");
    hints.put("::nc::", "name constraints beyond what the JDK's PKIX checks");
    hints.put("::pc::", "policy constraints profile");
    hints.put("::aia", "authority information access profile");
    hints.put("::crl::", "revocation by CRL");
    hints.put("crl::", "revocation by CRL");
    hints.put("empty-", "empty names profile (RFC 5280 4.1.2.4/4.1.2.6)");
    hints.put("duplicate-extensions", "duplicate extensions (RFC 5280 4.2)");
    hints.put("mismatching-signature-algorithm", "signature algorithm fields must match (RFC 5280 4.1.1.2)");
    hints.put("basic-constraints", "basicConstraints profile of the trust anchor (criticality)");
    hints.put("validity::", "validity encoding (fractional seconds)");
    hints.put("pathological::", "path building limits");
    for (Map.Entry<String, String> h : hints.entrySet()) {
      if (id.contains(h.getKey())) {
        return h.getValue();
      }
    }
    return "certificate profile rule not checked";
  }

  private static String describe(Finding f) {
    Object reason = f.evidence().get("reason");
    return f.code() + " " + f.severity() + (reason == null ? "" : " (" + reason + ")");
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  private static X509Certificate certificate(String pem) throws CertificateException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").replace("|", "\\|");
  }

  private static String page(String score, List<Row> rows, int client) {
    StringBuilder md = new StringBuilder();
    md.append("# x509-limbo score\n\n")
        .append("Generated by `LimboTest` (tls-inspect-core, package `dev.tlsinspect.internal.inspect`) ")
        .append("from `tls-inspect-core/src/test/resources/x509-limbo/limbo.json.gz` (the suite, its ")
        .append("licence and provenance) on every build; do not edit by hand, commit it ")
        .append("when it changes. Each SERVER testcase runs every built-in check over a synthetic ")
        .append("handshake (chain = peer certificate + untrusted intermediates; trust and reference ")
        .append("trust = the trusted certificates; clock = validation time; host = expected peer ")
        .append("name). Our verdict is FAILURE when any finding is HIGH or CRITICAL, or is a certificate-profile ")
        .append("finding (`CERT_PROFILE_*`, whatever its severity: those name exactly what a validator ")
        .append("that enforces RFC 5280 and the CA/Browser Forum profile refuses, which is what limbo ")
        .append("expects; their severity says how much the clients that connect care). ")
        .append(client).append(" CLIENT testcases are not run.\n\n")
        .append("**").append(score).append("**\n\n");
    section(md, "Unexpected successes (we call fine what limbo rejects)", rows, Result.UNEXPECTED_SUCCESS);
    section(md, "Unexpected failures (we reject what limbo accepts)", rows, Result.UNEXPECTED_FAILURE);
    section(md, "Skipped", rows, Result.SKIPPED);
    return md.toString();
  }

  private static void section(StringBuilder md, String title, List<Row> rows, Result which) {
    List<Row> selected = rows.stream().filter(r -> r.result() == which).toList();
    md.append("## ").append(title).append(" (").append(selected.size()).append(")\n\n");
    if (selected.isEmpty()) {
      md.append("None.\n\n");
      return;
    }
    md.append("| testcase | importance | expected | ours | why |\n| --- | --- | --- | --- | --- |\n");
    for (Row r : selected) {
      md.append("| `").append(r.id()).append("` | ").append(r.importance()).append(" | ")
          .append(r.expected()).append(" | ").append(r.ours()).append(" | ")
          .append(oneLine(r.why())).append(" |\n");
    }
    md.append('\n');
  }

  private static JsonNode suite() throws IOException {
    try (InputStream in = LimboTest.class.getResourceAsStream(LIMBO)) {
      if (in == null) {
        return fail("x509-limbo suite not found on the test class path: " + LIMBO
            + " (tls-inspect-core/src/test/resources)");
      }
      return new ObjectMapper().readTree(new GZIPInputStream(in));
    }
  }
}
