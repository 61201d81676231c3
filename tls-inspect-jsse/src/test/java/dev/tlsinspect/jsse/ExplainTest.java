package dev.tlsinspect.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tlsinspect.Code;
import dev.tlsinspect.Explanation;
import dev.tlsinspect.Explanation.Verification;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsExplainer;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.KeyPurpose;
import dev.tlsinspect.testing.TlsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Explain real exceptions: each is produced by a plain JSSE client (its own SSLContext, never the
 * default) against a loopback server of the test kit, as an application would get it; then the
 * explanation is verified against the same server with the JSSE provider. Only 127.0.0.1 is
 * contacted. The messages are those of the running JDK, with or without the "(alert) " prefix.
 */
class ExplainTest {
  private static IssuedCertificate root;
  private static IssuedCertificate intermediate;
  private static SSLContext client;
  private static TlsInspector inspector;

  @BeforeAll
  static void pki() throws Exception {
    root = CertificateBuilder.root("tls-inspect Explain Root").build();
    intermediate = CertificateBuilder.intermediate("tls-inspect Explain Intermediate").issuedBy(root).build();
    client = context(trustManagers(root.certificate()));
    inspector = TlsInspector.builder()
        .probe(new JsseProbe())
        .options(InspectOptions.builder()
            .trust(TrustMaterial.certificates(List.of(root.certificate())))
            .timeout(Duration.ofSeconds(3))
            .build())
        .build();
  }

  // --- a plain JSSE client, as an application has it --------------------------------------------

  private static TrustManager[] trustManagers(X509Certificate... anchors) throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    for (int i = 0; i < anchors.length; i++) {
      store.setCertificateEntry("anchor-" + i, anchors[i]);
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(store);
    return factory.getTrustManagers();
  }

