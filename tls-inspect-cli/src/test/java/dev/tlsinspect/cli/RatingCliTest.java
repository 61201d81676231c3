package dev.tlsinspect.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grade in both outputs, for real loopback servers: a clean TLS 1.3 server is A+, the same
 * server without TLS 1.3 is A- (capped by the LOW TLS1_3_UNSUPPORTED), and the JSON names that
 * rule and code right after the verdict, which the grade does not change.
 */
class RatingCliTest {
  @TempDir Path dir;

  private record Run(int status, String out) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, UTF_8); PrintStream e = new PrintStream(err, true, UTF_8)) {
      status = Main.run(new ByteArrayInputStream(new byte[0]), o, e, args);
    }
    return new Run(status, out.toString(UTF_8) + err.toString(UTF_8));
  }

  @Test
  void cleanTls13Server_isAPlus_andWithoutTls13_isAMinusCappedByLow() throws IOException {
    Instant now = Instant.now();
    IssuedCertificate root = CertificateBuilder.root("tls-inspect rating root")
        .validFrom(now.minus(Duration.ofDays(400))).validUntil(now.plus(Duration.ofDays(1000))).build();
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(root).build();
    Path rootPem = Files.writeString(dir.resolve("root.pem"), root.toPem());

    try (TlsServer modern = TlsServer.builder().certificateChain(leaf)
        .protocols("TLSv1.3", "TLSv1.2").cipherSuites(MainTest.MODERN_SUITES).start()) {
      Run text = run("--ca-file", rootPem.toString(), "--connect", "127.0.0.1", "localhost:" + modern.port());
      assertEquals(0, text.status(), text.out());
      assertTrue(text.out().lines().toList().get(0).endsWith(" ms, grade A+)"), text.out());
      assertTrue(text.out().lines().noneMatch(l -> l.startsWith("Grade ")), "nothing capped it");
    }
    List<String> tls12 = new ArrayList<>();
    for (String s : MainTest.MODERN_SUITES) {
      if (s.startsWith("TLS_ECDHE")) {
        tls12.add(s);
      }
    }
    try (TlsServer old = TlsServer.builder().certificateChain(leaf)
        .protocols("TLSv1.2").cipherSuites(tls12.toArray(String[]::new)).start()) {
      Run json = run("--json", "--ca-file", rootPem.toString(), "--connect", "127.0.0.1",
          "localhost:" + old.port());
      JsonNode report = Json.mapper().readTree(json.out());
      assertEquals(1, json.status(), json.out());
      assertEquals("WARN", report.get("verdict").asText(), "the grade does not change the verdict");
      List<String> fields = new ArrayList<>();
      report.fieldNames().forEachRemaining(fields::add);
      assertEquals(List.of("target", "verdict", "rating"), fields.subList(0, 3));
      JsonNode rating = report.get("rating");
      assertEquals("A-", rating.get("grade").asText(), json.out());
      assertEquals(1, rating.get("cappedBy").size(), json.out());
      JsonNode cap = rating.get("cappedBy").get(0);
      assertEquals("low", cap.get("rule").asText());
      assertEquals("A-", cap.get("grade").asText());
      assertEquals("TLS1_3_UNSUPPORTED", cap.get("codes").get(0).asText());
      assertTrue(cap.get("reason").asText().contains("LOW"), cap.toString());

      Run text = run("--ca-file", rootPem.toString(), "--connect", "127.0.0.1", "localhost:" + old.port());
      List<String> lines = text.out().lines().toList();
      assertTrue(lines.get(0).endsWith(" ms, grade A-)"), text.out());
      int at = lines.indexOf("Grade A-, capped by");
      assertTrue(at > 0, text.out());
      assertTrue(lines.get(at + 1).matches("  low +A- +TLS1_3_UNSUPPORTED.*"), text.out());
    }
  }
}
