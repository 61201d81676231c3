package dev.tlsinspect.internal.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.ClockReference;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Starttls;
import dev.tlsinspect.Target;
import dev.tlsinspect.check.ClockReading;
import dev.tlsinspect.probe.Deadline;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure parts of the clock comparison: NTP timestamps, SNTP answers, HTTP Date headers. */
class ClockPhaseTest {
  private static final Instant LOCAL = Instant.parse("2026-11-26T02:00:00Z");

  @Test
  void ntpTimestamps_roundTrip_inBothEras() {
    for (Instant t : new Instant[] {Instant.parse("1999-12-31T23:59:59.5Z"), LOCAL,
        Instant.parse("2036-02-07T06:28:16Z"), Instant.parse("2040-01-01T00:00:00.25Z")}) {
      Instant back = ClockPhase.fromNtp(ClockPhase.ntpTimestamp(t));
      assertTrue(Duration.between(t, back).abs().toNanos() < 2, t + " came back as " + back);
    }
  }

  @Test
  void sntpAnswer_mustEchoOurTimestamp_andComeFromASynchronizedServer() {
    long ours = ClockPhase.ntpTimestamp(LOCAL);
    byte[] answer = answer(ours, 4, 1, 0);
    assertEquals(Optional.empty(), ClockPhase.checkAnswer(answer, 48, ours));
    assertEquals(Optional.of(""), ClockPhase.checkAnswer(answer, 48, ours + 1), "not ours: keep waiting");
    assertEquals(Optional.of(""), ClockPhase.checkAnswer(answer, 40, ours), "too short: keep waiting");
    assertTrue(ClockPhase.checkAnswer(answer(ours, 4, 0, 0), 48, ours).get().contains("kiss-o'-death"));
    assertTrue(ClockPhase.checkAnswer(answer(ours, 3, 1, 0), 48, ours).get().contains("mode 3"));
    assertTrue(ClockPhase.checkAnswer(answer(ours, 4, 1, 3), 48, ours).get().contains("not synchronized"));
  }

  private static byte[] answer(long originate, int mode, int stratum, int leap) {
    byte[] b = new byte[48];
    b[0] = (byte) ((leap << 6) | (4 << 3) | mode);
    b[1] = (byte) stratum;
    ByteBuffer.wrap(b).putLong(24, originate).putLong(32, originate).putLong(40, originate);
    return b;
  }

  @Test
  void httpDate_isParsed_caseInsensitively() {
    ClockReading r = ClockPhase.parseDate("s", "HTTP/1.1 200 OK\r\nserver: x\r\nDATE: Mon, 23 Nov 2026 02:00:00 GMT\r\n\r\n",
        LOCAL);
    assertEquals(Optional.of(Duration.ofDays(-3)), r.offset());
    assertEquals(Optional.of("the answer has no Date header"),
        ClockPhase.parseDate("s", "HTTP/1.1 200 OK\r\n\r\nDate: Wed, 23 Nov 2026 02:00:00 GMT", LOCAL).problem());
    assertTrue(ClockPhase.parseDate("s", "HTTP/1.1 200 OK\r\nDate: yesterday\r\n\r\n", LOCAL).problem().get()
        .contains("not an HTTP date"));
    assertEquals(Optional.of("the answer is not HTTP"), ClockPhase.parseDate("s", "SSH-2.0-x\r\n", LOCAL).problem());
  }

  @Test
  void httpSource_behindStarttls_isNotAsked_andSaysWhy() {
    // No connection is attempted: the observation's address (port 1) would refuse it anyway.
    ProbeOutcome main = new ProbeOutcome.Completed(Observation.builder("stub")
        .address(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 1)).build());
    Target target = Target.builder("mail.test", 587).starttls(Starttls.SMTP).build();
    ClockReading r = ClockPhase.run(InspectOptions.builder().clockReference(ClockReference.httpDate()).build(),
        target, main, Deadline.after(Duration.ofSeconds(2))).orElseThrow();
    assertTrue(r.referenceTime().isEmpty());
    assertTrue(r.problem().orElseThrow().contains("not through STARTTLS or a proxy"), r.toString());
  }
}
