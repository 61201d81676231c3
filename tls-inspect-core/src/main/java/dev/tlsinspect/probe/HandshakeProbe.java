package dev.tlsinspect.probe;

/**
 * A TLS engine that makes one connection and one handshake and reports what it saw. Implemented by
 * {@code tls-inspect-jsse} (what this JVM sees) and {@code tls-inspect-bc}; found with
 * {@link java.util.ServiceLoader} or registered on the inspector's builder.
 *
 * <p>The contract:
 * <ul>
 *   <li>one TCP connection and at most one handshake per call, with no session resumption;
 *   <li>nothing the peer or the network does is thrown: refused connections, resets, garbage,
 *       alerts and timeouts all come back as a {@link ProbeOutcome.Failed} with a
 *       {@link FailureKind};
 *   <li>every wait is bounded by the request's deadline, and everything the peer makes the probe
 *       allocate is bounded;
 *   <li>no JVM-global state is changed (security properties, system properties, default
 *       {@code SSLContext}, installed providers);
 *   <li>the certificate chain is captured as sent, even when it is rejected.
 * </ul>
 *
 * <p>Implementations must be thread-safe; one instance serves many probes.
 *
 * @since 0.1.0
 */
public interface HandshakeProbe {

  /**
   * The provider's short name, for example {@code jsse}.
   *
   * @return the name
   */
  String name();

  /**
   * Connects and handshakes once.
   *
   * @param request what to probe
   * @return the outcome, never null
   */
  ProbeOutcome probe(ProbeRequest request);

  /**
   * Whether this provider puts any {@link ClientOffer} on the wire as asked. Only such providers
   * are used for enumerating versions and cipher suites; the others answer offers they cannot
   * make with {@link ProbeOutcome.Skipped}.
   *
   * @return {@code false} unless the provider overrides it
   * @since 0.1.0
   */
  default boolean makesOffers() {
    return false;
  }

  /**
   * This provider making its handshakes through the application's own TLS objects (its
   * {@code SSLContext}, socket factory, or trust and key managers), so that the main handshake is
   * exactly the application's. Providers that cannot return empty.
   *
   * @param tls the application's objects
   * @return a provider that uses them, or empty when this one cannot
   * @since 0.1.0
   */
  default java.util.Optional<HandshakeProbe> withClientTls(dev.tlsinspect.ClientTls tls) {
    return java.util.Optional.empty();
  }
}
