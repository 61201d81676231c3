package dev.tlsinspect.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tls-inspect logs} end to end, in-process through {@link Main#run}, on lines nginx 1.22.1
 * wrote (copied from tls-inspect-core's fixtures, see its logs/README.md).
 */
class LogsCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** nginx 1.22.1 error log lines, recorded on 127.0.0.1 (tls-inspect-core logs/nginx/error.log). */
  private static final String NGINX = """
      2026/11/26 01:44:21 [notice] 10406#10406: start worker process 10407
      2026/11/26 01:44:22 [info] 10407#10407: *1 SSL_do_handshake() failed (SSL: error:0A000102:SSL routines::unsupported protocol) while SSL handshaking, client: 127.0.0.1, server: 127.0.0.1:18443
      2026/11/26 01:44:22 [info] 10407#10407: *2 SSL_do_handshake() failed (SSL: error:0A000102:SSL routines::unsupported protocol) while SSL handshaking, client: 127.0.0.1, server: 127.0.0.1:18443
      2026/11/26 01:44:22 [info] 10407#10407: *3 SSL_do_handshake() failed (SSL: error:0A0000C1:SSL routines::no shared cipher) while SSL handshaking, client: 127.0.0.1, server: 127.0.0.1:18443
      2026/11/26 01:44:22 [info] 10407#10407: *7 client sent plain HTTP request to HTTPS port while reading client request headers, client: 127.0.0.1, server: , request: "GET / HTTP/1.0"
      2026/11/26 01:44:22 [info] 10407#10407: *9 client 127.0.0.1 closed keepalive connection
      this line is in no format
      """;

  @TempDir Path dir;

  record Run(int status, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  static Run run(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, UTF_8); PrintStream e = new PrintStream(err, true, UTF_8)) {
      status = Main.run(new ByteArrayInputStream(stdin.getBytes(UTF_8)), o, e, args);
    }
    return new Run(status, out.toString(UTF_8), err.toString(UTF_8));
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void text_groupsByCode_mostFirst_withWhatToChange_andExitsTwoForCritical() throws IOException {
    Path log = write("error.log", NGINX);

    Run r = run("", "logs", log.toString());

    assertEquals(2, r.status, r.err);
    assertEquals("", r.err);
    String out = r.out.replaceAll("\n +", " ");
    assertTrue(out.startsWith("tls-inspect logs: 4 TLS handshake failures in 3 groups; most: 2 x "
        + "NO_COMMON_PROTOCOL"), out);
    assertTrue(out.contains("7 lines: 4 about TLS failures, 2 unrelated, 1 not recognised; formats: nginx"), out);
    assertTrue(out.contains("1. NO_COMMON_PROTOCOL (CRITICAL)  2 x  nginx: unsupported protocol"), out);
    assertTrue(out.contains("Clients: 127.0.0.1 (2)"), out);
    assertTrue(out.contains("When: 2026-11-26T01:44:22Z (lines error.log:2 to error.log:3)"), out);
    assertTrue(out.contains("nginx 'ssl_protocols'"), out);
    assertTrue(out.indexOf("NO_COMMON_CIPHER") > out.indexOf("NO_COMMON_PROTOCOL"), out);
    assertTrue(out.contains("NOT_TLS (CRITICAL)  1 x  nginx: plain HTTP on the TLS port"), out);
    assertTrue(out.contains("error_page 497"), out);
  }

  @Test
  void json_hasTheGroupsAndCounts() throws IOException {
    Path log = write("error.log", NGINX);

    Run r = run("", "logs", "--json", log.toString());

    assertEquals(2, r.status, r.err);
    JsonNode j = JSON.readTree(r.out);
    assertTrue(j.get("recognised").asBoolean());
    assertEquals("FAIL", j.get("verdict").asText());
    assertEquals(7, j.get("lines").asInt());
    assertEquals(1, j.get("unrecognisedLines").asInt());
    assertEquals("NGINX", j.get("formats").get(0).asText());
    JsonNode g = j.get("groups").get(0);
    assertEquals("NO_COMMON_PROTOCOL", g.get("code").asText());
    assertEquals(2, g.get("count").asInt());
    assertEquals("2026-11-26T01:44:22Z", g.get("firstSeen").asText());
    assertEquals("127.0.0.1", g.get("clients").get(0).get("address").asText());
    assertEquals(2, g.get("clients").get(0).get("count").asInt());
    assertTrue(g.get("whatToChange").asText().contains("ssl_protocols"));
  }

  @Test
  void dash_readsStandardInput_andSeveralFilesMakeOneReport() throws IOException {
    Path access = write("access.log",
        "127.0.0.1 - - [26/Nov/2026:01:44:22 +0000] \"GET /missing HTTP/1.1\" 404 153 \"-\" \"curl/7.88.1\"\n");

    Run r = run(NGINX, "logs", "--json", "-", access.toString());

    assertEquals(2, r.status, r.err);
    JsonNode j = JSON.readTree(r.out);
    assertEquals(8, j.get("lines").asInt());
    List<String> formats = new ArrayList<>();
    j.get("formats").forEach(f -> formats.add(f.asText()));
    assertEquals(List.of("NGINX", "ACCESS_LOG"), formats);
    assertTrue(j.get("groups").get(0).get("firstLine").asText().startsWith("stdin:"));
  }

  @Test
  void missingFile_isOneLine_exitThree() {
    Run r = run("", "logs", dir.resolve("nope.log").toString());

    assertEquals(3, r.status);
    assertEquals(List.of("tls-inspect: no such file: " + dir.resolve("nope.log")), r.errLines());
    assertEquals("", r.out);
  }

  @Test
  void noFile_isUsage_exitThree() {
    Run r = run("", "logs");

    assertEquals(3, r.status);
    assertTrue(r.errLines().get(0).startsWith("tls-inspect: "), r.err);
    assertEquals("Try 'tls-inspect logs --help' for more information.", r.errLines().get(1), r.err);
    assertEquals(2, r.errLines().size(), r.err);
    assertFalse(r.err.contains("\tat "), r.err);
  }

  @Test
  void unknownFormat_saysNotRecognised_exitZero() throws IOException {
    Path csv = write("data.csv", "id,name,price\n1,apple,0.5\n2,pear,0.7\n");

    Run r = run("", "logs", csv.toString());

    assertEquals(0, r.status, r.err);
    assertTrue(r.out.startsWith("tls-inspect logs: Not recognised: none of the 3 lines is in a log format"), r.out);
    assertFalse(r.out.contains("CRITICAL"), r.out);
  }

  @Test
  void onlyUnrelatedLines_exitZero() throws IOException {
    Path access = write("access.log",
        "127.0.0.1 - - [26/Nov/2026:01:44:22 +0000] \"GET / HTTP/1.1\" 200 3 \"-\" \"curl/7.88.1\"\n");

    Run r = run("", "logs", access.toString());

    assertEquals(0, r.status, r.err);
    assertTrue(r.out.startsWith("tls-inspect logs: No TLS handshake failures in 1 lines (access log)."), r.out);
  }

  @Test
  void badZone_isUsage() throws IOException {
    Path log = write("error.log", NGINX);

    Run r = run("", "logs", "--zone", "Mars/Olympus", log.toString());

    assertEquals(3, r.status);
    assertTrue(r.errLines().get(0).startsWith("tls-inspect: unknown time zone 'Mars/Olympus'"), r.err);
  }

  @Test
  void zone_shiftsTimesWithoutZone() throws IOException {
    Path log = write("error.log", NGINX);

    Run r = run("", "logs", "--json", "--zone", "+02:00", log.toString());

    JsonNode g = readTree(r.out).get("groups").get(0);
    assertEquals("2026-11-25T23:44:22Z", g.get("firstSeen").asText());
  }

  private static JsonNode readTree(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new AssertionError(s, e);
    }
  }
}
