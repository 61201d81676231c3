package dev.tlsinspect.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The log analyzer reads whatever file a user points it at: it must never throw, count every line
 * exactly once, and keep its output bounded. Runs as a regression test over the seeds in
 * {@code LogFuzzTestInputs} (real fixture lines) in every build; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class LogFuzzTest {
  private static final int MAX_GROUPS = 8;

  @FuzzTest(maxDuration = "30s")
  void analyze_isTotalAndBounded(FuzzedDataProvider data) throws IOException {
    String text = data.consumeRemainingAsString();
    LogReport r = LogAnalyzer.builder().maxGroups(MAX_GROUPS).build().analyze(new StringReader(text));

    assertInvariants(r);
    long expected = text.isEmpty() ? 0 : text.split("\r\n|\r|\n", -1).length
        - (text.endsWith("\n") || text.endsWith("\r") ? 1 : 0);
    assertEquals(expected, r.lines(), "every line counted once");
  }

  static void assertInvariants(LogReport r) {
    assertNotNull(r.summary());
    assertEquals(r.lines(), r.tlsLines() + r.unrelatedLines() + r.unrecognisedLines());
    assertTrue(r.groups().size() <= MAX_GROUPS || r.groups().size() <= 200);
    for (LogGroup g : r.groups()) {
      assertTrue(g.clients().size() <= 20);
      assertTrue(g.offered().size() <= 20);
      assertTrue(g.sample().length() <= 8192, "sample " + g.sample().length());
      assertTrue(g.message().length() <= 300, g.message());
      assertTrue(g.count() >= 1);
      assertTrue(!g.candidates().isEmpty());
    }
    if (!r.recognised()) {
      assertEquals(List.of(), r.groups(), "unknown input never gets a diagnosis");
    }
  }

  /** Inputs built to hurt a backtracking parser or to grow state, at up to 1 MiB each. */
  @Test
  void pathologicalInputs_finishAndStayBounded() {
    List<IntFunction<String>> shapes = List.of(
        n -> "a.".repeat(n / 2) + "Exceptio",
        n -> "javax.net.ssl|".repeat(n / 14),
        n -> "javax.net.ssl|ERROR|1|t|2026-11-26 01:45:36.193 UTC|x|Fatal (" + "(".repeat(n),
        n -> "127.0.0.1:1 [26/Nov/2026:01:44:57.759] " + ":".repeat(n),
        n -> "[Thu Nov 26 01:44:37.323951 2026] [ssl:info] [pid 1:tid " + "1".repeat(n) + "]",
        n -> "2026-11-26 01:00:00.123 " + "x ".repeat(n / 2) + "ERROR",
        n -> "error:0A0000C1:".repeat(n / 15),
        n -> "java.lang.IllegalStateException: x\n" + "\tat a.b(C.java:1)\n".repeat(n / 18),
        n -> "Nov 26, 2026 1:45:28 AM A b\nWARNING: x\n".repeat(n / 40),
        n -> "2026/11/26 01:44:22 [info] 1#1: *1 SSL_do_handshake() failed (SSL: error:0A0000C1:SSL "
            + "routines::no shared cipher), client: 127.0." + "1".repeat(n) + "\n",
        n -> ("Caused by: \n").repeat(n / 12));
    for (IntFunction<String> shape : shapes) {
      for (int n : new int[] {1 << 12, 1 << 20}) {
        String text = shape.apply(n);
        // A hang guard only (never a timed assertion): the bound is that it finishes at all.
        LogReport r = assertTimeoutPreemptively(Duration.ofSeconds(60),
            () -> LogAnalyzer.builder().maxGroups(MAX_GROUPS).build().analyze(new StringReader(text)));
        assertInvariants(r);
      }
    }
  }
}
