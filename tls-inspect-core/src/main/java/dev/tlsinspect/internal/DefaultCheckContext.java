package dev.tlsinspect.internal;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Target;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.probe.ProbeOutcome;
import java.security.cert.X509Certificate;
import java.util.List;

/** The check context of one inspection; trust anchors are read at most once. Not API. */
final class DefaultCheckContext implements CheckContext {
  private final Target target;
  private final InspectOptions options;
  private final ProbeOutcome outcome;
  private List<X509Certificate> anchors;

  DefaultCheckContext(Target target, InspectOptions options, ProbeOutcome outcome) {
    this.target = target;
    this.options = options;
    this.outcome = outcome;
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
