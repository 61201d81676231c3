package dev.tlsinspect.probe;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the few extra handshakes of a full inspection learned about the server beyond versions and
 * suites: renegotiation, compression, downgrade protection, Extended Master Secret, session
 * resumption, ALPN, TLS 1.3 early data and, when ALPN says the endpoint speaks HTTP, its
 * Strict-Transport-Security header. Every part is empty when it was not learned; {@link #notes()}
 * says why.
 *
 * @param secureRenegotiation whether the server answered {@code renegotiation_info} (RFC 5746) in
 *     a TLS 1.2 (or older) handshake
 * @param clientRenegotiation whether the server went on with a renegotiation the client started
 *     on an established TLS 1.2 (or older) connection
 * @param extendedMasterSecret whether the server answered {@code extended_master_secret} (RFC
 *     7627) in a TLS 1.2 (or older) handshake
 * @param compression whether the server chose a compression method other than {@code null} when
 *     DEFLATE was offered
 * @param fallbackScsv whether the server refused, with {@code inappropriate_fallback}, a
 *     ClientHello that carried {@code TLS_FALLBACK_SCSV} (RFC 7507) and a version below its highest
 * @param fallbackVersion the highest version that ClientHello offered
 * @param sessionIdResumption whether the server resumed a TLS 1.2 session by its session ID
 * @param ticketResumption whether the server resumed a TLS 1.2 session when offered the session
 *     ticket (RFC 5077) it had issued
 * @param sessionTicket whether the server issued a TLS 1.2 session ticket (RFC 5077)
 * @param ticketLifetime the lifetime hint of that ticket
 * @param tls13TicketLifetime the lifetime of the first TLS 1.3 NewSessionTicket
 * @param maxEarlyData the {@code max_early_data_size} of the first TLS 1.3 NewSessionTicket: the
 *     server accepts that many bytes of 0-RTT data when the ticket is used
 * @param alpnOffered the application protocols the ALPN handshake offered, in order
 * @param alpnSelected the application protocol the server selected from them
 * @param http the answer to one {@code GET /} request, made when ALPN said HTTP
 * @param signatureSchemes the signature schemes (RFC 8446 names) the server signs its handshake
 *     with, per version, in the order it chose them (its preference)
 * @param tlsExtensionScts how many Signed Certificate Timestamps the server sent in the
 *     {@code signed_certificate_timestamp} TLS extension (RFC 6962 3.3.1) when a feature handshake
 *     asked for them (0: asked, none sent; empty: not asked)
 * @param tlsExtensionSctLogIds the log IDs (base64) of those SCTs, in the order sent
 * @param chainsByKeyType the certificate chains the TLS 1.3 signature-scheme handshakes were sent,
 *     keyed by the leaf's key type ({@code RSA}, {@code ECDSA}, {@code EdDSA}, {@code RSA-PSS}): a
 *     TLS 1.3 server with several certificates chooses one by the client's signature schemes
 * @param notes why a part is empty or what qualifies it, keyed by the part's name
 * @since 0.1.0
 */
public record ServerFeatures(
    Optional<Boolean> secureRenegotiation,
    Optional<Boolean> clientRenegotiation,
    Optional<Boolean> extendedMasterSecret,
    Optional<Boolean> compression,
    Optional<Boolean> fallbackScsv,
    Optional<TlsVersion> fallbackVersion,
    Optional<Boolean> sessionIdResumption,
    Optional<Boolean> ticketResumption,
    Optional<Boolean> sessionTicket,
    Optional<Duration> ticketLifetime,
    Optional<Duration> tls13TicketLifetime,
    OptionalLong maxEarlyData,
    List<String> alpnOffered,
    Optional<String> alpnSelected,
    Optional<HttpHead> http,
    Map<TlsVersion, List<String>> signatureSchemes,
    java.util.OptionalInt tlsExtensionScts,
    List<String> tlsExtensionSctLogIds,
    Map<String, List<java.security.cert.X509Certificate>> chainsByKeyType,
    Map<String, String> notes) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   */
  public ServerFeatures {
    Objects.requireNonNull(secureRenegotiation, "secureRenegotiation");
    Objects.requireNonNull(clientRenegotiation, "clientRenegotiation");
    Objects.requireNonNull(extendedMasterSecret, "extendedMasterSecret");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(fallbackScsv, "fallbackScsv");
    Objects.requireNonNull(fallbackVersion, "fallbackVersion");
    Objects.requireNonNull(sessionIdResumption, "sessionIdResumption");
    Objects.requireNonNull(ticketResumption, "ticketResumption");
    Objects.requireNonNull(sessionTicket, "sessionTicket");
    Objects.requireNonNull(ticketLifetime, "ticketLifetime");
    Objects.requireNonNull(tls13TicketLifetime, "tls13TicketLifetime");
    Objects.requireNonNull(maxEarlyData, "maxEarlyData");
    alpnOffered = List.copyOf(alpnOffered);
    Objects.requireNonNull(alpnSelected, "alpnSelected");
    Objects.requireNonNull(http, "http");
    Map<TlsVersion, List<String>> schemes = new LinkedHashMap<>();
    signatureSchemes.forEach((k, v) -> schemes.put(k, List.copyOf(v)));
    signatureSchemes = java.util.Collections.unmodifiableMap(schemes);
    Objects.requireNonNull(tlsExtensionScts, "tlsExtensionScts");
    tlsExtensionSctLogIds = List.copyOf(tlsExtensionSctLogIds);
    Map<String, List<java.security.cert.X509Certificate>> chains = new LinkedHashMap<>();
    chainsByKeyType.forEach((k, v) -> chains.put(Objects.requireNonNull(k, "keyType"), List.copyOf(v)));
    chainsByKeyType = java.util.Collections.unmodifiableMap(chains);
    notes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(notes));
  }

  /**
   * The answer to one {@code GET /} request over TLS (only the head is read).
   *
   * @param status the HTTP status code
   * @param strictTransportSecurity the {@code Strict-Transport-Security} header, when sent
   * @since 0.1.0
   */
  public record HttpHead(int status, Optional<String> strictTransportSecurity) {
    /**
     * Validates.
     *
     * @throws NullPointerException when a component is null
     */
    public HttpHead {
      Objects.requireNonNull(strictTransportSecurity, "strictTransportSecurity");
    }
  }

  /**
   * Starts an empty set of features.
   *
   * @return a builder
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding these features, to add to them.
   *
   * @return the builder
   * @since 0.1.0
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.secureRenegotiation = secureRenegotiation;
    b.clientRenegotiation = clientRenegotiation;
    b.extendedMasterSecret = extendedMasterSecret;
    b.compression = compression;
    b.fallbackScsv = fallbackScsv;
    b.fallbackVersion = fallbackVersion;
    b.sessionIdResumption = sessionIdResumption;
    b.ticketResumption = ticketResumption;
    b.sessionTicket = sessionTicket;
    b.ticketLifetime = ticketLifetime;
    b.tls13TicketLifetime = tls13TicketLifetime;
    b.maxEarlyData = maxEarlyData;
    b.alpnOffered = alpnOffered;
    b.alpnSelected = alpnSelected;
    b.http = http;
    b.signatureSchemes.putAll(signatureSchemes);
    b.tlsExtensionScts = tlsExtensionScts;
    b.tlsExtensionSctLogIds = tlsExtensionSctLogIds;
    b.chainsByKeyType.putAll(chainsByKeyType);
    b.notes.putAll(notes);
    return b;
  }

  /**
   * Builds {@link ServerFeatures}; providers fill it as the handshakes go. Thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private Optional<Boolean> secureRenegotiation = Optional.empty();
    private Optional<Boolean> clientRenegotiation = Optional.empty();
    private Optional<Boolean> extendedMasterSecret = Optional.empty();
    private Optional<Boolean> compression = Optional.empty();
    private Optional<Boolean> fallbackScsv = Optional.empty();
    private Optional<TlsVersion> fallbackVersion = Optional.empty();
    private Optional<Boolean> sessionIdResumption = Optional.empty();
    private Optional<Boolean> ticketResumption = Optional.empty();
    private Optional<Boolean> sessionTicket = Optional.empty();
    private Optional<Duration> ticketLifetime = Optional.empty();
    private Optional<Duration> tls13TicketLifetime = Optional.empty();
    private OptionalLong maxEarlyData = OptionalLong.empty();
    private List<String> alpnOffered = List.of();
    private Optional<String> alpnSelected = Optional.empty();
    private Optional<HttpHead> http = Optional.empty();
    private final Map<TlsVersion, List<String>> signatureSchemes = new LinkedHashMap<>();
    private java.util.OptionalInt tlsExtensionScts = java.util.OptionalInt.empty();
    private List<String> tlsExtensionSctLogIds = List.of();
    private final Map<String, List<java.security.cert.X509Certificate>> chainsByKeyType = new LinkedHashMap<>();
    private final Map<String, String> notes = new LinkedHashMap<>();

    private Builder() {}

    /** @param value whether RFC 5746 is supported @return this builder */
    public synchronized Builder secureRenegotiation(boolean value) {
      secureRenegotiation = Optional.of(value);
      return this;
    }

    /** @param value whether a client-initiated renegotiation went on @return this builder */
    public synchronized Builder clientRenegotiation(boolean value) {
      clientRenegotiation = Optional.of(value);
      return this;
    }

    /** @param value whether RFC 7627 is supported @return this builder */
    public synchronized Builder extendedMasterSecret(boolean value) {
      extendedMasterSecret = Optional.of(value);
      return this;
    }

    /** @param value whether compression was chosen @return this builder */
    public synchronized Builder compression(boolean value) {
      compression = Optional.of(value);
      return this;
    }

    /**
     * @param honoured whether the fallback ClientHello was refused with inappropriate_fallback
     * @param offered the highest version it offered
     * @return this builder
     */
    public synchronized Builder fallbackScsv(boolean honoured, TlsVersion offered) {
      fallbackScsv = Optional.of(honoured);
      fallbackVersion = Optional.of(offered);
      return this;
    }

    /** @param value whether a session was resumed by ID @return this builder */
    public synchronized Builder sessionIdResumption(boolean value) {
      sessionIdResumption = Optional.of(value);
      return this;
    }

    /**
     * @param value whether a session was resumed with the TLS 1.2 ticket the server issued
     * @return this builder
     * @since 0.1.0
     */
    public synchronized Builder ticketResumption(boolean value) {
      ticketResumption = Optional.of(value);
      return this;
    }

    /**
     * @param count how many SCTs the signed_certificate_timestamp extension carried (0: none)
     * @param logIds their log IDs, base64
     * @return this builder
     * @since 0.1.0
     */
    public synchronized Builder tlsExtensionScts(int count, List<String> logIds) {
      tlsExtensionScts = java.util.OptionalInt.of(count);
      tlsExtensionSctLogIds = List.copyOf(logIds);
      return this;
    }

    /**
     * Keeps the first chain seen for a key type.
     *
     * @param keyType the leaf's key type, for example {@code ECDSA}
     * @param chain the chain as sent, leaf first
     * @return this builder
     * @since 0.1.0
     */
    public synchronized Builder chain(String keyType, List<java.security.cert.X509Certificate> chain) {
      if (!chain.isEmpty()) {
        chainsByKeyType.putIfAbsent(Objects.requireNonNull(keyType, "keyType"), List.copyOf(chain));
      }
      return this;
    }

    /**
     * @param issued whether a TLS 1.2 ticket was issued
     * @param lifetime its lifetime hint, when issued
     * @return this builder
     */
    public synchronized Builder sessionTicket(boolean issued, Optional<Duration> lifetime) {
      sessionTicket = Optional.of(issued);
      ticketLifetime = Objects.requireNonNull(lifetime, "lifetime");
      return this;
    }

    /**
     * @param lifetime the TLS 1.3 ticket lifetime
     * @param maxEarly the ticket's max_early_data_size, 0 when it has none
     * @return this builder
     */
    public synchronized Builder tls13Ticket(Duration lifetime, long maxEarly) {
      tls13TicketLifetime = Optional.of(lifetime);
      maxEarlyData = OptionalLong.of(maxEarly);
      return this;
    }

    /**
     * @param offered the protocols offered
     * @param selected the protocol the server selected, if any
     * @return this builder
     */
    public synchronized Builder alpn(List<String> offered, Optional<String> selected) {
      alpnOffered = List.copyOf(offered);
      alpnSelected = Objects.requireNonNull(selected, "selected");
      return this;
    }

    /** @param value the answer to GET / @return this builder */
    public synchronized Builder http(HttpHead value) {
      http = Optional.of(value);
      return this;
    }

    /**
     * @param version the version
     * @param schemes the schemes the server signed with in it, in the order it chose them
     * @return this builder
     */
    public synchronized Builder signatureSchemes(TlsVersion version, List<String> schemes) {
      signatureSchemes.put(Objects.requireNonNull(version, "version"), List.copyOf(schemes));
      return this;
    }

    /**
     * @param part the part, for example {@code clientRenegotiation}
     * @param text why it is empty or what qualifies it
     * @return this builder
     */
    public synchronized Builder note(String part, String text) {
      notes.put(Objects.requireNonNull(part, "part"), Objects.requireNonNull(text, "text"));
      return this;
    }

    /**
     * The ALPN protocol selected so far.
     *
     * @return the selection, empty when none (yet)
     */
    public synchronized Optional<String> alpnSelected() {
      return alpnSelected;
    }

    /**
     * Builds the features.
     *
     * @return the features
     */
    public synchronized ServerFeatures build() {
      return new ServerFeatures(secureRenegotiation, clientRenegotiation, extendedMasterSecret,
          compression, fallbackScsv, fallbackVersion, sessionIdResumption, ticketResumption,
          sessionTicket, ticketLifetime, tls13TicketLifetime, maxEarlyData, alpnOffered, alpnSelected,
          http, signatureSchemes, tlsExtensionScts, tlsExtensionSctLogIds, chainsByKeyType, notes);
    }
  }
}
