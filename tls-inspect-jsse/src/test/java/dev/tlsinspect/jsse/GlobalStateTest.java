package dev.tlsinspect.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.security.Provider;
import java.security.Security;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** Inspections leave the JVM as they found it: properties, providers, default SSL objects. */
class GlobalStateTest {
  private static final List<String> SECURITY_KEYS = List.of("jdk.tls.disabledAlgorithms",
      "jdk.certpath.disabledAlgorithms", "jdk.tls.legacyAlgorithms", "jdk.tls.keyLimits",
      "jdk.security.caDistrustPolicies", "ocsp.enable", "keystore.type", "securerandom.source",
      "ssl.KeyManagerFactory.algorithm", "ssl.TrustManagerFactory.algorithm", "jdk.tls.alpnCharset",
      "jdk.tls.namedGroups", "jdk.tls.client.protocols");

  private static Map<String, Object> snapshot() throws Exception {
    Map<String, Object> s = new TreeMap<>();
    Map<String, String> system = new HashMap<>();
    System.getProperties().forEach((k, v) -> system.put(String.valueOf(k), String.valueOf(v)));
    s.put("system", system);
    Map<String, String> security = new HashMap<>();
    for (String key : SECURITY_KEYS) {
      security.put(key, String.valueOf(Security.getProperty(key)));
    }
    s.put("security", security);
    s.put("providers", Arrays.stream(Security.getProviders()).map(Provider::getName).toList());
    s.put("defaultContext", System.identityHashCode(SSLContext.getDefault()));
    s.put("defaultSocketFactory", System.identityHashCode(HttpsURLConnection.getDefaultSSLSocketFactory()));
    s.put("defaultVerifier", System.identityHashCode(HttpsURLConnection.getDefaultHostnameVerifier()));
    return s;
  }

  @Test
  void inspections_changeNoJvmGlobalState() throws Exception {
    // The JDK records user.timezone the first time anything asks for the default time zone (X.509
    // date parsing does); that is the JDK's lazy initialisation, not a setting, so do it up front.
    java.util.TimeZone.getDefault();
    SSLContext defaultBefore = SSLContext.getDefault();
    Map<String, Object> before = snapshot();

    IssuedCertificate root = CertificateBuilder.root("Global State Root").build();
    IssuedCertificate good = CertificateBuilder.leaf("localhost").issuedBy(root)
        .crlUrl("http://127.0.0.1:9/ca.crl").build();
    IssuedCertificate expired = CertificateBuilder.leaf("localhost").issuedBy(root).expired().build();
    TlsInspector inspector = TlsInspector.builder().probe(new JsseProbe())
        .options(InspectOptions.builder().timeout(Duration.ofSeconds(3))
            .trust(TrustMaterial.certificates(List.of(root.certificate()))).build())
        .build();
    try (TlsServer ok = TlsServer.builder().certificate(good).start();
        TlsServer bad = TlsServer.builder().certificate(expired).start();
        FakePeer http = FakePeer.http()) {
      assertEquals(Verdict.PASS, inspector.inspect(local(ok.port())).verdict());
      assertEquals(Verdict.FAIL, inspector.inspect(local(bad.port())).verdict());
      assertEquals(Verdict.FAIL, inspector.inspect(local(http.port())).verdict());
      assertEquals(Verdict.FAIL, inspector.inspect(local(FakePeer.closedPort())).verdict());
      // and with the JVM default trust store
      assertEquals(Verdict.FAIL, TlsInspector.create().inspect(local(ok.port())).verdict());
    }

    Map<String, Object> after = snapshot();
    for (String key : before.keySet()) {
      if (before.get(key) instanceof Map<?, ?> b && after.get(key) instanceof Map<?, ?> a) {
        Map<Object, Object> diff = new TreeMap<>();
        b.forEach((k, v) -> {
          if (!v.equals(a.get(k))) {
            diff.put(k, v + " -> " + a.get(k));
          }
        });
        a.forEach((k, v) -> {
          if (!b.containsKey(k)) {
            diff.put(k, "(absent) -> " + v);
          }
        });
        assertEquals(Map.of(), diff, key + " changed");
      } else {
        assertEquals(before.get(key), after.get(key), key + " changed");
      }
    }
    assertSame(defaultBefore, SSLContext.getDefault());
  }

  private static Target local(int port) {
    return Target.builder("localhost", port).connectAddress("127.0.0.1").build();
  }
}
