package dev.tlsinspect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tls-inspect --html FILE}: one self-contained page, every peer value escaped. */
class HtmlReportTest {

  @Test
  void writesASelfContainedPageWithAHostileSubjectAsText(@TempDir Path dir) throws Exception {
    IssuedCertificate root = CertificateBuilder.root("html test root").build();
    IssuedCertificate leaf = CertificateBuilder.leaf("127.0.0.1").issuedBy(root)
        .subject(ExporterFixture.HOSTILE_SUBJECT + ",OU=a\u001b]0\\;title\u0007b").expired().build();
    Path rootPem = Files.writeString(dir.resolve("root.pem"), root.toPem());
    Path html = dir.resolve("report.html");
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      MainTest.Run r = MainTest.run("--quick", "--html", html.toString(), "--ca-file", rootPem.toString(),
          "127.0.0.1:" + server.port());
      assertEquals(2, r.status(), r.err());
      assertTrue(r.out().contains("CERT_EXPIRED"), "the text report is still printed");
    }
    String page = Files.readString(html);
    assertTrue(page.startsWith("<!DOCTYPE html>"), page);
    assertTrue(page.contains("CERT_EXPIRED"), page);
    assertTrue(page.contains("ROOT CAUSE"), page);
    assertTrue(page.contains("id=\"chain\""), page);
    // The subject is text: escaped markup, the terminal escape shown as \x1b.
    assertTrue(page.contains("&lt;script\\&gt;document.title\\=&#39;pwned&#39;"), page);
    assertTrue(page.contains("OU=a\\x1b]0\\;title\\x07b"), page);
    assertFalse(page.contains("<script"), page);
    assertFalse(page.contains("<img"), page);
    assertFalse(page.contains("\u001b"), page);
    // Self-contained: no external resource of any kind.
    assertFalse(page.contains("src="), page);
    assertFalse(page.contains("<link"), page);
    assertFalse(page.contains("url("), page);
    assertFalse(page.contains("@import"), page);
  }

  @Test
  void anUnwritableFileIsOneLine(@TempDir Path dir) throws Exception {
    try (TlsServer server = TlsServer.builder().certificate(CertificateBuilder.leaf("127.0.0.1").build()).start()) {
      MainTest.Run r = MainTest.run("--quick", "--html", dir.resolve("no/such/dir/r.html").toString(),
          "127.0.0.1:" + server.port());
      assertEquals(3, r.status());
      assertTrue(r.err().startsWith("tls-inspect: --html: cannot write"), r.err());
      assertEquals(1, r.errLines().size(), r.err());
    }
  }
}
