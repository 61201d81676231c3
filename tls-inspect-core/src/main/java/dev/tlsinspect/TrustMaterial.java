package dev.tlsinspect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The trust anchors a chain is validated against: the JVM's default trust store, a {@link KeyStore},
 * PEM files, or certificates, optionally combined ({@link #plus(TrustMaterial)}).
 *
 * <p>Files and key stores are read when the value is created, so a missing or unreadable file is
 * reported at once with {@link IllegalArgumentException}. The JVM default is the trust store JSSE
 * uses for {@code SSLContext.getDefault()} ({@code javax.net.ssl.trustStore} or {@code cacerts});
 * it is read, never changed.
 *
 * @since 0.1.0
 */
public final class TrustMaterial {
  private final boolean includesJvmDefault;
  private final boolean includesJdkCacerts;
  private final List<X509Certificate> extra;
  private final String description;
  // Built once per value: reading a trust store and initialising a TrustManagerFactory costs more
  // than a loopback handshake, and a health check probes the same trust material again and again.
  private volatile X509TrustManager trustManager;
  private volatile List<X509Certificate> anchors;

  private TrustMaterial(boolean includesJvmDefault, List<X509Certificate> extra, String description) {
    this(includesJvmDefault, false, extra, description);
  }

  private TrustMaterial(boolean includesJvmDefault, boolean includesJdkCacerts,
      List<X509Certificate> extra, String description) {
    this.includesJvmDefault = includesJvmDefault;
    this.includesJdkCacerts = includesJdkCacerts;
    this.extra = List.copyOf(extra);
    this.description = description;
  }

  /**
   * The JVM's default trust store, as the application's default {@code SSLContext} sees it.
   *
   * @return the trust material
   * @since 0.1.0
   */
  public static TrustMaterial jvmDefault() {
    return new TrustMaterial(true, List.of(), "the JVM default trust store");
  }

  /**
   * The JDK's own {@code cacerts} file ({@code $JAVA_HOME/lib/security/cacerts}), whatever trust
   * store the application is configured with; read when first needed. The reference for
   * TRUST_STORE_DIFFERS.
   *
   * @return the trust material
   * @since 0.1.0
   */
  public static TrustMaterial jdkCacerts() {
    return JDK_CACERTS;
  }

  private static final TrustMaterial JDK_CACERTS =
      new TrustMaterial(false, true, List.of(), "the JDK's cacerts");

  /** Loads cacerts once, on first use. */
  private static final class Cacerts {
    static final List<X509Certificate> ANCHORS = load();

    private static List<X509Certificate> load() {
      Path file = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
      if (!Files.isRegularFile(file)) {
        return List.of();
      }
      try (InputStream in = Files.newInputStream(file)) {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(in, null);
        return keyStore(ks).extra;
      } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
        return List.of();
      }
    }
  }

  /**
   * The trusted certificates of a key store (certificate entries and the certificates of key
   * entries' chains' ends are not included; only trusted-certificate entries count).
   *
   * @param keyStore a loaded key store
   * @return the trust material
   * @throws IllegalArgumentException when the key store holds no trusted certificate
   * @since 0.1.0
   */
  public static TrustMaterial keyStore(KeyStore keyStore) {
    Objects.requireNonNull(keyStore, "keyStore");
    List<X509Certificate> certs = new ArrayList<>();
    try {
      for (String alias : Collections.list(keyStore.aliases())) {
        if (keyStore.isCertificateEntry(alias)
            && keyStore.getCertificate(alias) instanceof X509Certificate x) {
          certs.add(x);
        }
      }
    } catch (KeyStoreException e) {
      throw new IllegalArgumentException("key store is not loaded: " + e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException("the trust store holds no trusted certificate entries");
    }
    return new TrustMaterial(false, certs, "a key store with " + certs.size() + " anchors");
  }

  /**
   * Loads a key store file and uses its trusted certificates.
   *
   * @param file the file
   * @param password the store password, or an empty array for none
   * @param type the store type, for example {@code PKCS12} or {@code JKS}
   * @return the trust material
   * @throws IllegalArgumentException when the file is missing, unreadable, of another type, or the
   *     password is wrong
   * @since 0.1.0
   */
  public static TrustMaterial keyStoreFile(Path file, char[] password, String type) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(type, "type");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("trust store not found: " + file);
    }
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore ks = KeyStore.getInstance(type);
      ks.load(in, password.length == 0 ? null : password);
      TrustMaterial m = keyStore(ks);
      return new TrustMaterial(false, m.extra, "trust store " + file + " (" + m.extra.size() + " anchors)");
    } catch (KeyStoreException e) {
      throw new IllegalArgumentException("unknown trust store type '" + type + "'", e);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read trust store " + file + " as " + type + ": " + e.getMessage(), e);
    }
  }

  /**
   * Trusts exactly the certificates in these PEM files.
   *
   * @param files PEM files with one or more certificates each
   * @return the trust material
   * @throws IllegalArgumentException when a file is missing or holds no certificate
   * @since 0.1.0
   */
  public static TrustMaterial pem(Path... files) {
    List<X509Certificate> certs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Path file : files) {
      certs.addAll(readPem(file));
      names.add(file.toString());
    }
    return new TrustMaterial(false, certs, "CA file " + String.join(", ", names));
  }

  /**
   * Trusts exactly these certificates.
   *
   * @param anchors the anchors
   * @return the trust material
   * @throws IllegalArgumentException when there is no anchor
   * @since 0.1.0
   */
  public static TrustMaterial certificates(Collection<X509Certificate> anchors) {
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException("at least one trust anchor is needed");
    }
    return new TrustMaterial(false, List.copyOf(anchors), anchors.size() + " given anchors");
  }

  /**
   * This trust material plus another: a chain is trusted when either trusts it.
   *
   * @param other more anchors
   * @return the combination
   * @since 0.1.0
   */
  public TrustMaterial plus(TrustMaterial other) {
    List<X509Certificate> all = new ArrayList<>(new LinkedHashSet<>(extra));
    for (X509Certificate c : other.extra) {
      if (!all.contains(c)) {
        all.add(c);
      }
    }
    return new TrustMaterial(includesJvmDefault || other.includesJvmDefault,
        includesJdkCacerts || other.includesJdkCacerts, all, description + " plus " + other.description);
  }

  /**
   * Whether the JVM's default trust store is part of this material.
   *
   * @return {@code true} when the default trust store is included
   * @since 0.1.0
   */
  public boolean includesJvmDefault() {
    return includesJvmDefault;
  }

  /**
   * All trust anchors: the JVM default's (read now) followed by the explicit ones.
   *
   * @return the anchors
   * @since 0.1.0
   */
  public List<X509Certificate> anchors() {
    if (!includesJvmDefault && !includesJdkCacerts) {
      return extra;
    }
    List<X509Certificate> cached = anchors;
    if (cached == null) {
      cached = readAnchors();
      anchors = cached;
    }
    return cached;
  }

  private List<X509Certificate> readAnchors() {
    List<X509Certificate> all = new ArrayList<>();
    if (includesJvmDefault) {
      all.addAll(List.of(defaultTrustManager().getAcceptedIssuers()));
    }
    if (includesJdkCacerts) {
      for (X509Certificate c : Cacerts.ANCHORS) {
        if (!all.contains(c)) {
          all.add(c);
        }
      }
    }
    for (X509Certificate c : extra) {
      if (!all.contains(c)) {
        all.add(c);
      }
    }
    return Collections.unmodifiableList(all);
  }

  /**
   * A PKIX trust manager over these anchors, for a probe's own {@code SSLContext}. Built on first
   * use and then shared (trust managers are thread-safe); the JVM default trust store is read
   * once per {@code TrustMaterial} value.
   *
   * @return the trust manager
   * @since 0.1.0
   */
  public X509TrustManager trustManager() {
    X509TrustManager cached = trustManager;
    if (cached == null) {
      cached = buildTrustManager();
      trustManager = cached;
    }
    return cached;
  }

  private X509TrustManager buildTrustManager() {
    if (includesJvmDefault && !includesJdkCacerts && extra.isEmpty()) {
      return defaultTrustManager();
    }
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      int i = 0;
      for (X509Certificate c : anchors()) {
        ks.setCertificateEntry("anchor-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(ks);
      return firstX509(tmf.getTrustManagers());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a trust manager: " + e.getMessage(), e);
    }
  }

  /**
   * Says where the anchors come from, for reports.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return description;
  }

  private static X509TrustManager defaultTrustManager() {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init((KeyStore) null);
      return firstX509(tmf.getTrustManagers());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the JVM default trust store: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager firstX509(TrustManager[] managers) {
    for (TrustManager tm : managers) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new IllegalStateException("no X509TrustManager available");
  }

  private static List<X509Certificate> readPem(Path file) {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("CA file not found: " + file);
    }
    try (InputStream in = Files.newInputStream(file)) {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : cf.generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException("no certificate found in CA file " + file);
      }
      return out;
    } catch (CertificateException e) {
      throw new IllegalArgumentException("CA file " + file + " is not PEM or DER certificates: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read CA file " + file + ": " + e.getMessage(), e);
    }
  }
}
