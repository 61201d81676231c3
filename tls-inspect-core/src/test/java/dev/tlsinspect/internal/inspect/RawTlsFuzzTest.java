package dev.tlsinspect.internal.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tlsinspect.probe.Deadline;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The active probes' reader of a server's first flight reads bytes a hostile server chooses: for
 * any input it returns a flight (never throws), keeps no more than it read, and reads at most
 * {@link RawTls#MAX_READ} bytes from an endless stream. Regression mode in every build;
 * {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class RawTlsFuzzTest {

  private static RawTls.Reader reader(InputStream in) {
    return new RawTls.Reader(null, in, Deadline.after(Duration.ofSeconds(5)), Duration.ofSeconds(1));
  }

  @FuzzTest(maxDuration = "30s")
  void flight_isTotalAndBounded(FuzzedDataProvider data) {
    byte[] bytes = data.consumeRemainingAsBytes();
    RawTls.Flight f = reader(new ByteArrayInputStream(bytes)).flight();
    assertTrue(f.leaf().length <= bytes.length);
    assertTrue(f.extensions().size() <= bytes.length);
  }

  @Test
  void aFlight_isRead_withItsHeartbeatExtension_andLeaf() {
    ByteArrayOutputStream hello = new ByteArrayOutputStream();
    hello.writeBytes(new byte[] {3, 3});
    hello.writeBytes(new byte[32]);
    hello.writeBytes(new byte[] {0, (byte) 0xC0, 0x2F, 0, 0, 5, 0, 15, 0, 1, 1});
    ByteArrayOutputStream certs = new ByteArrayOutputStream();
    certs.writeBytes(new byte[] {0, 0, 7, 0, 0, 4, 0x30, 2, 5, 0});
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    stream.writeBytes(RawTls.record(RawTls.HANDSHAKE, 0x0303, RawTls.handshake(2, hello.toByteArray())));
    byte[] both = concat(RawTls.handshake(11, certs.toByteArray()), RawTls.handshake(14, new byte[0]));
    // the Certificate split over two records, with ServerHelloDone in the second
    stream.writeBytes(RawTls.record(RawTls.HANDSHAKE, 0x0303, java.util.Arrays.copyOfRange(both, 0, 6)));
    stream.writeBytes(RawTls.record(RawTls.HANDSHAKE, 0x0303, java.util.Arrays.copyOfRange(both, 6, both.length)));
    RawTls.Flight f = reader(new ByteArrayInputStream(stream.toByteArray())).flight();
    assertEquals(0x0303, f.version());
    assertEquals(0xC02F, f.cipherSuite());
    assertEquals(Set.of(RawTls.EXT_HEARTBEAT), f.extensions());
    assertArrayEquals(new byte[] {0x30, 2, 5, 0}, f.leaf());
    assertTrue(f.done());
  }

  @Test
  void anEndlessStream_isCutAtTheReadLimit() {
    byte[] record = {0x16, 3, 3, 0, 4, 0, 0, 0, 0}; // HelloRequest records, forever
    int[] served = {0};
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        return record[served[0]++ % record.length] & 0xFF;
      }
    };
    RawTls.Flight f = reader(endless).flight();
    assertEquals("read limit of 65536 bytes reached", f.ended());
    assertTrue(served[0] <= RawTls.MAX_READ, "read " + served[0]);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
