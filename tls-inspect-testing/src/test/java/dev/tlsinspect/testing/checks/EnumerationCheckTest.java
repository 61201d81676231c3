package dev.tlsinspect.testing.checks;

import dev.tlsinspect.Code;
import dev.tlsinspect.Enumeration;
import dev.tlsinspect.Severity;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.DhParameters;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.CheckContexts;
import dev.tlsinspect.testing.CheckHarness;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnumerationCheckTest {
  private static final CheckHarness VERSIONS_AND_SUITES = CheckHarness.builtIn("versions-and-suites");
  private static final List<TlsVersion> TESTED =
      List.of(TlsVersion.SSL_3_0, TlsVersion.TLS_1_0, TlsVersion.TLS_1_1, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
  private static final CipherSuite RSA_3DES = CipherSuite.named("TLS_RSA_WITH_3DES_EDE_CBC_SHA");
  private static final CipherSuite RSA_RC4 = CipherSuite.named("TLS_RSA_WITH_RC4_128_SHA");
  private static final CipherSuite ECDHE_GCM = CipherSuite.named("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  private static final CipherSuite AES_GCM_13 = CipherSuite.named("TLS_AES_128_GCM_SHA256");

  /** The enumeration keeps the map's order (oldest version first); Map.of has none. */
  private static Map<TlsVersion, List<CipherSuite>> ordered(TlsVersion v1, List<CipherSuite> s1,
      TlsVersion v2, List<CipherSuite> s2) {
    Map<TlsVersion, List<CipherSuite>> m = new LinkedHashMap<>();
    m.put(v1, s1);
    m.put(v2, s2);
    return m;
  }

  @Test
  void positive_legacyServer_reportsEachWeaknessOnce() {
    Enumeration legacy = new Enumeration(TESTED, List.of(TlsVersion.TLS_1_0, TlsVersion.TLS_1_2),
        ordered(TlsVersion.TLS_1_0, List.of(RSA_3DES), TlsVersion.TLS_1_2, List.of(RSA_3DES)),
        Map.of(), 12, List.of());
    VERSIONS_AND_SUITES.run(CheckContexts.builder().enumeration(legacy))
        .hasCodes(Code.PROTOCOL_TLS1_0, Code.TLS1_3_UNSUPPORTED, Code.CIPHER_3DES, Code.CIPHER_CBC,
            Code.NO_FORWARD_SECRECY)
        .hasFinding(Code.PROTOCOL_TLS1_0).hasSeverity(Severity.MEDIUM)
        .and().hasFinding(Code.CIPHER_3DES).hasSeverity(Severity.MEDIUM)
        .hasEvidence("cipherSuites", List.of("TLS_RSA_WITH_3DES_EDE_CBC_SHA"))
        .hasEvidence("versions", List.of("TLSv1", "TLSv1.2"))
        .and().hasFinding(Code.NO_FORWARD_SECRECY).hasSeverity(Severity.HIGH);
  }

  @Test
  void positive_sslv3WithRc4_andClientOrder() {
    Enumeration old = new Enumeration(TESTED, List.of(TlsVersion.SSL_3_0, TlsVersion.TLS_1_3),
        ordered(TlsVersion.SSL_3_0, List.of(RSA_RC4), TlsVersion.TLS_1_3, List.of(AES_GCM_13)),
        Map.of(TlsVersion.TLS_1_3, false), 12, List.of());
    VERSIONS_AND_SUITES.run(CheckContexts.builder().enumeration(old))
        .hasFinding(Code.PROTOCOL_SSL3).hasSeverity(Severity.CRITICAL)
        .and().hasFinding(Code.CIPHER_RC4).hasSeverity(Severity.HIGH)
        .and().hasFinding(Code.NO_FORWARD_SECRECY).hasSeverity(Severity.MEDIUM)
        .and().hasFinding(Code.NO_SERVER_CIPHER_ORDER).hasSeverity(Severity.INFO);
  }

  @Test
  void positive_smallNonPrimeDhGroup_isWeakDh_andDhParamsInsecure() {
    // 1024 bits and even: too small and not prime, without a slow prime search in the test.
    BigInteger notPrime = BigInteger.ONE.shiftLeft(1023).add(BigInteger.TWO);
    Enumeration dhe = new Enumeration(TESTED, List.of(TlsVersion.TLS_1_2),
        Map.of(TlsVersion.TLS_1_2, List.of(ECDHE_GCM)), Map.of(), List.of(),
        Optional.of(new DhParameters(notPrime, BigInteger.TWO)), 6, List.of());
    VERSIONS_AND_SUITES.run(CheckContexts.builder().enumeration(dhe))
        .hasFinding(Code.WEAK_DH).hasSeverity(Severity.HIGH).hasEvidence("bits", 1024L)
        .and().hasFinding(Code.DH_PARAMS_INSECURE).hasSeverity(Severity.HIGH).hasEvidence("problems");
  }

  private static Enumeration exportDhe(Optional<DhParameters> measured) {
    return new Enumeration(TESTED, List.of(TlsVersion.TLS_1_0),
        Map.of(TlsVersion.TLS_1_0, List.of(CipherSuite.named("TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA"))),
        Map.of(), List.of(), Optional.empty(), 9, List.of(), measured);
  }

  @Test
  void exportDhe_isWeakDh_measuredWhenTheGroupWasRead_elseAssumed512() {
    BigInteger p1024 = BigInteger.ONE.shiftLeft(1023).add(BigInteger.ONE);
    VERSIONS_AND_SUITES.run(CheckContexts.builder().enumeration(exportDhe(
            Optional.of(new DhParameters(p1024, BigInteger.TWO)))))
        .hasFinding(Code.WEAK_DH).hasSeverity(Severity.HIGH).hasEvidence("bits", 1024L)
        .hasEvidence("bitsSource", "measured").hasEvidence("group", "custom");
    VERSIONS_AND_SUITES.run(CheckContexts.builder().enumeration(exportDhe(Optional.empty())))
        .hasFinding(Code.WEAK_DH).hasSeverity(Severity.HIGH).hasEvidence("bits", 512L)
        .hasEvidence("bitsSource", "assumed");
    BigInteger p2048 = BigInteger.ONE.shiftLeft(2047).add(BigInteger.ONE);
    VERSIONS_AND_SUITES.run(CheckContexts.builder().enumeration(exportDhe(
            Optional.of(new DhParameters(p2048, BigInteger.TWO)))))
        .doesNotHaveFinding(Code.WEAK_DH).hasFinding(Code.CIPHER_EXPORT).hasSeverity(Severity.CRITICAL);
  }

  @Test
  void negative_modernServer_isFine() {
    Enumeration modern = new Enumeration(TESTED, List.of(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3),
        ordered(TlsVersion.TLS_1_2, List.of(ECDHE_GCM), TlsVersion.TLS_1_3, List.of(AES_GCM_13)),
        Map.of(), 12, List.of());
    VERSIONS_AND_SUITES.run(CheckContexts.builder().enumeration(modern)).isFine();
  }

  @Test
  void notApplicable_withoutAnEnumeration() {
    VERSIONS_AND_SUITES.run(CheckContexts.builder().version(TlsVersion.TLS_1_3)).isNotApplicable();
  }
}
