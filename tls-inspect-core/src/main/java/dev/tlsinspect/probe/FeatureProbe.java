package dev.tlsinspect.probe;

/**
 * A provider that can learn {@link ServerFeatures} with a few extra handshakes: renegotiation,
 * compression, {@code TLS_FALLBACK_SCSV}, Extended Master Secret, session resumption, ALPN, TLS 1.3
 * early data, and the HSTS header when ALPN says HTTP. A full inspection asks the provider that
 * enumerates for them when it implements this interface; each part costs at most one extra
 * handshake, all are bounded by the request's deadline, and none sends anything a correct server
 * cannot answer (no malformed messages, no attack payloads).
 *
 * <p>Like {@link HandshakeProbe#probe}, it never throws for what the peer or network does: a part
 * that could not be learned stays empty, with a note.
 *
 * @since 0.1.0
 */
public interface FeatureProbe {

  /**
   * Learns what it can within the request's deadline.
   *
   * @param request where to connect (its offer is ignored)
   * @param highest the highest version the server is known to accept (the main handshake's); the
   *     downgrade-protection handshake offers less than this
   * @return the features, never null
   */
  ServerFeatures features(ProbeRequest request, TlsVersion highest);

  /**
   * The handshakes to make after every other connection of the inspection has ended, the
   * enumeration's included: those after which a server may stall. Client-initiated renegotiation
   * is one: {@code openssl s_server} sleeps a second after refusing it, and as it serves one
   * connection at a time, every connection queued behind would wait. Called once, after
   * {@link #features}, within the same deadline.
   *
   * @param request where to connect (its offer is ignored)
   * @param highest as for {@link #features}
   * @param learned what {@link #features} returned
   * @return {@code learned} with what these handshakes add; by default {@code learned} as it is
   * @since 0.1.0
   */
  default ServerFeatures lastFeatures(ProbeRequest request, TlsVersion highest, ServerFeatures learned) {
    return learned;
  }
}
