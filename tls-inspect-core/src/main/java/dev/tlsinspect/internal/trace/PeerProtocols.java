package dev.tlsinspect.internal.trace;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Names the protocol a non-TLS peer speaks from the first bytes it sent: HTTP, SMTP, FTP, IMAP,
 * POP3, SSH, MySQL, PostgreSQL, Redis, or {@code unknown}. Reads at most the bytes given. Shared
 * by the providers; not API.
 */
public final class PeerProtocols {
  private PeerProtocols() {}

  /**
   * Names the protocol of a non-TLS answer.
   *
   * @param first the first bytes the peer sent
   * @return the protocol, or {@code unknown}
   */
  public static String identify(byte[] first) {
    if (first.length == 0) {
      return "unknown";
    }
    String text = new String(first, 0, Math.min(first.length, 64), StandardCharsets.ISO_8859_1);
    String upper = text.toUpperCase(Locale.ROOT);
    if (upper.startsWith("HTTP/") || upper.startsWith("<HTML") || upper.startsWith("<!DOCTYPE")) {
      return "HTTP";
    }
    if (text.startsWith("SSH-")) {
      return "SSH";
    }
    if (upper.startsWith("220")) {
      return upper.contains("FTP") ? "FTP" : "SMTP";
    }
    if (upper.startsWith("* OK") || upper.startsWith("* PREAUTH")) {
      return "IMAP";
    }
    if (upper.startsWith("+OK")) {
      return "POP3";
    }
    if (text.startsWith("-ERR") || text.startsWith("-NOAUTH") || text.startsWith("-DENIED")
        || text.startsWith("+PONG")) {
      return "Redis";
    }
    if (first[0] == 'E' && (upper.contains("SFATAL") || upper.contains("VFATAL"))) {
      return "PostgreSQL";
    }
    // MySQL greeting: 3-byte length, sequence 0, protocol version 10, version string.
    if (first.length > 5 && first[3] == 0 && first[4] == 0x0a && Character.isDigit(first[5])) {
      return "MySQL";
    }
    if (text.startsWith("RFB ")) {
      return "VNC";
    }
    if (text.startsWith("AMQP")) {
      return "AMQP";
    }
    return "unknown";
  }
}
