package dev.tlsinspect.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.ClientTls;
import dev.tlsinspect.Code;
import dev.tlsinspect.Explanation;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.KeyPurpose;
import dev.tlsinspect.testing.TlsServer;
import java.net.Socket;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Inspections with the application's own TLS objects against real loopback servers: a pinning
 * trust manager that fails where the JVM's default passes, a key manager choosing its own alias,
 * and a Bouncy Castle JSSE context made without installing any provider.
 */
class ApplicationTlsTest {
  private static IssuedCertificate root;
  private static IssuedCertificate leaf;
  private static X509TrustManager pkix;
  private static InspectOptions options;

  @BeforeAll
  static void pki() throws Exception {
    root = CertificateBuilder.root("App TLS Root").build();
    leaf = CertificateBuilder.leaf("localhost").issuedBy(root).build();
    pkix = TrustMaterial.certificates(List.of(root.certificate())).trustManager();
    options = InspectOptions.builder().trust(TrustMaterial.certificates(List.of(root.certificate())))
        .referenceTrust(TrustMaterial.certificates(List.of(root.certificate())))
        .timeout(Duration.ofSeconds(4)).quick(true).build();
  }

  private static Target local(TlsServer server) {
    return Target.builder("localhost", server.port()).connectAddress("127.0.0.1").build();
  }

  private static Finding only(Report report, Code code) {
    List<Finding> found = report.findings().stream().filter(f -> f.code().equals(code)).toList();
    assertEquals(1, found.size(), () -> code + " in " + report.summary());
    return found.get(0);
  }

  /** Pins a key the server does not have, after the PKIX checks pass, as OkHttp does. */
  static final class PinningTrustManager implements X509TrustManager {
    private final X509TrustManager delegate;
    private final String pin;

    PinningTrustManager(X509TrustManager delegate, String pin) {
      this.delegate = delegate;
      this.pin = pin;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      delegate.checkServerTrusted(chain, authType);
      try {
        String actual = "sha256/" + Base64.getEncoder().encodeToString(
            MessageDigest.getInstance("SHA-256").digest(chain[0].getPublicKey().getEncoded()));
        if (!actual.equals(pin)) {
          throw new CertificateException("Certificate pinning failure! peer key " + actual
              + " does not match the pin " + pin);
        }
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new CertificateException(e);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }
  }

