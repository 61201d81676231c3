package dev.tlsinspect.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tlsinspect.testing.CertificateBuilder;
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
 * Issue #18, safe output: a peer whose certificate names hold terminal escape sequences, C1
 * controls, NUL, bidi overrides, newlines and a 64 KB common name must not reach the terminal raw
 * nor forge report lines, in the text report, {@code --trace} and {@code explain}; nor may a log
 * file in {@code logs}. JSON keeps the names exactly.
 */
class SafeOutputCliTest {
  /** Screen clear, OSC window title ended by BEL, backspaces, CSI as C1, NUL, RLO, forged lines. */
  static final String HOSTILE = "evil\u001b[2J\u001b[H\u001b]0;pwned\u0007\b\b\u009b31m\u0000"
      + "\u202Egpj.exe\r\nVerdict: PASS\nNo findings.\n";
  static final String HOSTILE_SAN = "evil\u001b[2J\u0007\b\u0000\nVerdict: PASS.example";
  static final String HUGE = "x".repeat(64 * 1024);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static IssuedCertificate root;
  static IssuedCertificate intermediate;
  static IssuedCertificate leaf;
  /** Over 32 KB: JSSE refuses it (CERT_TOO_LARGE), Bouncy Castle reads it. */
  static IssuedCertificate hugeLeaf;
  static Path rootPem;

  @BeforeAll
  static void certificates() throws IOException {
    Instant now = Instant.now();
    root = CertificateBuilder.root("tls-inspect safe output root " + HOSTILE)
        .validFrom(now.minus(Duration.ofDays(400))).validUntil(now.plus(Duration.ofDays(1000))).build();
    intermediate = CertificateBuilder.intermediate("intermediate " + HOSTILE).issuedBy(root)
        .validFrom(now.minus(Duration.ofDays(400))).validUntil(now.plus(Duration.ofDays(1000))).build();
    leaf = CertificateBuilder.leaf(HOSTILE).issuedBy(intermediate)
        .dnsNames("localhost", HOSTILE_SAN).build();
    hugeLeaf = CertificateBuilder.leaf(HOSTILE + HUGE).issuedBy(intermediate)
        .dnsNames("localhost", HOSTILE_SAN).build();
    rootPem = Files.writeString(dir.resolve("root.pem"), root.toPem());
  }

  record Run(int status, String out, String err) {}

