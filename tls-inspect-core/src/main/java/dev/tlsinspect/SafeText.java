package dev.tlsinspect;

import java.util.Objects;

/**
 * Makes text that came from a peer or an input file safe to print on a terminal or in a log line:
 * the one function every text renderer of tls-inspect uses (the report, the trace, explain, logs).
 *
 * <p>A certificate name, an alert text, a banner, a proxy's reply or a quoted log line can hold
 * terminal escape sequences (clear the screen, set the window title), backspaces, C1 controls,
 * NUL, right-to-left overrides and newlines that would forge whole report lines. {@link #of}
 * shows each such character as a visible escape ({@code \x1b}, {@code \n}, {@code \u202e}) and
 * cuts long values, saying how long they were. Printable text, including non-Latin scripts, is
 * kept as it is. JSON output needs none of this: its encoder escapes exactly.
 *
 * <pre>{@code
 * SafeText.of("evil\u001b]0;pwned\u0007.example")  // "evil\x1b]0;pwned\x07.example"
 * SafeText.of("x".repeat(70_000))                  // 512 x's, then "...[70000 chars]"
 * }</pre>
 *
 * @since 0.1.0
 */
public final class SafeText {
  /** The default length, in characters, kept of one value before it is cut. */
  public static final int DEFAULT_MAX_CHARS = 512;

  private SafeText() {}

  /**
   * The text with every control, bidirectional-override and line-breaking character shown as a
   * visible escape, cut after {@link #DEFAULT_MAX_CHARS} characters.
   *
   * @param text the text, as received
   * @return the text, safe to print
   * @since 0.1.0
   */
  public static String of(CharSequence text) {
    return of(text, DEFAULT_MAX_CHARS);
  }

  /**
   * The text with every control, bidirectional-override and line-breaking character shown as a
   * visible escape, cut after {@code maxChars} characters of the original (the cut says how long
   * the original was).
   *
   * @param text the text, as received
   * @param maxChars how many characters of the original to keep, at least 1
   * @return the text, safe to print
   * @throws IllegalArgumentException when {@code maxChars} is less than 1
   * @since 0.1.0
   */
  public static String of(CharSequence text, int maxChars) {
    Objects.requireNonNull(text, "text");
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be at least 1: " + maxChars);
    }
    int length = text.length();
    int keep = Math.min(length, maxChars);
    if (keep < length && Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--; // never split a surrogate pair
    }
    StringBuilder out = null;
    for (int i = 0; i < keep; i++) {
      char c = text.charAt(i);
      String escape = escape(c, text, i);
      if (escape != null && out == null) {
        out = new StringBuilder(keep + 16).append(text, 0, i);
      }
      if (out != null) {
        if (escape != null) {
          out.append(escape);
        } else {
          out.append(c);
        }
      }
    }
    String kept = out != null ? out.toString() : text.subSequence(0, keep).toString();
    return keep < length ? kept + "...[" + length + " chars]" : kept;
  }

  /** The visible form of one character, or null when it prints as itself. */
  private static String escape(char c, CharSequence text, int i) {
    if (c == '\n') {
      return "\\n";
    } else if (c == '\r') {
      return "\\r";
    } else if (c == '\t') {
      return "\\t";
    }
    if (c < 0x20 || c == 0x7F) {
      return String.format("\\x%02x", (int) c);
    }
    if (c >= 0x80 && c <= 0x9F // C1 controls: CSI (0x9b) starts escape sequences on some terminals
        || c >= 0x202A && c <= 0x202E // bidi embeddings and overrides
        || c >= 0x2066 && c <= 0x2069 // bidi isolates
        || c == 0x200E || c == 0x200F || c == 0x061C // directional marks
        || c == 0x2028 || c == 0x2029 // line and paragraph separators
        || c == 0xFEFF // byte order mark: invisible
        || Character.isHighSurrogate(c) && !(i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)))
        || Character.isLowSurrogate(c) && !(i > 0 && Character.isHighSurrogate(text.charAt(i - 1)))) {
      return String.format("\\u%04x", (int) c);
    }
    return null;
  }
}
