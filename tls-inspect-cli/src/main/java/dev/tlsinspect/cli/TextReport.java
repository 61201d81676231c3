package dev.tlsinspect.cli;

import dev.tlsinspect.AddressResult;
import dev.tlsinspect.CertificateInfo;
import dev.tlsinspect.ClientPrediction;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Report;
import dev.tlsinspect.SafeText;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Timings;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The human-readable report: a header, the findings (root causes first, then by decreasing
 * severity) with detail, fix and evidence, the connection, and the certificate chain. Plain text,
 * wrapped at about 100 columns.
 */
final class TextReport {
  static final int WIDTH = 100;
  private static final String INDENT = "    ";
  /** Titles, details and failure messages are our sentences around quoted values: cut later. */
  private static final int LONG_TEXT = 2048;

  private final Report report;
  private final StringBuilder sb = new StringBuilder();

  private TextReport(Report report) {
    this.report = report;
  }

  static String render(Report report) {
    return new TextReport(report).build();
  }

  private String build() {
    Optional<ProbeOutcome> main = report.outcomes().isEmpty()
        ? Optional.empty() : Optional.of(report.outcomes().get(0));
    Optional<Observation> seen = main.flatMap(ProbeOutcome::observation);
    String connected = seen.flatMap(Observation::address)
        .map(a -> "connected to " + hostAddress(a))
        .orElse("not connected")
        + report.target().proxy().map(p -> " via proxy " + p).orElse("")
        + report.target().starttls().map(p -> ", STARTTLS " + p).orElse("");
    // The grade goes on the first line: the verdict's line and the findings below keep their place.
    line("tls-inspect " + report.target() + " (" + connected + ", provider " + report.provider()
        + ", " + report.timings().totalMillis() + " ms, grade " + report.rating().grade() + ")");
    line("Verdict: " + report.verdict());
    line("");
    findings();
    line("");
    connection(main, seen);
    line("");
    if (enumerated()) {
      accepted();
      line("");
    }
    // This JVM alone, and compatible, repeats the Connection section: shown only when it adds.
    if (!report.clients().isEmpty() && !(report.clients().size() == 1 && report.clients().get(0).compatible()
        && report.clients().get(0).profile().equals(dev.tlsinspect.ClientProfiles.THIS_JVM))) {
      clients();
      line("");
    }
    chain();
    rating();
    return sb.toString();
  }

  /**
   * Why the grade is not A: the rules that capped it, with the codes behind each (the site's
   * rating page). Nothing for A and A+, so that a healthy report stays on one screen.
   */
  private void rating() {
    dev.tlsinspect.Rating r = report.rating();
    if (r.cappedBy().isEmpty()) {
      return;
    }
    line("");
    line("Grade " + r.grade() + ", capped by");
    for (dev.tlsinspect.Rating.Cap c : r.cappedBy()) {
      wrap(String.format("  %-16s %-3s ", c.rule(), c.grade()), "  " + " ".repeat(21),
          String.join(", ", c.codes()));
    }
  }

  private void findings() {
    List<Finding> findings = new ArrayList<>(report.findings());
    // The inspector already orders them; sort again (stably) so the layout does not depend on it.
    findings.sort(Comparator.comparing(Finding::rootCause).reversed()
        .thenComparing(Comparator.comparing(Finding::severity).reversed()));
    if (findings.isEmpty()) {
      line("No findings.");
      return;
    }
    boolean shortened = false;
    for (int i = 0; i < findings.size(); i++) {
      Finding f = findings.get(i);
      // INFO never changes the verdict: its title alone, one after the other, keeps a healthy
      // report on one screen; --json has the detail, fix and evidence.
      boolean brief = f.severity() == Severity.INFO && !f.rootCause();
      if (i > 0 && !(brief && findings.get(i - 1).severity() == Severity.INFO)) {
        line("");
      }
      String head = (f.rootCause() ? "ROOT CAUSE  " : "")
          + pad(f.severity().name(), 8) + "  " + f.code() + "  ";
      // Titles and details quote certificate names, alert texts and replies: all made safe, and
      // fingerprints of the chain's certificates shown as their position (the chain has them).
      wrap(head, INDENT, sentence(f.title()));
      if (brief) {
        shortened = true;
        continue;
      }
      if (!f.detail().isBlank()) {
        wrap(INDENT, INDENT, sentence(f.detail()));
      }
      if (!f.remediation().isBlank()) {
        wrap(INDENT + "Fix: ", INDENT + "     ", sentence(f.remediation()));
      }
      if (!f.evidence().isEmpty()) {
        wrap(INDENT + "Evidence: ", INDENT + "          ", String.join(", ", evidence(f.evidence())));
      }
    }
    if (shortened) {
      line("(INFO in short: --json has the detail, fix and evidence of each.)");
    }
  }

