package dev.tlsinspect.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tls-inspect explain} end to end, in-process through {@link Main#run} with the exception
 * text on standard input; verification against servers on 127.0.0.1 only.
 */
class ExplainCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PKIX = """
      javax.net.ssl.SSLHandshakeException: (certificate_unknown) PKIX path building failed: \
      sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target
      \tat java.base/sun.security.ssl.Alert.createSSLException(Alert.java:130)
      Caused by: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target
      \t... 20 more
      """;
  private static final String EXPIRED = """
      org.springframework.web.client.ResourceAccessException: I/O error on GET request for "https://localhost/": \
      PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed
      Caused by: javax.net.ssl.SSLHandshakeException: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed
      Caused by: java.security.cert.CertificateExpiredException: NotAfter: Mon Jan 01 00:00:00 UTC 2024
      """;

  @TempDir static Path dir;
  static IssuedCertificate root;
  static IssuedCertificate intermediate;
  static Path rootPem;

  @BeforeAll
  static void pki() throws IOException {
    Instant now = Instant.now();
    root = CertificateBuilder.root("tls-inspect explain cli root")
        .validFrom(now.minus(Duration.ofDays(400))).validUntil(now.plus(Duration.ofDays(1000))).build();
    intermediate = CertificateBuilder.intermediate("tls-inspect explain cli intermediate").issuedBy(root)
        .validFrom(now.minus(Duration.ofDays(400))).validUntil(now.plus(Duration.ofDays(1000))).build();
    rootPem = Files.writeString(dir.resolve("root.pem"), root.toPem());
  }

  record Run(int status, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  static Run run(byte[] stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, UTF_8); PrintStream e = new PrintStream(err, true, UTF_8)) {
      status = Main.run(new ByteArrayInputStream(stdin), o, e, args);
    }
    return new Run(status, out.toString(UTF_8), err.toString(UTF_8));
  }

  static Run run(String stdin, String... args) {
    return run(stdin.getBytes(UTF_8), args);
  }

  /** The text with wrapped lines joined again. */
  private static String unwrapped(String text) {
    return text.replaceAll("\n +", " ");
  }

  private static String[] explainAt(int port, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("explain", "--ca-file", rootPem.toString(),
        "--connect", "127.0.0.1", "--timeout", "3s"));
    args.addAll(List.of(more));
    args.add("localhost:" + port);
    return args.toArray(String[]::new);
  }

  @Test
  void stackTrace_printsRankedCandidates_andExitsTwo() {
    Run r = run(PKIX, "explain");
    assertEquals(2, r.status, r.err);
    assertEquals("", r.err);
    assertTrue(r.out.startsWith("tls-inspect explain: Most likely CHAIN_INCOMPLETE (MEDIUM)"), r.out);
    assertTrue(r.out.contains("1. CHAIN_INCOMPLETE  (MEDIUM)"), r.out);
    for (String code : List.of("CHAIN_UNTRUSTED", "CERT_SELF_SIGNED", "TLS_INTERCEPTION_SUSPECTED", "TRUST_STORE_DIFFERS")) {
      assertTrue(r.out.contains(code), code);
    }
    assertTrue(r.out.contains("Why: ") && r.out.contains("Tells it apart: ") && r.out.contains("Matched: "), r.out);
    assertTrue(r.out.contains("Cause chain, outermost first:"), r.out);
    assertTrue(r.out.lines().allMatch(l -> l.length() <= TextReport.WIDTH), r.out);
  }

  @Test
  void json_hasCandidatesAndChain() throws IOException {
    Run r = run(EXPIRED, "explain", "--json");
    assertEquals(2, r.status, r.err);
    JsonNode e = JSON.readTree(r.out);
    assertTrue(e.get("recognised").asBoolean());
    JsonNode first = e.get("candidates").get(0);
    assertEquals("CERT_EXPIRED", first.get("code").asText());
    assertEquals("HIGH", first.get("confidence").asText());
    for (String field : List.of("why", "confirm", "matched")) {
      assertFalse(first.get(field).asText().isBlank(), field);
    }
    JsonNode chain = e.get("chain");
    assertEquals("org.springframework.web.client.ResourceAccessException", chain.get(0).get("type").asText());
    assertTrue(chain.get(0).get("wrapper").asBoolean());
    assertTrue(e.get("verification").isNull(), r.out);
  }

  @Test
  void notRecognised_exitsZero_withNoCandidates() throws IOException {
    Run r = run("java.lang.NullPointerException: Cannot invoke \"String.length()\"\n\tat a.B.c(B.java:1)\n", "explain");
    assertEquals(0, r.status, r.err);
    assertTrue(r.out.startsWith("tls-inspect explain: Not recognised as a TLS or connection failure"), r.out);
    assertFalse(r.out.contains("Candidate"), r.out);

    Run json = run("java.io.FileNotFoundException: /etc/app.yml (No such file or directory)", "explain", "--json");
    assertEquals(0, json.status);
    JsonNode e = JSON.readTree(json.out);
    assertFalse(e.get("recognised").asBoolean());
    assertEquals(0, e.get("candidates").size());
  }

  @Test
  void notRecognised_withTarget_doesNotInspect() {
    Run r = run("java.lang.IllegalStateException: nope", "explain", "localhost:" + FakePeer.closedPort());
    assertEquals(0, r.status, r.err);
    assertTrue(r.out.contains("Nothing to verify"), r.out);
  }

  @Test
  void withTarget_confirmsTheExpiredCertificate_andPrintsTheReport() throws IOException {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).expired().build();
    try (TlsServer server = TlsServer.builder().certificateChain(leaf, intermediate.certificate()).start()) {
      Run r = run(EXPIRED, explainAt(server.port()));
      assertEquals(2, r.status, r.err);
      assertFalse(r.out.contains("CERT_NOT_YET_VALID"), "the cause names the date that failed");
      assertTrue(unwrapped(r.out).contains("Verification (CONFIRMED_ROOT_CAUSE): Confirmed: the live inspection of "
          + "localhost:" + server.port() + " reports CERT_EXPIRED as the root cause."), r.out);
      assertTrue(r.out.contains("ROOT CAUSE  CRITICAL  CERT_EXPIRED"), r.out);

      Run json = run(EXPIRED, explainAt(server.port(), "--json"));
      assertEquals(2, json.status, json.err);
      JsonNode v = JSON.readTree(json.out).get("verification");
      assertEquals("CONFIRMED_ROOT_CAUSE", v.get("status").asText());
      assertEquals("CERT_EXPIRED", v.get("confirmed").asText());
      assertEquals("FAIL", v.get("report").get("verdict").asText());
      JsonNode top = v.get("report").get("findings").get(0);
      assertEquals("CERT_EXPIRED", top.get("code").asText());
      assertTrue(top.get("rootCause").asBoolean());
    }
  }

  @Test
  void withTarget_closedPort_isConfirmedRefused() {
    int port = FakePeer.closedPort();
    Run r = run("java.net.ConnectException: Connection refused", explainAt(port));
    assertEquals(2, r.status, r.err);
    assertTrue(r.out.contains("CONFIRMED_ROOT_CAUSE") && r.out.contains("CONNECTION_REFUSED"), r.out);
  }

  @Test
  void withTarget_saysWhenTheInspectionConfirmsNothing() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    // Forward-secret AEAD suites only: the enumeration finds nothing to report either.
    try (TlsServer server = TlsServer.builder().certificateChain(leaf, intermediate.certificate())
        .cipherSuites("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").start()) {
      Run r = run("javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure", explainAt(server.port()));
      assertEquals(2, r.status, r.err);
      assertTrue(unwrapped(r.out).contains("Verification (NOT_CONFIRMED): Not confirmed: the exception points at "
          + "NO_COMMON_CIPHER"), r.out);
      assertTrue(unwrapped(r.out).contains("the handshake from here completes"), r.out);
      assertTrue(r.out.contains("Verdict: PASS"), r.out);
    }
  }

  @Test
  void emptyInput_isAUsageError() {
    Run r = run(" \n\n", "explain");
    assertEquals(3, r.status);
    assertEquals("tls-inspect: no exception message or stack trace on standard input", r.errLines().get(0));
    assertEquals(List.of("tls-inspect: no exception message or stack trace on standard input",
        "Try 'tls-inspect explain --help' for more information."), r.errLines());
    assertEquals("", r.out);
  }

  @Test
  void onATerminalWithNothingPiped_printsHowToUseItInsteadOfWaiting() {
    // Reading this stream would fail the test: at a terminal, explain must not read at all.
    java.io.InputStream keyboard = new java.io.InputStream() {
      @Override
      public int read() {
        throw new AssertionError("explain read from a terminal");
      }
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, UTF_8); PrintStream e = new PrintStream(err, true, UTF_8)) {
      status = Main.run(keyboard, true, o, e, "explain");
    }
    String text = err.toString(UTF_8);
    assertEquals(3, status, text);
    assertEquals("", out.toString(UTF_8));
    assertTrue(text.startsWith("tls-inspect explain reads an exception message or stack trace on "
        + "standard input:"), text);
    assertTrue(text.contains("  tls-inspect explain < error.txt"), text);
    assertTrue(text.endsWith("Try 'tls-inspect explain --help' for more information.\n"), text);
  }

  @Test
  void withPipedInput_readsItAsBefore() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, UTF_8);
        PrintStream e = new PrintStream(new ByteArrayOutputStream(), true, UTF_8)) {
      status = Main.run(new ByteArrayInputStream("java.net.SocketException: Connection reset".getBytes(UTF_8)),
          false, o, e, "explain");
    }
    assertEquals(2, status);
    assertTrue(out.toString(UTF_8).startsWith("tls-inspect explain: "), out.toString(UTF_8));
  }

  @Test
  void inputOverOneMegabyte_isRefusedInOneLine() {
    byte[] big = new byte[Explain.MAX_INPUT + 1];
    java.util.Arrays.fill(big, (byte) 'x');
    Run r = run(big, "explain");
    assertEquals(3, r.status);
    assertEquals(List.of("tls-inspect: standard input is larger than 1 MB: pass the exception message "
        + "or stack trace only"), r.errLines());
    assertEquals(2, run(("x".repeat(Explain.MAX_INPUT - 100) + "\njava.net.SocketException: Connection reset")
        .getBytes(UTF_8), "explain").status, "exactly under the limit is read");
  }

  @Test
  void targetOptionsWithoutTarget_areAUsageError() {
    Run r = run(PKIX, "explain", "--ca-file", rootPem.toString());
    assertEquals(3, r.status);
    assertTrue(r.errLines().get(0).contains("need HOST[:PORT]"), r.err);
    Run both = run(PKIX, "explain", "--sni", "a.example", "--no-sni", "localhost");
    assertEquals(3, both.status);
    assertTrue(both.errLines().get(0).contains("--sni and --no-sni"), both.err);
  }

  @Test
  void help_documentsTheExitStatus() {
    Run r = run("", "explain", "--help");
    assertEquals(0, r.status);
    assertTrue(r.out.startsWith("Usage: tls-inspect explain"), r.out);
    assertTrue(r.out.contains("0  nothing TLS- or connection-related was recognised"), r.out);
    assertTrue(r.out.contains("2  candidates were found"), r.out);
    assertTrue(r.out.contains("3  usage or internal error"), r.out);
  }
}
