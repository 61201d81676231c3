package dev.tlsinspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetTest {

  @Test
  void of_dnsName_sendsItAsSni() {
    Target t = Target.of("API.Example.com.", 443);
    assertEquals("api.example.com", t.host());
    assertEquals(Optional.of("api.example.com"), t.sni());
    assertEquals(Optional.empty(), t.address());
  }

  @Test
  void of_ipLiteral_sendsNoSni() {
    assertEquals(Optional.empty(), Target.of("127.0.0.1", 8443).sni());
    assertEquals(Optional.empty(), Target.of("::1", 8443).sni());
    assertTrue(Target.of("::1", 8443).hostIsIpAddress());
  }

  @Test
  void parse_acceptsHostPortAndBracketedIpv6() {
    assertEquals(8443, Target.parse("localhost:8443").port());
    assertEquals(443, Target.parse("localhost").port());
    Target v6 = Target.parse("[::1]:9443");
    assertEquals("::1", v6.host());
    assertEquals(9443, v6.port());
    assertEquals("[::1]:9443", v6.toString());
  }

  @Test
  void idn_isConvertedToAscii() {
    assertEquals("xn--bcher-kva.example", Target.of("bücher.example", 443).host());
  }

  @Test
  void builder_overridesSniAndConnectAddress() {
    Target t = Target.builder("api.example.com", 443).sni("other.example").connectAddress("127.0.0.1").build();
    assertEquals(Optional.of("other.example"), t.sni());
    assertEquals(Optional.of("127.0.0.1"), t.address());
    assertEquals(Optional.empty(), Target.builder("api.example.com", 443).noSni().build().sni());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 65536, 70000})
  void badPort_isRejectedWithItsValue(int port) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Target.of("localhost", port));
    assertEquals("port must be between 1 and 65535, got " + port, e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "bad host", "a..b", "-lead.example", "127.0.0.300", "x:y:z:q"})
  void badHost_isRejectedWithAClearMessage(String host) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Target.of(host, 443));
    assertTrue(e.getMessage().startsWith("host "), e.getMessage());
  }

  @Test
  void parse_badPortText_isRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Target.parse("localhost:https"));
    assertTrue(e.getMessage().contains("'https'"));
  }

  @Test
  void sni_mustNotBeAnIpAddress() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Target.builder("localhost", 443).sni("127.1.2.3").build());
    assertTrue(e.getMessage().contains("RFC 6066"));
  }
}