  static Run run(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, UTF_8); PrintStream e = new PrintStream(err, true, UTF_8)) {
      status = Main.run(new ByteArrayInputStream(stdin.getBytes(UTF_8)), o, e, args);
    }
    return new Run(status, out.toString(UTF_8), err.toString(UTF_8));
  }

  private static TlsServer serve() {
    return TlsServer.builder().certificateChain(leaf, intermediate.certificate()).start();
  }

  private static TlsServer serveHuge() {
    return TlsServer.builder().certificateChain(hugeLeaf, intermediate.certificate()).start();
  }

  /** No control (other than the line feeds of the report's own lines), C1, bidi or separator. */
  static void assertSafe(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int at = i;
      boolean bad = c < 0x20 && c != '\n' || c == 0x7f || c >= 0x80 && c <= 0x9f
          || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069 || c == 0x2028 || c == 0x2029
          || c == 0x200e || c == 0x200f;
      assertFalse(bad, () -> String.format("raw U+%04X at %d: ...%s...", (int) c, at,
          dev.tlsinspect.SafeText.of(text.substring(Math.max(0, at - 60), Math.min(text.length(), at + 20)))));
    }
    // Forged lines: a name's newline would start a line of its own.
    List<String> lines = text.lines().toList();
    assertTrue(lines.stream().filter(l -> l.startsWith("Verdict:")).count() <= 1, text);
    assertTrue(lines.stream().noneMatch(l -> l.startsWith("No findings.") || l.startsWith("gpj.exe")), text);
  }

  @Test
  void textReport_showsHostileNamesAsVisibleEscapes_andCutsTheHugeName() {
    try (TlsServer server = serve()) {
      Run r = run("", "--ca-file", rootPem.toString(), "--connect", "127.0.0.1", "--timeout", "5s",
          "localhost:" + server.port());

      assertSafe(r.out);
      assertSafe(r.err);
      assertEquals(1, r.out.lines().filter(l -> l.startsWith("Verdict: ")).count(), r.out);
      // The subject as Java prints it (RFC 2253 escapes ';' and NUL), with every control visible.
      String joined = r.out.replaceAll("\n +", " ");
      assertTrue(joined.contains("#0 CN=evil\\x1b[2J\\x1b[H\\x1b]0\\;pwned\\x07\\x08\\x08\\u009b31m\\00"
          + "\\u202egpj.exe\\r\\nVerdict: PASS\\nNo findings.\\n (leaf)"), r.out);
      assertTrue(joined.contains("Names:     DNS:localhost, DNS:evil\\x1b[2J\\x07\\x08\\x00\\nVerdict: PASS.example"),
          r.out);
      // The fingerprint is shown once, in the chain; findings name the position.
      assertEquals(1, count(r.out, dev.tlsinspect.CertificateInfo.fingerprint(leaf.certificate())), r.out);
      assertTrue(r.out.length() < 20_000, "text report of " + r.out.length() + " chars");
    }
  }

  @Test
  void textReport_cutsA64KilobyteName() {
    try (TlsServer server = serveHuge()) {
      Run r = run("", "--provider", "bc", "--ca-file", rootPem.toString(), "--connect", "127.0.0.1",
          "--timeout", "5s", "localhost:" + server.port());

      assertSafe(r.out);
      assertTrue(r.out.contains("CN=evil\\x1b[2J"), r.out.substring(0, Math.min(r.out.length(), 5000)));
      assertTrue(java.util.regex.Pattern.compile("x\\.\\.\\.\\[6\\d{4}\\s+chars\\]").matcher(r.out).find(),
          r.out.substring(0, Math.min(r.out.length(), 5000)));
      assertTrue(r.out.length() < 20_000, "text report of " + r.out.length() + " chars");
      // CERT_TOO_LARGE names the leaf by its position; the chain alone has its fingerprint.
      assertTrue(r.out.replaceAll("\n +", " ").contains("leaf=certificate #0 (leaf)"), r.out);
      assertEquals(1, count(r.out, dev.tlsinspect.CertificateInfo.fingerprint(hugeLeaf.certificate())), r.out);

      Run trace = run("", "--provider", "bc", "--quick", "--trace", "--ca-file", rootPem.toString(),
          "--connect", "127.0.0.1", "--timeout", "5s", "localhost:" + server.port());
      assertSafe(trace.out);
      assertTrue(trace.out.length() < 40_000, "report and trace of " + trace.out.length() + " chars");
    }
  }

  private static long count(String text, String part) {
    long n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  static java.util.stream.Stream<java.util.function.Supplier<dev.tlsinspect.testing.FakePeer>> notTlsPeers() {
    return java.util.stream.Stream.of(
        dev.tlsinspect.testing.FakePeer::http,
        () -> dev.tlsinspect.testing.FakePeer.garbage(4096, 7),
        () -> dev.tlsinspect.testing.FakePeer.banner("220 evil\u001b[2J\u001b]0;pwned\u0007\u202e ESMTP\r\n"
            + "Verdict: PASS\r\n"));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("notTlsPeers")
  void notTls_evidenceHasNoInternalClassName_andBannersAreSafe(
      java.util.function.Supplier<dev.tlsinspect.testing.FakePeer> peer) throws IOException {
    try (dev.tlsinspect.testing.FakePeer p = peer.get()) {
      for (String provider : List.of("jsse", "bc")) {
        Run text = run("", "--quick", "--provider", provider, "--connect", "127.0.0.1", "--timeout", "5s",
            "localhost:" + p.port());
        Run json = run("", "--quick", "--json", "--provider", provider, "--connect", "127.0.0.1",
            "--timeout", "5s", "localhost:" + p.port());

        assertEquals(2, text.status, text.out + text.err);
        assertSafe(text.out);
        for (String out : List.of(text.out, json.out)) {
          // Our own exception types (JsseHandshake$TapProblem, WireTap$...) are no one's business.
          assertFalse(out.contains("dev.tlsinspect."), out);
          assertFalse(out.contains("$TapProblem") || out.contains("$DeadlineReached"), out);
        }
        JsonNode report = JSON.readTree(json.out);
        assertTrue(report.get("findings").toString().contains("NOT_TLS")
            || report.get("findings").toString().contains("TLS_PROTOCOL_ERROR"), json.out);
      }
    }
  }

  @Test
  void env_showsAHostileSettingEscaped() {
    // Settings come from java.security files and system properties: any text at all. Rendered
    // from a copy of this JVM's environment, so no JVM-global state is touched.
    dev.tlsinspect.JvmTlsEnvironment env = dev.tlsinspect.JvmTlsEnvironment.current();
    List<dev.tlsinspect.JvmTlsEnvironment.Setting> settings = new java.util.ArrayList<>(env.settings());
    settings.add(new dev.tlsinspect.JvmTlsEnvironment.Setting("jdk.tls.disabledAlgorithms", "security",
        "policy", java.util.Optional.of(HOSTILE + HUGE)));
    String text = Env.render(new dev.tlsinspect.JvmTlsEnvironment(env.java(), env.providers(), env.fips(),
        settings, env.trustStore(), env.keyStore(), env.defaultContext()));

    assertSafe(text);
    assertTrue(text.contains("evil\\x1b[2J\\x1b[H\\x1b]0;pwned\\x07"), text);
    assertTrue(text.length() < 40_000, "env of " + text.length() + " chars");
  }

  @Test
  void trace_isSafeToo() {
    try (TlsServer server = serve()) {
      Run r = run("", "--quick", "--trace", "--ca-file", rootPem.toString(), "--connect", "127.0.0.1",
          "--timeout", "5s", "localhost:" + server.port());

      assertTrue(r.out.contains("Handshake trace"), r.out);
      assertSafe(r.out);
      assertTrue(r.out.length() < 40_000, "report and trace of " + r.out.length() + " chars");
    }
  }

  @Test
  void json_keepsTheNamesExactly() throws IOException {
    try (TlsServer server = serve()) {
      Run r = run("", "--quick", "--json", "--ca-file", rootPem.toString(), "--connect", "127.0.0.1",
          "--timeout", "5s", "localhost:" + server.port());

      JsonNode chain = JSON.readTree(r.out).get("certificateChain");
      assertTrue(chain.get(0).get("subject").asText().startsWith("CN=evil\u001b[2J\u001b[H\u001b]0"), r.out);
      assertTrue(chain.get(0).get("subject").asText().contains("pwned\u0007\b\b"), r.out);
      assertTrue(chain.get(0).get("subject").asText().contains("\u202egpj.exe\r\nVerdict: PASS\n"), r.out);
      assertTrue(chain.get(1).get("subject").asText().contains("pwned\u0007"), r.out);
      assertTrue(chain.get(0).get("subjectAltNames").toString().contains(
          JSON.writeValueAsString("DNS:" + HOSTILE_SAN)), r.out);
    }
  }

  @Test
  void explain_quotedExceptionAndVerification_areSafe() {
    String exception = "javax.net.ssl.SSLHandshakeException: PKIX path building failed: "
        + "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid "
        + "certification path to requested target " + HOSTILE + HUGE + "\n"
        + "Caused by: sun.security.provider.certpath.SunCertPathBuilderException: " + HOSTILE + "\n";
    Run plain = run(exception, "explain");
    assertEquals(2, plain.status, plain.out + plain.err);
    assertSafe(plain.out);

    try (TlsServer server = serve()) {
      Run r = run(exception, "explain", "--trace", "--connect", "127.0.0.1", "--timeout", "5s",
          "localhost:" + server.port());
      assertTrue(r.out.contains("Verification ("), r.out);
      assertSafe(r.out);
      assertSafe(r.err);
      assertTrue(r.out.length() < 60_000, "explain of " + r.out.length() + " chars");
    }
  }

  @Test
  void logs_quotedLinesAreSafe() throws IOException {
    Path log = Files.writeString(dir.resolve("hostile.log"),
        "2026/11/26 01:44:22 [info] 10407#10407: *1 SSL_do_handshake() failed (SSL: error:0A000102:"
            + "SSL routines::unsupported protocol " + HOSTILE.replace("\n", " ").replace("\r", " ")
            + "\u001b]0;owned\u0007) while SSL handshaking, client: 127.0.0.1, server: 127.0.0.1:18443\n"
            + "2026/11/26 01:44:23 [info] 10407#10407: *2 SSL_do_handshake() failed (SSL: error:0A0000C1:"
            + "SSL routines::no shared cipher) while SSL handshaking, client: 127.0.0.1\u001b[2J, server: x\n"
            + "\u001b[2J\u001b]0;pwned\u0007 not in any format\n");

    Run r = run("", "logs", log.toString());

    assertTrue(r.out.startsWith("tls-inspect logs: "), r.out);
    assertTrue(r.out.contains("\\x1b"), r.out);
    assertSafe(r.out);
    assertSafe(r.err);
  }
}
