package dev.tlsinspect.bc;

import static dev.tlsinspect.testing.ReportAssert.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.ClientCredentials;
import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.jsse.JsseProbe;
import dev.tlsinspect.probe.HandshakeProbe;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.KeyPurpose;
import dev.tlsinspect.testing.TlsServer;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mutual TLS against real loopback JSSE servers that want or need a client certificate, with both
 * providers: what the server accepts, whether the application's key store has a fitting key, and
 * which alias the JDK's key manager chooses.
 */
class MutualTlsTest {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static IssuedCertificate root;
  private static IssuedCertificate serverLeaf;
  private static IssuedCertificate clientCa;
  private static IssuedCertificate otherCa;
  private static String clientCaName;

  @BeforeAll
  static void pki() {
    root = CertificateBuilder.root("mtls test server root").build();
    serverLeaf = CertificateBuilder.leaf("localhost").issuedBy(root).crlUrl("http://127.0.0.1:9/ca.crl").build();
    clientCa = CertificateBuilder.root("mtls test client CA").build();
    otherCa = CertificateBuilder.root("mtls test other CA").build();
    clientCaName = clientCa.certificate().getSubjectX500Principal().getName();
  }

  static Stream<Arguments> providersAndVersions() {
    return Stream.of(Arguments.of("jsse", "TLSv1.3"), Arguments.of("jsse", "TLSv1.2"),
        Arguments.of("bc", "TLSv1.3"), Arguments.of("bc", "TLSv1.2"));
  }

  static Stream<String> providers() {
    return Stream.of("jsse", "bc");
  }

  private static HandshakeProbe probe(String name) {
    return name.equals("bc") ? new BcProbe() : new JsseProbe();
  }

  private static TlsServer server(TlsServer.ClientAuth auth, String protocol) {
    return TlsServer.builder().certificate(serverLeaf).protocols(protocol).clientAuth(auth)
        .trustedClientCas(clientCa.certificate()).start();
  }

  private static Report inspect(String provider, TlsServer server, InspectOptions.Builder options) {
    InspectOptions o = options.trust(TrustMaterial.certificates(List.of(root.certificate())))
        .timeout(Duration.ofSeconds(5)).quick(true).build();
    TlsInspector inspector = TlsInspector.builder().probe(probe(provider)).options(o).build();
    Target t = Target.builder("localhost", server.port()).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(Duration.ofSeconds(15), () -> inspector.inspect(t));
  }

  private static IssuedCertificate clientCert(IssuedCertificate issuer) {
    return CertificateBuilder.leaf("app client").issuedBy(issuer).extendedKeyUsage(KeyPurpose.CLIENT_AUTH).build();
  }

