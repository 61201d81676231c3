package dev.tlsinspect.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Severity;
import dev.tlsinspect.StoreInspector;
import dev.tlsinspect.StoreReport;
import dev.tlsinspect.StoreSource;
import dev.tlsinspect.StoreType;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.health.HealthResult;
import dev.tlsinspect.health.HealthStatus;
import dev.tlsinspect.health.StoreHealth;
import dev.tlsinspect.health.TlsHealthCheck;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.KeyPurpose;
import dev.tlsinspect.testing.TlsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each store problem with its finding (code, severity, evidence), and its absence on a healthy
 * store; stores are made in the test with the test kit's certificates, and the JDK's own load
 * errors are the ones JDK 17 gives.
 */
class StoreInspectorTest {
  private static final char[] PW = "store-secret-1".toCharArray();
  private static final Instant NOW = Instant.now();
  private static final StoreInspector INSPECTOR =
      StoreInspector.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

  private static IssuedCertificate root;
  private static IssuedCertificate intermediate;
  private static IssuedCertificate client;

  @TempDir Path dir;

  @BeforeAll
  static void certificates() {
    root = CertificateBuilder.root("Store Test Root").build();
    intermediate = CertificateBuilder.intermediate("Store Test CA").issuedBy(root).build();
    client = CertificateBuilder.leaf("client.test").issuedBy(intermediate)
        .extendedKeyUsage(KeyPurpose.CLIENT_AUTH).build();
  }

  private static KeyStore store(String type) throws Exception {
    KeyStore ks = KeyStore.getInstance(type);
    ks.load(null, null);
    return ks;
  }

  private static KeyStore withKey(String type, PrivateKey key, List<X509Certificate> chain) throws Exception {
    KeyStore ks = store(type);
    ks.setKeyEntry("client", key, PW, chain.toArray(new Certificate[0]));
    return ks;
  }

  private static StoreReport inspect(KeyStore ks) {
    return INSPECTOR.inspect(StoreSource.of("test", ks, PW));
  }

