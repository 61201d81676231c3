package dev.tlsinspect.testing;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Verdict;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;

/**
 * Fluent assertions on a {@link Report}, for JUnit 5 tests of your own TLS setup. Failures name
 * the report's findings, so a red test says what was found instead.
 *
 * <pre>{@code
 * ReportAssert.assertThat(report)
 *     .hasVerdict(Verdict.FAIL)
 *     .hasFinding(Code.CERT_EXPIRED).hasSeverity(Severity.CRITICAL).isRootCause()
 *     .and().hasNoFindingAtLeast(Severity.HIGH, Code.CERT_EXPIRED);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ReportAssert {
  private final Report report;

  private ReportAssert(Report report) {
    this.report = Objects.requireNonNull(report, "report");
  }

  /**
   * Starts assertions on a report.
   *
   * @param report the report
   * @return the assertions
   * @since 0.1.0
   */
  public static ReportAssert assertThat(Report report) {
    return new ReportAssert(report);
  }

  /**
   * The one finding with this code, for tests that go on to read its evidence: fails unless the
   * report has exactly one. The helper that many test classes of this project used to copy.
   *
   * @param report the report
   * @param code the code
   * @return the finding
   * @throws AssertionFailedError when the report has no finding or several with this code
   * @since 0.1.0
   */
  public static Finding only(Report report, Code code) {
    List<Finding> matches = findings(report, code);
    if (matches.size() != 1) {
      throw new ReportAssert(report).failure("expected one " + code + " finding but found "
          + matches.size(), 1, matches.size());
    }
    return matches.get(0);
  }

  /**
   * Every finding with this code, in the report's order.
   *
   * @param report the report
   * @param code the code
   * @return the findings, possibly empty
   * @since 0.1.0
   */
  public static List<Finding> findings(Report report, Code code) {
    Objects.requireNonNull(code, "code");
    return report.findings().stream().filter(f -> f.code().equals(code)).toList();
  }

  /**
   * The verdict is this one.
   *
   * @param expected the verdict
   * @return this
   * @since 0.1.0
   */
  public ReportAssert hasVerdict(Verdict expected) {
    if (report.verdict() != expected) {
      throw failure("expected verdict " + expected + " but was " + report.verdict(), expected, report.verdict());
    }
    return this;
  }

  /**
   * A finding with this code is present; continues with assertions on the first one.
   *
   * @param code the code
   * @return assertions on that finding
   * @since 0.1.0
   */
  public FindingAssert hasFinding(Code code) {
    return report.findings().stream().filter(f -> f.code().equals(code)).findFirst()
        .map(f -> new FindingAssert(this, f))
        .orElseThrow(() -> failure("expected a " + code + " finding", code, codes()));
  }

  /**
   * No finding has this code.
   *
   * @param code the code
   * @return this
   * @since 0.1.0
   */
  public ReportAssert doesNotHaveFinding(Code code) {
    if (report.hasFinding(code)) {
      throw failure("expected no " + code + " finding", "no " + code, codes());
    }
    return this;
  }

  /**
   * No finding is at or above this severity, except the given codes.
   *
   * @param severity the lowest severity that is not allowed
   * @param except codes that are allowed anyway
   * @return this
   * @since 0.1.0
   */
  public ReportAssert hasNoFindingAtLeast(Severity severity, Code... except) {
    List<Code> allowed = List.of(except);
    List<Finding> bad = report.findingsAtLeast(severity).stream()
        .filter(f -> !allowed.contains(f.code())).toList();
    if (!bad.isEmpty()) {
      throw failure("expected no finding at " + severity + " or above", "none",
          bad.stream().map(f -> f.code() + " " + f.severity()).toList());
    }
    return this;
  }

  /**
   * The root causes are exactly these codes (in any order).
   *
   * @param codes the codes
   * @return this
   * @since 0.1.0
   */
  public ReportAssert hasRootCauses(Code... codes) {
    List<Code> actual = report.rootCauses().stream().map(Finding::code).sorted(
        java.util.Comparator.comparing(Code::name)).toList();
    List<Code> expected = java.util.Arrays.stream(codes).sorted(
        java.util.Comparator.comparing(Code::name)).toList();
    if (!actual.equals(expected)) {
      throw failure("expected root causes " + expected + " but were " + actual, expected, actual);
    }
    return this;
  }

  /**
   * The report under test.
   *
   * @return the report
   * @since 0.1.0
   */
  public Report report() {
    return report;
  }

  private List<String> codes() {
    return report.findings().stream()
        .map(f -> f.code() + " " + f.severity() + (f.rootCause() ? " (root cause)" : "")).toList();
  }

  AssertionFailedError failure(String message, Object expected, Object actual) {
    String findings = report.findings().isEmpty() ? "  (none)"
        : report.findings().stream()
            .map(f -> "  " + f.code() + " " + f.severity() + (f.rootCause() ? " root cause" : "")
                + ": " + f.title())
            .collect(Collectors.joining("\n"));
    return new AssertionFailedError(message + "\nreport " + report.target() + " " + report.verdict()
        + ", findings:\n" + findings, expected, actual);
  }

  /**
   * Assertions on one finding of the report.
   *
   * @since 0.1.0
   */
  public static final class FindingAssert {
    private final ReportAssert parent;
    private final Finding finding;

    private FindingAssert(ReportAssert parent, Finding finding) {
      this.parent = parent;
      this.finding = finding;
    }

    /**
     * The finding has this severity.
     *
     * @param expected the severity
     * @return this
     */
    public FindingAssert hasSeverity(Severity expected) {
      if (finding.severity() != expected) {
        throw parent.failure(finding.code() + ": expected severity " + expected + " but was "
            + finding.severity(), expected, finding.severity());
      }
      return this;
    }

    /**
     * The finding is a root cause of the failed handshake.
     *
     * @return this
     */
    public FindingAssert isRootCause() {
      if (!finding.rootCause()) {
        throw parent.failure(finding.code() + ": expected to be the root cause", true, false);
      }
      return this;
    }

    /**
     * The finding is not a root cause.
     *
     * @return this
     */
    public FindingAssert isNotRootCause() {
      if (finding.rootCause()) {
        throw parent.failure(finding.code() + ": expected not to be a root cause", false, true);
      }
      return this;
    }

    /**
     * The finding has this evidence value ({@code Integer}s compare as {@code Long}s).
     *
     * @param key the evidence key
     * @param expected the value
     * @return this
     */
    public FindingAssert hasEvidence(String key, Object expected) {
      Object want = expected instanceof Integer i ? Long.valueOf(i) : expected;
      Object actual = finding.evidence().get(key);
      if (!Objects.equals(want, actual)) {
        throw parent.failure(finding.code() + ": expected evidence " + key + "=" + want + " but was "
            + actual + " (evidence " + finding.evidence() + ")", want, actual);
      }
      return this;
    }

    /**
     * The finding has evidence under this key.
     *
     * @param key the evidence key
     * @return this
     */
    public FindingAssert hasEvidence(String key) {
      if (!finding.evidence().containsKey(key)) {
        throw parent.failure(finding.code() + ": expected evidence '" + key + "' in "
            + finding.evidence().keySet(), key, finding.evidence().keySet());
      }
      return this;
    }

    /**
     * The detail mentions this text.
     *
     * @param text the text
     * @return this
     */
    public FindingAssert detailContains(String text) {
      if (!finding.detail().contains(text)) {
        throw parent.failure(finding.code() + ": expected the detail to contain '" + text + "': "
            + finding.detail(), text, finding.detail());
      }
      return this;
    }

    /**
     * The remediation mentions this text.
     *
     * @param text the text
     * @return this
     */
    public FindingAssert remediationContains(String text) {
      if (!finding.remediation().contains(text)) {
        throw parent.failure(finding.code() + ": expected the remediation to contain '" + text
            + "': " + finding.remediation(), text, finding.remediation());
      }
      return this;
    }

    /**
     * The finding under test.
     *
     * @return the finding
     */
    public Finding finding() {
      return finding;
    }

    /**
     * Back to the report.
     *
     * @return the report's assertions
     */
    public ReportAssert and() {
      return parent;
    }
  }
}
