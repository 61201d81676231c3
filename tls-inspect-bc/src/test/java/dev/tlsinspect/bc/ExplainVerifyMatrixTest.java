package dev.tlsinspect.bc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tlsinspect.Code;
import dev.tlsinspect.Explanation;
import dev.tlsinspect.Explanation.Verification;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsExplainer;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.jsse.JsseProbe;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.HandshakeProbe;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.BcTlsServer;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.KeyPurpose;
import dev.tlsinspect.testing.TlsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.tls.crypto.DHGroup;
import org.bouncycastle.tls.crypto.DHStandardGroups;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The "explain and verify" matrix of issue #6: for each failure a plain JSSE client (its own
 * SSLContext trusting the test root, SNI and HTTPS host-name check, as an application has it)
 * gets a real exception from a loopback server; the exception is explained, then verified against
 * the same server, and the verification must confirm exactly the true cause, marked as the root
 * cause of the verification's report.
 *
 * <p>The servers: the in-JVM JSSE {@link TlsServer} for certificate and client-certificate cases;
 * the Bouncy Castle {@link BcTlsServer} for what this JVM's JSSE refuses to serve because
 * jdk.tls.disabledAlgorithms is global (TLS 1.0, NULL suites, a 768-bit DH group); the scripted
 * {@link FakePeer#selecting} peer for RC4, which neither JSSE nor Bouncy Castle (nor this
 * machine's OpenSSL 3.0, built without RC4) serves any more: it answers a ServerHello for RC4
 * only, so the JSSE client's exception against it is the one it gets against a real RC4-only
 * server (the client offers no RC4 and gets a handshake_failure alert).
 *
 * <p>The verifying provider is the one that can see the cause: JSSE (the CLI default) for
 * certificates and the transport, Bouncy Castle ({@code --provider bc}) for versions, suites and
 * DH groups, because only its enumeration sees that the server speaks nothing but what this JVM
 * disables; {@link #jsseProvider_cannotSeeWhatThisJvmDisables_andSaysSo()} pins what JSSE
 * reports for those instead.
 */
class ExplainVerifyMatrixTest {
  private static IssuedCertificate root;
  private static IssuedCertificate intermediate;
  private static SSLContext client;

  /** Which provider verifies a case; BOTH is the default, nothing pinned. */
  enum Provider {
    JSSE, BC, BOTH;

    HandshakeProbe probe() {
      return this == JSSE ? new JsseProbe() : new BcProbe();
    }
  }

  /** A loopback server of any kind. */
  interface Endpoint extends AutoCloseable {
    int port();

    @Override
    void close();
  }

  /**
   * One row of the matrix.
   *
   * @param name the failure, as the issue names it
   * @param server starts the server (null: nothing listens, a closed port)
   * @param provider the verifying provider
   * @param confirmed the code the verification must confirm
   * @param status how: as the inspection's own root cause, or as a finding of a handshake that
   *     completes from the inspecting provider (then marked as the root cause by the verifier)
   */
  record Case(String name, Supplier<Endpoint> server, Provider provider, Code confirmed,
      Verification.Status status) {
    @Override
    public String toString() {
      return name + " -> " + confirmed + " (" + provider + ")";
    }
  }

  @BeforeAll
  static void pki() throws Exception {
    root = CertificateBuilder.root("tls-inspect Matrix Root").build();
    intermediate = CertificateBuilder.intermediate("tls-inspect Matrix Intermediate").issuedBy(root).build();
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("root", root.certificate());
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(store);
    client = SSLContext.getInstance("TLS");
    client.init(null, factory.getTrustManagers(), new SecureRandom());
  }

  // ---- servers ----------------------------------------------------------------------------------

  private static Endpoint jsse(TlsServer s) {
    return new Endpoint() {
      @Override
      public int port() {
        return s.port();
      }

      @Override
      public void close() {
        s.close();
      }
    };
  }

  private static Endpoint bc(BcTlsServer s) {
    return new Endpoint() {
      @Override
      public int port() {
        return s.port();
      }

      @Override
      public void close() {
        s.close();
      }
    };
  }

  private static Endpoint peer(FakePeer s) {
    return new Endpoint() {
      @Override
      public int port() {
        return s.port();
      }

      @Override
      public void close() {
        s.close();
      }
    };
  }

  private static Supplier<Endpoint> chain(Supplier<IssuedCertificate> leaf, String... protocols) {
    return () -> {
      TlsServer.Builder b = TlsServer.builder().certificateChain(leaf.get(), intermediate.certificate());
      if (protocols.length > 0) {
        b.protocols(protocols);
      }
      return jsse(b.start());
    };
  }

  private static CertificateBuilder leaf() {
    return CertificateBuilder.leaf("localhost").issuedBy(intermediate);
  }

  /** A leaf with a 300 KB private extension: an OCTET STRING with a 3-byte long-form length. */
  private static IssuedCertificate threeHundredKilobyteLeaf() {
    byte[] content = new byte[300 * 1024];
    byte[] der = new byte[content.length + 5];
    der[0] = 0x04;
    der[1] = (byte) 0x83;
    der[2] = (byte) (content.length >> 16);
    der[3] = (byte) (content.length >> 8);
    der[4] = (byte) content.length;
    return leaf().extension("1.3.6.1.4.1.55555.1", false, der).build();
  }

  private static Supplier<Endpoint> bcServer(TlsVersion version, int... suites) {
    return bcServer(version, null, suites);
  }

  private static Supplier<Endpoint> bcServer(TlsVersion version, DHGroup dh, int... suites) {
    return () -> {
      BcTlsServer.Builder b = BcTlsServer.builder().certificateChain(leaf().build(), intermediate.certificate())
          .versions(version)
          .cipherSuites(java.util.Arrays.stream(suites).mapToObj(CipherSuite::of).toArray(CipherSuite[]::new));
      if (dh != null) {
        b.dhGroup(dh.getP(), dh.getG());
      }
      return bc(b.start());
    };
  }

  private static Supplier<Endpoint> clientAuth(String protocol) {
    return () -> jsse(TlsServer.builder().certificateChain(leaf().build(), intermediate.certificate())
        .protocols(protocol).clientAuth(TlsServer.ClientAuth.NEED)
        .trustedClientCas(CertificateBuilder.root("Matrix Client CA").build().certificate()).start());
  }

  private static final Verification.Status ROOT = Verification.Status.CONFIRMED_ROOT_CAUSE;
  private static final Verification.Status FINDING = Verification.Status.CONFIRMED_FINDING;

  static Stream<Case> matrix() {
    return Stream.of(
        new Case("self-signed", chain(() -> CertificateBuilder.leaf("localhost").build()),
            Provider.JSSE, Code.CERT_SELF_SIGNED, ROOT),
        new Case("untrusted root", () -> {
          IssuedCertificate otherRoot = CertificateBuilder.root("Matrix Other Root").build();
          IssuedCertificate otherCa = CertificateBuilder.intermediate("Matrix Other CA").issuedBy(otherRoot).build();
          return jsse(TlsServer.builder().certificateChain(
              CertificateBuilder.leaf("localhost").issuedBy(otherCa).build(), otherCa.certificate()).start());
        }, Provider.JSSE, Code.CHAIN_UNTRUSTED, ROOT),
        new Case("missing intermediate", () -> jsse(TlsServer.builder().certificateChain(leaf().build()).start()),
            Provider.JSSE, Code.CHAIN_INCOMPLETE, ROOT),
        new Case("expired", chain(() -> leaf().expired().build()), Provider.JSSE, Code.CERT_EXPIRED, ROOT),
        new Case("expired intermediate", () -> {
          IssuedCertificate oldCa = CertificateBuilder.intermediate("Matrix Expired CA").issuedBy(root).expired().build();
          return jsse(TlsServer.builder().certificateChain(
              CertificateBuilder.leaf("localhost").issuedBy(oldCa).build(), oldCa.certificate()).start());
        }, Provider.JSSE, Code.INTERMEDIATE_EXPIRED, ROOT),
        new Case("not yet valid", chain(() -> leaf().notYetValid().build()),
            Provider.JSSE, Code.CERT_NOT_YET_VALID, ROOT),
        new Case("wrong host", chain(() -> CertificateBuilder.leaf("wrong.example").issuedBy(intermediate).build()),
            Provider.JSSE, Code.HOSTNAME_MISMATCH, ROOT),
        new Case("EKU clientAuth only", chain(() -> leaf().extendedKeyUsage(KeyPurpose.CLIENT_AUTH).build()),
            Provider.JSSE, Code.CERT_BAD_KEY_USAGE, ROOT),
        // TLS 1.2: a 512-bit key cannot make an RSA-PSS signature, so a TLS 1.3 server cannot use it.
        new Case("RSA-512", chain(() -> leaf().rsa(512).build(), "TLSv1.2"), Provider.JSSE, Code.WEAK_KEY, ROOT),
        new Case("MD5 leaf", chain(() -> leaf().signatureAlgorithm("MD5withRSA").build()),
            Provider.JSSE, Code.WEAK_SIGNATURE, ROOT),
        // TLS 1.2: the Certificate message is in clear, so the probe measures it although JSSE
        // refuses to read it (jdk.tls.maxHandshakeMessageSize, 32 KB).
        new Case("300 KB certificate", chain(ExplainVerifyMatrixTest::threeHundredKilobyteLeaf, "TLSv1.2"),
            Provider.JSSE, Code.CERT_TOO_LARGE, ROOT),
        // The same with --provider bc: over its own 256 KB bound, it reports the announced size.
        new Case("300 KB certificate, verified with bc", chain(ExplainVerifyMatrixTest::threeHundredKilobyteLeaf, "TLSv1.2"),
            Provider.BC, Code.CERT_TOO_LARGE, ROOT),
        new Case("TLS 1.0-only server", bcServer(TlsVersion.TLS_1_0, 0xC013, 0x002F),
            Provider.BC, Code.LOCAL_PROTOCOL_DISABLED, ROOT),
        new Case("RC4-only server", () -> peer(FakePeer.selecting(0x0303, 0x0005)),
            Provider.BC, Code.LOCAL_CIPHER_DISABLED, ROOT),
        new Case("NULL-only server", bcServer(TlsVersion.TLS_1_2, 0x003B),
            Provider.BC, Code.LOCAL_CIPHER_DISABLED, ROOT),
        new Case("client certificate required, TLS 1.3", clientAuth("TLSv1.3"),
            Provider.JSSE, Code.CLIENT_CERT_REQUIRED, ROOT),
        new Case("client certificate required, TLS 1.2", clientAuth("TLSv1.2"),
            Provider.JSSE, Code.CLIENT_CERT_REQUIRED, ROOT),
        // 768 bits: this JVM refuses DH under 1024 bits (jdk.tls.disabledAlgorithms). The Bouncy
        // Castle handshake completes (it accepts the group to report it), so WEAK_DH is confirmed
        // as a finding and the verifier marks it as the root cause.
        new Case("weak DH (768 bits)", bcServer(TlsVersion.TLS_1_2, DHStandardGroups.rfc2409_768, 0x009E),
            Provider.BC, Code.WEAK_DH, FINDING),
        // With this JVM's provider the handshake fails the way the application's does, and the
        // group size read from the ServerKeyExchange makes WEAK_DH the inspection's own root cause.
        new Case("weak DH (768 bits), verified with jsse", bcServer(TlsVersion.TLS_1_2,
            DHStandardGroups.rfc2409_768, 0x009E), Provider.JSSE, Code.WEAK_DH, ROOT),
        new Case("plain HTTP", () -> peer(FakePeer.http()), Provider.JSSE, Code.NOT_TLS, ROOT),
        new Case("closed port", () -> null, Provider.JSSE, Code.CONNECTION_REFUSED, ROOT));
  }

  // ---- the application's side -------------------------------------------------------------------

  /** Connects as an application would, shakes hands, sends a request, reads; returns what was thrown. */
  private static Throwable failingCall(int port) {
    return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      try (Socket plain = new Socket()) {
        plain.connect(new InetSocketAddress("127.0.0.1", port), 3000);
        plain.setSoTimeout(5000);
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(plain, "localhost", port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("localhost")));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        OutputStream out = socket.getOutputStream();
        out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // TLS 1.3 client-certificate refusal arrives here, with the first read.
        socket.getInputStream().readAllBytes();
        fail("the call succeeded; expected a failure");
        return null;
      } catch (IOException e) {
        return e;
      }
    });
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  private static TlsInspector inspector(Provider provider) {
    return inspector(provider, false);
  }

  private static TlsInspector inspector(Provider provider, boolean quick) {
    TlsInspector.Builder b = TlsInspector.builder().options(InspectOptions.builder()
        .trust(TrustMaterial.certificates(List.of(root.certificate())))
        .timeout(Duration.ofSeconds(10))
        .quick(quick)
        .build());
    if (provider != Provider.BOTH) {
      b.probe(provider.probe());
    }
    return b.build();
  }

  private static Explanation explainAndVerify(Throwable error, int port, Provider provider) {
    return explainAndVerify(error, port, inspector(provider));
  }

  private static Explanation explainAndVerify(Throwable error, int port, TlsInspector inspector) {
    Explanation explained = TlsExplainer.explain(error);
    assertTrue(explained.recognised(), () -> "not recognised: " + stackTrace(error));
    assertEquals(explained.candidateCodes(), TlsExplainer.explain(stackTrace(error)).candidateCodes(),
        "the printed stack trace explains like the exception");
    Target target = Target.builder("localhost", port).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> inspector.explain(error, target));
  }

  /**
   * The same failures verified with nothing pinned (issue #11): JSSE's own handshake fails as the
   * application's did, and Bouncy Castle's enumeration, which runs because the server spoke TLS,
   * names the specific cause that JSSE alone leaves as HANDSHAKE_FAILED.
   */
  static Stream<Case> defaultEngines() {
    return Stream.of(
        new Case("RC4-only server", () -> peer(FakePeer.selecting(0x0303, 0x0005)),
            Provider.BOTH, Code.LOCAL_CIPHER_DISABLED, ROOT),
        new Case("3DES-only server", bcServer(TlsVersion.TLS_1_2, 0x000A),
            Provider.BOTH, Code.LOCAL_CIPHER_DISABLED, ROOT),
        new Case("NULL-only server", bcServer(TlsVersion.TLS_1_2, 0x003B),
            Provider.BOTH, Code.LOCAL_CIPHER_DISABLED, ROOT),
        new Case("anon-only server", () -> peer(FakePeer.selecting(0x0303, 0x0034)),
            Provider.BOTH, Code.LOCAL_CIPHER_DISABLED, ROOT),
        new Case("MD5 leaf", chain(() -> leaf().signatureAlgorithm("MD5withRSA").build()),
            Provider.BOTH, Code.WEAK_SIGNATURE, ROOT),
        new Case("TLS 1.0-only server", bcServer(TlsVersion.TLS_1_0, 0xC013, 0x002F),
            Provider.BOTH, Code.LOCAL_PROTOCOL_DISABLED, ROOT),
        new Case("weak DH (768 bits)", bcServer(TlsVersion.TLS_1_2, DHStandardGroups.rfc2409_768, 0x009E),
            Provider.BOTH, Code.WEAK_DH, ROOT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("defaultEngines")
  void verifyWithDefaultEngines_confirmsTheSpecificCause(Case c) {
    verifyConfirmsTheTrueCause(c);
  }

  /**
   * An inspector built for health checks (quick: one JSSE handshake) still explains: when its
   * inspection leaves only HANDSHAKE_FAILED, verify escalates to a full inspection, whose
   * enumeration names the cause.
   */
  @Test
  void quickInspector_escalatesToTheEnumeration_whenOnlyHandshakeFailedIsLeft() {
    try (Endpoint rc4 = peer(FakePeer.selecting(0x0303, 0x0005))) {
      Throwable error = failingCall(rc4.port());
      Verification v = explainAndVerify(error, rc4.port(), inspector(Provider.BOTH, true))
          .verification().orElseThrow();
      assertEquals(ROOT, v.status(), v.summary());
      assertEquals(Code.LOCAL_CIPHER_DISABLED, v.confirmed().orElseThrow(), v.summary());
      assertEquals(List.of("RC4"), v.report().findings().stream()
          .filter(f -> f.code().equals(Code.LOCAL_CIPHER_DISABLED)).findFirst().orElseThrow()
          .evidence().get("disabledBy"));

      // Pinned to JSSE there is nothing to escalate to: the answer stays HANDSHAKE_FAILED.
      Verification jsse = explainAndVerify(error, rc4.port(),
          TlsInspector.builder().provider("jsse").options(inspector(Provider.BOTH, true).options()).build())
          .verification().orElseThrow();
      assertEquals(List.of(Code.HANDSHAKE_FAILED), jsse.inspectionRootCauses(), jsse.summary());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matrix")
  void verifyConfirmsTheTrueCause(Case c) {
    Endpoint server = c.server().get();
    int port = server == null ? FakePeer.closedPort() : server.port();
    try {
      Throwable error = failingCall(port);
      if (server == null) {
        assertInstanceOf(ConnectException.class, error);
      }
      Explanation e = explainAndVerify(error, port, c.provider());
      assertTrue(e.candidateCodes().contains(c.confirmed()),
          () -> c.confirmed() + " is not a candidate of " + e.candidateCodes() + " for " + error);
      Verification v = e.verification().orElseThrow();
      String why = v.summary() + "\n" + v.report().summary() + "\n" + v.report().findings() + "\nfor " + error;
      assertEquals(c.status(), v.status(), why);
      assertEquals(c.confirmed(), v.confirmed().orElseThrow(), why);
      assertTrue(v.summary().contains(c.confirmed().name()), v.summary());
      List<Finding> confirmed = v.report().findings().stream()
          .filter(f -> f.code().equals(c.confirmed())).toList();
      assertEquals(1, confirmed.size(), why);
      assertTrue(confirmed.get(0).rootCause(), why);
      if (c.status() == ROOT) {
        assertTrue(v.inspectionRootCauses().contains(c.confirmed()), why);
      } else {
        assertEquals(List.of(), v.inspectionRootCauses(), "the provider's own handshake completes: " + why);
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  // ---- what the JSSE provider can and cannot confirm ----------------------------------------------

  /**
   * JSSE cannot offer what this JVM disables, so its inspection of a TLS 1.0-only or an RC4-only
   * server sees only the alert: the protocol_version alert confirms NO_COMMON_PROTOCOL (true, but
   * not why), and the handshake_failure alert confirms nothing. The verification says so rather
   * than guess; the BC provider names the cause (above).
   */
  @Test
  void jsseProvider_cannotSeeWhatThisJvmDisables_andSaysSo() {
    try (Endpoint tls10 = bcServer(TlsVersion.TLS_1_0, 0xC013).get()) {
      Verification v = explainAndVerify(failingCall(tls10.port()), tls10.port(), Provider.JSSE)
          .verification().orElseThrow();
      assertEquals(ROOT, v.status(), v.summary());
      assertEquals(Code.NO_COMMON_PROTOCOL, v.confirmed().orElseThrow());
    }
    try (Endpoint rc4 = peer(FakePeer.selecting(0x0303, 0x0005))) {
      Verification v = explainAndVerify(failingCall(rc4.port()), rc4.port(), Provider.JSSE)
          .verification().orElseThrow();
      assertEquals(Verification.Status.NOT_CONFIRMED, v.status(), v.summary());
      assertEquals(List.of(Code.HANDSHAKE_FAILED), v.inspectionRootCauses());
    }
  }
}
