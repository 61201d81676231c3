package dev.tlsinspect;

import dev.tlsinspect.internal.cert.JdkTrustChanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Predicts whether an endpoint still works after upgrading this JVM to a later JDK: the
 * {@code jdk-N} client profile's versions and suites (when the report enumerated them), and what
 * the later release changes in trust: the distrust policies it applies to certain CAs by issuance
 * date, recorded from the OpenJDK release notes, each entry naming its source.
 *
 * <pre>{@code
 * Report report = TlsInspector.create().inspect(Target.of("api.example.com", 443));
 * List<Finding> breaks = JdkUpgrade.defaults().predict(report, 21);
 * }</pre>
 *
 * <p>A change the running JVM already applies is not reported: the inspection itself shows its
 * effect. Thread-safe and immutable.
 *
 * @since 0.1.0
 */
public final class JdkUpgrade {
  private final List<JdkTrustChanges.Change> data;
  private final Runtime.Version current;

  private JdkUpgrade(List<JdkTrustChanges.Change> data, Runtime.Version current) {
    this.data = data;
    this.current = current;
  }

  /**
   * The bundled data, judged from this JVM's version.
   *
   * @return the predictor
   * @since 0.1.0
   */
  public static JdkUpgrade defaults() {
    return new JdkUpgrade(JdkTrustChanges.bundled(), Runtime.version());
  }

  /**
   * Other data (for example newer release notes, or a test CA) judged from a given version. The
   * data is the bundled {@code jdk-trust-changes.tsv}'s format: tab-separated lines of change
   * ({@code DISTRUST_AFTER}), policy, root distinguished name, root SHA-256 fingerprint, issued-after
   * date, first releases (comma-separated) and source.
   *
   * @param tsv the data
   * @param current the version the prediction starts from
   * @return the predictor
   * @throws IllegalArgumentException when the data is malformed
   * @since 0.1.0
   */
  public static JdkUpgrade of(String tsv, Runtime.Version current) {
    return new JdkUpgrade(JdkTrustChanges.parse(Objects.requireNonNull(tsv, "tsv")),
        Objects.requireNonNull(current, "current"));
  }

  /**
   * What is known to break on the newest release of feature line {@code jdk}.
   *
   * @param report an inspection's report
   * @param jdk the feature release, for example 21 or 25; later than this JVM's
   * @return {@code JDK_UPGRADE_BREAKS} findings naming the release and why; empty when nothing
   *     known breaks
   * @throws IllegalArgumentException when {@code jdk} is not later than the running version
   * @since 0.1.0
   */
  public List<Finding> predict(Report report, int jdk) {
    Objects.requireNonNull(report, "report");
    if (jdk <= current.feature()) {
      throw new IllegalArgumentException("JDK " + jdk + " is not later than this JVM's " + current.feature());
    }
    return JdkTrustChanges.predict(report.certificateChain(), report.clients(), current, jdk, data);
  }

  /**
   * The report with the prediction's findings added and the verdict recomputed.
   *
   * @param report an inspection's report
   * @param jdk the feature release
   * @return the new report
   * @since 0.1.0
   */
  public Report withPrediction(Report report, int jdk) {
    List<Finding> all = new ArrayList<>(report.findings());
    all.addAll(predict(report, jdk));
    return new Report(report.target(), Verdict.of(all), all, report.protocols(), report.cipherSuites(),
        report.namedGroups(), report.certificateChain(), report.timings(), report.clients(),
        report.addresses(), report.provider(), report.inspectedAt(), report.outcomes());
  }
}
