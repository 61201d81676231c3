package dev.tlsinspect.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tlsinspect.Report;
import dev.tlsinspect.SafeText;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.TraceEvent;
import java.util.List;
import java.util.Map;

/**
 * {@code --trace}: the main probe's handshake as a timeline, in text or as the {@code "trace"}
 * key of the JSON report. Only with {@code --trace}, so that the default JSON stays small.
 */
final class Trace {
  private Trace() {}

  /** The trace of the report's main outcome (the first), empty when it has none. */
  static List<TraceEvent> main(Report report) {
    return report.outcomes().stream().findFirst().flatMap(ProbeOutcome::observation)
        .map(Observation::trace).orElse(List.of());
  }

  /** The timeline, one event a line: {@code   +0.412ms  -> ClientHello 517 B  suites=31, ...}. */
  static String render(Report report) {
    List<TraceEvent> events = main(report);
    // The main probe's own provider: with both engines the report names two (jsse+bc).
    String provider = report.outcomes().stream().findFirst().flatMap(ProbeOutcome::observation)
        .map(Observation::provider).orElse(report.provider());
    StringBuilder sb = new StringBuilder("Handshake trace (main probe, provider ")
        .append(provider).append("):\n");
    if (events.isEmpty()) {
      sb.append("  (no events recorded)\n");
    }
    for (TraceEvent e : events) {
      // Events quote the peer (names, alert texts, replies): made safe, one event a line.
      sb.append("  ").append(String.format("%-12s", e.time())).append(' ')
          .append(SafeText.of(e.describe(), 2048)).append('\n');
    }
    return sb.toString();
  }

  /** The events as JSON: {@code {"atMillis": 0.412, "direction": "SENT", "type": ..., "length": ..., "fields": {...}}}. */
  static ArrayNode json(Report report) {
    ArrayNode array = Json.mapper().createArrayNode();
    for (TraceEvent e : main(report)) {
      ObjectNode o = array.addObject();
      o.put("atMillis", Math.round(e.at().toNanos() / 1000.0) / 1000.0);
      o.put("direction", e.direction().name());
      o.put("type", e.type());
      o.put("length", e.length());
      ObjectNode fields = o.putObject("fields");
      for (Map.Entry<String, String> f : e.fields().entrySet()) {
        fields.put(f.getKey(), f.getValue());
      }
    }
    return array;
  }

  /** The JSON of a value with the trace added as the last key. */
  static String withTrace(Object value, Report report) {
    JsonNode tree = Json.mapper().valueToTree(value);
    if (tree instanceof ObjectNode o) {
      o.set("trace", json(report));
    }
    return Json.write(tree);
  }
}
