package dev.tlsinspect.microprofile;

import dev.tlsinspect.Starttls;
import dev.tlsinspect.Target;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code tls-inspect.*} MicroProfile Config properties, read and validated once.
 *
 * <table>
 *   <caption>Properties</caption>
 *   <tr><th>Property</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>{@code tls-inspect.enabled}</td><td>true</td><td>false: no inspection, the check
 *       reports UP with {@code enabled=false}</td></tr>
 *   <tr><td>{@code tls-inspect.targets}</td><td>(required when enabled)</td><td>comma-separated
 *       targets as {@link Target#parse(String)} reads them, or {@code PROTO+starttls://HOST[:PORT]}
 *       for STARTTLS ({@code smtp+starttls://mail.example.com}: port 587, the protocol's
 *       default)</td></tr>
 *   <tr><td>{@code tls-inspect.budget}</td><td>10s</td><td>deadline of one inspection</td></tr>
 *   <tr><td>{@code tls-inspect.refresh-interval}</td><td>60s</td><td>delay between runs</td></tr>
 *   <tr><td>{@code tls-inspect.expiry-warning}</td><td>30d</td><td>DEGRADED (still UP) inside
 *       it</td></tr>
 *   <tr><td>{@code tls-inspect.critical-window}</td><td>7d</td><td>DOWN inside it</td></tr>
 *   <tr><td>{@code tls-inspect.quick}</td><td>true</td><td>one handshake per target, no
 *       enumeration</td></tr>
 * </table>
 *
 * <p>Durations are ISO-8601 ({@code PT5S}) or a number with a unit {@code ms}, {@code s},
 * {@code m}, {@code h} or {@code d} ({@code 5s}). An invalid value throws an {@link
 * IllegalArgumentException} whose message starts with the property's name.
 *
 * @param enabled whether inspections run
 * @param targets the targets, in order
 * @param budget the deadline of one inspection
 * @param refreshInterval the delay between runs
 * @param expiryWarning the warning window
 * @param criticalWindow the critical window
 * @param quick whether inspections are quick
 * @since 0.1.0
 */
public record TlsInspectSettings(boolean enabled, List<Target> targets, Duration budget,
    Duration refreshInterval, Duration expiryWarning, Duration criticalWindow, boolean quick) {

  /** Prefix of every property. */
  public static final String PREFIX = "tls-inspect.";

  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  /** Copies the list; checks the windows. */
  public TlsInspectSettings {
    targets = List.copyOf(targets);
    if (criticalWindow.compareTo(expiryWarning) > 0) {
      throw new IllegalArgumentException(PREFIX + "critical-window (" + criticalWindow
          + ") must not be longer than " + PREFIX + "expiry-warning (" + expiryWarning + ")");
    }
    if (enabled && targets.isEmpty()) {
      throw new IllegalArgumentException(PREFIX + "targets: at least one target is required"
          + " (or set " + PREFIX + "enabled=false)");
    }
    if (refreshInterval.isZero()) {
      throw new IllegalArgumentException(PREFIX + "refresh-interval must be positive");
    }
  }

  /**
   * Reads the settings from a property lookup (for instance {@code
   * name -> config.getOptionalValue(name, String.class)}).
   *
   * @param lookup the raw value of a property, by full name
   * @return the settings
   * @throws IllegalArgumentException when a value is invalid; the message names the property
   * @since 0.1.0
   */
  public static TlsInspectSettings read(Function<String, Optional<String>> lookup) {
    boolean enabled = bool(lookup, "enabled", true);
    List<Target> targets = new ArrayList<>();
    Optional<String> raw = lookup.apply(PREFIX + "targets");
    if (raw.isPresent()) {
      for (String part : raw.get().split(",")) {
        if (part.isBlank()) {
          continue;
        }
        try {
          targets.add(target(part.strip()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(PREFIX + "targets: invalid target '" + part.strip()
              + "': " + e.getMessage(), e);
        }
      }
    }
    return new TlsInspectSettings(enabled, targets,
        duration(lookup, "budget", Duration.ofSeconds(10)),
        duration(lookup, "refresh-interval", Duration.ofSeconds(60)),
        duration(lookup, "expiry-warning", Duration.ofDays(30)),
        duration(lookup, "critical-window", Duration.ofDays(7)),
        bool(lookup, "quick", true));
  }

  private static final Pattern STARTTLS = Pattern.compile("(?i)([a-z0-9]+)\\+starttls://(.+)");

  /** {@code PROTO+starttls://HOST[:PORT]} (port defaults to the protocol's) or Target.parse. */
  static Target target(String text) {
    Matcher m = STARTTLS.matcher(text);
    if (!m.matches()) {
      return Target.parse(text);
    }
    Starttls protocol = Starttls.parse(m.group(1));
    String rest = m.group(2);
    Target parsed = Target.parse(rest);
    boolean explicit = rest.startsWith("[") ? rest.matches("\\[[^]]*]:\\d+") : rest.contains(":");
    return Target.builder(parsed.host(), explicit ? parsed.port() : protocol.defaultPort())
        .starttls(protocol).build();
  }

  private static boolean bool(Function<String, Optional<String>> lookup, String name,
      boolean fallback) {
    Optional<String> v = lookup.apply(PREFIX + name).map(String::strip);
    if (v.isEmpty() || v.get().isEmpty()) {
      return fallback;
    }
    return switch (v.get().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(PREFIX + name + ": expected true or false, got '"
          + v.get() + "'");
    };
  }

  static Duration duration(Function<String, Optional<String>> lookup, String name,
      Duration fallback) {
    Optional<String> v = lookup.apply(PREFIX + name).map(String::strip);
    if (v.isEmpty() || v.get().isEmpty()) {
      return fallback;
    }
    String s = v.get();
    Duration d;
    Matcher m = SIMPLE.matcher(s.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    } else {
      try {
        d = Duration.parse(s);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(PREFIX + name + ": expected a duration such as 5s, 2m,"
            + " 30d or PT5S, got '" + s + "'", e);
      }
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException(PREFIX + name + " must not be negative, got '" + s + "'");
    }
    return d;
  }
}
