package dev.tlsinspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProxySpecTest {

  @Test
  void parse_httpWithCredentials_decodesThemAndHidesThem() {
    ProxySpec p = ProxySpec.parse("http://al%40ice:p%3Ass+w@Proxy.Internal:3128");
    assertEquals(ProxySpec.Type.HTTP, p.type());
    assertEquals("proxy.internal", p.host());
    assertEquals(3128, p.port());
    assertEquals("al@ice", p.credentials().orElseThrow().username());
    assertEquals("p:ss+w", p.credentials().orElseThrow().password());
    assertEquals("http://proxy.internal:3128", p.toString());
    assertFalse(p.credentials().orElseThrow().toString().contains("p:ss+w"));
  }

  @Test
  void parse_defaultsAndSchemes() {
    assertEquals(8080, ProxySpec.parse("http://127.0.0.1").port());
    assertEquals(1080, ProxySpec.parse("socks5://127.0.0.1").port());
    assertEquals(ProxySpec.Type.SOCKS5, ProxySpec.parse("SOCKS5H://127.0.0.1:9050").type());
    ProxySpec v6 = ProxySpec.parse("socks5://[::1]:1080");
    assertEquals("::1", v6.host());
    assertEquals("socks5://[::1]:1080", v6.toString());
    assertEquals(Optional.empty(), ProxySpec.parse("http://127.0.0.1:3128/").credentials());
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://u:hunter2@p:1", "ftp://u:hunter2@p:1", "u:hunter2@p:1", "http://u:hunter2@:1",
      "http://u:hunter2@p:1/x", "http://u:hunter2@p:99999", "http://u:hunter2@p:1?q", "http://u:hunter2@bad_host!:1",
      "http://u:hun%ter2@p:1"})
  void parse_rejectsBadUrls_withoutEchoingThePassword(String url) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProxySpec.parse(url));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertFalse(e.getMessage().contains("hun%ter2"), e.getMessage());
  }

  @Test
  void credentials_rejectLineBreaks_andSocksLimits() {
    assertThrows(IllegalArgumentException.class, () -> ProxySpec.http("p", 1).withCredentials("a\r\nX: y", "b"));
    assertThrows(IllegalArgumentException.class, () -> ProxySpec.socks5("p", 1).withCredentials("a", "b".repeat(256)));
  }

  @Test
  void json_leavesCredentialsOut() throws Exception {
    JsonMapper mapper = JsonMapper.builder().addModule(new Jdk8Module()).build();
    Target t = Target.builder("api.example.com", 443).starttls(Starttls.SMTP)
        .proxy(ProxySpec.parse("http://alice:hunter2@127.0.0.1:3128")).build();
    String json = mapper.writeValueAsString(t);
    assertFalse(json.contains("hunter2"), json);
    assertFalse(json.contains("alice"), json);
    assertTrue(json.contains("\"starttls\":\"SMTP\""), json);
    assertTrue(json.contains("\"proxy\":{\"type\":\"HTTP\",\"host\":\"127.0.0.1\",\"port\":3128}"), json);
    assertEquals("api.example.com:443", t.toString());
  }

  @Test
  void starttls_parse_isCaseInsensitive_andNamesTheChoices() {
    assertEquals(Starttls.SMTP, Starttls.parse(" Smtp "));
    assertEquals(Starttls.POSTGRES, Starttls.parse("postgresql"));
    assertEquals(587, Starttls.SMTP.defaultPort());
    assertEquals(5222, Starttls.XMPP.defaultPort());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Starttls.parse("gopher"));
    assertTrue(e.getMessage().contains("smtp, imap, pop3, ftp, ldap, postgres, mysql or xmpp"), e.getMessage());
  }
}
