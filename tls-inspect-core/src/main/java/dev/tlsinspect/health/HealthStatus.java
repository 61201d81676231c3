package dev.tlsinspect.health;

/**
 * The health of a TLS endpoint, or of several: the worst of them.
 *
 * @since 0.1.0
 */
public enum HealthStatus {
  /** The handshake works, nothing to fix, and the leaf is valid beyond the warning window. */
  UP,
  /** Works, but a finding should be fixed (verdict WARN) or the leaf expires within the warning window. */
  DEGRADED,
  /** Clients fail or are at risk now (verdict FAIL), or the leaf expires within the critical window. */
  DOWN;

  /**
   * The worse of two statuses.
   *
   * @param other the other status
   * @return the worse one
   * @since 0.1.0
   */
  public HealthStatus worst(HealthStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
