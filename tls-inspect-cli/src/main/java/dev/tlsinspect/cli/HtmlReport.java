package dev.tlsinspect.cli;

import dev.tlsinspect.CertificateInfo;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Report;
import dev.tlsinspect.SafeText;
import dev.tlsinspect.Timings;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The report as one self-contained HTML page: inline CSS, no script, no external resource, so it
 * can be attached to a ticket and opened anywhere. {@code tls-inspect --html FILE} writes it and
 * {@code tls-inspect serve} serves it at {@code /report}.
 *
 * <p>Every value that came from the peer or the configuration goes through {@link SafeText}
 * (controls shown as escapes, long values cut) and then HTML escaping: a certificate subject such
 * as {@code CN=<script>} is shown as text, never parsed as markup.
 */
final class HtmlReport {
  static final String CSS = String.join("\n",
      "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:70em;"
          + "padding:0 1em;color:#1b1b1b}",
      "h1{font-size:1.4em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}",
      "table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;"
          + "padding:.3em .6em;border-bottom:1px solid #eee}",
      "code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em;overflow-wrap:anywhere}",
      ".verdict{display:inline-block;padding:.1em .6em;border-radius:.3em;font-weight:bold;color:#fff}",
      ".PASS{background:#2e7d32}.WARN{background:#b26a00}.FAIL{background:#c62828}.UNKNOWN{background:#666}",
      ".finding{border-left:4px solid #999;padding:.4em .8em;margin:.8em 0;background:#fafafa}",
      ".finding.CRITICAL,.finding.HIGH{border-color:#c62828}.finding.MEDIUM,.finding.LOW{border-color:#b26a00}",
      ".root{font-weight:bold;color:#c62828}.fix{margin-top:.3em}.muted{color:#666}");

  private final Report report;
  private final StringBuilder sb = new StringBuilder(8192);

  private HtmlReport(Report report) {
    this.report = report;
  }

  /** The whole page. */
  static String render(Report report) {
    return new HtmlReport(report).page();
  }

