package dev.tlsinspect;

import dev.tlsinspect.internal.store.StoreAnalysis;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Inspects a local key store or trust store (PKCS#12, JKS, a PEM bundle, or a {@link
 * java.security.KeyStore} in memory) without any network: whether it can be read with its
 * password and type (and if not, the JDK's exact error explained), expired and soon-expiring
 * client certificates and trust anchors, private keys that do not match their certificates,
 * incomplete client chains, an empty trust store, duplicate and unused aliases.
 *
 * <pre>{@code
 * StoreReport report = StoreInspector.defaults()
 *     .inspect(StoreSource.file(Path.of("client.p12"), password));
 * report.findings().forEach(f -> log.warn("{}: {}", f.code(), f.title()));
 * }</pre>
 *
 * <p>A store file is read within a size cap (default 8 MiB); anything wrong with the file is a
 * {@link Code#STORE_UNREADABLE} finding, never an exception. Passwords never appear in a report.
 * Thread-safe and immutable.
 *
 * @since 0.1.0
 */
public final class StoreInspector {
  private final Clock clock;
  private final Duration expiryWarning;
  private final long maxBytes;

  private StoreInspector(Builder b) {
    this.clock = b.clock;
    this.expiryWarning = b.expiryWarning;
    this.maxBytes = b.maxBytes;
  }

  /**
   * An inspector with the defaults: system UTC clock, 30 days warning window, 8 MiB cap.
   *
   * @return the inspector
   * @since 0.1.0
   */
  public static StoreInspector defaults() {
    return builder().build();
  }

  /**
   * Starts an inspector.
   *
   * @return a builder
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads and inspects a store.
   *
   * @param source the store
   * @return the report; an unreadable store is a report with a {@link Code#STORE_UNREADABLE} finding
   * @since 0.1.0
   */
  public StoreReport inspect(StoreSource source) {
    return StoreAnalysis.inspect(Objects.requireNonNull(source, "source"), clock, expiryWarning, maxBytes);
  }

  /**
   * The warning window: a certificate expiring within it is reported as expiring soon.
   *
   * @return the window
   * @since 0.1.0
   */
  public Duration expiryWarning() {
    return expiryWarning;
  }

  /**
   * Builds a {@link StoreInspector}; each setter checks its argument at once.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private Duration expiryWarning = Duration.ofDays(30);
    private long maxBytes = 8L * 1024 * 1024;

    private Builder() {}

    /**
     * The clock that judges validity. Default {@link Clock#systemUTC()}.
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * A certificate expiring within this window is reported as expiring soon. Default 30 days.
     *
     * @param value zero or more
     * @return this builder
     */
    public Builder expiryWarning(Duration value) {
      Objects.requireNonNull(value, "expiryWarning");
      if (value.isNegative()) {
        throw new IllegalArgumentException("expiryWarning must not be negative, got " + value);
      }
      this.expiryWarning = value;
      return this;
    }

    /**
     * The largest store file read. Default 8 MiB; a larger file is reported unreadable.
     *
     * @param value a positive number of bytes
     * @return this builder
     */
    public Builder maxBytes(long value) {
      if (value <= 0) {
        throw new IllegalArgumentException("maxBytes must be positive, got " + value);
      }
      this.maxBytes = value;
      return this;
    }

    /**
     * Builds the inspector.
     *
     * @return the inspector
     */
    public StoreInspector build() {
      return new StoreInspector(this);
    }
  }
}
