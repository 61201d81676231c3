package dev.tlsinspect.jsse;

import dev.tlsinspect.probe.HandshakeProbe;
import dev.tlsinspect.testing.ProbeContract;

/** The JSSE provider held to the provider contract; it validates trust (the default capability). */
class JsseProbeContractTest extends ProbeContract {
  @Override
  protected HandshakeProbe probe() {
    return new JsseProbe();
  }
}
