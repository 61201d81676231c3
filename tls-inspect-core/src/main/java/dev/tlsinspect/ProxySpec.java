package dev.tlsinspect;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A proxy to tunnel the connection through: HTTP {@code CONNECT} (optionally with Basic
 * authentication) or SOCKS5 (optionally with username/password authentication, RFC 1929). The
 * proxy resolves the target's name: only the proxy's own address is looked up locally.
 *
 * <pre>{@code
 * ProxySpec.parse("http://user:secret@proxy.internal:3128");
 * ProxySpec.socks5("127.0.0.1", 1080);
 * }</pre>
 *
 * <p>The credentials never show: {@link #toString()} leaves them out, and so does the JSON form
 * of reports ({@code credentials} is ignored by Jackson).
 *
 * @param type HTTP CONNECT or SOCKS5
 * @param host the proxy's host name or IP literal (without brackets)
 * @param port the proxy's port
 * @param credentials the user and password to authenticate with, if any
 * @since 0.1.0
 */
public record ProxySpec(Type type, String host, int port, @JsonIgnore Optional<Credentials> credentials) {

  /**
   * The kind of proxy.
   *
   * @since 0.1.0
   */
  public enum Type {
    /** HTTP {@code CONNECT} (RFC 9110 section 9.3.6); URL scheme {@code http}, default port 8080. */
    HTTP,
    /** SOCKS version 5 (RFC 1928); URL scheme {@code socks5}, default port 1080. */
    SOCKS5
  }

  /**
   * A user name and password for the proxy. {@link #toString()} hides the password.
   *
   * @param username the user name
   * @param password the password
   * @since 0.1.0
   */
  public record Credentials(String username, String password) {
    /**
     * Validates.
     *
     * @throws IllegalArgumentException when the user name is empty or a value has a line break
     */
    public Credentials {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      if (username.isEmpty()) {
        throw new IllegalArgumentException("proxy user name must not be empty");
      }
      // A CR or LF would let the value inject headers into the CONNECT request.
      if (username.matches("(?s).*[\\r\\n\\x00].*") || password.matches("(?s).*[\\r\\n\\x00].*")) {
        throw new IllegalArgumentException("proxy user name and password must not contain line breaks");
      }
    }

    /**
     * The user name, with the password masked.
     *
     * @return {@code Credentials[username=..., password=***]}
     */
    @Override
    public String toString() {
      return "Credentials[username=" + username + ", password=***]";
    }
  }

  /**
   * Validates.
   *
   * @throws IllegalArgumentException when the host or port is invalid
   */
  public ProxySpec {
    Objects.requireNonNull(type, "type");
    host = Target.normalizeHost(host, "proxy host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("proxy port must be between 1 and 65535, got " + port);
    }
    Objects.requireNonNull(credentials, "credentials");
    if (type == Type.SOCKS5 && credentials.isPresent()
        && (utf8Length(credentials.get().username()) > 255 || utf8Length(credentials.get().password()) > 255)) {
      throw new IllegalArgumentException("SOCKS5 user name and password are at most 255 bytes each (RFC 1929)");
    }
  }

  /**
   * An HTTP CONNECT proxy without authentication.
   *
   * @param host the proxy's host
   * @param port the proxy's port
   * @return the proxy
   * @since 0.1.0
   */
  public static ProxySpec http(String host, int port) {
    return new ProxySpec(Type.HTTP, host, port, Optional.empty());
  }

  /**
   * A SOCKS5 proxy without authentication.
   *
   * @param host the proxy's host
   * @param port the proxy's port
   * @return the proxy
   * @since 0.1.0
   */
  public static ProxySpec socks5(String host, int port) {
    return new ProxySpec(Type.SOCKS5, host, port, Optional.empty());
  }

  /**
   * This proxy, authenticating with a user name and password.
   *
   * @param username the user name
   * @param password the password
   * @return a copy with credentials
   * @since 0.1.0
   */
  public ProxySpec withCredentials(String username, String password) {
    return new ProxySpec(type, host, port, Optional.of(new Credentials(username, password)));
  }

  /**
   * Parses {@code http://[user:password@]host[:port]} or {@code socks5://[user:password@]host[:port]}
   * (user and password percent-encoded); the port defaults to 8080 for http and 1080 for socks5.
   *
   * @param url the URL
   * @return the proxy
   * @throws IllegalArgumentException when the URL is not one of these forms; the message never
   *     contains the password
   * @since 0.1.0
   */
  public static ProxySpec parse(String url) {
    Objects.requireNonNull(url, "url");
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("proxy URL is not a valid URL (expected http://HOST:PORT or "
          + "socks5://HOST:PORT)");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    Type type = switch (scheme) {
      case "http" -> Type.HTTP;
      case "socks5", "socks5h" -> Type.SOCKS5;
      case "" -> throw new IllegalArgumentException(
          "proxy URL needs a scheme: http://HOST:PORT or socks5://HOST:PORT");
      default -> throw new IllegalArgumentException("unsupported proxy scheme '" + scheme
          + "': use http (HTTP CONNECT) or socks5");
    };
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("proxy URL has no host: use " + scheme + "://HOST:PORT");
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("proxy URL must be just " + scheme + "://HOST:PORT, without a path");
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : type == Type.HTTP ? 8080 : 1080;
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    ProxySpec proxy = new ProxySpec(type, host, port, Optional.empty());
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
      proxy = proxy.withCredentials(user, password);
    }
    return proxy;
  }

  /**
   * The proxy as a URL without credentials, for example {@code socks5://127.0.0.1:1080}.
   *
   * @return the URL
   */
  @Override
  public String toString() {
    return type.name().toLowerCase(Locale.ROOT) + "://"
        + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static String decode(String s) {
    try {
      // URLDecoder would turn '+' into a space, which is not what a URL's user info means.
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("proxy URL has a bad percent-encoding in its user info");
    }
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
