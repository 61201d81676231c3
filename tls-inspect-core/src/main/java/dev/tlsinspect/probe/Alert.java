package dev.tlsinspect.probe;

import java.util.Map;
import java.util.Objects;

/**
 * A TLS alert seen during a probe.
 *
 * @param received {@code true} when the peer sent it, {@code false} when the probe sent it
 * @param fatal whether its level is fatal
 * @param description the alert description code (RFC 8446 section 6)
 * @param name the alert's name, for example {@code handshake_failure}
 * @since 0.1.0
 */
public record Alert(boolean received, boolean fatal, int description, String name) {
  private static final Map<Integer, String> NAMES = Map.ofEntries(
      Map.entry(0, "close_notify"), Map.entry(10, "unexpected_message"),
      Map.entry(20, "bad_record_mac"), Map.entry(21, "decryption_failed"),
      Map.entry(22, "record_overflow"), Map.entry(30, "decompression_failure"),
      Map.entry(40, "handshake_failure"), Map.entry(41, "no_certificate"),
      Map.entry(42, "bad_certificate"), Map.entry(43, "unsupported_certificate"),
      Map.entry(44, "certificate_revoked"), Map.entry(45, "certificate_expired"),
      Map.entry(46, "certificate_unknown"), Map.entry(47, "illegal_parameter"),
      Map.entry(48, "unknown_ca"), Map.entry(49, "access_denied"),
      Map.entry(50, "decode_error"), Map.entry(51, "decrypt_error"),
      Map.entry(60, "export_restriction"), Map.entry(70, "protocol_version"),
      Map.entry(71, "insufficient_security"), Map.entry(80, "internal_error"),
      Map.entry(86, "inappropriate_fallback"), Map.entry(90, "user_canceled"),
      Map.entry(100, "no_renegotiation"), Map.entry(109, "missing_extension"),
      Map.entry(110, "unsupported_extension"), Map.entry(111, "certificate_unobtainable"),
      Map.entry(112, "unrecognized_name"), Map.entry(113, "bad_certificate_status_response"),
      Map.entry(114, "bad_certificate_hash_value"), Map.entry(115, "unknown_psk_identity"),
      Map.entry(116, "certificate_required"), Map.entry(120, "no_application_protocol"));

  /**
   * Validates the value.
   *
   * @throws IllegalArgumentException when the description is not one byte
   */
  public Alert {
    if (description < 0 || description > 255) {
      throw new IllegalArgumentException("alert description must be one byte: " + description);
    }
    Objects.requireNonNull(name, "name");
  }

  /**
   * An alert with its standard name.
   *
   * @param received whether the peer sent it
   * @param fatal whether it is fatal
   * @param description the description code
   * @return the alert
   * @since 0.1.0
   */
  public static Alert of(boolean received, boolean fatal, int description) {
    return new Alert(received, fatal, description, nameOf(description));
  }

  /**
   * The standard name of an alert description, or {@code alert_N} for an unknown one.
   *
   * @param description the code
   * @return the name
   * @since 0.1.0
   */
  public static String nameOf(int description) {
    return NAMES.getOrDefault(description, "alert_" + description);
  }

  /**
   * The code of a standard alert name.
   *
   * @param name for example {@code handshake_failure}
   * @return the code, or -1 when unknown
   * @since 0.1.0
   */
  public static int codeOf(String name) {
    for (Map.Entry<Integer, String> e : NAMES.entrySet()) {
      if (e.getValue().equals(name)) {
        return e.getKey();
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return (received ? "received " : "sent ") + (fatal ? "fatal " : "warning ") + name + "(" + description + ")";
  }
}
