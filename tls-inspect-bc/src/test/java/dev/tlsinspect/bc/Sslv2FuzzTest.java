package dev.tlsinspect.bc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The SSL 2.0 SERVER-HELLO parser reads bytes chosen by a hostile peer: it must never throw, never
 * read more than its bound, and only accept what is consistent. Runs as a regression test in every
 * build; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class Sslv2FuzzTest {

  @FuzzTest(maxDuration = "30s")
  void parser_isTotalAndBounded(FuzzedDataProvider data) throws IOException {
    byte[] bytes = data.consumeRemainingAsBytes();
    byte[] record = Sslv2.readRecord(new ByteArrayInputStream(bytes));
    assertTrue(record.length <= Sslv2.MAX_READ);
    assertTrue(record.length <= bytes.length);
    Sslv2.parseServerHello(record).ifPresent(h -> {
      assertEquals(2, h.version());
      assertTrue(h.certificateLength() < record.length);
      assertTrue(h.cipherKinds().size() * 3 < record.length);
    });
    Sslv2.parseServerHello(bytes);
  }

  @Test
  void aServerHello_isParsed() throws IOException {
    byte[] cert = HexFormat.of().parseHex("3003020101");
    byte[] hello = Sslv2Test.serverHello(cert);
    Sslv2.ServerHello h = Sslv2.parseServerHello(Sslv2.readRecord(new ByteArrayInputStream(hello))).orElseThrow();
    assertEquals(java.util.List.of(0x0700C0), h.cipherKinds());
    assertEquals(5, h.certificateLength());
  }

  @Test
  void inconsistentLengths_areRejected() {
    byte[] hello = Sslv2Test.serverHello(HexFormat.of().parseHex("3003020101"));
    hello[8] = 0x7F; // certificate length beyond the record
    assertTrue(Sslv2.parseServerHello(hello).isEmpty());
    byte[] specs = Sslv2Test.serverHello(HexFormat.of().parseHex("3003020101"));
    specs[10] = 4; // cipher spec list not a multiple of 3
    assertTrue(Sslv2.parseServerHello(specs).isEmpty());
    assertTrue(Sslv2.parseServerHello(HexFormat.of().parseHex("15030300020228")).isEmpty());
    assertTrue(Sslv2.parseServerHello(new byte[0]).isEmpty());
  }
}