  private void connection(Optional<ProbeOutcome> main, Optional<Observation> seen) {
    line("Connection");
    String label = "  %-14s ";
    if (report.addresses().size() > 1) {
      // One line per address, so that a backend that differs stands out next to the others.
      boolean first = true;
      for (AddressResult a : report.addresses()) {
        wrap(String.format(label, first ? "Addresses:" : ""), "  " + " ".repeat(15), address(a));
        first = false;
      }
    } else if (seen.flatMap(Observation::address).isPresent()
        && seen.flatMap(Observation::address).get().getPort() != report.target().port()) {
      // The header names the address and the target the port; only a different port is news.
      InetSocketAddress a = seen.flatMap(Observation::address).get();
      line(String.format(label, "Address:") + hostAddress(a) + " port " + a.getPort());
    }
    // ProxySpec prints without credentials.
    report.target().proxy().ifPresent(p -> line(String.format(label, "Proxy:") + p + " (resolves "
        + report.target().address().orElse(report.target().host()) + ")"));
    report.target().starttls().ifPresent(p -> line(String.format(label, "STARTTLS:") + p));
    boolean tlsStarted = main.isPresent() && !(main.get() instanceof ProbeOutcome.Skipped)
        && !(main.get() instanceof ProbeOutcome.Failed failed && (failed.failure().beforeTls()
            || failed.failure().kind() == FailureKind.PROXY_FAILED
            || failed.failure().kind() == FailureKind.STARTTLS_UNAVAILABLE
            || failed.failure().stage().filter(s -> s.contains("STARTTLS exchange")
                || s.contains("with the proxy")).isPresent()));
    String sni = seen.flatMap(Observation::sniSent).map(TextReport::safe).orElse("(none)");
    boolean completed = main.isPresent() && !(main.get() instanceof ProbeOutcome.Failed)
        && !(main.get() instanceof ProbeOutcome.Skipped);
    if (tlsStarted && !completed) {
      line(String.format(label, "SNI sent:") + sni);
    }
    if (main.isPresent() && main.get() instanceof ProbeOutcome.Failed failed) {
      Failure f = failed.failure();
      wrap(String.format(label, "Handshake:"), "  " + " ".repeat(15),
          "failed (" + f.kind() + f.stage().map(s -> ", " + safe(s)).orElse("") + "): "
              + sentence(f.message()));
      f.alert().ifPresent(a -> line(String.format(label, "Alert:") + safe(String.valueOf(a))));
      f.peerProtocol().ifPresent(p -> line(String.format(label, "Peer speaks:") + safe(p)));
    } else if (main.isPresent() && main.get() instanceof ProbeOutcome.Skipped skipped) {
      wrap(String.format(label, "Handshake:"), "  " + " ".repeat(15), "skipped: " + safe(skipped.reason()));
    }
    Timings t = report.timings();
    String timings = "resolve " + t.resolveMillis() + " ms, connect " + t.connectMillis()
        + " ms, handshake " + t.handshakeMillis() + " ms";
    if (completed) {
      wrap(String.format(label, "Handshake:"), "  " + " ".repeat(15),
          "completed, SNI sent: " + sni + " (" + timings + ")");
    } else {
      line(String.format(label, "Timings:") + timings + ", total " + t.totalMillis() + " ms");
    }
    // One line: the version and the suite are read together.
    Optional<String> version = seen.flatMap(Observation::version).map(Object::toString);
    Optional<String> suite = seen.flatMap(Observation::cipherSuite).map(Object::toString);
    if (version.isPresent()) {
      line(String.format(label, "Protocol:") + version.get() + suite.map(c -> "   Cipher suite: " + c).orElse(""));
    } else {
      suite.ifPresent(c -> line(String.format(label, "Cipher suite:") + c));
    }
    seen.flatMap(Observation::applicationProtocol).ifPresent(p -> line(String.format(label, "ALPN:") + safe(p)));
  }

