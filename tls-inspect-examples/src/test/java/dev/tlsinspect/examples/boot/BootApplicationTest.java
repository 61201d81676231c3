package dev.tlsinspect.examples.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.health.HealthStatus;
import dev.tlsinspect.spring.boot.autoconfigure.TlsInspections;
import dev.tlsinspect.spring.boot.autoconfigure.TlsStartupException;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The example application with its own properties; only the target's port and the CA file are
 * overridden to point at loopback servers.
 */
class BootApplicationTest {
  static final IssuedCertificate CA = CertificateBuilder.root("Example Internal CA").build();
  @RegisterExtension
  static TlsServerExtension payments = TlsServerExtension.withCertificate(
      CertificateBuilder.leaf("localhost").issuedBy(CA).crlUrl("http://127.0.0.1:9/ca.crl").build());
  @RegisterExtension
  static TlsServerExtension expired = TlsServerExtension.withCertificate(
      CertificateBuilder.leaf("localhost").issuedBy(CA).expired().build());

  @TempDir Path dir;

  private ConfigurableApplicationContext run(int port) throws Exception {
    Path ca = Files.writeString(dir.resolve("internal-ca.pem"), CA.toPem());
    return BootApplication.application().web(WebApplicationType.NONE).run(
        "--payments.host=localhost",
        "--payments.port=" + port,
        "--spring.ssl.bundle.pem.internal-ca.truststore.certificate=file:" + ca,
        "--spring.main.banner-mode=off");
  }

  @Test
  void startsWhenPaymentsIsHealthy_andHealthShowsIt() throws Exception {
    try (ConfigurableApplicationContext context = run(payments.port())) {
      TlsInspections inspections = context.getBean(TlsInspections.class);
      assertEquals(HealthStatus.UP, inspections.result("payments").orElseThrow().status());
    }
  }

  @Test
  void refusesToStartWhenPaymentsHasAnExpiredCertificate() {
    Exception e = assertThrows(Exception.class, () -> run(expired.port()).close());
    Throwable t = e;
    while (t != null && !(t instanceof TlsStartupException)) {
      t = t.getCause();
    }
    assertTrue(t != null, () -> "no TlsStartupException in " + e);
    assertTrue(t.getMessage().contains("[payments]") && t.getMessage().contains("CERT_EXPIRED"), t.getMessage());
  }
}
