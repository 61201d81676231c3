package dev.tlsinspect.spring.boot.autoconfigure;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.tlsinspect.Report;
import dev.tlsinspect.health.HealthResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code tls} actuator endpoint: each target's last report, by target name, in the JSON shape
 * of the CLI's {@code --json} ({@code target}, {@code verdict}, {@code findings}, ...).
 * {@code /actuator/tls/NAME} is one target's report. Never starts an inspection.
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

  private final TlsInspections inspections;

  /**
   * An endpoint over the inspections.
   *
   * @param inspections the configured targets
   */
  public TlsInspectEndpoint(TlsInspections inspections) {
    this.inspections = Objects.requireNonNull(inspections, "inspections");
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
   * @param name the target's name
   * @return the report, or null (HTTP 404) when there is none
   */
  @ReadOperation
  public Map<String, Object> report(@Selector String name) {
    HealthResult result = inspections.lastResults().get(name);
    return result == null ? null : json(result);
  }

  private static Map<String, Object> json(HealthResult result) {
    Report report = result.targets().get(0).report();
    // A plain tree of maps, lists and scalars: written the same by whichever Jackson the actuator uses.
    return MAPPER.convertValue(report, MAP);
  }
}