  private static SSLContext context(TrustManager[] trust) throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust, new SecureRandom());
    return context;
  }

  /**
   * Connects to 127.0.0.1:port as {@code host} (SNI when a name, HTTPS host-name check), shakes
   * hands, sends a request and reads the answer; returns what was thrown.
   */
  private static Throwable failingCall(SSLContext context, String host, int port, int soTimeoutMillis) {
    return assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
      try (Socket plain = new Socket()) {
        plain.connect(new InetSocketAddress("127.0.0.1", port), 3000);
        plain.setSoTimeout(soTimeoutMillis);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        if (!Character.isDigit(host.charAt(0))) {
          parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        OutputStream out = socket.getOutputStream();
        out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        in.readAllBytes();
        fail("the call succeeded; expected a failure");
        return null;
      } catch (IOException e) {
        return e;
      }
    });
  }

  private static Throwable failingCall(String host, int port) {
    return failingCall(client, host, port, 3000);
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  /**
   * Explains the throwable, and its printed stack trace, and checks the ranking: {@code top} first
   * and every one of {@code also} present. The text gives the same candidates as the throwable.
   */
  private static Explanation explain(Throwable error, Code top, Code... also) {
    Explanation e = TlsExplainer.explain(error);
    assertTrue(e.recognised(), () -> "not recognised: " + stackTrace(error));
    assertEquals(top, e.candidateCodes().get(0), () -> e.candidateCodes() + " for " + stackTrace(error));
    for (Code c : also) {
      assertTrue(e.candidateCodes().contains(c), () -> c + " missing from " + e.candidateCodes());
    }
    assertEquals(e.candidateCodes(), TlsExplainer.explain(stackTrace(error)).candidateCodes(),
        "the printed stack trace explains like the exception");
    assertEquals(e.candidateCodes(), TlsExplainer.explain(new CompletionException(error)).candidateCodes(),
        "a wrapper changes nothing");
    return e;
  }

  private static Target localhost(int port) {
    return Target.builder("localhost", port).connectAddress("127.0.0.1").build();
  }

  private static Verification verify(Throwable error, Target target, InspectOptions options, Code confirmed) {
    TlsInspector withOptions = TlsInspector.builder().probe(new JsseProbe()).options(options).build();
    Explanation e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> withOptions.explain(error, target));
    Verification v = e.verification().orElseThrow();
    assertEquals(Verification.Status.CONFIRMED_ROOT_CAUSE, v.status(),
        () -> v.summary() + "\n" + v.report().summary());
    assertEquals(confirmed, v.confirmed().orElseThrow());
    assertTrue(v.report().rootCauses().stream().anyMatch(f -> f.code().equals(confirmed)), v.report()::summary);
    assertTrue(v.summary().contains(confirmed.name()), v.summary());
    return v;
  }

  private static Verification verify(Throwable error, Target target, Code confirmed) {
    return verify(error, target, inspector.options(), confirmed);
  }

  private static TlsServer serve(IssuedCertificate leaf, X509Certificate... chain) {
    return TlsServer.builder().certificateChain(leaf, chain).start();
  }

  // --- certificate failures -------------------------------------------------------------------

  @Test
  void selfSigned() {
    IssuedCertificate self = CertificateBuilder.leaf("localhost").build();
    try (TlsServer server = serve(self)) {
      Throwable error = failingCall("localhost", server.port());
      explain(error, Code.CHAIN_INCOMPLETE, Code.CERT_SELF_SIGNED, Code.CHAIN_UNTRUSTED,
          Code.TLS_INTERCEPTION_SUSPECTED, Code.TRUST_STORE_DIFFERS);
      verify(error, localhost(server.port()), Code.CERT_SELF_SIGNED);
    }
  }

  @Test
  void untrustedRoot() {
    IssuedCertificate otherRoot = CertificateBuilder.root("Someone Else Root").build();
    IssuedCertificate otherCa = CertificateBuilder.intermediate("Someone Else CA").issuedBy(otherRoot).build();
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(otherCa).build();
    try (TlsServer server = serve(leaf, otherCa.certificate())) {
      Throwable error = failingCall("localhost", server.port());
      explain(error, Code.CHAIN_INCOMPLETE, Code.CHAIN_UNTRUSTED);
      verify(error, localhost(server.port()), Code.CHAIN_UNTRUSTED);
    }
  }

  @Test
  void missingIntermediate() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    try (TlsServer server = serve(leaf)) {
      Throwable error = failingCall("localhost", server.port());
      explain(error, Code.CHAIN_INCOMPLETE);
      verify(error, localhost(server.port()), Code.CHAIN_INCOMPLETE);
    }
  }

  @Test
  void expired() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).expired().build();
    try (TlsServer server = serve(leaf, intermediate.certificate())) {
      Throwable error = failingCall("localhost", server.port());
      Explanation e = explain(error, Code.CERT_EXPIRED, Code.INTERMEDIATE_EXPIRED, Code.CLOCK_SKEW);
      assertEquals(Explanation.Confidence.HIGH, e.candidates().get(0).confidence());
      verify(error, localhost(server.port()), Code.CERT_EXPIRED);
    }
  }

  @Test
  void notYetValid() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).notYetValid().build();
    try (TlsServer server = serve(leaf, intermediate.certificate())) {
      Throwable error = failingCall("localhost", server.port());
      explain(error, Code.CERT_NOT_YET_VALID, Code.CLOCK_SKEW);
      verify(error, localhost(server.port()), Code.CERT_NOT_YET_VALID);
    }
  }

  @Test
  void wrongHost() {
    IssuedCertificate leaf = CertificateBuilder.leaf("wrong.example").issuedBy(intermediate).build();
    try (TlsServer server = serve(leaf, intermediate.certificate())) {
      Throwable error = failingCall("localhost", server.port());
      explain(error, Code.HOSTNAME_MISMATCH);
      verify(error, localhost(server.port()), Code.HOSTNAME_MISMATCH);
    }
  }

  @Test
  void ipAddressWithoutIpSan() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).dnsNames("localhost").build();
    try (TlsServer server = serve(leaf, intermediate.certificate())) {
      Throwable error = failingCall("127.0.0.1", server.port());
      Explanation e = explain(error, Code.HOSTNAME_MISMATCH);
      assertTrue(e.candidates().get(0).matched().contains("IP address 127.0.0.1"), e.candidates().get(0).matched());
      verify(error, Target.of("127.0.0.1", server.port()), Code.HOSTNAME_MISMATCH);
    }
  }

  @Test
  void clientAuthOnlyExtendedKeyUsage() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
        .extendedKeyUsage(KeyPurpose.CLIENT_AUTH).build();
    try (TlsServer server = serve(leaf, intermediate.certificate())) {
      Throwable error = failingCall("localhost", server.port());
      explain(error, Code.CERT_BAD_KEY_USAGE);
      verify(error, localhost(server.port()), Code.CERT_BAD_KEY_USAGE);
    }
  }

  @Test
  void rsa512Key() {
    // TLS 1.2: a 512-bit key cannot make an RSA-PSS signature, so a TLS 1.3 server cannot use it.
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).rsa(512).build();
    try (TlsServer server = TlsServer.builder().certificateChain(leaf, intermediate.certificate())
        .protocols("TLSv1.2").start()) {
      Throwable error = failingCall("localhost", server.port());
      explain(error, Code.WEAK_KEY);
      verify(error, localhost(server.port()), Code.WEAK_KEY);
    }
  }

  @Test
  void emptyTrustStore() throws Exception {
    KeyStore empty = KeyStore.getInstance("PKCS12");
    empty.load(null, null);
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(empty);
    SSLContext noAnchors = context(factory.getTrustManagers());
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    try (TlsServer server = serve(leaf, intermediate.certificate())) {
      Throwable error = failingCall(noAnchors, "localhost", server.port(), 3000);
      assertTrue(stackTrace(error).contains("trustAnchors parameter must be non-empty"), stackTrace(error));
      explain(error, Code.TRUST_STORE_DIFFERS);
      // Not verified: an inspection's trust material cannot be empty (TrustMaterial refuses it).
    }
  }

  // --- the server refuses -------------------------------------------------------------------

  @Test
  void clientCertificateRequired_tls13() {
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    IssuedCertificate clientCa = CertificateBuilder.root("Explain Client CA").build();
    try (TlsServer server = TlsServer.builder().certificateChain(leaf, intermediate.certificate())
        .protocols("TLSv1.3").clientAuth(TlsServer.ClientAuth.NEED)
        .trustedClientCas(clientCa.certificate()).start()) {
      // TLS 1.3: the handshake completes on the client; the alert comes with the first read.
      // A 17.0.15 server sends bad_certificate, JDK 25 certificate_required (JDK-8311644).
      Throwable error = failingCall("localhost", server.port());
      explain(error, Code.CLIENT_CERT_REQUIRED);
      verify(error, localhost(server.port()), Code.CLIENT_CERT_REQUIRED);
    }
  }

  @Test
  void handshakeFailureAlert_isNotConfirmedByAFakePeer_andSaysSo() {
    try (FakePeer peer = FakePeer.alert(40)) {
      Throwable error = failingCall("localhost", peer.port());
      explain(error, Code.NO_COMMON_CIPHER, Code.LOCAL_CIPHER_DISABLED, Code.CLIENT_CERT_REQUIRED,
          Code.WEAK_SIGNATURE);
      Explanation e = inspector.explain(error, localhost(peer.port()));
      Verification v = e.verification().orElseThrow();
      // The peer answers every ClientHello with the alert: the inspection cannot tell which.
      assertEquals(Verification.Status.NOT_CONFIRMED, v.status(), v.summary());
      assertEquals(List.of(Code.HANDSHAKE_FAILED), v.inspectionRootCauses());
      assertTrue(v.summary().contains("NO_COMMON_CIPHER") && v.summary().contains("HANDSHAKE_FAILED"), v.summary());
    }
  }

  @Test
  void protocolVersionAlert() {
    try (FakePeer peer = FakePeer.alert(70)) {
      Throwable error = failingCall("localhost", peer.port());
      explain(error, Code.NO_COMMON_PROTOCOL, Code.LOCAL_PROTOCOL_DISABLED);
      verify(error, localhost(peer.port()), Code.NO_COMMON_PROTOCOL);
    }
  }

  // --- not TLS, transport ---------------------------------------------------------------------

  @Test
  void plainHttp() {
    try (FakePeer peer = FakePeer.http()) {
      Throwable error = failingCall("localhost", peer.port());
      explain(error, Code.NOT_TLS);
      verify(error, localhost(peer.port()), Code.NOT_TLS);
    }
  }

  @Test
  void resetAfterClientHello() {
    try (FakePeer peer = FakePeer.resetAfterClientHello()) {
      Throwable error = failingCall("localhost", peer.port());
      explain(error, Code.CONNECTION_RESET);
      verify(error, localhost(peer.port()), Code.CONNECTION_RESET);
    }
  }

  @Test
  void closeAfterClientHello() {
    try (FakePeer peer = FakePeer.closeAfterClientHello()) {
      Throwable error = failingCall("localhost", peer.port());
      explain(error, Code.CONNECTION_RESET);
      verify(error, localhost(peer.port()), Code.CONNECTION_RESET);
    }
  }

  @Test
  void closedPort() {
    int port = FakePeer.closedPort();
    Throwable error = failingCall("localhost", port);
    assertInstanceOf(ConnectException.class, error);
    explain(error, Code.CONNECTION_REFUSED);
    verify(error, localhost(port), Code.CONNECTION_REFUSED);
  }

  @Test
  void readTimeout() {
    try (FakePeer peer = FakePeer.silent()) {
      Throwable error = failingCall(client, "localhost", peer.port(), 300);
      assertInstanceOf(SocketTimeoutException.class, error);
      explain(error, Code.HANDSHAKE_TIMEOUT);
      verify(error, localhost(peer.port()),
          inspector.options().toBuilder().timeout(Duration.ofSeconds(1)).build(), Code.HANDSHAKE_TIMEOUT);
    }
  }

  @Test
  void unknownHost() {
    // Constructed, not looked up: a real lookup needs DNS, and tests contact nothing but loopback
    // (an invalid literal would fail in InetAddress's parser, not in the resolver).
    Throwable error = new UnknownHostException("orders.invalid: Name or service not known");
    explain(error, Code.DNS_RESOLUTION_FAILED);
  }
}
