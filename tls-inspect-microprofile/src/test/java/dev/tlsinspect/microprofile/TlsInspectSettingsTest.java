package dev.tlsinspect.microprofile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Starttls;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TlsInspectSettingsTest {
  private static TlsInspectSettings read(Map<String, String> p) {
    return TlsInspectSettings.read(name -> Optional.ofNullable(p.get(name)));
  }

  @Test
  void defaults_andBothDurationForms() {
    TlsInspectSettings s = read(Map.of("tls-inspect.targets", "a.example:443, smtps://b.example",
        "tls-inspect.budget", "PT3S", "tls-inspect.refresh-interval", "2m"));
    assertEquals(2, s.targets().size());
    assertEquals("a.example:443", s.targets().get(0).toString());
    assertEquals(Duration.ofSeconds(3), s.budget());
    assertEquals(Duration.ofMinutes(2), s.refreshInterval());
    assertEquals(Duration.ofDays(30), s.expiryWarning());
    assertEquals(Duration.ofDays(7), s.criticalWindow());
    assertTrue(s.quick());
    assertTrue(s.enabled());
  }

  @Test
  void starttlsTargets_takeTheProtocolsPortUnlessOneIsGiven() {
    TlsInspectSettings s = read(Map.of("tls-inspect.targets",
        "smtp+starttls://mail.example.com, IMAP+starttls://imap.example.com:1143"));
    assertEquals("mail.example.com", s.targets().get(0).host());
    assertEquals(587, s.targets().get(0).port());
    assertEquals(Optional.of(Starttls.SMTP), s.targets().get(0).starttls());
    assertEquals(1143, s.targets().get(1).port());
    assertEquals(Optional.of(Starttls.IMAP), s.targets().get(1).starttls());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> read(Map.of(
        "tls-inspect.targets", "gopher+starttls://x.example"))).getMessage()
        .startsWith("tls-inspect.targets: invalid target 'gopher+starttls://x.example'"));
  }

  @Test
  void disabled_needsNoTarget() {
    assertFalse(read(Map.of("tls-inspect.enabled", "false")).enabled());
  }

  @Test
  void eachInvalidValue_isNamed() {
    assertEquals("tls-inspect.quick: expected true or false, got 'maybe'", assertThrows(
        IllegalArgumentException.class, () -> read(Map.of("tls-inspect.targets", "a:1",
            "tls-inspect.quick", "maybe"))).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> read(Map.of(
        "tls-inspect.targets", "a:1", "tls-inspect.expiry-warning", "1d",
        "tls-inspect.critical-window", "2d"))).getMessage()
        .startsWith("tls-inspect.critical-window"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> read(Map.of(
        "tls-inspect.targets", "a:1", "tls-inspect.budget", "-PT1S"))).getMessage()
        .startsWith("tls-inspect.budget must not be negative"));
  }
}
