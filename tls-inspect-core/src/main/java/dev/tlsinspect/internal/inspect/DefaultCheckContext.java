package dev.tlsinspect.internal.inspect;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Target;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.probe.ProbeOutcome;
import java.security.cert.X509Certificate;
import java.util.List;

/** The check context of one inspection; trust anchors are read at most once. Not API. */
public final class DefaultCheckContext implements CheckContext {
  private final Target target;
  private final InspectOptions options;
  private final ProbeOutcome outcome;
  private final dev.tlsinspect.check.Fetched fetched;
  private final java.util.Optional<dev.tlsinspect.Enumeration> enumeration;
  private final java.util.Optional<dev.tlsinspect.check.ClockReading> clockReading;
  private final List<ProbeOutcome> addressOutcomes;
  private final java.util.Optional<ProbeOutcome> withoutSni;
  private final java.util.Optional<ProbeOutcome> neutralSni;
  private java.util.Optional<dev.tlsinspect.probe.ServerFeatures> serverFeatures = java.util.Optional.empty();
  private List<X509Certificate> anchors;
  private List<X509Certificate> referenceAnchors;

  public DefaultCheckContext(Target target, InspectOptions options, ProbeOutcome outcome) {
    this(target, options, outcome, dev.tlsinspect.check.Fetched.none());
  }

  /**
   * A context; public for the test harnesses of this module (limbo), not API.
   *
   * @param target the target
   * @param options the options
   * @param outcome the main outcome
   * @param fetched what was downloaded
   */
  public DefaultCheckContext(Target target, InspectOptions options, ProbeOutcome outcome,
      dev.tlsinspect.check.Fetched fetched) {
    this(target, options, outcome, fetched, java.util.Optional.empty());
  }

  /**
   * A context with an enumeration; public for the test harnesses of this module, not API.
   *
   * @param target the target
   * @param options the options
   * @param outcome the main outcome
   * @param fetched what was downloaded
   * @param enumeration the versions and suites enumerated, if any
   */
  public DefaultCheckContext(Target target, InspectOptions options, ProbeOutcome outcome,
      dev.tlsinspect.check.Fetched fetched, java.util.Optional<dev.tlsinspect.Enumeration> enumeration) {
    this(target, options, outcome, fetched, enumeration, List.of(outcome), java.util.Optional.empty(),
        java.util.Optional.empty(), java.util.Optional.empty());
  }

  /**
   * A context with an enumeration and a clock reading; public for test harnesses, not API.
   *
   * @param target the target
   * @param options the options
   * @param outcome the main outcome
   * @param fetched what was downloaded
   * @param enumeration the versions and suites enumerated, if any
   * @param clockReading the comparison with the reference clock, if one was asked for
   */
  public DefaultCheckContext(Target target, InspectOptions options, ProbeOutcome outcome,
      dev.tlsinspect.check.Fetched fetched, java.util.Optional<dev.tlsinspect.Enumeration> enumeration,
      java.util.Optional<dev.tlsinspect.check.ClockReading> clockReading) {
    this(target, options, outcome, fetched, enumeration, List.of(outcome), java.util.Optional.empty(),
        java.util.Optional.empty(), clockReading);
  }

  /**
   * A context with every probe of an inspection; public for the test harnesses, not API.
   *
   * @param target the target
   * @param options the options
   * @param outcome the main outcome
   * @param fetched what was downloaded
   * @param enumeration the versions and suites enumerated, if any
   * @param addressOutcomes the outcome at every address probed, in resolver order
   * @param withoutSni the handshake without SNI, if one was made
   * @param neutralSni the handshake with a neutral SNI name, if one was made
   */
  public DefaultCheckContext(Target target, InspectOptions options, ProbeOutcome outcome,
      dev.tlsinspect.check.Fetched fetched, java.util.Optional<dev.tlsinspect.Enumeration> enumeration,
      List<ProbeOutcome> addressOutcomes, java.util.Optional<ProbeOutcome> withoutSni,
      java.util.Optional<ProbeOutcome> neutralSni) {
    this(target, options, outcome, fetched, enumeration, addressOutcomes, withoutSni, neutralSni,
        java.util.Optional.empty());
  }

  /**
   * A context with every probe of an inspection and the clock reading; not API.
   *
   * @param target the target
   * @param options the options
   * @param outcome the main outcome
   * @param fetched what was downloaded
   * @param enumeration the versions and suites enumerated, if any
   * @param addressOutcomes the outcome at every address probed, in resolver order
   * @param withoutSni the handshake without SNI, if one was made
   * @param neutralSni the handshake with a neutral SNI name, if one was made
   * @param clockReading the comparison with the reference clock, if one was asked for
   */
  public DefaultCheckContext(Target target, InspectOptions options, ProbeOutcome outcome,
      dev.tlsinspect.check.Fetched fetched, java.util.Optional<dev.tlsinspect.Enumeration> enumeration,
      List<ProbeOutcome> addressOutcomes, java.util.Optional<ProbeOutcome> withoutSni,
      java.util.Optional<ProbeOutcome> neutralSni,
      java.util.Optional<dev.tlsinspect.check.ClockReading> clockReading) {
    this.clockReading = clockReading;
    this.target = target;
    this.options = options;
    this.outcome = outcome;
    this.fetched = fetched;
    this.enumeration = enumeration;
    this.addressOutcomes = List.copyOf(addressOutcomes);
    this.withoutSni = withoutSni;
    this.neutralSni = neutralSni;
  }

  @Override
  public List<ProbeOutcome> addressOutcomes() {
    return addressOutcomes;
  }

  @Override
  public java.util.Optional<ProbeOutcome> withoutSni() {
    return withoutSni;
  }

  @Override
  public java.util.Optional<ProbeOutcome> neutralSni() {
    return neutralSni;
  }

  @Override
  public java.util.Optional<dev.tlsinspect.check.ClockReading> clockReading() {
    return clockReading;
  }

  /**
   * Sets what the extra handshakes learned; not API.
   *
   * @param value the features, if any
   * @return this context
   */
  public DefaultCheckContext serverFeatures(java.util.Optional<dev.tlsinspect.probe.ServerFeatures> value) {
    this.serverFeatures = java.util.Objects.requireNonNull(value, "value");
    return this;
  }

  @Override
  public java.util.Optional<dev.tlsinspect.probe.ServerFeatures> serverFeatures() {
    return serverFeatures;
  }

  @Override
  public java.util.Optional<dev.tlsinspect.Enumeration> enumeration() {
    return enumeration;
  }

  @Override
  public dev.tlsinspect.check.Fetched fetched() {
    return fetched;
  }

  @Override
  public synchronized List<X509Certificate> referenceAnchors() {
    if (referenceAnchors == null) {
      referenceAnchors = options.referenceTrust().anchors();
    }
    return referenceAnchors;
  }

  @Override
  public Target target() {
    return target;
  }

  @Override
  public InspectOptions options() {
    return options;
  }

  @Override
  public ProbeOutcome outcome() {
    return outcome;
  }

  @Override
  public synchronized List<X509Certificate> trustAnchors() {
    if (anchors == null) {
      anchors = options.trust().anchors();
    }
    return anchors;
  }
}
