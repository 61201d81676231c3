package dev.tlsinspect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code --trace}: the main probe's timeline in text and as the JSON "trace" key. */
class TraceCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void trace_printsTheTimeline() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(CertificateBuilder.root("trace cli root").build()).build();
    try (TlsServer server = TlsServer.builder().certificate(leaf).protocols("TLSv1.2").start()) {
      MainTest.Run r = MainTest.run("--trace", "--quick", "--connect", "127.0.0.1", "localhost:" + server.port());
      assertTrue(r.out().contains("Handshake trace (main probe, provider jsse):"), r.out());
      List<String> lines = r.out().lines().toList();
      int header = lines.indexOf("Handshake trace (main probe, provider jsse):");
      List<String> timeline = lines.subList(header + 1, lines.size());
      Pattern event = Pattern.compile("  \\+\\d+\\.\\d{3}ms +(->|<-|--) .+");
      assertTrue(timeline.stream().allMatch(l -> l.isEmpty() || event.matcher(l).matches()), r.out());
      assertTrue(timeline.stream().anyMatch(l -> l.contains("-> ClientHello ") && l.contains("sni=localhost")), r.out());
      assertTrue(timeline.stream().anyMatch(l -> l.contains("<- ServerHello ") && l.contains("version=TLSv1.2")), r.out());
      assertTrue(timeline.stream().anyMatch(l -> l.contains("<- Certificate ") && l.contains("certificates=1")), r.out());
    }
  }

  @Test
  void withoutTrace_noTimelineAndNoJsonKey() throws Exception {
    try (FakePeer peer = FakePeer.alert(40)) {
      MainTest.Run text = MainTest.run("--quick", "--connect", "127.0.0.1", "localhost:" + peer.port());
      assertFalse(text.out().contains("Handshake trace"), text.out());
      MainTest.Run json = MainTest.run("--json", "--quick", "--connect", "127.0.0.1", "localhost:" + peer.port());
      assertFalse(JSON.readTree(json.out()).has("trace"), json.out());
    }
  }

  @Test
  void traceWithJson_addsTheTraceKey_andKeepsTheContractKeys() throws Exception {
    try (FakePeer peer = FakePeer.alert(40)) {
      MainTest.Run r = MainTest.run("--json", "--trace", "--quick", "--connect", "127.0.0.1",
          "localhost:" + peer.port());
      assertEquals(2, r.status(), r.err());
      JsonNode report = JSON.readTree(r.out());
      for (String key : List.of("target", "verdict", "findings", "protocols", "cipherSuites",
          "certificateChain", "timings")) {
        assertTrue(report.has(key), key);
      }
      JsonNode trace = report.get("trace");
      assertTrue(trace.isArray() && trace.size() >= 4, trace::toString);
      assertEquals("TCP connect", trace.get(0).get("type").asText());
      JsonNode hello = trace.get(1);
      assertEquals("SENT", hello.get("direction").asText());
      assertEquals("ClientHello", hello.get("type").asText());
      assertTrue(hello.get("length").asInt() > 100);
      assertTrue(hello.get("atMillis").isNumber());
      assertEquals("localhost", hello.get("fields").get("sni").asText());
      boolean alert = false;
      for (JsonNode e : trace) {
        alert |= e.get("type").asText().equals("Alert") && e.get("direction").asText().equals("RECEIVED")
            && e.get("fields").get("description").asText().equals("handshake_failure");
      }
      assertTrue(alert, trace::toString);
      JsonNode last = trace.get(trace.size() - 1);
      assertEquals("failure", last.get("type").asText());
      assertEquals("ALERT_RECEIVED", last.get("fields").get("kind").asText());
    }
  }

  @Test
  void explainTrace_withoutHost_isAUsageError() {
    MainTest.Run r = MainTest.run("explain", "--trace");
    assertEquals(3, r.status());
    assertTrue(r.err().startsWith("tls-inspect: --trace needs HOST[:PORT] to inspect"), r.err());
  }

  @Test
  void explainTrace_withHost_addsTheInspectionsTrace() throws Exception {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(CertificateBuilder.root("trace explain root").build()).build();
    String error = "javax.net.ssl.SSLHandshakeException: PKIX path building failed: "
        + "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid "
        + "certification path to requested target";
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      ExplainCliTest.Run text = ExplainCliTest.run(error, "explain", "--trace", "--connect", "127.0.0.1",
          "localhost:" + server.port());
      assertTrue(text.out().contains("Handshake trace (main probe, provider jsse):"), text.out());
      assertTrue(text.out().contains("-> ClientHello "), text.out());
      ExplainCliTest.Run json = ExplainCliTest.run(error, "explain", "--json", "--trace", "--connect",
          "127.0.0.1", "localhost:" + server.port());
      JsonNode trace = JSON.readTree(json.out()).get("trace");
      assertEquals("ClientHello", trace.get(1).get("type").asText(), json.out());
    }
  }
}
