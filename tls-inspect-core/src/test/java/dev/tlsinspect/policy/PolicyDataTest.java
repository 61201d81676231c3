package dev.tlsinspect.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.TlsVersion;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The built-in policies hold the facts of their sources (Mozilla guidelines 6.0 and 5.8, NIST SP 800-52r2). */
class PolicyDataTest {

  @Test
  void names_areTheFourBuiltInPolicies_inAStableOrder() {
    assertEquals(List.of("mozilla-modern", "mozilla-intermediate", "mozilla-old", "nist-sp800-52r2"),
        List.copyOf(TlsPolicies.names()));
    assertSame(TlsPolicies.MOZILLA_INTERMEDIATE, TlsPolicies.named("mozilla-intermediate"));
    assertEquals(4, TlsPolicies.all().size());
  }

  @Test
  void mozillaPresets_canBePinnedByVersion() {
    assertSame(TlsPolicies.MOZILLA_MODERN_6_0, TlsPolicies.named("mozilla-modern-6.0"));
    assertSame(TlsPolicies.MOZILLA_INTERMEDIATE_6_0, TlsPolicies.named("mozilla-intermediate-6.0"));
    assertSame(TlsPolicies.MOZILLA_OLD_5_8, TlsPolicies.named("mozilla-old-5.8"));
    assertEquals("6.0", TlsPolicies.MOZILLA_MODERN_6_0.version());
    assertEquals("5.8", TlsPolicies.MOZILLA_OLD_5_8.version());
    // The unversioned names follow Mozilla; today they are these versions.
    assertSame(TlsPolicies.MOZILLA_MODERN, TlsPolicies.MOZILLA_MODERN_6_0);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> TlsPolicies.named("mozilla-modern-5.7"));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("mozilla-modern-6.0"), e.getMessage());
  }

  @Test
  void mozillaModern_isGuidelines60_tls13Only_ecdsa() {
    TlsPolicy p = TlsPolicies.MOZILLA_MODERN;
    assertEquals("6.0", p.version());
    assertEquals(List.of(TlsVersion.TLS_1_3), p.versions());
    assertEquals(List.of(), p.cipherSuites());
    assertEquals(3, p.tls13CipherSuites().size());
    assertEquals(List.of("EC"), p.certificateKeyTypes());
    assertEquals(Optional.of(Duration.ofDays(90)), p.maxCertificateLifespan());
    assertEquals("Mozilla modern (6.0)", p.toString());
  }

  @Test
  void mozillaIntermediate_isGuidelines60_sixEcdheAeadSuites_noDhe() {
    TlsPolicy p = TlsPolicies.MOZILLA_INTERMEDIATE;
    assertEquals("6.0", p.version());
    assertEquals(List.of(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3), p.versions());
    assertEquals(6, p.cipherSuites().size());
    assertTrue(p.cipherSuites().stream().allMatch(s -> s.name().startsWith("TLS_ECDHE_")), p::toString);
    assertTrue(p.allows(TlsVersion.TLS_1_2, CipherSuite.of(0xC02F)));
    assertFalse(p.allows(TlsVersion.TLS_1_2, CipherSuite.of(0x009E)), "DHE left in 5.8");
    assertFalse(p.allows(TlsVersion.TLS_1_3, CipherSuite.of(0xC02F)));
    assertEquals(2048, p.minRsaKeyBits());
    assertEquals(List.of("secp256r1", "secp384r1"), p.certificateCurves());
    assertEquals(List.of("SHA256withRSA", "SHA256withECDSA", "SHA384withECDSA", "SHA512withECDSA"),
        p.certificateSignatures());
    assertFalse(p.serverCipherOrder());
  }

  @Test
  void mozillaOld_isGuidelines58_theLastWithOld() {
    TlsPolicy p = TlsPolicies.MOZILLA_OLD;
    assertEquals("5.8", p.version());
    assertEquals(List.of(TlsVersion.TLS_1_0, TlsVersion.TLS_1_1, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3),
        p.versions());
    assertEquals(21, p.cipherSuites().size());
    assertTrue(p.allows(TlsVersion.TLS_1_0, CipherSuite.named("TLS_RSA_WITH_3DES_EDE_CBC_SHA")));
    assertEquals(List.of("RSA"), p.certificateKeyTypes());
    assertTrue(p.serverCipherOrder());
    assertEquals(List.of(), p.requiredVersions());
  }

  @Test
  void nist_requiresTls12And13_andListsSection331Suites() {
    TlsPolicy p = TlsPolicies.NIST_SP800_52R2;
    assertEquals(List.of(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3), p.requiredVersions());
    // Section 3.3.1.1 in full: 26 ECDHE/DHE-RSA suites, 6 DHE-DSS, 24 static DH/ECDH-certificate
    // suites and the 10 RSA key-transport suites allowed for transition.
    assertEquals(66, p.cipherSuites().size());
    assertTrue(p.cipherSuites().stream().allMatch(s -> s.name().contains("_WITH_AES_")), p.cipherSuites()::toString);
    assertTrue(p.allows(TlsVersion.TLS_1_2, CipherSuite.named("TLS_RSA_WITH_AES_128_GCM_SHA256")));
    assertTrue(p.allows(TlsVersion.TLS_1_2, CipherSuite.named("TLS_DHE_DSS_WITH_AES_256_GCM_SHA384")));
    assertTrue(p.allows(TlsVersion.TLS_1_2, CipherSuite.named("TLS_ECDH_RSA_WITH_AES_128_CBC_SHA")));
    assertFalse(p.allows(TlsVersion.TLS_1_2, CipherSuite.named("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")));
    assertFalse(p.allows(TlsVersion.TLS_1_2, CipherSuite.named("TLS_RSA_WITH_3DES_EDE_CBC_SHA")));
    assertFalse(p.allows(TlsVersion.TLS_1_2, CipherSuite.named("TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256")));
    assertFalse(p.allows(TlsVersion.TLS_1_3, CipherSuite.named("TLS_CHACHA20_POLY1305_SHA256")));
    assertEquals(List.of(CipherSuite.named("TLS_AES_128_GCM_SHA256")), p.requiredCipherSuites());
    assertEquals(Optional.empty(), p.maxCertificateLifespan());
  }

  @Test
  void everySuite_isAnIanaSuiteValidForItsVersions() {
    for (TlsPolicy p : TlsPolicies.all()) {
      for (CipherSuite s : p.cipherSuites()) {
        assertTrue(s.code() > 0 && s.code() < 0x1300 || s.code() >= 0x1400, p + " " + s);
      }
      for (CipherSuite s : p.tls13CipherSuites()) {
        assertEquals(0x13, s.code() >> 8, p + " " + s);
      }
    }
  }

  @Test
  void unknownName_isRejected_listingTheKnownNames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsPolicies.named("pci"));
    assertEquals("unknown policy 'pci': use one of mozilla-modern, mozilla-intermediate, mozilla-old, "
        + "nist-sp800-52r2 (or a pinned version: mozilla-modern-6.0, mozilla-intermediate-6.0, "
        + "mozilla-old-5.8)", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> InspectOptions.builder().policies(Set.of("mozilla-intermediate", "pci")));
  }

  @Test
  void inspectOptions_keepTheOrderGiven_andDefaultToNone() {
    assertEquals(Set.of(), InspectOptions.defaults().policies());
    Set<String> order = new LinkedHashSet<>(List.of("nist-sp800-52r2", "mozilla-old"));
    InspectOptions o = InspectOptions.builder().policies(order).build();
    assertEquals(List.of("nist-sp800-52r2", "mozilla-old"), List.copyOf(o.policies()));
    assertEquals(o.policies(), o.toBuilder().build().policies());
  }
}
