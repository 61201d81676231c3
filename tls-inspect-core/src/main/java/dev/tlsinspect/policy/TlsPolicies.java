package dev.tlsinspect.policy;

import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.TlsVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The built-in policies, read once from {@code dev/tlsinspect/policies.txt} in the core jar (a copy
 * of the source documents' facts, each section naming its source).
 *
 * <ul>
 *   <li>{@code mozilla-modern}: Mozilla Server Side TLS guidelines 6.0, modern;
 *   <li>{@code mozilla-intermediate}: guidelines 6.0, intermediate;
 *   <li>{@code mozilla-old}: guidelines 5.8, old (6.0 has no old profile);
 *   <li>{@code nist-sp800-52r2}: NIST SP 800-52 Rev. 2, server requirements.
 * </ul>
 *
 * <p>The unversioned Mozilla names follow Mozilla: when Mozilla publishes new guidelines, a minor
 * release of tls-inspect moves them to it (and says so in its changelog). A build that must not
 * move pins the version, as Tink freezes its dated presets: {@code mozilla-modern-6.0},
 * {@code mozilla-intermediate-6.0} and {@code mozilla-old-5.8} (or {@link #MOZILLA_MODERN_6_0}
 * and its siblings) always mean those guidelines. {@link #named(String)} accepts both forms;
 * {@link #names()} lists the unversioned ones.
 *
 * @since 0.1.0
 */
public final class TlsPolicies {
  /* Mozilla's JSON names certificate types, curves and signatures the OpenSSL way; checks compare
   * them with what the JDK says about a certificate, so they are translated once here. */
  private static final Map<String, String> KEY_TYPES = Map.of("rsa", "RSA", "ecdsa", "EC");
  private static final Map<String, String> CURVES = Map.of(
      "prime256v1", "secp256r1", "secp384r1", "secp384r1", "secp521r1", "secp521r1");
  private static final Map<String, String> SIGNATURES = Map.of(
      "sha256WithRSAEncryption", "SHA256withRSA",
      "sha384WithRSAEncryption", "SHA384withRSA",
      "sha512WithRSAEncryption", "SHA512withRSA",
      "rsassaPss", "RSASSA-PSS",
      "ecdsa-with-SHA256", "SHA256withECDSA",
      "ecdsa-with-SHA384", "SHA384withECDSA",
      "ecdsa-with-SHA512", "SHA512withECDSA");

  private static final Map<String, TlsPolicy> ALL = load();

  /* Versioned names of the Mozilla presets ("mozilla-modern-6.0"): pinned aliases of the data. */
  private static final Map<String, TlsPolicy> VERSIONED = versioned();

  /**
   * Mozilla modern, currently guidelines 6.0: TLS 1.3 only, ECDSA certificates. Moves with
   * Mozilla's guidelines; pin {@link #MOZILLA_MODERN_6_0} to stay on 6.0.
   */
  public static final TlsPolicy MOZILLA_MODERN = ALL.get("mozilla-modern");
  /**
   * Mozilla intermediate, currently guidelines 6.0: TLS 1.2 and 1.3, forward-secret AEAD suites
   * only. Moves with Mozilla's guidelines; pin {@link #MOZILLA_INTERMEDIATE_6_0} to stay on 6.0.
   */
  public static final TlsPolicy MOZILLA_INTERMEDIATE = ALL.get("mozilla-intermediate");
  /**
   * Mozilla old, guidelines 5.8 (the last with an old profile): TLS 1.0 to 1.3, CBC and static
   * RSA allowed. The same as {@link #MOZILLA_OLD_5_8}.
   */
  public static final TlsPolicy MOZILLA_OLD = ALL.get("mozilla-old");
  /**
   * Mozilla modern of guidelines 6.0 ({@code mozilla-modern-6.0}); never moves.
   *
   * @since 0.1.0
   */
  public static final TlsPolicy MOZILLA_MODERN_6_0 = VERSIONED.get("mozilla-modern-6.0");
  /**
   * Mozilla intermediate of guidelines 6.0 ({@code mozilla-intermediate-6.0}); never moves.
   *
   * @since 0.1.0
   */
  public static final TlsPolicy MOZILLA_INTERMEDIATE_6_0 = VERSIONED.get("mozilla-intermediate-6.0");
  /**
   * Mozilla old of guidelines 5.8 ({@code mozilla-old-5.8}); never moves.
   *
   * @since 0.1.0
   */
  public static final TlsPolicy MOZILLA_OLD_5_8 = VERSIONED.get("mozilla-old-5.8");
  /** NIST SP 800-52 Rev. 2, server requirements: TLS 1.2 and 1.3, the suites of its section 3.3.1. */
  public static final TlsPolicy NIST_SP800_52R2 = ALL.get("nist-sp800-52r2");

  private TlsPolicies() {}

  /**
   * The names of the built-in policies.
   *
   * @return the names, in a stable order
   * @since 0.1.0
   */
  public static Set<String> names() {
    return ALL.keySet();
  }

  /**
   * Every built-in policy.
   *
   * @return the policies, in the order of {@link #names()}
   * @since 0.1.0
   */
  public static List<TlsPolicy> all() {
    return List.copyOf(ALL.values());
  }

  /**
   * The built-in policy with this name.
   *
   * @param name for example {@code mozilla-intermediate}, or {@code mozilla-intermediate-6.0} to
   *     pin the guidelines' version
   * @return the policy
   * @throws IllegalArgumentException for an unknown name; the message lists the known names
   * @since 0.1.0
   */
  public static TlsPolicy named(String name) {
    Objects.requireNonNull(name, "name");
    TlsPolicy p = ALL.get(name);
    if (p == null) {
      p = VERSIONED.get(name);
    }
    if (p == null) {
      throw new IllegalArgumentException("unknown policy '" + name + "': use one of "
          + String.join(", ", ALL.keySet()) + " (or a pinned version: "
          + String.join(", ", VERSIONED.keySet()) + ")");
    }
    return p;
  }

  private static Map<String, TlsPolicy> versioned() {
    Map<String, TlsPolicy> out = new LinkedHashMap<>();
    ALL.forEach((name, p) -> {
      if (name.startsWith("mozilla-")) {
        out.put(name + "-" + p.version(), p);
      }
    });
    return Collections.unmodifiableMap(out);
  }

  private static Map<String, TlsPolicy> load() {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    try (InputStream in = TlsPolicies.class.getResourceAsStream("/dev/tlsinspect/policies.txt")) {
      if (in == null) {
        throw new IllegalStateException("policies.txt is missing from the tls-inspect-core jar");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      Map<String, String> current = null;
      String line;
      while ((line = reader.readLine()) != null) {
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#")) {
          continue;
        }
        if (s.startsWith("[") && s.endsWith("]")) {
          current = new LinkedHashMap<>();
          sections.put(s.substring(1, s.length() - 1), current);
        } else {
          int eq = s.indexOf('=');
          if (current == null || eq < 0) {
            throw new IllegalStateException("policies.txt: bad line: " + line);
          }
          current.put(s.substring(0, eq).strip(), s.substring(eq + 1).strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, TlsPolicy> out = new LinkedHashMap<>();
    sections.forEach((name, s) -> out.put(name, policy(name, s)));
    return Collections.unmodifiableMap(out);
  }

  private static TlsPolicy policy(String name, Map<String, String> s) {
    return new TlsPolicy(name, get(s, "title"), get(s, "version"), get(s, "source"),
        list(s, "tls_versions", TlsVersion::fromJavaName),
        list(s, "required_versions", TlsVersion::fromJavaName),
        list(s, "ciphers", TlsPolicies::suite),
        list(s, "ciphersuites", TlsPolicies::suite),
        list(s, "required_suites", TlsPolicies::suite),
        list(s, "certificate_types", v -> translate(KEY_TYPES, v)),
        get(s, "rsa_key_size").isEmpty() ? 0 : Integer.parseInt(get(s, "rsa_key_size")),
        list(s, "certificate_curves", v -> translate(CURVES, v)),
        list(s, "certificate_signatures", v -> translate(SIGNATURES, v)),
        Boolean.parseBoolean(get(s, "server_preferred_order")),
        get(s, "maximum_certificate_lifespan").isEmpty() ? Optional.empty()
            : Optional.of(Duration.ofDays(Integer.parseInt(get(s, "maximum_certificate_lifespan")))));
  }

  private static CipherSuite suite(String name) {
    CipherSuite s = CipherSuite.named(name);
    if (s.code() == CipherSuite.UNKNOWN_CODE) {
      throw new IllegalStateException("policies.txt names a suite the IANA registry lacks: " + name);
    }
    return s;
  }

  private static String translate(Map<String, String> names, String value) {
    String v = names.get(value);
    if (v == null) {
      throw new IllegalStateException("policies.txt: unknown value " + value);
    }
    return v;
  }

  private static String get(Map<String, String> s, String key) {
    String v = s.get(key);
    if (v == null) {
      throw new IllegalStateException("policies.txt: missing " + key);
    }
    return v;
  }

  private static <T> List<T> list(Map<String, String> s, String key, Function<String, T> parse) {
    String v = get(s, key);
    if (v.isEmpty()) {
      return List.of();
    }
    List<T> out = new ArrayList<>();
    Arrays.stream(v.split("\\s+")).map(parse).forEach(out::add);
    return out;
  }
}
