/**
 * The {@code jsse} provider: probes with this JVM's own JSSE, its trust store and policy.
 *
 * @since 0.1.0
 */
module dev.tlsinspect.jsse {
  requires transitive dev.tlsinspect.core;
  requires org.slf4j;

  exports dev.tlsinspect.jsse;

  provides dev.tlsinspect.probe.HandshakeProbe with dev.tlsinspect.jsse.JsseProbe;
}
