package dev.tlsinspect.probe;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * A protocol version as on the wire: an open (code, name) value, so versions the library has never
 * seen still round-trip.
 *
 * @param code the two-byte wire code, for example {@code 0x0303} for TLS 1.2
 * @param name the name, for example {@code TLSv1.2}
 * @since 0.1.0
 */
public record TlsVersion(int code, String name) implements Comparable<TlsVersion> {
  /** SSL 2.0. */
  public static final TlsVersion SSL_2_0 = new TlsVersion(0x0002, "SSLv2");
  /** SSL 3.0. */
  public static final TlsVersion SSL_3_0 = new TlsVersion(0x0300, "SSLv3");
  /** TLS 1.0. */
  public static final TlsVersion TLS_1_0 = new TlsVersion(0x0301, "TLSv1");
  /** TLS 1.1. */
  public static final TlsVersion TLS_1_1 = new TlsVersion(0x0302, "TLSv1.1");
  /** TLS 1.2. */
  public static final TlsVersion TLS_1_2 = new TlsVersion(0x0303, "TLSv1.2");
  /** TLS 1.3. */
  public static final TlsVersion TLS_1_3 = new TlsVersion(0x0304, "TLSv1.3");

  private static final TlsVersion[] KNOWN = {SSL_2_0, SSL_3_0, TLS_1_0, TLS_1_1, TLS_1_2, TLS_1_3};

  /**
   * Validates the value.
   *
   * @throws IllegalArgumentException when the code is not two bytes
   */
  public TlsVersion {
    if (code < 0 || code > 0xFFFF) {
      throw new IllegalArgumentException("version code must fit in two bytes: " + code);
    }
    Objects.requireNonNull(name, "name");
  }

  /**
   * The version with this wire code; unknown codes get a name like {@code 0x7f1c}.
   *
   * @param code the wire code
   * @return the version
   * @since 0.1.0
   */
  public static TlsVersion of(int code) {
    for (TlsVersion v : KNOWN) {
      if (v.code == code) {
        return v;
      }
    }
    return new TlsVersion(code, String.format("0x%04x", code));
  }

  /**
   * The version with this JSSE name ({@code TLSv1.2}, {@code TLSv1}, {@code SSLv3}).
   *
   * @param name the JSSE name
   * @return the version
   * @throws IllegalArgumentException for an unknown name
   * @since 0.1.0
   */
  public static TlsVersion fromJavaName(String name) {
    for (TlsVersion v : KNOWN) {
      if (v.name.equals(name)) {
        return v;
      }
    }
    if ("TLSv1.0".equals(name)) {
      return TLS_1_0;
    }
    throw new IllegalArgumentException("unknown protocol version name: " + name);
  }

  @Override
  public int compareTo(TlsVersion other) {
    return Integer.compare(rank(), other.rank());
  }

  private int rank() {
    return code == 0x0002 ? 0x0200 : code;
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