  static KeyStore keyStore(String alias, IssuedCertificate client) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(alias, client.privateKey(), PASSWORD, client.chain().toArray(X509Certificate[]::new));
    return ks;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("providersAndVersions")
  void required_noKeyStore_isClientCertRequired_withTheAcceptedCa(String provider, String protocol) {
    try (TlsServer server = server(TlsServer.ClientAuth.NEED, protocol)) {
      Report report = inspect(provider, server, InspectOptions.builder());

      assertEquals(Verdict.FAIL, report.verdict(), report::summary);
      Finding f = only(report, Code.CLIENT_CERT_REQUIRED);
      assertTrue(f.rootCause(), report::summary);
      assertEquals(Severity.HIGH, f.severity());
      assertEquals(List.of(clientCaName), f.evidence().get("acceptedIssuers"));
      assertEquals(false, f.evidence().get("certificateSent"));
      assertTrue(f.remediation().contains(clientCaName), f.remediation());
      assertTrue(f.detail().contains("sent none"), f.detail());
      assertFalse(report.findings().stream().anyMatch(x -> x.code().equals(Code.HANDSHAKE_FAILED)),
          report::summary);
      assertTrue(server.completedHandshakes().isEmpty(), "the server must not have accepted anyone");
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("providersAndVersions")
  void required_keyStoreWithAMatchingKey_completes_andNamesTheAlias(String provider, String protocol)
      throws Exception {
    IssuedCertificate client = clientCert(clientCa);
    try (TlsServer server = server(TlsServer.ClientAuth.NEED, protocol)) {
      Report report = inspect(provider, server, InspectOptions.builder()
          .clientKeyStore(keyStore("app-key", client), PASSWORD));

      assertEquals(Verdict.PASS, report.verdict(), report::summary);
      Finding f = only(report, Code.CLIENT_CERT_REQUESTED);
      assertEquals(Severity.INFO, f.severity());
      assertFalse(f.rootCause());
      assertEquals("app-key", f.evidence().get("chosenAlias"));
      assertEquals(true, f.evidence().get("certificateSent"));
      assertEquals(List.of("app-key"), f.evidence().get("matchingAliases"));
      assertTrue(f.title().contains("'app-key'"), f.title());
      assertTrue(server.awaitFinishedConnections(1, Duration.ofSeconds(5)));
      assertEquals(client.certificate(), server.completedHandshakes().get(0).clientCertificates().get(0));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void required_keyStoreFromAnotherCa_isClientCertRequired_noAliasMatches(String provider) throws Exception {
    IssuedCertificate stranger = clientCert(otherCa);
    try (TlsServer server = server(TlsServer.ClientAuth.NEED, "TLSv1.3")) {
      Report report = inspect(provider, server, InspectOptions.builder()
          .clientKeyStore(keyStore("old-key", stranger), PASSWORD));

      Finding f = only(report, Code.CLIENT_CERT_REQUIRED);
      assertTrue(f.rootCause(), report::summary);
      assertEquals(List.of(), f.evidence().get("matchingAliases"));
      assertFalse(f.evidence().containsKey("chosenAlias"), "the JDK chooses no key of another CA");
      List<?> aliases = (List<?>) f.evidence().get("keyStoreAliases");
      assertEquals(1, aliases.size());
      assertTrue(aliases.get(0).toString().startsWith("old-key: "), aliases.toString());
      assertTrue(aliases.get(0).toString().contains(otherCa.certificate().getSubjectX500Principal().getName()));
      assertTrue(f.detail().contains("none chains to an accepted CA"), f.detail());
      assertTrue(f.remediation().contains("no certificate from one of " + clientCaName), f.remediation());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void wanted_noKeyStore_isClientCertRequested_andPasses(String provider) {
    try (TlsServer server = server(TlsServer.ClientAuth.WANT, "TLSv1.3")) {
      Report report = inspect(provider, server, InspectOptions.builder());

      assertEquals(Verdict.PASS, report.verdict(), report::summary);
      Finding f = only(report, Code.CLIENT_CERT_REQUESTED);
      assertEquals(Severity.INFO, f.severity());
      assertFalse(f.rootCause());
      assertEquals(List.of(clientCaName), f.evidence().get("acceptedIssuers"));
      assertEquals(false, f.evidence().get("certificateSent"));
      assertTrue(f.detail().contains("optional"), f.detail());
    }
  }

  @Test
  void noRequest_noClientFinding() {
    try (TlsServer server = server(TlsServer.ClientAuth.NONE, "TLSv1.3")) {
      Report report = inspect("jsse", server, InspectOptions.builder());
      assertEquals(Verdict.PASS, report.verdict(), report::summary);
      assertTrue(report.findings().stream().noneMatch(f -> f.code().equals(Code.CLIENT_CERT_REQUESTED)
          || f.code().equals(Code.CLIENT_CERT_REQUIRED)), report::summary);
    }
  }

  @Test
  void credentials_neverShowThePassword_andRejectAWrongOne() throws Exception {
    ClientCredentials c = ClientCredentials.keyStore(keyStore("app-key", clientCert(clientCa)), PASSWORD);
    assertFalse(c.toString().contains("changeit"), c.toString());
    assertTrue(c.toString().contains("app-key"), c.toString());
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> ClientCredentials.keyStore(keyStore("app-key", clientCert(clientCa)), "wrong".toCharArray()));
    assertTrue(e.getMessage().startsWith("cannot read the keys of the PKCS12 key store"), e.getMessage());
    assertThrowsMessage(() -> c.withAlias("nope"), "has no private key under alias 'nope'; it has app-key");
  }

  private static void assertThrowsMessage(org.junit.jupiter.api.function.Executable e, String part) {
    IllegalArgumentException x = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, e);
    assertTrue(x.getMessage().contains(part), x.getMessage());
  }
}
