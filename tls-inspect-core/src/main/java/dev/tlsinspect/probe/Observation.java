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
 * @param alerts alerts sent and received, at most {@link #MAX_ALERTS} (a longer run keeps its first
 *     and its latest alerts; the trace then ends with an {@code alerts truncated} event counting
 *     the others)
 * @param clientCertificateRequest the server's CertificateRequest (accepted CA names, key types,
 *     signature schemes) and the alias the probe answered with; empty when none was sent
 * @param certificateMessageLength the length in bytes of the server's Certificate handshake
 *     message body as announced on the wire (or in the TLS stack's error), when the provider saw
 *     it: it says how large the chain was even when the stack refused to read it
 * @param dhParameters the finite-field DH group the server sent for a DHE suite (TLS 1.2 and
 *     older), when the provider can tell
 * @param trace the handshake as it happened on the wire, in order, at most {@link #MAX_TRACE}
 *     events (a longer trace keeps its beginning and its end, with a {@code trace truncated} event
 *     between them); empty when the provider records none
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
    Optional<ClientCertificateRequest> clientCertificateRequest,
    OptionalInt certificateMessageLength,
    Optional<DhParameters> dhParameters,
    List<TraceEvent> trace) {

  /**
   * The most trace events an observation keeps.
   *
   * @since 0.1.0
   */
  public static final int MAX_TRACE = 200;

  /**
   * The most alerts an observation keeps, whatever the peer sends.
   *
   * @since 0.1.0
   */
  public static final int MAX_ALERTS = 32;

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
    alerts = alerts.size() <= MAX_ALERTS ? List.copyOf(alerts)
        : List.copyOf(alerts.subList(alerts.size() - MAX_ALERTS, alerts.size()));
    Objects.requireNonNull(clientCertificateRequest, "clientCertificateRequest");
    Objects.requireNonNull(certificateMessageLength, "certificateMessageLength");
    Objects.requireNonNull(dhParameters, "dhParameters");
    trace = bounded(trace);
  }

  /** The first half and the last half of a long trace, with a marker saying how many were left out. */
  private static List<TraceEvent> bounded(List<TraceEvent> trace) {
    if (trace.size() <= MAX_TRACE) {
      return List.copyOf(trace);
    }
    int head = MAX_TRACE / 2 - 1;
    int tail = MAX_TRACE / 2;
    List<TraceEvent> out = new ArrayList<>(trace.subList(0, head));
    TraceEvent last = trace.get(head - 1);
    out.add(TraceEvent.of(last.at(), TraceEvent.Direction.LOCAL, "trace truncated", 0,
        java.util.Map.of("omitted", String.valueOf(trace.size() - head - tail))));
    out.addAll(trace.subList(trace.size() - tail, trace.size()));
    return List.copyOf(out);
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
   * Whether the server asked for a client certificate.
   *
   * @return {@code true} when a CertificateRequest was seen
   * @since 0.1.0
   */
  public boolean clientCertificateRequested() {
    return clientCertificateRequest.isPresent();
  }

  /**
   * The CA names the server accepts for client certificates.
   *
   * @return the names, empty when no request was seen or it named none
   * @since 0.1.0
   */
  public List<String> acceptedClientIssuers() {
    return clientCertificateRequest.map(ClientCertificateRequest::certificateAuthorities).orElse(List.of());
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
    private final java.util.ArrayDeque<Alert> latestAlerts = new java.util.ArrayDeque<>();
    private long alertsOmitted;
    private Optional<ClientCertificateRequest> clientCertificateRequest = Optional.empty();
    private OptionalInt certificateMessageLength = OptionalInt.empty();
    private Optional<DhParameters> dhParameters = Optional.empty();
    private final List<TraceEvent> traceHead = new ArrayList<>();
    private final java.util.ArrayDeque<TraceEvent> traceTail = new java.util.ArrayDeque<>();
    private long traceOmitted;

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
     * Adds an alert. Memory stays bounded whatever the peer sends: past {@link #MAX_ALERTS}, the
     * first half is kept and the rest is a window of the latest (where the fatal one is), and the
     * others are counted.
     *
     * @param value an alert
     * @return this builder
     */
    public Builder addAlert(Alert value) {
      Objects.requireNonNull(value, "value");
      if (alerts.size() < MAX_ALERTS / 2) {
        alerts.add(value);
        return this;
      }
      latestAlerts.addLast(value);
      if (latestAlerts.size() > MAX_ALERTS / 2) {
        latestAlerts.removeFirst();
        alertsOmitted++;
      }
      return this;
    }

    /**
     * @param issuers the CA names the server accepts for client certificates
     * @return this builder
     */
    public Builder clientCertificateRequested(List<String> issuers) {
      return clientCertificateRequest(ClientCertificateRequest.of(issuers));
    }

    /**
     * The server's CertificateRequest and the alias the probe answered with.
     *
     * @param value the request
     * @return this builder
     * @since 0.1.0
     */
    public Builder clientCertificateRequest(ClientCertificateRequest value) {
      this.clientCertificateRequest = Optional.of(value);
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
     * Appends a trace event. Memory stays bounded whatever the peer does: past
     * {@link #MAX_TRACE} events, the first half is kept and the rest is a window of the latest.
     *
     * @param event the event
     * @return this builder
     * @since 0.1.0
     */
    public Builder addTrace(TraceEvent event) {
      java.util.Objects.requireNonNull(event, "event");
      if (traceHead.size() < MAX_TRACE / 2 - 1) {
        traceHead.add(event);
        return this;
      }
      traceTail.addLast(event);
      if (traceTail.size() > MAX_TRACE / 2 + 1) {
        traceTail.removeFirst();
        traceOmitted++;
      }
      return this;
    }

    /**
     * The trace events added so far (bounded as {@link #addTrace} says).
     *
     * @return the events, oldest first
     * @since 0.1.0
     */
    public List<TraceEvent> trace() {
      List<TraceEvent> all = new ArrayList<>(traceHead);
      if (traceOmitted > 0) {
        // Keep exactly MAX_TRACE: head, a marker, the latest MAX_TRACE / 2 events.
        List<TraceEvent> tail = new ArrayList<>(traceTail);
        tail = tail.subList(tail.size() - MAX_TRACE / 2, tail.size());
        TraceEvent last = traceHead.get(traceHead.size() - 1);
        all.add(TraceEvent.of(last.at(), TraceEvent.Direction.LOCAL, "trace truncated", 0,
            java.util.Map.of("omitted", String.valueOf(traceOmitted + 1))));
        all.addAll(tail);
      } else {
        all.addAll(traceTail);
      }
      return all;
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
      List<Alert> kept = new ArrayList<>(alerts);
      kept.addAll(latestAlerts);
      List<TraceEvent> events = trace();
      if (alertsOmitted > 0) {
        // Said at the end, where a bounded trace always keeps it.
        Duration at = events.isEmpty() ? Duration.ZERO : events.get(events.size() - 1).at();
        events.add(TraceEvent.of(at, TraceEvent.Direction.LOCAL, "alerts truncated", 0,
            java.util.Map.of("omitted", String.valueOf(alertsOmitted), "kept", String.valueOf(kept.size()))));
        if (events.size() > MAX_TRACE) {
          events.remove(events.size() - 2);
        }
      }
      return new Observation(provider, resolved, address, connectTime, handshakeTime, sniSent,
          version, cipherSuite, namedGroup, applicationProtocol, peerChain, stapledOcsp, kept,
          clientCertificateRequest, certificateMessageLength, dhParameters, events);
    }
  }
}
