package dev.tlsinspect.spring.boot.autoconfigure;

import dev.tlsinspect.Finding;
import dev.tlsinspect.health.HealthResult;
import dev.tlsinspect.health.HealthStatus;
import dev.tlsinspect.health.TargetHealth;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * One target's health, read from its last inspection. Statuses as Boot's own SSL health: a
 * certificate was seen but the target is DOWN (invalid, expired, expiring within the critical
 * window, untrusted) is OUT_OF_SERVICE; no certificate seen (refused, timed out, no TLS) is DOWN;
 * DEGRADED (expiring within the warning window, WARN findings) stays UP with
 * {@code tlsStatus=DEGRADED}.
 */
final class TargetHealthIndicator implements HealthIndicator {
  private final TlsInspections inspections;
  private final String name;

  TargetHealthIndicator(TlsInspections inspections, String name) {
    this.inspections = inspections;
    this.name = name;
  }

  @Override
  public Health health() {
    HealthResult result = inspections.result(name).orElseThrow();
    TargetHealth t = result.targets().get(0);
    return Health.status(status(t)).withDetails(details(t, result)).build();
  }

  static Status status(TargetHealth t) {
    if (t.status() != HealthStatus.DOWN) {
      return Status.UP;
    }
    return t.report().certificateChain().isEmpty() ? Status.DOWN : Status.OUT_OF_SERVICE;
  }

  /** The core's flat details without their {@code host:port.} prefix, the cause nested. */
  static Map<String, Object> details(TargetHealth t, HealthResult result) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("target", t.target().toString());
    String prefix = t.target() + ".";
    t.details().forEach((key, value) -> {
      String k = key.startsWith(prefix) ? key.substring(prefix.length()) : key;
      if (k.equals("status")) {
        out.put("tlsStatus", value);
      } else if (k.equals("codes")) {
        out.put("codes", value.toString().isEmpty() ? java.util.List.of()
            : java.util.List.of(value.toString().split(",")));
      } else if (!k.equals("rootCause")) {
        out.put(k, value);
      }
    });
    t.cause().ifPresent(f -> out.put("cause", cause(f)));
    out.put("checkedAt", result.checkedAt().toString());
    return out;
  }

  private static Map<String, Object> cause(Finding f) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("code", f.code().name());
    out.put("severity", f.severity().name());
    out.put("title", f.title());
    out.put("remediation", f.remediation());
    return out;
  }
}
