package dev.tlsinspect.probe;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * A cipher suite: an open (code, name) value. Suites the library does not know keep their code and
 * get a name like {@code 0x13FF}; suites known only by a JSSE name have code
 * {@link #UNKNOWN_CODE}.
 *
 * @param code the two-byte IANA code, or {@link #UNKNOWN_CODE}
 * @param name the IANA name, for example {@code TLS_AES_128_GCM_SHA256}
 * @since 0.1.0
 */
public record CipherSuite(int code, String name) {
  /** The code of a suite known only by name. */
  public static final int UNKNOWN_CODE = -1;

  /**
   * Validates the value.
   *
   * @throws IllegalArgumentException when the code is not two bytes or {@link #UNKNOWN_CODE}
   */
  public CipherSuite {
    if (code < UNKNOWN_CODE || code > 0xFFFF) {
      throw new IllegalArgumentException("cipher suite code must fit in two bytes: " + code);
    }
    Objects.requireNonNull(name, "name");
  }

  /**
   * The suite with this wire code, with its IANA name when the IANA registry lists it (else a
   * name like {@code 0x13FF}).
   *
   * @param code the code
   * @return the suite
   * @since 0.1.0
   */
  public static CipherSuite of(int code) {
    if (code < 0 || code > 0xFFFF) {
      throw new IllegalArgumentException("cipher suite code must fit in two bytes: " + code);
    }
    return dev.tlsinspect.internal.registry.CipherSuites.find(code).map(i -> new CipherSuite(code, i.name()))
        .orElseGet(() -> new CipherSuite(code, String.format("0x%04X", code)));
  }

  /**
   * The suite with this IANA name, with its code when the IANA registry lists it.
   *
   * @param name the IANA name, for example {@code TLS_AES_128_GCM_SHA256}
   * @return the suite; code {@link #UNKNOWN_CODE} for a name the registry does not list
   * @since 0.1.0
   */
  public static CipherSuite named(String name) {
    Objects.requireNonNull(name, "name");
    return dev.tlsinspect.internal.registry.CipherSuites.byName(name).map(i -> new CipherSuite(i.code(), name))
        .orElseGet(() -> new CipherSuite(UNKNOWN_CODE, name));
  }

  /**
   * The suite with this JSSE name; JSSE's {@code SSL_} prefix becomes {@code TLS_}.
   *
   * @param javaName the JSSE name
   * @return the suite
   * @since 0.1.0
   */
  public static CipherSuite fromJavaName(String javaName) {
    Objects.requireNonNull(javaName, "javaName");
    String name = javaName.startsWith("SSL_") ? "TLS_" + javaName.substring(4) : javaName;
    return new CipherSuite(UNKNOWN_CODE, name);
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
