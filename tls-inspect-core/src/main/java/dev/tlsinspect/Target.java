package dev.tlsinspect;

import java.net.IDN;
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
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

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
   * Parses {@code HOST}, {@code HOST:PORT}, {@code [IPV6]:PORT} or a bare IPv6 literal; the port
   * defaults to 443.
   *
   * @param hostAndPort the text
   * @return the target
   * @throws IllegalArgumentException when the text is not a valid target
   * @since 0.1.0
   */
  public static Target parse(String hostAndPort) {
    Objects.requireNonNull(hostAndPort, "hostAndPort");
    String s = hostAndPort.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    String host = s;
    int port = 443;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']' in IPv6 target: " + s);
      }
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("expected ':PORT' after ']' in " + s);
        }
        port = parsePort(rest.substring(1));
      }
    } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
      host = s.substring(0, s.indexOf(':'));
      port = parsePort(s.substring(s.indexOf(':') + 1));
    }
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

  static boolean isIpLiteral(String s) {
    return IPV4.matcher(s).matches() || s.indexOf(':') >= 0;
  }

  private static int parsePort(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port must be a number between 1 and 65535, got '" + text + "'");
    }
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
    if (s.indexOf(':') >= 0) {
      if (!s.matches("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?")) {
        throw new IllegalArgumentException(what + " is not a valid IPv6 address: " + value);
      }
      return s.toLowerCase(Locale.ROOT);
    }
    if (IPV4.matcher(s).matches()) {
      for (String part : s.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          throw new IllegalArgumentException(what + " is not a valid IPv4 address: " + value);
        }
      }
      return s;
    }
    String ascii;
    try {
      ascii = IDN.toASCII(s, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not a valid host name: " + value);
    }
    if (ascii.endsWith(".")) {
      ascii = ascii.substring(0, ascii.length() - 1);
    }
    if (ascii.isEmpty() || ascii.length() > 253) {
      throw new IllegalArgumentException(what + " is not a valid host name: " + value);
    }
    for (String label : ascii.split("\\.", -1)) {
      if (!DNS_LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException(
            what + " is not a valid host name: '" + value + "' (bad label '" + label + "')");
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
