package dev.tlsinspect.health;

import dev.tlsinspect.Finding;
import dev.tlsinspect.StoreReport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The health of one local key or trust store in a {@link TlsHealthCheck}: a client certificate
 * that expires is an outage no server-side monitor sees coming.
 *
 * @param store the store's name (its file's path, or the name it was given)
 * @param status DOWN when the store's verdict is FAIL or a client certificate expires within the
 *     critical window; DEGRADED when the verdict is WARN or one expires within the warning window;
 *     UP otherwise
 * @param report the store inspection's report
 * @param untilExpiry the time from the check to the first expiry of a key entry's certificate
 *     (negative once expired), or empty when the store holds no key entry
 * @since 0.1.0
 */
public record StoreHealth(String store, HealthStatus status, StoreReport report,
    Optional<Duration> untilExpiry) {

  /**
   * Validates.
   *
   * @throws NullPointerException when a component is null
   */
  public StoreHealth {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(untilExpiry, "untilExpiry");
  }

  /**
   * The finding that best explains a status other than UP: the worst finding.
   *
   * @return the finding, or empty when the store is UP or has no findings
   * @since 0.1.0
   */
  public Optional<Finding> cause() {
    return status == HealthStatus.UP ? Optional.empty() : report.findings().stream().findFirst();
  }

  /**
   * This store's entries of {@link HealthResult#details()}, each key prefixed with
   * {@code store:NAME.}: {@code status}, {@code verdict}, {@code codes} (comma-joined, possibly
   * empty), and when known {@code daysToExpiry} and {@code rootCause} (the code of
   * {@link #cause()}).
   *
   * @return String and Long values only, in a stable order
   * @since 0.1.0
   */
  public Map<String, Object> details() {
    String p = "store:" + store + ".";
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(p + "status", status.name());
    out.put(p + "verdict", report.verdict().name());
    untilExpiry.ifPresent(d -> out.put(p + "daysToExpiry", d.toDays()));
    out.put(p + "codes", report.findings().stream().map(f -> f.code().name())
        .distinct().collect(Collectors.joining(",")));
    cause().ifPresent(f -> out.put(p + "rootCause", f.code().name()));
    return out;
  }
}
