package dev.tlsinspect.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tlsinspect.internal.trace.PeerProtocols;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The tap and the banner classifier read bytes chosen by a hostile peer: whatever they get, they
 * must not throw, must keep their bounds, and must not depend on how the bytes were split into
 * reads. Runs as a regression test in every build; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class RecordTapFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void tap_isTotalBoundedAndChunkingInvariant(FuzzedDataProvider data) {
    int chunk = data.consumeInt(1, 64);
    byte[] bytes = data.consumeRemainingAsBytes();
    RecordTap whole = new RecordTap();
    whole.feed(bytes, 0, bytes.length);
    RecordTap pieces = new RecordTap();
    for (int off = 0; off < bytes.length; off += chunk) {
      pieces.feed(bytes, off, Math.min(chunk, bytes.length - off));
    }
    assertEquals(whole.problem(), pieces.problem());
    assertEquals(whole.alerts(), pieces.alerts());
    assertEquals(whole.serverSuite(), pieces.serverSuite());
    assertEquals(whole.stage(), pieces.stage());
    assertTrue(whole.firstBytes().length <= 64);
    assertNotNull(PeerProtocols.identify(whole.firstBytes()));
  }

  @Test
  void serverHello_isRead() {
    // TLS 1.2 record with a ServerHello selecting TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xC02F)
    byte[] hello = HexFormat.of().parseHex("160303002a" + "020000260303" + "00".repeat(32) + "00" + "c02f" + "00");
    RecordTap tap = new RecordTap();
    tap.feed(hello, 0, hello.length);
    assertEquals(0xC02F, tap.serverSuite().orElseThrow().code());
    assertEquals("TLSv1.2", tap.serverVersion().orElseThrow().name());
    assertEquals("after ServerHello", tap.stage());
    assertTrue(tap.problem().isEmpty());
  }

  @Test
  void plaintextAlert_isRecorded() {
    byte[] alert = HexFormat.of().parseHex("15030300020228");
    RecordTap tap = new RecordTap();
    tap.feed(alert, 0, alert.length);
    assertEquals("handshake_failure", tap.alerts().get(0).name());
    assertTrue(tap.alerts().get(0).fatal());
  }

  @Test
  void oversizedRecord_isAProblem() {
    byte[] big = HexFormat.of().parseHex("16030348ff");
    RecordTap tap = new RecordTap();
    tap.feed(big, 0, big.length);
    assertTrue(tap.problem().orElseThrow().contains("18687 bytes"), tap.problem().toString());
  }

  @Test
  void httpAnswer_isNotTls() {
    byte[] http = "HTTP/1.1 400 Bad Request\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    RecordTap tap = new RecordTap();
    tap.feed(http, 0, http.length);
    assertTrue(tap.notTls());
    assertEquals("HTTP", PeerProtocols.identify(tap.firstBytes()));
  }
}
