package dev.tlsinspect.testing.checks;

import dev.tlsinspect.Code;
import dev.tlsinspect.Enumeration;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Severity;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.CheckContexts;
import dev.tlsinspect.testing.CheckHarness;
import dev.tlsinspect.testing.IssuedCertificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyCheckTest {
  private static final CheckHarness POLICY = CheckHarness.builtIn("policy");
  private static final List<TlsVersion> TESTED = List.of(TlsVersion.TLS_1_0, TlsVersion.TLS_1_1,
      TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
  private static final IssuedCertificate ROOT = CertificateBuilder.root("Policy Root").ec("secp256r1").build();
  private static final IssuedCertificate LEAF = CertificateBuilder.leaf("service.test").issuedBy(ROOT)
      .ec("secp256r1").build();
  private static final InspectOptions MODERN = InspectOptions.builder().policies(Set.of("mozilla-modern")).build();

  private static Enumeration accepting(TlsVersion... versions) {
    Map<TlsVersion, List<CipherSuite>> suites = new LinkedHashMap<>();
    for (TlsVersion v : versions) {
      suites.put(v, v.equals(TlsVersion.TLS_1_3)
          ? List.of(CipherSuite.named("TLS_AES_128_GCM_SHA256"), CipherSuite.named("TLS_AES_256_GCM_SHA384"),
              CipherSuite.named("TLS_CHACHA20_POLY1305_SHA256"))
          : List.of(CipherSuite.named("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")));
    }
    return new Enumeration(TESTED, List.of(versions), suites, Map.of(), 8, List.of());
  }

  @Test
  void positive_tls12OnAModernPolicy_isPolicyViolation() {
    POLICY.run(CheckContexts.builder().chain(LEAF).options(MODERN)
            .enumeration(accepting(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3)))
        .hasCodes(Code.POLICY_VIOLATION)
        .hasFinding(Code.POLICY_VIOLATION).hasSeverity(Severity.MEDIUM)
        .hasEvidence("policy", "mozilla-modern").hasEvidence("policyVersion", "6.0")
        .hasEvidence("deviations");
  }

  @Test
  void negative_tls13OnlyWithAnEcdsaCertificate_isFineForModern() {
    POLICY.run(CheckContexts.builder().chain(LEAF).options(MODERN).enumeration(accepting(TlsVersion.TLS_1_3)))
        .isFine();
  }

  @Test
  void notApplicable_withoutEnumerationOrCertificate() {
    POLICY.run(CheckContexts.builder().options(MODERN)).isNotApplicable();
  }
}
