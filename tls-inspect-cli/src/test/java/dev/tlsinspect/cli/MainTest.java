package dev.tlsinspect.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tlsinspect.Starttls;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.FakeProxy;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.StarttlsServer;
import dev.tlsinspect.testing.TlsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line end to end, in-process through {@link Main#run}, against servers on 127.0.0.1
 * built with the test kit. Only loopback is contacted.
 */
class MainTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static IssuedCertificate root;
  static IssuedCertificate intermediate;
  static Path rootPem;

  @BeforeAll
  static void pki() throws IOException {
    Instant now = Instant.now();
    root = CertificateBuilder.root("tls-inspect cli test root")
        .validFrom(now.minus(Duration.ofDays(400))).validUntil(now.plus(Duration.ofDays(1000))).build();
    intermediate = CertificateBuilder.intermediate("tls-inspect cli test intermediate").issuedBy(root)
        .validFrom(now.minus(Duration.ofDays(400))).validUntil(now.plus(Duration.ofDays(1000))).build();
    rootPem = Files.writeString(dir.resolve("root.pem"), root.toPem());
  }

  record Run(int status, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, UTF_8); PrintStream e = new PrintStream(err, true, UTF_8)) {
      status = Main.run(o, e, args);
    }
    return new Run(status, out.toString(UTF_8), err.toString(UTF_8));
  }

  private static TlsServer serve(IssuedCertificate leaf) {
    return TlsServer.builder().certificateChain(leaf, intermediate.certificate()).start();
  }

  /**
   * A server with nothing to fix: TLS 1.3 and 1.2 with forward-secret AEAD suites only. The JDK's
   * default server suites include static RSA and CBC, which the enumeration reports.
   */
  static TlsServer serveHealthy(IssuedCertificate leaf) {
    return TlsServer.builder().certificateChain(leaf, intermediate.certificate())
        .protocols("TLSv1.3", "TLSv1.2").cipherSuites(MODERN_SUITES).start();
  }

  /** Forward-secret AEAD suites for an RSA certificate: nothing for the enumeration to report. */
  static final String[] MODERN_SUITES = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"};

  private static JsonNode finding(JsonNode report, String code) {
    for (JsonNode f : report.get("findings")) {
      if (code.equals(f.get("code").asText())) {
        return f;
      }
    }
    throw new AssertionError("no " + code + " finding in " + report.get("findings"));
  }

  private static void assertNoStackTrace(Run r) {
    assertFalse(r.err.contains("Exception"), r.err);
    assertFalse(r.err.contains("at dev."), r.err);
    assertFalse(r.err.contains("\tat "), r.err);
  }

  // --- real servers -----------------------------------------------------------------------------

  @Test
  void expiredCertificateIsCriticalRootCauseInJsonAndExitsTwo() throws IOException {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).expired().build();
    try (TlsServer server = serve(leaf)) {
      Run r = run("--json", "--ca-file", rootPem.toString(), "--connect", "127.0.0.1",
          "localhost:" + server.port());

      assertEquals(2, r.status, r.err);
      assertNoStackTrace(r);
      JsonNode report = JSON.readTree(r.out);
      assertEquals("FAIL", report.get("verdict").asText());
      JsonNode target = report.get("target");
      assertEquals("localhost", target.get("host").asText());
      assertEquals(server.port(), target.get("port").asInt());
      assertEquals("localhost", target.get("sni").asText());
      assertEquals("127.0.0.1", target.get("address").asText());

      JsonNode expired = finding(report, "CERT_EXPIRED");
      assertEquals("CRITICAL", expired.get("severity").asText());
      assertTrue(expired.get("rootCause").isBoolean());
      assertTrue(expired.get("rootCause").asBoolean());
      for (String field : List.of("title", "detail", "remediation")) {
        assertTrue(expired.get(field).isTextual() && !expired.get(field).asText().isBlank(), field);
      }
      assertTrue(expired.get("evidence").isObject());
      // The first finding is a root cause: root causes come first.
      assertTrue(report.get("findings").get(0).get("rootCause").asBoolean());

      JsonNode chain = report.get("certificateChain");
      assertEquals(2, chain.size());
      assertEquals(leaf.certificate().getSubjectX500Principal().getName(), chain.get(0).get("subject").asText());
      // Instants are ISO-8601 strings, not numbers.
      assertTrue(chain.get(0).get("notAfter").isTextual(), chain.get(0).toString());
      assertTrue(report.get("timings").isObject());
      assertTrue(report.get("protocols").isArray());
      assertTrue(report.get("cipherSuites").isObject());
      assertFalse(report.has("outcomes"));
    }
  }

  /** The certificate faults of the catalogue, each served for real: code -> leaf and extra chain. */
  static Stream<Arguments> certificateFaults() {
    Instant now = Instant.now();
    IssuedCertificate expiredCa = CertificateBuilder.intermediate("cli expired CA").issuedBy(root)
        .validFrom(now.minus(Duration.ofDays(400))).validUntil(now.minus(Duration.ofDays(2))).build();
    IssuedCertificate other = CertificateBuilder.root("cli other root").freshKey().build();
    IssuedCertificate otherCa = CertificateBuilder.intermediate("cli other CA").issuedBy(other).build();
    return Stream.of(
        Arguments.of("CERT_EXPIRED", CertificateBuilder.leaf("localhost").issuedBy(intermediate).expired().build(),
            List.of(intermediate.certificate())),
        Arguments.of("CERT_NOT_YET_VALID", CertificateBuilder.leaf("localhost").issuedBy(intermediate).notYetValid().build(),
            List.of(intermediate.certificate())),
        Arguments.of("INTERMEDIATE_EXPIRED", CertificateBuilder.leaf("localhost").issuedBy(expiredCa)
            .validFrom(now.minus(Duration.ofDays(30))).validUntil(now.plus(Duration.ofDays(30))).build(),
            List.of(expiredCa.certificate())),
        Arguments.of("CHAIN_INCOMPLETE", CertificateBuilder.leaf("localhost").issuedBy(intermediate)
            .caIssuersUrl("http://127.0.0.1:9/ca.cer").build(), List.of()),
        Arguments.of("CHAIN_UNTRUSTED", CertificateBuilder.leaf("localhost").issuedBy(otherCa).build(),
            List.of(otherCa.certificate())),
        Arguments.of("CERT_SELF_SIGNED", CertificateBuilder.leaf("localhost").freshKey().build(), List.of()),
        Arguments.of("HOSTNAME_MISMATCH", CertificateBuilder.leaf("wrong.example").issuedBy(intermediate).build(),
            List.of(intermediate.certificate())),
        Arguments.of("WEAK_SIGNATURE", CertificateBuilder.leaf("localhost").issuedBy(intermediate)
            .signatureAlgorithm("SHA1withRSA").build(), List.of(intermediate.certificate())),
        Arguments.of("CERT_BAD_KEY_USAGE", CertificateBuilder.leaf("localhost").issuedBy(intermediate)
            .extendedKeyUsage(dev.tlsinspect.testing.KeyPurpose.CLIENT_AUTH).build(),
            List.of(intermediate.certificate())),
        Arguments.of("CERT_NO_SAN", CertificateBuilder.leaf("localhost").issuedBy(intermediate)
            .noSubjectAltName().build(), List.of(intermediate.certificate())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("certificateFaults")
  void everyCertificateFinding_showsEvidenceAndRemediation_inJsonAndText(String code,
      IssuedCertificate leaf, List<java.security.cert.X509Certificate> chain) throws IOException {
    try (TlsServer server = TlsServer.builder()
        .certificateChain(leaf, chain.toArray(new java.security.cert.X509Certificate[0])).start()) {
      String[] args = {"--ca-file", rootPem.toString(), "--connect", "127.0.0.1", "localhost:" + server.port()};
      Run json = run(java.util.stream.Stream.concat(Stream.of("--json"), Stream.of(args)).toArray(String[]::new));
      JsonNode f = finding(JSON.readTree(json.out), code);
      assertFalse(f.get("remediation").asText().isBlank(), f.toString());
      assertFalse(f.get("detail").asText().isBlank(), f.toString());
      assertTrue(f.get("evidence").size() > 0, f.toString());
      Run text = run(args);
      int at = text.out.indexOf(code + "  ");
      assertTrue(at > 0, text.out);
      String block = text.out.substring(at);
      assertTrue(block.contains("    Fix: "), block);
      assertTrue(block.contains("    Evidence: "), block);
    }
  }

  @Test
  void weakKeyShowsCodeEvidenceAndRemediation() throws IOException {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).rsa(1024).build();
    try (TlsServer server = serve(leaf)) {
      Run json = run("--json", "--ca-file", rootPem.toString(), "--connect", "127.0.0.1",
          "localhost:" + server.port());
      assertEquals(2, json.status, json.err);
      JsonNode weak = finding(JSON.readTree(json.out), "WEAK_KEY");
      assertEquals("HIGH", weak.get("severity").asText());
      assertFalse(weak.get("rootCause").asBoolean(), "JSSE accepts RSA 1024; the finding is a warning");
      assertEquals(1024, weak.get("evidence").get("keyBits").asInt());
      assertEquals("RSA", weak.get("evidence").get("keyAlgorithm").asText());
      assertEquals(leaf.certificate().getSubjectX500Principal().getName(),
          weak.get("evidence").get("certificateSubject").asText());
      assertTrue(weak.get("remediation").asText().contains("2048"), weak.toString());

      Run text = run("--ca-file", rootPem.toString(), "--connect", "127.0.0.1", "localhost:" + server.port());
      assertEquals(2, text.status, text.err);
      assertTrue(text.out.contains("HIGH      WEAK_KEY  "), text.out);
      assertTrue(text.out.contains("    Fix: "), text.out);
      assertTrue(text.out.contains("keyBits=1024"), text.out);
    }
  }

  @Test
  void expiredCertificateTextReportNamesRootCauseFixAndChain() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).expired().build();
    try (TlsServer server = serve(leaf)) {
      Run r = run("--ca-file", rootPem.toString(), "--connect", "127.0.0.1", "localhost:" + server.port());

      assertEquals(2, r.status, r.err);
      List<String> lines = r.out.lines().toList();
      assertTrue(lines.get(0).startsWith("tls-inspect localhost:" + server.port() + " (connected to 127.0.0.1, provider jsse+bc, "),
          lines.get(0));
      assertEquals("Verdict: FAIL", lines.get(1));
      assertTrue(lines.get(3).startsWith("ROOT CAUSE  CRITICAL  CERT_EXPIRED  "), lines.get(3));
      assertTrue(r.out.contains("    Fix: "), r.out);
      assertTrue(r.out.contains("    Evidence: "), r.out);
      assertTrue(r.out.contains("\nConnection\n"), r.out);
      assertTrue(r.out.contains("Certificate chain (2 certificates, as sent)"), r.out);
      assertTrue(r.out.contains("(expired 10 days ago)"), r.out);
      assertTrue(r.out.contains(leaf.certificate().getSubjectX500Principal().getName()));
      // Wrapped: only an unbreakable last word (a fingerprint) may reach past 100 columns.
      for (String line : lines) {
        if (line.length() > TextReport.WIDTH) {
          assertTrue(line.lastIndexOf(' ') < TextReport.WIDTH, line);
        }
      }
    }
  }

  @Test
  void healthyServerPassesWithExitZero() throws IOException {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .crlUrl("http://127.0.0.1:9/ca.crl").build();
    try (TlsServer server = serveHealthy(leaf)) {
      Run text = run("--ca-file", rootPem.toString(), "--connect", "127.0.0.1", "localhost:" + server.port());
      assertEquals(0, text.status, text.out + text.err);
      assertTrue(text.out.contains("Verdict: PASS"), text.out);
      assertTrue(text.out.contains("Protocol:"), text.out);
      assertTrue(text.out.contains("Cipher suite:"), text.out);

      Run json = run("--json", "--quick", "--timeout", "5s", "--ca-file", rootPem.toString(),
          "--connect", "127.0.0.1", "localhost:" + server.port());
      assertEquals(0, json.status, json.err);
      JsonNode report = JSON.readTree(json.out);
      assertEquals("PASS", report.get("verdict").asText());
      for (JsonNode f : report.get("findings")) {
        assertFalse(f.get("rootCause").asBoolean(), f.toString());
        assertEquals("INFO", f.get("severity").asText(), f.toString());
      }
      assertEquals(2, report.get("certificateChain").size());
      assertFalse(report.get("protocols").isEmpty());
      assertEquals("jsse", report.get("provider").asText());
    }
  }

  @Test
  void trustStoreReplacesTheDefaultTrust() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("root", root.certificate());
    Path store = dir.resolve("trust.p12");
    try (OutputStream out = Files.newOutputStream(store)) {
      ks.store(out, "secret".toCharArray());
    }
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .crlUrl("http://127.0.0.1:9/ca.crl").build();
    try (TlsServer server = serveHealthy(leaf)) {
      Run ok = run("--json", "--trust-store", store.toString(), "--trust-store-password", "secret",
          "--connect", "127.0.0.1", "localhost:" + server.port());
      assertEquals(0, ok.status, ok.err);
      assertEquals("PASS", JSON.readTree(ok.out).get("verdict").asText());
    }
    Run wrongPassword = run("--trust-store", store.toString(), "--trust-store-password", "nope", "localhost");
    assertEquals(3, wrongPassword.status);
    assertTrue(wrongPassword.errLines().get(0).startsWith("tls-inspect: cannot read trust store"),
        wrongPassword.err);
    assertNoStackTrace(wrongPassword);
  }

  @Test
  void closedPortIsConnectionRefused() throws IOException {
    int port = FakePeer.closedPort();
    Run r = run("--json", "--timeout", "1.5s", "--connect", "127.0.0.1", "localhost:" + port);

    assertEquals(2, r.status, r.err);
    JsonNode report = JSON.readTree(r.out);
    assertEquals("FAIL", report.get("verdict").asText());
    JsonNode refused = finding(report, "CONNECTION_REFUSED");
    assertTrue(refused.get("rootCause").asBoolean());
    assertEquals("CRITICAL", refused.get("severity").asText());
    assertEquals(0, report.get("certificateChain").size());
  }

  @Test
  void ipv6LiteralInBracketsIsParsed() throws IOException {
    int port = FakePeer.closedPort();
    Run r = run("--json", "--connect", "127.0.0.1", "[::1]:" + port);

    assertEquals(2, r.status, r.err);
    JsonNode target = JSON.readTree(r.out).get("target");
    assertEquals("::1", target.get("host").asText());
    assertEquals(port, target.get("port").asInt());
    assertTrue(target.get("sni").isNull(), "no SNI for an IP literal: " + target);
  }

  @Test
  void plainHttpIsNotTls() throws IOException {
    try (FakePeer http = FakePeer.http()) {
      Run r = run("--json", "--connect", "127.0.0.1", "localhost:" + http.port());

      assertEquals(2, r.status, r.err);
      JsonNode notTls = finding(JSON.readTree(r.out), "NOT_TLS");
      assertTrue(notTls.get("rootCause").asBoolean());
      assertEquals("HTTP", notTls.get("evidence").get("protocol").asText());
    }
  }

  // --- the demo ---------------------------------------------------------------------------------

  @Test
  void demoRunsAllNineCasesAndExitsZero() {
    Run r = run("demo");

    assertEquals(0, r.status, r.out + r.err);
    for (String header : List.of(
        "== 1/9 healthy server: expect PASS",
        "== 2/9 expired certificate: expect CERT_EXPIRED",
        "== 3/9 certificate for another host (wrong.example): expect HOSTNAME_MISMATCH",
        "== 4/9 chain from an untrusted root: expect CHAIN_UNTRUSTED",
        "== 5/9 missing intermediate (leaf only): expect CHAIN_INCOMPLETE",
        "== 6/9 SMTP with STARTTLS, expired certificate: expect CERT_EXPIRED",
        "== 7/9 server that requires a client certificate (mutual TLS): expect CLIENT_CERT_REQUIRED",
        "== 8/9 plain HTTP on the TLS port: expect NOT_TLS",
        "== 9/9 closed port: expect CONNECTION_REFUSED")) {
      assertTrue(r.out.contains(header + "\n"), header + "\n" + r.out);
    }
    assertEquals(9, r.out.lines().filter(l -> l.startsWith("-> as expected: ")).count(), r.out);
    assertTrue(r.out.contains("STARTTLS:      SMTP"), r.out);
    assertTrue(r.out.contains("Demo finished: all 9 cases gave the expected diagnosis."));
    assertEquals("", r.err);
  }

  @Test
  void demoJsonIsAnArrayOfNineReports() throws IOException {
    Run r = run("demo", "--json");

    assertEquals(0, r.status, r.err);
    JsonNode reports = JSON.readTree(r.out);
    assertTrue(reports.isArray());
    assertEquals(9, reports.size());
    assertEquals("PASS", reports.get(0).get("verdict").asText());
    List<String> expected = List.of("CERT_EXPIRED", "HOSTNAME_MISMATCH", "CHAIN_UNTRUSTED",
        "CHAIN_INCOMPLETE", "CERT_EXPIRED", "CLIENT_CERT_REQUIRED", "NOT_TLS", "CONNECTION_REFUSED");
    assertEquals("SMTP", reports.get(5).get("target").get("starttls").asText());
    for (int i = 1; i < 9; i++) {
      assertEquals("FAIL", reports.get(i).get("verdict").asText());
      assertTrue(finding(reports.get(i), expected.get(i - 1)).get("rootCause").asBoolean(),
          expected.get(i - 1));
      assertEquals("localhost", reports.get(i).get("target").get("host").asText());
    }
  }

  // --- bad input --------------------------------------------------------------------------------

  static Stream<Arguments> badArguments() {
    return Stream.of(
        Arguments.of(List.of("--frobnicate", "localhost"), "Unknown option: '--frobnicate'"),
        Arguments.of(List.of("localhost:0"), "port must be between 1 and 65535, got 0"),
        Arguments.of(List.of("localhost:70000"), "port must be between 1 and 65535, got 70000"),
        Arguments.of(List.of("localhost:https"), "port must be a number"),
        Arguments.of(List.of(""), "host must not be empty"),
        Arguments.of(List.of(), "missing HOST[:PORT]"),
        Arguments.of(List.of("--ca-file", "/nonexistent/tls-inspect/ca.pem", "localhost"), "CA file not found"),
        Arguments.of(List.of("--timeout", "10x", "localhost"), "'10x' is not a duration"),
        Arguments.of(List.of("--timeout", "0s", "localhost"), "duration must be positive"),
        Arguments.of(List.of("--sni", "a.example", "--no-sni", "localhost"), "--sni and --no-sni cannot be used together"),
        Arguments.of(List.of("--sni", "127.0.0.1", "localhost"), "SNI name must be a DNS name"),
        Arguments.of(List.of("--expiry-warning", "-1", "localhost"), "--expiry-warning must be 0 or more"),
        Arguments.of(List.of("--expiry-warning", "soon", "localhost"), "--expiry-warning"),
        Arguments.of(List.of("--provider", "openssl", "localhost"), "unknown provider 'openssl'"),
        Arguments.of(List.of("--trust-store-password", "x", "localhost"), "need --trust-store FILE"),
        Arguments.of(List.of("a.example", "b.example"), "Unmatched argument"),
        Arguments.of(List.of("--json"), "missing HOST[:PORT]"),
        Arguments.of(List.of("--starttls", "gopher", "localhost"),
            "--starttls: unknown STARTTLS protocol 'gopher': use smtp, imap, pop3, ftp, ldap, postgres, mysql or xmpp"),
        Arguments.of(List.of("--proxy", "ftp://127.0.0.1:21", "localhost"), "--proxy: unsupported proxy scheme 'ftp'"),
        Arguments.of(List.of("--proxy", "127.0.0.1:3128", "localhost"), "--proxy: "),
        Arguments.of(List.of("--proxy", "http://127.0.0.1:3128/path", "localhost"), "without a path"),
        Arguments.of(List.of("--timeout"), "Missing required parameter for option '--timeout'"),
        Arguments.of(List.of("--timeout", "soon", "localhost"), "'soon' is not a duration"),
        Arguments.of(List.of("https://localhost:99999/"), "port must be between 1 and 65535, got 99999"),
        Arguments.of(List.of("gopher://localhost/"), "unsupported scheme 'gopher://'"),
        Arguments.of(List.of("1.2.3.4.5"), "host is not a valid IPv4 address: '1.2.3.4.5'"),
        Arguments.of(List.of(":::"), "host is not a valid IPv6 address: ':::'"),
        Arguments.of(List.of("localhost:\u0664\u0664\u0663"), "port must be a number"),
        Arguments.of(List.of("evil\u001b[2J.example"), "host is not a valid host name: 'evil\\x1b[2J.example'"),
        Arguments.of(List.of("--policy", "mozilla-ancient", "localhost"),
            "unknown policy 'mozilla-ancient': use one of mozilla-modern, mozilla-intermediate, "
                + "mozilla-old, nist-sp800-52r2"));
  }

  @ParameterizedTest
  @MethodSource("badArguments")
  void badArgumentsGiveOneLineThenAPointerToHelpAndExitThree(List<String> args, String message) {
    Run r = run(args.toArray(String[]::new));

    assertEquals(3, r.status, r.err);
    assertEquals("", r.out);
    List<String> lines = r.errLines();
    assertEquals(2, lines.size(), r.err);
    assertTrue(lines.get(0).startsWith("tls-inspect: "), r.err);
    assertTrue(lines.get(0).contains(message), lines.get(0));
    // Not the 100-line usage: the one line stays on the screen.
    assertEquals("Try 'tls-inspect --help' for more information.", lines.get(1));
    assertFalse(r.err.contains("\u001b"), r.err);
    assertNoStackTrace(r);
  }

  @Test
  void starttlsSmtp_textAndJson() throws IOException {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    try (StarttlsServer smtp = StarttlsServer.builder(Starttls.SMTP).certificate(leaf).start()) {
      Run text = run("--quick", "--ca-file", rootPem.toString(), "--connect", "127.0.0.1", "--starttls", "smtp",
          "localhost:" + smtp.port());
      assertEquals(0, text.status, text.out + text.err);
      assertTrue(text.out.contains("STARTTLS:      SMTP"), text.out);
      assertTrue(text.out.contains("Handshake:     completed"), text.out);

      Run json = run("--json", "--quick", "--ca-file", rootPem.toString(), "--connect", "127.0.0.1",
          "--starttls", "SMTP", "localhost:" + smtp.port());
      assertEquals(0, json.status, json.err);
      JsonNode target = JSON.readTree(json.out).get("target");
      assertEquals("SMTP", target.get("starttls").asText());
      assertTrue(target.get("proxy").isNull(), target.toString());
      assertTrue(smtp.commands().contains("STARTTLS"));
    }
  }

  @Test
  void starttlsWithoutPort_usesTheProtocolsPort() throws IOException {
    Run r = run("--json", "--quick", "--timeout", "3s", "--connect", "127.0.0.1", "--starttls", "imap", "localhost");
    assertEquals(143, JSON.readTree(r.out).get("target").get("port").asInt(), r.out + r.err);
    Run explicit = run("--json", "--quick", "--timeout", "3s", "--connect", "127.0.0.1", "--starttls", "imap",
        "localhost:1");
    assertEquals(1, JSON.readTree(explicit.out).get("target").get("port").asInt(), explicit.out + explicit.err);
  }

  @Test
  void starttlsNotOffered_isStarttlsUnavailableAndExitsTwo() throws IOException {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    try (StarttlsServer imap = StarttlsServer.builder(Starttls.IMAP).certificate(leaf)
        .mode(StarttlsServer.Mode.NOT_OFFERED).start()) {
      Run r = run("--json", "--ca-file", rootPem.toString(), "--connect", "127.0.0.1", "--starttls", "imap",
          "localhost:" + imap.port());
      assertEquals(2, r.status, r.err);
      JsonNode f = finding(JSON.readTree(r.out), "STARTTLS_UNAVAILABLE");
      assertTrue(f.get("rootCause").asBoolean());
      assertEquals("IMAP", f.get("evidence").get("protocol").asText());
    }
  }

  @Test
  void proxyWithCredentials_textAndJson_neverShowTheCredentials() throws IOException {
    String secret = "Pr0xy-s3cret";
    IssuedCertificate leaf = CertificateBuilder.leaf("backend.test").issuedBy(intermediate).build();
    try (TlsServer server = serve(leaf);
        FakeProxy proxy = FakeProxy.http().credentials("alice", secret).route("backend.test").start()) {
      String url = "http://alice:" + secret + "@127.0.0.1:" + proxy.port();
      Run text = run("--quick", "--ca-file", rootPem.toString(), "--proxy", url, "backend.test:" + server.port());
      assertEquals(0, text.status, text.out + text.err);
      assertTrue(text.out.contains("Proxy:         http://127.0.0.1:" + proxy.port()), text.out);
      assertFalse(text.out.contains(secret), text.out);
      assertFalse(text.out.contains("alice"), text.out);

      Run json = run("--json", "--quick", "--ca-file", rootPem.toString(), "--proxy", url,
          "backend.test:" + server.port());
      assertEquals(0, json.status, json.err);
      assertFalse(json.out.contains(secret), json.out);
      assertFalse(json.out.contains("alice"), json.out);
      JsonNode p = JSON.readTree(json.out).get("target").get("proxy");
      assertEquals("HTTP", p.get("type").asText());
      assertEquals("127.0.0.1", p.get("host").asText());
      assertEquals(proxy.port(), p.get("port").asInt());
      assertFalse(p.has("credentials"), p.toString());
      assertEquals(List.of("backend.test:" + server.port(), "backend.test:" + server.port()), proxy.requests());
    }
  }

  @Test
  void proxyRefusingCredentials_isProxyFailed_withoutTheCredentials() throws IOException {
    try (FakeProxy proxy = FakeProxy.http().credentials("alice", "right").start();
        FakeProxy socks = FakeProxy.socks5().credentials("bob", "right").start()) {
      String secret = "wr0ng-s3cret";
      Run r = run("--json", "--proxy", "http://alice:" + secret + "@127.0.0.1:" + proxy.port(), "backend.test");
      assertEquals(2, r.status, r.err);
      assertFalse(r.out.contains(secret), r.out);
      JsonNode f = finding(JSON.readTree(r.out), "PROXY_FAILED");
      assertTrue(f.get("rootCause").asBoolean());
      assertTrue(f.get("evidence").get("proxyAnswer").asText().startsWith("407"), f.toString());

      Run text = run("--proxy", "socks5://bob:" + secret + "@127.0.0.1:" + socks.port(), "backend.test");
      assertEquals(2, text.status, text.err);
      assertFalse(text.out.contains(secret), text.out);
      assertTrue(text.out.contains("PROXY_FAILED"), text.out);
    }
  }

  @Test
  void badProxyUrl_neverEchoesThePassword() {
    Run r = run("--proxy", "https://alice:t0psecret@proxy.example:3128", "localhost");
    assertEquals(3, r.status);
    assertEquals("tls-inspect: --proxy: unsupported proxy scheme 'https': use http (HTTP CONNECT) or socks5",
        r.errLines().get(0));
    assertFalse(r.err.contains("t0psecret"), r.err);
    Run noHost = run("--proxy", "http://alice:t0psecret@:3128", "localhost");
    assertEquals(3, noHost.status);
    assertFalse(noHost.err.contains("t0psecret"), noHost.err);
  }

  @Test
  void bcProviderEnumeratesVersionsAndSuites() throws IOException {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    try (TlsServer server = serve(leaf)) {
      Run r = run("--json", "--provider", "bc", "--ca-file", rootPem.toString(), "--connect", "127.0.0.1",
          "localhost:" + server.port());
      assertTrue(r.status == 0 || r.status == 1, r.out + r.err);
      JsonNode report = JSON.readTree(r.out);
      assertEquals("bc", report.get("provider").asText());
      assertEquals("[\"TLSv1.3\",\"TLSv1.2\"]", report.get("protocols").toString());
      assertTrue(report.get("cipherSuites").get("TLSv1.2").size() > 1, report.toString());

      // The text report lists what was enumerated, suites in the server's order, and the groups.
      Run text = run("--provider", "bc", "--ca-file", rootPem.toString(), "--connect", "127.0.0.1",
          "localhost:" + server.port());
      String flat = text.out.replaceAll("\\s+", " ");
      assertTrue(flat.contains("Accepted by the server (found by elimination; suites in the server's order)"), text.out);
      StringBuilder tls12 = new StringBuilder();
      report.get("cipherSuites").get("TLSv1.2").forEach(n -> tls12.append(tls12.length() == 0 ? "" : ", ").append(n.asText()));
      assertTrue(flat.contains("TLSv1.2 " + tls12), text.out);
      StringBuilder groups = new StringBuilder();
      report.get("namedGroups").forEach(n -> groups.append(groups.length() == 0 ? "" : ", ").append(n.asText()));
      assertTrue(report.get("namedGroups").size() > 1, report.toString());
      assertTrue(flat.contains("Groups " + groups), text.out);
    }
  }

  @Test
  void withoutEnumeration_theTextReportHasNoAcceptedSection() throws IOException {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    try (TlsServer server = serve(leaf)) {
      Run r = run("--quick", "--ca-file", rootPem.toString(), "--connect", "127.0.0.1", "localhost:" + server.port());
      assertFalse(r.out.contains("Accepted by the server"), r.out);
      assertTrue(r.out.contains("Cipher suite:"), r.out);
    }
  }

  @Test
  void clientProfiles_arePredictedWithBc_inJsonAndText() throws IOException {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    try (TlsServer server = TlsServer.builder().certificateChain(leaf, intermediate.certificate())
        .protocols("TLSv1.3").start()) {
      String[] common = {"--client", "jdk-8", "--client", "ie11-win7,chrome", "--ca-file", rootPem.toString(),
          "--connect", "127.0.0.1", "localhost:" + server.port()};
      List<String> jsonArgs = new java.util.ArrayList<>(List.of("--json"));
      jsonArgs.addAll(List.of(common));
      Run r = run(jsonArgs.toArray(String[]::new));
      assertEquals(2, r.status, r.out + r.err);
      JsonNode report = JSON.readTree(r.out);
      assertEquals("jsse+bc", report.get("provider").asText(), "jsse for the handshake, bc enumerates");
      JsonNode clients = report.get("clients");
      assertEquals(4, clients.size(), clients.toString());
      assertEquals("this-jvm", clients.get(0).get("profile").asText());
      assertTrue(clients.get(0).get("compatible").asBoolean());
      assertEquals("TLSv1.3", clients.get(0).get("version").asText());
      JsonNode ie = clients.get(2);
      assertEquals("ie11-win7", ie.get("profile").asText());
      assertFalse(ie.get("compatible").asBoolean());
      assertEquals("NO_COMMON_VERSION", ie.get("mismatch").asText());
      assertTrue(ie.get("reason").asText().contains("TLSv1.3"), ie.toString());
      assertTrue(clients.get(3).get("compatible").asBoolean(), "chrome speaks TLS 1.3");
      int incompatible = 0;
      for (JsonNode f : report.get("findings")) {
        if (f.get("code").asText().equals("CLIENT_INCOMPATIBLE")) {
          incompatible++;
          assertEquals("HIGH", f.get("severity").asText());
          assertTrue(List.of("jdk-8", "ie11-win7").contains(f.get("evidence").get("profile").asText()), f.toString());
        }
      }
      assertEquals(2, incompatible);

      Run text = run(common);
      assertEquals(2, text.status, text.out + text.err);
      assertTrue(text.out.contains("Clients (predicted from the versions and suites the server accepts)"), text.out);
      assertTrue(text.out.lines().anyMatch(l -> l.matches("  ie11-win7 +FAIL  no common version: .*")), text.out);
      assertTrue(text.out.lines().anyMatch(l -> l.matches("  chrome +ok +TLSv1\\.3, TLS_AES_.*")), text.out);
      assertTrue(text.out.contains("CLIENT_INCOMPATIBLE"), text.out);
    }
  }

  @Test
  void unknownClientProfile_orQuickMode_isAUsageError() {
    Run unknown = run("--client", "netscape", "localhost");
    assertEquals(3, unknown.status);
    assertTrue(unknown.errLines().get(0).startsWith("tls-inspect: unknown client profile 'netscape': use all or "),
        unknown.err);
    assertNoStackTrace(unknown);
    Run quick = run("--client", "chrome", "--quick", "localhost");
    assertEquals(3, quick.status);
    assertTrue(quick.errLines().get(0).contains("it needs a full inspection, not --quick"), quick.err);
    Run jsse = run("--client", "chrome", "--provider", "jsse", "localhost");
    assertEquals(3, jsse.status);
    assertTrue(jsse.errLines().get(0).contains("it needs a full inspection, not --provider jsse"), jsse.err);
  }

  @Test
  void helpAndVersionGoToStandardOutputWithExitZero() {
    Run help = run("--help");
    assertEquals(0, help.status);
    assertTrue(help.out.startsWith("Usage: tls-inspect"), help.out);
    for (String option : List.of("--json", "--quick", "--ca-file", "--trust-store", "--sni", "--no-sni",
        "--connect", "--timeout", "--provider", "--expiry-warning", "demo", "Exit status")) {
      assertTrue(help.out.contains(option), option);
    }
    assertEquals("", help.err);

    Run version = run("-V");
    assertEquals(0, version.status);
    assertTrue(version.out.startsWith("tls-inspect "), version.out);
    assertFalse(version.out.startsWith("tls-inspect unknown"), version.out);

    Run demoHelp = run("demo", "-h");
    assertEquals(0, demoHelp.status);
    assertTrue(demoHelp.out.startsWith("Usage: tls-inspect demo"), demoHelp.out);
  }

  @Test
  void unexpectedErrorsAreOneLineWithoutStackTrace() {
    Run r = run("localhost", null);

    assertEquals(3, r.status);
    assertEquals(1, r.errLines().size(), r.err);
    assertTrue(r.errLines().get(0).startsWith("tls-inspect: internal error: "), r.err);
  }

  @Test
  void durationsInShortAndIsoForm() {
    assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
    assertEquals(Duration.ofSeconds(10), Durations.parse("PT10S"));
    assertEquals(Duration.ofSeconds(10), Durations.parse("pt10s"));
    List<String> rejected = new ArrayList<>();
    for (String bad : List.of("10", "s", "ten seconds", "-1s", "0ms", "PT0S", "PT-1S", "1.5.2s", "")) {
      try {
        Durations.parse(bad);
      } catch (picocli.CommandLine.TypeConversionException e) {
        rejected.add(bad);
      }
    }
    assertEquals(List.of("10", "s", "ten seconds", "-1s", "0ms", "PT0S", "PT-1S", "1.5.2s", ""), rejected);
  }

  @Test
  void wrappingKeepsLinesWithinWidthAndIndentsContinuations() {
    String text = "word ".repeat(60).strip();
    String wrapped = TextReport.wrapped("    Fix: ", "         ", text, 40);
    List<String> lines = wrapped.lines().toList();
    assertTrue(lines.size() > 1);
    assertTrue(lines.get(0).startsWith("    Fix: word"));
    for (String line : lines) {
      assertTrue(line.length() <= 40, line);
    }
    for (String line : lines.subList(1, lines.size())) {
      assertTrue(line.startsWith("         word"), line);
    }
    assertEquals(text, String.join(" ", wrapped.replace("    Fix: ", "").strip().split("\\s+")));
  }

  @Test
  void policiesAreRepeatable_andEachDeviationIsListedInJson() throws IOException {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    try (TlsServer server = TlsServer.builder().certificateChain(leaf, intermediate.certificate())
        .protocols("TLSv1.2").cipherSuites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").start()) {
      Run r = run("--json", "--provider", "bc", "--policy", "mozilla-intermediate", "--policy", "mozilla-modern",
          "--ca-file", rootPem.toString(), "--connect", "127.0.0.1", "localhost:" + server.port());

      assertEquals(1, r.status, r.out + r.err);
      assertEquals("", r.err);
      JsonNode report = JSON.readTree(r.out);
      List<JsonNode> violations = new ArrayList<>();
      report.get("findings").forEach(f -> {
        if ("POLICY_VIOLATION".equals(f.get("code").asText())) {
          violations.add(f);
        }
      });
      assertEquals(List.of("mozilla-intermediate", "mozilla-modern"),
          violations.stream().map(f -> f.get("evidence").get("policy").asText()).toList());
      assertEquals("MEDIUM", violations.get(0).get("severity").asText());
      assertEquals("[\"does not support TLSv1.3 (required)\"]",
          violations.get(0).get("evidence").get("deviations").toString());
      assertTrue(violations.get(1).get("evidence").get("deviations").toString()
          .contains("accepts TLSv1.2, the policy allows TLSv1.3"), violations.get(1).toString());
    }
  }

  @Test
  void policyWithTheJsseProviderPinned_notesThatOnlyTheCertificateIsChecked() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    try (TlsServer server = serve(leaf)) {
      Run r = run("--policy", "mozilla-intermediate", "--provider", "jsse", "--ca-file", rootPem.toString(),
          "--connect", "127.0.0.1", "localhost:" + server.port());

      assertEquals(List.of("tls-inspect: note: --policy checks protocol versions and cipher suites only in a "
          + "full inspection (without --provider jsse); this run checks the certificate alone"), r.errLines());
      assertFalse(r.out.contains("POLICY_VIOLATION"), r.out);
    }
  }
}
