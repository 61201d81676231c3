package dev.tlsinspect.jsse;

import static dev.tlsinspect.testing.ReportAssert.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The certificate profile (rules the JDK does not enforce and other clients do) against real
 * loopback servers: the JDK completes the handshake, and the report still names what Go, strict
 * validators or the CA/Browser Forum would refuse.
 */
class CertificateProfileTest {
  private static IssuedCertificate root;
  private static IssuedCertificate intermediate;
  private static TlsInspector inspector;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("tls-inspect Profile Root").build();
    intermediate = CertificateBuilder.intermediate("tls-inspect Profile Intermediate").issuedBy(root).build();
    inspector = TlsInspector.builder()
        .probe(new JsseProbe())
        .options(InspectOptions.builder()
            .trust(TrustMaterial.certificates(List.of(root.certificate())))
            .timeout(Duration.ofSeconds(5))
            .build())
        .build();
  }

  private static Report inspect(IssuedCertificate leaf) {
    try (TlsServer server = TlsServer.builder().certificateChain(leaf, intermediate.certificate()).start()) {
      Target t = Target.builder("localhost", server.port()).connectAddress("127.0.0.1").build();
      return assertTimeoutPreemptively(Duration.ofSeconds(15), () -> inspector.inspect(t));
    }
  }

  private static List<Finding> profileFindings(Report report) {
    return report.findings().stream().filter(f -> f.code().name().startsWith("CERT_PROFILE_")).toList();
  }

  @Test
  void negativeSerial_worksInJava_andIsNamedBecauseGoRefusesIt() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .serial(BigInteger.valueOf(-77)).build();
    Report report = inspect(leaf);
    assertInstanceOf(ProbeOutcome.Completed.class, report.outcomes().get(0), report::summary);
    Finding f = only(report, Code.CERT_PROFILE_SERIAL);
    assertEquals(Severity.HIGH, f.severity());
    assertEquals(List.of("serial-negative"), f.evidence().get("rules"));
    assertEquals(leaf.certificate().getSubjectX500Principal().getName(), f.evidence().get("certificateSubject"));
    assertTrue(f.detail().contains("x509: negative serial number"), f.detail());
    assertEquals(Verdict.FAIL, report.verdict(), report::summary);
  }

  @Test
  void underscoreHostName_inTheSan_isNamed() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .dnsNames("localhost", "api_v1.localhost").build();
    Report report = inspect(leaf);
    Finding f = only(report, Code.CERT_PROFILE_NAMES);
    assertEquals(Severity.MEDIUM, f.severity());
    assertEquals(List.of("dns-name-syntax"), f.evidence().get("rules"));
    assertTrue(f.detail().contains("api_v1.localhost"), f.detail());
    assertEquals(Verdict.WARN, report.verdict(), report::summary);
  }

  /*
   * JDK 17's endpoint identification accepts *.co.uk for foo.co.uk when the chain ends at a
   * private CA (it checks wildcards against the Public Suffix List only for chains to its own
   * public roots); Chrome refuses the match. Observed here with a real handshake.
   */
  @Test
  void wildcardOverAPublicSuffix_worksInJava_andIsNamedBecauseChromeRefusesIt() {
    IssuedCertificate leaf = CertificateBuilder.leaf("*.co.uk").issuedBy(intermediate)
        .dnsNames("*.co.uk").build();
    Report report;
    try (TlsServer server = TlsServer.builder().certificateChain(leaf, intermediate.certificate()).start()) {
      Target t = Target.builder("shop.co.uk", server.port()).connectAddress("127.0.0.1").build();
      report = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> inspector.inspect(t));
    }
    assertInstanceOf(ProbeOutcome.Completed.class, report.outcomes().get(0), report::summary);
    assertTrue(report.findings().stream().noneMatch(f -> f.code().equals(Code.HOSTNAME_MISMATCH)),
        report::summary);
    Finding f = only(report, Code.CERT_PROFILE_NAMES);
    assertEquals(Severity.HIGH, f.severity());
    assertEquals(List.of("wildcard-over-public-suffix"), f.evidence().get("rules"));
    assertTrue(f.detail().contains("Chrome refuses"), f.detail());
  }

  @Test
  void conformingChain_hasNoProfileFinding() {
    Report report = inspect(CertificateBuilder.leaf("localhost").issuedBy(intermediate).build());
    assertEquals(List.of(), profileFindings(report), report::summary);
  }
}
