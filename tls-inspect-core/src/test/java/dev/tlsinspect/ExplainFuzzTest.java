package dev.tlsinspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tlsinspect.internal.explain.ExceptionChain;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The exception-text parser reads whatever a user pastes or pipes in: it must never throw, and its
 * work must grow at most linearly with the input. Runs as a regression test in every build;
 * {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class ExplainFuzzTest {

  /** Characters examined per input character, at most (lines are scanned once, then each kept message once more). */
  private static final long WORK_PER_CHAR = 3;
  private static final long WORK_CONSTANT = 64L * 8192;

  @FuzzTest(maxDuration = "30s")
  void text_isTotalAndLinear(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    Explanation e = TlsExplainer.explain(text);
    assertNotNull(e.summary());
    assertTrue(e.chain().size() <= 64);
    e.candidates().forEach(c -> assertTrue(c.matched().length() <= 300));
    long work = ExceptionChain.parse(text).work();
    assertTrue(work <= WORK_PER_CHAR * text.length() + WORK_CONSTANT, "work " + work + " for " + text.length());
  }

  @FuzzTest(maxDuration = "10s")
  void normalize_isTotal(FuzzedDataProvider data) {
    String s = data.consumeRemainingAsString();
    String n = ExceptionChain.normalize(s);
    assertTrue(n.length() <= s.length() + 8, "only removes, or fixes a few typos");
  }

  /** Inputs built to hurt a backtracking or quadratic parser, at 1 MiB each. */
  @Test
  void pathologicalInputs_costLinearWork() {
    List<IntFunction<String>> shapes = List.of(
        n -> "(".repeat(n),
        n -> "(a".repeat(n / 2),
        n -> "Caused by: ".repeat(n / 11),
        n -> "Caused by: a.B" + "Exception: x\n".repeat(n / 14),
        n -> "a.b.CException: ".repeat(n / 17),
        n -> "javax.net.ssl.SSLHandshakeException: " + "(handshake_failure) ".repeat(n / 20),
        n -> "\n".repeat(n),
        n -> "\tat x.y(Z.java:1)\n".repeat(n / 18),
        n -> "x".repeat(n),
        n -> ("a.".repeat(100) + "Exception: pkix path building failed\n").repeat(n / 240));
    for (IntFunction<String> shape : shapes) {
      for (int n : new int[] {1 << 16, 1 << 20}) {
        String text = shape.apply(n);
        long work = ExceptionChain.parse(text).work();
        assertTrue(work <= WORK_PER_CHAR * text.length() + WORK_CONSTANT,
            "work " + work + " for " + text.length() + " chars: " + text.substring(0, Math.min(40, text.length())));
        // A hang guard only (the work bound above is the real check): never a timed assertion.
        Explanation e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> TlsExplainer.explain(text));
        assertNotNull(e);
      }
    }
  }

  @Test
  void inputBeyondOneMebibyte_isNotRead() {
    String text = "x".repeat(1 << 20) + "\njava.net.ConnectException: Connection refused";
    assertEquals(false, TlsExplainer.explain(text).recognised());
  }
}
