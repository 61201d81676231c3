package dev.tlsinspect.jsse;

import static dev.tlsinspect.testing.ReportAssert.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.ClockReference;
import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakeSntpServer;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CLOCK_SKEW against a real loopback HTTPS server that announces a chosen Date, and a fake SNTP
 * server on 127.0.0.1: this machine's clock is played by the injected clock of the options.
 */
class ClockSkewTest {
  private static final Duration THREE_DAYS = Duration.ofDays(3);
  private static IssuedCertificate root;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("clock test root").validFrom(Instant.now().minus(Duration.ofDays(30)))
        .validUntil(Instant.now().plus(Duration.ofDays(300))).build();
  }

  private static IssuedCertificate leaf(Instant notBefore, Instant notAfter) {
    return CertificateBuilder.leaf("localhost").issuedBy(root).validFrom(notBefore).validUntil(notAfter)
        .crlUrl("http://127.0.0.1:9/ca.crl").build();
  }

  private static InspectOptions.Builder options() {
    return InspectOptions.builder().trust(TrustMaterial.certificates(List.of(root.certificate())))
        .timeout(Duration.ofSeconds(6));
  }

  private static Report inspect(TlsServer server, InspectOptions options) {
    TlsInspector inspector = TlsInspector.builder().probe(new JsseProbe()).options(options).build();
    Target t = Target.builder("localhost", server.port()).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> inspector.inspect(t));
  }

  private static void assertAbout(long expectedSeconds, Object actual) {
    long seconds = (Long) actual;
    assertTrue(Math.abs(seconds - expectedSeconds) < 120, "offset " + seconds + " s, expected about " + expectedSeconds);
  }

  @Test
  void localClockThreeDaysAhead_httpDate_certificateLooksExpired_clockSkewIsTheRootCause() throws Exception {
    Instant now = Instant.now();
    IssuedCertificate leaf = leaf(now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(1)));
    Clock ahead = Clock.offset(Clock.systemUTC(), THREE_DAYS);
    try (TlsServer server = TlsServer.builder().certificate(leaf).dateHeader(Instant.now()).start()) {
      Report report = inspect(server, options().clock(ahead).clockReference(ClockReference.httpDate()).build());

      assertEquals(Verdict.FAIL, report.verdict(), report::summary);
      Finding skew = only(report, Code.CLOCK_SKEW);
      assertTrue(skew.rootCause(), report::summary);
      assertEquals(Severity.HIGH, skew.severity());
      assertAbout(-THREE_DAYS.toSeconds(), skew.evidence().get("offsetSeconds"));
      assertEquals("http Date of 127.0.0.1:" + server.port(), skew.evidence().get("source"));
      assertInstanceOf(Instant.class, skew.evidence().get("localTime"));
      assertInstanceOf(Instant.class, skew.evidence().get("referenceTime"));
      assertEquals(300L, skew.evidence().get("thresholdSeconds"));
      assertTrue(skew.title().contains("3 d") && skew.title().contains("ahead of"), skew.title());
      assertEquals(List.of("expired leaf certificate CN=localhost"), skew.evidence().get("explains"));

      Finding expired = only(report, Code.CERT_EXPIRED);
      assertFalse(expired.rootCause(), "the clock, not the certificate, is what to fix");
      assertTrue(((String) expired.evidence().get("clockSkew")).contains("see CLOCK_SKEW"), expired.evidence().toString());
      assertTrue(expired.detail().contains("(CLOCK_SKEW)"), expired.detail());
      assertEquals(Code.CLOCK_SKEW, report.findings().get(0).code(), "root causes come first");

      assertTrue(server.awaitFinishedConnections(2, Duration.ofSeconds(5)));
      assertEquals(List.of("HEAD / HTTP/1.1"), server.requestLines());
    }
  }

  @Test
  void serverClockThreeDaysBehind_certificateRejectedByJsse_clockSkewIsTheRootCause() {
    // This machine's real clock is the wrong one here: the certificate expired a day ago by it,
    // but the server's Date says it is three days earlier, when the certificate was valid.
    Instant now = Instant.now();
    IssuedCertificate leaf = leaf(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
    try (TlsServer server = TlsServer.builder().certificate(leaf).dateHeader(now.minus(THREE_DAYS)).start()) {
      Report report = inspect(server, options().clockReference(ClockReference.httpDate()).build());

      ProbeOutcome.Failed failed = assertInstanceOf(ProbeOutcome.Failed.class, report.outcomes().get(0));
      assertEquals(FailureKind.CERTIFICATE_REJECTED, failed.failure().kind());
      Finding skew = only(report, Code.CLOCK_SKEW);
      assertTrue(skew.rootCause(), report::summary);
      assertAbout(-THREE_DAYS.toSeconds(), skew.evidence().get("offsetSeconds"));
      Finding expired = only(report, Code.CERT_EXPIRED);
      assertFalse(expired.rootCause(), report::summary);
      assertTrue(expired.evidence().containsKey("clockSkew"));
      assertFalse(report.hasFinding(Code.HANDSHAKE_FAILED), report::summary);
    }
  }

  @Test
  void smallSkew_isNoFinding_andTheExpiredCertificateSaysTheClockAgrees() throws Exception {
    Instant now = Instant.now();
    IssuedCertificate leaf = leaf(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
    try (TlsServer server = TlsServer.builder().certificate(leaf).dateHeader(now.minusSeconds(30)).start()) {
      Report report = inspect(server, options().clockReference(ClockReference.httpDate()).build());

      assertFalse(report.hasFinding(Code.CLOCK_SKEW), report::summary);
      Finding expired = only(report, Code.CERT_EXPIRED);
      assertTrue(expired.rootCause(), report::summary);
      assertTrue(((String) expired.evidence().get("clockCheck")).startsWith("this machine's clock agrees with http Date"),
          expired.evidence().toString());
      assertTrue(server.awaitFinishedConnections(2, Duration.ofSeconds(5)));
      assertEquals(List.of("HEAD / HTTP/1.1"), server.requestLines());
    }
  }

  @Test
  void optionOff_noRequestIsMade_evenWhenTheCertificateLooksExpired() throws Exception {
    Instant now = Instant.now();
    IssuedCertificate leaf = leaf(now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(1)));
    try (TlsServer server = TlsServer.builder().certificate(leaf).dateHeader(now).start()) {
      Report report = inspect(server, options().clock(Clock.offset(Clock.systemUTC(), THREE_DAYS)).build());

      assertTrue(report.hasFinding(Code.CERT_EXPIRED), report::summary);
      assertFalse(report.hasFinding(Code.CLOCK_SKEW), report::summary);
      int probes = report.outcomes().size(); // the handshake, and the one without SNI
      assertTrue(server.awaitFinishedConnections(probes, Duration.ofSeconds(5)));
      assertEquals(probes, server.connections(), "only the probes' own connections");
      assertEquals(List.of(), server.requestLines());
      assertFalse(only(report, Code.CERT_EXPIRED).evidence().containsKey("clockCheck"));
    }
  }

  @Test
  void sntpReference_findsTheSkew() {
    Instant now = Instant.now();
    IssuedCertificate leaf = leaf(now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(1)));
    try (TlsServer server = TlsServer.builder().certificate(leaf).start();
        FakeSntpServer sntp = FakeSntpServer.answering(Clock.systemUTC())) {
      Report report = inspect(server, options().clock(Clock.offset(Clock.systemUTC(), THREE_DAYS))
          .clockReference(ClockReference.sntp("127.0.0.1", sntp.port())).build());

      Finding skew = only(report, Code.CLOCK_SKEW);
      assertTrue(skew.rootCause(), report::summary);
      assertEquals("sntp 127.0.0.1:" + sntp.port(), skew.evidence().get("source"));
      assertAbout(-THREE_DAYS.toSeconds(), skew.evidence().get("offsetSeconds"));
      assertEquals(1, sntp.requests());
      assertFalse(only(report, Code.CERT_EXPIRED).rootCause());
      assertEquals(List.of(), server.requestLines(), "SNTP asks the SNTP server only");
    }
  }

  @Test
  void sntpBehindByAnHour_isClockSkewWithoutRootCause_whenNoCertificateDependsOnIt() {
    Instant now = Instant.now();
    IssuedCertificate leaf = leaf(now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(100)));
    try (TlsServer server = TlsServer.builder().certificate(leaf).start();
        FakeSntpServer sntp = FakeSntpServer.answering(Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)))) {
      Report report = inspect(server, options().clockReference(ClockReference.sntp("127.0.0.1", sntp.port())).build());

      Finding skew = only(report, Code.CLOCK_SKEW);
      assertFalse(skew.rootCause(), report::summary);
      assertEquals(Severity.HIGH, skew.severity());
      assertAbout(-3600, skew.evidence().get("offsetSeconds"));
      assertFalse(skew.evidence().containsKey("explains"));
      assertEquals(Verdict.FAIL, report.verdict(), "HIGH fails the verdict");
    }
  }

  @Test
  void thresholdIsConfigurable() {
    Instant now = Instant.now();
    IssuedCertificate leaf = leaf(now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(100)));
    try (TlsServer server = TlsServer.builder().certificate(leaf).start();
        FakeSntpServer sntp = FakeSntpServer.answering(Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)))) {
      Report report = inspect(server, options().clockReference(ClockReference.sntp("127.0.0.1", sntp.port()))
          .clockSkewThreshold(Duration.ofHours(2)).build());
      assertFalse(report.hasFinding(Code.CLOCK_SKEW), report::summary);
      assertEquals(1, sntp.requests());
    }
  }

  @Test
  void silentSntpServer_isANoteOnTheCertificateFinding_withinTheDeadline() {
    Instant now = Instant.now();
    IssuedCertificate leaf = leaf(now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(1)));
    try (TlsServer server = TlsServer.builder().certificate(leaf).start();
        FakeSntpServer sntp = FakeSntpServer.silent()) {
      Report report = inspect(server, options().clock(Clock.offset(Clock.systemUTC(), THREE_DAYS))
          .clockReference(ClockReference.sntp("127.0.0.1", sntp.port())).build());

      assertFalse(report.hasFinding(Code.CLOCK_SKEW), report::summary);
      Finding expired = only(report, Code.CERT_EXPIRED);
      assertEquals("sntp 127.0.0.1:" + sntp.port() + ": no answer within the time left",
          expired.evidence().get("clockCheck"));
      assertEquals(1, sntp.requests());
    }
  }

  @Test
  void serverWithoutDateHeader_isANote_notAFinding() {
    Instant now = Instant.now();
    IssuedCertificate leaf = leaf(now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(1)));
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      Report report = inspect(server, options().clock(Clock.offset(Clock.systemUTC(), THREE_DAYS))
          .clockReference(ClockReference.httpDate()).build());

      assertFalse(report.hasFinding(Code.CLOCK_SKEW), report::summary);
      assertEquals("http Date of 127.0.0.1:" + server.port() + ": the answer has no Date header",
          only(report, Code.CERT_EXPIRED).evidence().get("clockCheck"));
    }
  }

  @Test
  void clockReference_parsesTheCliForms() {
    assertTrue(ClockReference.parse("http").isHttpDate());
    assertEquals(ClockReference.sntp("127.0.0.1", 123), ClockReference.parse("sntp:127.0.0.1"));
    assertEquals(ClockReference.sntp("127.0.0.1", 1123), ClockReference.parse("sntp:127.0.0.1:1123"));
    assertEquals(ClockReference.sntp("::1", 1123), ClockReference.parse("sntp:[::1]:1123"));
    assertEquals(ClockReference.sntp("::1", 123), ClockReference.parse("sntp:::1"));
    assertEquals("sntp:[::1]:123", ClockReference.sntp("::1", 123).toString());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ClockReference.parse("ntp"));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> ClockReference.parse("sntp:127.0.0.1:99999"));
  }
}
