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
 * @param clientCredentials the client key store to present when the server asks for a client
 *     certificate (providers that can present one)
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
    ClientOffer offer,
    java.util.Optional<dev.tlsinspect.ClientCredentials> clientCredentials) {

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
    Objects.requireNonNull(clientCredentials, "clientCredentials");
  }

  /**
   * A request without client credentials.
   *
   * @param target the target
   * @param address the address to connect to
   * @param resolved every resolved address
   * @param deadline the deadline
   * @param connectTimeout the longest TCP connect
   * @param readTimeout the longest wait for the peer's next bytes
   * @param trust the trust material
   * @param offer what the ClientHello offers
   * @since 0.1.0
   */
  public ProbeRequest(Target target, InetSocketAddress address, List<InetAddress> resolved,
      Deadline deadline, Duration connectTimeout, Duration readTimeout, TrustMaterial trust,
      ClientOffer offer) {
    this(target, address, resolved, deadline, connectTimeout, readTimeout, trust, offer,
        java.util.Optional.empty());
  }

  /**
   * A copy of this request that presents these client credentials when asked.
   *
   * @param value the credentials, or empty for none
   * @return the copy
   * @since 0.1.0
   */
  public ProbeRequest withClientCredentials(java.util.Optional<dev.tlsinspect.ClientCredentials> value) {
    return new ProbeRequest(target, address, resolved, deadline, connectTimeout, readTimeout, trust,
        offer, value);
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
        value, clientCredentials);
  }
}
