package dev.tlsinspect.internal.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tlsinspect.probe.Deadline;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The parser of ServerDHParams (RFC 2246 7.4.3) reads what a hostile server chooses: a
 * well-formed message gives the group, anything else a typed "unreadable" result, never an
 * exception, and nothing is allocated beyond the size of the input. Regression mode in every
 * build; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class ExportDhTest {
  private static final BigInteger P512 = BigInteger.probablePrime(512, new Random(13));
  private static final BigInteger P1024 = BigInteger.probablePrime(1024, new Random(14));

  private static byte[] params(BigInteger p, BigInteger g, BigInteger ys, byte[] signature) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] v : new byte[][] {unsigned(p), unsigned(g), unsigned(ys), signature}) {
      out.write(v.length >> 8);
      out.write(v.length);
      out.writeBytes(v);
    }
    return out.toByteArray();
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static byte[] ske(BigInteger p) {
    return params(p, BigInteger.TWO, BigInteger.TWO.modPow(BigInteger.valueOf(65537), p), new byte[64]);
  }

  private static String unreadable(byte[] body) {
    return assertInstanceOf(ExportDh.Unreadable.class, ExportDh.parse(0x0014, body)).reason();
  }

  @Test
  void a512BitGroup_isMeasured_with512Bits() {
    ExportDh.Measured m = assertInstanceOf(ExportDh.Measured.class, ExportDh.parse(0x0014, ske(P512)));
    assertEquals(512, m.parameters().bits());
    assertEquals(P512, m.parameters().p());
    assertEquals(BigInteger.TWO, m.parameters().g());
    assertEquals(0x0014, m.suite());
    assertTrue(m.publicValueBits() > 1 && m.publicValueBits() <= 512, "Ys " + m.publicValueBits());
  }

  @Test
  void a1024BitGroup_isMeasured_with1024Bits() {
    ExportDh.Measured m = assertInstanceOf(ExportDh.Measured.class, ExportDh.parse(0x0011, ske(P1024)));
    assertEquals(1024, m.parameters().bits());
  }

  @Test
  void anAnonymousSuiteWithoutSignature_isMeasured() {
    byte[] withSignature = ske(P512);
    byte[] without = Arrays.copyOf(withSignature, withSignature.length - 66);
    assertEquals(512, assertInstanceOf(ExportDh.Measured.class, ExportDh.parse(0x0019, without))
        .parameters().bits());
  }

  @Test
  void emptyOrMissing_isUnreadable() {
    assertEquals("no ServerKeyExchange", unreadable(new byte[0]));
    assertEquals("no ServerKeyExchange", unreadable(null));
  }

  @Test
  void everyTruncation_isUnreadable() {
    byte[] full = ske(P512);
    int paramsEnd = full.length - 66; // before the signature
    for (int n = 1; n < paramsEnd; n++) {
      assertTrue(unreadable(Arrays.copyOf(full, n)).startsWith("malformed ServerKeyExchange"), "cut at " + n);
    }
  }

  @Test
  void wrongVectorLengths_areUnreadable() {
    byte[] overstated = ske(P512);
    overstated[0] = (byte) 0xFF; // dh_p claims 65 KB of a 200-byte message
    overstated[1] = (byte) 0xFF;
    assertTrue(unreadable(overstated).contains("longer than"));
    byte[] emptyP = {0, 0, 0, 1, 2, 0, 1, 5};
    assertTrue(unreadable(emptyP).startsWith("malformed"));
    byte[] zeroG = {0, 1, 23, 0, 1, 0, 0, 1, 5};
    assertTrue(unreadable(zeroG).contains("dh_g 0 bits"));
    byte[] tinyP = {0, 1, 2, 0, 1, 2, 0, 1, 1};
    assertTrue(unreadable(tinyP).contains("dh_p 2 bits"));
  }

  @Test
  void garbage_neverThrows_andKeepsNoMoreThanItRead() {
    Random random = new Random(2015);
    for (int i = 0; i < 2_000; i++) {
      byte[] junk = new byte[random.nextInt(600)];
      random.nextBytes(junk);
      check(junk);
    }
  }

  @Test
  void a16MegabyteServerKeyExchange_isRefusedBeforeItIsRead_andUnreadable() {
    ByteArrayOutputStream hello = new ByteArrayOutputStream();
    hello.writeBytes(new byte[] {3, 1});
    hello.writeBytes(new byte[32]);
    hello.writeBytes(new byte[] {0, 0, 0x14, 0});
    byte[] head = RawTls.record(RawTls.HANDSHAKE, 0x0301, RawTls.handshake(2, hello.toByteArray()));
    // ServerKeyExchange header claiming 16 MB - 1, then as many filler records as the server likes
    byte[] huge = {0x16, 3, 1, 0x40, 0, 12, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    long[] served = {0};
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        long i = served[0]++;
        if (i < head.length) {
          return head[(int) i] & 0xFF;
        }
        if (i < head.length + huge.length) {
          return huge[(int) (i - head.length)] & 0xFF;
        }
        return 0x41;
      }
    };
    RawTls.Flight f = new RawTls.Reader(null, endless, Deadline.after(Duration.ofSeconds(5)),
        Duration.ofSeconds(1)).flight();
    assertEquals(0x0014, f.cipherSuite());
    assertEquals(0, f.serverKeyExchange().length);
    assertTrue(served[0] <= RawTls.MAX_READ, "read " + served[0]);
    assertEquals("no ServerKeyExchange", unreadable(f.serverKeyExchange()));
  }

  @Test
  void aFlight_carriesTheServerKeyExchange() {
    ByteArrayOutputStream hello = new ByteArrayOutputStream();
    hello.writeBytes(new byte[] {3, 1});
    hello.writeBytes(new byte[32]);
    hello.writeBytes(new byte[] {0, 0, 0x14, 0});
    byte[] ske = ske(P1024);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    stream.writeBytes(RawTls.record(RawTls.HANDSHAKE, 0x0301, RawTls.handshake(2, hello.toByteArray())));
    stream.writeBytes(RawTls.record(RawTls.HANDSHAKE, 0x0301, RawTls.handshake(12, ske)));
    stream.writeBytes(RawTls.record(RawTls.HANDSHAKE, 0x0301, RawTls.handshake(14, new byte[0])));
    RawTls.Flight f = new RawTls.Reader(null, new ByteArrayInputStream(stream.toByteArray()),
        Deadline.after(Duration.ofSeconds(5)), Duration.ofSeconds(1)).flight();
    assertTrue(f.done());
    assertArrayEquals(ske, f.serverKeyExchange());
    assertEquals(1024, assertInstanceOf(ExportDh.Measured.class, ExportDh.parse(f.cipherSuite(),
        f.serverKeyExchange())).parameters().bits());
  }

  @Test
  void aTls10ClientHello_offersTls10_inATls10Record() {
    byte[] hello = RawTls.clientHello(0x0301, new int[] {0x0014, 0x0011}, java.util.Optional.empty(),
        false, new byte[32]);
    assertEquals(0x0301, RawTls.u16(hello, 1), "record version");
    assertEquals(0x0301, RawTls.u16(hello, 9), "client_version");
    assertEquals(4, RawTls.u16(hello, 44), "two suites");
    assertEquals(0x0014, RawTls.u16(hello, 46));
  }

  @FuzzTest(maxDuration = "30s")
  void parse_isTotalAndBounded(FuzzedDataProvider data) {
    check(data.consumeRemainingAsBytes());
  }

  private static void check(byte[] bytes) {
    ExportDh.Result r = ExportDh.parse(0x0014, bytes);
    if (r instanceof ExportDh.Measured m) {
      assertTrue(m.parameters().bits() <= bytes.length * 8L);
      assertTrue(m.parameters().p().compareTo(BigInteger.TWO) > 0);
    } else {
      assertInstanceOf(ExportDh.Unreadable.class, r);
    }
  }
}
