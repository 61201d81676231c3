package dev.tlsinspect.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tlsinspect.CertificateInfo;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.jsse.JsseProbe;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-address results in the CLI's text and JSON output. The CLI resolves names with the system
 * resolver, which maps nothing but "localhost" to loopback (and here only to 127.0.0.1), so the
 * two-backend case goes through the library with an injected resolver and the CLI's own renderers;
 * the command line itself is run against one address.
 */
class AddressOutputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static IssuedCertificate root;
  static IssuedCertificate leaf;
  static IssuedCertificate otherLeaf;
  static Path rootPem;

  @BeforeAll
  static void pki() throws IOException {
    root = CertificateBuilder.root("tls-inspect cli address root").build();
    IssuedCertificate intermediate = CertificateBuilder.intermediate("tls-inspect cli address intermediate")
        .issuedBy(root).build();
    leaf = CertificateBuilder.leaf("localhost").dnsNames("localhost", "service.test").issuedBy(intermediate).build();
    otherLeaf = CertificateBuilder.leaf("localhost").dnsNames("localhost", "service.test").issuedBy(intermediate)
        .freshKey().build();
    rootPem = Files.writeString(dir.resolve("root.pem"), root.toPem());
  }

  private static TlsServer[] twoBackends() {
    for (int attempt = 0; attempt < 5; attempt++) {
      TlsServer a = TlsServer.builder().certificate(leaf).start();
      try {
        return new TlsServer[] {a, TlsServer.builder().certificate(otherLeaf)
            .bind(ip("127.0.0.2"), a.port()).start()};
      } catch (UncheckedIOException taken) {
        a.close();
      }
    }
    throw new AssertionError("no port free on 127.0.0.1 and 127.0.0.2");
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void twoBackends_textListsEachAddress_andJsonCarriesThem() throws IOException {
    TlsServer[] s = twoBackends();
    try {
      InspectOptions options = InspectOptions.builder()
          .trust(TrustMaterial.certificates(List.of(root.certificate())))
          .timeout(Duration.ofSeconds(10))
          .quick(false) // quick mode stops at the first address that answers
          .resolver(host -> List.of(ip("127.0.0.1"), ip("127.0.0.2")))
          .build();
      Report report = TlsInspector.builder().probe(new JsseProbe()).options(options).build()
          .inspect(Target.of("service.test", s[0].port()));
      String rendered = TextReport.render(report);
      // Long lines wrap; compare with whitespace collapsed.
      String text = rendered.replaceAll("\\s+", " ");
      String first = CertificateInfo.fingerprint(leaf.certificate()).substring(0, 17);
      String second = CertificateInfo.fingerprint(otherLeaf.certificate()).substring(0, 17);
      assertTrue(text.contains("Addresses: 127.0.0.1 completed TLSv1.3"), rendered);
      assertTrue(text.contains("leaf " + first + " (main) 127.0.0.2 completed TLSv1.3"), rendered);
      assertTrue(text.contains("leaf " + second + " Handshake: completed, SNI sent:"), rendered);
      assertTrue(text.contains("ADDRESS_INCONSISTENT"), text);

      JsonNode json = JSON.readTree(Json.write(report));
      JsonNode addresses = json.get("addresses");
      assertEquals(2, addresses.size());
      assertEquals("127.0.0.1", addresses.get(0).get("address").asText());
      assertEquals("completed", addresses.get(0).get("result").asText());
      assertEquals("TLSv1.3", addresses.get(0).get("version").asText());
      assertTrue(addresses.get(0).get("main").asBoolean());
      assertEquals(CertificateInfo.fingerprint(otherLeaf.certificate()), addresses.get(1).get("leafSha256").asText());
      assertFalse(addresses.get(1).get("main").asBoolean());
      for (String key : List.of("target", "verdict", "findings", "protocols", "cipherSuites", "certificateChain",
          "timings")) {
        assertTrue(json.has(key), "the documented key " + key + " is still there");
      }
    } finally {
      s[0].close();
      s[1].close();
    }
  }

  @Test
  void commandLine_oneAddress_inJson() throws IOException {
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status;
      try (PrintStream o = new PrintStream(out, true, UTF_8); PrintStream e = new PrintStream(err, true, UTF_8)) {
        status = Main.run(o, e, new String[] {"--json", "--quick", "--ca-file", rootPem.toString(),
            "--connect", "127.0.0.1", "localhost:" + server.port()});
      }
      assertTrue(status == 0 || status == 1, () -> status + " " + out + err);
      JsonNode addresses = JSON.readTree(out.toString(UTF_8)).get("addresses");
      assertEquals(1, addresses.size(), "a connect address is one backend");
      assertEquals("127.0.0.1", addresses.get(0).get("address").asText());
      assertTrue(addresses.get(0).get("main").asBoolean());
      assertEquals(CertificateInfo.fingerprint(leaf.certificate()), addresses.get(0).get("leafSha256").asText());
    }
  }
}
