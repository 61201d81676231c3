package dev.tlsinspect.internal.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostnameMatcherTest {

  @ParameterizedTest
  @CsvSource({
      "api.example.com, api.example.com, true",
      "API.example.COM, api.example.com., true",
      "*.example.com, api.example.com, true",
      "*.example.com, a.b.example.com, false",
      "*.example.com, example.com, false",
      "*.com, example.com, false",
      "api.*.com, api.example.com, false",
      "f*.example.com, foo.example.com, false",
      "*.bücher.example, www.xn--bcher-kva.example, true",
      "example.com, other.com, false",
  })
  void dnsNames(String pattern, String host, boolean expected) {
    assertEquals(expected, HostnameMatcher.matchesDns(pattern, host));
  }

  @ParameterizedTest
  @CsvSource({
      "*.com, example.com, true",
      "*.COM., Example.com, true",
      "*.com, a.example.com, false",
      "*.com, com, false",
      "*.example.com, api.example.com, false",
      "example.com, example.com, false",
      "*.*, example.com, false",
  })
  void wildcardOverTopLevelDomain(String pattern, String host, boolean expected) {
    assertEquals(expected, HostnameMatcher.wildcardOverTopLevelDomain(pattern, host));
  }

  @ParameterizedTest
  @CsvSource({
      "127.0.0.1, 127.0.0.1, true",
      "::1, 0:0:0:0:0:0:0:1, true",
      "127.0.0.2, 127.0.0.1, false",
      "localhost, 127.0.0.1, false",
  })
  void ipAddresses(String san, String host, boolean expected) {
    assertEquals(expected, HostnameMatcher.matchesIp(san, host));
  }
}
