package dev.tlsinspect.internal.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The IANA cipher suite registry, shipped as {@code dev/tlsinspect/cipher-suites.tsv}: names and
 * what each suite is made of, for naming suites seen on the wire and for choosing what to offer
 * when enumerating. Not API.
 */
public final class CipherSuites {
  private static final Map<Integer, Info> BY_CODE;
  private static final Map<String, Info> BY_NAME;

  static {
    Map<Integer, Info> byCode = new LinkedHashMap<>();
    Map<String, Info> byName = new HashMap<>();
    for (Info i : load()) {
      byCode.put(i.code(), i);
      byName.put(i.name(), i);
    }
    BY_CODE = Collections.unmodifiableMap(byCode);
    BY_NAME = Collections.unmodifiableMap(byName);
  }

  private static final int SSL_3_0 = 0x0300;
  private static final int TLS_1_2 = 0x0303;
  private static final int TLS_1_3 = 0x0304;

  private CipherSuites() {}

  /**
   * One registry entry.
   *
   * @param code the wire code
   * @param name the IANA name
   * @param keyExchange RSA, DH, DHE, ECDH, ECDHE, PSK, SRP, KRB5, ..., with {@code _EXPORT} for
   *     export grade; ANY for TLS 1.3 suites
   * @param authentication RSA, DSS, ECDSA, PSK, anon, ...; ANY for TLS 1.3 suites
   * @param cipher AES, CHACHA20, 3DES, DES, RC4, NULL, ...
   * @param mode CBC, GCM, CCM, CCM_8, POLY1305, STREAM, NULL, ...
   * @param bits the cipher's key strength in bits (0 for NULL)
   * @param forwardSecrecy whether the key exchange is ephemeral
   * @param versions TLS13 (1.3 only), TLS12 (1.2 only), ALL (SSL 3.0 to TLS 1.2), SCSV
   */
  public record Info(int code, String name, String keyExchange, String authentication,
      String cipher, String mode, int bits, boolean forwardSecrecy, String versions) {

    /**
     * Whether a server may select this suite in this version.
     *
     * @param version the version's wire code, 0x0300 (SSL 3.0) to 0x0304 (TLS 1.3)
     * @return whether it is valid there
     */
    public boolean validFor(int version) {
      boolean tls13 = version >= TLS_1_3;
      return switch (versions) {
        case "TLS13" -> tls13;
        case "TLS12" -> version == TLS_1_2;
        case "ALL" -> !tls13 && version >= SSL_3_0;
        default -> false;
      };
    }

    /** @return whether this suite encrypts nothing */
    public boolean isNull() {
      return "NULL".equals(cipher);
    }

    /** @return whether this suite authenticates nobody */
    public boolean isAnonymous() {
      return "anon".equals(authentication);
    }

    /** @return whether this is an export-grade suite */
    public boolean isExport() {
      return keyExchange.endsWith("_EXPORT");
    }

    /** @return whether this suite uses a CBC-mode block cipher */
    public boolean isCbc() {
      return "CBC".equals(mode);
    }
  }

  /**
   * The entry of a code.
   *
   * @param code the code
   * @return the entry, or empty for a code IANA has not assigned
   */
  public static Optional<Info> find(int code) {
    return Optional.ofNullable(BY_CODE.get(code));
  }

  /**
   * The entry of a name.
   *
   * @param name the IANA name
   * @return the entry
   */
  public static Optional<Info> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /**
   * Every entry, in registry order.
   *
   * @return the entries
   */
  public static java.util.Collection<Info> all() {
    return BY_CODE.values();
  }

  private static List<Info> load() {
    List<Info> out = new ArrayList<>();
    try (InputStream in = CipherSuites.class.getResourceAsStream("/dev/tlsinspect/cipher-suites.tsv")) {
      if (in == null) {
        throw new IllegalStateException("cipher-suites.tsv is missing from the tls-inspect-core jar");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] c = line.split("\t");
        out.add(new Info(Integer.parseInt(c[0].substring(2), 16), c[1], c[2], c[3], c[4], c[5],
            Integer.parseInt(c[6]), Boolean.parseBoolean(c[7]), c[8]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
