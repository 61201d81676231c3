package dev.tlsinspect.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.BcTlsServer;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain command gives the whole diagnosis (issue #11): without --provider, an inspection
 * makes its main handshake with JSSE and enumerates with Bouncy Castle, so weak versions and
 * suites, --policy and --client need no flag, and explain names the specific cause. Loopback
 * servers only.
 */
class BothEnginesCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static IssuedCertificate root;
  static IssuedCertificate intermediate;
  static IssuedCertificate leaf;
  static Path rootPem;

  @BeforeAll
  static void pki() throws IOException {
    Instant now = Instant.now();
    root = CertificateBuilder.root("tls-inspect both engines cli root")
        .validFrom(now.minus(Duration.ofDays(400))).validUntil(now.plus(Duration.ofDays(1000))).build();
    intermediate = CertificateBuilder.intermediate("tls-inspect both engines cli intermediate").issuedBy(root)
        .validFrom(now.minus(Duration.ofDays(400))).validUntil(now.plus(Duration.ofDays(1000))).build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
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

  /** {@code --json --ca-file root --connect 127.0.0.1 [more] localhost:PORT}. */
  static JsonNode inspect(int port, int expectedStatus, String... more) throws IOException {
    List<String> args = new ArrayList<>(List.of("--json", "--ca-file", rootPem.toString(), "--connect", "127.0.0.1"));
    args.addAll(List.of(more));
    args.add("localhost:" + port);
    Run r = run("", args.toArray(String[]::new));
    assertEquals(expectedStatus, r.status, r.out + r.err);
    assertEquals("", r.err, "no note, no error");
    return JSON.readTree(r.out);
  }

  static Set<String> codes(JsonNode report) {
    Set<String> out = new TreeSet<>();
    report.get("findings").forEach(f -> out.add(f.get("code").asText()));
    return out;
  }

  static List<JsonNode> findings(JsonNode report, String code) {
    List<JsonNode> out = new ArrayList<>();
    report.get("findings").forEach(f -> {
      if (code.equals(f.get("code").asText())) {
        out.add(f);
      }
    });
    return out;
  }

  private static BcTlsServer tls12CbcStaticRsa() {
    return BcTlsServer.builder().certificateChain(leaf, intermediate.certificate())
        .versions(TlsVersion.TLS_1_2)
        .cipherSuites(CipherSuite.of(0x002F), CipherSuite.of(0x0035))
        .start();
  }

  /** TLS 1.3 and 1.2 with forward-secret AEAD suites only, in the server's order. */
  private static TlsServer healthy() {
    return TlsServer.builder().certificateChain(leaf, intermediate.certificate())
        .protocols("TLSv1.3", "TLSv1.2")
        .cipherSuites("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")
        .start();
  }

  @Test
  void plainCommand_findsWeakSuites_asProviderBcDoes() throws IOException {
    try (BcTlsServer server = tls12CbcStaticRsa()) {
      JsonNode plain = inspect(server.port(), 2);
      assertEquals("jsse+bc", plain.get("provider").asText());
      assertEquals("FAIL", plain.get("verdict").asText());
      assertTrue(codes(plain).containsAll(List.of("NO_FORWARD_SECRECY", "CIPHER_CBC", "TLS1_3_UNSUPPORTED")),
          codes(plain)::toString);
      assertEquals("HIGH", findings(plain, "NO_FORWARD_SECRECY").get(0).get("severity").asText());
      assertEquals("[\"TLSv1.2\"]", plain.get("protocols").toString());
      assertEquals("[\"TLS_RSA_WITH_AES_128_CBC_SHA\",\"TLS_RSA_WITH_AES_256_CBC_SHA\"]",
          plain.get("cipherSuites").get("TLSv1.2").toString());

      JsonNode bc = inspect(server.port(), 2, "--provider", "bc");
      assertEquals("bc", bc.get("provider").asText());
      assertEquals(codes(bc), codes(plain));
    }
  }

  @Test
  void policy_withoutProvider_answersAsProviderBc() throws IOException {
    try (BcTlsServer server = tls12CbcStaticRsa()) {
      JsonNode plain = inspect(server.port(), 2, "--policy", "mozilla-intermediate");
      JsonNode bc = inspect(server.port(), 2, "--policy", "mozilla-intermediate", "--provider", "bc");
      JsonNode violation = findings(plain, "POLICY_VIOLATION").get(0);
      assertEquals(findings(bc, "POLICY_VIOLATION").get(0).get("evidence").get("deviations"),
          violation.get("evidence").get("deviations"));
      assertFalse(violation.get("evidence").has("unchecked"), violation.toString());
      assertTrue(violation.get("evidence").get("deviations").toString()
          .contains("accepts TLS_RSA_WITH_AES_128_CBC_SHA (not in the policy)"), violation.toString());
    }
  }

  @Test
  void clientAll_healthyServer_passes_withObsoleteClientsAtInfo_butANamedOneFails() throws IOException {
    try (TlsServer server = healthy()) {
      JsonNode all = inspect(server.port(), 0, "--client", "all");
      assertEquals("PASS", all.get("verdict").asText(), all.get("findings").toString());
      // The compatibility table has every profile.
      assertEquals(18, all.get("clients").size(), all.get("clients").toString());
      JsonNode java7 = findings(all, "CLIENT_INCOMPATIBLE").stream()
          .filter(f -> f.get("evidence").get("profile").asText().equals("java-7")).findFirst()
          .orElseThrow(() -> new AssertionError(all.get("findings").toString()));
      assertEquals("INFO", java7.get("severity").asText());
      assertTrue(java7.get("evidence").get("obsolete").asText().startsWith("Java 7:"), java7.toString());
      for (JsonNode f : findings(all, "CLIENT_INCOMPATIBLE")) {
        assertEquals("INFO", f.get("severity").asText(), f.toString());
      }

      Run text = run("", "--client", "all", "--ca-file", rootPem.toString(), "--connect", "127.0.0.1",
          "localhost:" + server.port());
      assertEquals(0, text.status(), text.out());
      assertTrue(text.out().contains("Verdict: PASS"), text.out());
      assertTrue(text.out().lines().anyMatch(l -> l.matches("  java-7 +FAIL  no common version: .*")), text.out());
      assertTrue(text.out().replaceAll("\\s+", " ").contains("(obsolete client)"), text.out());

      JsonNode named = inspect(server.port(), 2, "--client", "java-7");
      JsonNode f = findings(named, "CLIENT_INCOMPATIBLE").get(0);
      assertEquals("HIGH", f.get("severity").asText());
      assertEquals("java-7", f.get("evidence").get("profile").asText());
      assertEquals("NO_COMMON_VERSION", f.get("evidence").get("reason").asText());

      JsonNode allAndNamed = inspect(server.port(), 2, "--client", "all,java-7");
      assertEquals(18, allAndNamed.get("clients").size());
      assertEquals("FAIL", allAndNamed.get("verdict").asText());
    }
  }

  @Test
  void explain_withoutProvider_confirmsTheSpecificCause() throws IOException {
    // The RC4-only server: JSSE offers no RC4 and gets handshake_failure, the exception below.
    try (FakePeer rc4 = FakePeer.selecting(0x0303, 0x0005)) {
      Run r = run("javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure",
          "explain", "--json", "--ca-file", rootPem.toString(), "--connect", "127.0.0.1",
          "localhost:" + rc4.port());
      assertEquals(2, r.status, r.out + r.err);
      JsonNode v = JSON.readTree(r.out).get("verification");
      assertEquals("CONFIRMED_ROOT_CAUSE", v.get("status").asText(), v.toString());
      assertEquals("LOCAL_CIPHER_DISABLED", v.get("confirmed").asText());
      assertEquals("jsse+bc", v.get("report").get("provider").asText());

      Run pinned = run("javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure",
          "explain", "--json", "--provider", "jsse", "--ca-file", rootPem.toString(), "--connect", "127.0.0.1",
          "localhost:" + rc4.port());
      JsonNode p = JSON.readTree(pinned.out).get("verification");
      assertEquals("NOT_CONFIRMED", p.get("status").asText(), p.toString());
    }
  }
}
