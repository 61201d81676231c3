package dev.tlsinspect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import dev.tlsinspect.testing.VulnerablePeer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --vulns}: the active probes run only when asked, the report (text and JSON) says which
 * ran, a finding carries its code, severity and evidence, and {@code --quick} refuses them.
 */
class VulnsCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode finding(JsonNode report, String code) {
    for (JsonNode f : report.get("findings")) {
      if (code.equals(f.get("code").asText())) {
        return f;
      }
    }
    throw new AssertionError("no " + code + " finding in " + report.get("findings"));
  }

  private static boolean has(JsonNode report, String code) {
    for (JsonNode f : report.get("findings")) {
      if (code.equals(f.get("code").asText())) {
        return true;
      }
    }
    return false;
  }

  @Test
  void vulns_reportsCcsInjection_andWhatRan_inJsonAndText() throws Exception {
    try (VulnerablePeer peer = VulnerablePeer.earlyCcs()) {
      MainTest.Run json = MainTest.run("--json", "--vulns", "--timeout", "20s", "127.0.0.1:" + peer.port());
      assertEquals(2, json.status(), json.out() + json.err());
      JsonNode report = JSON.readTree(json.out());
      JsonNode ccs = finding(report, "CCS_INJECTION");
      assertEquals("CRITICAL", ccs.get("severity").asText());
      assertEquals("bad_record_mac", ccs.get("evidence").get("alertAfterEarlyCcs").asText());
      JsonNode run = finding(report, "ACTIVE_PROBES_RUN");
      assertEquals("INFO", run.get("severity").asText());
      assertEquals("[\"HEARTBLEED\",\"CCS_INJECTION\",\"ROBOT\"]", run.get("evidence").get("probes").toString());
      assertTrue(run.get("evidence").get("CCS_INJECTION").asText().startsWith("vulnerable: "), run.toString());

      MainTest.Run text = MainTest.run("--vulns", "--timeout", "20s", "127.0.0.1:" + peer.port());
      assertEquals(2, text.status(), text.out() + text.err());
      assertTrue(text.out().contains("CCS_INJECTION"), text.out());
      assertTrue(text.out().contains("ACTIVE_PROBES_RUN"), text.out());
      assertTrue(text.out().contains("Active vulnerability probes were run: HEARTBLEED, CCS_INJECTION, ROBOT"),
          text.out());
    }
  }

  @Test
  void withoutVulns_noActiveProbeRuns(@TempDir Path dir) throws Exception {
    IssuedCertificate root = CertificateBuilder.root("vulns cli root").build();
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(root).build();
    Path rootPem = Files.writeString(dir.resolve("root.pem"), root.toPem());
    try (VulnerablePeer peer = VulnerablePeer.earlyCcs();
        TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      MainTest.Run json = MainTest.run("--json", "--timeout", "10s", "127.0.0.1:" + peer.port());
      JsonNode report = JSON.readTree(json.out());
      assertFalse(has(report, "ACTIVE_PROBES_RUN"), json.out());
      assertFalse(has(report, "CCS_INJECTION"), json.out());

      MainTest.Run healthy = MainTest.run("--json", "--vulns", "--timeout", "20s", "--ca-file",
          rootPem.toString(), "--connect", "127.0.0.1", "localhost:" + server.port());
      JsonNode r = JSON.readTree(healthy.out());
      assertTrue(has(r, "ACTIVE_PROBES_RUN"), healthy.out());
      for (String code : new String[] {"HEARTBLEED", "CCS_INJECTION", "ROBOT"}) {
        assertFalse(has(r, code), code + " in " + healthy.out());
      }
    }
  }

  @Test
  void vulnsWithQuick_isAUsageError() {
    MainTest.Run r = MainTest.run("--vulns", "--quick", "127.0.0.1:1");
    assertEquals(3, r.status());
    assertTrue(r.err().startsWith("tls-inspect: --vulns runs active probes, which quick mode never does"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void drownCheck_withQuick_orABadEndpoint_isOneUsageError_andNothingIsContacted() {
    MainTest.Run quick = MainTest.run("--drown-check", "127.0.0.1:2525", "--quick", "127.0.0.1:1");
    assertEquals(3, quick.status());
    assertTrue(quick.err().startsWith("tls-inspect: --drown-check asks other endpoints for SSL 2.0"), quick.err());
    assertEquals("", quick.out());
    MainTest.Run bad = MainTest.run("--drown-check", "127.0.0.1:99999", "127.0.0.1:1");
    assertEquals(3, bad.status());
    assertTrue(bad.err().startsWith("tls-inspect: --drown-check 127.0.0.1:99999: "), bad.err());
    assertEquals(2, bad.err().strip().lines().count(), bad.err()); // the error, then where help is
    assertEquals("", bad.out());
  }

  @Test
  void drownCheck_asksTheNamedEndpoint_andTheJsonSaysWhat() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    MainTest.Run r = MainTest.run("--json", "--drown-check", "127.0.0.1:" + closed, "127.0.0.1:" + closed);
    // The target is closed: nothing to compare with, so the endpoint is not asked, and the JSON says so.
    assertTrue(r.out().contains("\"SSLV2_ENDPOINTS_CHECKED\""), r.out());
    assertTrue(r.out().contains("127.0.0.1:" + closed + ": not asked (the target sent no RSA certificate"), r.out());
  }
}
