package dev.tlsinspect.testing.checks;

import dev.tlsinspect.Code;
import dev.tlsinspect.Severity;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.CheckContexts;
import dev.tlsinspect.testing.CheckHarness;
import dev.tlsinspect.testing.IssuedCertificate;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chain-of-trust check; the reference store is set in every case so that the JDK's cacerts never decides. */
class TrustCheckTest {
  private static final CheckHarness TRUST = CheckHarness.builtIn("chain-of-trust");
  private static final IssuedCertificate ROOT = CertificateBuilder.root("Trust Test Root").build();
  private static final IssuedCertificate CA = CertificateBuilder.intermediate("Trust Test CA").issuedBy(ROOT).build();
  private static final IssuedCertificate LEAF = CertificateBuilder.leaf("service.test").issuedBy(CA).build();
  private static final IssuedCertificate OTHER_ROOT = CertificateBuilder.root("Other Root").freshKey().build();

  @Test
  void positive_chainToAnUnknownRoot_isChainUntrusted() {
    TRUST.run(CheckContexts.builder().chain(LEAF).trust(OTHER_ROOT).referenceTrust())
        .hasCodes(Code.CHAIN_UNTRUSTED)
        .hasFinding(Code.CHAIN_UNTRUSTED).hasSeverity(Severity.CRITICAL);
  }

  @Test
  void positive_missingIntermediate_isChainIncomplete() {
    TRUST.run(CheckContexts.builder().chain(List.of(LEAF.certificate())).trust(ROOT).referenceTrust())
        .hasCodes(Code.CHAIN_INCOMPLETE)
        .hasFinding(Code.CHAIN_INCOMPLETE).hasSeverity(Severity.HIGH);
  }

  @Test
  void positive_selfSignedLeaf_isCertSelfSigned() {
    IssuedCertificate self = CertificateBuilder.leaf("service.test").build();
    TRUST.run(CheckContexts.builder().chain(self).trust(ROOT).referenceTrust())
        .hasCodes(Code.CERT_SELF_SIGNED)
        .hasFinding(Code.CERT_SELF_SIGNED).hasSeverity(Severity.CRITICAL);
  }

  @Test
  void positive_unrelatedCertificateInTheChain_isChainOrder() {
    List<X509Certificate> sent = List.of(LEAF.certificate(), OTHER_ROOT.certificate(), CA.certificate());
    TRUST.run(CheckContexts.builder().chain(sent).trust(ROOT).referenceTrust(ROOT))
        .hasCodes(Code.CHAIN_ORDER)
        .hasFinding(Code.CHAIN_ORDER).hasSeverity(Severity.LOW);
  }

  @Test
  void positive_onlyTheReferenceStoreTrustsIt_isTrustStoreDiffers() {
    TRUST.run(CheckContexts.builder().chain(LEAF).trust(OTHER_ROOT).referenceTrust(ROOT))
        .hasFinding(Code.TRUST_STORE_DIFFERS).hasSeverity(Severity.HIGH)
        .and().hasFinding(Code.CHAIN_UNTRUSTED).hasSeverity(Severity.CRITICAL);
  }

  @Test
  void negative_completeTrustedChain_isFine() {
    TRUST.run(CheckContexts.builder().chain(LEAF).trust(ROOT).referenceTrust(ROOT)).isFine();
  }

  @Test
  void rememberedValidation_isKeptPerAnchor() {
    // Same name and key as ROOT, but allowing no intermediate below it: the path through CA breaks
    // the anchor's path length. Validations are remembered between runs; the anchor is part of
    // what is remembered, so the answer follows the anchor in use, in either order.
    IssuedCertificate strictRoot = CertificateBuilder.root("Trust Test Root").pathLength(0).build();
    TRUST.run(CheckContexts.builder().chain(LEAF).trust(ROOT).referenceTrust(ROOT)).isFine();
    TRUST.run(CheckContexts.builder().chain(LEAF).trust(strictRoot).referenceTrust(strictRoot))
        .hasFinding(Code.CHAIN_UNTRUSTED).hasSeverity(Severity.CRITICAL)
        .hasEvidence("pathError");
    TRUST.run(CheckContexts.builder().chain(LEAF).trust(ROOT).referenceTrust(ROOT)).isFine();
  }

  @Test
  void notApplicable_withoutACertificate() {
    TRUST.run(CheckContexts.builder().trust(ROOT).referenceTrust(ROOT)).isNotApplicable();
  }
}