  /*
   * Without enumeration the report's versions, suites and groups are just what the one handshake
   * negotiated, already shown under Connection.
   */
  private boolean enumerated() {
    return report.protocols().size() > 1 || report.namedGroups().size() > 1
        || report.cipherSuites().values().stream().mapToInt(List::size).sum() > 1;
  }

  private void accepted() {
    line("Accepted by the server (found by elimination; suites in the server's order)");
    String label = "  %-9s ";
    String cont = " ".repeat(12);
    for (String version : report.protocols()) {
      List<String> suites = report.cipherSuites().getOrDefault(version, List.of());
      wrap(String.format(label, version), cont, suites.isEmpty() ? "(no suite found)" : String.join(", ", suites));
    }
    if (!report.namedGroups().isEmpty()) {
      wrap(String.format(label, "Groups"), cont, String.join(", ", report.namedGroups()));
    }
  }

  private void clients() {
    line("Clients (predicted from the versions and suites the server accepts)");
    int width = report.clients().stream().mapToInt(c -> c.profile().length()).max().orElse(8);
    String cont = " ".repeat(2 + width + 2 + 4 + 2);
    for (ClientPrediction c : report.clients()) {
      String head = "  " + pad(c.profile(), width) + "  " + (c.compatible() ? "ok  " : "FAIL") + "  ";
      String text = c.compatible()
          ? c.version().map(Object::toString).orElse("?")
              + c.cipherSuite().map(s -> ", " + s).orElse("")
              + c.namedGroup().map(g -> ", " + g).orElse("")
          : c.mismatch().map(m -> m.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')).orElse("")
              + ": " + c.reason()
              // Said here too: with --client all an obsolete client's failure is only INFO.
              + (dev.tlsinspect.ClientProfiles.named(c.profile()).flatMap(p -> p.obsolete()).isPresent()
                  ? " (obsolete client)" : "");
      wrap(head, cont, text);
    }
  }

  private void chain() {
    List<CertificateInfo> chain = report.certificateChain();
    if (chain.isEmpty()) {
      line("Certificate chain: none received");
      return;
    }
    line("Certificate chain (" + chain.size() + (chain.size() == 1 ? " certificate" : " certificates")
        + ", as sent)");
    String label = "     %-10s ";
    String cont = " ".repeat(16);
    for (int i = 0; i < chain.size(); i++) {
      CertificateInfo c = chain.get(i);
      // Names are the peer's own text: escapes, newlines and 64 KB names included.
      wrap(String.format("  %-3s", "#" + i), "     ", safe(c.subject()) + " (" + role(i, chain) + ")");
      // The next certificate's subject says who issued this one; only a last issuer is news.
      boolean issuerIsNext = i + 1 < chain.size() && chain.get(i + 1).subject().equals(c.issuer());
      if (!issuerIsNext) {
        wrap(String.format(label, "Issuer:"), cont, safe(c.issuer()) + (c.selfSigned() ? " (self-signed)" : ""));
      }
      wrap(String.format(label, "Valid:"), cont, c.notBefore() + " to " + c.notAfter()
          + validityNote(c.notBefore(), c.notAfter(), report.inspectedAt()));
      line(String.format(label, "Key:") + safe(c.publicKey()) + ", signed with "
          + safe(c.signatureAlgorithm()) + (c.ca() ? ", CA" : "") + ", serial " + safe(c.serialNumber()));
      if (!c.subjectAltNames().isEmpty()) {
        wrap(String.format(label, "Names:"), cont, String.join(", ",
            limit(c.subjectAltNames().stream().map(TextReport::safe).toList(), 20)));
      }
      line(String.format(label, "SHA-256:") + c.sha256());
    }
  }

  /** A value from the peer or an input file, safe to print: see {@link SafeText}. */
  static String safe(String text) {
    return SafeText.of(text);
  }

  static String safe(String text, int maxChars) {
    return SafeText.of(text, maxChars);
  }

  /**
   * One of our sentences around quoted values: fingerprints of the chain shown as positions, each
   * quoted value over {@link SafeText#DEFAULT_MAX_CHARS} cut (a 64 KB name is one "word"), then
   * made safe.
   */
  private String sentence(String text) {
    String s = positions(text);
    java.util.regex.Matcher m = LONG_WORD.matcher(s);
    if (m.find()) {
      StringBuilder out = new StringBuilder();
      do {
        m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(SafeText.of(m.group())));
      } while (m.find());
      s = m.appendTail(out).toString();
    }
    return SafeText.of(s, LONG_TEXT);
  }

