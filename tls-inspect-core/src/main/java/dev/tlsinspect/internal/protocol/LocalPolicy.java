package dev.tlsinspect.internal.protocol;

import dev.tlsinspect.ClientProfile;
import dev.tlsinspect.ClientProfiles;
import dev.tlsinspect.internal.registry.JvmSettings;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.TlsVersion;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code jdk.tls.disabledAlgorithms} (never changes it) and tells which versions and suites
 * it disables, the way SunJSSE decomposes a suite name into key exchange and cipher. Entries with a
 * constraint ({@code keySize}, {@code usage}, {@code denyAfter}, {@code include}) restrict keys and
 * signatures, not whole suites, and are ignored here. Not API.
 */
public final class LocalPolicy {
  /** Versions SunJSSE implements on the client. */
  static final List<TlsVersion> JSSE_VERSIONS = List.of(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2,
      TlsVersion.TLS_1_1, TlsVersion.TLS_1_0, TlsVersion.SSL_3_0);

  /** Suites SunJSSE implements that the default policy disables (JDK 17 CipherSuite.java). */
  private static final List<String> JSSE_LEGACY = List.of(
      "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_RSA_WITH_AES_256_CBC_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256",
      "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA",
      "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384",
      "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256",
      "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA",
      "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA",
      "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
      "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA",
      "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA",
      "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
      "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
      "TLS_RSA_WITH_RC4_128_SHA", "TLS_RSA_WITH_RC4_128_MD5",
      "TLS_RSA_WITH_DES_CBC_SHA", "TLS_DHE_RSA_WITH_DES_CBC_SHA", "TLS_DHE_DSS_WITH_DES_CBC_SHA",
      "TLS_DH_anon_WITH_AES_256_GCM_SHA384", "TLS_DH_anon_WITH_AES_128_GCM_SHA256",
      "TLS_DH_anon_WITH_AES_256_CBC_SHA256", "TLS_DH_anon_WITH_AES_128_CBC_SHA256",
      "TLS_ECDH_anon_WITH_AES_256_CBC_SHA", "TLS_ECDH_anon_WITH_AES_128_CBC_SHA",
      "TLS_DH_anon_WITH_AES_256_CBC_SHA", "TLS_DH_anon_WITH_AES_128_CBC_SHA",
      "TLS_RSA_WITH_NULL_SHA256", "TLS_ECDHE_ECDSA_WITH_NULL_SHA", "TLS_ECDHE_RSA_WITH_NULL_SHA",
      "TLS_RSA_WITH_NULL_SHA");

  private static final Set<String> CONSTRAINTS = Set.of("keysize", "usage", "denyafter", "jdkca",
      "include");

  private LocalPolicy() {}

  /**
   * The JVM's {@code jdk.tls.disabledAlgorithms}.
   *
   * @return the value, empty when unset
   */
  public static String disabledAlgorithms() {
    return JvmSettings.read("jdk.tls.disabledAlgorithms").orElse("");
  }

  /**
   * The plain entries of a disabledAlgorithms value: those without a constraint.
   *
   * @param property the value
   * @return the entries, as written
   */
  static List<String> entries(String property) {
    List<String> out = new ArrayList<>();
    for (String raw : property.split(",")) {
      String e = raw.trim();
      if (e.isEmpty()) {
        continue;
      }
      String[] words = e.split("\\s+");
      boolean constrained = false;
      for (String w : words) {
        if (CONSTRAINTS.contains(w.toLowerCase(Locale.ROOT))) {
          constrained = true;
        }
      }
      if (!constrained && words.length == 1) {
        out.add(words[0]);
      }
    }
    return out;
  }

  /**
   * The entry of the policy that disables a version.
   *
   * @param property the disabledAlgorithms value
   * @param v the version
   * @return the entry, or null when the version is not disabled
   */
  public static String disabling(String property, TlsVersion v) {
    for (String e : entries(property)) {
      if (e.equalsIgnoreCase(v.name()) || ("TLSv1.0".equalsIgnoreCase(e) && v.equals(TlsVersion.TLS_1_0))) {
        return e;
      }
    }
    return null;
  }

