package dev.tlsinspect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The application's client key store, for servers that ask for a client certificate (mutual
 * TLS). The probe presents it like the application would: through a {@link KeyManagerFactory} of
 * the JVM's default algorithm over this key store, so the JDK's own choice of alias is what is
 * seen and reported.
 *
 * <p>The password is kept (a copy) because the key manager needs it for every probe; it is never
 * printed, logged or part of {@link #toString()}.
 *
 * <pre>{@code
 * InspectOptions options = InspectOptions.builder()
 *     .clientCredentials(ClientCredentials.keyStoreFile(Path.of("client.p12"), password, "PKCS12"))
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ClientCredentials {
  private final KeyStore store;
  private final char[] password;
  private final String description;
  private final Optional<String> alias;
  private final Map<String, List<X509Certificate>> keyChains;

  private ClientCredentials(KeyStore store, char[] password, String description, Optional<String> alias) {
    this.store = store;
    this.password = password.clone();
    this.description = description;
    this.alias = alias;
    this.keyChains = readKeyChains(store, alias);
    // Fails now, with the reason, rather than in the middle of a handshake.
    keyManager();
  }

  /**
   * The application's key store, already loaded.
   *
   * @param store a loaded key store holding private keys with their certificate chains
   * @param password the password of the keys
   * @return the credentials
   * @throws IllegalArgumentException when the keys cannot be read with this password
   * @since 0.1.0
   */
  public static ClientCredentials keyStore(KeyStore store, char[] password) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(password, "password");
    return new ClientCredentials(store, password, store.getType() + " key store", Optional.empty());
  }

  /**
   * Reads a PKCS12 or JKS key store file; the same password opens the file and its keys, as with
   * {@code javax.net.ssl.keyStorePassword}.
   *
   * @param file the key store file
   * @param password its password
   * @param type {@code PKCS12} or {@code JKS}
   * @return the credentials
   * @throws IllegalArgumentException when the file is missing, of another type, or the password is
   *     wrong
   * @since 0.1.0
   */
  public static ClientCredentials keyStoreFile(Path file, char[] password, String type) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(type, "type");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("client key store not found: " + file);
    }
    KeyStore ks;
    try {
      ks = KeyStore.getInstance(type);
    } catch (KeyStoreException e) {
      throw new IllegalArgumentException("unknown key store type '" + type + "'", e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, password.length == 0 ? null : password);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read client key store " + file + " as " + type + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
    return new ClientCredentials(ks, password, "client key store " + file, Optional.empty());
  }

  /**
   * These credentials restricted to one alias, like an application configured with a key alias:
   * only that key is offered.
   *
   * @param value the alias of a private-key entry
   * @return restricted credentials
   * @throws IllegalArgumentException when the key store has no key under that alias
   * @since 0.1.0
   */
  public ClientCredentials withAlias(String value) {
    Objects.requireNonNull(value, "alias");
    if (!keyChains.containsKey(value)) {
      throw new IllegalArgumentException("the " + description + " has no private key under alias '"
          + value + "'" + (keyChains.isEmpty() ? "" : "; it has " + String.join(", ", keyChains.keySet())));
    }
    return new ClientCredentials(store, password, description, Optional.of(value));
  }

  /**
   * The alias the credentials are restricted to, if any.
   *
   * @return the alias
   * @since 0.1.0
   */
  public Optional<String> alias() {
    return alias;
  }

  /**
   * Where the credentials come from, for reports; never the password.
   *
   * @return for example {@code client key store /etc/app/client.p12}
   * @since 0.1.0
   */
  public String description() {
    return description;
  }

  /**
   * The private-key entries: each alias with its certificate chain, leaf first.
   *
   * @return alias to chain, in the key store's order
   * @since 0.1.0
   */
  public Map<String, List<X509Certificate>> keyChains() {
    return keyChains;
  }

  /**
   * A fresh key manager over these credentials, from a {@link KeyManagerFactory} of the JVM's
   * default algorithm: it chooses the alias like the application's own would.
   *
   * @return the key manager
   * @throws IllegalArgumentException when the keys cannot be read with the password
   * @since 0.1.0
   */
  public X509ExtendedKeyManager keyManager() {
    try {
      KeyStore source = store;
      if (alias.isPresent()) {
        source = KeyStore.getInstance("PKCS12");
        source.load(null, null);
        source.setEntry(alias.get(),
            store.getEntry(alias.get(), new KeyStore.PasswordProtection(password)),
            new KeyStore.PasswordProtection(password));
      }
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(source, password);
      for (KeyManager m : factory.getKeyManagers()) {
        if (m instanceof X509ExtendedKeyManager x) {
          return x;
        }
      }
      throw new IllegalArgumentException("the JVM's " + KeyManagerFactory.getDefaultAlgorithm()
          + " key manager factory gave no X509ExtendedKeyManager");
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the keys of the " + description + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
  }

  private static Map<String, List<X509Certificate>> readKeyChains(KeyStore store, Optional<String> only) {
    Map<String, List<X509Certificate>> out = new LinkedHashMap<>();
    try {
      for (String a : Collections.list(store.aliases())) {
        if ((only.isPresent() && !only.get().equals(a)) || !store.isKeyEntry(a)) {
          continue;
        }
        Certificate[] chain = store.getCertificateChain(a);
        List<X509Certificate> certs = new ArrayList<>();
        if (chain != null) {
          for (Certificate c : chain) {
            if (c instanceof X509Certificate x) {
              certs.add(x);
            }
          }
        }
        if (!certs.isEmpty()) {
          out.put(a, List.copyOf(certs));
        }
      }
    } catch (KeyStoreException e) {
      throw new IllegalArgumentException("the key store is not loaded: " + e.getMessage(), e);
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The description and the aliases; never the password.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "ClientCredentials[" + description + alias.map(a -> ", alias " + a).orElse("")
        + ", keys " + keyChains.keySet() + "]";
  }
}
