package dev.tlsinspect.check;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Target;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link Check} gets: the target, the options, and what the probes saw. An interface, so
 * that it can grow without breaking checks.
 *
 * @since 0.1.0
 */
public interface CheckContext {

  /**
   * The target inspected.
   *
   * @return the target
   */
  Target target();

  /**
   * The options of the inspection.
   *
   * @return the options
   */
  InspectOptions options();

  /**
   * The outcome of the main handshake (the first address that answered).
   *
   * @return the outcome
   */
  ProbeOutcome outcome();

  /**
   * The observation of the main handshake, if a probe was made.
   *
   * @return the observation
   */
  default Optional<Observation> observation() {
    return outcome().observation();
  }

  /**
   * The failure of the main handshake, if it failed.
   *
   * @return the failure
   */
  default Optional<Failure> failure() {
    return outcome() instanceof ProbeOutcome.Failed f ? Optional.of(f.failure()) : Optional.empty();
  }

  /**
   * The instant certificate validity is judged at, from the options' clock.
   *
   * @return now
   */
  default Instant now() {
    return options().clock().instant();
  }

  /**
   * The trust anchors of the options' trust material, read once per inspection.
   *
   * @return the anchors
   */
  List<X509Certificate> trustAnchors();

  /**
   * The anchors of the options' reference trust material (by default the JDK's {@code cacerts}),
   * read once per inspection.
   *
   * @return the reference anchors
   */
  default List<X509Certificate> referenceAnchors() {
    return options().referenceTrust().anchors();
  }

  /**
   * What the inspection downloaded (AIA intermediates, OCSP responses, CRLs) when the options
   * allow it.
   *
   * @return the fetched material, empty by default
   */
  default Fetched fetched() {
    return Fetched.none();
  }

  /**
   * The versions and cipher suites the server accepts, when the inspection enumerated them (full
   * mode, with a provider that {@linkplain dev.tlsinspect.probe.HandshakeProbe#makesOffers() makes
   * offers}).
   *
   * @return the enumeration, empty by default
   * @since 0.1.0
   */
  default java.util.Optional<dev.tlsinspect.Enumeration> enumeration() {
    return java.util.Optional.empty();
  }

  /**
   * The outcome at every address the inspection probed, in the resolver's order, the main one
   * included. One element when only one address was probed (an IP literal, a connect address, or
   * a name with one address).
   *
   * @return the outcomes; by default only {@link #outcome()}
   * @since 0.1.0
   */
  default List<ProbeOutcome> addressOutcomes() {
    return List.of(outcome());
  }

  /**
   * The handshake at the main address without SNI, when the inspection made one: a full
   * inspection of a DNS name whose main handshake sent SNI and got a TLS answer or was cut off.
   *
   * @return the outcome without SNI, empty by default
   * @since 0.1.0
   */
  default Optional<ProbeOutcome> withoutSni() {
    return Optional.empty();
  }

  /**
   * The handshake at the main address with a neutral server name in SNI (a random label under
   * {@code .invalid}), made only when the main handshake was cut off (reset, closed or timed
   * out) in a full inspection: it tells name-based filtering on the path from a broken server.
   *
   * @return the outcome with a neutral name, empty by default
   * @since 0.1.0
   */
  default Optional<ProbeOutcome> neutralSni() {
    return Optional.empty();
  }

  /**
   * The comparison of this machine's clock with the reference clock the options name (HTTP
   * {@code Date} or SNTP), made before the checks ran.
   *
   * @return the reading, empty when no reference was asked for
   * @since 0.1.0
   */
  default Optional<ClockReading> clockReading() {
    return Optional.empty();
  }

  /**
   * What the extra handshakes of a full inspection learned about renegotiation, compression,
   * downgrade protection, Extended Master Secret, resumption, ALPN, early data and HSTS, when the
   * enumerating provider can learn them ({@link dev.tlsinspect.probe.FeatureProbe}).
   *
   * @return the features; empty in quick mode or without such a provider
   * @since 0.1.0
   */
  default Optional<dev.tlsinspect.probe.ServerFeatures> serverFeatures() {
    return Optional.empty();
  }
}
