package dev.tlsinspect.probe;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything one probe saw, immutable. Fields stay empty for what the probe did not get to: a
 * refused connection has addresses but no chain; a rejected certificate has the chain but no
 * negotiated suite from a finished handshake.
 *
 * @param provider the provider that made the probe, for example {@code jsse}
 * @param resolved every address the host resolved to
 * @param address the address connected to
 * @param connectTime how long the TCP connect took, with the proxy tunnel and the STARTTLS exchange
 *     when the target has them (everything before the ClientHello)
 * @param handshakeTime how long the TLS handshake took (until it ended, even in failure)
 * @param sniSent the server name sent in SNI
 * @param version the negotiated (or server-selected) version
 * @param cipherSuite the negotiated (or server-selected) cipher suite
 * @param namedGroup the key-exchange group the server chose, when the provider can tell
 * @param applicationProtocol the ALPN protocol the server selected
 * @param peerChain the certificates the server sent, in the order sent, captured even when
 *     validation failed
 * @param stapledOcsp OCSP responses the server stapled (DER)
 * @param alerts alerts sent and received
 * @param clientCertificateRequested whether the server asked for a client certificate
 * @param acceptedClientIssuers the CA names the server accepts for client certificates
 * @param certificateMessageLength the length in bytes of the server's Certificate handshake
 *     message body as announced on the wire (or in the TLS stack's error), when the provider saw
 *     it: it says how large the chain was even when the stack refused to read it
 * @param dhParameters the finite-field DH group the server sent for a DHE suite (TLS 1.2 and
 *     older), when the provider can tell
 * @since 0.1.0
 */
public record Observation(
    String provider,
    List<InetAddress> resolved,
    Optional<InetSocketAddress> address,
    Duration connectTime,
    Duration handshakeTime,
    Optional<String> sniSent,
    Optional<TlsVersion> version,
    Optional<CipherSuite> cipherSuite,
    Optional<NamedGroup> namedGroup,
    Optional<String> applicationProtocol,
    List<X509Certificate> peerChain,
    List<byte[]> stapledOcsp,
    List<Alert> alerts,
    boolean clientCertificateRequested,
    List<String> acceptedClientIssuers,
    OptionalInt certificateMessageLength,
    Optional<DhParameters> dhParameters) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   */
  public Observation {
    Objects.requireNonNull(provider, "provider");
    resolved = List.copyOf(resolved);
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(connectTime, "connectTime");
    Objects.requireNonNull(handshakeTime, "handshakeTime");
    Objects.requireNonNull(sniSent, "sniSent");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(cipherSuite, "cipherSuite");
    Objects.requireNonNull(namedGroup, "namedGroup");
    Objects.requireNonNull(applicationProtocol, "applicationProtocol");
    peerChain = List.copyOf(peerChain);
    List<byte[]> ocsp = new ArrayList<>();
    for (byte[] b : stapledOcsp) {
      ocsp.add(b.clone());
    }
    stapledOcsp = List.copyOf(ocsp);
    alerts = List.copyOf(alerts);
    acceptedClientIssuers = List.copyOf(acceptedClientIssuers);
    Objects.requireNonNull(certificateMessageLength, "certificateMessageLength");
    Objects.requireNonNull(dhParameters, "dhParameters");
  }

  /**
   * Copies of the stapled OCSP responses.
   *
   * @return DER-encoded responses
   */
  @Override
  public List<byte[]> stapledOcsp() {
    return stapledOcsp.stream().map(byte[]::clone).toList();
  }

  /**
   * Starts an observation for a provider.
   *
   * @param provider the provider's name
   * @return a builder
   * @since 0.1.0
   */
  public static Builder builder(String provider) {
    return new Builder(provider);
  }

  /**
   * The leaf certificate, the first one the server sent.
   *
   * @return the leaf, or empty when no certificate was received
   * @since 0.1.0
   */
  public Optional<X509Certificate> leaf() {
    return peerChain.isEmpty() ? Optional.empty() : Optional.of(peerChain.get(0));
  }

  /**
   * Builds an {@link Observation}; providers fill it as the probe goes.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String provider;
    private List<InetAddress> resolved = List.of();
    private Optional<InetSocketAddress> address = Optional.empty();
    private Duration connectTime = Duration.ZERO;
    private Duration handshakeTime = Duration.ZERO;
    private Optional<String> sniSent = Optional.empty();
    private Optional<TlsVersion> version = Optional.empty();
    private Optional<CipherSuite> cipherSuite = Optional.empty();
    private Optional<NamedGroup> namedGroup = Optional.empty();
    private Optional<String> applicationProtocol = Optional.empty();
    private List<X509Certificate> peerChain = List.of();
    private final List<byte[]> stapledOcsp = new ArrayList<>();
    private final List<Alert> alerts = new ArrayList<>();
    private boolean clientCertificateRequested;
    private List<String> acceptedClientIssuers = List.of();
    private OptionalInt certificateMessageLength = OptionalInt.empty();
    private Optional<DhParameters> dhParameters = Optional.empty();

    private Builder(String provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
    }

    /**
     * @param value every resolved address
     * @return this builder
     */
    public Builder resolved(List<InetAddress> value) {
      this.resolved = List.copyOf(value);
      return this;
    }

    /**
     * @param value the address connected to
     * @return this builder
     */
    public Builder address(InetSocketAddress value) {
      this.address = Optional.of(value);
      return this;
    }

    /**
     * @param value how long the connect took
     * @return this builder
     */
    public Builder connectTime(Duration value) {
      this.connectTime = Objects.requireNonNull(value);
      return this;
    }

    /**
     * @param value how long the handshake took
     * @return this builder
     */
    public Builder handshakeTime(Duration value) {
      this.handshakeTime = Objects.requireNonNull(value);
      return this;
    }

    /**
     * @param value the SNI name sent
     * @return this builder
     */
    public Builder sniSent(String value) {
      this.sniSent = Optional.of(value);
      return this;
    }

    /**
     * @param value the negotiated version
     * @return this builder
     */
    public Builder version(TlsVersion value) {
      this.version = Optional.of(value);
      return this;
    }

    /**
     * @param value the negotiated suite
     * @return this builder
     */
    public Builder cipherSuite(CipherSuite value) {
      this.cipherSuite = Optional.of(value);
      return this;
    }

    /**
     * @param value the key-exchange group the server chose
     * @return this builder
     */
    public Builder namedGroup(NamedGroup value) {
      this.namedGroup = Optional.of(value);
      return this;
    }

    /**
     * @param value the ALPN protocol
     * @return this builder
     */
    public Builder applicationProtocol(String value) {
      this.applicationProtocol = Optional.of(value);
      return this;
    }

    /**
     * @param value the chain as sent
     * @return this builder
     */
    public Builder peerChain(List<X509Certificate> value) {
      this.peerChain = List.copyOf(value);
      return this;
    }

    /**
     * @param value one stapled OCSP response
     * @return this builder
     */
    public Builder addStapledOcsp(byte[] value) {
      this.stapledOcsp.add(value.clone());
      return this;
    }

    /**
     * @param value an alert
     * @return this builder
     */
    public Builder addAlert(Alert value) {
      this.alerts.add(Objects.requireNonNull(value));
      return this;
    }

    /**
     * @param issuers the CA names the server accepts for client certificates
     * @return this builder
     */
    public Builder clientCertificateRequested(List<String> issuers) {
      this.clientCertificateRequested = true;
      this.acceptedClientIssuers = List.copyOf(issuers);
      return this;
    }

    /**
     * The length of the server's Certificate handshake message body, as announced.
     *
     * @param bytes the length in bytes, zero or more
     * @return this builder
     * @throws IllegalArgumentException when negative
     * @since 0.1.0
     */
    public Builder certificateMessageLength(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("certificateMessageLength must not be negative: " + bytes);
      }
      this.certificateMessageLength = OptionalInt.of(bytes);
      return this;
    }

    /**
     * The finite-field DH group of the server's ServerKeyExchange (DHE suites, TLS 1.2 and older).
     *
     * @param value the group as sent
     * @return this builder
     * @since 0.1.0
     */
    public Builder dhParameters(DhParameters value) {
      this.dhParameters = Optional.of(value);
      return this;
    }

    /**
     * Whether a chain has been captured yet.
     *
     * @return {@code true} when a chain is set
     */
    public boolean hasPeerChain() {
      return !peerChain.isEmpty();
    }

    /**
     * Builds the observation.
     *
     * @return the observation
     */
    public Observation build() {
      return new Observation(provider, resolved, address, connectTime, handshakeTime, sniSent,
          version, cipherSuite, namedGroup, applicationProtocol, peerChain, stapledOcsp, alerts,
          clientCertificateRequested, acceptedClientIssuers, certificateMessageLength, dhParameters);
    }
  }
}
