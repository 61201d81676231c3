/**
 * The provider SPI: a {@link dev.tlsinspect.probe.HandshakeProbe} makes one connection and one
 * handshake and returns a {@link dev.tlsinspect.probe.ProbeOutcome} holding an immutable
 * {@link dev.tlsinspect.probe.Observation}; failures are data, classified by
 * {@link dev.tlsinspect.probe.FailureKind}. A provider opens its connection with
 * {@link dev.tlsinspect.probe.Connector#open(dev.tlsinspect.probe.ProbeRequest)}, which also tunnels through the
 * target's proxy and does its STARTTLS exchange, so that every provider reaches the server alike.
 *
 * @since 0.1.0
 */
package dev.tlsinspect.probe;
