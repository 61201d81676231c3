package dev.tlsinspect.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlsinspect.Enumeration;
import dev.tlsinspect.policy.TlsPolicies;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.TlsVersion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The protocol rules of PolicyCheck on hand-built enumerations: what real servers rarely show. */
class PolicyRulesTest {
  private static final List<TlsVersion> TESTED = List.of(TlsVersion.SSL_3_0, TlsVersion.TLS_1_0,
      TlsVersion.TLS_1_1, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);

  private static Enumeration enumeration(Map<TlsVersion, List<CipherSuite>> suites, Map<TlsVersion, Boolean> order) {
    List<TlsVersion> accepted = TESTED.stream().filter(suites::containsKey).toList();
    return new Enumeration(TESTED, accepted, suites, order, 10, List.of());
  }

  @Test
  void nist_tls13WithoutTheMandatorySuite_isListedAsLacking() {
    Enumeration e = enumeration(Map.of(
        TlsVersion.TLS_1_3, List.of(CipherSuite.named("TLS_AES_256_GCM_SHA384")),
        TlsVersion.TLS_1_2, List.of(CipherSuite.of(0xC030))), Map.of());
    assertEquals(List.of("lacks TLS_AES_128_GCM_SHA256 with TLSv1.3 (required)"),
        PolicyCheck.protocolDeviations(TlsPolicies.NIST_SP800_52R2, e));
  }

  @Test
  void old_clientOrderWithTls12_isListed_butNotWithTls13() {
    Enumeration e = enumeration(Map.of(
        TlsVersion.TLS_1_3, List.of(CipherSuite.of(0x1301), CipherSuite.of(0x1302)),
        TlsVersion.TLS_1_2, List.of(CipherSuite.of(0xC02F), CipherSuite.of(0x002F))),
        Map.of(TlsVersion.TLS_1_3, false, TlsVersion.TLS_1_2, false));
    assertEquals(List.of("no server cipher order with TLSv1.2 (the policy wants it)"),
        PolicyCheck.protocolDeviations(TlsPolicies.MOZILLA_OLD, e));
  }

  @Test
  void everyDeviation_isListed_eachSuiteOnce() {
    CipherSuite rc4 = CipherSuite.named("TLS_RSA_WITH_RC4_128_SHA");
    Enumeration e = enumeration(Map.of(
        TlsVersion.SSL_3_0, List.of(rc4),
        TlsVersion.TLS_1_0, List.of(rc4, CipherSuite.of(0x002F)),
        TlsVersion.TLS_1_2, List.of(CipherSuite.of(0xC02F))), Map.of());
    assertEquals(List.of(
        "accepts SSLv3, the policy allows TLSv1.2, TLSv1.3",
        "accepts TLSv1, the policy allows TLSv1.2, TLSv1.3",
        "does not support TLSv1.3 (required)",
        "accepts TLS_RSA_WITH_RC4_128_SHA (not in the policy)",
        "accepts TLS_RSA_WITH_AES_128_CBC_SHA (not in the policy)"),
        PolicyCheck.protocolDeviations(TlsPolicies.MOZILLA_INTERMEDIATE, e));
  }
}