  private static SSLContext pinnedContext() throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new PinningTrustManager(pkix, "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")},
        null);
    return ctx;
  }

  @Test
  void pinnedContext_failsWhereTheDefaultPasses_andTheReportSaysWhy() throws Exception {
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      Report plain = TlsInspector.builder().probe(new JsseProbe()).options(options).build()
          .inspect(local(server));
      // The default passes: no root cause, nothing worse than the leaf's missing revocation URLs.
      assertTrue(plain.rootCauses().isEmpty(), plain::summary);
      assertEquals(Verdict.WARN, plain.verdict(), plain::summary);

      TlsInspector app = TlsInspector.builder().probe(new JsseProbe()).options(options)
          .clientTls(ClientTls.of(pinnedContext())).build();
      Report report = app.inspect(local(server));

      assertEquals(Verdict.FAIL, report.verdict(), report::summary);
      assertEquals("jsse-app", report.provider());
      Finding fails = only(report, Code.APP_TLS_FAILS);
      assertEquals(Severity.HIGH, fails.severity());
      assertTrue(fails.rootCause());
      assertEquals(FailureKind.CERTIFICATE_REJECTED.name(), fails.evidence().get("failure"));
      assertTrue(String.valueOf(fails.evidence().get("message")).contains("Certificate pinning failure!"),
          () -> String.valueOf(fails.evidence()));
      assertTrue(fails.title().contains("trust manager rejects"), fails.title());
      assertTrue(String.valueOf(fails.evidence().get("referenceOutcome")).startsWith("completed TLS"),
          () -> String.valueOf(fails.evidence()));
      // The only root cause: the chain itself is fine.
      assertEquals(List.of(Code.APP_TLS_FAILS), report.rootCauses().stream().map(Finding::code).toList());
      Finding used = only(report, Code.APP_TLS_USED);
      assertEquals(Severity.INFO, used.severity());
      assertEquals("SSLContext", used.evidence().get("kind"));
      assertTrue(String.valueOf(used.evidence().get("context")).contains("provider SunJSSE"),
          () -> String.valueOf(used.evidence()));
      // The chain the application's context rejected is still in the report, from the reference.
      assertEquals(leaf.certificate().getSubjectX500Principal().getName(),
          report.certificateChain().get(0).subject());
    }
  }

  @Test
  void pinningTrustManager_alone_isJudgedTheSameWay() {
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      Report report = TlsInspector.builder().probe(new JsseProbe()).options(options)
          .clientTls(ClientTls.of(new PinningTrustManager(pkix, "sha256/nope"))).build()
          .inspect(local(server));
      Finding fails = only(report, Code.APP_TLS_FAILS);
      assertTrue(String.valueOf(fails.evidence().get("message")).contains("does not match the pin"),
          () -> String.valueOf(fails.evidence()));
      assertEquals("managers", only(report, Code.APP_TLS_USED).evidence().get("kind"));
    }
  }

  @Test
  void explainAndVerify_withTheApplicationsContext_confirmsItsOwnTrustManager() throws Exception {
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      SSLContext ctx = pinnedContext();
      SSLHandshakeException caught;
      try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.port())) {
        s.setSoTimeout(4_000);
        caught = assertThrows(SSLHandshakeException.class, s::startHandshake);
      }
      TlsInspector app = TlsInspector.builder().probe(new JsseProbe()).options(options)
          .clientTls(ClientTls.of(ctx)).build();
      Explanation why = app.explain(caught, local(server));
      Explanation.Verification v = why.verification().orElseThrow(() -> new AssertionError(why));
      assertEquals(java.util.Optional.of(Code.APP_TLS_FAILS), v.confirmed(), v::toString);
      assertEquals(Explanation.Verification.Status.CONFIRMED_ROOT_CAUSE, v.status());
    }
  }

  @Test
  void socketFactory_ofThePinnedContext_failsTheSameWay() throws Exception {
    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      Report report = TlsInspector.builder().probe(new JsseProbe()).options(options)
          .clientTls(ClientTls.of(pinnedContext().getSocketFactory())).build().inspect(local(server));
      Finding fails = only(report, Code.APP_TLS_FAILS);
      assertEquals(FailureKind.CERTIFICATE_REJECTED.name(), fails.evidence().get("failure"));
      assertEquals("SSLSocketFactory", only(report, Code.APP_TLS_USED).evidence().get("kind"));
    }
  }

  /** Always presents one alias, whatever the server accepts: as an application configured to. */
  static final class FixedAlias extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager delegate;
    private final String alias;

    FixedAlias(X509ExtendedKeyManager delegate, String alias) {
      this.delegate = delegate;
      this.alias = alias;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return alias;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return alias;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String a) {
      return delegate.getCertificateChain(a);
    }

    @Override
    public PrivateKey getPrivateKey(String a) {
      return delegate.getPrivateKey(a);
    }
  }

  @Test
  void keyManager_choosingAnotherAlias_isWhatTheMutualTlsServerSees() throws Exception {
    IssuedCertificate clientRoot = CertificateBuilder.root("App Client Root").build();
    IssuedCertificate first = CertificateBuilder.leaf("client-first").issuedBy(clientRoot)
        .extendedKeyUsage(KeyPurpose.CLIENT_AUTH).build();
    IssuedCertificate second = CertificateBuilder.leaf("client-second").issuedBy(clientRoot)
        .extendedKeyUsage(KeyPurpose.CLIENT_AUTH).build();
    char[] pw = "changeit".toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("first", first.privateKey(), pw, first.chain().toArray(X509Certificate[]::new));
    ks.setKeyEntry("second", second.privateKey(), pw, second.chain().toArray(X509Certificate[]::new));
    // SunX509 names keys by their key-store aliases (PKIX prefixes them).
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
    kmf.init(ks, pw);
    X509ExtendedKeyManager km = new FixedAlias((X509ExtendedKeyManager) kmf.getKeyManagers()[0], "second");

    try (TlsServer server = TlsServer.builder().certificate(leaf).protocols("TLSv1.2")
        .clientAuth(TlsServer.ClientAuth.NEED).trustedClientCas(clientRoot.certificate()).start()) {
      Report report = TlsInspector.builder().probe(new JsseProbe()).options(options)
          .clientTls(ClientTls.of(pkix, km)).build().inspect(local(server));
      assertTrue(report.rootCauses().isEmpty(), report::summary);
      assertTrue(server.awaitFinishedConnections(1, Duration.ofSeconds(5)));
      List<X509Certificate> presented = server.completedHandshakes().get(0).clientCertificates();
      assertEquals(second.certificate(), presented.get(0));
      ProbeOutcome main = report.outcomes().get(0);
      assertEquals(java.util.Optional.of("second"), main.observation().orElseThrow()
          .clientCertificateRequest().orElseThrow().chosenAlias());
    }
  }

  @Test
  void bouncyCastleJsseContext_makesTheMainHandshake_withoutInstallingAProvider() throws Exception {
    List<String> before = Arrays.stream(Security.getProviders()).map(Provider::getName).toList();
    Provider bcjsse = new BouncyCastleJsseProvider(new BouncyCastleProvider());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", bcjsse);
    KeyStore anchors = KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    anchors.setCertificateEntry("root", root.certificate());
    tmf.init(anchors);
    SSLContext ctx = SSLContext.getInstance("TLS", bcjsse);
    ctx.init(null, tmf.getTrustManagers(), new SecureRandom());

    try (TlsServer server = TlsServer.builder().certificate(leaf).start()) {
      Report report = TlsInspector.builder().probe(new JsseProbe()).options(options)
          .clientTls(ClientTls.of(ctx)).build().inspect(local(server));
      assertTrue(report.rootCauses().isEmpty(), report::summary);
      assertEquals(Verdict.WARN, report.verdict(), report::summary);
      ProbeOutcome main = report.outcomes().get(0);
      assertInstanceOf(ProbeOutcome.Completed.class, main, report::summary);
      assertTrue(String.valueOf(only(report, Code.APP_TLS_USED).evidence().get("context"))
          .contains("provider BCJSSE"), report::summary);
      assertEquals(leaf.certificate().getSubjectX500Principal().getName(),
          report.certificateChain().get(0).subject());
      assertTrue(server.awaitFinishedConnections(1, Duration.ofSeconds(5)));
      assertEquals(1, server.handshakes());
    }
    assertEquals(before, Arrays.stream(Security.getProviders()).map(Provider::getName).toList());
  }
}
