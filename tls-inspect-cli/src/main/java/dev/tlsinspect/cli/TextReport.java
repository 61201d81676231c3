package dev.tlsinspect.cli;

import dev.tlsinspect.AddressResult;
import dev.tlsinspect.CertificateInfo;
import dev.tlsinspect.ClientPrediction;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Report;
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
    line("tls-inspect " + report.target() + " (" + connected + ", provider " + report.provider()
        + ", " + report.timings().totalMillis() + " ms)");
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
    if (!report.clients().isEmpty()) {
      clients();
      line("");
    }
    chain();
    return sb.toString();
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
    for (int i = 0; i < findings.size(); i++) {
      Finding f = findings.get(i);
      if (i > 0) {
        line("");
      }
      String head = (f.rootCause() ? "ROOT CAUSE  " : "")
          + pad(f.severity().name(), 8) + "  " + f.code() + "  ";
      wrap(head, INDENT, f.title());
      if (!f.detail().isBlank()) {
        wrap(INDENT, INDENT, f.detail());
      }
      if (!f.remediation().isBlank()) {
        wrap(INDENT + "Fix: ", INDENT + "     ", f.remediation());
      }
      if (!f.evidence().isEmpty()) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Object> e : f.evidence().entrySet()) {
          parts.add(e.getKey() + "=" + e.getValue());
        }
        wrap(INDENT + "Evidence: ", INDENT + "          ", String.join(", ", parts));
      }
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
    } else {
      seen.flatMap(Observation::address)
          .ifPresent(a -> line(String.format(label, "Address:") + hostAddress(a) + " port " + a.getPort()));
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
    if (tlsStarted) {
      line(String.format(label, "SNI sent:") + seen.flatMap(Observation::sniSent).orElse("(none)"));
    }
    if (main.isPresent() && main.get() instanceof ProbeOutcome.Failed failed) {
      Failure f = failed.failure();
      wrap(String.format(label, "Handshake:"), "  " + " ".repeat(15),
          "failed (" + f.kind() + f.stage().map(s -> ", " + s).orElse("") + "): " + f.message());
      f.alert().ifPresent(a -> line(String.format(label, "Alert:") + a));
      f.peerProtocol().ifPresent(p -> line(String.format(label, "Peer speaks:") + p));
    } else if (main.isPresent() && main.get() instanceof ProbeOutcome.Skipped skipped) {
      wrap(String.format(label, "Handshake:"), "  " + " ".repeat(15), "skipped: " + skipped.reason());
    } else if (main.isPresent()) {
      line(String.format(label, "Handshake:") + "completed");
    }
    seen.flatMap(Observation::version).ifPresent(v -> line(String.format(label, "Protocol:") + v));
    seen.flatMap(Observation::cipherSuite).ifPresent(s -> line(String.format(label, "Cipher suite:") + s));
    seen.flatMap(Observation::applicationProtocol).ifPresent(p -> line(String.format(label, "ALPN:") + p));
    Timings t = report.timings();
    line(String.format(label, "Timings:") + "resolve " + t.resolveMillis() + " ms, connect "
        + t.connectMillis() + " ms, handshake " + t.handshakeMillis() + " ms, total "
        + t.totalMillis() + " ms");
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
      wrap(String.format("  %-3s", "#" + i), "     ", c.subject());
      wrap(String.format(label, "Issuer:"), cont, c.issuer() + (c.selfSigned() ? " (self-signed)" : ""));
      wrap(String.format(label, "Valid:"), cont, c.notBefore() + " to " + c.notAfter()
          + validityNote(c.notBefore(), c.notAfter(), report.inspectedAt()));
      line(String.format(label, "Key:") + c.publicKey() + ", signed with " + c.signatureAlgorithm()
          + (c.ca() ? ", CA" : ""));
      if (!c.subjectAltNames().isEmpty()) {
        wrap(String.format(label, "Names:"), cont, String.join(", ", limit(c.subjectAltNames(), 20)));
      }
      line(String.format(label, "Serial:") + c.serialNumber());
      line(String.format(label, "SHA-256:") + c.sha256());
    }
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
      sb.append(": ").append(a.detail());
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
    sb.append(s).append('\n');
  }

  /**
   * Appends {@code text} word-wrapped at {@link #WIDTH}: the first line starts with
   * {@code first}, the others with {@code next}. Words longer than a line stay whole.
   */
  private void wrap(String first, String next, String text) {
    sb.append(wrapped(first, next, text, WIDTH));
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
