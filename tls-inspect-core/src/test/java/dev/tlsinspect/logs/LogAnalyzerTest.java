package dev.tlsinspect.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Verdict;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unknown input, unrelated lines, mixed files, limits and the OpenSSL 1.1 code layout. */
class LogAnalyzerTest {
  private static final LogAnalyzer ANALYZER = LogAnalyzer.defaults();
  /** A real nginx 1.22.1 line (logs/nginx/error.log). */
  private static final String NGINX_CIPHER = "2026/11/26 01:44:22 [info] 10407#10407: *3 SSL_do_handshake() failed "
      + "(SSL: error:0A0000C1:SSL routines::no shared cipher) while SSL handshaking, client: 127.0.0.1, "
      + "server: 127.0.0.1:18443";

  @TempDir Path dir;

  @Test
  void syslogOfAnotherDaemon_isNotRecognised_neverDiagnosed() {
    List<String> cron = List.of(
        "Nov 26 01:17:01 host CRON[1234]: (root) CMD (   cd / && run-parts --report /etc/cron.hourly)",
        "Nov 26 01:17:01 host CRON[1233]: pam_unix(cron:session): session opened for user root(uid=0)",
        "Nov 26 01:20:44 host sshd[999]: Accepted publickey for admin from 127.0.0.1 port 50122 ssh2",
        "Nov 26 01:20:44 host systemd[1]: Started Session 4 of user admin.");

    LogReport r = ANALYZER.analyze(cron);

    assertFalse(r.recognised());
    assertEquals(List.of(), r.groups());
    assertEquals(List.of(), r.formats());
    assertEquals(4, r.unrecognisedLines());
    assertEquals(Verdict.PASS, r.verdict());
    assertTrue(r.summary().startsWith("Not recognised: none of the 4 lines is in a log format"), r.summary());
  }

  @Test
  void csvThatMentionsTls_isNotRecognised() {
    LogReport r = ANALYZER.analyze(List.of("host,port,error", "example.test,443,no shared cipher",
        "example.test,8443,certificate verify failed"));

    assertFalse(r.recognised());
    assertEquals(List.of(), r.groups());
    assertEquals(3, r.unrecognisedLines());
  }

  @Test
  void emptyInput_isNotRecognised() throws IOException {
    LogReport r = ANALYZER.analyze(new StringReader(""));

    assertFalse(r.recognised());
    assertEquals("Not recognised: the input is empty.", r.summary());
    assertEquals(0, r.lines());
  }

  @Test
  void mixedFile_countsUnknownLines_andKeepsTheDiagnosis() {
    LogReport r = ANALYZER.analyze(List.of(
        "some banner from a wrapper script",
        NGINX_CIPHER,
        "2026/11/26 01:44:22 [info] 10407#10407: *9 client 127.0.0.1 closed keepalive connection",
        "127.0.0.1 - - [26/Nov/2026:01:44:22 +0000] \"GET /missing HTTP/1.1\" 404 153 \"-\" \"curl/7.88.1\"",
        "another unknown line"));

    assertTrue(r.recognised());
    assertEquals(List.of(5L, 1L, 2L, 2L), List.of(r.lines(), r.tlsLines(), r.unrelatedLines(), r.unrecognisedLines()));
    assertEquals(List.of(LogFormat.NGINX, LogFormat.ACCESS_LOG), r.formats());
    assertEquals(1, r.groups().size());
    assertEquals(Code.NO_COMMON_CIPHER, r.groups().get(0).code());
    assertEquals("input:2", r.groups().get(0).firstLine());
    assertTrue(r.summary().endsWith("2 lines not recognised."), r.summary());
  }

  @Test
  void unrelatedLinesOfKnownFormats_areCountedAsUnrelated() {
    LogReport r = ANALYZER.analyze(List.of(
        "2026/11/26 01:44:21 [notice] 10406#10406: start worker process 10407",
        "[Thu Nov 26 01:44:35.286682 2026] [mpm_event:notice] [pid 10605:tid 10605] AH00489: Apache/2.4.71 "
            + "(Debian) OpenSSL/3.0.19 configured -- resuming normal operations",
        "127.0.0.1:45274 [26/Nov/2026:01:44:57.917] fe_tls~ fe_tls/<NOSRV> 0/-1/-1/-1/0 200 73 - - LR-- "
            + "1/1/0/0/0 0/0 \"GET / HTTP/1.1\"",
        "26-Nov-2026 01:54:19.451 INFO [main] org.apache.catalina.core.StandardService.startInternal Starting service [Tomcat]"));

    assertEquals(List.of(LogFormat.NGINX, LogFormat.APACHE, LogFormat.HAPROXY, LogFormat.TOMCAT), r.formats());
    assertEquals(4, r.unrelatedLines());
    assertEquals(List.of(), r.groups());
    assertEquals(Verdict.PASS, r.verdict());
  }

