package dev.tlsinspect.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.CertificateInfo;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #11: a PASS report for a healthy server fits on one screen, each fingerprint shown once. */
class ReportLengthTest {
  @TempDir Path dir;

  @Test
  void healthyServer_fullInspection_passesOnOneScreen() throws IOException {
    Instant now = Instant.now();
    IssuedCertificate root = CertificateBuilder.root("tls-inspect report length root")
        .validFrom(now.minus(Duration.ofDays(400))).validUntil(now.plus(Duration.ofDays(1000))).build();
    IssuedCertificate intermediate = CertificateBuilder.intermediate("tls-inspect report length intermediate")
        .issuedBy(root).validFrom(now.minus(Duration.ofDays(400))).validUntil(now.plus(Duration.ofDays(1000)))
        .build();
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .ocspUrl("http://127.0.0.1:9/ocsp").build();
    Path rootPem = Files.writeString(dir.resolve("root.pem"), root.toPem());

    try (TlsServer server = TlsServer.builder().certificateChain(leaf, intermediate.certificate())
        .protocols("TLSv1.3", "TLSv1.2").cipherSuites(MainTest.MODERN_SUITES).start()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status;
      try (PrintStream o = new PrintStream(out, true, UTF_8); PrintStream e = new PrintStream(err, true, UTF_8)) {
        status = Main.run(new ByteArrayInputStream(new byte[0]), o, e, "--ca-file", rootPem.toString(),
            "--connect", "127.0.0.1", "localhost:" + server.port());
      }
      String text = out.toString(UTF_8);
      List<String> lines = text.lines().toList();

      assertEquals(0, status, text + err.toString(UTF_8));
      assertEquals("Verdict: PASS", lines.get(1), text);
      // 36: the server-feature facts (resumption, signature schemes, and for a JSSE server its
      // client-initiated renegotiation and missing RFC 7507) take one or two INFO lines each.
      assertTrue(lines.size() <= 36, lines.size() + " lines:\n" + text);
      // What users need stays: the chain with validity and the fingerprint, once.
      String fingerprint = CertificateInfo.fingerprint(leaf.certificate());
      assertEquals(1, text.split(java.util.regex.Pattern.quote(fingerprint), -1).length - 1, text);
      assertTrue(text.contains("Valid:"), text);
      assertTrue(text.contains("TLSv1.3"), text);
    }
  }
}
