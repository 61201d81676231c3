package dev.tlsinspect.testing.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlsinspect.Code;
import dev.tlsinspect.Severity;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.CheckContexts;
import dev.tlsinspect.testing.CheckHarness;
import dev.tlsinspect.testing.IssuedCertificate;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateProfileCheckTest {
  private static final CheckHarness PROFILE = CheckHarness.builtIn("certificate-profile");
  private static final IssuedCertificate ROOT = CertificateBuilder.root("Profile Test Root").build();
  private static final String SAN = "2.5.29.17";
  private static final String NAME_CONSTRAINTS = "2.5.29.30";
  private static final int KEY_CERT_SIGN = 1 << 2; // BC KeyUsage.keyCertSign
  private static final int DIGITAL_SIGNATURE = 1 << 7;

  private static CheckContexts.Builder serving(IssuedCertificate leaf) {
    return CheckContexts.builder().target("service.test", 443).chain(leaf).trust(ROOT);
  }

  private static List<String> rules(String... rules) {
    return List.of(rules);
  }

  @Test
  void positive_negativeSerial_isHigh_becauseGoRefusesIt() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT)
        .serial(BigInteger.valueOf(-4242)).build();
    PROFILE.run(serving(leaf)).hasCodes(Code.CERT_PROFILE_SERIAL)
        .hasFinding(Code.CERT_PROFILE_SERIAL).hasSeverity(Severity.HIGH)
        .hasEvidence("rules", rules("serial-negative"))
        .hasEvidence("violations", List.of("0:serial-negative"))
        .detailContains("x509: negative serial number");
  }

  @Test
  void positive_zeroAndOverlongSerials_areMedium() {
    IssuedCertificate zero = CertificateBuilder.leaf("service.test").issuedBy(ROOT)
        .serial(BigInteger.ZERO).build();
    PROFILE.run(serving(zero)).hasFinding(Code.CERT_PROFILE_SERIAL).hasSeverity(Severity.MEDIUM)
        .hasEvidence("rules", rules("serial-zero"));
    IssuedCertificate longSerial = CertificateBuilder.leaf("service.test").issuedBy(ROOT)
        .serial(BigInteger.ONE.shiftLeft(167)).build(); // 168 bits + sign = 22 octets
    PROFILE.run(serving(longSerial)).hasFinding(Code.CERT_PROFILE_SERIAL).hasSeverity(Severity.MEDIUM)
        .hasEvidence("rules", rules("serial-too-long")).detailContains("22 octets");
  }

  @Test
  void positive_underscoreInDnsName_isNamesSyntax() {
    IssuedCertificate leaf = CertificateBuilder.leaf("My Service").issuedBy(ROOT).noSubjectAltName()
        .extension(SAN, false, sequence(tagged(0x82, "service_a.test"))).build();
    PROFILE.run(serving(leaf)).hasCodes(Code.CERT_PROFILE_NAMES)
        .hasFinding(Code.CERT_PROFILE_NAMES).hasSeverity(Severity.MEDIUM)
        .hasEvidence("rules", rules("dns-name-syntax")).detailContains("contains an underscore");
  }

  @Test
  void positive_wildcardDirectlyAboveAPublicSuffix_isHigh_becauseChromeRefusesIt() {
    IssuedCertificate leaf = CertificateBuilder.leaf("*.co.uk").issuedBy(ROOT).dnsNames("*.co.uk").build();
    PROFILE.run(serving(leaf)).hasCodes(Code.CERT_PROFILE_NAMES)
        .hasFinding(Code.CERT_PROFILE_NAMES).hasSeverity(Severity.HIGH)
        .hasEvidence("rules", rules("wildcard-over-public-suffix"))
        .hasEvidence("violations", List.of("0:wildcard-over-public-suffix"))
        .detailContains("'co.uk', a public suffix").detailContains("Chrome");
  }

  @Test
  void positive_wildcardAboveAnUnknownTopLevelDomain_isHigh() {
    IssuedCertificate leaf = CertificateBuilder.leaf("*.corp").issuedBy(ROOT).dnsNames("*.corp").build();
    PROFILE.run(serving(leaf)).hasFinding(Code.CERT_PROFILE_NAMES).hasSeverity(Severity.HIGH)
        .hasEvidence("rules", rules("wildcard-over-public-suffix"))
        .detailContains("does not know").detailContains("and so do curl, OpenSSL and GnuTLS");
  }

  @Test
  void negative_wildcardsBelowARegistrableName_orAPrivateSuffix_areFine() {
    PROFILE.run(serving(CertificateBuilder.leaf("*.example.co.uk").issuedBy(ROOT)
        .dnsNames("*.example.co.uk").build())).isFine();
    // github.io is in the list's private section: GitHub itself may hold *.github.io.
    PROFILE.run(serving(CertificateBuilder.leaf("*.github.io").issuedBy(ROOT)
        .dnsNames("*.github.io").build())).isFine();
  }

  @Test
  void positive_hostLikeCommonNameNotInTheSan_isInfo() {
    IssuedCertificate leaf = CertificateBuilder.leaf("old.service.test").issuedBy(ROOT)
        .dnsNames("service.test").build();
    PROFILE.run(serving(leaf)).hasCodes(Code.CERT_PROFILE_NAMES)
        .hasFinding(Code.CERT_PROFILE_NAMES).hasSeverity(Severity.INFO)
        .hasEvidence("rules", rules("common-name-not-in-san")).detailContains("old.service.test");
  }

  @Test
  void positive_wildcardCoveringAnExcludedName_andNonCriticalConstraints() {
    // excludedSubtrees [1] { GeneralSubtree { dNSName "bar.example.test" } }, not critical
    byte[] nc = sequence(tag(0xA1, sequence(tagged(0x82, "bar.example.test"))));
    IssuedCertificate ica = CertificateBuilder.intermediate("Constrained CA").issuedBy(ROOT)
        .extension(NAME_CONSTRAINTS, false, nc).build();
    IssuedCertificate leaf = CertificateBuilder.leaf("*.example.test").issuedBy(ica).build();
    PROFILE.run(serving(leaf)).hasCodes(Code.CERT_PROFILE_NAME_CONSTRAINTS)
        .hasFinding(Code.CERT_PROFILE_NAME_CONSTRAINTS).hasSeverity(Severity.MEDIUM)
        .hasEvidence("rules", rules("name-constraints-not-critical", "wildcard-covers-excluded"))
        .hasEvidence("violations", List.of("1:name-constraints-not-critical", "1:wildcard-covers-excluded"))
        .detailContains("CVE-2025-61727");
  }

  @Test
  void positive_missingKeyIdentifiers_areInfo() {
    IssuedCertificate ica = CertificateBuilder.intermediate("Old CA").issuedBy(ROOT).noKeyIdentifiers().build();
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ica).build();
    PROFILE.run(serving(leaf)).hasCodes(Code.CERT_PROFILE_KEY_IDENTIFIERS)
        .hasFinding(Code.CERT_PROFILE_KEY_IDENTIFIERS).hasSeverity(Severity.INFO)
        .hasEvidence("rules", rules("aki-missing", "ski-missing"))
        .hasEvidence("violations", List.of("1:aki-missing", "1:ski-missing"));
  }

  @Test
  void positive_leafThatMaySignCertificates_isExtensions() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT)
        .keyUsage(DIGITAL_SIGNATURE | KEY_CERT_SIGN).extendedKeyUsage("2.5.29.37.0").build();
    PROFILE.run(serving(leaf)).hasCodes(Code.CERT_PROFILE_EXTENSIONS)
        .hasFinding(Code.CERT_PROFILE_EXTENSIONS).hasSeverity(Severity.MEDIUM)
        .hasEvidence("rules", rules("key-cert-sign-without-ca", "eku-any"));
  }

  @Test
  void positive_rsaModulusNotAMultipleOf8_isKey() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT).rsa(2052).build();
    PROFILE.run(serving(leaf)).hasCodes(Code.CERT_PROFILE_KEY)
        .hasFinding(Code.CERT_PROFILE_KEY).hasSeverity(Severity.INFO)
        .hasEvidence("rules", rules("rsa-modulus-not-multiple-of-8")).detailContains("2052 bits");
  }

  @Test
  void positive_weakAnchorKey_isJudgedThoughTheServerNeverSendsIt() {
    IssuedCertificate weakRoot = CertificateBuilder.root("Weak Root").rsa(1024).build();
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(weakRoot).build();
    PROFILE.run(CheckContexts.builder().target("service.test", 443).chain(leaf).trust(weakRoot))
        .hasFinding(Code.CERT_PROFILE_KEY).hasSeverity(Severity.MEDIUM)
        .hasEvidence("rules", rules("weak-anchor-key"))
        .hasEvidence("violations", List.of("1:weak-anchor-key"));
  }

  @Test
  void negative_soundChain_andALabelCommonName_areFine() {
    IssuedCertificate ica = CertificateBuilder.intermediate("Sound CA").issuedBy(ROOT).build();
    PROFILE.run(serving(CertificateBuilder.leaf("service.test").issuedBy(ica).build())).isFine();
    // "My Server" names no host: the BR's copy rule is about host names that mislead.
    IssuedCertificate label = CertificateBuilder.leaf("My Server").issuedBy(ROOT).dnsNames("service.test").build();
    PROFILE.run(serving(label)).isFine();
    IssuedCertificate wildcard = CertificateBuilder.leaf("*.example.test").issuedBy(ROOT).build();
    PROFILE.run(serving(wildcard)).isFine();
  }

  @Test
  void notApplicable_withoutACertificate() {
    PROFILE.run(CheckContexts.builder().target("service.test", 443)).isNotApplicable();
  }

  @Test
  void theDescriptorListsEveryFamily() {
    assertEquals(List.of(Code.CERT_PROFILE_SERIAL, Code.CERT_PROFILE_NAMES, Code.CERT_PROFILE_NAME_CONSTRAINTS,
        Code.CERT_PROFILE_KEY_IDENTIFIERS, Code.CERT_PROFILE_EXTENSIONS, Code.CERT_PROFILE_KEY),
        PROFILE.check().descriptor().codes());
  }

  // A few DER bytes, built by hand: the test kit's builder would refuse the malformed values.

  private static byte[] tagged(int tag, String ascii) {
    return tag(tag, ascii.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] sequence(byte[]... parts) {
    return tag(0x30, parts);
  }

  private static byte[] tag(int tag, byte[]... parts) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      body.writeBytes(p);
    }
    int n = body.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (n < 128) {
      out.write(n);
    } else {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n & 0xff);
    }
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }
}
