package dev.tlsinspect.jsse;

import static dev.tlsinspect.testing.ReportAssert.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.check.Fetched;
import dev.tlsinspect.internal.inspect.BuiltInChecks;
import dev.tlsinspect.internal.inspect.DefaultCheckContext;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Chain-of-trust diagnosis against real loopback TLS servers, through the JSSE probe. */
class ChainOfTrustTest {
  private static IssuedCertificate root;
  private static IssuedCertificate intermediate;
  private static TlsInspector inspector;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("Chain Test Root").build();
    intermediate = CertificateBuilder.intermediate("Chain Test Intermediate").issuedBy(root).build();
    inspector = TlsInspector.builder()
        .probe(new JsseProbe())
        .options(options(List.of(root.certificate()), List.of(root.certificate())))
        .build();
  }

  private static InspectOptions options(List<X509Certificate> trust, List<X509Certificate> reference) {
    return InspectOptions.builder()
        .trust(TrustMaterial.certificates(trust))
        .referenceTrust(TrustMaterial.certificates(reference))
        .timeout(Duration.ofSeconds(3))
        .build();
  }

  private static Report inspect(TlsServer server) {
    return inspect(server, inspector.options());
  }

  private static Report inspect(TlsServer server, InspectOptions options) {
    Target t = Target.builder("localhost", server.port()).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(options.deadline().plusSeconds(5), () -> inspector.inspect(t, options));
  }

  private static String subject(IssuedCertificate c) {
    return c.certificate().getSubjectX500Principal().getName();
  }

  private static List<Code> rootCauses(Report report) {
    return report.findings().stream().filter(Finding::rootCause).map(Finding::code).toList();
  }

  private static void assertNoHighOrCritical(Report report) {
    assertTrue(report.findings().stream().noneMatch(f -> f.severity().atLeast(Severity.HIGH)),
        report::summary);
  }

  @Test
  void healthyRsaChain_hasNoChainFinding() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .crlUrl("http://127.0.0.1:9/ca.crl").build();
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      Report report = inspect(server);
      assertEquals(Verdict.PASS, report.verdict(), report::summary);
      assertInstanceOf(ProbeOutcome.Completed.class, report.outcomes().get(0));
      // JSSE alone enumerates nothing and says so; no other finding.
      assertEquals(List.of(Code.ENUMERATION_UNAVAILABLE),
          report.findings().stream().map(Finding::code).toList(), report::summary);
    }
  }

  @Test
  void healthyEcChain_withRootSentAtTheEnd_hasNoChainFinding() {
    IssuedCertificate ecRoot = CertificateBuilder.root("Chain Test EC Root").ec("secp384r1").build();
    IssuedCertificate ecCa = CertificateBuilder.intermediate("Chain Test EC CA").ec("secp256r1")
        .issuedBy(ecRoot).build();
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").ec("secp256r1").issuedBy(ecCa)
        .crlUrl("http://127.0.0.1:9/ca.crl").build();
    InspectOptions options = options(List.of(ecRoot.certificate()), List.of(ecRoot.certificate()));
    try (TlsServer server = TlsServer.builder()
        .certificateChain(leaf, ecCa.certificate(), ecRoot.certificate()).start()) {
      Report report = inspect(server, options);
      assertEquals(Verdict.PASS, report.verdict(), report::summary);
      assertNoHighOrCritical(report);
      assertFalse(report.hasFinding(Code.CHAIN_ORDER), "the root at the end is in order");
    }
  }

  @Test
  void expiredIntermediate_isTheRootCause_notUntrusted() {
    IssuedCertificate oldCa = CertificateBuilder.intermediate("Chain Test Expired CA")
        .issuedBy(root).expired().build();
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(oldCa).build();
    try (TlsServer server = TlsServer.builder().certificateChain(leaf, oldCa.certificate()).start()) {
      Report report = inspect(server);
      assertEquals(Verdict.FAIL, report.verdict());
      Finding f = only(report, Code.INTERMEDIATE_EXPIRED);
      assertTrue(f.rootCause(), report::summary);
      assertEquals(Severity.CRITICAL, f.severity());
      assertEquals(1L, f.evidence().get("position"));
      assertEquals(subject(oldCa), f.evidence().get("certificateSubject"));
      assertEquals(List.of(Code.INTERMEDIATE_EXPIRED), rootCauses(report));
      assertFalse(report.hasFinding(Code.CHAIN_UNTRUSTED), report::summary);
    }
  }

  @Test
  void missingIntermediate_isChainIncomplete_withTheIssuerAndItsAiaUrl() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .caIssuersUrl("http://127.0.0.1:1/chain-test-ca.cer").build();
    try (TlsServer server = TlsServer.builder().certificateChain(leaf).start()) {
      Report report = inspect(server);
      Finding f = only(report, Code.CHAIN_INCOMPLETE);
      assertTrue(f.rootCause());
      assertEquals(Severity.HIGH, f.severity());
      assertEquals(subject(intermediate), f.evidence().get("missingIssuer"));
      assertEquals("http://127.0.0.1:1/chain-test-ca.cer", f.evidence().get("caIssuersUrl"));
      assertEquals(false, f.evidence().get("confirmed"));
      assertTrue(f.detail().contains("Browsers may still connect"), f.detail());
      assertTrue(f.remediation().contains(subject(intermediate)), f.remediation());
      assertEquals(List.of(Code.CHAIN_INCOMPLETE), rootCauses(report));
      assertFalse(report.hasFinding(Code.CHAIN_UNTRUSTED));
    }
  }

  @Test
  void missingIntermediate_fetchedFromAia_confirmsChainIncomplete_withTheCompletedChain() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .caIssuersUrl("http://127.0.0.1:1/chain-test-ca.cer").build();
    try (TlsServer server = TlsServer.builder().certificateChain(leaf).start()) {
      Report report = inspect(server);
      // What the opt-in AIA download hands the checks: the intermediate the leaf names.
      Fetched fetched = new Fetched(List.of(intermediate.certificate()), List.of(), List.of(), List.of());
      Target t = Target.builder("localhost", server.port()).connectAddress("127.0.0.1").build();
      DefaultCheckContext ctx = new DefaultCheckContext(t, inspector.options(), report.outcomes().get(0), fetched);
      List<Finding> findings = new ArrayList<>();
      BuiltInChecks.all().forEach(c -> findings.addAll(c.evaluate(ctx)));
      List<Finding> incomplete = findings.stream().filter(f -> f.code().equals(Code.CHAIN_INCOMPLETE)).toList();
      assertEquals(1, incomplete.size(), findings::toString);
      Finding f = incomplete.get(0);
      assertEquals(true, f.evidence().get("confirmed"));
      assertEquals(List.of(subject(leaf), subject(intermediate), subject(root)), f.evidence().get("completedChain"));
      assertTrue(f.detail().contains("Confirmed"), f.detail());
      assertTrue(f.remediation().contains(subject(intermediate)), f.remediation());
      assertFalse(findings.stream().anyMatch(x -> x.code().equals(Code.CHAIN_UNTRUSTED)), findings::toString);
    }
  }

  @Test
  void reversedChain_isChainOrder() {
    IssuedCertificate ca2 = CertificateBuilder.intermediate("Chain Test Second CA").issuedBy(intermediate)
        .build();
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(ca2).build();
    try (TlsServer server = TlsServer.builder()
        .certificateChain(leaf, intermediate.certificate(), ca2.certificate()).start()) {
      Report report = inspect(server);
      Finding f = only(report, Code.CHAIN_ORDER);
      assertEquals(Severity.LOW, f.severity());
      assertFalse(f.rootCause());
      assertEquals(List.of(subject(leaf), subject(intermediate), subject(ca2)), f.evidence().get("sentOrder"));
      assertEquals(List.of(subject(leaf), subject(ca2), subject(intermediate)), f.evidence().get("expectedOrder"));
      assertEquals(List.of(), f.evidence().get("foreign"));
      // JSSE builds its own path from what was sent, so the reversed chain is accepted.
      assertInstanceOf(ProbeOutcome.Completed.class, report.outcomes().get(0), report::summary);
      assertEquals(Verdict.WARN, report.verdict(), report::summary);
      assertNoHighOrCritical(report);
    }
  }

  @Test
  void foreignExtraCertificate_isChainOrder() {
    IssuedCertificate stranger = CertificateBuilder.root("Chain Test Stranger").freshKey().build();
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    try (TlsServer server = TlsServer.builder()
        .certificateChain(leaf, intermediate.certificate(), stranger.certificate()).start()) {
      Report report = inspect(server);
      Finding f = only(report, Code.CHAIN_ORDER);
      assertEquals(Severity.LOW, f.severity());
      List<?> foreign = (List<?>) f.evidence().get("foreign");
      assertEquals(1, foreign.size());
      assertTrue(foreign.get(0).toString().startsWith(subject(stranger)), foreign.toString());
      assertEquals(List.of(subject(leaf), subject(intermediate)), f.evidence().get("expectedOrder"));
      assertInstanceOf(ProbeOutcome.Completed.class, report.outcomes().get(0), report::summary);
      assertNoHighOrCritical(report);
    }
  }

  @Test
  void selfSignedLeaf_isCertSelfSigned_notUntrusted() {
    IssuedCertificate self = CertificateBuilder.leaf("localhost").freshKey().build();
    try (TlsServer server = TlsServer.builder().certificateChain(self).start()) {
      Report report = inspect(server);
      Finding f = only(report, Code.CERT_SELF_SIGNED);
      assertTrue(f.rootCause());
      assertEquals(Severity.CRITICAL, f.severity());
      assertEquals(subject(self), f.evidence().get("leafSubject"));
      assertTrue(f.remediation().contains("keytool -importcert"), f.remediation());
      assertEquals(List.of(Code.CERT_SELF_SIGNED), rootCauses(report));
      assertFalse(report.hasFinding(Code.CHAIN_UNTRUSTED));
      assertFalse(report.hasFinding(Code.CHAIN_INCOMPLETE));
    }
  }

  @Test
  void untrustedRoot_isChainUntrusted() {
    IssuedCertificate otherRoot = CertificateBuilder.root("Chain Test Other Root").freshKey().build();
    IssuedCertificate otherCa = CertificateBuilder.intermediate("Chain Test Other CA").issuedBy(otherRoot).build();
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(otherCa).build();
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      Report report = inspect(server);
      Finding f = only(report, Code.CHAIN_UNTRUSTED);
      assertTrue(f.rootCause());
      assertEquals(Severity.CRITICAL, f.severity());
      assertEquals(subject(otherRoot), f.evidence().get("root"));
      assertEquals("NO_TRUST_ANCHOR", f.evidence().get("reason"));
      assertEquals(List.of(Code.CHAIN_UNTRUSTED), rootCauses(report));
      assertFalse(report.hasFinding(Code.CHAIN_INCOMPLETE));
    }
  }

  @Test
  void caWithoutBasicConstraints_isChainUntrusted_withReason() {
    IssuedCertificate notCa = CertificateBuilder.intermediate("Chain Test Not A CA").issuedBy(root)
        .noBasicConstraints().build();
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(notCa).build();
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      Report report = inspect(server);
      ProbeOutcome.Failed failed = assertInstanceOf(ProbeOutcome.Failed.class, report.outcomes().get(0));
      assertEquals(FailureKind.CERTIFICATE_REJECTED, failed.failure().kind());
      Finding f = only(report, Code.CHAIN_UNTRUSTED);
      assertTrue(f.rootCause(), report::summary);
      assertEquals("NOT_CA_CERT", f.evidence().get("reason"));
      assertEquals(subject(notCa), f.evidence().get("certificateSubject"));
      assertTrue(f.detail().contains("basicConstraints"), f.detail());
      assertTrue(f.remediation().contains(subject(notCa)), f.remediation());
      assertEquals(List.of(Code.CHAIN_UNTRUSTED), rootCauses(report));
    }
  }

  @Test
  void trustedByReferenceOnly_isTrustStoreDiffers_high() {
    IssuedCertificate appRoot = CertificateBuilder.root("Chain Test App Root").freshKey().build();
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    InspectOptions options = options(List.of(appRoot.certificate()), List.of(root.certificate()));
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      Report report = inspect(server, options);
      Finding f = only(report, Code.TRUST_STORE_DIFFERS);
      assertEquals(Severity.HIGH, f.severity());
      assertTrue(f.rootCause(), report::summary);
      assertEquals(subject(root), f.evidence().get("root"));
      assertEquals(options.referenceTrust().toString(), f.evidence().get("trustedBy"));
      assertTrue(report.hasFinding(Code.CHAIN_UNTRUSTED));
      assertEquals(Verdict.FAIL, report.verdict());
    }
  }

  @Test
  void trustedByApplicationOnly_isTrustStoreDiffers_info() {
    IssuedCertificate publicRoot = CertificateBuilder.root("Chain Test Public Root").freshKey().build();
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    InspectOptions options = options(List.of(root.certificate()), List.of(publicRoot.certificate()));
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      Report report = inspect(server, options);
      Finding f = only(report, Code.TRUST_STORE_DIFFERS);
      assertEquals(Severity.INFO, f.severity());
      assertFalse(f.rootCause());
      assertEquals(options.trust().toString(), f.evidence().get("trustedBy"));
      assertTrue(f.detail().contains("private CA"), f.detail());
      assertEquals(Verdict.PASS, report.verdict(), report::summary);
      assertInstanceOf(ProbeOutcome.Completed.class, report.outcomes().get(0));
    }
  }
}
