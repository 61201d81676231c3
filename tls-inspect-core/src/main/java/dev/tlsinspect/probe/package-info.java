/**
 * The provider SPI: a {@link dev.tlsinspect.probe.HandshakeProbe} makes one connection and one
 * handshake and returns a {@link dev.tlsinspect.probe.ProbeOutcome} holding an immutable
 * {@link dev.tlsinspect.probe.Observation}; failures are data, classified by
 * {@link dev.tlsinspect.probe.FailureKind}.
 *
 * @since 0.1.0
 */
package dev.tlsinspect.probe;
