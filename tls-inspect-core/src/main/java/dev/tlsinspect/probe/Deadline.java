package dev.tlsinspect.probe;

import java.time.Duration;
import java.util.Objects;

/**
 * A point in monotonic time by which work must end. Independent of wall clocks, so a test's fixed
 * {@link java.time.Clock} never stalls a probe.
 *
 * @since 0.1.0
 */
public final class Deadline {
  private final long endNanos;
  private final Duration budget;

  private Deadline(long endNanos, Duration budget) {
    this.endNanos = endNanos;
    this.budget = budget;
  }

  /**
   * A deadline this long from now.
   *
   * @param budget a positive duration
   * @return the deadline
   * @since 0.1.0
   */
  public static Deadline after(Duration budget) {
    Objects.requireNonNull(budget, "budget");
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("budget must be positive, got " + budget);
    }
    return new Deadline(System.nanoTime() + budget.toNanos(), budget);
  }

  /**
   * Time left, zero when passed.
   *
   * @return the remaining time
   * @since 0.1.0
   */
  public Duration remaining() {
    long left = endNanos - System.nanoTime();
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  /**
   * Whether the deadline has passed.
   *
   * @return {@code true} when no time is left
   * @since 0.1.0
   */
  public boolean expired() {
    return endNanos - System.nanoTime() <= 0;
  }

  /**
   * The smaller of {@code limit} and the time left, in whole milliseconds, at least 1: ready for
   * {@link java.net.Socket#setSoTimeout(int)}, where 0 would mean "forever".
   *
   * @param limit an upper bound for this one wait
   * @return milliseconds, at least 1
   * @since 0.1.0
   */
  public int timeoutMillis(Duration limit) {
    long ms = Math.min(limit.toMillis(), remaining().toMillis());
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
  }

  /**
   * The budget this deadline was made with.
   *
   * @return the budget
   * @since 0.1.0
   */
  public Duration budget() {
    return budget;
  }

  @Override
  public String toString() {
    return "Deadline[remaining=" + remaining() + "]";
  }
}
