package com.example.consumer;

import static dev.tlsinspect.testing.ReportAssert.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlsinspect.Code;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a user's test of their own TLS setup looks like with the kit, on their JUnit version. The
 * region between the readme markers is shown verbatim in README.md (TestKitConsumerTest checks).
 */
class ConsumerTlsTest {
  // readme:start
  private static final IssuedCertificate ROOT = CertificateBuilder.root("Test Root").build();
  // Trusted as the application's trust store and as the reference (public) one: otherwise the
  // report notes a root that only the application trusts.
  private static final TrustMaterial TRUST = TrustMaterial.certificates(List.of(ROOT.certificate()));
  private static final TlsInspector INSPECTOR = TlsInspector.builder()
      .options(InspectOptions.builder().trust(TRUST).referenceTrust(TRUST).quick(true).build())
      .build();

  @Test
  void expiredCertificate_isTheRootCause() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(ROOT).expired().build();
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      Report report = INSPECTOR.inspect(
          Target.builder("localhost", server.port()).connectAddress("127.0.0.1").build());
      assertThat(report).hasVerdict(Verdict.FAIL)
          .hasFinding(Code.CERT_EXPIRED).hasSeverity(Severity.CRITICAL).isRootCause();
    }
  }
  // readme:end

  @Test
  void healthyServer_hasNothingSerious() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(ROOT)
        .crlUrl("http://127.0.0.1:9/ca.crl").build();
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      Report report = INSPECTOR.inspect(
          Target.builder("localhost", server.port()).connectAddress("127.0.0.1").build());
      assertThat(report).hasNoFindingAtLeast(Severity.HIGH).doesNotHaveFinding(Code.CERT_EXPIRED);
    }
  }

  @Test
  void theProjectsJUnitIsTheOneThatRuns() {
    assertEquals(System.getProperty("expected.junit.version"),
        Test.class.getPackage().getImplementationVersion());
  }
}
