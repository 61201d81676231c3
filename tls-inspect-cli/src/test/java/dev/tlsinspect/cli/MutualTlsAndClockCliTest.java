package dev.tlsinspect.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakeSntpServer;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.KeyPurpose;
import dev.tlsinspect.testing.TlsServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --client-cert, --key-store and --clock-check end to end, against loopback servers only. */
class MutualTlsAndClockCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static IssuedCertificate root;
  static IssuedCertificate leaf;
  static IssuedCertificate clientCa;
  static Path rootPem;
  static Path clientP12;

  @BeforeAll
  static void pki() throws Exception {
    root = CertificateBuilder.root("cli mtls root").build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(root).crlUrl("http://127.0.0.1:9/ca.crl").build();
    rootPem = Files.writeString(dir.resolve("root.pem"), root.toPem());
    clientCa = CertificateBuilder.root("cli mtls client CA").build();
    IssuedCertificate client = CertificateBuilder.leaf("cli client").issuedBy(clientCa)
        .extendedKeyUsage(KeyPurpose.CLIENT_AUTH).build();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("cli-key", client.privateKey(), "s3cret".toCharArray(),
        client.chain().toArray(X509Certificate[]::new));
    clientP12 = dir.resolve("client.p12");
    try (OutputStream out = Files.newOutputStream(clientP12)) {
      ks.store(out, "s3cret".toCharArray());
    }
  }

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, UTF_8); PrintStream e = new PrintStream(err, true, UTF_8)) {
      status = Main.run(o, e, args);
    }
    return new Run(status, out.toString(UTF_8), err.toString(UTF_8));
  }

  private static JsonNode finding(JsonNode report, String code) {
    for (JsonNode f : report.get("findings")) {
      if (code.equals(f.get("code").asText())) {
        return f;
      }
    }
    throw new AssertionError("no " + code + " finding in " + report.get("findings"));
  }

  private static TlsServer mtlsServer() {
    // Modern suites only: the JDK's defaults (static RSA, CBC) would add WARN findings.
    return TlsServer.builder().certificate(leaf).cipherSuites(MainTest.MODERN_SUITES)
        .clientAuth(TlsServer.ClientAuth.NEED)
        .trustedClientCas(clientCa.certificate()).start();
  }

  @Test
  void clientCert_isPresented_andNamed() throws Exception {
    try (TlsServer server = mtlsServer()) {
      Run r = run("--json", "--ca-file", rootPem.toString(), "--client-cert", clientP12.toString(),
          "--client-cert-password", "s3cret", "--connect", "127.0.0.1", "localhost:" + server.port());

      assertEquals(0, r.status, r.out + r.err);
      JsonNode f = finding(JSON.readTree(r.out), "CLIENT_CERT_REQUESTED");
      assertEquals("INFO", f.get("severity").asText());
      assertEquals("cli-key", f.get("evidence").get("chosenAlias").asText());
      assertFalse(r.out.contains("s3cret"), "the password never appears");
    }
  }

  @Test
  void keyStoreOptions_mirrorTheTrustStoreOptions() throws Exception {
    try (TlsServer server = mtlsServer()) {
      Run r = run("--json", "--ca-file", rootPem.toString(), "--key-store", clientP12.toString(),
          "--key-store-password", "s3cret", "--key-store-type", "PKCS12", "--key-alias", "cli-key",
          "--connect", "127.0.0.1", "localhost:" + server.port());
      assertEquals(0, r.status, r.out + r.err);
      assertEquals("cli-key", finding(JSON.readTree(r.out), "CLIENT_CERT_REQUESTED").get("evidence")
          .get("chosenAlias").asText());
    }
  }

  @Test
  void withoutClientCert_isClientCertRequired_andTextNamesTheCa() {
    try (TlsServer server = mtlsServer()) {
      Run r = run("--ca-file", rootPem.toString(), "--connect", "127.0.0.1", "localhost:" + server.port());

      assertEquals(2, r.status, r.out + r.err);
      assertTrue(r.out.contains("CLIENT_CERT_REQUIRED"), r.out);
      assertTrue(r.out.contains("CN=cli mtls client CA"), r.out);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--client-cert-password|Hunter2x|tls-inspect: cannot read client key store",
      "--client-cert-password|s3cret|tls-inspect: --key-alias",
  })
  void badClientCertArguments_oneLine_exitThree(String option, String value, String message) {
    List<String> args = new java.util.ArrayList<>(List.of("--client-cert", clientP12.toString(), option, value));
    if (message.contains("--key-alias")) {
      args = new java.util.ArrayList<>(List.of("--key-alias", "x"));
    }
    args.add("localhost");
    Run r = run(args.toArray(String[]::new));

    assertEquals(3, r.status, r.err);
    List<String> lines = r.err.lines().toList();
    assertTrue(lines.get(0).startsWith(message), r.err);
    assertEquals(1, lines.stream().filter(l -> l.startsWith("tls-inspect: ")).count(), r.err);
    assertFalse(r.err.contains("Hunter2x"), "no password in the message: " + r.err);
    assertFalse(r.err.contains("\tat "), r.err);
  }

  @Test
  void missingClientCertFile_oneLine_exitThree() {
    Run r = run("--client-cert", dir.resolve("nope.p12").toString(), "localhost");
    assertEquals(3, r.status);
    assertTrue(r.err.startsWith("tls-inspect: client key store not found: "), r.err);
  }

  @Test
  void clockCheckSntp_reportsClockSkew() throws Exception {
    try (TlsServer server = TlsServer.builder().certificate(leaf).cipherSuites(MainTest.MODERN_SUITES).start();
        FakeSntpServer sntp = FakeSntpServer.answering(Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)))) {
      Run r = run("--json", "--ca-file", rootPem.toString(), "--clock-check", "sntp:127.0.0.1:" + sntp.port(),
          "--connect", "127.0.0.1", "localhost:" + server.port());

      assertEquals(2, r.status, r.out + r.err);
      JsonNode skew = finding(JSON.readTree(r.out), "CLOCK_SKEW");
      assertEquals("HIGH", skew.get("severity").asText());
      assertEquals("sntp 127.0.0.1:" + sntp.port(), skew.get("evidence").get("source").asText());
      long offset = skew.get("evidence").get("offsetSeconds").asLong();
      assertTrue(Math.abs(offset + 7200) < 120, "offset " + offset);

      Run tolerant = run("--json", "--ca-file", rootPem.toString(), "--clock-check", "sntp:127.0.0.1:" + sntp.port(),
          "--clock-skew-threshold", "3h", "--connect", "127.0.0.1", "localhost:" + server.port());
      assertEquals(0, tolerant.status, tolerant.out + tolerant.err);
    }
  }

  @Test
  void clockCheckHttp_readsTheDateHeader() throws Exception {
    try (TlsServer server = TlsServer.builder().certificate(leaf)
        .dateHeader(java.time.Instant.now().plus(Duration.ofDays(2))).start()) {
      Run r = run("--json", "--ca-file", rootPem.toString(), "--clock-check", "http",
          "--connect", "127.0.0.1", "localhost:" + server.port());

      assertEquals(2, r.status, r.out + r.err);
      JsonNode skew = finding(JSON.readTree(r.out), "CLOCK_SKEW");
      assertTrue(skew.get("title").asText().contains("behind"), skew.toString());
      assertTrue(server.awaitFinishedConnections(2, Duration.ofSeconds(5)));
      assertEquals(List.of("HEAD / HTTP/1.1"), server.requestLines());
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--clock-check|ntp:127.0.0.1|is neither http nor sntp:HOST[:PORT]",
      "--clock-check|sntp:127.0.0.1:0|SNTP port must be between 1 and 65535",
      "--clock-skew-threshold|1m|--clock-skew-threshold needs --clock-check",
  })
  void badClockArguments_oneLine_exitThree(String option, String value, String message) {
    Run r = run(option, value, "localhost");
    assertEquals(3, r.status, r.err);
    List<String> lines = r.err.lines().toList();
    assertTrue(lines.get(0).startsWith("tls-inspect: ") && lines.get(0).contains(message), r.err);
    assertEquals(List.of(lines.get(0), "Try 'tls-inspect --help' for more information."), lines);
  }
}
