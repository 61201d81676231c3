package dev.tlsinspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.JvmTlsEnvironment.Fips;
import dev.tlsinspect.JvmTlsEnvironment.SecurityProvider;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The FIPS view of a provider list, given through the seam ({@link Fips#of(List)}), never by
 * installing a provider: a FIPS provider means TLS 1.2 servers without Extended Master Secret and
 * some suites will fail, and the view says which.
 */
class FipsViewTest {
  private static final SecurityProvider SUN = new SecurityProvider("SUN", "17", "sun.security.provider.Sun");
  private static final SecurityProvider SUNJSSE =
      new SecurityProvider("SunJSSE", "17", "com.sun.net.ssl.internal.ssl.Provider");

  private static void assertNamesWhatFails(Fips fips) {
    assertTrue(fips.enabled(), fips::toString);
    String all = String.join("\n", fips.expectedFailures());
    assertTrue(all.contains("TLS 1.2 servers that do not negotiate Extended Master Secret (RFC 7627) fail"), all);
    for (String suite : List.of("TLS_CHACHA20_POLY1305_SHA256", "TLS_RSA_WITH_", "3DES", "X25519")) {
      assertTrue(all.contains(suite), suite + " in\n" + all);
    }
  }

  @Test
  void redHatNssFips_inTheList_namesWhatWillFail() {
    List<String> before = Arrays.stream(Security.getProviders()).map(Provider::getName).toList();
    Fips fips = Fips.of(List.of(new SecurityProvider("SunPKCS11-NSS-FIPS", "17",
        "sun.security.pkcs11.SunPKCS11"), SUN, SUNJSSE));
    assertNamesWhatFails(fips);
    assertTrue(fips.evidence().contains("security provider SunPKCS11-NSS-FIPS is installed"),
        () -> String.valueOf(fips.evidence()));
    assertEquals(before, Arrays.stream(Security.getProviders()).map(Provider::getName).toList());
  }

  @Test
  void bouncyCastleFips_byNameOrByClass_namesWhatWillFail() {
    assertNamesWhatFails(Fips.of(List.of(new SecurityProvider("BCFIPS", "2.0",
        "org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider"), SUNJSSE)));
    Fips byClass = Fips.of(List.of(new SecurityProvider("BC", "2.0",
        "org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider")));
    assertNamesWhatFails(byClass);
    assertTrue(byClass.evidence().get(0).contains("BouncyCastleFipsProvider"), byClass::toString);
  }

  @Test
  void noFipsProvider_predictsNothing() {
    Fips fips = Fips.of(List.of(SUN, SUNJSSE));
    assertFalse(fips.enabled());
    assertEquals(List.of(), fips.expectedFailures());
    assertEquals("no security provider with FIPS in its name", fips.evidence().get(0));
  }
}
