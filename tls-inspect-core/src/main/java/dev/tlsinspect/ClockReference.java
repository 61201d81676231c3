package dev.tlsinspect;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A reference clock this machine's clock is compared with (CLOCK_SKEW). Comparing is a network
 * side effect, so it happens only when {@link InspectOptions.Builder#clockReference(ClockReference)}
 * names one.
 *
 * <ul>
 *   <li>{@link #httpDate()}: one {@code HEAD / HTTP/1.1} request to the inspected endpoint over TLS
 *       after the probes, reading only the {@code Date} header of the answer (one-second
 *       resolution);
 *   <li>{@link #sntp(String, int)}: one SNTP (RFC 4330) request over UDP to the given server.
 * </ul>
 *
 * @since 0.1.0
 */
public final class ClockReference {
  /** The SNTP port. */
  private static final int SNTP_PORT = 123;

  private final Optional<String> host;
  private final int port;

  private ClockReference(Optional<String> host, int port) {
    this.host = host;
    this.port = port;
  }

  /**
   * The {@code Date} header of the inspected HTTPS endpoint.
   *
   * @return the reference
   * @since 0.1.0
   */
  public static ClockReference httpDate() {
    return new ClockReference(Optional.empty(), 0);
  }

  /**
   * An SNTP server.
   *
   * @param host its name or address
   * @param port its UDP port, 1 to 65535 (SNTP: 123)
   * @return the reference
   * @throws IllegalArgumentException for an empty host or a port out of range
   * @since 0.1.0
   */
  public static ClockReference sntp(String host, int port) {
    Objects.requireNonNull(host, "host");
    String h = host.trim();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.isEmpty()) {
      throw new IllegalArgumentException("SNTP host must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("SNTP port must be between 1 and 65535, got " + port);
    }
    return new ClockReference(Optional.of(h), port);
  }

  /**
   * Parses {@code http} or {@code sntp:HOST[:PORT]} (IPv6 in brackets: {@code sntp:[::1]:123}), the
   * form of the CLI's {@code --clock-check}.
   *
   * @param text the text
   * @return the reference
   * @throws IllegalArgumentException for anything else
   * @since 0.1.0
   */
  public static ClockReference parse(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.trim();
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.equals("http") || lower.equals("https") || lower.equals("http-date")) {
      return httpDate();
    }
    if (!lower.startsWith("sntp:")) {
      throw new IllegalArgumentException("clock reference '" + text + "' is neither http nor sntp:HOST[:PORT]");
    }
    String rest = t.substring(5);
    String host = rest;
    int port = SNTP_PORT;
    int colon = rest.lastIndexOf(':');
    boolean bracketed = rest.startsWith("[");
    if (bracketed ? rest.lastIndexOf(']') < colon : colon >= 0 && rest.indexOf(':') == colon) {
      host = rest.substring(0, colon);
      try {
        port = Integer.parseInt(rest.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("SNTP port must be a number: '" + rest.substring(colon + 1) + "'");
      }
    }
    return sntp(host, port);
  }

  /**
   * Whether this is the HTTP {@code Date} header of the target.
   *
   * @return {@code true} for {@link #httpDate()}
   * @since 0.1.0
   */
  public boolean isHttpDate() {
    return host.isEmpty();
  }

  /**
   * The SNTP server's host.
   *
   * @return the host, empty for {@link #httpDate()}
   * @since 0.1.0
   */
  public Optional<String> host() {
    return host;
  }

  /**
   * The SNTP server's port.
   *
   * @return the port, 0 for {@link #httpDate()}
   * @since 0.1.0
   */
  public int port() {
    return port;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClockReference r && r.host.equals(host) && r.port == port;
  }

  @Override
  public int hashCode() {
    return host.hashCode() * 31 + port;
  }

  /**
   * The parseable form: {@code http} or {@code sntp:HOST:PORT}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return host.map(h -> "sntp:" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port).orElse("http");
  }
}
