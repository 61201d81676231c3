package dev.tlsinspect.probe;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One step of a probe's handshake as seen on the wire: a message or record sent or received, an
 * alert, the TCP connect, a timeout, a close, the failure. A probe's {@link Observation#trace()}
 * is the list of these, in order.
 *
 * <p>The type is an open vocabulary: handshake message names ({@code ClientHello},
 * {@code ServerHello}, {@code Certificate}, {@code ServerKeyExchange}, ...), {@code
 * ChangeCipherSpec}, {@code Alert}, {@code encrypted record} (a TLS 1.3 record after the
 * ServerHello, or TLS 1.2 application data), {@code encrypted handshake} (TLS 1.2 after
 * ChangeCipherSpec), {@code TCP connect}, {@code close}, {@code timeout}, {@code failure},
 * {@code not TLS} (bytes that do not form TLS records).
 *
 * @param at when it happened, from the start of the probe
 * @param direction whether the probe sent it, received it, or it happened locally
 * @param type what it was, for example {@code ClientHello}
 * @param length its size in bytes on the wire (the message or record body), zero for events
 *     without bytes
 * @param fields key facts in insertion order, for example {@code suites=31}, {@code sni=example.com}
 * @since 0.1.0
 */
public record TraceEvent(Duration at, Direction direction, String type, int length,
    Map<String, String> fields) {

  /**
   * Who produced the event.
   *
   * @since 0.1.0
   */
  public enum Direction {
    /** The probe sent it. */
    SENT,
    /** The peer sent it. */
    RECEIVED,
    /** It happened at this end without bytes of its own: connect, timeout, failure. */
    LOCAL;

    /** The arrow of the readable form: {@code ->} sent, {@code <-} received, {@code --} local. */
    String arrow() {
      return switch (this) {
        case SENT -> "->";
        case RECEIVED -> "<-";
        case LOCAL -> "--";
      };
    }
  }

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   * @throws IllegalArgumentException when {@code length} or {@code at} is negative
   */
  public TraceEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(type, "type");
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative: " + length);
    }
    if (at.isNegative()) {
      throw new IllegalArgumentException("at must not be negative: " + at);
    }
    Map<String, String> copy = new LinkedHashMap<>();
    fields.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "field name"),
        Objects.requireNonNull(v, "field value")));
    fields = Collections.unmodifiableMap(copy);
  }

  /**
   * An event.
   *
   * @param at when, from the start of the probe
   * @param direction who produced it
   * @param type what it was
   * @param length bytes on the wire
   * @param fields key facts
   * @return the event
   * @since 0.1.0
   */
  public static TraceEvent of(Duration at, Direction direction, String type, int length,
      Map<String, String> fields) {
    return new TraceEvent(at, direction, type, length, fields);
  }

  /**
   * The event as one readable line without its time, for example
   * {@code -> ClientHello 517 B  version=TLSv1.2, suites=31, sni=example.com}.
   *
   * @return the line
   * @since 0.1.0
   */
  public String describe() {
    StringBuilder sb = new StringBuilder(direction.arrow()).append(' ').append(type);
    if (length > 0 || direction != Direction.LOCAL) {
      sb.append(' ').append(length).append(" B");
    }
    if (!fields.isEmpty()) {
      sb.append("  ");
      boolean first = true;
      for (Map.Entry<String, String> e : fields.entrySet()) {
        sb.append(first ? "" : ", ").append(e.getKey()).append('=').append(e.getValue());
        first = false;
      }
    }
    return sb.toString();
  }

  /**
   * The time in milliseconds, for example {@code +0.412ms}.
   *
   * @return the time from the probe's start
   * @since 0.1.0
   */
  public String time() {
    return String.format(Locale.ROOT, "+%.3fms", at.toNanos() / 1_000_000.0);
  }
}
