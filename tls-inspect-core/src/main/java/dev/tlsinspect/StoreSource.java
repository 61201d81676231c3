package dev.tlsinspect;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A key store or trust store to inspect: a file (PKCS#12, JKS or a PEM bundle) with its password,
 * or a {@link KeyStore} already in memory.
 *
 * <p>Not a record on purpose: it holds a password, which {@link #toString()} never shows. The
 * password is copied in and handed out as a copy; nothing of it reaches a report.
 *
 * @since 0.1.0
 */
public final class StoreSource {
  private final String name;
  private final Optional<Path> file;
  private final Optional<KeyStore> keyStore;
  private final Optional<StoreType> type;
  private final char[] password;
  private final boolean hasPassword;

  private StoreSource(String name, Optional<Path> file, Optional<KeyStore> keyStore,
      Optional<StoreType> type, char[] password) {
    this.name = Objects.requireNonNull(name, "name");
    this.file = file;
    this.keyStore = keyStore;
    this.type = type;
    this.hasPassword = password != null;
    this.password = password == null ? new char[0] : password.clone();
  }

  /**
   * A store file whose type is told by its content (PEM text, the JKS magic number, or else
   * PKCS#12).
   *
   * @param file the file
   * @param password the store password; empty for none
   * @return the source
   * @since 0.1.0
   */
  public static StoreSource file(Path file, char[] password) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(password, "password");
    return new StoreSource(file.toString(), Optional.of(file), Optional.empty(), Optional.empty(),
        password.length == 0 ? null : password);
  }

  /**
   * A store file read as the given type, as an application configured with that type would read it
   * (so that a wrong type shows the error the application gets).
   *
   * @param file the file
   * @param password the store password; empty for none
   * @param type the type to read it as
   * @return the source
   * @since 0.1.0
   */
  public static StoreSource file(Path file, char[] password, StoreType type) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(password, "password");
    return new StoreSource(file.toString(), Optional.of(file), Optional.empty(),
        Optional.of(Objects.requireNonNull(type, "type")), password.length == 0 ? null : password);
  }

  /**
   * A loaded key store. Its private keys are read with {@code keyPassword} (as a
   * {@code KeyManagerFactory} initialised with it would).
   *
   * @param name a name for reports, for example the configuration key it came from
   * @param keyStore a loaded key store
   * @param keyPassword the password of its private keys; empty for none
   * @return the source
   * @since 0.1.0
   */
  public static StoreSource of(String name, KeyStore keyStore, char[] keyPassword) {
    Objects.requireNonNull(keyStore, "keyStore");
    Objects.requireNonNull(keyPassword, "keyPassword");
    return new StoreSource(name, Optional.empty(), Optional.of(keyStore), Optional.empty(),
        keyPassword.length == 0 ? null : keyPassword);
  }

  /**
   * The name shown in reports: the file's path, or the name given.
   *
   * @return the name
   * @since 0.1.0
   */
  public String name() {
    return name;
  }

  /**
   * The file, when the source is one.
   *
   * @return the file
   * @since 0.1.0
   */
  public Optional<Path> file() {
    return file;
  }

  /**
   * The key store, when the source is one in memory.
   *
   * @return the key store
   * @since 0.1.0
   */
  public Optional<KeyStore> keyStore() {
    return keyStore;
  }

  /**
   * The type the file is to be read as, when one was given.
   *
   * @return the type
   * @since 0.1.0
   */
  public Optional<StoreType> type() {
    return type;
  }

  /**
   * A copy of the password, or empty when none was given.
   *
   * @return the password
   * @since 0.1.0
   */
  public Optional<char[]> password() {
    return hasPassword ? Optional.of(password.clone()) : Optional.empty();
  }

  /** The name and type; never the password. */
  @Override
  public String toString() {
    return "StoreSource[" + name + type.map(t -> ", " + t).orElse("")
        + (hasPassword ? ", password set" : "") + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoreSource s && name.equals(s.name) && file.equals(s.file)
        && keyStore.equals(s.keyStore) && type.equals(s.type) && Arrays.equals(password, s.password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, file, type);
  }
}
