package dev.tlsinspect.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code tls-inspect env}: the JVM's TLS environment, in text and JSON, passwords never shown. */
class EnvCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void envJson_printsTheJvmReport() throws Exception {
    MainTest.Run r = MainTest.run("env", "--json");
    assertEquals(0, r.status(), r.err());
    JsonNode env = JSON.readTree(r.out());
    assertEquals(System.getProperty("java.version"), env.get("java").get("version").asText());
    assertTrue(env.get("providers").size() > 0);
    assertTrue(env.get("trustStore").get("anchors").asInt() > 0, r.out());
    boolean tls13 = false;
    for (JsonNode p : env.get("defaultContext").get("enabledProtocols")) {
      tls13 |= p.asText().equals("TLSv1.3");
    }
    assertTrue(tls13, r.out());
    boolean disabled = false;
    for (JsonNode s : env.get("settings")) {
      disabled |= s.get("name").asText().equals("jdk.tls.disabledAlgorithms") && s.get("value").asText().contains("SSLv3");
    }
    assertTrue(disabled, r.out());
    assertTrue(env.get("fips").has("enabled"));
  }

  @Test
  void envText_isGrouped() {
    MainTest.Run r = MainTest.run("env");
    assertEquals(0, r.status(), r.err());
    for (String heading : List.of("Java", "Security providers (in order)", "Trust store (default TrustManagerFactory)",
        "Key store (client certificate)", "Algorithm policy", "Revocation and AIA", "Default SSLContext")) {
      assertTrue(r.out().lines().anyMatch(l -> l.equals(heading)), heading + " in\n" + r.out());
    }
    assertTrue(r.out().contains("jdk.tls.disabledAlgorithms"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("FIPS mode: ")), r.out());
  }

  @Test
  void envText_withAFipsProvider_saysWhatWillFail() {
    // The provider list goes through the seam; nothing is installed into this JVM.
    dev.tlsinspect.JvmTlsEnvironment env = dev.tlsinspect.JvmTlsEnvironment.current();
    List<dev.tlsinspect.JvmTlsEnvironment.SecurityProvider> providers = List.of(
        new dev.tlsinspect.JvmTlsEnvironment.SecurityProvider("SunPKCS11-NSS-FIPS", "17",
            "sun.security.pkcs11.SunPKCS11"));
    String text = Env.render(new dev.tlsinspect.JvmTlsEnvironment(env.java(), providers,
        dev.tlsinspect.JvmTlsEnvironment.Fips.of(providers), env.settings(), env.trustStore(),
        env.keyStore(), env.defaultContext()));
    assertTrue(text.contains("FIPS mode: yes\n"), text);
    assertTrue(text.contains("  With a FIPS provider, these will fail:\n"
        + "  - TLS 1.2 servers that do not negotiate Extended Master Secret (RFC 7627) fail"), text);
    assertTrue(text.contains("ChaCha20-Poly1305 suites are not FIPS-approved"), text);
    assertFalse(Env.render(env).contains("these will fail") && !env.fips().enabled(), "no FIPS, no prediction");
  }

  @Test
  void passwords_areNeverShown_onlyThatTheyAreSet() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(java.toString(),
        "-Djavax.net.ssl.trustStorePassword=secret123", "-Djavax.net.ssl.keyStorePassword=secret456",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "env", "--json");
    pb.redirectErrorStream(false);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM finished");
    String text = new String(out, UTF_8);
    assertEquals(0, p.exitValue(), new String(err, UTF_8));
    assertFalse(text.contains("secret123"), text);
    assertFalse(text.contains("secret456"), text);
    assertFalse(new String(err, UTF_8).contains("secret"));
    JsonNode env = JSON.readTree(text);
    assertTrue(env.get("trustStore").get("passwordSet").asBoolean(), text);
    assertTrue(env.get("keyStore").get("passwordSet").asBoolean(), text);
  }

  @Test
  void envWithAHost_isAUsageError() {
    MainTest.Run r = MainTest.run("localhost:1", "env");
    assertEquals(3, r.status());
    assertTrue(r.err().startsWith("tls-inspect: 'env' takes no HOST"), r.err());
  }
}
