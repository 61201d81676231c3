package dev.tlsinspect.cli;

import dev.tlsinspect.CertificateInfo;
import dev.tlsinspect.Report;
import dev.tlsinspect.Target;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The page at {@code /} of {@code tls-inspect serve}: one row per configured target with its
 * verdict, root cause, days to expiry and when it was last checked, each linking to its full
 * report. Same rules as {@link HtmlReport}: inline CSS, no script, every value escaped.
 */
final class StatusPage {
  private StatusPage() {}

  static String render(Exporter exporter, ServeConfig config, Instant now) {
    StringBuilder sb = new StringBuilder(4096);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"refresh\" content=\"30\">")
        .append("<title>tls-inspect serve: status</title><style>").append(HtmlReport.CSS)
        .append("</style></head><body>\n<h1>tls-inspect: configured targets</h1>\n")
        .append("<p class=\"muted\">Refreshed every ").append(HtmlReport.escape(String.valueOf(config.refresh())))
        .append(" in the background; this page reloads every 30 s. Shown at ").append(now).append(".</p>\n")
        .append("<table id=\"targets\"><tr><th>Target</th><th>Verdict</th><th>Root cause</th>")
        .append("<th>Days to expiry</th><th>Last checked</th></tr>\n");
    for (Target t : config.targets()) {
      String key = ServeConfig.key(t);
      Optional<Exporter.Entry> entry = exporter.cached(t);
      sb.append("<tr class=\"target\" data-target=\"").append(HtmlReport.text(key)).append("\"><td>")
          .append("<a class=\"mono\" href=\"/report?target=").append(HtmlReport.escape(URLEncoder.encode(key, StandardCharsets.UTF_8)))
          .append("\">").append(HtmlReport.text(key)).append("</a></td>");
      if (entry.isEmpty()) {
        sb.append("<td><span class=\"verdict UNKNOWN\">PENDING</span></td><td></td><td></td><td>not yet</td></tr>\n");
        continue;
      }
      Report report = entry.get().report();
      List<String> roots = Exporter.rootCauseCodes(report);
      sb.append("<td><span class=\"verdict ").append(report.verdict()).append("\">").append(report.verdict())
          .append("</span></td><td class=\"root-cause\"><code>").append(HtmlReport.text(String.join(", ", roots)))
          .append("</code></td><td class=\"days\">");
      if (!report.certificateChain().isEmpty()) {
        CertificateInfo leaf = report.certificateChain().get(0);
        sb.append(Duration.between(now, leaf.notAfter()).toDays());
      }
      sb.append("</td><td>").append(entry.get().checkedAt()).append("</td></tr>\n");
    }
    sb.append("</table>\n<p class=\"muted\">Metrics: <code>/probe?target=HOST:PORT</code> per target, ")
        .append("<a href=\"/metrics\">/metrics</a> for the exporter itself.</p>\n</body></html>\n");
    return sb.toString();
  }
}
