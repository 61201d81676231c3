package dev.tlsinspect;

/**
 * How bad a finding is. The set is owned by tls-inspect, so it is an enum.
 *
 * <p>Ordered from least to most severe: {@code INFO < LOW < MEDIUM < HIGH < CRITICAL}.
 *
 * @since 0.1.0
 */
public enum Severity {
  /** Worth knowing; never affects the verdict. */
  INFO,
  /** A weakness with little practical risk; the verdict becomes WARN. */
  LOW,
  /** A weakness that should be fixed; the verdict becomes WARN. */
  MEDIUM,
  /** A serious weakness or a failure for some clients; the verdict becomes FAIL. */
  HIGH,
  /** Clients fail or are exposed now; the verdict becomes FAIL. */
  CRITICAL;

  /**
   * Whether this severity is at least {@code other}.
   *
   * @param other the severity to compare with
   * @return {@code true} when this is as severe as {@code other} or more
   * @since 0.1.0
   */
  public boolean atLeast(Severity other) {
    return compareTo(other) >= 0;
  }
}
