package dev.tlsinspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.internal.registry.JvmSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** The JVM environment report reads what this JVM has, and changes nothing while reading it. */
class JvmTlsEnvironmentTest {

  @Test
  void readsThisJvm() throws Exception {
    JvmTlsEnvironment env = JvmTlsEnvironment.current();
    assertEquals(System.getProperty("java.version"), env.java().version());
    assertEquals(System.getProperty("java.vendor"), env.java().vendor());
    assertEquals(Arrays.stream(Security.getProviders()).map(Provider::getName).toList(),
        env.providers().stream().map(JvmTlsEnvironment.SecurityProvider::name).toList());
    assertTrue(env.providers().stream().anyMatch(p -> p.name().equals("SunJSSE")), env.providers()::toString);

    assertTrue(env.defaultContext().error().isEmpty(), env.defaultContext()::toString);
    assertTrue(env.defaultContext().enabledProtocols().contains("TLSv1.3"), env.defaultContext()::toString);
    assertEquals(List.of(SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites()),
        env.defaultContext().enabledCipherSuites());
    assertTrue(env.defaultContext().supportedCipherSuites().containsAll(env.defaultContext().enabledCipherSuites()));

    JvmTlsEnvironment.TrustStore ts = env.trustStore();
    if (System.getProperty("javax.net.ssl.trustStore") == null) {
      assertTrue(ts.source().equals("cacerts") || ts.source().equals("jssecacerts"), ts::toString);
      assertTrue(ts.path().startsWith(System.getProperty("java.home")), ts::toString);
    }
    assertTrue(ts.exists() && Files.isRegularFile(Path.of(ts.path())), ts::toString);
    assertTrue(ts.anchors().orElse(0) > 0, ts::toString);
    assertTrue(ts.error().isEmpty(), ts::toString);

    String disabled = Security.getProperty("jdk.tls.disabledAlgorithms");
    assertEquals(Optional.ofNullable(disabled).map(v -> v.replaceAll("\\s+", " ").trim()),
        env.setting("jdk.tls.disabledAlgorithms"));
    assertTrue(env.setting("jdk.tls.disabledAlgorithms").orElse("").contains("SSLv3"));
    assertEquals(JvmSettings.ALL.size(), env.settings().size());
    assertEquals(env.fips().enabled(), env.providers().stream()
        .anyMatch(p -> p.name().toUpperCase(java.util.Locale.ROOT).contains("FIPS")));
    assertFalse(env.fips().evidence().isEmpty());
  }

  @Test
  void computingTheEnvironment_changesNoJvmGlobalState() throws Exception {
    java.util.TimeZone.getDefault();
    SSLContext defaultBefore = SSLContext.getDefault();
    Map<String, String> before = snapshot();
    JvmTlsEnvironment.current();
    JvmTlsEnvironment.current();
    assertEquals(before, snapshot());
    assertSame(defaultBefore, SSLContext.getDefault());
  }

  private static Map<String, String> snapshot() {
    Map<String, String> s = new TreeMap<>();
    System.getProperties().forEach((k, v) -> s.put("system " + k, String.valueOf(v)));
    for (JvmSettings.Known k : JvmSettings.ALL) {
      s.put("security " + k.name(), String.valueOf(Security.getProperty(k.name())));
    }
    s.put("providers", Arrays.stream(Security.getProviders()).map(Provider::getName).toList().toString());
    return s;
  }
}
