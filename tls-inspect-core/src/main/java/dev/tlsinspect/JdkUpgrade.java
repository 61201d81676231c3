package dev.tlsinspect;

import dev.tlsinspect.internal.cert.JdkTrustChanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Predicts whether an endpoint still works after upgrading this JVM to a later JDK: the
 * {@code jdk-N} client profile's versions and suites (when the report enumerated them), and what
 * the later release changes in trust: the distrust policies it applies to certain CAs by issuance
 * date, and the roots it removes from {@code cacerts}, recorded from the OpenJDK sources and
 * release notes, each entry naming its source. A removed root breaks only an application that
 * trusts through the JVM default trust store: {@link #predict(Report, int, TrustMaterial)} says
 * which trust the inspection used; without it the finding says that it cannot be known.
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
   * ({@code DISTRUST_AFTER}, {@code ROOT_REMOVED} or {@code ROOT_ADDED}), policy ({@code -} for a
   * root change), root distinguished name, root SHA-256 fingerprint ({@code -} when unknown: the
   * root is then matched by name), issued-after date ({@code -} for a root change), first releases
   * (comma-separated) and source.
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
    return predict(report, jdk, JdkTrustChanges.DefaultTrust.UNKNOWN);
  }

  /**
   * As {@link #predict(Report, int)}, knowing the trust the inspection used (its
   * {@link InspectOptions#trust()}): a root removed from {@code cacerts} breaks the endpoint only
   * when that trust includes the JVM default trust store; a trust store of the application's own is
   * not affected.
   *
   * @param report an inspection's report
   * @param jdk the feature release, later than this JVM's
   * @param trust the trust material the inspection used
   * @return {@code JDK_UPGRADE_BREAKS} findings naming the release and why
   * @throws IllegalArgumentException when {@code jdk} is not later than the running version
   * @since 0.1.0
   */
  public List<Finding> predict(Report report, int jdk, TrustMaterial trust) {
    Objects.requireNonNull(trust, "trust");
    return predict(report, jdk, trust.includesJvmDefault()
        ? JdkTrustChanges.DefaultTrust.YES : JdkTrustChanges.DefaultTrust.NO);
  }

  private List<Finding> predict(Report report, int jdk, JdkTrustChanges.DefaultTrust defaultTrust) {
    Objects.requireNonNull(report, "report");
    if (jdk <= current.feature()) {
      throw new IllegalArgumentException("JDK " + jdk + " is not later than this JVM's " + current.feature());
    }
    return JdkTrustChanges.predict(report.certificateChain(), report.clients(), current, jdk, data,
        defaultTrust);
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
    return with(report, predict(report, jdk));
  }

  /**
   * The report with the prediction's findings added, knowing the trust the inspection used.
   *
   * @param report an inspection's report
   * @param jdk the feature release
   * @param trust the trust material the inspection used
   * @return the new report
   * @since 0.1.0
   */
  public Report withPrediction(Report report, int jdk, TrustMaterial trust) {
    return with(report, predict(report, jdk, trust));
  }

  private static Report with(Report report, List<Finding> predicted) {
    List<Finding> all = new ArrayList<>(report.findings());
    all.addAll(predicted);
    return new Report(report.target(), Verdict.of(all), all, report.protocols(), report.cipherSuites(),
        report.namedGroups(), report.certificateChain(), report.timings(), report.clients(),
        report.addresses(), report.provider(), report.inspectedAt(), report.outcomes());
  }
}
