package dev.tlsinspect.probe;

import dev.tlsinspect.ProxySpec;
import dev.tlsinspect.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Takes credentials out of text a peer sent back: some proxies echo the request, with its
 * {@code Proxy-Authorization} header, in the body of a 400 or 407, and that text becomes evidence,
 * report text, trace and DEBUG log lines. Applied where a reply becomes a failure, so that nothing
 * downstream ever holds the secret. Not API.
 */
final class Secrets {
  static final String REDACTED = "[redacted]";

  /** An authorization header and its value (scheme and credentials), to the end of the line. */
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "(?i)\\b((?:proxy-)?authorization)(\\s*[:=]\\s*)[^\\r\\n|]*[^\\r\\n|\\s]");
  /** Userinfo in a URL: {@code scheme://user:password@}. */
  private static final Pattern USERINFO = Pattern.compile(
      "(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s@:]*:[^/\\s@]*@");
  /** Shorter secrets would match ordinary words; their Base64 forms are still removed. */
  private static final int MIN_LITERAL = 4;

  private Secrets() {}

  /** The secrets of a target: its proxy's password and the Basic token made of it. */
  static List<String> of(Target target) {
    List<String> out = new ArrayList<>();
    target.proxy().flatMap(ProxySpec::credentials).ifPresent(c -> {
      byte[] pair = (c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8);
      out.add(Base64.getEncoder().encodeToString(pair));
      out.add(Base64.getUrlEncoder().encodeToString(pair));
      if (c.password().length() >= MIN_LITERAL) {
        out.add(c.password());
      }
    });
    // Longest first, so that a secret inside another is not left half replaced.
    out.sort(Comparator.comparingInt(String::length).reversed());
    return out;
  }

  /**
   * The text without authorization header values, URL userinfo and the given secrets.
   *
   * @param text text a peer sent, or made of it
   * @param secrets the literal secrets to remove as well
   * @return the text with each of them replaced by {@value #REDACTED}
   */
  static String redact(String text, List<String> secrets) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = AUTHORIZATION.matcher(text).replaceAll("$1$2" + REDACTED);
    out = USERINFO.matcher(out).replaceAll("$1" + REDACTED + "@");
    for (String s : secrets) {
      if (!s.isEmpty()) {
        out = out.replace(s, REDACTED);
      }
    }
    return out;
  }
}
