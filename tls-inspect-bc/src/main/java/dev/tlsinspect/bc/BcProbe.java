package dev.tlsinspect.bc;

import dev.tlsinspect.probe.HandshakeProbe;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.ProbeRequest;
import java.util.Objects;

/**
 * A {@link HandshakeProbe} on Bouncy Castle's low-level TLS API ({@code TlsClientProtocol} with
 * the pure-Java {@code BcTlsCrypto}): it puts on the wire exactly the
 * {@link dev.tlsinspect.probe.ClientOffer} of the request, from SSL 3.0 to TLS 1.3, with any cipher
 * suite code (including suites Bouncy Castle cannot complete, such as RC4 or export suites: seeing
 * the server choose one is the point, and the probe then ends with a {@code user_canceled} alert)
 * and any named group, hybrid post-quantum ones included.
 *
 * <p>It never validates anything: the chain is captured as sent and judged by the checks. It sends
 * SNI from the target, asks for a stapled OCSP response, reads the negotiated group (from the TLS
 * 1.3 key share or the TLS 1.2 ServerKeyExchange), and bounds every read by the request's
 * deadline. It installs no JCA provider and changes no JVM-global state.
 *
 * <p>The default offer ({@link dev.tlsinspect.probe.ClientOffer#providerDefaults()}) is a modern
 * client's: TLS 1.3 and 1.2, forward-secret and RSA suites Bouncy Castle can complete, groups
 * X25519MLKEM768, x25519, secp256r1, secp384r1, secp521r1, x448 and ffdhe2048 to ffdhe4096.
 *
 * <p>Found by {@link java.util.ServiceLoader} under the name {@code bc}.
 *
 * @since 0.1.0
 */
public final class BcProbe implements HandshakeProbe, dev.tlsinspect.probe.FeatureProbe {

  /**
   * Creates the provider. It is stateless and thread-safe.
   *
   * @since 0.1.0
   */
  public BcProbe() {}

  /**
   * {@inheritDoc}
   *
   * @return {@code bc}
   */
  @Override
  public String name() {
    return "bc";
  }

  /**
   * {@inheritDoc}
   *
   * @return {@code true}: any offer goes on the wire as asked
   */
  @Override
  public boolean makesOffers() {
    return true;
  }

  /**
   * {@inheritDoc}
   */
  @Override
  public ProbeOutcome probe(ProbeRequest request) {
    return new BcHandshake(Objects.requireNonNull(request, "request"), name()).run();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Short connections on three threads: TLS 1.2 with ALPN (and SCTs asked for); resumption by
   * session ID, followed by a renegotiation attempt on the same connection; one {@code GET /}
   * when ALPN says HTTP; a fallback ClientHello with {@code TLS_FALLBACK_SCSV}; a ClientHello
   * offering DEFLATE; and, per version, one handshake per signature scheme the server signs with
   * plus one, ended as soon as its signature is seen, the first of which is the version's ticket
   * handshake (TLS 1.3: the first session ticket and SCTs on the leaf; TLS 1.2: a ticket, then
   * one connection offering it back).
   *
   * @since 0.1.0
   */
  @Override
  public dev.tlsinspect.probe.ServerFeatures features(ProbeRequest request,
      dev.tlsinspect.probe.TlsVersion highest) {
    return BcFeatures.run(Objects.requireNonNull(request, "request"), Objects.requireNonNull(highest, "highest"));
  }

  /**
   * Client-initiated renegotiation: one TLS 1.2 connection on which a renegotiation ClientHello
   * follows the handshake, ended as soon as the server answers.
   *
   * @since 0.1.0
   */
  @Override
  public dev.tlsinspect.probe.ServerFeatures lastFeatures(ProbeRequest request,
      dev.tlsinspect.probe.TlsVersion highest, dev.tlsinspect.probe.ServerFeatures learned) {
    return BcFeatures.last(Objects.requireNonNull(request, "request"),
        Objects.requireNonNull(highest, "highest"), Objects.requireNonNull(learned, "learned"));
  }
}
