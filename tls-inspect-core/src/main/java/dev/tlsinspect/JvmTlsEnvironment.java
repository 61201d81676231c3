package dev.tlsinspect;

import dev.tlsinspect.internal.registry.JvmSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * This JVM's TLS environment as its TLS clients see it: the Java runtime, the security providers
 * and FIPS mode, the policy and protocol settings, the trust store actually in use (with its
 * number of anchors), the key store, the revocation settings, and the protocols and cipher suites
 * of the default {@code SSLContext}. The answer to "why does my application fail where curl works".
 *
 * <p>{@link #current()} only reads: it never sets a property, installs a provider or replaces the
 * default context (it does read {@code SSLContext.getDefault()}, which the JDK creates once on first
 * use). Passwords are never read into the result: only whether one is set.
 *
 * <p>FIPS mode is a heuristic, as Java has no single switch for it: it is reported when a security
 * provider's name or class name contains {@code FIPS} (Red Hat's {@code SunPKCS11-NSS-FIPS},
 * Bouncy Castle's {@code BCFIPS}, ...), and {@link Fips#expectedFailures()} then says which servers
 * and cipher suites this JVM's TLS clients will fail with (TLS 1.2 without Extended Master Secret,
 * ChaCha20-Poly1305, RSA key exchange, ...). The evidence also names the operating system's FIPS flag
 * ({@code /proc/sys/crypto/fips_enabled}) and Red Hat's {@code security.useSystemPropertiesFile},
 * which on their own do not make the JVM use FIPS providers.
 *
 * @param java the runtime
 * @param providers the installed security providers, in order of preference
 * @param fips whether the JVM looks FIPS-configured, and why
 * @param settings the policy, protocol, revocation and store settings, set or not
 * @param trustStore the trust store the default {@code TrustManagerFactory} uses
 * @param keyStore the key store the default {@code KeyManagerFactory} uses
 * @param defaultContext the default {@code SSLContext}'s protocols and suites
 * @since 0.1.0
 */
