package dev.tlsinspect.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPrivateKey;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;

/**
 * Scripted loopback peers with the server-side flaws of 2014-2018 that no TLS stack on a current
 * machine will reproduce, for testing the active vulnerability probes: a Heartbleed-vulnerable
 * heartbeat responder, a server that accepts an early ChangeCipherSpec (CCS injection), and an
 * RSA padding oracle (ROBOT). Each speaks just enough TLS 1.2 (a ServerHello, for ROBOT a
 * Certificate, and ServerHelloDone) for a client to send the message under test, and answers it
 * the way the flawed servers did. The "leaked memory" of {@link #heartbleed()} is filler bytes.
 *
 * <pre>{@code
 * try (VulnerablePeer peer = VulnerablePeer.heartbleed()) {
 *     Report r = inspector.inspect(Target.of("127.0.0.1", peer.port()), withActiveProbes);
 * }
 * }</pre>
 *
 * <p>Every peer listens on {@code 127.0.0.1} and an ephemeral port, reads at most 18 KB per record
 * with a 2 s timeout, serves each connection on its own daemon thread and, on {@link #close()},
 * closes every socket and joins its threads.
 *
 * @since 0.1.0
 */
public final class VulnerablePeer implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final int READ_TIMEOUT_MILLIS = 2_000;
    private static final int MAX_RECORD = 18_432;
    private static final int ALERT_BAD_RECORD_MAC = 20;
    private static final int ALERT_HANDSHAKE_FAILURE = 40;

    @FunctionalInterface
    private interface Behaviour {
        void serve(VulnerablePeer peer, Socket socket, InputStream in, OutputStream out) throws IOException;
    }

    private final String kind;
    private final Behaviour behaviour;
    private final PeerListener listener;

    private VulnerablePeer(String kind, Behaviour behaviour) {
        this.kind = kind;
        this.behaviour = behaviour;
        this.listener = new PeerListener(HOST, "tls-inspect-vulnerable-" + kind,
                socket -> behaviour.serve(this, socket, socket.getInputStream(), socket.getOutputStream()));
    }

    /**
     * A server that negotiates the heartbeat extension and answers a HeartbeatRequest with as many
     * bytes as its {@code payload_length} claims (up to 16 KB), whatever was sent: Heartbleed,
     * CVE-2014-0160. The bytes returned are filler, not memory.
     *
     * @return the running peer
     * @since 0.1.0
     */
    public static VulnerablePeer heartbleed() {
        return new VulnerablePeer("heartbleed", (peer, socket, in, out) -> {
            readRecord(socket, in);
            peer.send(out, concat(serverHello(0xC02F, true), serverHelloDone()));
            while (!peer.listener.closed()) {
                byte[] r = readRecord(socket, in);
                if (r.length >= 8 && r[0] == 24 && r[5] == 1) {
                    int claimed = Math.min(((r[6] & 0xFF) << 8) | (r[7] & 0xFF), 16384);
                    byte[] body = new byte[3 + claimed + 16];
                    body[0] = 2; // heartbeat_response
                    body[1] = (byte) (claimed >> 8);
                    body[2] = (byte) claimed;
                    Arrays.fill(body, 3, body.length, (byte) 'L');
                    peer.send(out, record(24, body));
                } else if (r.length == 0) {
                    return;
                }
            }
        });
    }

    /**
     * A server that negotiates the heartbeat extension and, as RFC 6520 §4 requires, silently
     * discards a HeartbeatRequest whose {@code payload_length} is larger than what came: the
     * patched behaviour, for the negative case of the probe's slow path.
     *
     * @return the running peer
     * @since 0.1.0
     */
    public static VulnerablePeer heartbeatPatched() {
        return new VulnerablePeer("heartbeat-patched", (peer, socket, in, out) -> {
            readRecord(socket, in);
            peer.send(out, concat(serverHello(0xC02F, true), serverHelloDone()));
            while (!peer.listener.closed() && readRecord(socket, in).length > 0) {
                // discard everything, answer nothing
            }
        });
    }

    /**
     * A server that accepts a ChangeCipherSpec before the key exchange and then, having switched
     * to keys it derived from nothing, fails to decrypt the next record with {@code bad_record_mac}:
     * CCS injection, CVE-2014-0224.
     *
     * @return the running peer
     * @since 0.1.0
     */
    public static VulnerablePeer earlyCcs() {
        return new VulnerablePeer("early-ccs", (peer, socket, in, out) -> {
            readRecord(socket, in);
            peer.send(out, concat(serverHello(0xC02F, false), serverHelloDone()));
            byte[] r = readRecord(socket, in);
            if (r.length > 0 && r[0] == 20) {
                if (readRecord(socket, in).length > 0) {
                    peer.send(out, alert(ALERT_BAD_RECORD_MAC));
                }
            } else if (r.length > 0) {
                peer.send(out, alert(10)); // unexpected_message for anything else
            }
        });
    }

    /**
     * A TLS 1.2 server with RSA key exchange ({@code TLS_RSA_WITH_AES_128_CBC_SHA}) that answers
     * a ClientKeyExchange whose PKCS #1 v1.5 padding is wrong with {@code handshake_failure} at
     * once, and one whose padding is right with {@code bad_record_mac} after the Finished: a
     * Bleichenbacher oracle (ROBOT). It does not check the version inside the premaster secret.
     *
     * @param leaf an RSA leaf certificate and its key, sent as the server's certificate
     * @return the running peer
     * @throws IllegalArgumentException when the leaf's key is not RSA
     * @since 0.1.0
     */
    public static VulnerablePeer paddingOracle(IssuedCertificate leaf) {
        Objects.requireNonNull(leaf, "leaf");
        if (!(leaf.keyPair().getPrivate() instanceof RSAPrivateKey key)) {
            throw new IllegalArgumentException("the padding oracle needs an RSA leaf");
        }
        byte[] der;
        try {
            der = leaf.certificate().getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode the leaf", e);
        }
        byte[] flight = concat(serverHello(0x002F, false), certificate(der), serverHelloDone());
        return new VulnerablePeer("padding-oracle", (peer, socket, in, out) -> {
            readRecord(socket, in);
            peer.send(out, flight);
            byte[] r = readRecord(socket, in);
            if (r.length < 11 || r[0] != 22 || r[5] != 16) {
                return;
            }
            int length = ((r[9] & 0xFF) << 8) | (r[10] & 0xFF);
            if (length > r.length - 11) {
                return;
            }
            if (!paddingValid(key, Arrays.copyOfRange(r, 11, 11 + length))) {
                peer.send(out, alert(ALERT_HANDSHAKE_FAILURE));
                return;
            }
            readRecord(socket, in); // ChangeCipherSpec
            readRecord(socket, in); // Finished
            peer.send(out, alert(ALERT_BAD_RECORD_MAC));
        });
    }

    /**
     * The port the peer listens on, on {@code 127.0.0.1}.
     *
     * @return the port
     * @since 0.1.0
     */
    public int port() {
        return listener.port();
    }

    /**
     * The address the peer listens on: {@code 127.0.0.1}.
     *
     * @return the address
     * @since 0.1.0
     */
    public String host() {
        return HOST;
    }

    /**
     * Connections accepted so far.
     *
     * @return the count
     * @since 0.1.0
     */
    public int connections() {
        return listener.connections();
    }

    /**
     * Stops listening, closes every connection and waits (up to 5 s) for the peer's threads.
     *
     * @since 0.1.0
     */
    @Override
    public void close() {
        listener.close();
    }

    @Override
    public String toString() {
        return "VulnerablePeer[" + kind + " on " + HOST + ":" + port() + "]";
    }

    private void send(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    private static boolean paddingValid(RSAPrivateKey key, byte[] encrypted) {
        byte[] m;
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/NoPadding");
            rsa.init(Cipher.DECRYPT_MODE, key);
            m = rsa.doFinal(encrypted);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
        int k = (key.getModulus().bitLength() + 7) / 8;
        if (m.length < k) { // leading zeros dropped
            byte[] padded = new byte[k];
            System.arraycopy(m, 0, padded, k - m.length, m.length);
            m = padded;
        }
        if (m[0] != 0 || m[1] != 2) {
            return false;
        }
        int zero = -1;
        for (int i = 2; i < m.length; i++) {
            if (m[i] == 0) {
                zero = i;
                break;
            }
        }
        return zero >= 10 && m.length - zero - 1 == 48;
    }

    /** One record, header included; empty at end of stream or after 2 s of silence. */
    private static byte[] readRecord(Socket socket, InputStream in) throws IOException {
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        try {
            byte[] header = in.readNBytes(5);
            if (header.length < 5) {
                return new byte[0];
            }
            int length = Math.min(((header[3] & 0xFF) << 8) | (header[4] & 0xFF), MAX_RECORD);
            return concat(header, in.readNBytes(length));
        } catch (SocketTimeoutException e) {
            return new byte[0];
        }
    }

    private static byte[] serverHello(int suite, boolean heartbeat) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(3);
        body.write(3);
        for (int i = 0; i < 32; i++) {
            body.write(0x5A ^ i);
        }
        body.write(0); // no session id
        body.write(suite >> 8);
        body.write(suite);
        body.write(0); // null compression
        byte[] ext = heartbeat ? new byte[] {0, 15, 0, 1, 1} : new byte[] {(byte) 0xFF, 1, 0, 1, 0};
        body.write(0);
        body.write(ext.length);
        body.writeBytes(ext);
        return record(22, handshake(2, body.toByteArray()));
    }

    private static byte[] certificate(byte[] der) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u24(body, der.length + 3);
        u24(body, der.length);
        body.writeBytes(der);
        return record(22, handshake(11, body.toByteArray()));
    }

    private static byte[] serverHelloDone() {
        return record(22, handshake(14, new byte[0]));
    }

    private static byte[] alert(int description) {
        return record(21, new byte[] {2, (byte) description});
    }

    private static byte[] handshake(int type, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        u24(out, body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] record(int type, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.write(3);
        out.write(3);
        out.write(body.length >> 8);
        out.write(body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static void u24(ByteArrayOutputStream out, int v) {
        out.write(v >> 16);
        out.write(v >> 8);
        out.write(v);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

}
