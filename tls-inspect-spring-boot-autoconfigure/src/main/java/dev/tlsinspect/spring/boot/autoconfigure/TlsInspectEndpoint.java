package dev.tlsinspect.spring.boot.autoconfigure;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.tlsinspect.Report;
import dev.tlsinspect.TlsDiagnostics;
import dev.tlsinspect.health.HealthResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code tls} actuator endpoint: each target's last report, by target name, in the JSON shape
 * of the CLI's {@code --json} ({@code target}, {@code verdict}, {@code findings}, ...).
 * {@code /actuator/tls/NAME} is one target's report. When the application has a {@link
 * TlsDiagnostics} bean (the failure-capture wrapper of its own {@code SSLContext}),
 * {@code /actuator/tls/captured-failures} lists its last captured handshake failures and counters.
 * Never starts an inspection.
 *
 * @since 0.1.0
 */
@Endpoint(id = "tls")
public final class TlsInspectEndpoint {
  // The CLI's settings: Optional and java.time as the documented shape, times as ISO-8601.
  private static final JsonMapper MAPPER = JsonMapper.builder()
      .addModule(new Jdk8Module())
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .build();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  /** The selector under which the captured failures are served; no target may take this name. */
  public static final String CAPTURED_FAILURES = "captured-failures";

  private final TlsInspections inspections;
  private final Optional<TlsDiagnostics> diagnostics;

  /**
   * An endpoint over the inspections.
   *
   * @param inspections the configured targets
   */
  public TlsInspectEndpoint(TlsInspections inspections) {
    this(inspections, Optional.empty());
  }

  /**
   * An endpoint over the inspections and the application's captured failures.
   *
   * @param inspections the configured targets
   * @param diagnostics the application's failure capture, if it has one
   */
  public TlsInspectEndpoint(TlsInspections inspections, Optional<TlsDiagnostics> diagnostics) {
    this.inspections = Objects.requireNonNull(inspections, "inspections");
    this.diagnostics = Objects.requireNonNull(diagnostics, "diagnostics");
  }

  /**
   * Every target's last report.
   *
   * @return the reports by target name; a target not yet inspected is absent
   */
  @ReadOperation
  public Map<String, Object> reports() {
    Map<String, Object> out = new LinkedHashMap<>();
    inspections.lastResults().forEach((name, result) -> out.put(name, json(result)));
    return out;
  }

  /**
   * One target's last report.
   *
   * @param name the target's name, or {@value #CAPTURED_FAILURES}
   * @return the report (or the captured failures), or null (HTTP 404) when there is none
   */
  @ReadOperation
  public Map<String, Object> report(@Selector String name) {
    if (CAPTURED_FAILURES.equals(name)) {
      return diagnostics.map(TlsInspectEndpoint::captured).orElse(null);
    }
    HealthResult result = inspections.lastResults().get(name);
    return result == null ? null : json(result);
  }

  private static Map<String, Object> captured(TlsDiagnostics diagnostics) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("stats", MAPPER.convertValue(diagnostics.stats(), MAP));
    out.put("failures", MAPPER.convertValue(diagnostics.recentFailures(),
        new TypeReference<java.util.List<Map<String, Object>>>() {}));
    return out;
  }

  private static Map<String, Object> json(HealthResult result) {
    Report report = result.targets().get(0).report();
    // A plain tree of maps, lists and scalars: written the same by whichever Jackson the actuator uses.
    return MAPPER.convertValue(report, MAP);
  }
}
