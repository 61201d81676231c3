package dev.tlsinspect.bc;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.BcTlsServer;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DROWN through another endpoint the user names (InspectOptions.sslv2Endpoints): a real TLS
 * server that refuses SSL 2.0, and beside it a scripted SSL 2.0 server serving the same RSA key,
 * another key, or nothing at all.
 */
class DrownEndpointTest {
  private static IssuedCertificate root;
  private static IssuedCertificate leaf;
  private static IssuedCertificate other;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("DROWN Test Root").build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(root).rsa(2048).build();
    other = CertificateBuilder.leaf("mail.localhost").issuedBy(root).rsa(2048).freshKey().build();
  }

  private static Report inspect(int tlsPort, boolean quick, int... sslv2Ports) {
    List<Target> endpoints = java.util.Arrays.stream(sslv2Ports)
        .mapToObj(p -> Target.builder("localhost", p).connectAddress("127.0.0.1").build()).toList();
    TlsInspector inspector = TlsInspector.builder().probe(new BcProbe())
        .options(InspectOptions.builder()
            .trust(TrustMaterial.certificates(List.of(root.certificate())))
            .timeout(Duration.ofSeconds(10))
            .quick(quick)
            .sslv2Endpoints(endpoints)
            .build())
        .build();
    Target t = Target.builder("localhost", tlsPort).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> inspector.inspect(t));
  }

  private static List<Finding> findings(Report r, Code code) {
    return r.findings().stream().filter(f -> f.code().equals(code)).toList();
  }

  @Test
  void sameKeyOnAnSsl2Endpoint_isDrown_namingThatEndpoint() throws Exception {
    try (TlsServer tls = TlsServer.builder().certificate(leaf).start();
        Sslv2Test.FakeServer ssl2 = new Sslv2Test.FakeServer(
            Sslv2Test.answerSsl2With(leaf.certificate().getEncoded()))) {
      Report r = inspect(tls.port(), false, ssl2.port());
      List<Finding> drown = findings(r, Code.DROWN);
      assertEquals(1, drown.size(), r::summary);
      assertEquals(Severity.CRITICAL, drown.get(0).severity());
      assertEquals(List.of("localhost:" + ssl2.port()), drown.get(0).evidence().get("sslv2Endpoints"));
      assertEquals("CVE-2016-0800", drown.get(0).evidence().get("cve"));
      Finding checked = findings(r, Code.SSLV2_ENDPOINTS_CHECKED).get(0);
      assertEquals(Severity.INFO, checked.severity());
      assertEquals(List.of("localhost:" + ssl2.port() + ": accepts SSL 2.0 with the same RSA key"),
          checked.evidence().get("endpoints"));
    }
  }

  @Test
  void targetAcceptingSsl2_andAnEndpointWithTheSameKey_isOneDrown() throws Exception {
    byte[] encoded = leaf.certificate().getEncoded();
    try (BcTlsServer tls = BcTlsServer.builder().certificate(leaf).versions(TlsVersion.TLS_1_2).start();
        Sslv2Test.FakeServer both = new Sslv2Test.FakeServer((first, s) -> {
          if ((first[0] & 0x80) != 0) {
            Sslv2Test.answerSsl2With(encoded).accept(first, s);
          } else {
            Sslv2Test.forward(first, s, tls.port());
          }
        });
        Sslv2Test.FakeServer mail = new Sslv2Test.FakeServer(Sslv2Test.answerSsl2With(encoded))) {
      Report r = inspect(both.port(), false, mail.port());
      List<Finding> drown = findings(r, Code.DROWN);
      assertEquals(1, drown.size(), r::summary);
      Finding one = drown.get(0);
      assertEquals(Severity.CRITICAL, one.severity());
      assertEquals("DROWN: the server accepts SSL 2.0", one.title());
      assertEquals(List.of("localhost:" + mail.port()), one.evidence().get("sslv2Endpoints"));
      assertTrue(one.detail().contains("also served over SSL 2.0 at localhost:" + mail.port()), one::detail);
      assertTrue(r.hasFinding(Code.PROTOCOL_SSL2), r::summary);
    }
  }

  @Test
  void anotherKeyOnTheSsl2Endpoint_isNoDrownForThisServer() throws Exception {
    try (TlsServer tls = TlsServer.builder().certificate(leaf).start();
        Sslv2Test.FakeServer ssl2 = new Sslv2Test.FakeServer(
            Sslv2Test.answerSsl2With(other.certificate().getEncoded()))) {
      Report r = inspect(tls.port(), false, ssl2.port());
      assertEquals(List.of(), findings(r, Code.DROWN), r::summary);
      Object endpoints = findings(r, Code.SSLV2_ENDPOINTS_CHECKED).get(0).evidence().get("endpoints");
      assertTrue(endpoints.toString().contains("accepts SSL 2.0 with another key"), endpoints::toString);
    }
  }

  @Test
  void refusingOrClosedEndpoints_areNotes_andTheInspectionGoesOn() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    try (TlsServer tls = TlsServer.builder().certificate(leaf).start();
        TlsServer modern = TlsServer.builder().certificate(leaf).start()) {
      Report r = inspect(tls.port(), false, modern.port(), closed);
      assertEquals(List.of(), findings(r, Code.DROWN), r::summary);
      @SuppressWarnings("unchecked")
      List<String> endpoints = (List<String>) findings(r, Code.SSLV2_ENDPOINTS_CHECKED).get(0)
          .evidence().get("endpoints");
      assertEquals(2, endpoints.size(), endpoints::toString);
      assertTrue(endpoints.get(0).startsWith("localhost:" + modern.port() + ": SSL 2.0 refused"), endpoints::toString);
      assertTrue(endpoints.get(1).startsWith("localhost:" + closed + ": SSL 2.0 refused or unreachable"),
          endpoints::toString);
      assertTrue(r.protocols().contains("TLSv1.3"), r::summary);
    }
  }

  @Test
  void quickMode_andNoEndpoints_askNobody() throws Exception {
    try (TlsServer tls = TlsServer.builder().certificate(leaf).start();
        Sslv2Test.FakeServer ssl2 = new Sslv2Test.FakeServer(
            Sslv2Test.answerSsl2With(leaf.certificate().getEncoded()))) {
      Report quick = inspect(tls.port(), true, ssl2.port());
      assertEquals(List.of(), findings(quick, Code.SSLV2_ENDPOINTS_CHECKED), quick::summary);
      assertEquals(List.of(), findings(quick, Code.DROWN), quick::summary);
      Report none = inspect(tls.port(), false);
      assertEquals(List.of(), findings(none, Code.SSLV2_ENDPOINTS_CHECKED), none::summary);
    }
  }
}
