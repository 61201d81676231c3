package dev.tlsinspect.bc;

import dev.tlsinspect.probe.HandshakeProbe;
import dev.tlsinspect.testing.ProbeContract;

/**
 * The Bouncy Castle provider held to the provider contract. It never validates the chain (it
 * captures it for the checks to judge), so an untrusted or expired chain completes.
 */
class BcProbeContractTest extends ProbeContract {
  @Override
  protected HandshakeProbe probe() {
    return new BcProbe();
  }

  @Override
  protected Capabilities capabilities() {
    return new Capabilities(false);
  }
}
