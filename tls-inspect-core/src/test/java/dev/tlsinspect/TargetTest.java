package dev.tlsinspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

  // --- targets as users paste them (issue #11) and strict validation (issue #18) ---------------

  @ParameterizedTest
  @CsvSource({
      "https://api.example.com/, api.example.com, 443",
      "https://api.example.com:8443/health?x=1#top, api.example.com, 8443",
      "HTTPS://API.example.com, api.example.com, 443",
      "https://user:secret@api.example.com/, api.example.com, 443",
      "wss://ws.example.com/socket, ws.example.com, 443",
      "smtps://mail.example.com, mail.example.com, 465",
      "imaps://mail.example.com, mail.example.com, 993",
      "pop3s://mail.example.com, mail.example.com, 995",
      "ldaps://dir.example.com, dir.example.com, 636",
      "ftps://files.example.com, files.example.com, 990",
      "https://[2001:db8::1]:9443/x, 2001:db8::1, 9443",
      "https://[::1]/, ::1, 443",
      "example.com, example.com, 443",
      "example.com:8443, example.com, 8443",
      "'  example.com:8443  ', example.com, 8443",
      "[::1]:9443, ::1, 9443",
      "[2001:DB8::1], 2001:db8::1, 443",
      "2001:db8::1, 2001:db8::1, 443",
      "::ffff:192.0.2.1, ::ffff:192.0.2.1, 443",
      "fe80::1%eth0, fe80::1%eth0, 443",
      "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8, 443",
      "192.0.2.1:8443, 192.0.2.1, 8443",
      "bücher.example:8443, xn--bcher-kva.example, 8443",
      "https://bücher.example/, xn--bcher-kva.example, 443",
      "localhost:65535, localhost, 65535",
      "localhost:1, localhost, 1"
  })
  void parse_acceptsWhatUsersPaste(String text, String host, int port) {
    Target t = Target.parse(text);
    assertEquals(host, t.host());
    assertEquals(port, t.port());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "gopher://example.com/| unsupported scheme 'gopher://'",
      "http://example.com/| unsupported scheme 'http://'",
      "https:///path| no host in URL",
      "https://example.com:/| missing port after ':'",
      "example.com:| missing port after ':'",
      "example.com:https| port must be a number between 1 and 65535, got 'https'",
      "example.com:0| port must be between 1 and 65535, got 0",
      "example.com:65536| port must be between 1 and 65535, got 65536",
      "example.com:999999| port must be a number between 1 and 65535, got '999999'",
      "example.com:-1| port must be a number",
      "example.com:\u0664\u0664\u0663| port must be a number",
      "example.com:\uff14\uff14\uff13| port must be a number",
      "[::1| missing ']'",
      "[::1]8443| expected ':PORT' after ']'",
      "[example.com]:443| brackets are for IPv6 addresses only",
      ":::| not a valid IPv6 address",
      "1:2:3:4:5:6:7:8:9| not a valid IPv6 address",
      "1::2::3| not a valid IPv6 address",
      "12345::1| not a valid IPv6 address",
      "::g| not a valid IPv6 address",
      "::1.2.3.256| not a valid IPv6 address",
      "1.2.3.4.5| not a valid IPv4 address",
      "256.1.1.1| not a valid IPv4 address",
      "1.2.3| not a valid IPv4 address",
      "01.2.3.4| not a valid IPv4 address",
      "bad host| not a valid host name"
  })
  void parse_rejectsWithOneClearMessage(String text, String message) {
    String input = unescape(text);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Target.parse(input));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void parse_neverEchoesAUrlsPassword() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Target.parse("gopher://user:s3cret@example.com/"));
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
  }

  @Test
  void of_withHostAndPortInOneString_saysWhatWasWrong() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Target.of("example.com:443", 443));
    assertEquals("host 'example.com:443' contains ':' but is not an IPv6 address: give the port "
        + "separately, or use Target.parse for HOST:PORT", e.getMessage());
    IllegalArgumentException url = assertThrows(IllegalArgumentException.class,
        () -> Target.of("https://api.example.com/", 443));
    assertEquals("host 'https://api.example.com/' is a URL, not a host name: use Target.parse for URLs",
        url.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3.4.5", "256.1.1.1", "1.2.3", ":::", "1::2::3", "::1.2.3.4.5"})
  void of_rejectsWhatIsNeitherAnAddressNorAName(String host) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Target.of(host, 443));
    assertTrue(e.getMessage().startsWith("host is not a valid IPv"), e.getMessage());
  }

  @Test
  void of_keepsValidAddresses() {
    assertEquals("255.255.255.255", Target.of("255.255.255.255", 443).host());
    assertEquals("0.0.0.0", Target.of("0.0.0.0", 443).host());
    assertEquals("::", Target.of("::", 443).host());
    assertEquals("1::", Target.of("1::", 443).host());
    assertEquals("1:2:3:4:5:6::", Target.of("1:2:3:4:5:6::", 443).host());
    assertEquals("1:2:3:4:5:6:1.2.3.4", Target.of("1:2:3:4:5:6:1.2.3.4", 443).host());
  }

  /** CsvSource cannot hold raw non-ASCII digits readably: decodes backslash-u escapes. */
  private static String unescape(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (s.startsWith("\\u", i)) {
        sb.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
        i += 5;
      } else {
        sb.append(s.charAt(i));
      }
    }
    return sb.toString();
  }
}