  @Test
  void nonTlsJavaStackTrace_isUnrelated() {
    LogReport r = ANALYZER.analyze(List.of(
        "2026-11-26 01:00:00.123 ERROR [main] c.e.App - request failed",
        "java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"s\" is null",
        "\tat com.example.App.handle(App.java:42)",
        "\tat com.example.App.main(App.java:10)"));

    assertTrue(r.recognised());
    assertEquals(List.of(), r.groups());
    assertEquals(4, r.unrelatedLines());
  }

  @Test
  void logbackLineWithSslException_isGroupedWithItsTime() {
    LogReport r = ANALYZER.analyze(List.of(
        "2026-11-26 01:00:00.123+0100 WARN [https-1] o.a.t.u.n.NioEndpoint - Handshake failed for 127.0.0.1",
        "javax.net.ssl.SSLHandshakeException: no cipher suites in common",
        "\tat java.base/sun.security.ssl.Alert.createSSLException(Alert.java:131)"));

    LogGroup g = r.groups().get(0);
    assertEquals(Code.NO_COMMON_CIPHER, g.code());
    assertEquals(LogFormat.JAVA, g.format());
    assertEquals(Optional.of(Instant.parse("2026-11-26T00:00:00.123Z")), g.firstSeen());
    assertEquals(List.of(new LogGroup.ClientCount("127.0.0.1", 1)), g.clients());
    assertEquals(3, r.tlsLines());
  }

  @Test
  void openssl11Codes_decodeLikeThree() {
    // OpenSSL 1.1 packs lib<<24 | func<<12 | reason; SSL is library 20 (0x14), reasons as in 3.x.
    LogReport r = ANALYZER.analyze(List.of(
        "140234:error:1408A0C1:SSL routines:ssl3_get_client_hello:no shared cipher:s3_srvr.c:1417:",
        "139937:error:1417A0C1:SSL routines:tls_post_process_client_hello:no shared cipher:ssl/statem/statem_srvr.c:2313:",
        "140000:error:14209102:SSL routines:tls_early_post_process_client_hello:unsupported protocol:ssl/statem/statem_srvr.c:1661:",
        "140001:error:1417C086:SSL routines:tls_process_client_certificate:certificate verify failed:ssl/statem/statem_srvr.c:3727:",
        "140002:error:14094418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:ssl/record/rec_layer_s3.c:1543:SSL alert number 48"));

    assertEquals(List.of(LogFormat.OPENSSL), r.formats());
    // Equal counts: the more severe first (HANDSHAKE_FAILED is CRITICAL, CLIENT_CERT_REQUIRED HIGH).
    assertEquals(List.of("NO_COMMON_CIPHER 2", "NO_COMMON_PROTOCOL 1", "HANDSHAKE_FAILED 1", "CLIENT_CERT_REQUIRED 1"),
        r.groups().stream().map(g -> g.code() + " " + g.count()).toList());
  }

  @Test
  void sslErrorStringInsideAnotherDaemonsLine_isRead_butOtherErrorsAreNot() {
    // The s_server error string of logs/openssl/s_server.log behind a syslog header, as daemons
    // that log OpenSSL's errors through syslog write it.
    LogReport r = ANALYZER.analyze(List.of(
        "Nov 26 01:45:00 host mydaemon[77]: TLS accept from 127.0.0.9 failed: 4017EC0BEC7F0000:error:0A0000C1:"
            + "SSL routines:tls_post_process_client_hello:no shared cipher:../ssl/statem/statem_srvr.c:2226:",
        "Nov 26 01:45:01 host mydaemon[77]: error:02001002:system library:fopen:No such file or directory"));

    assertEquals(List.of(LogFormat.OPENSSL), r.formats());
    assertEquals(1, r.unrecognisedLines(), "a non-SSL OpenSSL error is not a TLS failure");
    LogGroup g = r.groups().get(0);
    assertEquals(Code.NO_COMMON_CIPHER, g.code());
    assertEquals(List.of(new LogGroup.ClientCount("127.0.0.9", 1)), g.clients());
  }

  @Test
  void reasonNumber_winsOverAnUnusualText() {
    // The reason number 0xC1 is "no shared cipher" in both layouts, whatever the text says.
    LogReport r = ANALYZER.analyze(List.of("error:0A0000C1:SSL routines::(reason text lost)"));

    assertEquals(Code.NO_COMMON_CIPHER, r.groups().get(0).code());
  }

