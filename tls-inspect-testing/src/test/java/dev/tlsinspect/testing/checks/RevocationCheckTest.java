package dev.tlsinspect.testing.checks;

import dev.tlsinspect.Code;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Severity;
import dev.tlsinspect.check.Fetched;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.CheckContexts;
import dev.tlsinspect.testing.CheckHarness;
import dev.tlsinspect.testing.IssuedCertificate;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** The revocation check through the harness; core's RevocationCheckTest covers OCSP parsing in depth. */
class RevocationCheckTest {
  private static final CheckHarness REVOCATION = CheckHarness.builtIn("revocation");
  private static final IssuedCertificate ROOT = CertificateBuilder.root("Revocation Root").build();

  @Test
  void positive_crlListsTheLeaf_isCertRevoked() throws Exception {
    Instant now = Instant.now();
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT)
        .crlUrl("http://127.0.0.1:1/root.crl").build();
    X509v2CRLBuilder crl = new X509v2CRLBuilder(
        X500Name.getInstance(ROOT.certificate().getSubjectX500Principal().getEncoded()),
        Date.from(now.minus(Duration.ofHours(1))));
    crl.setNextUpdate(Date.from(now.plus(Duration.ofDays(7))));
    crl.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.ONE));
    crl.addCRLEntry(leaf.certificate().getSerialNumber(), Date.from(now.minus(Duration.ofHours(2))),
        CRLReason.keyCompromise);
    X509CRL signed = new JcaX509CRLConverter().getCRL(
        crl.build(new JcaContentSignerBuilder("SHA256withRSA").build(ROOT.privateKey())));
    REVOCATION.run(CheckContexts.builder().chain(leaf).trust(ROOT).now(now)
            .fetched(new Fetched(List.of(), List.of(), List.of(signed), List.of())))
        .hasCodes(Code.CERT_REVOKED)
        .hasFinding(Code.CERT_REVOKED).hasSeverity(Severity.CRITICAL);
  }

  @Test
  void positive_noRevocationUrls_isRevocationInfoMissing_lowUnderAPublicRoot() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT).build();
    REVOCATION.run(CheckContexts.builder().chain(leaf).trust(ROOT).referenceTrust(ROOT))
        .hasCodes(Code.REVOCATION_INFO_MISSING)
        .hasFinding(Code.REVOCATION_INFO_MISSING).hasSeverity(Severity.LOW).hasEvidence("publicChain", true);
    REVOCATION.run(CheckContexts.builder().chain(leaf).trust(ROOT).referenceTrust())
        .hasFinding(Code.REVOCATION_INFO_MISSING).hasSeverity(Severity.INFO).hasEvidence("publicChain", false);
  }

  @Test
  void positive_ocspResponderButNoStaple_isOcspStaplingMissing() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT)
        .ocspUrl("http://127.0.0.1:1/ocsp").build();
    REVOCATION.run(CheckContexts.builder().chain(leaf).trust(ROOT))
        .hasCodes(Code.OCSP_STAPLING_MISSING)
        .hasFinding(Code.OCSP_STAPLING_MISSING).hasSeverity(Severity.INFO)
        .hasEvidence("ocspUrl", "http://127.0.0.1:1/ocsp");
  }

  @Test
  void positive_onlineCheckWithoutAnswer_isRevocationStatusUnknown() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT)
        .crlUrl("http://127.0.0.1:1/root.crl").build();
    REVOCATION.run(CheckContexts.builder().chain(leaf).trust(ROOT)
            .options(InspectOptions.builder().checkRevocationOnline(true).build())
            .fetched(new Fetched(List.of(), List.of(), List.of(), List.of("crl http://127.0.0.1:1/root.crl: refused"))))
        .hasFinding(Code.REVOCATION_STATUS_UNKNOWN).hasSeverity(Severity.LOW).hasEvidence("fetchNotes");
  }

  @Test
  void negative_crlDistributionPointAndNoOnlineCheck_isFine() {
    IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(ROOT)
        .crlUrl("http://127.0.0.1:1/root.crl").build();
    REVOCATION.run(CheckContexts.builder().chain(leaf).trust(ROOT)).isFine();
  }

  @Test
  void notApplicable_withoutACertificate() {
    REVOCATION.run(CheckContexts.builder().trust(ROOT)).isNotApplicable();
  }
}
