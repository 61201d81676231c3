package dev.tlsinspect.probe;

import dev.tlsinspect.Target;
import dev.tlsinspect.TrustMaterial;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one probe should do: connect to one address of a target and make one handshake.
 *
 * @param target the target (host, SNI, port, STARTTLS protocol, proxy)
 * @param address the resolved address to connect to: the target's, or its proxy's when it has one
 *     ({@link Connector#open(ProbeRequest)} does the rest)
 * @param resolved every address the host resolved to, for the observation
 * @param deadline when the probe must have ended, whatever the peer does
 * @param connectTimeout the longest TCP connect, capped by the deadline
 * @param readTimeout the longest wait for the peer's next bytes, capped by the deadline
 * @param trust the trust material to validate the chain with (providers that validate)
 * @param offer what the ClientHello offers; {@link ClientOffer#providerDefaults()} for a normal
 *     handshake
 * @since 0.1.0
 */
public record ProbeRequest(
    Target target,
    InetSocketAddress address,
    List<InetAddress> resolved,
    Deadline deadline,
    Duration connectTimeout,
    Duration readTimeout,
    TrustMaterial trust,
    ClientOffer offer) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   */
  public ProbeRequest {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(address, "address");
    resolved = List.copyOf(resolved);
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(offer, "offer");
  }

  /**
   * A copy of this request with another offer.
   *
   * @param value the offer
   * @return the copy
   * @since 0.1.0
   */
  public ProbeRequest withOffer(ClientOffer value) {
    return new ProbeRequest(target, address, resolved, deadline, connectTimeout, readTimeout, trust,
        value);
  }
}
