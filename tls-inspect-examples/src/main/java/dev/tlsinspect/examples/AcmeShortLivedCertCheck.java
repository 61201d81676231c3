package dev.tlsinspect.examples;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Severity;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * A custom check with its own code, registered for every inspector through
 * {@code META-INF/services/dev.tlsinspect.check.Check} (so it needs a public no-argument
 * constructor). At Acme, leaves valid for less than 7 days come only from the short-lived issuance
 * pipeline, whose renewal must run daily: the check reports {@code ACME_SHORT_LIVED_CERT} so that
 * an operator knows the endpoint depends on that pipeline.
 *
 * <p>Like every check it is a pure function of the observation: no I/O.
 */
public final class AcmeShortLivedCertCheck implements Check {
  /** The code this check reports. */
  public static final Code ACME_SHORT_LIVED_CERT = Code.of("ACME_SHORT_LIVED_CERT");
  private static final Duration SHORT = Duration.ofDays(7);

  /** Instantiated by {@link java.util.ServiceLoader}. */
  public AcmeShortLivedCertCheck() {}

  @Override
  public String id() {
    return "acme-short-lived-cert";
  }

  /**
   * What this check is, for the catalogue and the test kit's harness: the harness fails a test in
   * which the check reports a code not listed here.
   */
  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder(id())
        .summary("Leaves valid for less than 7 days, which depend on the daily renewal pipeline")
        .codes(ACME_SHORT_LIVED_CERT)
        .reference("RFC 5280 §4.1.2.5")
        .since("0.1.0")
        .needs(CheckDescriptor.Input.PEER_CHAIN)
        .build();
  }

  @Override
  public List<Finding> evaluate(CheckContext context) {
    return context.observation().flatMap(o -> o.leaf())
        .filter(leaf -> lifetime(leaf).compareTo(SHORT) < 0)
        .map(leaf -> List.of(Finding.builder(ACME_SHORT_LIVED_CERT)
            .severity(Severity.LOW)
            .title("Short-lived certificate: renewal must run daily")
            .detail("the leaf " + leaf.getSubjectX500Principal().getName() + " is valid for "
                + lifetime(leaf).toHours() + " hours")
            .remediation("Check that the Acme short-lived issuance pipeline renews this endpoint daily.")
            .evidence("lifetimeHours", lifetime(leaf).toHours())
            .build()))
        .orElse(List.of());
  }

  private static Duration lifetime(X509Certificate leaf) {
    return Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
  }
}
