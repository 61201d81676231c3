package dev.tlsinspect.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TlsServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static IssuedCertificate root;
    private static IssuedCertificate intermediate;
    private static IssuedCertificate leaf;

    @BeforeAll
    static void certificates() {
        root = CertificateBuilder.root("Server Test Root").build();
        intermediate = CertificateBuilder.intermediate("Server Test Intermediate").issuedBy(root).build();
        leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();
    }

    @Test
    void handshake_withJsseClientTrustingRoot_andHttpResponse() throws Exception {
        try (TlsServer server = TlsServer.builder().certificate(leaf).start();
                SSLSocket socket = TestClients.open(TestClients.trusting(root.certificate()),
                        server.host(), server.port(), "localhost", 5_000)) {
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(TestClients.readAll(socket.getInputStream()), StandardCharsets.US_ASCII);

            assertEquals("TLSv1.3", socket.getSession().getProtocol());
            assertEquals(List.of(leaf.certificate(), intermediate.certificate()),
                    List.of(socket.getSession().getPeerCertificates()));
            assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
            assertTrue(response.contains("\r\nConnection: close\r\n"), response);
            assertTrue(server.awaitFinishedConnections(1, WAIT));
            assertEquals(1, server.connections());
            assertEquals(1, server.handshakes());
            assertEquals(List.of(), server.serverErrors());
            TlsServer.Handshake seen = server.completedHandshakes().get(0);
            assertEquals("TLSv1.3", seen.protocol());
            assertEquals(socket.getSession().getCipherSuite(), seen.cipherSuite());
            assertEquals(Optional.of("localhost"), seen.serverName());
            assertEquals("", seen.applicationProtocol());
            assertEquals(List.of(), seen.clientCertificates());
            assertEquals("127.0.0.1", server.address().getAddress().getHostAddress());
        }
    }

    @Test
    void sentChain_isExactlyAsGiven_evenReversed() throws Exception {
        TestClients.CapturingTrustManager capture = new TestClients.CapturingTrustManager();
        SSLContext client = TestClients.context(null, capture);
        try (TlsServer server = TlsServer.builder()
                .certificateChain(leaf, root.certificate(), intermediate.certificate()).start()) {
            try (SSLSocket socket = TestClients.open(client, server.host(), server.port(), "localhost", 5_000)) {
                socket.startHandshake();
            }
            assertEquals(List.of(List.of(leaf.certificate(), root.certificate(), intermediate.certificate())),
                    capture.chains);
            assertEquals(List.of(leaf.certificate(), root.certificate(), intermediate.certificate()),
                    server.sentChain());
        }
    }

    @Test
    void incompleteChain_failsPkixOnClient_andServerRecordsTheAlert() throws Exception {
        try (TlsServer server = TlsServer.builder().certificateChain(leaf).start();
                SSLSocket socket = TestClients.open(TestClients.trusting(root.certificate()),
                        server.host(), server.port(), "localhost", 5_000)) {
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class, socket::startHandshake);

            assertTrue(e.getMessage().contains("PKIX path building failed"), e.getMessage());
            assertTrue(server.awaitFinishedConnections(1, WAIT));
            assertEquals(0, server.handshakes());
            assertEquals(1, server.serverErrors().size());
            // The client's alert, or a reset when the client closes with server data unread.
            assertInstanceOf(java.io.IOException.class, server.serverErrors().get(0));
        }
    }

    @Test
    void weakCertificate_isStillServed() throws Exception {
        IssuedCertificate md5 = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
                .signatureAlgorithm("MD5withRSA").build();
        TestClients.CapturingTrustManager capture = new TestClients.CapturingTrustManager();
        try (TlsServer server = TlsServer.builder().certificate(md5).start();
                SSLSocket socket = TestClients.open(TestClients.context(null, capture),
                        server.host(), server.port(), "localhost", 5_000)) {
            socket.startHandshake();

            assertEquals("MD5withRSA", capture.chains.get(0).get(0).getSigAlgName());
        }
    }

    @Test
    void ecdsaChain_tls12_negotiatesEcdsaSuite() throws Exception {
        IssuedCertificate ecRoot = CertificateBuilder.root("EC Server Root").ec("secp384r1").build();
        IssuedCertificate ecLeaf = CertificateBuilder.leaf("localhost").issuedBy(ecRoot).ec("secp256r1").build();
        try (TlsServer server = TlsServer.builder().certificate(ecLeaf).protocols("TLSv1.2").start();
                SSLSocket socket = TestClients.open(TestClients.trusting(ecRoot.certificate()),
                        server.host(), server.port(), "localhost", 5_000)) {
            socket.startHandshake();

            assertTrue(socket.getSession().getCipherSuite().startsWith("TLS_ECDHE_ECDSA_"),
                    socket.getSession().getCipherSuite());
            assertEquals(List.of(ecLeaf.certificate()), List.of(socket.getSession().getPeerCertificates()));
        }
    }

    @Test
    void tls12_withAlpn() throws Exception {
        try (TlsServer server = TlsServer.builder().certificate(leaf)
                .protocols("TLSv1.2").applicationProtocols("h2", "http/1.1").start();
                SSLSocket socket = TestClients.open(TestClients.trusting(root.certificate()),
                        server.host(), server.port(), "localhost", 5_000)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();

            assertEquals("TLSv1.2", socket.getSession().getProtocol());
            assertEquals("http/1.1", socket.getApplicationProtocol());
            assertTrue(server.awaitFinishedConnections(1, WAIT));
            assertEquals("http/1.1", server.completedHandshakes().get(0).applicationProtocol());
            assertEquals("TLSv1.2", server.completedHandshakes().get(0).protocol());
        }
    }

    @Test
    void clientAuthNeed_acceptsTrustedClient_rejectsClientWithoutCertificate() throws Exception {
        IssuedCertificate clientRoot = CertificateBuilder.root("Client Root").freshKey().build();
        IssuedCertificate client = CertificateBuilder.leaf("client-1").issuedBy(clientRoot)
                .extendedKeyUsage(KeyPurpose.CLIENT_AUTH).build();
        try (TlsServer server = TlsServer.builder().certificate(leaf)
                .protocols("TLSv1.2")
                .clientAuth(TlsServer.ClientAuth.NEED).trustedClientCas(clientRoot.certificate()).start()) {
            SSLContext withCertificate = TestClients.withClientCertificate(client, root.certificate());
            try (SSLSocket socket = TestClients.open(withCertificate, server.host(), server.port(), "localhost", 5_000)) {
                socket.startHandshake();
            }
            SSLContext without = TestClients.trusting(root.certificate());
            try (SSLSocket socket = TestClients.open(without, server.host(), server.port(), "localhost", 5_000)) {
                assertThrows(SSLHandshakeException.class, socket::startHandshake);
            }

            assertTrue(server.awaitFinishedConnections(2, WAIT));
            assertEquals(1, server.handshakes());
            List<X509Certificate> presented = server.completedHandshakes().get(0).clientCertificates();
            assertEquals(client.certificate(), presented.get(0));
            assertEquals(1, server.serverErrors().size());
        }
    }

    @Test
    void close_stopsAllServerThreads_evenWithIdleClientConnected() throws Exception {
        TlsServer server = TlsServer.builder().certificate(leaf).start();
        int port = server.port();
        try (Socket idle = new Socket(server.host(), port)) {
            idle.setSoTimeout(2_000);
            // Wait until the connection is accepted and a worker is in the handshake with it.
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (server.connections() < 1 && System.nanoTime() - deadline < 0) {
                Thread.sleep(5);
            }
            assertEquals(1, server.connections());
            assertTrue(TestClients.kitThreads(port).size() >= 1);
            server.close();

            assertEquals(List.of(), TestClients.kitThreads(port));
            // The server closed its end: the idle client sees end of stream.
            assertEquals(-1, idle.getInputStream().read());
        }
        server.close(); // idempotent
    }

    @Test
    void misuse_isRejected() {
        assertThrows(IllegalStateException.class, () -> TlsServer.builder().start());
        assertThrows(IllegalArgumentException.class,
                () -> TlsServer.builder().certificate(leaf).protocols("TLSv9").start());
        assertThrows(IllegalArgumentException.class,
                () -> TlsServer.builder().certificate(leaf).cipherSuites("TLS_NOT_A_SUITE").start());
        assertThrows(IllegalArgumentException.class, () -> TlsServer.builder().protocols());
    }
}
