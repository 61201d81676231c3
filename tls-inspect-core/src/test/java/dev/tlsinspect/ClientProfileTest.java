package dev.tlsinspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.ClientPrediction.Mismatch;
import dev.tlsinspect.internal.protocol.LocalPolicy;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.NamedGroup;
import dev.tlsinspect.probe.TlsVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Profiles, predictions on hand-built enumerations, and the reading of disabledAlgorithms. */
class ClientProfileTest {
  private static final CipherSuite ECDHE_GCM = CipherSuite.named("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  private static final CipherSuite ECDHE_GCM256 = CipherSuite.named("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
  private static final CipherSuite RSA_CBC = CipherSuite.named("TLS_RSA_WITH_AES_128_CBC_SHA");
  private static final CipherSuite AES128 = CipherSuite.named("TLS_AES_128_GCM_SHA256");

  private static Enumeration server(Map<TlsVersion, List<CipherSuite>> suites, boolean serverOrder) {
    List<TlsVersion> accepted = suites.keySet().stream().sorted().toList();
    Map<TlsVersion, Boolean> order = new java.util.LinkedHashMap<>();
    suites.forEach((v, s) -> {
      if (s.size() > 1) {
        order.put(v, serverOrder);
      }
    });
    return new Enumeration(List.of(TlsVersion.SSL_3_0, TlsVersion.TLS_1_0, TlsVersion.TLS_1_1,
        TlsVersion.TLS_1_2, TlsVersion.TLS_1_3), accepted, suites, order, 10, List.of());
  }

  @Test
  void everyRequiredProfile_isBuiltIn_withSuitesTheRegistryKnows_andASource() {
    for (String name : List.of("java-7", "jdk-8", "jdk-11", "jdk-17", "jdk-21", "jdk-25", "android-7",
        "android-14", "openssl-1.0.2", "openssl-1.1.1", "openssl-3", "curl", "chrome", "firefox",
        "safari", "ie11-win7", "ie11-win81", "this-jvm")) {
      ClientProfile p = ClientProfiles.named(name).orElseThrow(() -> new AssertionError(name));
      assertEquals(name, p.name());
      assertFalse(p.versions().isEmpty(), name);
      assertFalse(p.cipherSuites().isEmpty(), name);
      assertFalse(p.source().isBlank(), name);
      p.cipherSuites().forEach(s -> assertNotEquals(CipherSuite.UNKNOWN_CODE, s.code(), name + " " + s));
    }
    assertEquals(ClientProfiles.names().size(), ClientProfiles.all().size());
    assertEquals("jdk-17", ClientProfiles.named("JDK-17").orElseThrow().name());
    assertTrue(ClientProfiles.named("netscape").isEmpty());
  }

  @Test
  void thisJvm_readsTheDefaultContext() throws Exception {
    ClientProfile jvm = ClientProfiles.thisJvm();
    javax.net.ssl.SSLParameters p = javax.net.ssl.SSLContext.getDefault().getDefaultSSLParameters();
    assertEquals(p.getCipherSuites().length - 1, jvm.cipherSuites().size(), "all but the SCSV");
    assertEquals(p.getCipherSuites()[0], jvm.cipherSuites().get(0).name());
    assertTrue(jvm.versions().contains(TlsVersion.TLS_1_2));
  }

  @Test
  void highestCommonVersion_andServerOrderWhenEnforced() {
    Enumeration e = server(Map.of(TlsVersion.TLS_1_2, List.of(ECDHE_GCM, ECDHE_GCM256, RSA_CBC)), true);
    ClientPrediction p = ClientPrediction.of(e, ClientProfiles.named("chrome").orElseThrow());
    assertTrue(p.compatible());
    assertEquals(Optional.of(TlsVersion.TLS_1_2), p.version());
    assertEquals(Optional.of(ECDHE_GCM), p.cipherSuite());
    // Firefox prefers AES-128 GCM as well; Safari prefers AES-256 GCM, which the server's order overrides.
    assertEquals(Optional.of(ECDHE_GCM), ClientPrediction.of(e, ClientProfiles.named("safari").orElseThrow()).cipherSuite());
  }

  @Test
  void clientOrder_whenTheServerLetsTheClientChoose() {
    Enumeration e = server(Map.of(TlsVersion.TLS_1_2, List.of(ECDHE_GCM, ECDHE_GCM256)), false);
    ClientPrediction p = ClientPrediction.of(e, ClientProfiles.named("safari").orElseThrow());
    assertEquals(Optional.of(ECDHE_GCM256), p.cipherSuite(), "Safari lists AES-256 GCM first");
  }

  @Test
  void tls13OnlyServer_isNoCommonVersion_forIe11AndJava7() {
    Enumeration e = server(Map.of(TlsVersion.TLS_1_3, List.of(AES128)), true);
    for (String old : List.of("ie11-win7", "ie11-win81", "java-7", "jdk-8")) {
      ClientPrediction p = ClientPrediction.of(e, ClientProfiles.named(old).orElseThrow());
      assertEquals(Optional.of(Mismatch.NO_COMMON_VERSION), p.mismatch(), old);
      assertTrue(p.reason().contains("TLSv1.3"), p.reason());
    }
    assertTrue(ClientPrediction.of(e, ClientProfiles.named("jdk-11").orElseThrow()).compatible());
  }

  @Test
  void staticRsaOnlyServer_isNoCommonCipher_forChromeOnTls13Less() {
    Enumeration e = server(Map.of(TlsVersion.TLS_1_2, List.of(CipherSuite.named("TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"))), true);
    ClientPrediction p = ClientPrediction.of(e, ClientProfiles.named("chrome").orElseThrow());
    assertEquals(Optional.of(Mismatch.NO_COMMON_CIPHER), p.mismatch());
    assertEquals(Optional.of(TlsVersion.TLS_1_2), p.version());
    assertTrue(ClientPrediction.of(e, ClientProfiles.named("openssl-1.0.2").orElseThrow()).compatible());
  }

  @Test
  void groups_andCertificateSize_whenKnown() {
    Enumeration e = server(Map.of(TlsVersion.TLS_1_3, List.of(AES128)), true);
    ClientProfile jdk17 = ClientProfiles.named("jdk-17").orElseThrow();
    ClientPrediction g = ClientPrediction.of(e, jdk17, List.of(NamedGroup.SECP384R1, NamedGroup.X25519), 0);
    assertEquals(Optional.of(NamedGroup.X25519), g.namedGroup(), "the client's first group the server has");
    assertEquals(Optional.of(Mismatch.NO_COMMON_GROUP),
        ClientPrediction.of(e, jdk17, List.of(NamedGroup.X25519_MLKEM768), 0).mismatch());
    assertEquals(Optional.of(Mismatch.CERTIFICATE_TOO_LARGE),
        ClientPrediction.of(e, jdk17, List.of(), 40_000).mismatch());
    assertTrue(ClientPrediction.of(e, ClientProfiles.named("chrome").orElseThrow(), List.of(), 40_000).compatible(),
        "no known limit");
  }

  @Test
  void disabledAlgorithms_matchesVersionsNamesPatternsAndComponents() {
    String p = "SSLv3, TLSv1, TLSv1.1, RC4, DES, MD5withRSA, DH keySize < 1024, 3DES_EDE_CBC, anon, "
        + "NULL, ECDH, TLS_RSA_*, rsa_pkcs1_sha1 usage HandshakeSignature";
    assertEquals("TLSv1", LocalPolicy.disabling(p, TlsVersion.TLS_1_0));
    assertEquals(null, LocalPolicy.disabling(p, TlsVersion.TLS_1_2));
    assertEquals("3DES_EDE_CBC", LocalPolicy.disabling(p, CipherSuite.of(0xC012)));
    assertEquals("RC4", LocalPolicy.disabling(p, CipherSuite.named("TLS_ECDHE_RSA_WITH_RC4_128_SHA")));
    assertEquals("DES", LocalPolicy.disabling(p, CipherSuite.named("TLS_DHE_RSA_WITH_DES_CBC_SHA")));
    assertEquals("anon", LocalPolicy.disabling(p, CipherSuite.named("TLS_DH_anon_WITH_AES_128_CBC_SHA")));
    assertEquals("NULL", LocalPolicy.disabling(p, CipherSuite.named("TLS_ECDHE_RSA_WITH_NULL_SHA")));
    assertEquals("ECDH", LocalPolicy.disabling(p, CipherSuite.named("TLS_ECDH_RSA_WITH_AES_128_CBC_SHA")));
    assertEquals("TLS_RSA_*", LocalPolicy.disabling(p, RSA_CBC));
    assertEquals(null, LocalPolicy.disabling(p, ECDHE_GCM), "ECDH is not ECDHE");
    assertEquals(null, LocalPolicy.disabling(p, AES128));
    assertEquals(null, LocalPolicy.disabling("DH keySize < 1024", CipherSuite.named("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256")));
  }

  @Test
  void obsoleteProfiles_sayWhy_andTheOthersAreInSupport() {
    Set<String> obsolete = Set.of("java-7", "android-7", "openssl-1.0.2", "ie11-win7", "ie11-win81");
    for (ClientProfile p : ClientProfiles.all()) {
      if (obsolete.contains(p.name())) {
        String why = p.obsolete().orElseThrow(() -> new AssertionError(p.name() + " is obsolete"));
        assertTrue(why.matches(".*(19|20)\\d\\d.*"), "the reason names when support ended: " + why);
      } else {
        assertEquals(java.util.Optional.empty(), p.obsolete(), p.name());
      }
    }
    InspectOptions all = InspectOptions.builder().clientProfiles(Set.of("ALL")).build();
    assertEquals(Set.of(ClientProfiles.ALL), all.clientProfiles());
  }

  @Test
  void options_selectProfilesByName_andRejectUnknownNames() {
    assertEquals(Set.of("this-jvm"), InspectOptions.defaults().clientProfiles());
    InspectOptions o = InspectOptions.builder().clientProfiles(Set.of("Chrome", "jdk-8")).build();
    assertEquals(Set.of("chrome", "jdk-8"), o.clientProfiles());
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
        () -> InspectOptions.builder().clientProfiles(Set.of("netscape")));
    assertTrue(x.getMessage().contains("jdk-17"), x.getMessage());
  }
}
