package dev.tlsinspect.internal.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.TraceEvent;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPLogger;

/**
 * The tracer reads bytes chosen by a hostile peer (and our own): whatever it gets it must not
 * throw, must keep the trace bounded, and must tell the same story however the bytes were split
 * into reads. Runs as a regression test in every build; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class HandshakeTracerFuzzTest {

  private static List<TraceEvent> run(byte[] bytes, int chunk, boolean sent) {
    Observation.Builder obs = Observation.builder("test");
    HandshakeTracer t = new HandshakeTracer(NOPLogger.NOP_LOGGER, "test", obs, System.nanoTime());
    for (int off = 0; off < bytes.length; off += chunk) {
      int n = Math.min(chunk, bytes.length - off);
      if (sent) {
        t.sent(bytes, off, n);
      } else {
        t.received(bytes, off, n);
      }
    }
    return obs.build().trace();
  }

  /** The events without their times and without the per-read "not TLS" events. */
  private static List<String> story(List<TraceEvent> trace) {
    List<String> out = new ArrayList<>();
    for (TraceEvent e : trace) {
      if (!e.type().equals("not TLS")) {
        out.add(e.describe());
      }
    }
    return out;
  }

  @FuzzTest(maxDuration = "30s")
  void tracer_isTotalBoundedAndChunkingInvariant(FuzzedDataProvider data) {
    int chunk = data.consumeInt(1, 64);
    boolean sent = data.consumeBoolean();
    byte[] bytes = data.consumeRemainingAsBytes();
    List<TraceEvent> whole = run(bytes, Math.max(1, bytes.length), sent);
    List<TraceEvent> pieces = run(bytes, chunk, sent);
    assertTrue(whole.size() <= Observation.MAX_TRACE);
    assertTrue(pieces.size() <= Observation.MAX_TRACE);
    if (pieces.size() < Observation.MAX_TRACE) {
      assertEquals(story(whole), story(pieces));
    }
  }

  @Test
  void clientHello_fieldsAreRead() {
    // A TLS 1.3 ClientHello: 2 suites, SNI example.com, supported_versions 1.3 and 1.2, groups
    // x25519 and secp256r1, a key share for x25519.
    String sni = "0000" + "0010" + "000e" + "00" + "000b" + HexFormat.of().formatHex("example.com".getBytes());
    String groups = "000a" + "0006" + "0004" + "001d" + "0017";
    String versions = "002b" + "0005" + "04" + "0304" + "0303";
    String share = "0033" + "0026" + "0024" + "001d" + "0020" + "11".repeat(32);
    String ext = sni + groups + versions + share;
    String body = "0303" + "22".repeat(32) + "00" + "0004" + "1301" + "1302" + "0100"
        + String.format("%04x", ext.length() / 2) + ext;
    String hs = "01" + String.format("%06x", body.length() / 2) + body;
    byte[] record = HexFormat.of().parseHex("160301" + String.format("%04x", hs.length() / 2) + hs);
    List<TraceEvent> trace = run(record, 7, true);
    assertEquals(1, trace.size(), trace::toString);
    TraceEvent e = trace.get(0);
    assertEquals("ClientHello", e.type());
    assertEquals(TraceEvent.Direction.SENT, e.direction());
    assertEquals(body.length() / 2, e.length());
    assertEquals(Map.of("version", "TLSv1.2", "suites", "2", "sni", "example.com", "groups", "2",
        "supported_versions", "TLSv1.3,TLSv1.2", "key_shares", "x25519", "extensions", "4"), e.fields());
  }

  @Test
  void serverHelloThenAlertThenEncryptedRecord() {
    String ext = "002b" + "0002" + "0304" + "0033" + "0024" + "001d" + "0020" + "33".repeat(32);
    String body = "0303" + "44".repeat(32) + "00" + "1302" + "00" + String.format("%04x", ext.length() / 2) + ext;
    String hs = "02" + String.format("%06x", body.length() / 2) + body;
    byte[] bytes = HexFormat.of().parseHex("160303" + String.format("%04x", hs.length() / 2) + hs
        + "1403030001" + "01" + "1703030005" + "0102030405" + "15030300020228");
    List<TraceEvent> trace = run(bytes, 3, false);
    // TLS 1.3 encrypts into application_data records: an alert record after the CCS is plain text
    assertEquals(List.of("ServerHello", "ChangeCipherSpec", "encrypted record", "Alert"),
        trace.stream().map(TraceEvent::type).toList());
    assertEquals(Map.of("version", "TLSv1.3", "suite", "TLS_AES_256_GCM_SHA384", "group", "x25519",
        "extensions", "supported_versions,key_share"), trace.get(0).fields());
    assertEquals(5, trace.get(2).length());
  }

  @Test
  void plaintextAlert_hasLevelAndDescription() {
    List<TraceEvent> trace = run(HexFormat.of().parseHex("15030300020228"), 1, false);
    assertEquals("<- Alert 2 B  level=fatal, description=handshake_failure", trace.get(0).describe());
  }

  @Test
  void httpAnswer_isNotTls_withItsText() {
    byte[] http = "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    List<TraceEvent> trace = run(http, http.length, false);
    assertEquals("not TLS", trace.get(0).type());
    assertEquals(http.length, trace.get(0).length());
    assertEquals("HTTP/1.1 400 Bad", trace.get(0).fields().get("text"));
  }

  @Test
  void aFlood_keepsTheBeginningAndTheEnd() {
    byte[] alerts = HexFormat.of().parseHex("15030300020100".repeat(1000));
    List<TraceEvent> trace = run(alerts, 512, false);
    assertEquals(Observation.MAX_TRACE, trace.size());
    assertTrue(trace.stream().anyMatch(e -> e.type().equals("trace truncated")
        && e.fields().get("omitted").equals("801")), "99 first + marker + 100 last of 1000");
  }

  @Test
  void everyEvent_isLoggedAtDebug_onTheGivenLogger() {
    List<String> lines = new ArrayList<>();
    LegacyAbstractLogger log = new LegacyAbstractLogger() {
      @Override
      protected String getFullyQualifiedCallerName() {
        return null;
      }

      @Override
      protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern,
          Object[] args, Throwable t) {
        lines.add(level + " " + MessageFormatter.basicArrayFormat(pattern, args));
      }

      @Override
      public boolean isTraceEnabled() {
        return true;
      }

      @Override
      public boolean isDebugEnabled() {
        return true;
      }

      @Override
      public boolean isInfoEnabled() {
        return true;
      }

      @Override
      public boolean isWarnEnabled() {
        return true;
      }

      @Override
      public boolean isErrorEnabled() {
        return true;
      }
    };
    Observation.Builder obs = Observation.builder("test");
    HandshakeTracer t = new HandshakeTracer(log, "jsse 127.0.0.1:443", obs, System.nanoTime());
    byte[] alert = HexFormat.of().parseHex("15030300020228");
    t.received(alert, 0, alert.length);
    assertEquals(1, lines.size());
    assertTrue(lines.get(0).startsWith("DEBUG jsse 127.0.0.1:443 +"), lines::toString);
    assertTrue(lines.get(0).endsWith("<- Alert 2 B  level=fatal, description=handshake_failure"), lines::toString);
  }

  @Test
  void helloRetryRequest_thenCompatibilityChangeCipherSpec_thenASecondClientHello() {
    Observation.Builder obs = Observation.builder("test");
    HandshakeTracer t = new HandshakeTracer(NOPLogger.NOP_LOGGER, "test", obs, System.nanoTime());
    String ext = "002b" + "0002" + "0304" + "0033" + "0002" + "0017";
    String body = "0303" + "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c" + "00" + "1301"
        + "00" + String.format("%04x", ext.length() / 2) + ext;
    String hs = "02" + String.format("%06x", body.length() / 2) + body;
    byte[] hrr = HexFormat.of().parseHex("160303" + String.format("%04x", hs.length() / 2) + hs);
    t.received(hrr, 0, hrr.length);
    String ch = "0303" + "22".repeat(32) + "00" + "0002" + "1301" + "0100";
    String chHs = "01" + String.format("%06x", ch.length() / 2) + ch;
    byte[] sent = HexFormat.of().parseHex("1403030001" + "01" + "160303" + String.format("%04x", chHs.length() / 2) + chHs);
    t.sent(sent, 0, sent.length);
    List<TraceEvent> trace = obs.build().trace();
    assertEquals(List.of("HelloRetryRequest", "ChangeCipherSpec", "ClientHello"),
        trace.stream().map(TraceEvent::type).toList());
    assertEquals("secp256r1", trace.get(0).fields().get("group"));
    assertEquals("1", trace.get(2).fields().get("suites"));
  }
}
