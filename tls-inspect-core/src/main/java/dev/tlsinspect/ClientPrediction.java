package dev.tlsinspect;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.NamedGroup;
import dev.tlsinspect.probe.TlsVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What would happen if a {@linkplain ClientProfile client profile} connected to the server: the
 * version and cipher suite it would get, or why it could not connect. Computed from the
 * {@link Enumeration} alone, without a connection.
 *
 * <p>The rules follow the servers tls-inspect has seen: the server picks the highest version both
 * sides speak; with that version, the first suite of its own order that the client offers when it
 * enforces its order, else the client's first suite it accepts. The named group is known only when
 * the server's groups are.
 *
 * @param profile the profile's name
 * @param version the version the server would pick, empty when the client cannot connect
 * @param cipherSuite the suite the server would pick, empty when the client cannot connect or the
 *     server's suites for that version are unknown
 * @param namedGroup the key-exchange group, when the server's groups are known
 * @param mismatch why the client cannot connect, empty when it can
 * @param reason one sentence explaining the failure, empty when the client can connect
 * @since 0.1.0
 */
@JsonPropertyOrder({"profile", "compatible", "version", "cipherSuite", "namedGroup", "mismatch", "reason"})
public record ClientPrediction(
    String profile,
    Optional<TlsVersion> version,
    Optional<CipherSuite> cipherSuite,
    Optional<NamedGroup> namedGroup,
    Optional<Mismatch> mismatch,
    String reason) {

  /**
   * Why a client cannot connect.
   *
   * @since 0.1.0
   */
  public enum Mismatch {
    /** The client offers no version the server accepts. */
    NO_COMMON_VERSION,
    /** With the version the server would pick, the client offers no suite the server accepts. */
    NO_COMMON_CIPHER,
    /** The client offers no named group the server accepts for the chosen key exchange. */
    NO_COMMON_GROUP,
    /** The server's certificate message is larger than the client accepts. */
    CERTIFICATE_TOO_LARGE
  }

  /**
   * Validates.
   *
   * @throws NullPointerException when a component is null
   */
  public ClientPrediction {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(cipherSuite, "cipherSuite");
    Objects.requireNonNull(namedGroup, "namedGroup");
    Objects.requireNonNull(mismatch, "mismatch");
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * Whether the client can connect.
   *
   * @return {@code true} when there is no mismatch
   * @since 0.1.0
   */
  @JsonProperty("compatible")
  public boolean compatible() {
    return mismatch.isEmpty();
  }

  /**
   * Predicts from the enumeration alone: versions and suites, no groups, no certificate size.
   *
   * @param server what the server accepts
   * @param client the client profile
   * @return the prediction
   * @since 0.1.0
   */
  public static ClientPrediction of(Enumeration server, ClientProfile client) {
    return of(server, client, List.of(), 0);
  }

  /**
   * Predicts from the enumeration, the server's named groups when known, and the size of its
   * certificate message when known.
   *
   * @param server what the server accepts
   * @param client the client profile
   * @param serverGroups the groups the server accepts; empty when unknown
   * @param certificateMessageSize the size of the server's certificate message in bytes; 0 when
   *     unknown
   * @return the prediction
   * @since 0.1.0
   */
  public static ClientPrediction of(Enumeration server, ClientProfile client,
      List<NamedGroup> serverGroups, int certificateMessageSize) {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(serverGroups, "serverGroups");
    String name = client.name();
    List<TlsVersion> common = new ArrayList<>();
    for (TlsVersion v : client.versions()) {
      if (server.accepts(v)) {
        common.add(v);
      }
    }
    if (common.isEmpty()) {
      return fail(name, Optional.empty(), Mismatch.NO_COMMON_VERSION, "the client offers "
          + names(client.versions()) + "; the server accepts " + names(server.acceptedVersions()));
    }
    TlsVersion v = common.stream().max(Comparator.naturalOrder()).orElseThrow();
    List<CipherSuite> serverSuites = server.suites(v);
    List<CipherSuite> clientSuites = client.suitesFor(v);
    Optional<CipherSuite> suite = Optional.empty();
    if (!serverSuites.isEmpty()) {
      boolean serverOrder = server.enforcesOrder(v).orElse(false);
      suite = serverOrder
          ? serverSuites.stream().filter(s -> contains(clientSuites, s)).findFirst()
          : clientSuites.stream().filter(s -> contains(serverSuites, s)).findFirst()
              .map(s -> serverSuites.stream().filter(x -> same(x, s)).findFirst().orElse(s));
      if (suite.isEmpty()) {
        return fail(name, Optional.of(v), Mismatch.NO_COMMON_CIPHER, "with " + v + " the client offers "
            + clientSuites.size() + " suite(s), none of which the server accepts; the server accepts "
            + serverSuites.stream().map(CipherSuite::name).toList());
      }
    }
    Optional<NamedGroup> group = Optional.empty();
    if (!serverGroups.isEmpty() && !client.namedGroups().isEmpty() && needsGroup(v, suite)) {
      boolean tls13 = v.compareTo(TlsVersion.TLS_1_3) >= 0;
      group = client.namedGroups().stream()
          .filter(g -> tls13 || isClassicEllipticCurve(g))
          .filter(serverGroups::contains)
          .findFirst();
      if (group.isEmpty()) {
        return fail(name, Optional.of(v), Mismatch.NO_COMMON_GROUP, "with " + v + " and "
            + suite.map(CipherSuite::name).orElse("its suites") + " the client offers the groups "
            + client.namedGroups() + "; the server accepts " + serverGroups);
      }
    }
    if (certificateMessageSize > 0 && client.maxHandshakeMessageSize() > 0
        && certificateMessageSize > client.maxHandshakeMessageSize()) {
      return fail(name, Optional.of(v), Mismatch.CERTIFICATE_TOO_LARGE, "the server's certificate "
          + "message has " + certificateMessageSize + " bytes; the client accepts at most "
          + client.maxHandshakeMessageSize());
    }
    return new ClientPrediction(name, Optional.of(v), suite, group, Optional.empty(), "");
  }

  private static ClientPrediction fail(String name, Optional<TlsVersion> v, Mismatch m, String reason) {
    return new ClientPrediction(name, v, Optional.empty(), Optional.empty(), Optional.of(m), reason);
  }

  private static boolean needsGroup(TlsVersion v, Optional<CipherSuite> suite) {
    if (v.compareTo(TlsVersion.TLS_1_3) >= 0) {
      return true;
    }
    // TLS 1.2 DHE rarely negotiates a group (RFC 7919 is little used): only ECDHE is judged.
    return ecdhe(suite);
  }

  private static boolean ecdhe(Optional<CipherSuite> suite) {
    return suite.flatMap(s -> dev.tlsinspect.internal.registry.CipherSuites.find(s.code()))
        .map(i -> i.keyExchange().startsWith("ECDHE")).orElse(false);
  }

  /** The groups an ECDHE suite of TLS 1.2 can use: elliptic curves, not FFDHE, not ML-KEM. */
  private static boolean isClassicEllipticCurve(NamedGroup g) {
    return g.code() < 0x0100;
  }

  private static boolean contains(List<CipherSuite> list, CipherSuite s) {
    return list.stream().anyMatch(x -> same(x, s));
  }

  /** Same suite: same code when both are known, else the same name. */
  static boolean same(CipherSuite a, CipherSuite b) {
    if (a.code() != CipherSuite.UNKNOWN_CODE && b.code() != CipherSuite.UNKNOWN_CODE) {
      return a.code() == b.code();
    }
    return a.name().equals(b.name());
  }

  private static List<String> names(List<TlsVersion> versions) {
    return versions.stream().map(TlsVersion::name).toList();
  }
}
