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

/** The named attacks on hand-built enumerations: each positive alone, and its near miss negative. */
class KnownAttacksCheckTest {
  private static final CheckHarness KNOWN_ATTACKS = CheckHarness.builtIn("known-attacks");
  private static final List<TlsVersion> TESTED = List.of(TlsVersion.SSL_2_0, TlsVersion.SSL_3_0,
      TlsVersion.TLS_1_0, TlsVersion.TLS_1_1, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
  private static final CipherSuite AES_CBC = CipherSuite.named("TLS_RSA_WITH_AES_128_CBC_SHA");
  private static final CipherSuite RC4 = CipherSuite.named("TLS_RSA_WITH_RC4_128_SHA");
  private static final CipherSuite ECDHE_GCM = CipherSuite.named("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  private static final CipherSuite TRIPLE_DES = CipherSuite.named("TLS_RSA_WITH_3DES_EDE_CBC_SHA");
  private static final CipherSuite EXPORT_RSA = CipherSuite.named("TLS_RSA_EXPORT_WITH_RC4_40_MD5");
  private static final CipherSuite EXPORT_DHE = CipherSuite.named("TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA");
  private static final CipherSuite DHE_GCM = CipherSuite.named("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");

  private static Enumeration accepting(TlsVersion v, CipherSuite... suites) {
    Map<TlsVersion, List<CipherSuite>> m = new LinkedHashMap<>();
    m.put(v, List.of(suites));
    return new Enumeration(TESTED, List.of(v), m, Map.of(), 8, List.of());
  }

  private static Enumeration withDh(int bits) {
    // Not a real group: the check reads only the size (WEAK_DH and its prime test are elsewhere).
    BigInteger p = BigInteger.ONE.shiftLeft(bits - 1).add(BigInteger.ONE);
    return new Enumeration(TESTED, List.of(TlsVersion.TLS_1_2), Map.of(TlsVersion.TLS_1_2, List.of(DHE_GCM)),
        Map.of(), List.of(), Optional.of(new DhParameters(p, BigInteger.TWO)), 8, List.of());
  }

  @Test
  void poodle_ssl3WithCbc_isHigh_andSsl3WithRc4Only_isNot() {
    KNOWN_ATTACKS.run(CheckContexts.builder().enumeration(accepting(TlsVersion.SSL_3_0, AES_CBC, RC4)))
        .hasCodes(Code.POODLE)
        .hasFinding(Code.POODLE).hasSeverity(Severity.HIGH).hasEvidence("cve", "CVE-2014-3566")
        .hasEvidence("cipherSuites", List.of("TLS_RSA_WITH_AES_128_CBC_SHA"));
    KNOWN_ATTACKS.run(CheckContexts.builder().enumeration(accepting(TlsVersion.SSL_3_0, RC4))).isFine();
  }

  @Test
  void beast_tls10WithCbc_isLow_andTls12WithCbc_isNot() {
    KNOWN_ATTACKS.run(CheckContexts.builder().enumeration(accepting(TlsVersion.TLS_1_0, AES_CBC)))
        .hasCodes(Code.BEAST)
        .hasFinding(Code.BEAST).hasSeverity(Severity.LOW).hasEvidence("cve", "CVE-2011-3389")
        .hasEvidence("version", "TLSv1");
    KNOWN_ATTACKS.run(CheckContexts.builder().enumeration(accepting(TlsVersion.TLS_1_2, AES_CBC))).isFine();
  }

  @Test
  void drown_sslv2Accepted_isCritical_andSsl2TestedButRefused_isNot() {
    Map<TlsVersion, List<CipherSuite>> m = new LinkedHashMap<>();
    m.put(TlsVersion.SSL_2_0, List.of());
    m.put(TlsVersion.TLS_1_2, List.of(ECDHE_GCM));
    Enumeration v2 = new Enumeration(TESTED, List.of(TlsVersion.SSL_2_0, TlsVersion.TLS_1_2), m, Map.of(), 8, List.of());
    KNOWN_ATTACKS.run(CheckContexts.builder().enumeration(v2))
        .hasCodes(Code.DROWN)
        .hasFinding(Code.DROWN).hasSeverity(Severity.CRITICAL).hasEvidence("cve", "CVE-2016-0800");
    KNOWN_ATTACKS.run(CheckContexts.builder().enumeration(accepting(TlsVersion.TLS_1_2, ECDHE_GCM))).isFine();
  }

  @Test
  void sweet32_tripleDes_isMedium() {
    KNOWN_ATTACKS.run(CheckContexts.builder().enumeration(accepting(TlsVersion.TLS_1_2, ECDHE_GCM, TRIPLE_DES)))
        .hasCodes(Code.SWEET32)
        .hasFinding(Code.SWEET32).hasSeverity(Severity.MEDIUM).hasEvidence("cve", "CVE-2016-2183")
        .hasEvidence("cipherSuites", List.of("TLS_RSA_WITH_3DES_EDE_CBC_SHA"))
        .hasEvidence("versions", List.of("TLSv1.2"));
  }

  @Test
  void freak_exportRsa_isHigh_butNotLogjam() {
    KNOWN_ATTACKS.run(CheckContexts.builder().enumeration(accepting(TlsVersion.TLS_1_0, EXPORT_RSA)))
        .hasCodes(Code.FREAK)
        .hasFinding(Code.FREAK).hasSeverity(Severity.HIGH).hasEvidence("cve", "CVE-2015-0204")
        .hasEvidence("cipherSuites", List.of("TLS_RSA_EXPORT_WITH_RC4_40_MD5"));
  }

  @Test
  void logjam_exportDhe_isHigh_withSweet32AndBeastForItsDes40Cbc() {
    KNOWN_ATTACKS.run(CheckContexts.builder().enumeration(accepting(TlsVersion.TLS_1_0, EXPORT_DHE)))
        .hasCodes(Code.BEAST, Code.SWEET32, Code.LOGJAM)
        .hasFinding(Code.LOGJAM).hasSeverity(Severity.HIGH).hasEvidence("cve", "CVE-2015-4000")
        .hasEvidence("bits", 512L).hasEvidence("bitsSource", "assumed");
  }

  private static Enumeration exportWithMeasuredGroup(int bits) {
    BigInteger p = BigInteger.ONE.shiftLeft(bits - 1).add(BigInteger.ONE);
    return new Enumeration(TESTED, List.of(TlsVersion.TLS_1_0), Map.of(TlsVersion.TLS_1_0, List.of(EXPORT_DHE)),
        Map.of(), List.of(), Optional.empty(), 9, List.of(), Optional.of(new DhParameters(p, BigInteger.TWO)));
  }

  @Test
  void logjam_exportDheWithAMeasuredGroup_isJudgedByItsSize() {
    KNOWN_ATTACKS.run(CheckContexts.builder().enumeration(exportWithMeasuredGroup(512)))
        .hasFinding(Code.LOGJAM).hasSeverity(Severity.HIGH).hasEvidence("bits", 512L)
        .hasEvidence("bitsSource", "measured").hasEvidence("group", "custom");
    KNOWN_ATTACKS.run(CheckContexts.builder().enumeration(exportWithMeasuredGroup(1024)))
        .hasFinding(Code.LOGJAM).hasSeverity(Severity.MEDIUM).hasEvidence("bits", 1024L)
        .hasEvidence("bitsSource", "measured");
    // A 2048-bit group leaves no Logjam; the 40-bit cipher is CIPHER_EXPORT's (another check).
    KNOWN_ATTACKS.run(CheckContexts.builder().enumeration(exportWithMeasuredGroup(2048)))
        .hasCodes(Code.BEAST, Code.SWEET32);
  }

  @Test
  void logjam_dhGroupOf1024Bits_isMedium_and2048_isFine() {
    KNOWN_ATTACKS.run(CheckContexts.builder().enumeration(withDh(1024)))
        .hasCodes(Code.LOGJAM)
        .hasFinding(Code.LOGJAM).hasSeverity(Severity.MEDIUM).hasEvidence("bits", 1024L)
        .hasEvidence("cipherSuites", List.of("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"));
    KNOWN_ATTACKS.run(CheckContexts.builder().enumeration(withDh(2048))).isFine();
  }

  @Test
  void noEnumeration_isSilent() {
    KNOWN_ATTACKS.run(CheckContexts.builder()).isNotApplicable();
  }
}
