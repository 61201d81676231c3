package dev.tlsinspect.health;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of one run of a {@link TlsHealthCheck}: the overall status (the worst of the
 * targets' and stores'), when the run started, and each target's and store's health.
 *
 * @param status the worst status of the targets and stores
 * @param checkedAt when the run started, by the health check's clock
 * @param targets one entry per target, in the order configured
 * @param stores one entry per local key or trust store, in the order configured
 * @since 0.1.0
 */
public record HealthResult(HealthStatus status, Instant checkedAt, List<TargetHealth> targets,
    List<StoreHealth> stores) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   */
  public HealthResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(checkedAt, "checkedAt");
    targets = List.copyOf(targets);
    stores = List.copyOf(stores);
  }

  /**
   * A result without stores.
   *
   * @param status the worst status of the targets
   * @param checkedAt when the run started
   * @param targets one entry per target
   * @since 0.1.0
   */
  public HealthResult(HealthStatus status, Instant checkedAt, List<TargetHealth> targets) {
    this(status, checkedAt, targets, List.of());
  }

  /**
   * A flat view for health frameworks: {@code checkedAt} (ISO-8601) and every target's
   * {@linkplain TargetHealth#details() entries}, for example
   * {@code api.example.com:443.status = "DOWN"}, {@code api.example.com:443.daysToExpiry = 5L},
   * {@code api.example.com:443.codes = "CERT_EXPIRING_SOON"}.
   *
   * @return an unmodifiable map whose values are only {@link String}, {@link Long} or
   *     {@link Boolean}
   * @since 0.1.0
   */
  public Map<String, Object> details() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("checkedAt", checkedAt.toString());
    for (TargetHealth t : targets) {
      out.putAll(t.details());
    }
    for (StoreHealth h : stores) {
      out.putAll(h.details());
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * One multi-line message naming each target that is not UP, with its cause's code, title and
   * fix; the text {@link TlsHealthCheck#requireHealthy()} throws.
   *
   * @return the message, its first line for example {@code TLS health DOWN: 1 of 3 target(s) DOWN};
   *     for an all-UP result that line alone
   * @since 0.1.0
   */
  public String message() {
    long worst = targets.stream().filter(t -> t.status() == status).count()
        + stores.stream().filter(t -> t.status() == status).count();
    StringBuilder sb = new StringBuilder("TLS health ").append(status).append(": ").append(worst)
        .append(" of ").append(targets.size() + stores.size()).append(" target(s) ").append(status);
    if (status == HealthStatus.UP) {
      return sb.toString();
    }
    for (TargetHealth t : targets) {
      if (t.status() == HealthStatus.UP) {
        continue;
      }
      sb.append("\n  ").append(t.target()).append(" ").append(t.status()).append(": ");
      t.cause().ifPresentOrElse(
          // Titles quote the peer (certificate names): this message lands in logs and exceptions.
          f -> sb.append(f.code().name()).append(" - ").append(dev.tlsinspect.SafeText.of(f.title(), 1024))
              .append(expiryNote(t))
              .append("\n    fix: ").append(f.remediation().isEmpty() ? "see " + f.code().name()
                  + " in the diagnosis catalogue" : dev.tlsinspect.SafeText.of(f.remediation(), 2048)),
          () -> sb.append("certificate expires soon").append(expiryNote(t))
              .append("\n    fix: Renew the certificate and deploy it."));
    }
    for (StoreHealth h : stores) {
      if (h.status() == HealthStatus.UP) {
        continue;
      }
      // A store's name is a path the operator chose; its findings quote certificate names.
      sb.append("\n  store ").append(dev.tlsinspect.SafeText.of(h.store(), 256)).append(" ")
          .append(h.status()).append(": ");
      h.cause().ifPresentOrElse(
          f -> sb.append(f.code().name()).append(" - ").append(dev.tlsinspect.SafeText.of(f.title(), 1024))
              .append("\n    fix: ").append(dev.tlsinspect.SafeText.of(f.remediation(), 2048)),
          () -> sb.append("client certificate expires soon")
              .append("\n    fix: Renew the certificate and deploy the new store."));
    }
    return sb.toString();
  }

  private static String expiryNote(TargetHealth t) {
    return t.daysToExpiry().isPresent() && t.daysToExpiry().getAsLong() >= 0
        && t.report().verdict() != dev.tlsinspect.Verdict.FAIL
        ? " (leaf expires in " + t.daysToExpiry().getAsLong() + " days)" : "";
  }
}