  @Test
  void upstreamVerifyErrors_mapToTheServersCertificateCodes() {
    LogReport r = ANALYZER.analyze(List.of(
        "2026/11/26 01:44:22 [error] 1#1: *5 upstream SSL certificate verify error: (10:certificate has expired) "
            + "while SSL handshaking to upstream, client: 127.0.0.1, server: , request: \"GET / HTTP/1.1\"",
        "2026/11/26 01:44:23 [error] 1#1: *6 upstream SSL certificate verify error: (20:unable to get local "
            + "issuer certificate) while SSL handshaking to upstream, client: 127.0.0.2, server: "));

    assertEquals(Code.CERT_EXPIRED, r.groups().get(0).code());
    assertEquals(Code.HANDSHAKE_FAILED, r.groups().get(1).code());
    // An upstream chain nginx cannot complete is as often its own CA file (proxy_ssl_trusted_certificate,
    // proxy_ssl_verify_depth) as a missing intermediate: the real-world corpus (issue #12).
    assertEquals(List.of(Code.CHAIN_INCOMPLETE, Code.CHAIN_UNTRUSTED, Code.TRUST_STORE_DIFFERS),
        r.groups().get(1).candidates());
  }

  @Test
  void longLines_areCutAndCounted() throws IOException {
    String huge = NGINX_CIPHER + " " + "x".repeat(100_000);
    LogReport r = ANALYZER.analyze(new StringReader(huge + "\n" + NGINX_CIPHER + "\r\n"));

    assertEquals(2, r.lines());
    assertEquals(1, r.truncatedLines());
    assertEquals(2, r.groups().get(0).count());
    assertTrue(r.groups().get(0).sample().length() <= 8192);
  }

  @Test
  void groupsAndClients_areBounded() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      lines.add("2026/11/26 01:44:22 [info] 1#1: *" + i + " client SSL certificate verify error: (" + i
          + ":reason " + i + ") while reading client request headers, client: 10.0." + (i / 250) + "." + (i % 250)
          + ", server: ");
    }
    for (int i = 0; i < 400; i++) {
      lines.add(NGINX_CIPHER.replace("client: 127.0.0.1", "client: 127.1." + (i / 200) + "." + (i % 200)));
    }
    LogReport r = LogAnalyzer.builder().maxGroups(50).build().analyze(lines);

    // 300 distinct verify errors fill the 50 groups (the cipher group never gets a place).
    assertEquals(50, r.groups().size());
    assertEquals(250 + 400, r.ungroupedEvents());
    assertEquals(700, r.failures());
    assertEquals(700, r.tlsLines());
  }

  @Test
  void clientsShown_areTheTopTwenty_restCounted() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int repeat = i < 5 ? 3 : 1;
      for (int k = 0; k < repeat; k++) {
        lines.add(NGINX_CIPHER.replace("client: 127.0.0.1", "client: 127.2." + (i / 200) + "." + (i % 200)));
      }
    }
    LogReport r = ANALYZER.analyze(lines);

    LogGroup g = r.groups().get(0);
    assertEquals(310, g.count());
    assertEquals(20, g.clients().size());
    assertEquals(3, g.clients().get(0).count());
    assertEquals(310 - g.clients().stream().mapToLong(LogGroup.ClientCount::count).sum(), g.otherClients());
  }

  @Test
  void zone_appliesToTimesWithoutOne() {
    LogReport r = LogAnalyzer.builder().zone(ZoneId.of("Europe/Berlin")).build().analyze(List.of(NGINX_CIPHER));

    assertEquals(Optional.of(Instant.parse("2026-11-26T00:44:22Z")), r.groups().get(0).firstSeen());
  }

  @Test
  void path_readsAFile_andInvalidUtf8IsReplaced() throws IOException {
    Path f = dir.resolve("error.log");
    byte[] bad = {(byte) 0xff, (byte) 0xfe, '\n'};
    Files.write(f, bad);
    Files.writeString(f, NGINX_CIPHER + "\n", java.nio.file.StandardOpenOption.APPEND);

    LogReport r = ANALYZER.analyze(f);

    assertEquals(2, r.lines());
    assertEquals("error.log:2", r.groups().get(0).firstLine());
  }

  @Test
  void builder_rejectsBadLimits() {
    assertThrows(IllegalArgumentException.class, () -> LogAnalyzer.builder().maxGroups(0));
    assertThrows(NullPointerException.class, () -> LogAnalyzer.builder().zone(null));
  }
}
