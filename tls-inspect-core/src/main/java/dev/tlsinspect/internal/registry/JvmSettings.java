package dev.tlsinspect.internal.registry;

import java.security.Security;
import java.util.List;
import java.util.Optional;

/**
 * The JVM settings that change how its TLS clients behave, where each one lives (a security
 * property of {@code java.security}, or a system property), and how to read one. Only reads: never
 * sets a property. Shared by {@code JvmTlsEnvironment} and the checks that name a local setting in
 * their evidence. Passwords are deliberately not in this list. Not API.
 */
public final class JvmSettings {
  /** Where a setting is read from. */
  public enum Source {
    /** {@link Security#getProperty(String)}: {@code java.security} and its overrides. */
    SECURITY,
    /** {@link System#getProperty(String)}: {@code -D} on the command line. */
    SYSTEM
  }

  /**
   * One known setting.
   *
   * @param name the property name
   * @param source where it is read from
   * @param group what it is about: policy, protocols, revocation, stores
   */
  public record Known(String name, Source source, String group) {}

  /** Every setting reported, grouped. */
  public static final List<Known> ALL = List.of(
      new Known("jdk.tls.disabledAlgorithms", Source.SECURITY, "policy"),
      new Known("jdk.certpath.disabledAlgorithms", Source.SECURITY, "policy"),
      new Known("jdk.tls.legacyAlgorithms", Source.SECURITY, "policy"),
      new Known("jdk.tls.keyLimits", Source.SECURITY, "policy"),
      new Known("jdk.security.caDistrustPolicies", Source.SECURITY, "policy"),
      new Known("jdk.tls.client.protocols", Source.SYSTEM, "protocols"),
      new Known("https.protocols", Source.SYSTEM, "protocols"),
      new Known("jdk.tls.client.cipherSuites", Source.SYSTEM, "protocols"),
      new Known("https.cipherSuites", Source.SYSTEM, "protocols"),
      new Known("jdk.tls.namedGroups", Source.SYSTEM, "protocols"),
      new Known("jdk.tls.client.SignatureSchemes", Source.SYSTEM, "protocols"),
      new Known("jdk.tls.maxHandshakeMessageSize", Source.SYSTEM, "protocols"),
      new Known("jdk.tls.client.enableStatusRequestExtension", Source.SYSTEM, "revocation"),
      new Known("com.sun.net.ssl.checkRevocation", Source.SYSTEM, "revocation"),
      new Known("ocsp.enable", Source.SECURITY, "revocation"),
      new Known("com.sun.security.enableCRLDP", Source.SYSTEM, "revocation"),
      new Known("com.sun.security.enableAIAcaIssuers", Source.SYSTEM, "revocation"),
      new Known("keystore.type", Source.SECURITY, "stores"),
      new Known("ssl.TrustManagerFactory.algorithm", Source.SECURITY, "stores"),
      new Known("ssl.KeyManagerFactory.algorithm", Source.SECURITY, "stores"));

  private JvmSettings() {}

  /**
   * Reads a setting of {@link #ALL}, or a system property when the name is not listed.
   *
   * @param name the property name
   * @return its value, trimmed and with runs of white space as one space; empty when unset or
   *     unreadable (a security manager may forbid it)
   */
  public static Optional<String> read(String name) {
    Source source = ALL.stream().filter(k -> k.name().equals(name)).map(Known::source)
        .findFirst().orElse(Source.SYSTEM);
    return read(name, source);
  }

  /**
   * Reads a property from a source.
   *
   * @param name the property name
   * @param source where
   * @return the normalized value, empty when unset or unreadable
   */
  public static Optional<String> read(String name, Source source) {
    try {
      String v = source == Source.SECURITY ? Security.getProperty(name) : System.getProperty(name);
      return v == null ? Optional.empty() : Optional.of(v.replaceAll("\\s+", " ").trim());
    } catch (SecurityException forbidden) {
      return Optional.empty();
    }
  }

  /**
   * Whether a system property is set, without reading its value into anything that outlives the
   * call: for passwords.
   *
   * @param name the property name
   * @return {@code true} when set (even to the empty string)
   */
  public static boolean isSet(String name) {
    try {
      return System.getProperty(name) != null;
    } catch (SecurityException forbidden) {
      return false;
    }
  }
}
