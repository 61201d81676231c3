package dev.tlsinspect.jsse;

import dev.tlsinspect.probe.HandshakeProbe;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.ProbeRequest;
import java.util.Objects;

/**
 * A {@link HandshakeProbe} on the JDK's own TLS stack: it sees what this JVM's clients see, with
 * its enabled protocols and suites, its {@code jdk.tls.disabledAlgorithms} policy and the trust
 * material of the request.
 *
 * <p>Each probe gets a fresh {@code SSLContext} (so no session is ever resumed), sends SNI
 * explicitly (the JDK leaves it out for names without a dot, such as {@code localhost}), checks
 * the host name as HTTPS clients do, and records the chain the server sent before validating it,
 * so a rejected chain is still observed. The handshake is driven through an {@code SSLEngine} over
 * a plain socket, so every read is bounded by the request's deadline and the server's plaintext
 * answers (alerts, a non-TLS banner, oversized records) are seen as such.
 *
 * <p>It makes only the JVM's own offer: a request with any other
 * {@link dev.tlsinspect.probe.ClientOffer} is {@link ProbeOutcome.Skipped}.
 *
 * <p>Found by {@link java.util.ServiceLoader} under the name {@code jsse}.
 *
 * @since 0.1.0
 */
public final class JsseProbe implements HandshakeProbe {
  private final java.util.Optional<dev.tlsinspect.ClientTls> app;

  /**
   * Creates the provider. It is stateless and thread-safe.
   *
   * @since 0.1.0
   */
  public JsseProbe() {
    this.app = java.util.Optional.empty();
  }

  private JsseProbe(dev.tlsinspect.ClientTls app) {
    this.app = java.util.Optional.of(app);
  }

  /**
   * {@inheritDoc}
   *
   * <p>With an {@code SSLContext}, its engine is driven over the probe's connection exactly as the
   * probe's own (the same SNI and HTTPS host-name check that HTTPS clients set); with a socket
   * factory, its socket is layered over the probe's connection; with trust and key managers, they
   * are put into a context of the JVM's default provider, behind the probe's recorders. Named
   * {@code jsse-app}.
   *
   * @since 0.1.0
   */
  @Override
  public java.util.Optional<HandshakeProbe> withClientTls(dev.tlsinspect.ClientTls tls) {
    return java.util.Optional.of(new JsseProbe(Objects.requireNonNull(tls, "tls")));
  }

  /**
   * {@inheritDoc}
   *
   * @return {@code jsse}, or {@code jsse-app} with the application's TLS objects
   */
  @Override
  public String name() {
    return app.isPresent() ? "jsse-app" : "jsse";
  }

  /**
   * {@inheritDoc}
   */
  @Override
  public ProbeOutcome probe(ProbeRequest request) {
    Objects.requireNonNull(request, "request");
    if (!request.offer().isProviderDefaults()) {
      // JSSE offers what this JVM enables; anything else would be a different probe.
      return new ProbeOutcome.Skipped("the jsse provider offers only this JVM's enabled versions, "
          + "suites and groups; use the bc provider for chosen offers");
    }
    return new JsseHandshake(request, name(), app).run();
  }
}
