package dev.tlsinspect.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Target;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartupCheckTest {
  private final IssuedCertificate root = CertificateBuilder.root("Example Root").build();
  private final InspectOptions options = InspectOptions.builder().timeout(Duration.ofSeconds(3))
      .trust(TrustMaterial.certificates(List.of(root.certificate()))).build();

  private static Target local(TlsServer server) {
    return Target.builder("localhost", server.port()).connectAddress("127.0.0.1").build();
  }

  @Test
  void healthyDependencies_start() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(root)
        .crlUrl("http://127.0.0.1:9/ca.crl").build();
    try (TlsServer a = TlsServer.builder().certificate(leaf).start();
        TlsServer b = TlsServer.builder().certificate(leaf).start()) {
      List<Report> reports = StartupCheck.verify(List.of(local(a), local(b)), options);
      assertEquals(2, reports.size());
      assertTrue(reports.stream().allMatch(r -> r.verdict() == Verdict.PASS));
    }
  }

  @Test
  void anExpiredDependency_stopsTheStartWithTheFix() {
    IssuedCertificate good = CertificateBuilder.leaf("localhost").issuedBy(root)
        .crlUrl("http://127.0.0.1:9/ca.crl").build();
    IssuedCertificate expired = CertificateBuilder.leaf("localhost").issuedBy(root).expired().build();
    try (TlsServer a = TlsServer.builder().certificate(good).start();
        TlsServer b = TlsServer.builder().certificate(expired).start()) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> StartupCheck.verify(List.of(local(a), local(b)), options));
      String[] lines = e.getMessage().split("\n");
      assertEquals(3, lines.length, e.getMessage());
      assertEquals("TLS to a required dependency is broken:", lines[0]);
      assertTrue(lines[1].startsWith("  localhost:" + b.port() + ": CERT_EXPIRED - "), lines[1]);
      assertTrue(lines[2].contains("fix: Renew the certificate"), lines[2]);
    }
  }
}
