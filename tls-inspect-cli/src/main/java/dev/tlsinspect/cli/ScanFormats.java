package dev.tlsinspect.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tlsinspect.CertificateInfo;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Report;
import dev.tlsinspect.SafeText;
import dev.tlsinspect.Verdict;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** One scan result as a line of JSON Lines, CSV or text, and as a JUnit XML test case. */
final class ScanFormats {
  private static final ObjectWriter JSON_LINE =
      Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);

  static final String CSV_HEADER = "target,host,port,verdict,root_causes,codes,protocol,cipher_suite,"
      + "leaf_not_after,days_left,total_ms,summary";

  private ScanFormats() {}

  /** The report as {@code tls-inspect --json} prints it, on one line. */
  static String jsonLine(Report report) {
    try {
      return JSON_LINE.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write the report as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** One CSV record (without its CRLF), RFC 4180 quoting. */
  static String csvLine(Report report, Instant now) {
    Optional<Instant> notAfter = leafNotAfter(report);
    String protocol = report.protocols().isEmpty() ? "" : report.protocols().get(0);
    List<String> suites = report.cipherSuites().getOrDefault(protocol, List.of());
    return String.join(",",
        csv(report.target().toString()),
        csv(report.target().host()),
        String.valueOf(report.target().port()),
        report.verdict().name(),
        csv(report.rootCauses().stream().map(f -> f.code().toString()).collect(Collectors.joining(";"))),
        csv(report.findings().stream().map(f -> f.code().toString()).collect(Collectors.joining(";"))),
        csv(protocol),
        csv(suites.isEmpty() ? "" : suites.get(0)),
        notAfter.map(Instant::toString).orElse(""),
        notAfter.map(n -> String.valueOf(daysLeft(n, now))).orElse(""),
        String.valueOf(report.timings().totalMillis()),
        csv(headline(report)));
  }

  /** RFC 4180: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
  static String csv(String value) {
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0
        && value.indexOf('\n') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }

  /** The text line of one result: the report's summary, made safe for a terminal. */
  static String textLine(Report report) {
    return SafeText.of(report.summary(), 4096);
  }

  /** The first root cause's title, else the most severe finding's, else empty; safe text. */
  static String headline(Report report) {
    List<Finding> roots = report.rootCauses();
    Finding top = !roots.isEmpty() ? roots.get(0)
        : report.verdict() == Verdict.PASS || report.findings().isEmpty() ? null : report.findings().get(0);
    return top == null ? "" : SafeText.of(top.code() + ": " + top.title(), 1024);
  }

  static Optional<Instant> leafNotAfter(Report report) {
    List<CertificateInfo> chain = report.certificateChain();
    return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(0).notAfter());
  }

  /** Whole days from now to the instant, negative when past (rounded towards negative infinity). */
  static long daysLeft(Instant notAfter, Instant now) {
    return Math.floorDiv(Duration.between(now, notAfter).toSeconds(), 86_400L);
  }

  /** One JUnit XML test case: a failure for FAIL; findings in system-out. */
  static String junitCase(Report report) {
    StringBuilder b = new StringBuilder();
    b.append("    <testcase classname=\"tls-inspect.scan\" name=\"").append(xml(report.target().toString()))
        .append("\" time=\"").append(seconds(report.timings().totalMillis())).append("\">\n");
    if (report.verdict() == Verdict.FAIL) {
      String headline = headline(report);
      String type = report.rootCauses().isEmpty()
          ? (report.findings().isEmpty() ? "FAIL" : report.findings().get(0).code().toString())
          : report.rootCauses().get(0).code().toString();
      b.append("      <failure type=\"").append(xml(type)).append("\" message=\"")
          .append(xml(headline.isEmpty() ? "FAIL" : headline)).append("\">")
          .append(xml(findingsText(report))).append("</failure>\n");
    }
    b.append("      <system-out>").append(xml(report.verdict() + "\n" + findingsText(report)))
        .append("</system-out>\n");
    b.append("    </testcase>\n");
    return b.toString();
  }

  private static String findingsText(Report report) {
    StringBuilder b = new StringBuilder();
    for (Finding f : report.findings()) {
      b.append(f.severity()).append(' ').append(f.code()).append(f.rootCause() ? " (root cause)" : "")
          .append(": ").append(SafeText.of(f.title(), 1024)).append('\n');
      if (!f.remediation().isEmpty()) {
        b.append("  fix: ").append(SafeText.of(f.remediation(), 2048)).append('\n');
      }
    }
    return b.toString();
  }

  static String seconds(long millis) {
    return String.format(java.util.Locale.ROOT, "%.3f", millis / 1000.0);
  }

  /**
   * Escapes for XML 1.0 text and attributes; characters XML 1.0 cannot hold at all (C0 controls
   * other than tab, CR and LF, unpaired surrogates) never reach here: SafeText made them visible.
   */
  static String xml(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> {
          if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF
              || Character.isSurrogate(c) && !validPair(s, i)) {
            b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  private static boolean validPair(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
