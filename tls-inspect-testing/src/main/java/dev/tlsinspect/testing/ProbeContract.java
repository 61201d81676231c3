package dev.tlsinspect.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Target;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.probe.Alert;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.ClientOffer;
import dev.tlsinspect.probe.Deadline;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.HandshakeProbe;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.probe.ProbeRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The behaviour every {@link HandshakeProbe} provider owes the inspector, as one JUnit 5 test
 * suite: extend it, return the provider from {@link #probe()}, declare what the provider
 * legitimately does differently in {@link #capabilities()}, and every provider is held to the
 * same outcomes against the same kinds of real loopback servers (the in-JVM JSSE
 * {@link TlsServer}, the Bouncy Castle {@link BcTlsServer}, and {@link FakePeer}s).
 *
 * <pre>{@code
 * class MyProbeContractTest extends ProbeContract {
 *     @Override
 *     protected HandshakeProbe probe() {
 *         return new MyProbe();
 *     }
 * }
 * }</pre>
 *
 * <p>What is held equal: the outcome type (completed or failed), the {@link FailureKind}, the
 * alert, the named foreign protocol, and the observation's provider name, address, SNI, version,
 * cipher suite and certificate chain. Only loopback addresses are contacted. Waits are bounded
 * by generous deadlines; nothing is timed.
 *
 * @since 0.1.0
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ProbeContract {
    /** For subclasses: one per provider under test. */
    protected ProbeContract() {}

    private static final String HOST = "localhost";
    private static final String LOOPBACK = "127.0.0.1";
    /** The budget of one probe against a peer that never finishes the handshake. */
    private static final Duration SHORT_BUDGET = Duration.ofSeconds(2);
    /** The budget of one probe against a working server: generous for a loaded machine. */
    private static final Duration BUDGET = Duration.ofSeconds(10);
    /** How long a test waits for a probe before calling it hung. */
    private static final Duration HUNG = Duration.ofSeconds(30);

    private IssuedCertificate root;
    private IssuedCertificate intermediate;
    private IssuedCertificate leaf;

    /**
     * What a provider does differently, by design, from the others. Each difference is a
     * capability with a documented meaning; the contract asserts the behaviour that follows from
     * it, never less.
     *
     * @param validatesTrust the provider validates the server's chain against the request's
     *     trust material (and host name), so an untrusted or expired chain ends as a
     *     {@link FailureKind#CERTIFICATE_REJECTED} failure; without it the handshake completes
     *     and the checks judge the captured chain. Either way the chain is captured as sent.
     * @since 0.1.0
     */
    public record Capabilities(boolean validatesTrust) {}

    /**
     * The provider under test. Called once per test; a provider must be safe to share, and
     * {@link #concurrentProbes_onOneInstance_allComplete()} shares one instance across threads.
     *
     * @return a new or shared provider instance
     * @since 0.1.0
     */
    protected abstract HandshakeProbe probe();

    /**
     * The provider's capabilities; the default is a provider that validates trust, as JSSE does.
     *
     * @return the capabilities
     * @since 0.1.0
     */
    protected Capabilities capabilities() {
        return new Capabilities(true);
    }

    /**
     * Creates the test PKI: a root, an intermediate, and a leaf for {@code localhost} and
     * {@code 127.0.0.1}.
     *
     * @since 0.1.0
     */
    @BeforeAll
    protected void pki() {
        root = CertificateBuilder.root("tls-inspect Contract Root").build();
        intermediate = CertificateBuilder.intermediate("tls-inspect Contract Intermediate").issuedBy(root).build();
        leaf = CertificateBuilder.leaf(HOST).issuedBy(intermediate).dnsNames(HOST).ipAddresses(LOOPBACK).build();
    }

    // ---- requests --------------------------------------------------------------------------

    private ProbeRequest request(String host, int port, Duration budget, ClientOffer offer) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Target target = host.equals(LOOPBACK) ? Target.of(LOOPBACK, port)
                : Target.builder(host, port).connectAddress(LOOPBACK).build();
        return new ProbeRequest(target, new InetSocketAddress(loopback, port), List.of(loopback),
                Deadline.after(budget), budget, budget,
                TrustMaterial.certificates(List.of(root.certificate())), offer);
    }

    private ProbeOutcome probe(HandshakeProbe probe, ProbeRequest request) {
        return assertTimeoutPreemptively(HUNG, () -> probe.probe(request),
                () -> probe.name() + " hung on " + request.target());
    }

    private ProbeOutcome probe(int port) {
        return probe(probe(), request(HOST, port, BUDGET, ClientOffer.providerDefaults()));
    }

    private ProbeOutcome probeBriefly(int port) {
        return probe(probe(), request(HOST, port, SHORT_BUDGET, ClientOffer.providerDefaults()));
    }

    /** The common fields of every observation that got as far as a TCP connection. */
    private Observation connected(ProbeOutcome outcome, int port) {
        Observation seen = outcome.observation().orElseThrow(() -> new AssertionError("no observation: " + outcome));
        assertEquals(probe().name(), seen.provider(), "the observation names its provider");
        assertEquals(Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)), seen.address(),
                () -> "the address connected to: " + outcome);
        return seen;
    }

    private Observation completed(ProbeOutcome outcome, int port) {
        assertInstanceOf(ProbeOutcome.Completed.class, outcome, () -> "expected a completed handshake: " + outcome);
        return connected(outcome, port);
    }

    private Failure failed(ProbeOutcome outcome, FailureKind kind, int port) {
        ProbeOutcome.Failed failed = assertInstanceOf(ProbeOutcome.Failed.class, outcome,
                () -> "expected " + kind + ": " + outcome);
        assertEquals(kind, failed.failure().kind(), () -> failed.failure().toString());
        assertFalse(failed.failure().message().isBlank(), "a failure says what happened");
        connected(outcome, port);
        return failed.failure();
    }

    private List<X509Certificate> sent(IssuedCertificate l, X509Certificate... chain) {
        List<X509Certificate> all = new ArrayList<>();
        all.add(l.certificate());
        all.addAll(List.of(chain));
        return all;
    }

    // ---- healthy servers -------------------------------------------------------------------

    /**
     * A TLS 1.3 server: the handshake completes with TLS 1.3, a TLS 1.3 suite, the chain as sent
     * and the SNI sent.
     */
    @Test
    void healthyTls13_completes_withVersionSuiteAndChain() {
        try (TlsServer server = TlsServer.builder().certificateChain(leaf, intermediate.certificate())
                .protocols("TLSv1.3").start()) {
            Observation seen = completed(probe(server.port()), server.port());
            assertEquals(Optional.of(TlsVersion.TLS_1_3), seen.version());
            String suite = seen.cipherSuite().orElseThrow().name();
            assertTrue(suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_"), suite);
            assertEquals(sent(leaf, intermediate.certificate()), seen.peerChain());
            assertEquals(Optional.of(HOST), seen.sniSent());
        }
    }

    /** A TLS 1.2 JSSE server: TLS 1.2 with an ECDHE suite, the chain as sent. */
    @Test
    void healthyTls12_completes_withVersionSuiteAndChain() {
        try (TlsServer server = TlsServer.builder().certificateChain(leaf, intermediate.certificate())
                .protocols("TLSv1.2").start()) {
            Observation seen = completed(probe(server.port()), server.port());
            assertEquals(Optional.of(TlsVersion.TLS_1_2), seen.version());
            assertTrue(seen.cipherSuite().orElseThrow().name().startsWith("TLS_ECDHE_"), seen::toString);
            assertEquals(sent(leaf, intermediate.certificate()), seen.peerChain());
        }
    }

    /** A TLS 1.2 Bouncy Castle server with one suite: that suite, the chain as sent. */
    @Test
    void healthyTls12_bcServer_completes_withItsOneSuite() {
        try (BcTlsServer server = BcTlsServer.builder().certificateChain(leaf, intermediate.certificate())
                .versions(TlsVersion.TLS_1_2).cipherSuites(CipherSuite.of(0xC02F)).start()) {
            Observation seen = completed(probe(server.port()), server.port());
            assertEquals(Optional.of(TlsVersion.TLS_1_2), seen.version());
            assertEquals(0xC02F, seen.cipherSuite().orElseThrow().code());
            assertEquals(sent(leaf, intermediate.certificate()), seen.peerChain());
        }
    }

    // ---- chains the trust material does not accept --------------------------------------------

    private void assertChainCaptured(ProbeOutcome outcome, int port, List<X509Certificate> chain) {
        Observation seen;
        if (capabilities().validatesTrust()) {
            failed(outcome, FailureKind.CERTIFICATE_REJECTED, port);
            seen = connected(outcome, port);
        } else {
            seen = completed(outcome, port);
        }
        assertEquals(chain, seen.peerChain(), "the chain is captured as sent, trusted or not");
    }

    /** A chain from a root the trust material lacks: captured as sent. */
    @Test
    void untrustedChain_isCaptured() {
        IssuedCertificate otherRoot = CertificateBuilder.root("Contract Other Root").build();
        IssuedCertificate otherCa = CertificateBuilder.intermediate("Contract Other CA").issuedBy(otherRoot).build();
        IssuedCertificate other = CertificateBuilder.leaf(HOST).issuedBy(otherCa).build();
        try (TlsServer server = TlsServer.builder().certificateChain(other, otherCa.certificate()).start()) {
            assertChainCaptured(probe(server.port()), server.port(), sent(other, otherCa.certificate()));
        }
    }

    /** An expired leaf: captured as sent. */
    @Test
    void expiredChain_isCaptured() {
        IssuedCertificate expired = CertificateBuilder.leaf(HOST).issuedBy(intermediate).expired().build();
        try (TlsServer server = TlsServer.builder().certificateChain(expired, intermediate.certificate()).start()) {
            assertChainCaptured(probe(server.port()), server.port(), sent(expired, intermediate.certificate()));
        }
    }

    // ---- the transport -----------------------------------------------------------------------

    /** Nothing listens: CONNECTION_REFUSED, a failure before TLS. */
    @Test
    void closedPort_isConnectionRefused() {
        int port = FakePeer.closedPort();
        ProbeOutcome.Failed failed = assertInstanceOf(ProbeOutcome.Failed.class, probe(port));
        assertEquals(FailureKind.CONNECTION_REFUSED, failed.failure().kind(), failed.failure()::toString);
        assertTrue(failed.failure().beforeTls());
        assertEquals(probe().name(), failed.seen().provider());
        assertTrue(failed.seen().peerChain().isEmpty());
    }

    /** A peer that accepts and never answers: HANDSHAKE_TIMEOUT within the deadline. */
    @Test
    void silentPeer_isHandshakeTimeout() {
        try (FakePeer peer = FakePeer.silent()) {
            Failure f = failed(probeBriefly(peer.port()), FailureKind.HANDSHAKE_TIMEOUT, peer.port());
            assertEquals(Optional.of("after ClientHello, before any answer"), f.stage());
        }
    }

    /** A peer that drips a valid-looking answer a byte every 100 ms: HANDSHAKE_TIMEOUT as well. */
    @Test
    void drippingPeer_isHandshakeTimeout() {
        try (FakePeer peer = FakePeer.drip(Duration.ofMillis(100))) {
            failed(probeBriefly(peer.port()), FailureKind.HANDSHAKE_TIMEOUT, peer.port());
        }
    }

    /** A reset right after the ClientHello: CONNECTION_RESET. */
    @Test
    void resetAfterClientHello_isConnectionReset() {
        try (FakePeer peer = FakePeer.resetAfterClientHello()) {
            Failure f = failed(probe(peer.port()), FailureKind.CONNECTION_RESET, peer.port());
            assertTrue(f.stage().orElse("").contains("ClientHello"), f::toString);
        }
    }

    /** A clean close (FIN, no alert) right after the ClientHello: CONNECTION_RESET. */
    @Test
    void closeAfterClientHello_isConnectionReset() {
        try (FakePeer peer = FakePeer.closeAfterClientHello()) {
            failed(probe(peer.port()), FailureKind.CONNECTION_RESET, peer.port());
        }
    }

    // ---- not TLS, broken TLS ---------------------------------------------------------------

    /** A plain HTTP server on the port: NOT_TLS, naming HTTP. */
    @Test
    void plainHttp_isNotTls_namingHttp() {
        try (FakePeer peer = FakePeer.http()) {
            Failure f = failed(probe(peer.port()), FailureKind.NOT_TLS, peer.port());
            assertEquals(Optional.of("HTTP"), f.peerProtocol());
            assertEquals("HTTP/", new String(f.firstBytes(), 0, 5, java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    /** 16 MB of random bytes (fixed seed): NOT_TLS, read within bounds. */
    @Test
    void garbage_isNotTls() {
        try (FakePeer peer = FakePeer.garbage(16L * 1024 * 1024, 42)) {
            failed(probe(peer.port()), FailureKind.NOT_TLS, peer.port());
        }
    }

    /** A handshake record that declares a 16 MB message: PROTOCOL_ERROR, nothing allocated for it. */
    @Test
    void sixteenMegabyteLength_isProtocolError() {
        try (FakePeer peer = FakePeer.hugeRecordLength()) {
            failed(probe(peer.port()), FailureKind.PROTOCOL_ERROR, peer.port());
        }
    }

    /** A fatal handshake_failure alert: ALERT_RECEIVED with the alert, received and fatal. */
    @Test
    void handshakeFailureAlert_isAlertReceived_withTheAlert() {
        try (FakePeer peer = FakePeer.alert(40)) {
            ProbeOutcome outcome = probe(peer.port());
            Failure f = failed(outcome, FailureKind.ALERT_RECEIVED, peer.port());
            Alert alert = f.alert().orElseThrow(() -> new AssertionError("no alert in " + f));
            assertEquals(40, alert.description());
            assertEquals("handshake_failure", alert.name());
            assertTrue(alert.received() && alert.fatal(), alert::toString);
            assertTrue(outcome.observation().orElseThrow().alerts().contains(alert),
                    () -> "the observation lists it: " + outcome.observation().orElseThrow().alerts());
        }
    }

    /** A fatal protocol_version alert: ALERT_RECEIVED with the alert. */
    @Test
    void protocolVersionAlert_isAlertReceived_withTheAlert() {
        try (FakePeer peer = FakePeer.alert(70)) {
            Failure f = failed(probe(peer.port()), FailureKind.ALERT_RECEIVED, peer.port());
            assertEquals("protocol_version", f.alert().orElseThrow().name());
        }
    }

    /** 100,000 close_notify warnings after the ClientHello: PROTOCOL_ERROR, not a wait for the deadline. */
    @Test
    void closeNotifyStorm_isProtocolError() {
        try (FakePeer peer = FakePeer.alertStorm(100_000)) {
            failed(probe(peer.port()), FailureKind.PROTOCOL_ERROR, peer.port());
        }
    }

    /** 100,000 unrecognized_name warnings: PROTOCOL_ERROR. */
    @Test
    void unrecognizedNameStorm_isProtocolError() {
        try (FakePeer peer = FakePeer.alertStorm(100_000, 112)) {
            failed(probe(peer.port()), FailureKind.PROTOCOL_ERROR, peer.port());
        }
    }

    /**
     * A 300 KB certificate over TLS 1.2: larger than either provider reads (JSSE 32 KB, Bouncy
     * Castle 256 KB), so a CERTIFICATE_REJECTED failure that carries the size the server announced,
     * for the size check. (Whether the chain itself is captured is up to the provider: JSSE's tap
     * reads it, Bouncy Castle does not.)
     */
    @Test
    void oversizedCertificate_isRejected_withTheAnnouncedSize() throws Exception {
        byte[] content = new byte[300 * 1024];
        byte[] der = new byte[content.length + 5];
        der[0] = 0x04; // OCTET STRING, long-form length on 3 bytes
        der[1] = (byte) 0x83;
        der[2] = (byte) (content.length >> 16);
        der[3] = (byte) (content.length >> 8);
        der[4] = (byte) content.length;
        IssuedCertificate big = CertificateBuilder.leaf(HOST).issuedBy(intermediate)
                .extension("1.3.6.1.4.1.55555.1", false, der).build();
        try (TlsServer server = TlsServer.builder().certificateChain(big, intermediate.certificate())
                .protocols("TLSv1.2").start()) {
            ProbeOutcome outcome = probe(server.port());
            failed(outcome, FailureKind.CERTIFICATE_REJECTED, server.port());
            // TLS 1.2 Certificate body: a 3-byte list length, then each certificate with its own.
            int expected = 3 + 3 + big.certificate().getEncoded().length + 3
                    + intermediate.certificate().getEncoded().length;
            assertEquals(expected, outcome.observation().orElseThrow().certificateMessageLength().orElse(-1));
        }
    }

    // ---- what is sent ------------------------------------------------------------------------

    /** A DNS name is sent in SNI, and the server gets it; an IP literal is not sent. */
    @Test
    void sni_isSentForADnsName_andNotForAnIpLiteral() throws InterruptedException {
        try (TlsServer server = TlsServer.builder().certificateChain(leaf, intermediate.certificate()).start()) {
            Observation byName = completed(probe(server.port()), server.port());
            assertEquals(Optional.of(HOST), byName.sniSent());
            Observation byIp = completed(probe(probe(), request(LOOPBACK, server.port(), BUDGET,
                    ClientOffer.providerDefaults())), server.port());
            assertEquals(Optional.empty(), byIp.sniSent());
            assertTrue(server.awaitFinishedConnections(2, HUNG));
            List<Optional<String>> names = server.completedHandshakes().stream()
                    .map(TlsServer.Handshake::serverName).sorted((a, b) -> a.orElse("").compareTo(b.orElse(""))).toList();
            assertEquals(List.of(Optional.empty(), Optional.of(HOST)), names, "what the server got");
        }
    }

    /**
     * Two probes are two full handshakes: a resumed handshake carries no Certificate message, so
     * a chain captured both times (TLS 1.2 and 1.3) proves no session was resumed, and each
     * probe sees the server as a fresh client would.
     */
    @Test
    void noSessionResumption_twoProbesAreTwoFullHandshakes() throws InterruptedException {
        for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
            try (TlsServer server = TlsServer.builder().certificateChain(leaf, intermediate.certificate())
                    .protocols(protocol).start()) {
                HandshakeProbe shared = probe();
                for (int i = 0; i < 2; i++) {
                    Observation seen = completed(probe(shared, request(HOST, server.port(), BUDGET,
                            ClientOffer.providerDefaults())), server.port());
                    assertEquals(sent(leaf, intermediate.certificate()), seen.peerChain(),
                            protocol + " probe " + (i + 1) + " saw the Certificate message");
                }
                assertTrue(server.awaitFinishedConnections(2, HUNG));
                assertEquals(2, server.handshakes(), protocol);
            }
        }
    }

    /** Eight concurrent probes on one provider instance: each completes with its own whole observation. */
    @Test
    void concurrentProbes_onOneInstance_allComplete() throws Exception {
        int n = 8;
        HandshakeProbe shared = probe();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        // The server serves all n at once, so the probes really overlap.
        try (TlsServer server = TlsServer.builder().certificateChain(leaf, intermediate.certificate())
                .maxConcurrentConnections(n).start()) {
            List<Future<ProbeOutcome>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ProbeRequest request = request(HOST, server.port(), Duration.ofSeconds(20), ClientOffer.providerDefaults());
                results.add(pool.submit(() -> shared.probe(request)));
            }
            for (Future<ProbeOutcome> result : results) {
                Observation seen = completed(result.get(HUNG.toSeconds(), TimeUnit.SECONDS), server.port());
                assertEquals(Optional.of(TlsVersion.TLS_1_3), seen.version());
                assertEquals(sent(leaf, intermediate.certificate()), seen.peerChain());
                assertEquals(Optional.of(HOST), seen.sniSent());
            }
            assertTrue(server.awaitFinishedConnections(n, HUNG));
            assertEquals(n, server.handshakes());
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(HUNG.toSeconds(), TimeUnit.SECONDS));
        }
    }
}
