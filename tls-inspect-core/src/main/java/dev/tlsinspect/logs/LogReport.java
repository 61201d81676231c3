package dev.tlsinspect.logs;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Verdict;
import java.util.List;
import java.util.Objects;

/**
 * What the {@link LogAnalyzer} found in one or more logs.
 *
 * <p>Every line is counted once: in {@link #tlsLines()} (part of a TLS failure, stack-trace lines
 * included), {@link #unrelatedLines()} (in a known format but not a TLS failure, blank lines
 * included) or {@link #unrecognisedLines()} (in no format tls-inspect knows). When no line is in a
 * known format, {@link #recognised()} is {@code false} and {@link #summary()} says so; such input
 * never gets a diagnosis.
 *
 * <p>The {@link #verdict()} follows the rule of inspection reports: {@code FAIL} when a group's
 * severity is HIGH or CRITICAL, {@code WARN} when LOW or MEDIUM, {@code PASS} otherwise (nothing
 * found, or INFO only).
 *
 * @param summary one line for people: the largest group, or why nothing was recognised
 * @param formats the formats found, in the order first seen
 * @param groups the groups, most failures first
 * @param lines all lines read
 * @param tlsLines lines that are part of a TLS failure
 * @param unrelatedLines lines in a known format that are not TLS failures
 * @param unrecognisedLines lines in no known format
 * @param truncatedLines lines longer than 8 KB, read up to that length
 * @param ungroupedEvents failures not in {@link #groups()} because the group limit was reached
 * @since 0.1.0
 */
@JsonPropertyOrder({"recognised", "verdict", "summary", "formats", "groups", "lines", "tlsLines",
    "unrelatedLines", "unrecognisedLines", "truncatedLines", "ungroupedEvents"})
public record LogReport(
    String summary,
    List<LogFormat> formats,
    List<LogGroup> groups,
    long lines,
    long tlsLines,
    long unrelatedLines,
    long unrecognisedLines,
    long truncatedLines,
    long ungroupedEvents) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   */
  public LogReport {
    Objects.requireNonNull(summary, "summary");
    formats = List.copyOf(formats);
    groups = List.copyOf(groups);
  }

  /**
   * Whether any line was in a format tls-inspect reads.
   *
   * @return {@code false} for input in an unknown format (or empty input)
   * @since 0.1.0
   */
  @JsonProperty("recognised")
  public boolean recognised() {
    return !formats.isEmpty();
  }

  /**
   * The verdict: FAIL for any HIGH or CRITICAL group, WARN for LOW or MEDIUM, PASS otherwise.
   *
   * @return the verdict
   * @since 0.1.0
   */
  @JsonProperty("verdict")
  public Verdict verdict() {
    Verdict v = Verdict.PASS;
    for (LogGroup g : groups) {
      if (g.severity().atLeast(Severity.HIGH)) {
        return Verdict.FAIL;
      }
      if (g.severity().atLeast(Severity.LOW)) {
        v = Verdict.WARN;
      }
    }
    return v;
  }

  /**
   * The number of failures, over all groups (ungrouped ones included).
   *
   * @return the count
   * @since 0.1.0
   */
  public long failures() {
    return groups.stream().mapToLong(LogGroup::count).sum() + ungroupedEvents;
  }
}
