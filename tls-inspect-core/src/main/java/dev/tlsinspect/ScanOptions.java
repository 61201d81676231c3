package dev.tlsinspect;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link TlsInspector#inspectAll(Iterable, ScanOptions, java.util.function.Consumer)} spreads
 * many inspections over time: how many run at once, how many against one host, and how fast new
 * ones start.
 *
 * <p>Defaults ({@link #defaults()}):
 * <ul>
 *   <li>{@code concurrency} 16: at most 16 inspections at once, and at most that many targets
 *       read ahead of them (plus a small look-ahead buffer), whatever the number of targets;
 *   <li>{@code perHost} 2: at most 2 inspections at once against one host (the host connected
 *       to: the proxy when there is one, else the connect address, else the host name; the port
 *       does not matter). A quick inspection makes one connection at a time, so this is also the
 *       number of connections to the host; a full inspection makes up to 4 at once;
 *   <li>{@code rate} 0: no limit on how many inspections start per second; otherwise at most that
 *       many start per second overall;
 *   <li>{@code delay} zero: no pause between two inspections of one host; otherwise each start
 *       against a host waits this long after the previous one, and a host that refuses the
 *       connection (CONNECTION_REFUSED) gets twice the pause it had, up to 32 times
 *       {@code delay}, until it accepts one again (back-off).
 * </ul>
 *
 * @param concurrency how many inspections run at once, at least 1
 * @param perHost how many inspections run at once against one host, at least 1
 * @param rate how many inspections start per second at most; 0 for no limit
 * @param delay the pause between two starts against one host, with back-off on refusals
 * @since 0.1.0
 */
public record ScanOptions(int concurrency, int perHost, double rate, Duration delay) {
  /** The most inspections at once: each holds a thread and a socket. */
  static final int MAX_CONCURRENCY = 4096;

  /**
   * Validates.
   *
   * @throws IllegalArgumentException when a value is out of range
   */
  public ScanOptions {
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException(
          "concurrency must be between 1 and " + MAX_CONCURRENCY + ", got " + concurrency);
    }
    if (perHost < 1) {
      throw new IllegalArgumentException("perHost must be at least 1, got " + perHost);
    }
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("rate must be 0 (no limit) or a positive number, got " + rate);
    }
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative() || delay.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("delay must be between 0 and 10 minutes, got " + delay);
    }
  }

  /**
   * The defaults: 16 at once, 2 per host, no rate limit, no delay.
   *
   * @return the defaults
   * @since 0.1.0
   */
  public static ScanOptions defaults() {
    return new ScanOptions(16, 2, 0, Duration.ZERO);
  }

  /**
   * Starts from the defaults.
   *
   * @return a builder
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder(defaults());
  }

  /**
   * A builder holding these options.
   *
   * @return a builder
   * @since 0.1.0
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds {@link ScanOptions}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private int concurrency;
    private int perHost;
    private double rate;
    private Duration delay;

    private Builder(ScanOptions from) {
      this.concurrency = from.concurrency;
      this.perHost = from.perHost;
      this.rate = from.rate;
      this.delay = from.delay;
    }

    /**
     * How many inspections run at once.
     *
     * @param value 1 to 4096
     * @return this builder
     */
    public Builder concurrency(int value) {
      this.concurrency = value;
      return this;
    }

    /**
     * How many inspections run at once against one host.
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder perHost(int value) {
      this.perHost = value;
      return this;
    }

    /**
     * How many inspections start per second at most, overall.
     *
     * @param perSecond a positive number, or 0 for no limit
     * @return this builder
     */
    public Builder rate(double perSecond) {
      this.rate = perSecond;
      return this;
    }

    /**
     * The pause between two starts against one host, doubled (up to 32 times) while the host
     * refuses connections.
     *
     * @param value zero for none
     * @return this builder
     */
    public Builder delay(Duration value) {
      this.delay = Objects.requireNonNull(value, "delay");
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     * @throws IllegalArgumentException when a value is out of range
     */
    public ScanOptions build() {
      return new ScanOptions(concurrency, perHost, rate, delay);
    }
  }
}
