package dev.tlsinspect.internal.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The connect time in the trace reads as String.format("%.3fms") did, without a Formatter. */
class HandshakeTracerMillisTest {
  @Test
  void formatsMillisecondsWithThreeDecimals() {
    assertEquals("0.000ms", HandshakeTracer.millis(Duration.ZERO));
    assertEquals("0.001ms", HandshakeTracer.millis(Duration.ofNanos(1_000)));
    assertEquals("0.012ms", HandshakeTracer.millis(Duration.ofNanos(12_345)));
    assertEquals("1.235ms", HandshakeTracer.millis(Duration.ofNanos(1_234_567)));
    assertEquals("42.100ms", HandshakeTracer.millis(Duration.ofMillis(42).plusNanos(100_000)));
    assertEquals("1500.000ms", HandshakeTracer.millis(Duration.ofMillis(1500)));
  }

  @Test
  void matchesTheFormatterForManyValues() {
    for (long nanos = 0; nanos < 3_000_000_000L; nanos = nanos * 3 + 7_919) {
      assertEquals(String.format(java.util.Locale.ROOT, "%.3fms", Math.round(nanos / 1e3) / 1e3),
          HandshakeTracer.millis(Duration.ofNanos(nanos)), "at " + nanos + " ns");
    }
  }
}
