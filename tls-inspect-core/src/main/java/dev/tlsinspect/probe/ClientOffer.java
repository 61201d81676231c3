package dev.tlsinspect.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a probe's ClientHello offers: versions, cipher suites in order, named groups, and whether
 * to stop as soon as the server has answered with its ServerHello. An empty list means "the
 * provider's default" for that part; {@link #providerDefaults()} leaves everything to the
 * provider.
 *
 * <p>Providers that cannot make a given offer (the JSSE provider offers only what this JVM
 * enables) return {@link ProbeOutcome.Skipped}; see {@link HandshakeProbe#makesOffers()}.
 *
 * <pre>{@code
 * ClientOffer offer = ClientOffer.builder()
 *     .versions(TlsVersion.TLS_1_2)
 *     .cipherSuites(CipherSuite.of(0x002F), CipherSuite.of(0xC02F))
 *     .serverHelloOnly(true)
 *     .build();
 * }</pre>
 *
 * @param versions the versions to offer, any order; empty for the provider's default
 * @param cipherSuites the suites to offer, in preference order; empty for the provider's default
 * @param namedGroups the groups to offer, in preference order; empty for the provider's default
 * @param serverHelloOnly end the handshake (with a {@code user_canceled} alert) once the server
 *     has chosen its version and suite; such a probe is {@link ProbeOutcome.Completed} when the
 *     server answered with a ServerHello. When the offer names groups, a TLS 1.2 (or older)
 *     handshake with an ECDHE or DHE suite ends after the ServerKeyExchange instead, so that the
 *     curve or DH group is known. An offer of {@link TlsVersion#SSL_2_0} alone asks for an SSL
 *     2.0 CLIENT-HELLO; providers that cannot send one skip it
 * @since 0.1.0
 */
public record ClientOffer(
    List<TlsVersion> versions,
    List<CipherSuite> cipherSuites,
    List<NamedGroup> namedGroups,
    boolean serverHelloOnly) {

  private static final ClientOffer DEFAULTS = new ClientOffer(List.of(), List.of(), List.of(), false);

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a list or an element is null
   * @throws IllegalArgumentException when a suite has no wire code
   */
  public ClientOffer {
    versions = List.copyOf(versions);
    cipherSuites = List.copyOf(cipherSuites);
    namedGroups = List.copyOf(namedGroups);
    for (CipherSuite s : cipherSuites) {
      if (s.code() == CipherSuite.UNKNOWN_CODE) {
        throw new IllegalArgumentException("cannot offer a suite without its code: " + s.name());
      }
    }
  }

  /**
   * Whatever the provider offers by default: a normal, complete handshake.
   *
   * @return the default offer
   * @since 0.1.0
   */
  public static ClientOffer providerDefaults() {
    return DEFAULTS;
  }

  /**
   * Whether this offer leaves everything to the provider.
   *
   * @return {@code true} for {@link #providerDefaults()} and its equals
   * @since 0.1.0
   */
  public boolean isProviderDefaults() {
    return equals(DEFAULTS);
  }

  /**
   * Starts an offer; unset parts are the provider's defaults.
   *
   * @return a builder
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link ClientOffer}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private List<TlsVersion> versions = List.of();
    private List<CipherSuite> cipherSuites = List.of();
    private List<NamedGroup> namedGroups = List.of();
    private boolean serverHelloOnly;

    private Builder() {}

    /**
     * @param value the versions to offer
     * @return this builder
     */
    public Builder versions(TlsVersion... value) {
      return versions(List.of(value));
    }

    /**
     * @param value the versions to offer
     * @return this builder
     */
    public Builder versions(List<TlsVersion> value) {
      this.versions = List.copyOf(value);
      return this;
    }

    /**
     * @param value the suites to offer, in preference order
     * @return this builder
     */
    public Builder cipherSuites(CipherSuite... value) {
      return cipherSuites(List.of(value));
    }

    /**
     * @param value the suites to offer, in preference order
     * @return this builder
     */
    public Builder cipherSuites(List<CipherSuite> value) {
      this.cipherSuites = new ArrayList<>(Objects.requireNonNull(value, "cipherSuites"));
      return this;
    }

    /**
     * @param value the groups to offer, in preference order
     * @return this builder
     */
    public Builder namedGroups(NamedGroup... value) {
      return namedGroups(List.of(value));
    }

    /**
     * @param value the groups to offer, in preference order
     * @return this builder
     */
    public Builder namedGroups(List<NamedGroup> value) {
      this.namedGroups = List.copyOf(value);
      return this;
    }

    /**
     * @param value whether to stop after the ServerHello
     * @return this builder
     */
    public Builder serverHelloOnly(boolean value) {
      this.serverHelloOnly = value;
      return this;
    }

    /**
     * Builds the offer.
     *
     * @return the offer
     */
    public ClientOffer build() {
      return new ClientOffer(versions, cipherSuites, namedGroups, serverHelloOnly);
    }
  }
}
