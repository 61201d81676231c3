package dev.tlsinspect.internal.cert;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * RFC 6125 name matching: exact DNS names (case-insensitive, trailing dot ignored), a wildcard
 * only as the whole left-most label and matching exactly one label, never across a public-suffix
 * like two-label remainder ({@code *.com}); IP addresses only against IP SANs. Not API.
 */
public final class HostnameMatcher {
  private HostnameMatcher() {}

  /**
   * Whether a DNS name from a certificate matches a host name.
   *
   * @param pattern the certificate's name, possibly {@code *.example.com}
   * @param host the host name
   * @return whether they match
   */
  public static boolean matchesDns(String pattern, String host) {
    String p = normalize(pattern);
    String h = normalize(host);
    if (p.isEmpty() || h.isEmpty()) {
      return false;
    }
    if (!p.startsWith("*.")) {
      return p.equals(h);
    }
    String suffix = p.substring(1); // ".example.com"
    if (suffix.indexOf('*') >= 0 || suffix.chars().filter(c -> c == '.').count() < 2) {
      return false; // wildcard elsewhere, or "*.com"
    }
    if (!h.endsWith(suffix)) {
      return false;
    }
    String label = h.substring(0, h.length() - suffix.length());
    return !label.isEmpty() && label.indexOf('.') < 0;
  }

  /**
   * Whether {@code pattern} is a wildcard over a whole top-level domain ({@code *.com}) that would
   * cover {@code host} ({@code foo.com}) if such wildcards were allowed. {@link #matchesDns} says
   * no, as curl, OpenSSL, GnuTLS and Chrome do; the JDK says yes when the chain ends at a CA that
   * is not in its {@code cacerts} (it checks public suffixes only for public CAs).
   *
   * @param pattern the SAN or common name
   * @param host the host name
   * @return whether only the top-level-wildcard rule keeps them apart
   */
  public static boolean wildcardOverTopLevelDomain(String pattern, String host) {
    String p = normalize(pattern);
    String h = normalize(host);
    if (!p.startsWith("*.") || p.length() < 3) {
      return false;
    }
    String tld = p.substring(2);
    if (tld.indexOf('.') >= 0 || tld.indexOf('*') >= 0 || !h.endsWith("." + tld)) {
      return false;
    }
    String label = h.substring(0, h.length() - tld.length() - 1);
    return !label.isEmpty() && label.indexOf('.') < 0;
  }

  /**
   * Whether an IP SAN matches an IP literal (compared as addresses, so {@code ::1} equals
   * {@code 0:0:0:0:0:0:0:1}).
   *
   * @param san the certificate's IP address text
   * @param host the IP literal
   * @return whether they are the same address
   */
  public static boolean matchesIp(String san, String host) {
    try {
      return InetAddress.getByName(literal(san)).equals(InetAddress.getByName(literal(host)));
    } catch (UnknownHostException | IllegalArgumentException e) {
      return false;
    }
  }

  private static String literal(String s) {
    // getByName on a literal never does DNS; refuse anything that is not one.
    if (!s.matches("[0-9A-Fa-f:.%]+")) {
      throw new IllegalArgumentException("not an IP literal: " + s);
    }
    return s;
  }

  private static String normalize(String name) {
    String n = name.trim();
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    try {
      n = IDN.toASCII(n, IDN.ALLOW_UNASSIGNED);
    } catch (IllegalArgumentException e) {
      // keep as is; it simply will not match a valid host
    }
    return n.toLowerCase(Locale.ROOT);
  }
}
