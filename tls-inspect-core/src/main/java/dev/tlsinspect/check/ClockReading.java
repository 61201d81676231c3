package dev.tlsinspect.check;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One comparison of this machine's clock (the options' clock) with a reference clock, made before
 * the checks run when the options name a {@linkplain dev.tlsinspect.ClockReference reference}.
 *
 * @param source what was asked, for example {@code http Date of 127.0.0.1:8443} or {@code sntp
 *     127.0.0.1:123}
 * @param localTime this machine's time when the reference's time was taken
 * @param referenceTime the reference's time, empty when it could not be read
 * @param problem why the reference could not be read, empty when it was
 * @since 0.1.0
 */
public record ClockReading(
    String source,
    Instant localTime,
    Optional<Instant> referenceTime,
    Optional<String> problem) {

  /**
   * Validates.
   *
   * @throws NullPointerException when a component is null
   */
  public ClockReading {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(localTime, "localTime");
    Objects.requireNonNull(referenceTime, "referenceTime");
    Objects.requireNonNull(problem, "problem");
  }

  /**
   * A successful reading.
   *
   * @param source what was asked
   * @param localTime this machine's time
   * @param referenceTime the reference's time
   * @return the reading
   * @since 0.1.0
   */
  public static ClockReading of(String source, Instant localTime, Instant referenceTime) {
    return new ClockReading(source, localTime, Optional.of(referenceTime), Optional.empty());
  }

  /**
   * A failed reading.
   *
   * @param source what was asked
   * @param localTime this machine's time
   * @param problem why it failed
   * @return the reading
   * @since 0.1.0
   */
  public static ClockReading failed(String source, Instant localTime, String problem) {
    return new ClockReading(source, localTime, Optional.empty(), Optional.of(problem));
  }

  /**
   * How far the reference is ahead of this machine: positive when this machine's clock is behind.
   * Add it to this machine's time to get the reference's time.
   *
   * @return the offset, empty when the reference could not be read
   * @since 0.1.0
   */
  public Optional<Duration> offset() {
    return referenceTime.map(r -> Duration.between(localTime, r));
  }
}
