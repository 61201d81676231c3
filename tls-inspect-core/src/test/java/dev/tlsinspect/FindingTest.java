package dev.tlsinspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FindingTest {

  @Test
  void builder_takesSeverityAndTitleFromTheCatalogue() {
    Finding f = Finding.builder(Code.CERT_EXPIRING_SOON).build();
    assertEquals(Severity.MEDIUM, f.severity());
    assertEquals("The leaf (or a chain certificate) expires within the warning window (default 30 days)", f.title());
    assertFalse(f.rootCause());
  }

  @Test
  void customCode_defaultsToMedium() {
    Finding f = Finding.builder(Code.of("ACME_PINNED_KEY_CHANGED")).build();
    assertEquals(Severity.MEDIUM, f.severity());
    assertEquals("ACME_PINNED_KEY_CHANGED", f.title());
  }

  @Test
  void evidence_isTypedAndOrdered() {
    Instant when = Instant.parse("2026-01-01T00:00:00Z");
    Finding f = Finding.builder(Code.CERT_EXPIRED)
        .evidence("days", 3).evidence("when", when).evidence("names", List.of("a", "b"))
        .evidence("ok", true).build();
    assertEquals(List.of("days", "when", "names", "ok"), List.copyOf(f.evidence().keySet()));
    assertEquals(3L, f.evidence().get("days"));
    assertEquals(when, f.evidence().get("when"));
    assertEquals(List.of("a", "b"), f.evidence().get("names"));
    assertThrows(UnsupportedOperationException.class, () -> f.evidence().put("x", "y"));
  }

  @Test
  void evidence_rejectsUnsupportedTypes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Finding.builder(Code.CERT_EXPIRED).evidence("map", Map.of()));
    assertEquals("evidence 'map' has unsupported type java.util.ImmutableCollections$MapN", e.getMessage());
  }

  @Test
  void code_isValidated() {
    assertThrows(IllegalArgumentException.class, () -> Code.of("lower_case"));
    assertThrows(IllegalArgumentException.class, () -> Code.of("1ABC"));
    assertEquals("ACME_X", Code.of("ACME_X").toString());
  }

  @Test
  void verdict_followsTheRule() {
    Finding info = Finding.builder(Code.OCSP_STAPLING_MISSING).build();
    Finding low = Finding.builder(Code.CHAIN_ORDER).build();
    Finding high = Finding.builder(Code.WEAK_KEY).build();
    Finding rootCauseLow = Finding.builder(Code.CHAIN_ORDER).rootCause(true).build();
    assertEquals(Verdict.PASS, Verdict.of(List.of()));
    assertEquals(Verdict.PASS, Verdict.of(List.of(info)));
    assertEquals(Verdict.WARN, Verdict.of(List.of(info, low)));
    assertEquals(Verdict.FAIL, Verdict.of(List.of(low, high)));
    assertEquals(Verdict.FAIL, Verdict.of(List.of(rootCauseLow)));
  }

  @Test
  void catalogue_hasEveryCodeConstantOnce() throws Exception {
    long constants = java.util.Arrays.stream(Code.class.getFields())
        .filter(fld -> fld.getType() == Code.class).count();
    assertEquals(constants, Diagnoses.all().size());
    for (Diagnoses.Diagnosis d : Diagnoses.all()) {
      assertEquals(d.code(), Code.class.getField(d.code().name()).get(null));
    }
    assertEquals(Severity.CRITICAL, Diagnoses.find(Code.CERT_EXPIRED).orElseThrow().defaultSeverity());
    assertEquals(Severity.HIGH, Diagnoses.find(Code.NO_FORWARD_SECRECY).orElseThrow().defaultSeverity());
  }
}
