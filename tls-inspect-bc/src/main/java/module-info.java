/**
 * The {@code bc} provider: probes with Bouncy Castle's low-level TLS API, for every version from
 * SSL 3.0 to TLS 1.3 and any cipher suite code on the wire. Installs no provider in the JVM.
 *
 * @since 0.1.0
 */
module dev.tlsinspect.bc {
  requires transitive dev.tlsinspect.core;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.tls;
  requires org.bouncycastle.util;
  requires org.slf4j;

  exports dev.tlsinspect.bc;

  provides dev.tlsinspect.probe.HandshakeProbe with dev.tlsinspect.bc.BcProbe;
}
