package dev.tlsinspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SafeTextTest {

  /** No character that a terminal acts on, or that breaks a line, is left in the output. */
  private static void assertInert(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      assertTrue(c >= 0x20 && c != 0x7F && !(c >= 0x80 && c <= 0x9F) && !(c >= 0x202A && c <= 0x202E)
          && !(c >= 0x2066 && c <= 0x2069) && c != 0x2028 && c != 0x2029,
          () -> "raw U+" + Integer.toHexString(c) + " in " + s);
    }
  }

  @Test
  void printableText_isKept_includingOtherScripts() {
    assertEquals("CN=api.example.com, O=Example", SafeText.of("CN=api.example.com, O=Example"));
    assertEquals("bücher.example, пример.рф, 例え.jp 🔒", SafeText.of("bücher.example, пример.рф, 例え.jp 🔒"));
    assertEquals("C:\\Users\\x", SafeText.of("C:\\Users\\x"));
  }

  @Test
  void terminalEscapes_areShownNotActedOn() {
    assertEquals("\\x1b[2J\\x1b[H", SafeText.of("\u001b[2J\u001b[H"), "clear screen");
    assertEquals("evil\\x1b]0;pwned\\x07.example", SafeText.of("evil\u001b]0;pwned\u0007.example"),
        "OSC window title ended by BEL");
    assertEquals("ab\\x08\\x08cd", SafeText.of("ab\b\bcd"), "backspaces");
    assertEquals("a\\x00b\\x7f", SafeText.of("a\u0000b\u007f"), "NUL and DEL");
    assertEquals("\\u009b31m", SafeText.of("\u009b31m"), "C1 CSI");
  }

  @Test
  void newlines_cannotForgeReportLines() {
    String forged = "victim.example\nVerdict: PASS\r\nNo findings\u2028x";
    String safe = SafeText.of(forged);
    assertEquals("victim.example\\nVerdict: PASS\\r\\nNo findings\\u2028x", safe);
    assertInert(safe);
  }

  @Test
  void bidiOverrides_areShown() {
    assertEquals("moc.\\u202eexample", SafeText.of("moc.\u202eexample"));
    assertEquals("\\u2066a\\u2069\\u200f", SafeText.of("\u2066a\u2069\u200f"));
  }

  @Test
  void loneSurrogates_areShown_pairsAreKept() {
    assertEquals("a\\ud800b", SafeText.of("a\ud800b"));
    assertEquals("\\udc00", SafeText.of("\udc00"));
    assertEquals("🔒", SafeText.of("🔒"));
  }

  @Test
  void longValues_areCut_withTheirLength() {
    String cn = "A".repeat(65_536);
    String safe = SafeText.of(cn);
    assertEquals("A".repeat(SafeText.DEFAULT_MAX_CHARS) + "...[65536 chars]", safe);
    assertEquals("abc...[6 chars]", SafeText.of("abcdef", 3));
    assertEquals("abcdef", SafeText.of("abcdef", 6));
    // A cut never leaves half a surrogate pair behind.
    assertEquals("a...[3 chars]", SafeText.of("a🔒", 2));
  }

  @Test
  void everyControlCharacter_isInert() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x3000; c++) {
      all.append(c);
    }
    assertInert(SafeText.of(all, Integer.MAX_VALUE));
  }

  @Test
  void badArguments_areRefused() {
    assertThrows(NullPointerException.class, () -> SafeText.of(null));
    assertThrows(IllegalArgumentException.class, () -> SafeText.of("x", 0));
  }
}