  /**
   * The entry of the policy that disables a suite: its name, a {@code *} pattern matching its
   * name, or one of its components (key exchange such as {@code ECDH}, {@code anon}, cipher such
   * as {@code 3DES_EDE_CBC}, {@code RC4}, {@code DES}, {@code NULL}).
   *
   * @param property the disabledAlgorithms value
   * @param suite the suite
   * @return the entry, or null when the suite is not disabled
   */
  public static String disabling(String property, CipherSuite suite) {
    Set<String> parts = components(suite.name());
    for (String e : entries(property)) {
      if (e.contains("*")) {
        Pattern p = Pattern.compile(Pattern.quote(e).replace("*", "\\E.*\\Q"), Pattern.CASE_INSENSITIVE);
        if (p.matcher(suite.name()).matches()) {
          return e;
        }
      } else if (parts.contains(e.toUpperCase(Locale.ROOT))) {
        return e;
      }
    }
    return null;
  }

  /** The suite name and the components SunJSSE checks, upper case. */
  static Set<String> components(String name) {
    Set<String> out = new LinkedHashSet<>();
    String n = name.toUpperCase(Locale.ROOT);
    out.add(n);
    if (n.startsWith("SSL_")) {
      n = "TLS_" + n.substring(4);
      out.add(n);
    }
    int with = n.indexOf("_WITH_");
    String kx = with < 0 ? "" : n.substring(4, with);
    String rest = with < 0 ? n.substring(4) : n.substring(with + 6);
    if (!kx.isEmpty()) {
      String base = kx.contains("_") ? kx.substring(0, kx.indexOf('_')) : kx;
      out.add(base);
      out.add(kx);
      if (kx.endsWith("_ANON")) {
        out.add("ANON");
      }
    }
    // The cipher is the name without its MAC: drop the last part (SHA, SHA256, MD5, ...).
    int lastUnderscore = rest.lastIndexOf('_');
    String cipher = lastUnderscore < 0 ? rest : rest.substring(0, lastUnderscore);
    if (rest.equals("NULL_NULL") || cipher.equals("NULL") || rest.startsWith("NULL_")) {
      out.add("NULL");
    }
    out.add(cipher);
    if (cipher.startsWith("3DES_EDE")) {
      out.add("3DES_EDE_CBC");
      out.add("DESEDE");
    } else if (cipher.startsWith("DES")) {
      out.add("DES");
      out.add("DES_CBC");
    } else if (cipher.startsWith("RC4")) {
      out.add("RC4");
    }
    if (rest.endsWith("_MD5")) {
      out.add("MD5");
    }
    return out;
  }

  /**
   * What this JVM would offer if its {@code jdk.tls.disabledAlgorithms} disabled nothing: its
   * profile plus the versions and suites SunJSSE implements that the policy removes.
   *
   * @param jvm the JVM's profile
   * @param property the disabledAlgorithms value
   * @return the unrestricted profile
   */
  public static ClientProfile withoutPolicy(ClientProfile jvm, String property) {
    Set<TlsVersion> versions = new LinkedHashSet<>(jvm.versions());
    for (TlsVersion v : JSSE_VERSIONS) {
      if (disabling(property, v) != null) {
        versions.add(v);
      }
    }
    List<TlsVersion> sorted = new ArrayList<>(versions);
    sorted.sort(java.util.Comparator.reverseOrder());
    List<CipherSuite> suites = new ArrayList<>(jvm.cipherSuites());
    List<CipherSuite> known = new ArrayList<>(
        ClientProfiles.named("jdk-17").map(ClientProfile::cipherSuites).orElse(List.of()));
    JSSE_LEGACY.forEach(n -> known.add(CipherSuite.named(n)));
    for (CipherSuite s : known) {
      if (disabling(property, s) != null && suites.stream().noneMatch(x -> x.name().equals(s.name()))) {
        suites.add(s);
      }
    }
    return new ClientProfile(jvm.name(), jvm.description() + ", without jdk.tls.disabledAlgorithms",
        sorted, suites, jvm.namedGroups(), jvm.signatureSchemes(), jvm.sni(),
        jvm.maxHandshakeMessageSize(), jvm.source());
  }
}
