package dev.tlsinspect;

import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.NamedGroup;
import dev.tlsinspect.probe.TlsVersion;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client offers by default: its versions, cipher suites in its order, named groups and
 * signature schemes. Used to predict whether that client can connect to a server whose versions and
 * suites were enumerated ({@link ClientPrediction#of(Enumeration, ClientProfile)}).
 *
 * <p>The built-in profiles ({@link ClientProfiles#all()}) come from public sources, named in
 * {@link #source()}; {@link ClientProfiles#thisJvm()} is computed from the running JVM.
 *
 * @param name a short lower-case name, for example {@code jdk-17} or {@code chrome}
 * @param description what the profile stands for, with the versions of the client
 * @param versions the protocol versions offered, newest first
 * @param cipherSuites the suites offered, in the client's order of preference
 * @param namedGroups the groups offered, in the client's order; empty when unknown
 * @param signatureSchemes the signature scheme names (RFC 8446) offered; empty when unknown
 * @param sni whether the client sends SNI
 * @param maxHandshakeMessageSize the largest handshake message the client accepts, in bytes; 0
 *     when unknown or unlimited
 * @param source where the facts come from
 * @param obsolete empty while the client is in support; else why it is obsolete (its vendor ships
 *     no more security fixes). With {@code --client all}, an obsolete client that cannot connect
 *     is reported at INFO and does not change the verdict unless it was named.
 * @since 0.1.0
 */
public record ClientProfile(
    String name,
    String description,
    List<TlsVersion> versions,
    List<CipherSuite> cipherSuites,
    List<NamedGroup> namedGroups,
    List<String> signatureSchemes,
    boolean sni,
    int maxHandshakeMessageSize,
    String source,
    Optional<String> obsolete) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   * @throws IllegalArgumentException when the name is blank or the size is negative
   */
  public ClientProfile {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("profile name must not be blank");
    }
    Objects.requireNonNull(description, "description");
    versions = List.copyOf(versions);
    cipherSuites = List.copyOf(cipherSuites);
    namedGroups = List.copyOf(namedGroups);
    signatureSchemes = List.copyOf(signatureSchemes);
    if (maxHandshakeMessageSize < 0) {
      throw new IllegalArgumentException("maxHandshakeMessageSize must not be negative: "
          + maxHandshakeMessageSize);
    }
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(obsolete, "obsolete");
  }

  /**
   * A profile of a client in support.
   *
   * @param name a short lower-case name
   * @param description what the profile stands for
   * @param versions the protocol versions offered, newest first
   * @param cipherSuites the suites offered, in the client's order
   * @param namedGroups the groups offered; empty when unknown
   * @param signatureSchemes the signature scheme names offered; empty when unknown
   * @param sni whether the client sends SNI
   * @param maxHandshakeMessageSize the largest handshake message accepted; 0 when unknown
   * @param source where the facts come from
   * @throws NullPointerException when a component is null
   * @throws IllegalArgumentException when the name is blank or the size is negative
   * @since 0.1.0
   */
  public ClientProfile(String name, String description, List<TlsVersion> versions,
      List<CipherSuite> cipherSuites, List<NamedGroup> namedGroups, List<String> signatureSchemes,
      boolean sni, int maxHandshakeMessageSize, String source) {
    this(name, description, versions, cipherSuites, namedGroups, signatureSchemes, sni,
        maxHandshakeMessageSize, source, Optional.empty());
  }

  /**
   * The suites of this profile a server may choose with a version: TLS 1.3 suites for TLS 1.3,
   * the others for older versions. Suites the registry does not know are kept for every version.
   *
   * @param version the version
   * @return the suites, in the client's order
   * @since 0.1.0
   */
  public List<CipherSuite> suitesFor(TlsVersion version) {
    return cipherSuites.stream()
        .filter(s -> dev.tlsinspect.internal.registry.CipherSuites.find(s.code())
            .map(i -> i.validFor(version.code())).orElse(true))
        .toList();
  }
}
