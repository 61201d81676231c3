package dev.tlsinspect.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 18: an observation keeps a bounded number of alerts, whatever a provider adds. */
class ObservationBoundsTest {

  @Test
  void aThousandAlerts_keepTheFirstAndTheLatest_andTheTraceCountsTheRest() {
    Observation.Builder b = Observation.builder("stub");
    for (int i = 0; i < 999; i++) {
      b.addAlert(Alert.of(true, false, i % 200));
    }
    b.addAlert(Alert.of(true, true, 40)); // the fatal one, last
    Observation o = b.build();

    assertEquals(Observation.MAX_ALERTS, o.alerts().size());
    assertEquals(0, o.alerts().get(0).description());
    assertEquals(Alert.of(true, true, 40), o.alerts().get(Observation.MAX_ALERTS - 1));
    TraceEvent last = o.trace().get(o.trace().size() - 1);
    assertEquals("alerts truncated", last.type());
    assertEquals(String.valueOf(1000 - Observation.MAX_ALERTS), last.fields().get("omitted"));
  }

  @Test
  void fewAlerts_areKeptAsAdded_withoutAMarker() {
    Observation o = Observation.builder("stub").addAlert(Alert.of(true, true, 40)).build();
    assertEquals(List.of(Alert.of(true, true, 40)), o.alerts());
    assertEquals(0, o.trace().size());
  }
}
