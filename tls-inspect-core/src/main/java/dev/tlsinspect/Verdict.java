package dev.tlsinspect;

/**
 * The overall result of an inspection.
 *
 * <p>The rule: {@link #FAIL} when any finding is {@link Severity#CRITICAL} or {@link Severity#HIGH},
 * or when any finding is the root cause of a failed handshake; {@link #WARN} when any finding is
 * {@link Severity#MEDIUM} or {@link Severity#LOW}; {@link #PASS} otherwise ({@link Severity#INFO}
 * alone is a pass). The CLI maps them to exit codes 0, 1 and 2.
 *
 * @since 0.1.0
 */
public enum Verdict {
  /** Nothing to fix. */
  PASS,
  /** Works, but something should be fixed. */
  WARN,
  /** Clients fail or are at risk now. */
  FAIL;

  /**
   * Applies the verdict rule to a list of findings.
   *
   * @param findings the findings of one inspection
   * @return the verdict
   * @since 0.1.0
   */
  public static Verdict of(java.util.List<Finding> findings) {
    Verdict verdict = PASS;
    for (Finding f : findings) {
      if (f.rootCause() || f.severity().atLeast(Severity.HIGH)) {
        return FAIL;
      }
      if (f.severity().atLeast(Severity.LOW)) {
        verdict = WARN;
      }
    }
    return verdict;
  }
}
