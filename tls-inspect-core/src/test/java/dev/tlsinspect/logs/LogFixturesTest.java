package dev.tlsinspect.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The analyzer on real logs: every fixture under {@code logs/} was written by the named server on
 * loopback while the clients of {@code logs/produce/clients.sh} connected (see {@code logs/README.md}).
 * Each test asserts the codes with their counts, the clients, the time range and the line counts,
 * so a wrong code, a lost line or a double-counted failure fails it.
 */
class LogFixturesTest {
  private static final LogAnalyzer ANALYZER = LogAnalyzer.defaults();

  static LogReport analyze(String resource) throws IOException {
    InputStream in = LogFixturesTest.class.getResourceAsStream("/logs/" + resource);
    if (in == null) {
      throw new AssertionError("missing fixture " + resource);
    }
    if (resource.endsWith(".gz")) {
      in = new GZIPInputStream(in);
    }
    try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      return ANALYZER.session().read(resource, r).report();
    }
  }

  /** "CODE message" to count, for one assertion per report. */
  static Map<String, Long> codes(LogReport r) {
    Map<String, Long> m = new TreeMap<>();
    for (LogGroup g : r.groups()) {
      m.merge(g.code().name() + " " + g.message(), g.count(), Long::sum);
    }
    return m;
  }

  static LogGroup group(LogReport r, Code code, String message) {
    return r.groups().stream().filter(g -> g.code().equals(code) && g.message().equals(message)).findFirst()
        .orElseThrow(() -> new AssertionError(code + " " + message + " not in " + codes(r)));
  }

  static void assertLines(LogReport r, long lines, long tls, long unrelated, long unrecognised) {
    assertEquals(List.of(lines, tls, unrelated, unrecognised),
        List.of(r.lines(), r.tlsLines(), r.unrelatedLines(), r.unrecognisedLines()), "lines, tls, unrelated, unrecognised");
  }

  @Test
  void nginx_errorLog() throws IOException {
    LogReport r = analyze("nginx/error.log");

    assertEquals(List.of(LogFormat.NGINX), r.formats());
    assertLines(r, 26, 11, 15, 0);
    assertEquals(Map.of(
        "NO_COMMON_PROTOCOL unsupported protocol", 2L,
        "NO_COMMON_CIPHER no shared cipher", 2L,
        "HANDSHAKE_FAILED clients reject the chain (unknown_ca)", 2L,
        "NOT_TLS plain HTTP on the TLS port", 1L,
        "HANDSHAKE_FAILED wrong version number", 1L,
        "CLIENT_CERT_REQUIRED no client certificate", 1L,
        "CLIENT_CERT_REQUIRED client certificate rejected: unable to verify the first certificate", 1L,
        "CLIENT_CERT_REQUIRED client certificate rejected: certificate has expired", 1L), codes(r));
    LogGroup protocol = group(r, Code.NO_COMMON_PROTOCOL, "unsupported protocol");
    assertEquals(Severity.CRITICAL, protocol.severity());
    assertEquals(List.of(new LogGroup.ClientCount("127.0.0.1", 2)), protocol.clients());
    assertEquals(Optional.of(Instant.parse("2026-11-26T01:44:22Z")), protocol.firstSeen());
    assertEquals("nginx/error.log:7", protocol.firstLine());
    assertEquals("nginx/error.log:8", protocol.lastLine());
    assertTrue(protocol.whatToChange().contains("ssl_protocols"), protocol.whatToChange());
    LogGroup chain = group(r, Code.HANDSHAKE_FAILED, "clients reject the chain (unknown_ca)");
    assertEquals(List.of(Code.CHAIN_INCOMPLETE, Code.CHAIN_UNTRUSTED, Code.CERT_SELF_SIGNED), chain.candidates());
    assertTrue(chain.whatToChange().contains("ssl_certificate"), chain.whatToChange());
    assertEquals(List.of(Code.NOT_TLS, Code.NO_COMMON_PROTOCOL),
        group(r, Code.HANDSHAKE_FAILED, "wrong version number").candidates());
    assertEquals(Verdict.FAIL, r.verdict());
    assertTrue(r.recognised());
  }

  @Test
  void nginx_accessLog_isUnrelated() throws IOException {
    LogReport r = analyze("nginx/access.log");

    assertEquals(List.of(LogFormat.ACCESS_LOG), r.formats());
    assertLines(r, 7, 0, 7, 0);
    assertEquals(List.of(), r.groups());
    assertEquals(Verdict.PASS, r.verdict());
    assertTrue(r.summary().startsWith("No TLS handshake failures in 7 lines"), r.summary());
  }

  @Test
  void apache_errorLog() throws IOException {
    LogReport r = analyze("apache/error.log");

    assertEquals(List.of(LogFormat.APACHE), r.formats());
    assertLines(r, 67, 23, 44, 0);
    assertEquals(Map.of(
        "NO_COMMON_PROTOCOL unsupported protocol", 2L,
        "NO_COMMON_CIPHER no shared cipher", 2L,
        "HANDSHAKE_FAILED clients reject the chain (unknown_ca)", 2L,
        "NOT_TLS plain HTTP on the TLS port", 1L,
        "HANDSHAKE_FAILED wrong version number", 1L,
        "CLIENT_CERT_REQUIRED no client certificate", 1L,
        "CLIENT_CERT_REQUIRED client certificate rejected: unable to get local issuer certificate", 1L,
        "CLIENT_CERT_REQUIRED client certificate rejected: certificate has expired", 1L), codes(r));
    // The reason is on the "SSL Library Error" line, the client on the line before it (same tid).
    LogGroup cipher = group(r, Code.NO_COMMON_CIPHER, "no shared cipher");
    assertEquals(List.of(new LogGroup.ClientCount("127.0.0.1", 2)), cipher.clients());
    assertEquals(Optional.of(Instant.parse("2026-11-26T01:44:37.378395Z")), cipher.firstSeen());
    assertEquals(Optional.of(Instant.parse("2026-11-26T01:44:37.407472Z")), cipher.lastSeen());
    assertTrue(cipher.whatToChange().contains("SSLCipherSuite"), cipher.whatToChange());
  }

  @Test
  void haproxy_raw_and_syslog() throws IOException {
    for (String file : List.of("haproxy/haproxy.log", "haproxy/haproxy-syslog.log")) {
      LogReport r = analyze(file);

      assertEquals(List.of(LogFormat.HAPROXY), r.formats(), file);
      assertLines(r, 14, 11, 3, 0);
      assertEquals(Map.of(
          "HANDSHAKE_FAILED handshake failure (no reason logged)", 9L,
          "CLIENT_CERT_REQUIRED client certificate not trusted", 2L), codes(r), file);
      LogGroup vague = group(r, Code.HANDSHAKE_FAILED, "handshake failure (no reason logged)");
      assertEquals(List.of(Code.NO_COMMON_PROTOCOL, Code.NO_COMMON_CIPHER, Code.CHAIN_UNTRUSTED, Code.NOT_TLS),
          vague.candidates());
      assertEquals(List.of(new LogGroup.ClientCount("127.0.0.1", 9)), vague.clients());
      assertTrue(vague.whatToChange().contains("error-log-format"), vague.whatToChange());
    }
    LogGroup raw = group(analyze("haproxy/haproxy.log"), Code.HANDSHAKE_FAILED, "handshake failure (no reason logged)");
    assertEquals(Optional.of(Instant.parse("2026-11-26T01:44:57.759Z")), raw.firstSeen());
    assertEquals(Optional.of(Instant.parse("2026-11-26T01:44:57.936Z")), raw.lastSeen());
  }

  @Test
  void openssl_sServer() throws IOException {
    LogReport r = analyze("openssl/s_server.log");

    assertEquals(List.of(LogFormat.OPENSSL), r.formats());
    assertLines(r, 10, 8, 2, 0);
    assertEquals(Map.of(
        "NO_COMMON_PROTOCOL unsupported protocol", 3L,
        "NO_COMMON_CIPHER no shared cipher", 2L,
        "HANDSHAKE_FAILED clients reject the chain (unknown_ca)", 1L,
        "NOT_TLS plain HTTP on the TLS port", 1L,
        "HANDSHAKE_FAILED wrong version number", 1L), codes(r));
    LogGroup g = group(r, Code.NO_COMMON_PROTOCOL, "unsupported protocol");
    assertEquals(Optional.empty(), g.firstSeen(), "s_server prints no times");
    assertEquals(List.of(), g.clients());
    assertEquals(3, g.otherClients());
  }

  @Test
  void openssl_sServerVerify_readsTheFunctionToKnowWhoseCertificate() throws IOException {
    LogReport r = analyze("openssl/s_server-verify.log");

    assertLines(r, 17, 3, 14, 0);
    // tls_process_client_certificate:certificate verify failed: the server rejected a client's certificate.
    assertEquals(Map.of(
        "CLIENT_CERT_REQUIRED client certificate not trusted", 2L,
        "CLIENT_CERT_REQUIRED no client certificate", 1L), codes(r));
  }

  @Test
  void java_serverStackTraces() throws IOException {
    LogReport r = analyze("java/server-stacktraces.log");

    assertEquals(List.of(LogFormat.JAVA), r.formats());
    assertLines(r, 275, 264, 11, 0);
    Map<String, Long> codes = codes(r);
    assertEquals(2L, codes.get("NO_COMMON_PROTOCOL unsupported protocol"));
    assertEquals(2L, codes.get("NO_COMMON_CIPHER no shared cipher"));
    assertEquals(1L, codes.get("HANDSHAKE_FAILED clients reject the chain (unknown_ca)"));
    assertEquals(1L, codes.get("CLIENT_CERT_REQUIRED no client certificate"));
    assertEquals(1L, codes.get("CLIENT_CERT_REQUIRED client certificate rejected: not trusted"));
    assertEquals(1L, codes.get("CLIENT_CERT_REQUIRED client certificate rejected: outside its validity period"));
    assertEquals(11L, r.failures(), "one per failed handshake: a stack trace counts once");
    LogGroup protocol = group(r, Code.NO_COMMON_PROTOCOL, "unsupported protocol");
    assertEquals(List.of("client version TLSv1", "client version TLSv1.1"), protocol.offered());
    assertEquals(List.of(new LogGroup.ClientCount("127.0.0.1", 2)), protocol.clients());
    assertEquals(Optional.of(Instant.parse("2026-11-26T01:45:28Z")), protocol.firstSeen());
    // A PKIX failure under checkClientTrusted is this server rejecting a client, not a chain problem.
    assertTrue(r.groups().stream().noneMatch(g -> g.candidates().contains(Code.CERT_EXPIRED)), codes::toString);
  }

  @Test
  void java_javaxNetDebug_mergesTheDebugRecordWithTheApplicationsLine() throws IOException {
    LogReport r = analyze("java/javax-net-debug.log");

    assertEquals(List.of(LogFormat.JAVA), r.formats());
    assertLines(r, 548, 148, 400, 0);
    assertEquals(Map.of(
        "NO_COMMON_PROTOCOL unsupported protocol", 1L,
        "NO_COMMON_CIPHER no shared cipher", 1L,
        "CLIENT_CERT_REQUIRED no client certificate", 1L), codes(r));
    LogGroup cipher = group(r, Code.NO_COMMON_CIPHER, "no shared cipher");
    assertEquals(List.of("client version TLSv1.2", "TLS_RSA_WITH_AES_128_CBC_SHA"), cipher.offered());
    assertEquals(List.of(new LogGroup.ClientCount("127.0.0.1", 1)), cipher.clients());
    assertEquals(Optional.of(Instant.parse("2026-11-26T01:45:36.301Z")), cipher.firstSeen());
    assertTrue(cipher.whatToChange().contains("TLS_RSA_WITH_AES_128_CBC_SHA"), cipher.whatToChange());
    assertTrue(group(r, Code.NO_COMMON_PROTOCOL, "unsupported protocol").offered().contains("client version TLSv1"));
  }

  @Test
  void tomcat() throws IOException {
    LogReport r = analyze("tomcat/tomcat.log");

    assertEquals(List.of(LogFormat.TOMCAT), r.formats());
    assertLines(r, 256, 183, 73, 0);
    Map<String, Long> codes = codes(r);
    assertEquals(2L, codes.get("NO_COMMON_PROTOCOL unsupported protocol"));
    assertEquals(2L, codes.get("NO_COMMON_CIPHER no shared cipher"));
    assertEquals(1L, codes.get("HANDSHAKE_FAILED clients reject the chain (unknown_ca)"));
    assertEquals(1L, codes.get("NOT_TLS plain HTTP on the TLS port"));
    assertEquals(8L, r.failures());
    LogGroup protocol = group(r, Code.NO_COMMON_PROTOCOL, "unsupported protocol");
    assertEquals(Optional.of(Instant.parse("2026-11-26T01:54:23.398Z")), protocol.firstSeen());
    assertEquals(Optional.of(Instant.parse("2026-11-26T01:54:23.642Z")), protocol.lastSeen());
    assertEquals(List.of(new LogGroup.ClientCount("127.0.0.1", 2)), protocol.clients());
    assertTrue(protocol.whatToChange().contains("SSLHostConfig 'protocols'"), protocol.whatToChange());

    LogReport mtls = analyze("tomcat/tomcat-mtls.log");
    assertEquals(Map.of(
        "CLIENT_CERT_REQUIRED no client certificate", 1L,
        "CLIENT_CERT_REQUIRED client certificate rejected: not trusted", 1L,
        "CLIENT_CERT_REQUIRED client certificate rejected: outside its validity period", 1L), codes(mtls));
  }

  @Test
  void jetty_countsEachFailureOnce() throws IOException {
    LogReport r = analyze("jetty/jetty-debug.log.gz");

    assertEquals(List.of(LogFormat.JETTY), r.formats());
    assertEquals(2210, r.lines());
    assertEquals(0, r.unrecognisedLines());
    // clients.sh makes 11 failed handshakes; Jetty logs each twice or more, counted once.
    assertEquals(11L, r.failures());
    Map<String, Long> codes = codes(r);
    assertEquals(2L, codes.get("NO_COMMON_PROTOCOL unsupported protocol"));
    assertEquals(2L, codes.get("NO_COMMON_CIPHER no shared cipher"));
    assertEquals(1L, codes.get("NOT_TLS plain HTTP on the TLS port"));
    assertEquals(1L, codes.get("CLIENT_CERT_REQUIRED no client certificate"));
    assertEquals(1L, codes.get("CLIENT_CERT_REQUIRED client certificate rejected: not trusted"));
    assertEquals(1L, codes.get("CLIENT_CERT_REQUIRED client certificate rejected: outside its validity period"));
    LogGroup cipher = group(r, Code.NO_COMMON_CIPHER, "no shared cipher");
    assertEquals(List.of(new LogGroup.ClientCount("127.0.0.1", 2)), cipher.clients());
    assertTrue(cipher.firstSeen().isPresent());
  }

  @Test
  void severalSources_oneReport_groupsPerFormat() throws IOException {
    LogAnalyzer.Session s = ANALYZER.session();
    for (String f : List.of("nginx/error.log", "apache/error.log", "nginx/access.log")) {
      try (Reader r = new InputStreamReader(LogFixturesTest.class.getResourceAsStream("/logs/" + f),
          StandardCharsets.UTF_8)) {
        s.read(f, r);
      }
    }
    LogReport r = s.report();

    assertEquals(List.of(LogFormat.NGINX, LogFormat.APACHE, LogFormat.ACCESS_LOG), r.formats());
    assertEquals(26 + 67 + 7, r.lines());
    assertEquals(22, r.failures());
    assertEquals(16, r.groups().size());
    List<String> where = r.groups().stream().filter(g -> g.code().equals(Code.NO_COMMON_PROTOCOL))
        .map(g -> g.format() + " " + g.firstLine()).sorted().toList();
    assertEquals(List.of("APACHE apache/error.log:21", "NGINX nginx/error.log:7"), where);
  }
}