  private Path write(KeyStore ks, String name, char[] password) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ks.store(out, password);
    return Files.write(dir.resolve(name), out.toByteArray());
  }

  private static Finding only(StoreReport r, Code code) {
    List<Finding> f = r.findings(code);
    assertEquals(1, f.size(), () -> code + " in " + r.findings());
    return f.get(0);
  }

  private static void none(StoreReport r, Code code) {
    assertEquals(List.of(), r.findings(code), () -> "unexpected " + code);
  }

  @Test
  void healthyClientStore_passes_withItsEntry() throws Exception {
    StoreReport r = inspect(withKey("PKCS12", client.privateKey(), client.chain()));
    assertEquals(List.of(), r.findings());
    assertEquals(Verdict.PASS, r.verdict());
    assertEquals("key", r.entries().get(0).kind());
    assertEquals(client.certificate().getNotAfter().toInstant(), r.firstKeyExpiry().orElseThrow());
  }

  @Test
  void expiredClientCertificate_isCritical_soonExpiring_isMedium() throws Exception {
    IssuedCertificate expired = CertificateBuilder.leaf("old.client").issuedBy(intermediate).expired().build();
    StoreReport r = inspect(withKey("PKCS12", expired.privateKey(), expired.chain()));
    Finding f = only(r, Code.STORE_CERT_EXPIRED);
    assertEquals(Severity.CRITICAL, f.severity());
    assertEquals("client", f.evidence().get("alias"));
    assertEquals("client-certificate", f.evidence().get("role"));
    assertEquals(expired.certificate().getNotAfter().toInstant(), f.evidence().get("notAfter"));
    assertEquals(Verdict.FAIL, r.verdict());
    none(r, Code.STORE_CERT_EXPIRING_SOON);

    IssuedCertificate soon = CertificateBuilder.leaf("soon.client").issuedBy(intermediate)
        .validUntil(NOW.plus(Duration.ofDays(10)).plusSeconds(60)).build();
    StoreReport s = inspect(withKey("PKCS12", soon.privateKey(), soon.chain()));
    Finding g = only(s, Code.STORE_CERT_EXPIRING_SOON);
    assertEquals(Severity.MEDIUM, g.severity());
    assertEquals(10L, g.evidence().get("daysLeft"));
    none(s, Code.STORE_CERT_EXPIRED);
    assertEquals(Verdict.WARN, s.verdict());
  }

  @Test
  void expiredAndSoonExpiringAnchors_areMediumAndLow() throws Exception {
    IssuedCertificate oldRoot = CertificateBuilder.root("Old Root").expired().build();
    IssuedCertificate soonRoot = CertificateBuilder.root("Soon Root")
        .validUntil(NOW.plus(Duration.ofDays(5))).build();
    KeyStore ks = store("PKCS12");
    ks.setCertificateEntry("old", oldRoot.certificate());
    ks.setCertificateEntry("soon", soonRoot.certificate());
    ks.setCertificateEntry("good", root.certificate());
    StoreReport r = inspect(ks);
    Finding expired = only(r, Code.STORE_CERT_EXPIRED);
    assertEquals(Severity.MEDIUM, expired.severity());
    assertEquals("old", expired.evidence().get("alias"));
    assertEquals("trust-anchor", expired.evidence().get("role"));
    Finding soon = only(r, Code.STORE_CERT_EXPIRING_SOON);
    assertEquals(Severity.LOW, soon.severity());
    assertEquals("soon", soon.evidence().get("alias"));
  }

  @Test
  void privateKeyOfAnotherCertificate_isAMismatch_rsaAndEc() throws Exception {
    // The root's pooled key is not the client's: a key and certificate that do not belong together.
    StoreReport r = inspect(withKey("PKCS12", root.privateKey(), client.chain()));
    Finding f = only(r, Code.STORE_KEY_MISMATCH);
    assertEquals(Severity.CRITICAL, f.severity());
    assertTrue(f.rootCause());
    assertEquals("client", f.evidence().get("alias"));
    assertEquals("RSA", f.evidence().get("keyAlgorithm"));

    IssuedCertificate ecRoot = CertificateBuilder.root("Store EC Root").ec("secp256r1").build();
    IssuedCertificate ecLeaf = CertificateBuilder.leaf("ec.client").ec("secp256r1").issuedBy(ecRoot).build();
    none(inspect(withKey("PKCS12", ecLeaf.privateKey(), ecLeaf.chain())), Code.STORE_KEY_MISMATCH);
    Finding ec = only(inspect(withKey("PKCS12", ecRoot.privateKey(), ecLeaf.chain())), Code.STORE_KEY_MISMATCH);
    assertEquals("EC", ec.evidence().get("keyAlgorithm"));
  }

  @Test
  void incompleteChains_brokenIsHigh_leafAloneIsMedium_intermediateElsewhereIsHigh() throws Exception {
    IssuedCertificate other = CertificateBuilder.root("Unrelated Root").build();
    // JKS stores a broken chain as given (PKCS12 refuses one): applications meet such stores.
    StoreReport broken = inspect(withKey("JKS", client.privateKey(),
        List.of(client.certificate(), other.certificate())));
    Finding b = only(broken, Code.STORE_CHAIN_INCOMPLETE);
    assertEquals(Severity.HIGH, b.severity());
    assertEquals(2L, b.evidence().get("chainLength"));
    assertEquals(client.certificate().getIssuerX500Principal().getName(), b.evidence().get("missingIssuer"));

    StoreReport alone = inspect(withKey("PKCS12", client.privateKey(), List.of(client.certificate())));
    Finding a = only(alone, Code.STORE_CHAIN_INCOMPLETE);
    assertEquals(Severity.MEDIUM, a.severity());
    assertEquals(1L, a.evidence().get("chainLength"));

    KeyStore elsewhere = withKey("PKCS12", client.privateKey(), List.of(client.certificate()));
    elsewhere.setCertificateEntry("ca", intermediate.certificate());
    assertEquals(Severity.HIGH, only(inspect(elsewhere), Code.STORE_CHAIN_INCOMPLETE).severity());

    none(inspect(withKey("PKCS12", client.privateKey(), client.chain())), Code.STORE_CHAIN_INCOMPLETE);
    none(inspect(withKey("PKCS12", client.privateKey(),
        List.of(client.certificate(), intermediate.certificate()))), Code.STORE_CHAIN_INCOMPLETE);
  }

  @Test
  void wrongPassword_pkcs12AndJks_givesTheJdkTextExplained() throws Exception {
    Path p12 = write(withKey("PKCS12", client.privateKey(), client.chain()), "client.p12", PW);
    StoreReport r = INSPECTOR.inspect(StoreSource.file(p12, "wrong".toCharArray()));
    Finding f = only(r, Code.STORE_UNREADABLE);
    assertEquals(Severity.CRITICAL, f.severity());
    assertEquals("WRONG_PASSWORD", f.evidence().get("reason"));
    assertTrue(((String) f.evidence().get("jdkError")).contains("keystore password was incorrect"), f::toString);
    assertEquals(Verdict.FAIL, r.verdict());
    assertEquals(List.of(), r.entries());

    Path jks = write(withKey("JKS", client.privateKey(), client.chain()), "client.jks", PW);
    Finding j = only(INSPECTOR.inspect(StoreSource.file(jks, "wrong".toCharArray())), Code.STORE_UNREADABLE);
    assertEquals("WRONG_PASSWORD", j.evidence().get("reason"));
    assertTrue(((String) j.evidence().get("jdkError"))
        .contains("Keystore was tampered with, or password was incorrect"), j::toString);
    assertEquals("JKS", j.evidence().get("detectedType"));

    StoreReport right = INSPECTOR.inspect(StoreSource.file(p12, PW));
    assertEquals(List.of(), right.findings());
    assertEquals("PKCS12", right.type());
    for (Finding any : r.findings()) {
      assertFalse(any.toString().contains(new String(PW)), "the password leaked: " + any);
    }
  }

  @Test
  void wrongType_givesTheJdkTextExplained() throws Exception {
    Path pem = Files.writeString(dir.resolve("ca.pem"), root.toPem(), StandardCharsets.US_ASCII);
    Finding asP12 = only(INSPECTOR.inspect(StoreSource.file(pem, PW, StoreType.PKCS12)), Code.STORE_UNREADABLE);
    assertEquals("WRONG_TYPE", asP12.evidence().get("reason"));
    assertEquals("PEM", asP12.evidence().get("detectedType"));
    assertTrue(((String) asP12.evidence().get("jdkError")).contains("toDerInputStream rejects tag type 45"),
        asP12::toString);
    Finding asJks = only(INSPECTOR.inspect(StoreSource.file(pem, PW, StoreType.JKS)), Code.STORE_UNREADABLE);
    assertTrue(((String) asJks.evidence().get("jdkError")).contains("Invalid keystore format"), asJks::toString);
    assertTrue(asJks.detail().contains("Invalid keystore format"), asJks::detail);

    Path p12 = write(withKey("PKCS12", client.privateKey(), client.chain()), "client.p12", PW);
    Finding asPem = only(INSPECTOR.inspect(StoreSource.file(p12, PW, StoreType.PEM)), Code.STORE_UNREADABLE);
    assertEquals("WRONG_TYPE", asPem.evidence().get("reason"));
    assertEquals("PKCS12", asPem.evidence().get("detectedType"));

    // Read as the type it is, the same PEM file is a healthy trust store.
    StoreReport ok = INSPECTOR.inspect(StoreSource.file(pem, new char[0]));
    assertEquals("PEM", ok.type());
    assertEquals(List.of(), ok.findings());
  }

  @Test
  void damagedMissingAndOversizedFiles_areOneClearFinding() throws Exception {
    Path p12 = write(withKey("PKCS12", client.privateKey(), client.chain()), "client.p12", PW);
    byte[] bytes = Files.readAllBytes(p12);
    Path cut = Files.write(dir.resolve("cut.p12"), Arrays.copyOf(bytes, 40));
    Finding c = only(INSPECTOR.inspect(StoreSource.file(cut, PW)), Code.STORE_UNREADABLE);
    assertEquals("CORRUPT", c.evidence().get("reason"));
    assertEquals("java.io.EOFException", c.evidence().get("jdkError"));

    Path text = Files.writeString(dir.resolve("notes.txt"), "not a key store");
    Finding junk = only(INSPECTOR.inspect(StoreSource.file(text, PW)), Code.STORE_UNREADABLE);
    assertEquals("CORRUPT", junk.evidence().get("reason"));
    assertEquals("PKCS12", junk.evidence().get("type"));
    assertEquals("UNKNOWN", junk.evidence().get("detectedType"));

    Finding missing = only(INSPECTOR.inspect(StoreSource.file(dir.resolve("nope.p12"), PW)), Code.STORE_UNREADABLE);
    assertEquals("NOT_FOUND", missing.evidence().get("reason"));

    StoreInspector small = StoreInspector.builder().maxBytes(100).build();
    Finding big = only(small.inspect(StoreSource.file(p12, PW)), Code.STORE_UNREADABLE);
    assertEquals("TOO_LARGE", big.evidence().get("reason"));
    assertThrows(IllegalArgumentException.class, () -> StoreInspector.builder().maxBytes(0));
  }

  @Test
  void keyPasswordOtherThanTheStorePassword_isUnreadableKey() throws Exception {
    KeyStore ks = store("JKS");
    ks.setKeyEntry("client", client.privateKey(), "key-pass".toCharArray(),
        client.chain().toArray(new Certificate[0]));
    Path jks = write(ks, "client.jks", PW);
    Finding f = only(INSPECTOR.inspect(StoreSource.file(jks, PW)), Code.STORE_UNREADABLE);
    assertEquals("KEY_PASSWORD", f.evidence().get("reason"));
    assertEquals("client", f.evidence().get("alias"));
    assertTrue(((String) f.evidence().get("jdkError")).contains("Cannot recover key"), f::toString);
  }

  @Test
  void emptyTrustStore_isCritical_andTheJdkFailsTheHandshakeAsSaid() throws Exception {
    KeyStore empty = store("PKCS12");
    Finding f = only(inspect(empty), Code.STORE_TRUST_EMPTY);
    assertEquals(Severity.CRITICAL, f.severity());
    assertEquals(0L, f.evidence().get("entries"));

    KeyStore full = store("PKCS12");
    full.setCertificateEntry("root", root.certificate());
    none(inspect(full), Code.STORE_TRUST_EMPTY);

    IssuedCertificate server = CertificateBuilder.leaf("localhost").issuedBy(root).build();
    try (TlsServer tls = TlsServer.builder().certificate(server).start()) {
      SSLException e = assertThrows(SSLException.class, () -> handshake(empty, tls));
      assertTrue(causes(e).contains("the trustAnchors parameter must be non-empty"), causes(e));
      handshake(full, tls); // the negative: the same server, a store with its root
    }
  }

  private static void handshake(KeyStore trust, TlsServer server) throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(server.host(), server.port())) {
      s.setSoTimeout(10_000);
      s.startHandshake();
    }
  }

  private static String causes(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c).append('\n');
    }
    return sb.toString();
  }

  @Test
  void sameCertificateUnderTwoAliases_isADuplicate() throws Exception {
    KeyStore ks = store("PKCS12");
    ks.setCertificateEntry("root-a", root.certificate());
    ks.setCertificateEntry("root-b", root.certificate());
    ks.setCertificateEntry("ca", intermediate.certificate());
    Finding f = only(inspect(ks), Code.STORE_DUPLICATE_ALIAS);
    assertEquals(Severity.LOW, f.severity());
    assertEquals(List.of("root-a", "root-b"), f.evidence().get("aliases"));
    ks.deleteEntry("root-b");
    none(inspect(ks), Code.STORE_DUPLICATE_ALIAS);
  }

  @Test
  void secretKeyAndCodeSigningKey_areUnusedAliases_aClientAuthKeyIsNot() throws Exception {
    KeyStore ks = withKey("PKCS12", client.privateKey(), client.chain());
    none(inspect(ks), Code.STORE_UNUSED_ALIAS);
    ks.setEntry("aes", new KeyStore.SecretKeyEntry(new SecretKeySpec(new byte[16], "AES")),
        new KeyStore.PasswordProtection(PW));
    IssuedCertificate signer = CertificateBuilder.leaf("signer").issuedBy(root)
        .extendedKeyUsage(KeyPurpose.CODE_SIGNING).build();
    ks.setKeyEntry("signer", signer.privateKey(), PW, signer.chain().toArray(new Certificate[0]));
    StoreReport r = inspect(ks);
    List<Finding> unused = r.findings(Code.STORE_UNUSED_ALIAS);
    assertEquals(List.of("aes", "signer"), unused.stream().map(f -> f.evidence().get("alias")).toList());
    assertEquals(Severity.INFO, unused.get(0).severity());
    assertEquals("secret", unused.get(0).evidence().get("kind"));
    assertEquals(Verdict.PASS, r.verdict());
  }

  @Test
  void pemBundle_keyAndChain_isReadAndChecked() throws IOException {
    Path good = Files.writeString(dir.resolve("client.pem"), client.privateKeyPem() + client.chainToPem());
    StoreReport r = INSPECTOR.inspect(StoreSource.file(good, new char[0]));
    assertEquals(List.of(), r.findings());
    assertEquals("key", r.entries().get(0).kind());

    Path wrong = Files.writeString(dir.resolve("wrong.pem"), root.privateKeyPem() + client.chainToPem());
    only(INSPECTOR.inspect(StoreSource.file(wrong, new char[0])), Code.STORE_KEY_MISMATCH);

    Path pkcs1 = Files.writeString(dir.resolve("pkcs1.pem"),
        "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n" + client.toPem());
    Finding f = only(INSPECTOR.inspect(StoreSource.file(pkcs1, new char[0])), Code.STORE_UNREADABLE);
    assertEquals("PEM_UNSUPPORTED_KEY", f.evidence().get("reason"));
  }

  @Test
  void healthCheck_judgesStores_expiringClientCertificateDegraded_expiredDown_healthyUp() throws Exception {
    IssuedCertificate soon = CertificateBuilder.leaf("soon.client").issuedBy(intermediate)
        .validUntil(NOW.plus(Duration.ofDays(20)).minusSeconds(5)).build();
    Path soonStore = write(withKey("PKCS12", soon.privateKey(), soon.chain()), "soon.p12", PW);
    Path goodStore = write(withKey("PKCS12", client.privateKey(), client.chain()), "good.p12", PW);
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    HealthResult degraded = TlsHealthCheck.builder().clock(clock)
        .store(StoreSource.file(soonStore, PW)).store(StoreSource.file(goodStore, PW)).build().check();
    assertEquals(HealthStatus.DEGRADED, degraded.status());
    assertEquals(List.of(HealthStatus.DEGRADED, HealthStatus.UP),
        degraded.stores().stream().map(StoreHealth::status).toList());
    assertEquals(19L, degraded.details().get("store:" + soonStore + ".daysToExpiry"));
    assertEquals("STORE_CERT_EXPIRING_SOON", degraded.details().get("store:" + soonStore + ".rootCause"));
    assertTrue(degraded.message().contains("store " + soonStore + " DEGRADED: STORE_CERT_EXPIRING_SOON"),
        degraded::message);

    HealthResult down = TlsHealthCheck.builder().clock(clock)
        .store(StoreSource.file(goodStore, "Hunter2xyz".toCharArray())).build().check();
    assertEquals(HealthStatus.DOWN, down.status());
    assertEquals("STORE_UNREADABLE", down.details().get("store:" + goodStore + ".rootCause"));
    assertFalse(down.message().contains("Hunter2xyz"), down::message);

    HealthResult up = TlsHealthCheck.builder().clock(clock).store(StoreSource.file(goodStore, PW)).build().check();
    assertEquals(HealthStatus.UP, up.status());
    assertEquals("", up.details().get("store:" + goodStore + ".codes"));
  }

  @Test
  void theSource_neverShowsItsPassword() {
    StoreSource s = StoreSource.file(Path.of("x.p12"), PW, StoreType.PKCS12);
    assertFalse(s.toString().contains(new String(PW)), s::toString);
    assertEquals(new String(PW), new String(s.password().orElseThrow()));
    assertEquals(StoreType.PKCS12, StoreType.parse("P12"));
    assertThrows(IllegalArgumentException.class, () -> StoreType.parse("jceks-ish"));
  }
}
