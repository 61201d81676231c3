package dev.tlsinspect;

import java.net.IDN;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The endpoint to inspect: a host name (or IP literal) and port, the server name to send in SNI,
 * and optionally a different address to connect to.
 *
 * <p>The host is the name the certificate must match. By default the SNI name is the host when the
 * host is a DNS name, and no SNI is sent for an IP literal (RFC 6066 forbids IP addresses in SNI).
 * To test one backend under its public name, keep the public name as host and set
 * {@linkplain Builder#connectAddress(String) the address to connect to}.
 *
 * <pre>{@code
 * Target.of("api.example.com", 443);
 * Target.parse("api.example.com:8443");
 * Target.builder("api.example.com", 443).connectAddress("10.0.0.5").build();
 * Target.builder("mail.example.com", 587).starttls(Starttls.SMTP).build();
 * Target.builder("api.example.com", 443).proxy(ProxySpec.parse("http://proxy.internal:3128")).build();
 * }</pre>
 *
 * <p>With a {@linkplain Builder#proxy(ProxySpec) proxy}, only the proxy's name is resolved here;
 * the proxy is asked for the host (or the connect address) by name, and resolves it itself.
 *
 * <p>Arguments are checked at once: a bad host, port or server name throws
 * {@link IllegalArgumentException} with a message that says what is wrong.
 *
 * @param host the host name, in ASCII (IDNs are converted), or an IP literal without brackets
 * @param port the TCP port, 1 to 65535
 * @param sni the server name to send in SNI, or empty to send none
 * @param address the address to connect to instead of resolving the host, or empty
 * @param starttls the plaintext protocol to upgrade to TLS first, or empty for TLS from the
 *     first byte
 * @param proxy the proxy to tunnel through, or empty to connect directly
 * @since 0.1.0
 */
public record Target(String host, int port, Optional<String> sni, Optional<String> address,
    Optional<Starttls> starttls, Optional<ProxySpec> proxy) {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
  /** The default port of each scheme {@link #parse} accepts: TLS from the first byte. */
  private static final Map<String, Integer> SCHEME_PORTS = schemePorts();

  /**
   * Validates the target.
   *
   * @throws IllegalArgumentException when the host, port, SNI name or address is invalid
   */
  public Target {
    host = normalizeHost(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
    }
    Objects.requireNonNull(sni, "sni");
    if (sni.isPresent()) {
      String name = normalizeHost(sni.get(), "SNI name");
      if (isIpLiteral(name)) {
        throw new IllegalArgumentException(
            "SNI name must be a DNS name, not an IP address (RFC 6066): " + name);
      }
      sni = Optional.of(name);
    }
    Objects.requireNonNull(address, "address");
    if (address.isPresent()) {
      address = Optional.of(normalizeHost(address.get(), "connect address"));
    }
    Objects.requireNonNull(starttls, "starttls");
    Objects.requireNonNull(proxy, "proxy");
  }

  /**
   * A target with default SNI (the host, unless it is an IP literal).
   *
   * @param host the host name or IP literal
   * @param port the port
   * @return the target
   * @throws IllegalArgumentException when the host or port is invalid
   * @since 0.1.0
   */
  public static Target of(String host, int port) {
    return builder(host, port).build();
  }

  /**
   * Parses a target as users paste it: {@code HOST}, {@code HOST:PORT}, {@code [IPV6]:PORT}, a
   * bare IPv6 literal, or a URL such as {@code https://HOST[:PORT]/path}. The port defaults to
   * the scheme's (https and wss 443, smtps 465, imaps 993, pop3s 995, ldaps 636, ftps 990) and to
   * 443 without a scheme; a URL's user information, path, query and fragment are ignored.
   * Internationalised names are converted to ASCII.
   *
   * <pre>{@code
   * Target.parse("https://api.example.com/health");  // api.example.com:443
   * Target.parse("imaps://mail.example.com");         // mail.example.com:993
   * Target.parse("[2001:db8::1]:8443");               // [2001:db8::1]:8443
   * }</pre>
   *
   * @param text the text
   * @return the target
   * @throws IllegalArgumentException when the text is not a valid target; the message names what
   *     was wrong
   * @since 0.1.0
   */
  public static Target parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    int port = 443;
    int schemeEnd = s.indexOf("://");
    if (schemeEnd >= 0) {
      String scheme = s.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
      Integer schemePort = SCHEME_PORTS.get(scheme);
      if (schemePort == null) {
        throw new IllegalArgumentException("unsupported scheme '" + scheme + "://': use one of "
            + String.join(", ", SCHEME_PORTS.keySet()) + ", or HOST[:PORT]");
      }
      port = schemePort;
      s = s.substring(schemeEnd + 3);
      int end = s.length();
      for (char c : new char[] {'/', '?', '#'}) {
        int i = s.indexOf(c);
        if (i >= 0 && i < end) {
          end = i;
        }
      }
      s = s.substring(0, end);
      // user:password@ is dropped unread: it is not the target's business, and must not be echoed.
      s = s.substring(s.lastIndexOf('@') + 1);
      if (s.isEmpty()) {
        throw new IllegalArgumentException("no host in URL '" + scheme + "://...'");
      }
    }
    String host = s;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']' after the IPv6 address in '" + s + "'");
      }
      host = s.substring(1, close);
      if (host.indexOf(':') < 0) {
        throw new IllegalArgumentException("brackets are for IPv6 addresses only, got '[" + host + "]'");
      }
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("expected ':PORT' after ']', got '" + rest + "'");
        }
        port = parsePort(rest.substring(1));
      }
    } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
      host = s.substring(0, s.indexOf(':'));
      port = parsePort(s.substring(s.indexOf(':') + 1));
    }
    // More than one ':' and no brackets: a bare IPv6 literal, checked by normalizeHost.
    return of(host, port);
  }

  /**
   * Starts a target with explicit SNI or connect-address settings.
   *
   * @param host the host name or IP literal
   * @param port the port
   * @return a builder
   * @since 0.1.0
   */
  public static Builder builder(String host, int port) {
    return new Builder(host, port);
  }

  /**
   * Whether the host is an IPv4 or IPv6 literal.
   *
   * @return {@code true} for an IP literal
   * @since 0.1.0
   */
  public boolean hostIsIpAddress() {
    return isIpLiteral(host);
  }

  /**
   * The host and port as {@code host:port}, with IPv6 literals in brackets.
   *
   * @return the authority
   */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static Map<String, Integer> schemePorts() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("https", 443);
    m.put("wss", 443);
    m.put("smtps", 465);
    m.put("imaps", 993);
    m.put("pop3s", 995);
    m.put("ldaps", 636);
    m.put("ftps", 990);
    return Collections.unmodifiableMap(m);
  }

  static boolean isIpLiteral(String s) {
    return IPV4.matcher(s).matches() || s.indexOf(':') >= 0;
  }

  private static int parsePort(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("missing port after ':'");
    }
    // ASCII digits only: Integer.parseInt also takes other scripts' digits ("\u0664\u0664\u0663").
    if (text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(
          "port must be a number between 1 and 65535, got '" + SafeText.of(text, 40) + "'");
    }
    return Integer.parseInt(text);
  }

  /** RFC 4291 text form, with an optional trailing dotted quad and an optional zone (%eth0). */
  private static boolean isIpv6(String s) {
    String a = s;
    int zone = a.indexOf('%');
    if (zone >= 0) {
      if (!a.substring(zone + 1).matches("[A-Za-z0-9_.-]+")) {
        return false;
      }
      a = a.substring(0, zone);
    }
    int lastColon = a.lastIndexOf(':');
    String tail = a.substring(lastColon + 1);
    if (tail.indexOf('.') >= 0) {
      if (!IPV4.matcher(tail).matches()) {
        return false;
      }
      for (String part : tail.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return false;
        }
      }
      a = a.substring(0, lastColon + 1) + "0:0"; // the quad counts as two groups
    }
    int gap = a.indexOf("::");
    if (gap < 0) {
      return groups(a) == 8;
    }
    if (a.indexOf("::", gap + 1) >= 0) {
      return false; // also ":::"
    }
    int left = gap == 0 ? 0 : groups(a.substring(0, gap));
    int right = gap + 2 == a.length() ? 0 : groups(a.substring(gap + 2));
    return left >= 0 && right >= 0 && left + right <= 7;
  }

  /** The number of 1-4 digit hex groups separated by single colons, or -1 when malformed. */
  private static int groups(String s) {
    String[] parts = s.split(":", -1);
    for (String p : parts) {
      if (!p.matches("[0-9A-Fa-f]{1,4}")) {
        return -1;
      }
    }
    return parts.length;
  }

  static String normalizeHost(String value, String what) {
    Objects.requireNonNull(value, what);
    String s = value.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    String shown = SafeText.of(value, 80);
    if (s.indexOf(':') >= 0) {
      if (s.contains("://")) {
        throw new IllegalArgumentException(what + " '" + shown + "' is a URL, not a host name: "
            + "use Target.parse for URLs");
      }
      if (s.indexOf(':') == s.lastIndexOf(':')) {
        throw new IllegalArgumentException(what + " '" + shown + "' contains ':' but is not an IPv6 "
            + "address: give the port separately, or use Target.parse for HOST:PORT");
      }
      if (!isIpv6(s)) {
        throw new IllegalArgumentException(what + " is not a valid IPv6 address: '" + shown + "'");
      }
      return s.toLowerCase(Locale.ROOT);
    }
    if (DIGITS_AND_DOTS.matcher(s).matches()) {
      // Only a dotted quad is an IPv4 address; "1.2.3" or "1.2.3.4.5" would mean different
      // things to different resolvers (inet_aton takes "1.2.3"), so neither is guessed at.
      if (!IPV4.matcher(s).matches()) {
        throw new IllegalArgumentException(what + " is not a valid IPv4 address: '" + shown
            + "' (expected four numbers 0-255 separated by dots)");
      }
      for (String part : s.split("\\.")) {
        if (Integer.parseInt(part) > 255 || part.length() > 1 && part.charAt(0) == '0') {
          throw new IllegalArgumentException(what + " is not a valid IPv4 address: '" + shown
              + "' (each number 0-255, without leading zeros)");
        }
      }
      return s;
    }
    String ascii;
    try {
      ascii = IDN.toASCII(s, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not a valid host name: '" + shown + "'");
    }
    if (ascii.endsWith(".")) {
      ascii = ascii.substring(0, ascii.length() - 1);
    }
    if (ascii.isEmpty() || ascii.length() > 253) {
      throw new IllegalArgumentException(what + " is not a valid host name: '" + shown + "'");
    }
    for (String label : ascii.split("\\.", -1)) {
      if (!DNS_LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException(
            what + " is not a valid host name: '" + shown + "' (bad label '" + SafeText.of(label, 80) + "')");
      }
    }
    return ascii;
  }

  /**
   * Builds a {@link Target}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String host;
    private final int port;
    private Optional<String> sni;
    private Optional<String> address = Optional.empty();
    private Optional<Starttls> starttls = Optional.empty();
    private Optional<ProxySpec> proxy = Optional.empty();

    private Builder(String host, int port) {
      this.host = host;
      this.port = port;
    }

    /**
     * Sends this server name in SNI instead of the host.
     *
     * @param serverName a DNS name
     * @return this builder
     */
    public Builder sni(String serverName) {
      this.sni = Optional.of(Objects.requireNonNull(serverName, "serverName"));
      return this;
    }

    /**
     * Sends no SNI at all.
     *
     * @return this builder
     */
    public Builder noSni() {
      this.sni = Optional.empty();
      return this;
    }

    /**
     * Connects to this address (IP literal or name) instead of resolving the host; the certificate
     * is still checked against the host.
     *
     * @param connectAddress the address
     * @return this builder
     */
    public Builder connectAddress(String connectAddress) {
      this.address = Optional.of(Objects.requireNonNull(connectAddress, "connectAddress"));
      return this;
    }

    /**
     * Upgrades a plaintext protocol to TLS before the handshake (STARTTLS).
     *
     * @param protocol the protocol the port speaks first
     * @return this builder
     * @since 0.1.0
     */
    public Builder starttls(Starttls protocol) {
      this.starttls = Optional.of(Objects.requireNonNull(protocol, "protocol"));
      return this;
    }

    /**
     * Tunnels every connection through this proxy; the proxy resolves the host.
     *
     * @param value the proxy
     * @return this builder
     * @since 0.1.0
     */
    public Builder proxy(ProxySpec value) {
      this.proxy = Optional.of(Objects.requireNonNull(value, "proxy"));
      return this;
    }

    /**
     * Builds the target.
     *
     * @return the target
     * @throws IllegalArgumentException when a value is invalid
     */
    public Target build() {
      Optional<String> name = sni;
      if (name == null) {
        String h = normalizeHost(host, "host");
        name = isIpLiteral(h) ? Optional.empty() : Optional.of(h);
      }
      return new Target(host, port, name, address, starttls, proxy);
    }
  }
}
