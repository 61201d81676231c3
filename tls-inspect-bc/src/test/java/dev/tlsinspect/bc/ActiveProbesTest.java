package dev.tlsinspect.bc;

import static dev.tlsinspect.testing.ReportAssert.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tlsinspect.ActiveProbes;
import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.jsse.JsseProbe;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.BcTlsServer;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.HostilePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import dev.tlsinspect.testing.VulnerablePeer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The opt-in active vulnerability probes (Heartbleed, CCS injection, ROBOT) in full inspections:
 * positive against the scripted {@link VulnerablePeer}s (no stack here has these flaws any more),
 * negative against real servers (in-JVM JSSE and Bouncy Castle servers, {@code openssl s_server}),
 * off by default and in quick mode, and bounded against a flooding peer.
 */
class ActiveProbesTest {
  private static final Duration GUARD = Duration.ofSeconds(40); // hang guard only
  private static IssuedCertificate root;
  private static IssuedCertificate leaf;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("Active Probes Test Root").build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(root).rsa(2048).build();
  }

  /** All three probes, ROBOT with 10 connections and no pause, so the suite stays fast. */
  private static InspectOptions.Builder options() {
    return InspectOptions.builder()
        .trust(TrustMaterial.certificates(List.of(root.certificate())))
        .timeout(Duration.ofSeconds(20))
        .readTimeout(Duration.ofSeconds(1))
        .activeProbes(ActiveProbes.all().withRobotBounds(10, Duration.ZERO));
  }

  private static Report inspect(int port, InspectOptions options) {
    TlsInspector inspector = TlsInspector.builder().probe(new JsseProbe()).options(options).build();
    Target t = Target.builder("localhost", port).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(GUARD, () -> inspector.inspect(t, options));
  }

  private static String ran(Report report, Code probe) {
    Finding run = only(report, Code.ACTIVE_PROBES_RUN);
    assertEquals(Severity.INFO, run.severity());
    assertEquals(List.of("HEARTBLEED", "CCS_INJECTION", "ROBOT"), run.evidence().get("probes"));
    return (String) run.evidence().get(probe.name());
  }

  // --- positive: scripted peers with the flaw -------------------------------------------------

  @Test
  void heartbleedPeer_isHeartbleed_critical_withByteCountOnly() {
    try (VulnerablePeer peer = VulnerablePeer.heartbleed()) {
      Report report = inspect(peer.port(), options().build());
      Finding f = only(report, Code.HEARTBLEED);
      assertEquals(Severity.CRITICAL, f.severity());
      assertEquals("CVE-2014-0160", f.evidence().get("cve"));
      assertEquals(4096L, f.evidence().get("payloadLengthClaimed"));
      assertEquals(0L, f.evidence().get("payloadSent"));
      assertEquals(3L + 4096 + 16, f.evidence().get("bytesReturned"));
      assertFalse(report.toString().contains("LLLLLLLL"), "the returned bytes are never kept or shown");
      assertTrue(ran(report, Code.HEARTBLEED).startsWith("vulnerable: "), report::summary);
      assertFalse(report.hasFinding(Code.CCS_INJECTION), report::summary);
    }
  }

  @Test
  void heartbeatThatDiscardsOverLongRequests_isNoFinding() {
    try (VulnerablePeer peer = VulnerablePeer.heartbeatPatched()) {
      Report report = inspect(peer.port(), options().activeProbes(
          new ActiveProbes(true, false, false, 5, Duration.ZERO)).build());
      assertFalse(report.hasFinding(Code.HEARTBLEED), report::summary);
      Finding run = only(report, Code.ACTIVE_PROBES_RUN);
      assertEquals(List.of("HEARTBLEED"), run.evidence().get("probes"));
      assertTrue(((String) run.evidence().get("HEARTBLEED"))
          .startsWith("not vulnerable: the server negotiates heartbeats and discarded"), run::toString);
    }
  }

  @Test
  void serverAcceptingEarlyCcs_isCcsInjection_critical() {
    try (VulnerablePeer peer = VulnerablePeer.earlyCcs()) {
      Report report = inspect(peer.port(), options().build());
      Finding f = only(report, Code.CCS_INJECTION);
      assertEquals(Severity.CRITICAL, f.severity());
      assertEquals("CVE-2014-0224", f.evidence().get("cve"));
      assertEquals("bad_record_mac", f.evidence().get("alertAfterEarlyCcs"));
      assertFalse(report.hasFinding(Code.HEARTBLEED), "no heartbeat negotiated: " + report.summary());
      assertTrue(ran(report, Code.HEARTBLEED).startsWith("not vulnerable: the server does not negotiate"));
    }
  }

  @Test
  void rsaPaddingOracle_isRobot_high_withEachVectorsAnswer_andBoundedConnections() {
    try (VulnerablePeer peer = VulnerablePeer.paddingOracle(leaf)) {
      Report report = inspect(peer.port(), options().activeProbes(
          new ActiveProbes(false, false, true, 10, Duration.ZERO)).build());
      Finding f = only(report, Code.ROBOT);
      assertEquals(Severity.HIGH, f.severity());
      assertEquals(List.of("valid PKCS#1 block: alert bad_record_mac",
          "wrong first bytes (0x4117): alert handshake_failure",
          "0x00 too early: alert handshake_failure",
          "no 0x00 separator: alert handshake_failure",
          "wrong version in premaster secret: alert bad_record_mac"), f.evidence().get("answers"));
      assertEquals(10L, f.evidence().get("connections"));
      assertEquals(2L, f.evidence().get("rounds"));
      // the main handshake (JSSE) plus at most the 10 ROBOT connections
      assertTrue(peer.connections() <= 11, "connections: " + peer.connections());
    }
  }

  // --- negative: real servers -----------------------------------------------------------------

  @Test
  void jsseServer_givesNoVulnerabilityFinding_andSaysWhatRan() {
    try (TlsServer server = TlsServer.builder().certificate(leaf).protocols("TLSv1.3", "TLSv1.2").start()) {
      Report report = inspect(server.port(), options().build());
      assertNone(report);
      assertTrue(ran(report, Code.HEARTBLEED).startsWith("not vulnerable: the server does not negotiate"));
      assertTrue(ran(report, Code.CCS_INJECTION).startsWith("not vulnerable: the server refused the early "
          + "ChangeCipherSpec with alert unexpected_message"), report::summary);
    }
  }

  @Test
  void bcServerWithRsaKeyExchange_isNoOracle() {
    try (BcTlsServer server = BcTlsServer.builder().certificate(leaf).versions(TlsVersion.TLS_1_2)
        .cipherSuites(CipherSuite.of(0x002F)).start()) {
      Report report = inspect(server.port(), options().activeProbes(
          new ActiveProbes(false, true, true, 10, Duration.ZERO)).build());
      assertNone(report);
      String robot = (String) only(report, Code.ACTIVE_PROBES_RUN).evidence().get("ROBOT");
      assertTrue(robot.startsWith("not vulnerable: the server answered all 5 ClientKeyExchange vectors alike"),
          robot);
    }
  }

  @Test
  void opensslServer_default_andRsaOnly_isNoFinding(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("leaf.pem"), leaf.toPem());
    Files.writeString(dir.resolve("key.pem"), leaf.privateKeyPem());
    for (List<String> extra : List.of(List.<String>of(), List.of("-cipher", "AES128-SHA", "-no_tls1_3"))) {
      int port = freePort();
      Process openssl = startOpenssl(dir, port, extra);
      try {
        awaitListening(openssl, port);
        Report report = inspect(port, options().build());
        assertNone(report);
        String robot = ran(report, Code.ROBOT);
        assertTrue(robot.startsWith("not vulnerable: the server answered all 5"), extra + ": " + robot);
        assertTrue(ran(report, Code.HEARTBLEED).startsWith("not vulnerable"), report::summary);
        assertTrue(ran(report, Code.CCS_INJECTION).startsWith("not vulnerable"), report::summary);
      } finally {
        openssl.destroy();
        if (!openssl.waitFor(10, TimeUnit.SECONDS)) {
          openssl.destroyForcibly();
        }
      }
    }
  }

  private static void assertNone(Report report) {
    for (Code c : List.of(Code.HEARTBLEED, Code.CCS_INJECTION, Code.ROBOT)) {
      assertFalse(report.hasFinding(c), () -> c + " in " + report.summary());
    }
    assertTrue(report.hasFinding(Code.ACTIVE_PROBES_RUN), report::summary);
  }

  // --- never unless asked, never in quick mode, bounded ---------------------------------------

  @Test
  void offByDefault_andInQuickMode_noProbeRuns() {
    try (VulnerablePeer peer = VulnerablePeer.heartbleed()) {
      Report byDefault = inspect(peer.port(), options().activeProbes(ActiveProbes.none()).build());
      Report quick = inspect(peer.port(), options().quick(true).build());
      for (Report r : List.of(byDefault, quick)) {
        assertFalse(r.hasFinding(Code.ACTIVE_PROBES_RUN), r::summary);
        assertFalse(r.hasFinding(Code.HEARTBLEED), r::summary);
      }
      assertEquals(ActiveProbes.none(), InspectOptions.defaults().activeProbes());
    }
  }

  @Test
  void floodingPeer_endsWithinTheReadLimit_andDeadline() {
    try (HostilePeer peer = HostilePeer.endlessRecords()) {
      Report report = inspect(peer.port(), options().timeout(Duration.ofSeconds(8)).build());
      assertNone(report);
      // endless handshake records after a ServerHello: each probe stops at its 64 KB read limit
      String ccs = ran(report, Code.CCS_INJECTION);
      assertTrue(ccs.startsWith("not applicable: ") && ccs.contains("read limit of 65536 bytes reached"), ccs);
      String robot = ran(report, Code.ROBOT);
      assertTrue(robot.contains("read limit of 65536 bytes reached"), robot);
    }
  }

  @Test
  void closedPort_runsNoProbe_andSaysSo() throws IOException {
    Report report = inspect(freePort(), options().build());
    assertNone(report);
    assertEquals("not applicable: not run: no address of the target was reached", ran(report, Code.ROBOT));
  }

  // --- openssl ----------------------------------------------------------------------------------

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Process startOpenssl(Path dir, int port, List<String> extra) throws IOException {
    List<String> command = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port,
        "-cert", "leaf.pem", "-key", "key.pem", "-www", "-quiet"));
    command.addAll(extra);
    try {
      return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("openssl.log").toFile()).start();
    } catch (IOException e) {
      if (!"true".equals(System.getenv("CI"))) {
        Assumptions.abort("openssl not found: " + e.getMessage());
      }
      throw new AssertionError("this test needs the openssl command line tool (OpenSSL 3) on the "
          + "PATH; install it (apt-get install openssl); .ci/run does: " + e.getMessage(), e);
    }
  }

  private static void awaitListening(Process openssl, int port) {
    assertTimeoutPreemptively(GUARD, () -> {
      while (true) {
        if (!openssl.isAlive()) {
          fail("openssl s_server exited with " + openssl.exitValue());
        }
        try {
          new Socket("127.0.0.1", port).close();
          return;
        } catch (IOException notYet) {
          Thread.sleep(50);
        }
      }
    });
  }
}
