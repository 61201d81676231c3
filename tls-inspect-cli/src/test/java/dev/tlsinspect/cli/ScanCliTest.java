package dev.tlsinspect.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tlsinspect.Starttls;
import dev.tlsinspect.Target;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code tls-inspect scan} end to end through {@link Main#run}: a targets file with comments and
 * per-line options, against a healthy, an expired, an expiring and a refusing endpoint on
 * 127.0.0.1; each output format parsed back (Jackson, an RFC 4180 reader, the JDK's DOM parser);
 * exit statuses by the worst verdict; bad input as one line before any connection.
 */
class ScanCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Path rootPem;
  static TlsServer healthy;
  static TlsServer expired;
  static TlsServer expiring;
  static int refusing;

  @BeforeAll
  static void servers() throws IOException {
    Instant now = Instant.now();
    IssuedCertificate root = CertificateBuilder.root("scan test root")
        .validFrom(now.minus(Duration.ofDays(400))).validUntil(now.plus(Duration.ofDays(3000))).build();
    rootPem = Files.writeString(dir.resolve("root.pem"), root.toPem());
    healthy = TlsServer.builder().certificate(CertificateBuilder.leaf("localhost").issuedBy(root)
        .validFrom(now.minus(Duration.ofDays(10))).validUntil(now.plus(Duration.ofDays(300))).build()).start();
    expired = TlsServer.builder().certificate(CertificateBuilder.leaf("localhost").issuedBy(root)
        .expired().build()).start();
    expiring = TlsServer.builder().certificate(CertificateBuilder.leaf("localhost").issuedBy(root)
        .validFrom(now.minus(Duration.ofDays(80))).validUntil(now.plus(Duration.ofDays(10))).build()).start();
    refusing = FakePeer.closedPort();
  }

  @AfterAll
  static void stop() {
    healthy.close();
    expired.close();
    expiring.close();
  }

  private static String line(int port) {
    return "localhost:" + port + " connect=127.0.0.1";
  }

  private static Path targets(String... lines) throws IOException {
    return Files.write(Files.createTempFile(dir, "targets", ".txt"), List.of(lines), UTF_8);
  }

  private static Path fourTargets() throws IOException {
    return targets("# the fleet", "", line(healthy.port()) + "   # web",
        "https://localhost:" + expired.port() + "/health connect=127.0.0.1",
        line(expiring.port()), "  " + line(refusing));
  }

  private static MainTest.Run scan(String... args) {
    List<String> all = new ArrayList<>(List.of("scan", "--ca-file", rootPem.toString(), "--timeout", "5s"));
    all.addAll(List.of(args));
    return MainTest.run(all.toArray(String[]::new));
  }

  @Test
  void jsonLines_oneReportObjectPerTarget_andTheSummaryOnStandardError() throws Exception {
    MainTest.Run r = scan("--jsonl", "--targets", fourTargets().toString());

    assertEquals(2, r.status(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(4, lines.size(), r.out());
    Map<Integer, JsonNode> byPort = new HashMap<>();
    for (String l : lines) {
      JsonNode report = JSON.readTree(l);
      byPort.put(report.get("target").get("port").asInt(), report);
    }
    assertEquals("PASS", byPort.get(healthy.port()).get("verdict").asText());
    assertEquals("FAIL", byPort.get(expired.port()).get("verdict").asText());
    assertEquals("WARN", byPort.get(expiring.port()).get("verdict").asText());
    assertEquals("FAIL", byPort.get(refusing).get("verdict").asText());
    assertEquals("CERT_EXPIRED", rootCause(byPort.get(expired.port())));
    assertEquals("CONNECTION_REFUSED", rootCause(byPort.get(refusing)));
    assertEquals("127.0.0.1", byPort.get(expired.port()).get("target").get("address").asText());

    assertTrue(r.err().contains("Scanned 4 targets"), r.err());
    assertTrue(r.err().contains("1 PASS, 1 WARN, 2 FAIL"), r.err());
    assertTrue(r.err().lines().anyMatch(l -> l.matches("\\s+CERT_EXPIRED\\s+1")), r.err());
    assertTrue(r.err().lines().anyMatch(l -> l.matches("\\s+CONNECTION_REFUSED\\s+1")), r.err());
    // Soonest first: the expired leaf, then the one expiring in 10 days.
    List<String> expiries = r.err().lines().dropWhile(l -> !l.startsWith("Soonest")).skip(1).toList();
    assertEquals(3, expiries.size(), r.err());
    assertTrue(expiries.get(0).contains("expired") && expiries.get(0).contains(":" + expired.port()), r.err());
    assertTrue(expiries.get(1).contains(":" + expiring.port()), r.err());
  }

  private static String rootCause(JsonNode report) {
    for (JsonNode f : report.get("findings")) {
      if (f.get("rootCause").asBoolean()) {
        return f.get("code").asText();
      }
    }
    return "";
  }

  @Test
  void csv_isRfc4180_withAHeader_andJunitXml_hasOneCasePerTargetAndFailuresForFail() throws Exception {
    Path xml = dir.resolve("tls.xml");
    MainTest.Run r = scan("--csv", "--junit-xml", xml.toString(), "--targets", fourTargets().toString());

    assertEquals(2, r.status(), r.err());
    assertTrue(r.out().contains("\r\n"), "CRLF line ends");
    List<List<String>> rows = parseCsv(r.out());
    assertEquals(ScanFormats.CSV_HEADER, String.join(",", rows.get(0)));
    assertEquals(5, rows.size(), r.out());
    Map<String, List<String>> byPort = new HashMap<>();
    for (List<String> row : rows.subList(1, rows.size())) {
      assertEquals(12, row.size(), row.toString());
      byPort.put(row.get(2), row);
    }
    List<String> exp = byPort.get(String.valueOf(expired.port()));
    assertEquals("FAIL", exp.get(3));
    assertEquals("CERT_EXPIRED", exp.get(4));
    assertTrue(Long.parseLong(exp.get(9)) < 0, "days_left of an expired leaf: " + exp);
    assertTrue(exp.get(11).startsWith("CERT_EXPIRED: "), exp.toString());
    List<String> soon = byPort.get(String.valueOf(expiring.port()));
    assertEquals("WARN", soon.get(3));
    assertTrue(List.of("9", "10").contains(soon.get(9)), soon.toString());
    assertEquals("PASS", byPort.get(String.valueOf(healthy.port())).get(3));
    assertEquals("CONNECTION_REFUSED", byPort.get(String.valueOf(refusing)).get(4));
    assertEquals("", byPort.get(String.valueOf(refusing)).get(8), "no certificate, no expiry");

    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
    Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
    assertEquals("4", suite.getAttribute("tests"));
    assertEquals("2", suite.getAttribute("failures"));
    NodeList cases = doc.getElementsByTagName("testcase");
    assertEquals(4, cases.getLength());
    Map<String, Element> caseByName = new HashMap<>();
    for (int i = 0; i < cases.getLength(); i++) {
      Element c = (Element) cases.item(i);
      caseByName.put(c.getAttribute("name"), c);
    }
    Element failed = caseByName.get("localhost:" + expired.port());
    assertEquals("CERT_EXPIRED", ((Element) failed.getElementsByTagName("failure").item(0)).getAttribute("type"));
    assertEquals(0, caseByName.get("localhost:" + healthy.port()).getElementsByTagName("failure").getLength());
    assertEquals(0, caseByName.get("localhost:" + expiring.port()).getElementsByTagName("failure").getLength());
    assertEquals(1, caseByName.get("localhost:" + refusing).getElementsByTagName("failure").getLength());
    try (var left = Files.list(dir)) {
      assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith(".tls-inspect-junit")),
          "temporary parts removed");
    }
  }

  @Test
  void text_oneLinePerTarget_thenTheSummary_andExitStatusByTheWorstVerdict() throws Exception {
    MainTest.Run pass = scan(line(healthy.port()));
    assertEquals(0, pass.status(), pass.out() + pass.err());
    assertTrue(pass.out().startsWith("PASS localhost:" + healthy.port()), pass.out());
    assertTrue(pass.out().contains("Scanned 1 target in"), pass.out());

    MainTest.Run warn = scan(line(healthy.port()), line(expiring.port()));
    assertEquals(1, warn.status(), warn.out() + warn.err());

    MainTest.Run fail = scan("--targets", targets(line(refusing)).toString(), line(healthy.port()));
    assertEquals(2, fail.status(), fail.out() + fail.err());
    assertTrue(fail.out().contains("FAIL localhost:" + refusing + ": CONNECTION_REFUSED (root cause)"), fail.out());
    assertEquals("", fail.err(), "no progress bar when standard error is not a terminal");
  }

  @Test
  void aBadLine_isOneErrorNamingFileAndLine_beforeAnyConnection() throws Exception {
    int before = healthy.connections();
    Path file = targets(line(healthy.port()), "# fine", "localhost:99999");
    MainTest.Run r = scan("--targets", file.toString());
    assertEquals(3, r.status());
    assertEquals(List.of("tls-inspect: " + file + ":3: port must be between 1 and 65535, got 99999",
        "Try 'tls-inspect scan --help' for more information."), r.errLines());
    assertEquals(before, healthy.connections(), "nothing connected");

    MainTest.Run option = scan("--targets", targets("localhost starttls=gopher").toString());
    assertEquals(3, option.status());
    assertTrue(option.errLines().get(0).contains(":1: --starttls: "), option.err());

    MainTest.Run unknown = scan("--targets", targets("localhost colour=blue").toString());
    assertTrue(unknown.errLines().get(0).contains(":1: unknown option 'colour=blue'"), unknown.err());

    assertEquals(3, scan().status());
    assertEquals(3, scan("--jsonl", "--csv", "localhost").status());
    assertEquals(3, scan("--per-host", "0", "localhost").status());
    assertTrue(scan("--concurrency", "0", "localhost").errLines().get(0).contains("--concurrency must be"));
    MainTest.Run missing = scan("--targets", dir.resolve("nope.txt").toString());
    assertEquals(List.of("tls-inspect: cannot read --targets " + dir.resolve("nope.txt") + ": no such file",
        "Try 'tls-inspect scan --help' for more information."), missing.errLines());
    assertEquals(3, scan("--targets", targets("# only a comment").toString()).status());
  }

  @Test
  void perLineOptions_overrideTheCommandLine() throws Exception {
    EndpointOptions defaults = new EndpointOptions();
    defaults.connect = "127.0.0.9";
    Path file = targets("mail.example.test starttls=smtp", "db.example.test:5433 sni=db.internal connect=127.0.0.2",
        "imaps://mail.example.test no-sni");
    List<Target> read = new ArrayList<>();
    try (ScanTargets t = new ScanTargets(List.of("first.example.test"), file, defaults)) {
      t.forEachRemaining(read::add);
    }
    assertEquals(4, read.size());
    assertEquals("first.example.test", read.get(0).host());
    assertEquals(587, read.get(1).port());
    assertEquals(Starttls.SMTP, read.get(1).starttls().orElseThrow());
    assertEquals("127.0.0.9", read.get(1).address().orElseThrow());
    assertEquals("db.internal", read.get(2).sni().orElseThrow());
    assertEquals("127.0.0.2", read.get(2).address().orElseThrow());
    assertEquals(993, read.get(3).port());
    assertTrue(read.get(3).sni().isEmpty());
  }

  /** RFC 4180: fields separated by commas, records by CRLF, quoted fields with doubled quotes. */
  static List<List<String>> parseCsv(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else {
        field.append(c);
      }
    }
    assertTrue(field.isEmpty() && row.isEmpty(), "every record ends with CRLF");
    return rows;
  }

  @Test
  void csvQuoting() {
    assertEquals("plain", ScanFormats.csv("plain"));
    assertEquals("\"a,b\"", ScanFormats.csv("a,b"));
    assertEquals("\"say \"\"hi\"\"\"", ScanFormats.csv("say \"hi\""));
    assertEquals("\"two\r\nlines\"", ScanFormats.csv("two\r\nlines"));
    assertEquals(List.of(List.of("a,b", "say \"hi\"", "")), parseCsv("\"a,b\",\"say \"\"hi\"\"\",\r\n"));
  }
}
