package dev.tlsinspect.bc;

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

/** The Bouncy Castle probe's handshake trace: the same story as JSSE's, from the wire both ways. */
class BcTraceTest {
  private static IssuedCertificate root;
  private static IssuedCertificate leaf;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("BC Trace Root").build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(root).build();
  }

  private static ProbeOutcome probe(int port, RecordingLogger log) {
    return probe(port, log, Duration.ofSeconds(4));
  }

  private static ProbeOutcome probe(int port, RecordingLogger log, Duration readTimeout) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    ProbeRequest request = new ProbeRequest(
        Target.builder("localhost", port).connectAddress("127.0.0.1").build(),
        new InetSocketAddress(loopback, port), List.of(loopback), Deadline.after(Duration.ofSeconds(8)),
        Duration.ofSeconds(4), readTimeout, TrustMaterial.jvmDefault(),
        ClientOffer.providerDefaults());
    return assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> new BcHandshake(request, "bc", log).run());
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
  void tls13_clientHelloThenServerHelloWithTheNegotiatedSuite_loggedAtDebug() {
    RecordingLogger log = new RecordingLogger("bc");
    try (TlsServer server = TlsServer.builder().certificate(leaf).protocols("TLSv1.3").start()) {
      ProbeOutcome outcome = probe(server.port(), log);
      assertInstanceOf(ProbeOutcome.Completed.class, outcome, outcome::toString);
      List<TraceEvent> trace = trace(outcome);
      assertEquals("TCP connect", trace.get(0).type());
      int ch = indexOf(trace, Direction.SENT, "ClientHello");
      int sh = indexOf(trace, Direction.RECEIVED, "ServerHello");
      assertTrue(ch < sh);
      assertEquals("localhost", trace.get(ch).fields().get("sni"), trace.get(ch)::describe);
      assertEquals("TLSv1.3", trace.get(sh).fields().get("version"));
      assertEquals(outcome.observation().orElseThrow().cipherSuite().orElseThrow().name(),
          trace.get(sh).fields().get("suite"));
      assertTrue(indexOf(trace, Direction.RECEIVED, "encrypted record") > sh);
      assertTrue(indexOf(trace, Direction.SENT, "encrypted record") > sh);
      assertTrue(log.messages(Level.DEBUG).stream().anyMatch(m -> m.contains("-> ClientHello")),
          log.lines()::toString);
      assertTrue(log.lines().stream().allMatch(l -> l.level() == Level.DEBUG), log.lines()::toString);
    }
  }

  @Test
  void tls12_certificateWithItsCount() {
    try (TlsServer server = TlsServer.builder().certificateChain(leaf, root.certificate())
        .protocols("TLSv1.2").start()) {
      ProbeOutcome outcome = probe(server.port(), new RecordingLogger("bc"));
      assertInstanceOf(ProbeOutcome.Completed.class, outcome, outcome::toString);
      List<TraceEvent> trace = trace(outcome);
      int sh = indexOf(trace, Direction.RECEIVED, "ServerHello");
      assertEquals("TLSv1.2", trace.get(sh).fields().get("version"));
      assertEquals(outcome.observation().orElseThrow().cipherSuite().orElseThrow().name(),
          trace.get(sh).fields().get("suite"));
      assertEquals("2", trace.get(indexOf(trace, Direction.RECEIVED, "Certificate")).fields().get("certificates"));
      TraceEvent ske = trace.get(indexOf(trace, Direction.RECEIVED, "ServerKeyExchange"));
      assertTrue(ske.fields().containsKey("group") || ske.fields().containsKey("dh_bits"), ske::describe);
      assertTrue(indexOf(trace, Direction.SENT, "ChangeCipherSpec") > sh);
    }
  }

  @Test
  void alertingServer_traceHasTheAlertAndTheFailure() {
    try (FakePeer peer = FakePeer.alert(40)) {
      ProbeOutcome outcome = probe(peer.port(), new RecordingLogger("bc"));
      assertInstanceOf(ProbeOutcome.Failed.class, outcome);
      List<TraceEvent> trace = trace(outcome);
      TraceEvent alert = trace.get(indexOf(trace, Direction.RECEIVED, "Alert"));
      assertEquals("handshake_failure", alert.fields().get("description"));
      assertEquals("fatal", alert.fields().get("level"));
      TraceEvent last = trace.get(trace.size() - 1);
      assertEquals("failure", last.type());
      assertEquals("ALERT_RECEIVED", last.fields().get("kind"));
    }
  }

  @Test
  void garbagePeer_traceEndsWithTheBytesAndTheFailure() {
    try (FakePeer peer = FakePeer.http()) {
      ProbeOutcome outcome = probe(peer.port(), new RecordingLogger("bc"));
      List<TraceEvent> trace = trace(outcome);
      TraceEvent bytes = trace.get(indexOf(trace, Direction.RECEIVED, "not TLS"));
      assertTrue(bytes.fields().get("text").startsWith("HTTP/"), bytes::describe);
      TraceEvent last = trace.get(trace.size() - 1);
      assertEquals("failure", last.type());
      assertEquals("NOT_TLS", last.fields().get("kind"));
    }
  }

  @Test
  void silentPeer_traceHasTheTimeoutThenTheFailure() {
    try (FakePeer peer = FakePeer.silent()) {
      List<TraceEvent> trace = trace(probe(peer.port(), new RecordingLogger("bc"), Duration.ofSeconds(1)));
      int timeout = indexOf(trace, Direction.LOCAL, "timeout");
      assertTrue(indexOf(trace, Direction.SENT, "ClientHello") < timeout);
      assertEquals("HANDSHAKE_TIMEOUT", trace.get(trace.size() - 1).fields().get("kind"));
    }
  }

  @Test
  void closingPeer_traceHasTheCloseThenTheFailure() {
    try (FakePeer peer = FakePeer.closeAfterClientHello()) {
      ProbeOutcome outcome = probe(peer.port(), new RecordingLogger("bc"));
      List<TraceEvent> trace = trace(outcome);
      assertTrue(indexOf(trace, Direction.RECEIVED, "close") > indexOf(trace, Direction.SENT, "ClientHello"));
      // the trace ends with the failure the outcome reports
      assertEquals(assertInstanceOf(ProbeOutcome.Failed.class, outcome).failure().kind().name(),
          trace.get(trace.size() - 1).fields().get("kind"));
    }
  }
}
