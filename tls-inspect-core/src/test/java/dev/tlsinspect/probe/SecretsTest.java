package dev.tlsinspect.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tlsinspect.ProxySpec;
import dev.tlsinspect.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void authorizationHeaders_loseTheirValues() {
    assertEquals("sent Proxy-Authorization: [redacted]",
        Secrets.redact("sent Proxy-Authorization: Basic dXNlcjpwYXNz", List.of()));
    assertEquals("authorization=[redacted] | Host: x",
        Secrets.redact("authorization=Bearer eyJhbGciOi.x.y | Host: x", List.of()));
    assertEquals("AUTHORIZATION:[redacted]", Secrets.redact("AUTHORIZATION:Negotiate YIIx", List.of()));
  }

  @Test
  void urlUserinfo_isRemoved() {
    assertEquals("via http://[redacted]@proxy.test:3128/ and socks5://[redacted]@h:1",
        Secrets.redact("via http://bob:hunter2@proxy.test:3128/ and socks5://a:@h:1", List.of()));
    assertEquals("see https://example.test/path?q=1", Secrets.redact("see https://example.test/path?q=1", List.of()));
  }

  @Test
  void theTargetsOwnSecrets_areRemovedWhereverTheyStand() {
    Target t = Target.builder("service.test", 443)
        .proxy(ProxySpec.parse("http://svc:Winter2026!@127.0.0.1:3128")).build();
    List<String> secrets = Secrets.of(t);
    String echoed = "error: bad credentials c3ZjOldpbnRlcjIwMjYh (password Winter2026!)";
    String safe = Secrets.redact(echoed, secrets);
    assertEquals("error: bad credentials [redacted] (password [redacted])", safe);
    assertFalse(safe.contains("Winter2026!"));
  }

  @Test
  void aShortPassword_isNotReplacedAsAWord_butItsTokenIs() {
    Target t = Target.builder("service.test", 443)
        .proxy(ProxySpec.parse("http://u:abc@127.0.0.1:3128")).build();
    assertEquals("abcdef [redacted]", Secrets.redact("abcdef dTphYmM=", Secrets.of(t)));
  }

  @Test
  void noProxy_noSecrets() {
    assertEquals(List.of(), Secrets.of(Target.of("service.test", 443)));
    assertEquals("", Secrets.redact("", List.of("x")));
  }
}