  private static final java.util.regex.Pattern LONG_WORD =
      java.util.regex.Pattern.compile("\\S{" + (SafeText.DEFAULT_MAX_CHARS + 1) + ",}");

  /** "leaf", "intermediate" or "root": where a certificate sits in the chain as sent. */
  private static String role(int i, List<CertificateInfo> chain) {
    if (i == 0) {
      return "leaf";
    }
    return i == chain.size() - 1 && chain.get(i).selfSigned() ? "root" : "intermediate";
  }

  /** The chain position of a fingerprint, "certificate #0 (leaf)", or empty when not in the chain. */
  private Optional<String> position(String sha256) {
    List<CertificateInfo> chain = report.certificateChain();
    for (int i = 0; i < chain.size(); i++) {
      if (chain.get(i).sha256().equalsIgnoreCase(sha256.strip())) {
        return Optional.of("certificate #" + i + " (" + role(i, chain) + ")");
      }
    }
    return Optional.empty();
  }

  /**
   * The text with "(serial 1f, SHA-256 AB:...)" and bare "SHA-256 AB:..." of a certificate of the
   * chain replaced by its position: the chain section shows each fingerprint once.
   */
  private String positions(String text) {
    if (text.indexOf("SHA-256 ") < 0) {
      return text;
    }
    java.util.regex.Matcher m = FINGERPRINT.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      boolean withSerial = m.group("fp") != null;
      Optional<String> where = position(withSerial ? m.group("fp") : m.group("bare"));
      String replacement = where.map(w -> withSerial ? "(" + w.replace(" (", ", ").replace(")", "") + ")" : w)
          .orElse(m.group());
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static final java.util.regex.Pattern FINGERPRINT = java.util.regex.Pattern.compile(
      "\\(serial [0-9a-fA-F]+, SHA-256 (?<fp>[0-9A-F]{2}(?::[0-9A-F]{2}){31})\\)"
          + "|SHA-256 (?<bare>[0-9A-F]{2}(?::[0-9A-F]{2}){31})");

  /**
   * The evidence as {@code key=value} parts. A certificate of the chain identified by
   * {@code xSubject, xIssuer, xSerial, xSha256} becomes one {@code x=certificate #0 (leaf)}; JSON
   * keeps every field.
   */
  private List<String> evidence(Map<String, Object> evidence) {
    java.util.Map<String, String> certificates = new java.util.HashMap<>();
    for (Map.Entry<String, Object> e : evidence.entrySet()) {
      if (e.getKey().endsWith("Sha256") && e.getValue() instanceof String fp) {
        String prefix = e.getKey().substring(0, e.getKey().length() - "Sha256".length());
        position(fp).ifPresent(w -> certificates.put(prefix, w));
      }
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Object> e : evidence.entrySet()) {
      String key = e.getKey();
      String prefix = null;
      for (String suffix : List.of("Subject", "Issuer", "Serial", "Sha256")) {
        if (key.endsWith(suffix) && certificates.containsKey(key.substring(0, key.length() - suffix.length()))) {
          prefix = key.substring(0, key.length() - suffix.length());
          if (suffix.equals("Sha256")) {
            parts.add((prefix.isEmpty() ? "certificate" : prefix) + "=" + certificates.get(prefix));
          }
        }
      }
      if (prefix == null) {
        parts.add(SafeText.of(key, 80) + "=" + value(e.getValue()));
      }
    }
    return parts;
  }

  private String value(Object value) {
    if (value instanceof java.util.Collection<?> list) {
      List<String> items = new ArrayList<>();
      for (Object o : list) {
        items.add(value(o));
        if (items.size() == 20 && list.size() > 20) {
          items.add("... " + (list.size() - 20) + " more");
          break;
        }
      }
      return "[" + String.join(", ", items) + "]";
    }
    String text = String.valueOf(value);
    if (text.length() == 95 && text.indexOf("SHA-256 ") < 0) {
      Optional<String> where = position(text);
      if (where.isPresent()) {
        return where.get();
      }
    }
    return safe(positions(text));
  }

  private static List<String> limit(List<String> names, int max) {
    if (names.size() <= max) {
      return names;
    }
    List<String> out = new ArrayList<>(names.subList(0, max));
    out.add("... " + (names.size() - max) + " more");
    return out;
  }

  static String validityNote(Instant notBefore, Instant notAfter, Instant now) {
    if (now.isAfter(notAfter)) {
      return " (expired " + ago(Duration.between(notAfter, now)) + ")";
    }
    if (now.isBefore(notBefore)) {
      return " (not valid for another " + span(Duration.between(now, notBefore)) + ")";
    }
    return " (expires in " + span(Duration.between(now, notAfter)) + ")";
  }

  private static String ago(Duration d) {
    return span(d) + " ago";
  }

  private static String span(Duration d) {
    long days = d.toDays();
    if (days >= 1) {
      return days + (days == 1 ? " day" : " days");
    }
    long hours = d.toHours();
    if (hours >= 1) {
      return hours + (hours == 1 ? " hour" : " hours");
    }
    long minutes = Math.max(0, d.truncatedTo(ChronoUnit.MINUTES).toMinutes());
    return minutes + (minutes == 1 ? " minute" : " minutes");
  }

  private static String address(AddressResult a) {
    StringBuilder sb = new StringBuilder(a.address()).append(' ').append(a.result());
    if (a.completed()) {
      a.version().ifPresent(v -> sb.append(' ').append(v));
      a.cipherSuite().ifPresent(c -> sb.append(' ').append(c));
    } else if (!a.detail().isBlank()) {
      sb.append(": ").append(safe(a.detail()));
    }
    // The first bytes of the fingerprint tell two certificates apart at a glance.
    a.leafSha256().ifPresent(f -> sb.append(", leaf ").append(f, 0, Math.min(f.length(), 17)));
    if (a.main()) {
      sb.append(" (main)");
    }
    return sb.toString();
  }

  private static String hostAddress(InetSocketAddress a) {
    return a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  private void line(String s) {
    // Values are made safe (and cut) where they are quoted; this catches any that was not.
    sb.append(SafeText.of(s, Integer.MAX_VALUE)).append('\n');
  }

  /**
   * Appends {@code text} word-wrapped at {@link #WIDTH}: the first line starts with
   * {@code first}, the others with {@code next}. Words longer than a line stay whole.
   */
  private void wrap(String first, String next, String text) {
    sb.append(wrapped(first, next, SafeText.of(text, Integer.MAX_VALUE), WIDTH));
  }

  static String wrapped(String first, String next, String text, int width) {
    StringBuilder out = new StringBuilder();
    for (String paragraph : text.strip().split("\\R")) {
      StringBuilder current = new StringBuilder(out.length() == 0 ? first : next);
      int prefix = current.length();
      for (String word : paragraph.trim().split("\\s+")) {
        if (word.isEmpty()) {
          continue;
        }
        if (current.length() > prefix && current.length() + 1 + word.length() > width) {
          out.append(current).append('\n');
          current = new StringBuilder(next);
          prefix = current.length();
        }
        if (current.length() > prefix) {
          current.append(' ');
        }
        current.append(word);
      }
      out.append(current.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