public record JvmTlsEnvironment(
    Java java,
    List<SecurityProvider> providers,
    Fips fips,
    List<Setting> settings,
    TrustStore trustStore,
    KeyStoreSettings keyStore,
    DefaultContext defaultContext) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   */
  public JvmTlsEnvironment {
    Objects.requireNonNull(java, "java");
    providers = List.copyOf(providers);
    Objects.requireNonNull(fips, "fips");
    settings = List.copyOf(settings);
    Objects.requireNonNull(trustStore, "trustStore");
    Objects.requireNonNull(keyStore, "keyStore");
    Objects.requireNonNull(defaultContext, "defaultContext");
  }

  /**
   * Reads this JVM's environment now. Loads the default trust store once to count its anchors.
   *
   * @return the environment
   * @since 0.1.0
   */
  public static JvmTlsEnvironment current() {
    List<SecurityProvider> providers = new ArrayList<>();
    for (Provider p : Security.getProviders()) {
      providers.add(new SecurityProvider(p.getName(), p.getVersionStr(), p.getClass().getName()));
    }
    List<Setting> settings = new ArrayList<>();
    for (JvmSettings.Known k : JvmSettings.ALL) {
      settings.add(new Setting(k.name(), k.source() == JvmSettings.Source.SECURITY
          ? "security property" : "system property", k.group(), JvmSettings.read(k.name(), k.source())));
    }
    return new JvmTlsEnvironment(Java.current(), providers, Fips.detect(providers), settings,
        TrustStore.current(), KeyStoreSettings.current(), DefaultContext.current());
  }

  /**
   * The value of a reported setting.
   *
   * @param name the property name, for example {@code jdk.tls.disabledAlgorithms}
   * @return the value; empty when unset or not among {@link #settings()}
   * @since 0.1.0
   */
  public Optional<String> setting(String name) {
    return settings.stream().filter(s -> s.name().equals(name)).findFirst().flatMap(Setting::value);
  }

  /**
   * The Java runtime.
   *
   * @param version {@code java.version}
   * @param vendor {@code java.vendor}
   * @param runtimeName {@code java.runtime.name}
   * @param runtimeVersion {@code java.runtime.version}
   * @param home {@code java.home}
   * @since 0.1.0
   */
  public record Java(String version, String vendor, String runtimeName, String runtimeVersion,
      String home) {
    /**
     * Validates.
     *
     * @throws NullPointerException when a component is null
     */
    public Java {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(vendor, "vendor");
      Objects.requireNonNull(runtimeName, "runtimeName");
      Objects.requireNonNull(runtimeVersion, "runtimeVersion");
      Objects.requireNonNull(home, "home");
    }

    static Java current() {
      return new Java(prop("java.version"), prop("java.vendor"), prop("java.runtime.name"),
          prop("java.runtime.version"), prop("java.home"));
    }

    private static String prop(String name) {
      return JvmSettings.read(name, JvmSettings.Source.SYSTEM).orElse("");
    }
  }

  /**
   * An installed security provider.
   *
   * @param name for example {@code SunJSSE}
   * @param version its version string
   * @param className its implementation class
   * @since 0.1.0
   */
  public record SecurityProvider(String name, String version, String className) {
    /**
     * Validates.
     *
     * @throws NullPointerException when a component is null
     */
    public SecurityProvider {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(className, "className");
    }
  }

  /**
   * Whether the JVM looks FIPS-configured (see the class description for the heuristic).
   *
   * @param enabled whether a FIPS provider is installed
   * @param evidence what was seen, one fact a line
   * @param expectedFailures when enabled, the servers and cipher suites this JVM's TLS clients
   *     will fail with, one a line; empty otherwise
   * @since 0.1.0
   */
  public record Fips(boolean enabled, List<String> evidence, List<String> expectedFailures) {
    /**
     * What FIPS-approved TLS refuses, whichever module enforces it (SunPKCS11-NSS-FIPS, BCFIPS
     * with BCJSSE in approved mode, ...): each line names what fails and the rule behind it.
     */
    static final List<String> FIPS_FAILURES = List.of(
        "TLS 1.2 servers that do not negotiate Extended Master Secret (RFC 7627) fail: FIPS 140-3 "
            + "modules derive TLS 1.2 keys only with the EMS key derivation (NIST SP 800-135r1, "
            + "CMVP IG D.Q); TLS 1.3 is unaffected",
        "ChaCha20-Poly1305 suites are not FIPS-approved: TLS_CHACHA20_POLY1305_SHA256 and "
            + "TLS_ECDHE_*_WITH_CHACHA20_POLY1305_SHA256 are not offered, so a server that accepts "
            + "only them fails",
        "RSA key exchange suites (TLS_RSA_WITH_*: PKCS#1 v1.5 key transport) are disallowed "
            + "(NIST SP 800-131A r2), so a server that accepts only them fails",
        "3DES (TLS_*_WITH_3DES_EDE_CBC_*), RC4, DES, NULL, anonymous and export suites are not "
            + "approved",
        "X25519 and X448 key exchange are not approved by most FIPS modules (NIST SP 800-56A r3 "
            + "lists the NIST curves and the FFDHE groups): a server that offers only them fails");

    /**
     * Validates and copies.
     *
     * @throws NullPointerException when a component is null
     */
    public Fips {
      evidence = List.copyOf(evidence);
      expectedFailures = List.copyOf(expectedFailures);
    }

    /**
     * Without expected failures listed.
     *
     * @param enabled whether a FIPS provider is installed
     * @param evidence what was seen, one fact a line
     * @since 0.1.0
     */
    public Fips(boolean enabled, List<String> evidence) {
      this(enabled, evidence, enabled ? FIPS_FAILURES : List.of());
    }

    /**
     * The FIPS view of a provider list, such as {@link JvmTlsEnvironment#providers()} or another
     * JVM's: enabled when a provider's name or description names FIPS ({@code BCFIPS},
     * {@code SunPKCS11-NSS-FIPS}, ...), with what will then fail. Also reads the operating
     * system's FIPS flag and {@code security.useSystemPropertiesFile} for the evidence. Installs
     * nothing.
     *
     * @param providers the security providers, in order of preference
     * @return the view
     * @since 0.1.0
     */
    public static Fips of(List<SecurityProvider> providers) {
      return detect(providers);
    }

    static Fips detect(List<SecurityProvider> providers) {
      List<String> evidence = new ArrayList<>();
      boolean enabled = false;
      for (SecurityProvider p : providers) {
        if (p.name().toUpperCase(Locale.ROOT).contains("FIPS")) {
          enabled = true;
          evidence.add("security provider " + p.name() + " is installed");
        } else if (p.className().toUpperCase(Locale.ROOT).contains("FIPS")) {
          enabled = true;
          evidence.add("security provider " + p.name() + " (" + p.className() + ") is a FIPS provider");
        }
      }
      JvmSettings.read("security.useSystemPropertiesFile", JvmSettings.Source.SECURITY)
          .ifPresent(v -> evidence.add("security.useSystemPropertiesFile = " + v));
      try {
        Path flag = Path.of("/proc/sys/crypto/fips_enabled");
        if (Files.isReadable(flag) && Files.size(flag) < 16) {
          evidence.add("the operating system's FIPS flag (" + flag + ") is "
              + Files.readString(flag).trim());
        }
      } catch (java.io.IOException | RuntimeException unreadable) {
        // not Linux, or not readable: nothing to say
      }
      if (!enabled) {
        evidence.add(0, "no security provider with FIPS in its name");
      }
      return new Fips(enabled, evidence, enabled ? FIPS_FAILURES : List.of());
    }
  }

  /**
   * A setting that changes how this JVM's TLS clients behave.
   *
   * @param name the property name
   * @param source {@code security property} (java.security) or {@code system property} (-D)
   * @param group policy, protocols, revocation or stores
   * @param value the value, empty when unset (the JDK's default applies)
   * @since 0.1.0
   */
  public record Setting(String name, String source, String group, Optional<String> value) {
    /**
     * Validates.
     *
     * @throws NullPointerException when a component is null
     */
    public Setting {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * The trust store the default {@code TrustManagerFactory} loads, found as the JDK does:
   * {@code javax.net.ssl.trustStore}, else {@code $JAVA_HOME/lib/security/jssecacerts} when it
   * exists, else {@code $JAVA_HOME/lib/security/cacerts}.
   *
   * @param path the file ({@code NONE} when the property says so)
   * @param source where the path came from: {@code javax.net.ssl.trustStore}, {@code jssecacerts}
   *     or {@code cacerts}
   * @param exists whether the file exists
   * @param type {@code javax.net.ssl.trustStoreType}, else the JVM's default key store type
   * @param provider {@code javax.net.ssl.trustStoreProvider}, when set
   * @param passwordSet whether {@code javax.net.ssl.trustStorePassword} is set (never its value)
   * @param anchors how many trust anchors the default {@code TrustManagerFactory} accepts; empty
   *     when it cannot be initialized
   * @param error why the default trust manager could not be built, when it could not
   * @since 0.1.0
   */
  public record TrustStore(String path, String source, boolean exists, String type,
      Optional<String> provider, boolean passwordSet, OptionalInt anchors, Optional<String> error) {
    /**
     * Validates.
     *
     * @throws NullPointerException when a component is null
     */
    public TrustStore {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(anchors, "anchors");
      Objects.requireNonNull(error, "error");
    }

    static TrustStore current() {
      Path security = Path.of(JvmSettings.read("java.home", JvmSettings.Source.SYSTEM).orElse(""),
          "lib", "security");
      Optional<String> configured = JvmSettings.read("javax.net.ssl.trustStore", JvmSettings.Source.SYSTEM)
          .filter(s -> !s.isEmpty());
      String path;
      String source;
      if (configured.isPresent()) {
        path = configured.get();
        source = "javax.net.ssl.trustStore";
      } else if (Files.isRegularFile(security.resolve("jssecacerts"))) {
        path = security.resolve("jssecacerts").toString();
        source = "jssecacerts";
      } else {
        path = security.resolve("cacerts").toString();
        source = "cacerts";
      }
      boolean exists = !path.equals("NONE") && Files.isRegularFile(Path.of(path));
      String type = JvmSettings.read("javax.net.ssl.trustStoreType", JvmSettings.Source.SYSTEM)
          .filter(s -> !s.isEmpty()).orElse(KeyStore.getDefaultType());
      OptionalInt anchors = OptionalInt.empty();
      Optional<String> error = Optional.empty();
      try {
        // A fresh factory reads the same properties and file as the default SSLContext does.
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager tm : tmf.getTrustManagers()) {
          if (tm instanceof X509TrustManager x) {
            anchors = OptionalInt.of(x.getAcceptedIssuers().length);
            break;
          }
        }
      } catch (java.security.GeneralSecurityException | RuntimeException e) {
        error = Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      return new TrustStore(path, source, exists, type,
          JvmSettings.read("javax.net.ssl.trustStoreProvider", JvmSettings.Source.SYSTEM),
          JvmSettings.isSet("javax.net.ssl.trustStorePassword"), anchors, error);
    }
  }

  /**
   * The key store of the default {@code KeyManagerFactory}: the client certificate this JVM
   * presents by default.
   *
   * @param path {@code javax.net.ssl.keyStore}, when set (no key store otherwise)
   * @param type {@code javax.net.ssl.keyStoreType}, else the JVM's default key store type
   * @param provider {@code javax.net.ssl.keyStoreProvider}, when set
   * @param passwordSet whether {@code javax.net.ssl.keyStorePassword} is set (never its value)
   * @since 0.1.0
   */
  public record KeyStoreSettings(Optional<String> path, String type, Optional<String> provider,
      boolean passwordSet) {
    /**
     * Validates.
     *
     * @throws NullPointerException when a component is null
     */
    public KeyStoreSettings {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(provider, "provider");
    }

    static KeyStoreSettings current() {
      return new KeyStoreSettings(
          JvmSettings.read("javax.net.ssl.keyStore", JvmSettings.Source.SYSTEM).filter(s -> !s.isEmpty()),
          JvmSettings.read("javax.net.ssl.keyStoreType", JvmSettings.Source.SYSTEM)
              .filter(s -> !s.isEmpty()).orElse(KeyStore.getDefaultType()),
          JvmSettings.read("javax.net.ssl.keyStoreProvider", JvmSettings.Source.SYSTEM),
          JvmSettings.isSet("javax.net.ssl.keyStorePassword"));
    }
  }

  /**
   * The default {@code SSLContext}: what an application that configures nothing offers.
   *
   * @param protocol its protocol name, for example {@code Default}
   * @param provider its provider, for example {@code SunJSSE}
   * @param enabledProtocols the protocols a client enables by default
   * @param enabledCipherSuites the suites a client enables by default, in order
   * @param supportedProtocols every protocol it implements
   * @param supportedCipherSuites every suite it implements
   * @param error why there is no default context (a bad trust or key store), when there is none
   * @since 0.1.0
   */
  public record DefaultContext(String protocol, String provider, List<String> enabledProtocols,
      List<String> enabledCipherSuites, List<String> supportedProtocols,
      List<String> supportedCipherSuites, Optional<String> error) {
    /**
     * Validates and copies.
     *
     * @throws NullPointerException when a component is null
     */
    public DefaultContext {
      Objects.requireNonNull(protocol, "protocol");
      Objects.requireNonNull(provider, "provider");
      enabledProtocols = List.copyOf(enabledProtocols);
      enabledCipherSuites = List.copyOf(enabledCipherSuites);
      supportedProtocols = List.copyOf(supportedProtocols);
      supportedCipherSuites = List.copyOf(supportedCipherSuites);
      Objects.requireNonNull(error, "error");
    }

    static DefaultContext current() {
      try {
        SSLContext c = SSLContext.getDefault();
        SSLParameters enabled = c.getDefaultSSLParameters();
        SSLParameters supported = c.getSupportedSSLParameters();
        return new DefaultContext(c.getProtocol(), c.getProvider().getName(),
            List.of(enabled.getProtocols()), List.of(enabled.getCipherSuites()),
            List.of(supported.getProtocols()), List.of(supported.getCipherSuites()), Optional.empty());
      } catch (java.security.NoSuchAlgorithmException | RuntimeException e) {
        return new DefaultContext("", "", List.of(), List.of(), List.of(), List.of(),
            Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage()));
      }
    }
  }
}
