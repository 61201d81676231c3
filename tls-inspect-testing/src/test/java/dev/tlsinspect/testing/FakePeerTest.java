package dev.tlsinspect.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLProtocolException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FakePeerTest {

    private static final String HTTP_400 = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
            + "Connection: close\r\n\r\nThis is a plain HTTP server\n";

    private static SSLContext client;

    @BeforeAll
    static void client() throws Exception {
        client = TestClients.trusting(CertificateBuilder.root("Peer Test Root").build().certificate());
    }

    @Test
    void clientHelloFixture_isWellFormed() {
        assertEquals(50, TestClients.CLIENT_HELLO.length);
        assertEquals(45, TestClients.CLIENT_HELLO[4]);
        assertEquals(41, TestClients.CLIENT_HELLO[8]);
    }

    @Test
    void http_answersClientHelloAndRequestWith400() throws Exception {
        try (FakePeer peer = FakePeer.http()) {
            try (Socket socket = connect(peer)) {
                send(socket, TestClients.CLIENT_HELLO);
                assertEquals(HTTP_400, new String(TestClients.readAll(socket.getInputStream()), StandardCharsets.US_ASCII));
            }
            try (Socket socket = connect(peer)) {
                send(socket, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals(HTTP_400, new String(TestClients.readAll(socket.getInputStream()), StandardCharsets.US_ASCII));
            }
            SSLException e = handshakeFailure(peer, 5_000);
            assertEquals("Unsupported or unrecognized SSL message", e.getMessage());
            assertTrue(peer.connections() >= 2, "connections " + peer.connections());
            assertTrue(peer.bytesReceived() >= TestClients.CLIENT_HELLO.length + 35, "received " + peer.bytesReceived());
        }
    }

    @Test
    void banner_isSentBeforeTheClientSpeaks() throws Exception {
        String ssh = "SSH-2.0-OpenSSH_9.2p1\r\n";
        try (FakePeer peer = FakePeer.banner(ssh); Socket socket = connect(peer)) {
            byte[] banner = TestClients.readExactly(socket, ssh.length());

            assertEquals(ssh, new String(banner, StandardCharsets.US_ASCII));
        }
        try (FakePeer smtp = FakePeer.banner("220 mail.example ESMTP Postfix\r\n")) {
            SSLException e = handshakeFailure(smtp, 5_000);
            assertEquals("Unsupported or unrecognized SSL message", e.getMessage());
        }
    }

    @Test
    void garbage_streamsExactlyTheSeededBytes() throws Exception {
        int total = 1 << 20;
        long seed = 12345;
        try (FakePeer peer = FakePeer.garbage(total, seed); Socket socket = connect(peer)) {
            send(socket, TestClients.CLIENT_HELLO);
            byte[] received = TestClients.readAll(socket.getInputStream());

            assertEquals(total, received.length);
            assertArrayEquals(expectedGarbage(total, seed), received);
            assertEquals(total, peer.bytesSent());
        }
    }

    @Test
    void garbage_stopsWhenClientDisconnects_andHandshakeFailsWithSslException() throws Exception {
        long total = 10L << 30; // 10 GiB: must never be buffered, and must stop early
        FakePeer peer = FakePeer.garbage(total);
        int port = peer.port();
        try (peer) {
            try (Socket socket = connect(peer)) {
                send(socket, TestClients.CLIENT_HELLO);
                byte[] some = TestClients.readExactly(socket, 100_000);
                assertEquals(100_000, some.length);
            }
            assertInstanceOf(SSLException.class, handshakeFailure(peer, 5_000));
        }
        // After close: the kit's threads for this port are gone.
        assertEquals(List.of(), TestClients.kitThreads(port));
        assertTrue(peer.bytesSent() < total, "sent " + peer.bytesSent());
    }

    @Test
    void hugeRecordLength_declaresSixteenMegabyteHandshakeMessage() throws Exception {
        try (FakePeer peer = FakePeer.hugeRecordLength()) {
            try (Socket socket = connect(peer)) {
                send(socket, TestClients.CLIENT_HELLO);
                assertArrayEquals(bytes(0x16, 0x03, 0x03, 0x40, 0x00, 0x02, 0xFF, 0xFF, 0xFF),
                        TestClients.readExactly(socket, 9));
            }
            SSLException e = handshakeFailure(peer, 5_000);
            assertInstanceOf(SSLProtocolException.class, e);
            assertTrue(e.getMessage().contains("(16777215) exceeds the maximum allowed size"), e.getMessage());
        }
    }

    @Test
    void silent_makesReadsTimeOut() throws Exception {
        try (FakePeer peer = FakePeer.silent()) {
            try (Socket socket = connect(peer)) {
                socket.setSoTimeout(300);
                send(socket, TestClients.CLIENT_HELLO);
                SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
                assertEquals("Read timed out", e.getMessage());
            }
            try (SSLSocket socket = TestClients.open(client, peer.host(), peer.port(), "localhost", 300)) {
                SocketTimeoutException e = assertThrows(SocketTimeoutException.class, socket::startHandshake);
                assertEquals("Read timed out", e.getMessage());
            }
        }
    }

    @Test
    void drip_sendsPlausibleRecordsOneByteAtATime() throws Exception {
        try (FakePeer peer = FakePeer.drip(Duration.ofMillis(1)); Socket socket = connect(peer)) {
            send(socket, TestClients.CLIENT_HELLO);
            byte[] first = TestClients.readExactly(socket, 74);

            // Record header, then a ServerHello declaring 28,668 bytes, legacy version TLS 1.2.
            assertArrayEquals(bytes(0x16, 0x03, 0x03, 0x00, 0x40, 0x02, 0x00, 0x6F, 0xFC, 0x03, 0x03),
                    java.util.Arrays.copyOfRange(first, 0, 11));
            // The second record starts right after the first 64-byte body.
            assertArrayEquals(bytes(0x16, 0x03, 0x03, 0x00, 0x40), java.util.Arrays.copyOfRange(first, 69, 74));
        }
    }

    @Test
    void resetAfterClientHello_givesConnectionReset() throws Exception {
        try (FakePeer peer = FakePeer.resetAfterClientHello()) {
            try (Socket socket = connect(peer)) {
                send(socket, TestClients.CLIENT_HELLO);
                SocketException e = assertThrows(SocketException.class, () -> socket.getInputStream().read());
                assertEquals("Connection reset", e.getMessage());
            }
            try (SSLSocket socket = TestClients.open(client, peer.host(), peer.port(), "localhost", 5_000)) {
                IOException e = assertThrows(IOException.class, socket::startHandshake);
                String messages = e + " " + e.getCause();
                assertTrue(messages.contains("Connection reset"), messages);
            }
        }
    }

    @Test
    void closeAfterClientHello_givesCleanEndOfStream() throws Exception {
        try (FakePeer peer = FakePeer.closeAfterClientHello()) {
            try (Socket socket = connect(peer)) {
                send(socket, TestClients.CLIENT_HELLO);
                assertEquals(-1, socket.getInputStream().read());
            }
            SSLException e = handshakeFailure(peer, 5_000);
            assertInstanceOf(SSLHandshakeException.class, e);
            assertEquals("Remote host terminated the handshake", e.getMessage());
        }
    }

    @Test
    void alert_sendsFatalAlertRecord() throws Exception {
        try (FakePeer peer = FakePeer.alert(40)) {
            try (Socket socket = connect(peer)) {
                send(socket, TestClients.CLIENT_HELLO);
                assertArrayEquals(bytes(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 40),
                        TestClients.readAll(socket.getInputStream()));
            }
            SSLException e = handshakeFailure(peer, 5_000);
            // JDK 21 and later prefix the alert name: "(handshake_failure) Received fatal alert: ...".
            assertTrue(e.getMessage().endsWith("Received fatal alert: handshake_failure"), e.getMessage());
        }
        try (FakePeer peer = FakePeer.alert(70)) {
            String message = handshakeFailure(peer, 5_000).getMessage();
            assertTrue(message.endsWith("Received fatal alert: protocol_version"), message);
        }
    }

    @Test
    void closedPort_refusesConnections() throws Exception {
        int port = FakePeer.closedPort();
        try (Socket socket = new Socket()) {
            ConnectException e = assertThrows(ConnectException.class,
                    () -> socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000));
            assertTrue(e.getMessage().startsWith("Connection refused"), e.getMessage());
        }
    }

    @Test
    void unresponsiveConnect_makesConnectTimeOut() throws Exception {
        try (FakePeer peer = FakePeer.unresponsiveConnect(); Socket socket = new Socket()) {
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                    () -> socket.connect(peer.address(), 1_000));
            assertEquals("Connect timed out", e.getMessage());
            assertEquals(0, peer.connections());
        }
    }

    @Test
    void close_stopsEveryThreadAndConnection() throws Exception {
        List<Supplier<FakePeer>> kinds = List.of(FakePeer::http, () -> FakePeer.banner("220 x\r\n"),
                () -> FakePeer.garbage(Long.MAX_VALUE), FakePeer::hugeRecordLength, FakePeer::silent,
                () -> FakePeer.drip(Duration.ofSeconds(1)), FakePeer::resetAfterClientHello,
                FakePeer::closeAfterClientHello, () -> FakePeer.alert(40), FakePeer::unresponsiveConnect);
        for (Supplier<FakePeer> kind : kinds) {
            FakePeer peer = kind.get();
            int port = peer.port();
            try (Socket socket = new Socket()) {
                socket.setSoTimeout(5_000);
                try {
                    socket.connect(peer.address(), 300);
                    send(socket, TestClients.CLIENT_HELLO);
                } catch (SocketTimeoutException unresponsive) {
                    // expected for unresponsiveConnect only
                }
                peer.close();

                assertEquals(List.of(), TestClients.kitThreads(port), peer.toString());
                if (socket.isConnected()) {
                    assertEndsPromptly(socket.getInputStream());
                }
                try (Socket again = new Socket()) {
                    assertThrows(ConnectException.class, () -> again.connect(peer.address(), 1_000), peer.toString());
                }
            }
        }
    }

    /** Reading after the peer closed ends in end-of-stream or a reset, never a timeout. */
    private static void assertEndsPromptly(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        try {
            while (in.read(buffer) >= 0) {
                // drain what was sent before the close
            }
        } catch (SocketException reset) {
            assertEquals("Connection reset", reset.getMessage());
        }
    }

    private static SSLException handshakeFailure(FakePeer peer, int soTimeoutMillis) throws IOException {
        try (SSLSocket socket = TestClients.open(client, peer.host(), peer.port(), "localhost", soTimeoutMillis)) {
            return assertThrows(SSLException.class, socket::startHandshake);
        }
    }

    private static Socket connect(FakePeer peer) throws IOException {
        Socket socket = new Socket();
        socket.connect(peer.address(), 5_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static void send(Socket socket, byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    private static byte[] expectedGarbage(int total, long seed) {
        Random random = new Random(seed);
        byte[] all = new byte[total];
        byte[] chunk = new byte[64 * 1024];
        for (int at = 0; at < total; at += chunk.length) {
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, all, at, Math.min(chunk.length, total - at));
        }
        return all;
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
