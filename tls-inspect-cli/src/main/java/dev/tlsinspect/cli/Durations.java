package dev.tlsinspect.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.TypeConversionException;

/** Parses the durations the command line accepts: {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1.5s}, {@code PT10S}. */
final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");
  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

  private Durations() {}

  /**
   * Parses a positive duration.
   *
   * @throws TypeConversionException with a one-line message when the text is not one
   */
  static Duration parse(String text) {
    String s = text == null ? "" : text.trim();
    Duration d;
    if (s.toUpperCase(Locale.ROOT).startsWith("P")) {
      try {
        d = Duration.parse(s.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw bad(text);
      }
    } else {
      Matcher m = SHORT.matcher(s.toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw bad(text);
      }
      long unitNanos = switch (m.group(2)) {
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos));
      if (nanos.compareTo(MAX_NANOS) > 0) {
        throw new TypeConversionException("duration '" + text + "' is too long");
      }
      d = Duration.ofNanos(nanos.longValue());
    }
    if (d.isZero() || d.isNegative()) {
      throw new TypeConversionException("duration must be positive, got '" + text + "'");
    }
    return d;
  }

  private static TypeConversionException bad(String text) {
    return new TypeConversionException(
        "'" + text + "' is not a duration: use for example 10s, 500ms, 2m, 1.5s or PT10S");
  }
}