  private String page() {
    String target = text(report.target().toString());
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width\">")
        .append("<title>tls-inspect ").append(target).append(": ").append(report.verdict()).append("</title>")
        .append("<style>").append(CSS).append("</style></head><body>\n");
    sb.append("<h1>tls-inspect <span class=\"mono\" id=\"target\">").append(target).append("</span></h1>\n");
    sb.append("<p>Verdict: <span class=\"verdict ").append(report.verdict()).append("\" id=\"verdict\">")
        .append(report.verdict()).append("</span> <span class=\"muted\">inspected ")
        .append(report.inspectedAt()).append(", provider ").append(text(report.provider()))
        .append(", ").append(report.timings().totalMillis()).append(" ms</span></p>\n");
    findings();
    connection();
    accepted();
    chain();
    sb.append("</body></html>\n");
    return sb.toString();
  }

  private void findings() {
    sb.append("<h2>Findings</h2>\n");
    List<Finding> findings = new ArrayList<>(report.findings());
    findings.sort(Comparator.comparing(Finding::rootCause).reversed()
        .thenComparing(Comparator.comparing(Finding::severity).reversed()));
    if (findings.isEmpty()) {
      sb.append("<p>No findings.</p>\n");
      return;
    }
    for (Finding f : findings) {
      sb.append("<div class=\"finding ").append(f.severity()).append("\" data-code=\"")
          .append(text(f.code().name())).append("\">");
      if (f.rootCause()) {
        sb.append("<span class=\"root\">ROOT CAUSE</span> ");
      }
      sb.append("<b>").append(f.severity()).append("</b> <code>").append(text(f.code().name()))
          .append("</code> ").append(text(f.title()));
      if (!f.detail().isBlank()) {
        sb.append("<div>").append(text(f.detail(), 4096)).append("</div>");
      }
      if (!f.remediation().isBlank()) {
        sb.append("<div class=\"fix\"><b>Fix:</b> ").append(text(f.remediation(), 4096)).append("</div>");
      }
      if (!f.evidence().isEmpty()) {
        sb.append("<details><summary>Evidence</summary><table>");
        for (Map.Entry<String, Object> e : f.evidence().entrySet()) {
          sb.append("<tr><th>").append(text(e.getKey(), 80)).append("</th><td class=\"mono\">")
              .append(value(e.getValue())).append("</td></tr>");
        }
        sb.append("</table></details>");
      }
      sb.append("</div>\n");
    }
  }

  private void connection() {
    sb.append("<h2>Connection</h2>\n<table>");
    Optional<ProbeOutcome> main = report.outcomes().isEmpty()
        ? Optional.empty() : Optional.of(report.outcomes().get(0));
    Optional<Observation> seen = main.flatMap(ProbeOutcome::observation);
    seen.flatMap(Observation::address).ifPresent(a -> row("Address",
        text((a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString()) + " port " + a.getPort())));
    if (main.isPresent() && main.get() instanceof ProbeOutcome.Failed failed) {
      Failure f = failed.failure();
      row("Handshake", "failed (" + f.kind() + f.stage().map(s -> ", " + text(s)).orElse("") + "): "
          + text(f.message(), 2048));
    } else if (main.isPresent() && main.get() instanceof ProbeOutcome.Skipped skipped) {
      row("Handshake", "skipped: " + text(skipped.reason()));
    } else if (main.isPresent()) {
      row("Handshake", "completed");
    }
    seen.flatMap(Observation::sniSent).ifPresent(s -> row("SNI sent", text(s)));
    seen.flatMap(Observation::version).ifPresent(v -> row("Protocol", text(v.toString())));
    seen.flatMap(Observation::cipherSuite).ifPresent(c -> row("Cipher suite", text(c.toString())));
    seen.flatMap(Observation::namedGroup).ifPresent(g -> row("Group", text(g.toString())));
    seen.flatMap(Observation::applicationProtocol).ifPresent(p -> row("ALPN", text(p)));
    Timings t = report.timings();
    row("Timings", "resolve " + t.resolveMillis() + " ms, connect " + t.connectMillis() + " ms, handshake "
        + t.handshakeMillis() + " ms, total " + t.totalMillis() + " ms");
    sb.append("</table>\n");
  }

  private void accepted() {
    if (report.protocols().isEmpty() && report.cipherSuites().isEmpty()) {
      return;
    }
    sb.append("<h2>Versions and cipher suites</h2>\n<table>");
    for (String version : report.protocols()) {
      List<String> suites = report.cipherSuites().getOrDefault(version, List.of());
      row(text(version), suites.isEmpty() ? "<span class=\"muted\">(no suite found)</span>"
          : "<span class=\"mono\">" + text(String.join(", ", suites), 16384) + "</span>");
    }
    if (!report.namedGroups().isEmpty()) {
      row("Groups", "<span class=\"mono\">" + text(String.join(", ", report.namedGroups()), 4096) + "</span>");
    }
    sb.append("</table>\n");
  }

  private void chain() {
    List<CertificateInfo> chain = report.certificateChain();
    sb.append("<h2>Certificate chain</h2>\n");
    if (chain.isEmpty()) {
      sb.append("<p>None received.</p>\n");
      return;
    }
    sb.append("<table id=\"chain\"><tr><th>#</th><th>Certificate</th></tr>");
    for (int i = 0; i < chain.size(); i++) {
      CertificateInfo c = chain.get(i);
      String role = i == 0 ? "leaf" : i == chain.size() - 1 && c.selfSigned() ? "root" : "intermediate";
      sb.append("<tr><td>").append(i).append(" (").append(role).append(")</td><td>")
          .append("<div class=\"mono subject\">").append(text(c.subject())).append("</div>")
          .append("<div>Issuer: <span class=\"mono\">").append(text(c.issuer())).append("</span>")
          .append(c.selfSigned() ? " (self-signed)" : "").append("</div>")
          .append("<div>Valid: ").append(c.notBefore()).append(" to ").append(c.notAfter())
          .append(text(TextReport.validityNote(c.notBefore(), c.notAfter(), report.inspectedAt()))).append("</div>")
          .append("<div>Key: ").append(text(c.publicKey())).append(", signed with ")
          .append(text(c.signatureAlgorithm())).append(c.ca() ? ", CA" : "").append(", serial <span class=\"mono\">")
          .append(text(c.serialNumber())).append("</span></div>");
      if (!c.subjectAltNames().isEmpty()) {
        List<String> names = c.subjectAltNames();
        String shown = String.join(", ", names.size() > 20 ? names.subList(0, 20) : names)
            + (names.size() > 20 ? ", ... " + (names.size() - 20) + " more" : "");
        sb.append("<div>Names: <span class=\"mono\">").append(text(shown, 8192)).append("</span></div>");
      }
      sb.append("<div>SHA-256: <span class=\"mono\">").append(text(c.sha256())).append("</span></div>");
      sb.append("</td></tr>");
    }
    sb.append("</table>\n");
  }

  private void row(String header, String html) {
    sb.append("<tr><th>").append(header).append("</th><td>").append(html).append("</td></tr>");
  }

  private static String value(Object value) {
    if (value instanceof java.util.Collection<?> list) {
      List<String> items = new ArrayList<>();
      for (Object o : list) {
        if (items.size() == 20) {
          items.add("... " + (list.size() - 20) + " more");
          break;
        }
        items.add(String.valueOf(o));
      }
      return text("[" + String.join(", ", items) + "]", 8192);
    }
    return text(String.valueOf(value));
  }

  /** A value made safe ({@link SafeText}) and HTML-escaped. */
  static String text(String s) {
    return escape(SafeText.of(s));
  }

  static String text(String s, int maxChars) {
    return escape(SafeText.of(s, maxChars));
  }

  /** HTML escaping for text and attribute values (double- or single-quoted). */
  static String escape(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String r = switch (c) {
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '&' -> "&amp;";
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        default -> null;
      };
      if (r != null && out == null) {
        out = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (out != null) {
        if (r != null) {
          out.append(r);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? s : out.toString();
  }
}
