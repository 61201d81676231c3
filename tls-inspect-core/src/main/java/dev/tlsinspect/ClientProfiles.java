package dev.tlsinspect;

import dev.tlsinspect.internal.registry.JvmSettings;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.NamedGroup;
import dev.tlsinspect.probe.TlsVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The built-in client profiles, shipped as {@code dev/tlsinspect/client-profiles.tsv} with the
 * source of each, and the profile of the running JVM.
 *
 * <p>Built in: {@code java-7}, {@code jdk-8}, {@code jdk-11}, {@code jdk-17}, {@code jdk-21},
 * {@code jdk-25}, {@code android-7}, {@code android-14}, {@code openssl-1.0.2},
 * {@code openssl-1.1.1}, {@code openssl-3}, {@code curl}, {@code chrome}, {@code firefox},
 * {@code safari}, {@code ie11-win7}, {@code ie11-win81}; plus {@link #THIS_JVM}.
 *
 * @since 0.1.0
 */
public final class ClientProfiles {
  /** The name of the profile computed from the running JVM. */
  public static final String THIS_JVM = "this-jvm";

  /**
   * The name that selects every profile in {@link InspectOptions.Builder#clientProfiles}: each
   * gets a prediction, but only the profiles named besides it and those still in support
   * ({@link ClientProfile#obsolete()} empty) can make the verdict WARN or FAIL.
   *
   * @since 0.1.0
   */
  public static final String ALL = "all";

  // GROUPS first: the loader needs it.
  private static final Map<String, NamedGroup> GROUPS = groupsByName();
  private static final Map<String, ClientProfile> BUILT_IN = load();

  private ClientProfiles() {}

  /**
   * The built-in profiles from public sources, in file order (oldest clients first), followed by
   * the profile of this JVM.
   *
   * @return the profiles
   * @since 0.1.0
   */
  public static List<ClientProfile> all() {
    List<ClientProfile> out = new ArrayList<>(BUILT_IN.values());
    out.add(thisJvm());
    return List.copyOf(out);
  }

  /**
   * The names of all profiles, {@link #THIS_JVM} last.
   *
   * @return the names
   * @since 0.1.0
   */
  public static List<String> names() {
    List<String> out = new ArrayList<>(BUILT_IN.keySet());
    out.add(THIS_JVM);
    return List.copyOf(out);
  }

  /**
   * The profile with this name (case-insensitive).
   *
   * @param name a profile name, for example {@code jdk-17} or {@code this-jvm}
   * @return the profile, empty when no profile has that name
   * @since 0.1.0
   */
  public static Optional<ClientProfile> named(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT);
    if (THIS_JVM.equals(key)) {
      return Optional.of(thisJvm());
    }
    return Optional.ofNullable(BUILT_IN.get(key));
  }

  /**
   * The profile of the running JVM: the protocols and cipher suites of
   * {@code SSLContext.getDefault().getDefaultSSLParameters()} (which already leave out what
   * {@code jdk.tls.disabledAlgorithms} disables), the groups of {@code jdk.tls.namedGroups} or the
   * JDK's defaults, and {@code jdk.tls.maxHandshakeMessageSize}. Only reads; changes nothing.
   *
   * @return the profile; with no versions when the JVM has no usable default context (the
   *     description then says why)
   * @since 0.1.0
   */
  public static ClientProfile thisJvm() {
    String description = "this JVM (Java " + System.getProperty("java.version") + ", "
        + System.getProperty("java.vendor") + "), default SSLContext";
    List<TlsVersion> versions = new ArrayList<>();
    List<CipherSuite> suites = new ArrayList<>();
    try {
      SSLParameters p = SSLContext.getDefault().getDefaultSSLParameters();
      for (String v : p.getProtocols()) {
        if (!v.equals("SSLv2Hello")) {
          try {
            versions.add(TlsVersion.fromJavaName(v));
          } catch (IllegalArgumentException unknown) {
            // a protocol this library cannot name (DTLS, a provider's own): not offered on TLS
          }
        }
      }
      versions.sort(java.util.Comparator.reverseOrder());
      for (String s : p.getCipherSuites()) {
        CipherSuite suite = CipherSuite.named(CipherSuite.fromJavaName(s).name());
        if (!suite.name().endsWith("_SCSV")) {
          suites.add(suite);
        }
      }
    } catch (NoSuchAlgorithmException | RuntimeException e) {
      description += "; no default SSLContext: " + e;
    }
    return new ClientProfile(THIS_JVM, description, versions, suites, jvmGroups(), List.of(), true,
        Integer.getInteger("jdk.tls.maxHandshakeMessageSize", 32768),
        "computed at run time from SSLContext.getDefault().getDefaultSSLParameters(); "
            + "jdk.tls.disabledAlgorithms = " + JvmSettings.read("jdk.tls.disabledAlgorithms").orElse(""));
  }

  private static List<NamedGroup> jvmGroups() {
    String configured = JvmSettings.read("jdk.tls.namedGroups").orElse(null);
    String list = configured == null || configured.isBlank()
        ? "x25519,secp256r1,secp384r1,secp521r1,x448,ffdhe2048,ffdhe3072,ffdhe4096,ffdhe6144,ffdhe8192"
        : configured.replace("\"", "");
    return groups(list);
  }

  private static List<NamedGroup> groups(String list) {
    List<NamedGroup> out = new ArrayList<>();
    for (String g : list.split(",")) {
      // Names this library has no code for are left out: a prediction compares codes.
      NamedGroup known = GROUPS.get(g.trim().toLowerCase(Locale.ROOT));
      if (known != null) {
        out.add(known);
      }
    }
    return out;
  }

  private static Map<String, NamedGroup> groupsByName() {
    Map<String, NamedGroup> m = new LinkedHashMap<>();
    for (NamedGroup g : List.of(NamedGroup.SECP256R1, NamedGroup.SECP384R1, NamedGroup.SECP521R1,
        NamedGroup.X25519, NamedGroup.X448, NamedGroup.FFDHE2048, NamedGroup.FFDHE3072,
        NamedGroup.FFDHE4096, NamedGroup.FFDHE6144, NamedGroup.FFDHE8192,
        NamedGroup.SECP256R1_MLKEM768, NamedGroup.X25519_MLKEM768, NamedGroup.SECP384R1_MLKEM1024)) {
      m.put(g.name().toLowerCase(Locale.ROOT), g);
    }
    return m;
  }

  private static Map<String, ClientProfile> load() {
    Map<String, ClientProfile> out = new LinkedHashMap<>();
    try (InputStream in = ClientProfiles.class.getResourceAsStream("/dev/tlsinspect/client-profiles.tsv")) {
      if (in == null) {
        throw new IllegalStateException("client-profiles.tsv is missing from the tls-inspect-core jar");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] c = line.split("\t", -1);
        if (c.length != 10) {
          throw new IllegalStateException("client-profiles.tsv: 10 columns expected: " + line);
        }
        List<TlsVersion> versions = Arrays.stream(c[2].split(",")).map(String::trim)
            .map(TlsVersion::fromJavaName).toList();
        List<CipherSuite> suites = Arrays.stream(c[3].split(",")).map(String::trim)
            .map(CipherSuite::named).toList();
        List<String> sigs = c[5].isBlank() ? List.of() : Arrays.stream(c[5].split(",")).map(String::trim).toList();
        out.put(c[0], new ClientProfile(c[0], c[1], versions, suites, groups(c[4]), sigs,
            "yes".equals(c[6]), Integer.parseInt(c[7]), c[8],
            c[9].isBlank() ? Optional.empty() : Optional.of(c[9].trim())));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}
