package dev.tlsinspect.internal.logs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/*
 * OpenSSL error strings as servers log them:
 *   1.1:  error:1408A0C1:SSL routines:ssl3_get_client_hello:no shared cipher
 *   3.x:  error:0A0000C1:SSL routines::no shared cipher
 *         error:0A0000C1:SSL routines:tls_post_process_client_hello:no shared cipher:file.c:2226:
 * The packed code differs between the two: 1.1 packs lib<<24 | func<<12 | reason (12 bits), 3.x
 * packs lib<<23 | reason (23 bits) and drops the function. The SSL library is number 20 in both,
 * so an SSL code starts with 0x14 in 1.1 and 0x0A in 3.x and the two never collide. Reason
 * numbers are the same in both (ssl.h / sslerr.h: SSL_R_*), so the reason text is recovered from
 * the number when a server prints it differently or not at all.
 */
/** Decodes OpenSSL 1.1 and 3.x error strings. Not API. */
public final class OpenSslErrors {
  private static final int LIB_SSL = 20;

  /** SSL_R_* reason numbers (identical in 1.1 and 3.x) and their canonical texts. */
  private static final Map<Integer, String> SSL_REASONS = Map.ofEntries(
      Map.entry(0x065, "no suitable key share"),
      Map.entry(0x06C, "bad key share"),
      Map.entry(0x076, "no suitable signature algorithm"),
      Map.entry(0x086, "certificate verify failed"),
      Map.entry(0x098, "excessive message size"),
      Map.entry(0x09C, "http request"),
      Map.entry(0x09B, "https proxy request"),
      Map.entry(0x0C1, "no shared cipher"),
      Map.entry(0x0C6, "packet length too long"),
      Map.entry(0x0C7, "peer did not return a certificate"),
      Map.entry(0x0F4, "unexpected message"),
      Map.entry(0x102, "unsupported protocol"),
      Map.entry(0x10B, "wrong version number"),
      Map.entry(0x119, "decryption failed or bad record mac"),
      Map.entry(0x126, "unexpected eof while reading"),
      Map.entry(0x178, "no shared signature algorithms"),
      Map.entry(0x18A, "dh key too small"),
      Map.entry(0x18C, "version too low"),
      Map.entry(0x410, "sslv3 alert handshake failure"),
      Map.entry(0x412, "sslv3 alert bad certificate"),
      Map.entry(0x413, "sslv3 alert unsupported certificate"),
      Map.entry(0x414, "sslv3 alert certificate revoked"),
      Map.entry(0x415, "sslv3 alert certificate expired"),
      Map.entry(0x416, "sslv3 alert certificate unknown"),
      Map.entry(0x418, "tlsv1 alert unknown ca"),
      Map.entry(0x42E, "tlsv1 alert protocol version"),
      Map.entry(0x42F, "tlsv1 alert insufficient security"),
      Map.entry(0x45C, "tlsv13 alert certificate required"));

  /** Every SSL_R_* reason of OpenSSL 3.x (numbers shared with 1.1 and, where they existed, 1.0.2). */
  private static final Map<Integer, String> ALL_SSL_REASONS = loadReasons();

  private OpenSslErrors() {}

  /**
   * The text of an SSL-library reason number, from OpenSSL's full table.
   *
   * @param number the reason number (the low bits of a packed code)
   * @return the text OpenSSL prints for it, lower case; empty for a number OpenSSL does not define
   */
  public static Optional<String> reason(int number) {
    String curated = SSL_REASONS.get(number);
    return Optional.ofNullable(curated != null ? curated : ALL_SSL_REASONS.get(number));
  }

  private static Map<Integer, String> loadReasons() {
    Map<Integer, String> out = new HashMap<>();
    try (InputStream in = OpenSslErrors.class.getResourceAsStream("/dev/tlsinspect/openssl-ssl-reasons.tsv")) {
      if (in == null) {
        throw new IllegalStateException("openssl-ssl-reasons.tsv is missing from the tls-inspect-core jar");
      }
      BufferedReader r = new BufferedReader(
          new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int tab = line.indexOf('\t');
        out.put(Integer.parseInt(line.substring(0, tab)), line.substring(tab + 1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(out);
  }

  /**
   * One decoded error.
   *
   * @param code the packed code as printed (8 hex digits)
   * @param version "1.1" or "3" when the code is an SSL-library code of that layout, else ""
   * @param reasonNumber the reason number, or -1 when the code is not an SSL-library code
   * @param function the function field (empty in 3.x short form)
   * @param reason the reason, lower case: the canonical text of the number when known, else as printed
   */
  public record Error(String code, String version, int reasonNumber, String function, String reason) {}

  /**
   * Finds the first {@code error:XXXXXXXX:} string in a line and decodes it. No regular expression
   * runs on the line: one scan for "error:", then a bounded read of the fields.
   *
   * @param line the line
   * @return the error, or empty when the line holds none
   */
  public static Optional<Error> find(String line) {
    int from = 0;
    while (true) {
      int at = line.indexOf("error:", from);
      if (at < 0) {
        return Optional.empty();
      }
      int start = at + 6;
      if (start + 9 <= line.length() && isHex(line, start, 8) && line.charAt(start + 8) == ':') {
        return Optional.of(decode(line, start));
      }
      from = start;
    }
  }

  private static boolean isHex(String s, int from, int n) {
    for (int i = from; i < from + n; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static Error decode(String line, int start) {
    String hex = line.substring(start, start + 8);
    long v = Long.parseLong(hex, 16);
    String version = "";
    int reason = -1;
    if ((v & 0x80000000L) == 0 && ((v >>> 23) & 0xFF) == LIB_SSL) {
      version = "3";
      reason = (int) (v & 0x7FFFFF);
    } else if ((v >>> 24) == LIB_SSL) {
      version = "1.1";
      reason = (int) (v & 0xFFF);
    }
    // Fields after the code: library, function, reason, then (3.x long form) file and line.
    String[] fields = new String[3];
    int pos = start + 9;
    for (int f = 0; f < 3; f++) {
      int end = line.indexOf(':', pos);
      if (end < 0 || end - pos > 200) {
        end = Math.min(line.length(), pos + 200);
      }
      fields[f] = line.substring(Math.min(pos, end), end);
      pos = end + 1;
      if (pos > line.length()) {
        for (int g = f + 1; g < 3; g++) {
          fields[g] = "";
        }
        break;
      }
    }
    String printed = clean(fields[2]);
    // The curated texts win (a server may print them differently); the full table fills in a
    // reason the server did not print, and otherwise what it printed stands.
    String known = reason >= 0 ? SSL_REASONS.get(reason) : null;
    if (known == null && printed.isEmpty() && reason >= 0) {
      known = ALL_SSL_REASONS.get(reason);
    }
    return new Error(hex.toUpperCase(Locale.ROOT), version, reason, fields[1] == null ? "" : fields[1].strip(),
        known != null ? known : printed);
  }

  /** Cuts what some servers append: " (SSL alert number 48)", " -- hint", ")" of nginx. */
  private static String clean(String s) {
    if (s == null) {
      return "";
    }
    String r = s.toLowerCase(Locale.ROOT);
    for (String cut : new String[] {" (ssl alert", " --", ")"}) {
      int i = r.indexOf(cut);
      if (i >= 0) {
        r = r.substring(0, i);
      }
    }
    return r.strip();
  }
}
