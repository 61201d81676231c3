package dev.tlsinspect.probe;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Objects;

/**
 * A named group for key exchange (RFC 8446 section 4.2.7; TLS 1.2 calls them curves): an open
 * (code, name) value, so groups the library has never seen keep their code and get a name like
 * {@code 0x11EE}.
 *
 * @param code the two-byte IANA code, for example {@code 0x001D} for x25519
 * @param name the IANA name, for example {@code x25519}
 * @since 0.1.0
 */
public record NamedGroup(int code, String name) {
  /** secp192r1 (NIST P-192), deprecated for TLS (RFC 8422) but still the only curve of some servers. */
  public static final NamedGroup SECP192R1 = new NamedGroup(0x0013, "secp192r1");
  /** secp224r1 (NIST P-224), deprecated for TLS (RFC 8422) but still the only curve of some servers. */
  public static final NamedGroup SECP224R1 = new NamedGroup(0x0015, "secp224r1");
  /** secp256r1 (NIST P-256). */
  public static final NamedGroup SECP256R1 = new NamedGroup(0x0017, "secp256r1");
  /** secp384r1 (NIST P-384). */
  public static final NamedGroup SECP384R1 = new NamedGroup(0x0018, "secp384r1");
  /** secp521r1 (NIST P-521). */
  public static final NamedGroup SECP521R1 = new NamedGroup(0x0019, "secp521r1");
  /** X25519. */
  public static final NamedGroup X25519 = new NamedGroup(0x001D, "x25519");
  /** X448. */
  public static final NamedGroup X448 = new NamedGroup(0x001E, "x448");
  /** Finite-field DH, 2048 bits (RFC 7919). */
  public static final NamedGroup FFDHE2048 = new NamedGroup(0x0100, "ffdhe2048");
  /** Finite-field DH, 3072 bits (RFC 7919). */
  public static final NamedGroup FFDHE3072 = new NamedGroup(0x0101, "ffdhe3072");
  /** Finite-field DH, 4096 bits (RFC 7919). */
  public static final NamedGroup FFDHE4096 = new NamedGroup(0x0102, "ffdhe4096");
  /** Finite-field DH, 6144 bits (RFC 7919). */
  public static final NamedGroup FFDHE6144 = new NamedGroup(0x0103, "ffdhe6144");
  /** Finite-field DH, 8192 bits (RFC 7919). */
  public static final NamedGroup FFDHE8192 = new NamedGroup(0x0104, "ffdhe8192");
  /** Hybrid post-quantum: secp256r1 with ML-KEM-768. */
  public static final NamedGroup SECP256R1_MLKEM768 = new NamedGroup(0x11EB, "SecP256r1MLKEM768");
  /** Hybrid post-quantum: X25519 with ML-KEM-768, the one browsers offer. */
  public static final NamedGroup X25519_MLKEM768 = new NamedGroup(0x11EC, "X25519MLKEM768");
  /** Hybrid post-quantum: secp384r1 with ML-KEM-1024. */
  public static final NamedGroup SECP384R1_MLKEM1024 = new NamedGroup(0x11ED, "SecP384r1MLKEM1024");

  private static final List<NamedGroup> KNOWN = List.of(SECP192R1, SECP224R1, SECP256R1, SECP384R1, SECP521R1, X25519,
      X448, FFDHE2048, FFDHE3072, FFDHE4096, FFDHE6144, FFDHE8192, SECP256R1_MLKEM768,
      X25519_MLKEM768, SECP384R1_MLKEM1024);

  /**
   * Validates the value.
   *
   * @throws IllegalArgumentException when the code is not two bytes
   */
  public NamedGroup {
    if (code < 0 || code > 0xFFFF) {
      throw new IllegalArgumentException("named group code must fit in two bytes: " + code);
    }
    Objects.requireNonNull(name, "name");
  }

  /**
   * The group with this wire code, named when it is one of the constants of this class.
   *
   * @param code the code
   * @return the group
   * @since 0.1.0
   */
  public static NamedGroup of(int code) {
    for (NamedGroup g : KNOWN) {
      if (g.code == code) {
        return g;
      }
    }
    return new NamedGroup(code, String.format("0x%04X", code));
  }

  /**
   * Whether this is a hybrid or pure post-quantum key agreement (ML-KEM), usable in TLS 1.3 only.
   *
   * @return {@code true} for the ML-KEM groups
   * @since 0.1.0
   */
  public boolean postQuantum() {
    return (code >= 0x0200 && code <= 0x0202) || (code >= 0x11EB && code <= 0x11EE);
  }

  /**
   * The name.
   *
   * @return the name
   */
  @Override
  @JsonValue
  public String toString() {
    return name;
  }
}
