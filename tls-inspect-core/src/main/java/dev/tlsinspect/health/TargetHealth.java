package dev.tlsinspect.health;

import dev.tlsinspect.Finding;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The health of one target: its status, the inspection report behind it, and the time left until
 * its leaf certificate expires.
 *
 * @param target the endpoint
 * @param status UP, DEGRADED or DOWN, by the rule of {@link TlsHealthCheck}
 * @param report the quick inspection's report
 * @param untilExpiry the time from the check to the leaf's notAfter (negative once expired), or
 *     empty when no certificate was seen
 * @since 0.1.0
 */
public record TargetHealth(Target target, HealthStatus status, Report report,
    Optional<Duration> untilExpiry) {

  /**
   * Validates.
   *
   * @throws NullPointerException when a component is null
   */
  public TargetHealth {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(untilExpiry, "untilExpiry");
  }

  /**
   * Whole days until the leaf expires (rounded down; negative once expired).
   *
   * @return the days, or empty when no certificate was seen
   * @since 0.1.0
   */
  public OptionalLong daysToExpiry() {
    return untilExpiry.map(d -> OptionalLong.of(d.toDays())).orElse(OptionalLong.empty());
  }

  /**
   * The finding that best explains a status other than UP: the first root cause, else the worst
   * finding of severity HIGH or above, else an expiry finding, else the first finding.
   *
   * @return the finding, or empty when the target is UP or has no findings
   * @since 0.1.0
   */
  public Optional<Finding> cause() {
    if (status == HealthStatus.UP || report.findings().isEmpty()) {
      return Optional.empty();
    }
    if (!report.rootCauses().isEmpty()) {
      return Optional.of(report.rootCauses().get(0));
    }
    Optional<Finding> high = report.findings().stream()
        .filter(f -> f.severity().atLeast(Severity.HIGH)).findFirst();
    if (high.isPresent()) {
      return high;
    }
    Optional<Finding> expiry = report.findings().stream()
        .filter(f -> f.code().name().startsWith("CERT_EXPIR")).findFirst();
    return expiry.isPresent() ? expiry : Optional.of(report.findings().get(0));
  }

  /**
   * This target's entries of {@link HealthResult#details()}, each key prefixed with
   * {@code host:port.}: {@code status}, {@code verdict}, {@code codes} (comma-joined, possibly
   * empty), {@code handshakeMillis}, and when known {@code version}, {@code daysToExpiry},
   * {@code notAfter} (ISO-8601) and {@code rootCause} (the code of {@link #cause()}).
   *
   * @return String, Long and Boolean values only, in a stable order
   * @since 0.1.0
   */
  public Map<String, Object> details() {
    String p = target + ".";
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(p + "status", status.name());
    out.put(p + "verdict", report.verdict().name());
    report.outcomes().stream().findFirst().flatMap(o -> o.observation())
        .flatMap(o -> o.version()).ifPresent(v -> out.put(p + "version", v.name()));
    daysToExpiry().ifPresent(d -> out.put(p + "daysToExpiry", d));
    if (!report.certificateChain().isEmpty()) {
      out.put(p + "notAfter", report.certificateChain().get(0).notAfter().toString());
    }
    out.put(p + "codes", report.findings().stream().map(f -> f.code().name())
        .distinct().collect(Collectors.joining(",")));
    cause().ifPresent(f -> out.put(p + "rootCause", f.code().name()));
    out.put(p + "handshakeMillis", report.timings().handshakeMillis());
    return out;
  }
}
