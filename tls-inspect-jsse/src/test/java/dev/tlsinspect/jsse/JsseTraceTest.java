package dev.tlsinspect.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Target;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.probe.ClientOffer;
import dev.tlsinspect.probe.Deadline;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.ProbeRequest;
import dev.tlsinspect.probe.TraceEvent;
import dev.tlsinspect.probe.TraceEvent.Direction;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.RecordingLogger;
import dev.tlsinspect.testing.TlsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** The JSSE probe's handshake trace against real loopback servers and scripted peers. */
class JsseTraceTest {
  private static IssuedCertificate root;
  private static IssuedCertificate leaf;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("Trace Root").build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(root).build();
  }

  static ProbeRequest request(int port) {
    return request(port, Duration.ofSeconds(4));
  }

  static ProbeRequest request(int port, Duration readTimeout) {
    InetAddress loopback = loopback();
    return new ProbeRequest(Target.builder("localhost", port).connectAddress("127.0.0.1").build(),
        new InetSocketAddress(loopback, port), List.of(loopback), Deadline.after(Duration.ofSeconds(8)),
        Duration.ofSeconds(4), readTimeout,
        TrustMaterial.certificates(List.of(root.certificate())), ClientOffer.providerDefaults());
  }

  private static InetAddress loopback() {
    return InetAddress.getLoopbackAddress();
  }

  private static ProbeOutcome probe(int port, RecordingLogger log) {
    return assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> new JsseHandshake(request(port), "jsse", log).run());
  }

  private static List<TraceEvent> trace(ProbeOutcome outcome) {
    return outcome.observation().orElseThrow().trace();
  }

  private static int indexOf(List<TraceEvent> trace, Direction d, String type) {
    for (int i = 0; i < trace.size(); i++) {
      if (trace.get(i).direction() == d && trace.get(i).type().equals(type)) {
        return i;
      }
    }
    throw new AssertionError("no " + d + " " + type + " in " + trace);
  }

  @Test
  void tls13_traceShowsHelloesThenEncryptedRecords_andIsLoggedAtDebug() {
    RecordingLogger log = new RecordingLogger("jsse");
    try (TlsServer server = TlsServer.builder().certificate(leaf).protocols("TLSv1.3").start()) {
      ProbeOutcome outcome = probe(server.port(), log);
      assertInstanceOf(ProbeOutcome.Completed.class, outcome, outcome::toString);
      List<TraceEvent> trace = trace(outcome);
      assertEquals("TCP connect", trace.get(0).type());
      int hello = indexOf(trace, Direction.SENT, "ClientHello");
      int serverHello = indexOf(trace, Direction.RECEIVED, "ServerHello");
      assertTrue(hello < serverHello, trace::toString);
      TraceEvent ch = trace.get(hello);
      assertEquals("localhost", ch.fields().get("sni"), ch::describe);
      assertTrue(ch.fields().get("supported_versions").contains("TLSv1.3"), ch::describe);
      assertTrue(Integer.parseInt(ch.fields().get("suites")) > 0, ch::describe);
      assertTrue(ch.length() > 100, ch::describe);
      TraceEvent sh = trace.get(serverHello);
      assertEquals("TLSv1.3", sh.fields().get("version"));
      String negotiated = outcome.observation().orElseThrow().cipherSuite().orElseThrow().name();
      assertEquals(negotiated, sh.fields().get("suite"));
      assertTrue(sh.fields().containsKey("group"), sh::describe);
      assertTrue(indexOf(trace, Direction.RECEIVED, "encrypted record") > serverHello);
      assertTrue(trace.stream().noneMatch(e -> e.type().equals("Certificate")),
          "TLS 1.3 certificates are encrypted: " + trace);
      for (int i = 1; i < trace.size(); i++) {
        assertTrue(trace.get(i).at().compareTo(trace.get(i - 1).at()) >= 0, "ordered in time");
      }
      assertTrue(log.messages(Level.DEBUG).stream().anyMatch(m -> m.contains("-> ClientHello")),
          log.lines()::toString);
      assertTrue(log.lines().stream().allMatch(l -> l.level() == Level.DEBUG), log.lines()::toString);
    }
  }

  @Test
  void tls12_traceShowsCertificateCountAndChangeCipherSpec() {
    try (TlsServer server = TlsServer.builder().certificateChain(leaf, root.certificate())
        .protocols("TLSv1.2").start()) {
      ProbeOutcome outcome = probe(server.port(), new RecordingLogger("jsse"));
      assertInstanceOf(ProbeOutcome.Completed.class, outcome, outcome::toString);
      List<TraceEvent> trace = trace(outcome);
      int sh = indexOf(trace, Direction.RECEIVED, "ServerHello");
      assertEquals("TLSv1.2", trace.get(sh).fields().get("version"));
      assertEquals(outcome.observation().orElseThrow().cipherSuite().orElseThrow().name(),
          trace.get(sh).fields().get("suite"));
      TraceEvent cert = trace.get(indexOf(trace, Direction.RECEIVED, "Certificate"));
      assertEquals("2", cert.fields().get("certificates"));
      assertTrue(cert.length() > 200, cert::describe);
      TraceEvent ske = trace.get(indexOf(trace, Direction.RECEIVED, "ServerKeyExchange"));
      assertTrue(ske.fields().containsKey("group") || ske.fields().containsKey("dh_bits"), ske::describe);
      assertTrue(indexOf(trace, Direction.RECEIVED, "ServerHelloDone") > sh);
      assertTrue(indexOf(trace, Direction.SENT, "ClientKeyExchange") > sh);
      assertTrue(indexOf(trace, Direction.SENT, "ChangeCipherSpec") > sh);
      assertTrue(indexOf(trace, Direction.RECEIVED, "encrypted handshake") > sh);
    }
  }

  @Test
  void alertingServer_traceHasTheAlertAndTheFailure() {
    try (FakePeer peer = FakePeer.alert(40)) {
      ProbeOutcome outcome = probe(peer.port(), new RecordingLogger("jsse"));
      assertInstanceOf(ProbeOutcome.Failed.class, outcome);
      List<TraceEvent> trace = trace(outcome);
      TraceEvent alert = trace.get(indexOf(trace, Direction.RECEIVED, "Alert"));
      assertEquals("fatal", alert.fields().get("level"));
      assertEquals("handshake_failure", alert.fields().get("description"));
      assertTrue(indexOf(trace, Direction.SENT, "ClientHello") < trace.indexOf(alert));
      TraceEvent last = trace.get(trace.size() - 1);
      assertEquals("failure", last.type());
      assertEquals("ALERT_RECEIVED", last.fields().get("kind"));
    }
  }

  @Test
  void httpPeer_traceEndsWithTheBytesReceivedAndTheFailure() {
    try (FakePeer peer = FakePeer.http()) {
      ProbeOutcome outcome = probe(peer.port(), new RecordingLogger("jsse"));
      List<TraceEvent> trace = trace(outcome);
      TraceEvent bytes = trace.get(indexOf(trace, Direction.RECEIVED, "not TLS"));
      assertTrue(bytes.fields().get("text").startsWith("HTTP/"), bytes::describe);
      assertTrue(bytes.length() > 0);
      TraceEvent last = trace.get(trace.size() - 1);
      assertEquals("failure", last.type());
      assertEquals("NOT_TLS", last.fields().get("kind"));
    }
  }

  @Test
  void refusedConnection_traceIsTheFailure() {
    ProbeOutcome outcome = probe(FakePeer.closedPort(), new RecordingLogger("jsse"));
    List<TraceEvent> trace = trace(outcome);
    assertEquals(1, trace.size(), trace::toString);
    assertEquals("CONNECTION_REFUSED", trace.get(0).fields().get("kind"));
  }

  @Test
  void silentPeer_traceHasTheTimeoutThenTheFailure() {
    try (FakePeer peer = FakePeer.silent()) {
      ProbeOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(20),
          () -> new JsseHandshake(request(peer.port(), Duration.ofSeconds(1)), "jsse",
              new RecordingLogger("jsse")).run());
      List<TraceEvent> trace = trace(outcome);
      int timeout = indexOf(trace, Direction.LOCAL, "timeout");
      assertTrue(indexOf(trace, Direction.SENT, "ClientHello") < timeout);
      assertEquals("1000 ms", trace.get(timeout).fields().get("waited"));
      TraceEvent last = trace.get(trace.size() - 1);
      assertEquals("HANDSHAKE_TIMEOUT", last.fields().get("kind"));
    }
  }

  @Test
  void closingPeer_traceHasTheCloseThenTheFailure() {
    try (FakePeer peer = FakePeer.closeAfterClientHello()) {
      List<TraceEvent> trace = trace(probe(peer.port(), new RecordingLogger("jsse")));
      assertTrue(indexOf(trace, Direction.RECEIVED, "close") > indexOf(trace, Direction.SENT, "ClientHello"));
      assertEquals("CONNECTION_RESET", trace.get(trace.size() - 1).fields().get("kind"));
    }
  }
}
