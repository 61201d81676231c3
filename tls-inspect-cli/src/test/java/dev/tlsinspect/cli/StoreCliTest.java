package dev.tlsinspect.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tls-inspect store} end to end, in-process: text and JSON parsed back, the exit status by
 * verdict, the three ways to give the password, and no password in any output.
 */
class StoreCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "Sw0rdfish-store-pw";
  private static IssuedCertificate root;
  private static IssuedCertificate client;

  @TempDir static Path dir;
  private static Path p12;
  private static Path soonP12;

  record Run(int status, String out, String err) {
    String all() {
      return out + err;
    }
  }

  @BeforeAll
  static void stores() throws Exception {
    root = CertificateBuilder.root("Store CLI Root").ec("secp256r1").build();
    client = CertificateBuilder.leaf("cli.client").ec("secp256r1").issuedBy(root).build();
    IssuedCertificate soon = CertificateBuilder.leaf("soon.cli.client").ec("secp256r1").issuedBy(root)
        .validUntil(Instant.now().plus(Duration.ofDays(12))).build();
    p12 = write("client.p12", client);
    soonP12 = write("soon.p12", soon);
  }

  private static Path write(String name, IssuedCertificate c) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("client", c.privateKey(), PASSWORD.toCharArray(), c.chain().toArray(new Certificate[0]));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ks.store(out, PASSWORD.toCharArray());
    return Files.write(dir.resolve(name), out.toByteArray());
  }

  private static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, UTF_8); PrintStream e = new PrintStream(err, true, UTF_8)) {
      if (env.isEmpty()) {
        status = Main.run(new ByteArrayInputStream(new byte[0]), o, e, args);
      } else {
        // The environment cannot be set in-process: the command runs with a map in its place.
        StoreCommand options = new StoreCommand();
        new picocli.CommandLine(options).parseArgs(java.util.Arrays.copyOfRange(args, 1, args.length));
        status = new Store(o, env::get).run(options);
      }
    }
    Run r = new Run(status, out.toString(UTF_8), err.toString(UTF_8));
    assertFalse(r.all().contains(PASSWORD), "the password was printed:\n" + r.all());
    return r;
  }

  private static Run run(String... args) {
    return run(Map.of(), args);
  }

  @Test
  void healthyStore_text_passes_listingTheEntry() {
    Run r = run("store", p12.toString(), "--password", PASSWORD);
    assertEquals(0, r.status, r.all());
    assertTrue(r.out.startsWith("tls-inspect store: " + p12 + "\nVerdict: PASS   Type: PKCS12   Entries: 1\n"), r.out);
    assertTrue(r.out.contains("client (key): CN=cli.client"), r.out);
    assertTrue(r.out.contains("No problem found."), r.out);
  }

  @Test
  void wrongPassword_json_failsWithTheJdkError_andNoPassword() throws Exception {
    Path pwFile = Files.writeString(dir.resolve("pw.txt"), "not-the-" + PASSWORD.substring(3) + "\n");
    Run r = run("store", p12.toString(), "--password-file", pwFile.toString(), "--json");
    assertEquals(2, r.status, r.all());
    JsonNode json = JSON.readTree(r.out);
    assertEquals(p12.toString(), json.get("store").asText());
    assertEquals("FAIL", json.get("verdict").asText());
    JsonNode f = json.get("findings").get(0);
    assertEquals("STORE_UNREADABLE", f.get("code").asText());
    assertEquals("CRITICAL", f.get("severity").asText());
    assertEquals("WRONG_PASSWORD", f.get("evidence").get("reason").asText());
    assertTrue(f.get("evidence").get("jdkError").asText().contains("keystore password was incorrect"), r.out);
    assertEquals(0, json.get("entries").size());
  }

  @Test
  void soonExpiringClientCertificate_warns_withThePasswordFromTheEnvironment() throws Exception {
    Run r = run(Map.of("STORE_PW", PASSWORD), "store", soonP12.toString(), "--password-env", "STORE_PW", "--json");
    assertEquals(1, r.status, r.all());
    JsonNode json = JSON.readTree(r.out);
    assertEquals("WARN", json.get("verdict").asText());
    assertEquals("STORE_CERT_EXPIRING_SOON", json.get("findings").get(0).get("code").asText());
    assertEquals("client", json.get("findings").get(0).get("evidence").get("alias").asText());
    assertEquals("key", json.get("entries").get(0).get("kind").asText());

    Run quiet = run(Map.of("STORE_PW", PASSWORD), "store", soonP12.toString(), "--password-env", "STORE_PW",
        "--warn-days", "5");
    assertEquals(0, quiet.status, quiet.all());
  }

  @Test
  void nextJdk_addsThePrediction_andRefusesAnEarlierJdk() throws Exception {
    Path rootPem = Files.writeString(dir.resolve("root.pem"), root.toPem());
    IssuedCertificate server = CertificateBuilder.leaf("localhost").ec("secp256r1").issuedBy(root).build();
    try (dev.tlsinspect.testing.TlsServer tls = dev.tlsinspect.testing.TlsServer.builder().certificate(server).start()) {
      String endpoint = "localhost:" + tls.port();
      // A private CA no JDK release distrusts: the prediction adds nothing, the verdict stands.
      Run ok = run("--quick", "--json", "--ca-file", rootPem.toString(), "--connect", "127.0.0.1",
          "--next-jdk", String.valueOf(Runtime.version().feature() + 4), endpoint);
      assertEquals(0, ok.status, ok.all());
      JsonNode json = JSON.readTree(ok.out);
      assertFalse(json.get("findings").toString().contains("JDK_UPGRADE_BREAKS"), ok.out);
      Run earlier = run("--quick", "--connect", "127.0.0.1", "--next-jdk", "11", endpoint);
      assertEquals(3, earlier.status, earlier.all());
      assertTrue(earlier.err.startsWith("tls-inspect: --next-jdk 11 is not later than this JVM's JDK"), earlier.err);
    }
  }

  @Test
  void badArguments_oneLine_exitThree() {
    Run twice = run("store", p12.toString(), "--password", PASSWORD, "--password-env", "X");
    assertEquals(3, twice.status);
    assertTrue(twice.err.startsWith("tls-inspect: give the password once"), twice.err);
    Run type = run("store", p12.toString(), "--type", "pfx2");
    assertEquals(3, type.status);
    assertTrue(type.err.contains("unknown store type 'pfx2': use pkcs12, jks or pem"), type.err);
    Run missing = run("store", dir.resolve("none.p12").toString());
    assertEquals(2, missing.status, missing.all());
    assertTrue(missing.out.contains("STORE_UNREADABLE (CRITICAL)  The store cannot be read: no such file"), missing.out);
  }
}
