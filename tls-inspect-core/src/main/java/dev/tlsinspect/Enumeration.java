package dev.tlsinspect;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.DhParameters;
import dev.tlsinspect.probe.NamedGroup;
import dev.tlsinspect.probe.TlsVersion;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a full inspection found out about the server's protocol versions, cipher suites and
 * key-exchange groups, by offering each version alone and eliminating suites and groups one at a
 * time. Made only by providers that can put any offer on the wire (the Bouncy Castle provider) and
 * only in full mode. SSL 2.0 is among the tested versions when the provider can speak it.
 *
 * @param testedVersions the versions that were offered, oldest first
 * @param acceptedVersions the versions the server accepted, oldest first
 * @param cipherSuites per accepted version, the suites the server accepted, in the order the
 *     server chose them (its preference order when it enforces one)
 * @param serverOrder per version with at least two suites, whether the server enforces its own
 *     order ({@code false}: it takes the client's first choice)
 * @param groups the named groups the server accepted for key exchange (TLS 1.3 when accepted,
 *     else the ECDHE and FFDHE groups of TLS 1.2), in the order the server chose them (its
 *     preference order when it enforces one)
 * @param dhParameters the finite-field DH group the server sends with its DHE suites (TLS 1.2 and
 *     older), when it accepts any
 * @param connections how many connections the enumeration made
 * @param incomplete why parts of the enumeration are missing (deadline, unclear answers); empty
 *     when complete
 * @param exportDhParameters the finite-field DH group the server sends with its export DHE
 *     suites, as read from its ServerKeyExchange; empty when it accepts none or the group could
 *     not be read (then {@code incomplete} says why)
 * @since 0.1.0
 */
public record Enumeration(
    List<TlsVersion> testedVersions,
    List<TlsVersion> acceptedVersions,
    Map<TlsVersion, List<CipherSuite>> cipherSuites,
    Map<TlsVersion, Boolean> serverOrder,
    List<NamedGroup> groups,
    Optional<DhParameters> dhParameters,
    int connections,
    List<String> incomplete,
    Optional<DhParameters> exportDhParameters) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   */
  public Enumeration {
    testedVersions = List.copyOf(testedVersions);
    acceptedVersions = List.copyOf(acceptedVersions);
    Map<TlsVersion, List<CipherSuite>> suites = new LinkedHashMap<>();
    Objects.requireNonNull(cipherSuites, "cipherSuites").forEach((k, v) -> suites.put(k, List.copyOf(v)));
    cipherSuites = Collections.unmodifiableMap(suites);
    serverOrder = Collections.unmodifiableMap(new LinkedHashMap<>(serverOrder));
    groups = List.copyOf(groups);
    Objects.requireNonNull(dhParameters, "dhParameters");
    incomplete = List.copyOf(incomplete);
    Objects.requireNonNull(exportDhParameters, "exportDhParameters");
  }

  /**
   * An enumeration without a measured export DHE group.
   *
   * @param testedVersions the versions that were offered, oldest first
   * @param acceptedVersions the versions the server accepted, oldest first
   * @param cipherSuites per accepted version, the suites the server accepted, in its order
   * @param serverOrder per version, whether the server enforces its own order
   * @param groups the named groups the server accepted for key exchange
   * @param dhParameters the DH group of the server's DHE suites, when it accepts any
   * @param connections how many connections the enumeration made
   * @param incomplete why parts of the enumeration are missing
   * @since 0.1.0
   */
  public Enumeration(List<TlsVersion> testedVersions, List<TlsVersion> acceptedVersions,
      Map<TlsVersion, List<CipherSuite>> cipherSuites, Map<TlsVersion, Boolean> serverOrder,
      List<NamedGroup> groups, Optional<DhParameters> dhParameters, int connections,
      List<String> incomplete) {
    this(testedVersions, acceptedVersions, cipherSuites, serverOrder, groups, dhParameters,
        connections, incomplete, Optional.empty());
  }

  /**
   * An enumeration of versions and suites only, without groups or DH parameters.
   *
   * @param testedVersions the versions that were offered, oldest first
   * @param acceptedVersions the versions the server accepted, oldest first
   * @param cipherSuites per accepted version, the suites the server accepted, in its order
   * @param serverOrder per version, whether the server enforces its own order
   * @param connections how many connections the enumeration made
   * @param incomplete why parts of the enumeration are missing
   * @since 0.1.0
   */
  public Enumeration(List<TlsVersion> testedVersions, List<TlsVersion> acceptedVersions,
      Map<TlsVersion, List<CipherSuite>> cipherSuites, Map<TlsVersion, Boolean> serverOrder,
      int connections, List<String> incomplete) {
    this(testedVersions, acceptedVersions, cipherSuites, serverOrder, List.of(), Optional.empty(),
        connections, incomplete);
  }

  /**
   * Whether the server accepted this version.
   *
   * @param version the version
   * @return {@code true} when accepted
   * @since 0.1.0
   */
  public boolean accepts(TlsVersion version) {
    return acceptedVersions.contains(version);
  }

  /**
   * The suites accepted with a version, in the server's order.
   *
   * @param version the version
   * @return the suites, empty when none or not accepted
   * @since 0.1.0
   */
  public List<CipherSuite> suites(TlsVersion version) {
    return cipherSuites.getOrDefault(version, List.of());
  }

  /**
   * Whether the server enforces its own suite order with this version, if that was tested.
   *
   * @param version the version
   * @return the answer, empty when not tested (fewer than two suites, or no answer)
   * @since 0.1.0
   */
  @JsonIgnore
  public Optional<Boolean> enforcesOrder(TlsVersion version) {
    return Optional.ofNullable(serverOrder.get(version));
  }
}
