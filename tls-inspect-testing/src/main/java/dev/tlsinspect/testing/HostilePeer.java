package dev.tlsinspect.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback peer that tries to exhaust the client rather than to confuse it: endless streams of
 * small, valid-looking TLS records or alerts, one handshake message in endless fragments, a 16 MB
 * length, a 1 MB certificate, 10,000 certificates, a record every 100 ms forever, and floods
 * during the STARTTLS exchange and the proxy's answer to CONNECT. Each streams at loopback speed
 * from a buffer it reuses, so the peer itself holds no more than a few kilobytes, until the
 * client goes away or the peer is closed. A careful client stops each of them within its own
 * limits and deadline, with a typed answer.
 *
 * <pre>{@code
 * try (HostilePeer peer = HostilePeer.endlessRecords()) {
 *     Report r = inspector.inspect(Target.of("127.0.0.1", peer.port()));
 * }
 * }</pre>
 *
 * <p>Every peer listens on {@code 127.0.0.1} and an ephemeral port, serves each connection on its
 * own daemon thread and, on {@link #close()}, closes every socket and joins its threads.
 *
 * @since 0.1.0
 */
public final class HostilePeer implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final int CLIENT_HELLO_TIMEOUT_MILLIS = 2_000;
    /** A TLS 1.2 ServerHello for TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, no extensions. */
    private static final byte[] SERVER_HELLO = serverHello(0xC02F);

    @FunctionalInterface
    private interface Behaviour {
        void serve(HostilePeer peer, Socket socket, InputStream in, OutputStream out)
                throws IOException, InterruptedException;
    }

    private final String kind;
    private final Behaviour behaviour;
    private final PeerListener listener;
    private final AtomicLong bytesSent = new AtomicLong();

    private HostilePeer(String kind, Behaviour behaviour) {
        this.kind = kind;
        this.behaviour = behaviour;
        this.listener = new PeerListener(HOST, "tls-inspect-hostile-" + kind,
                socket -> behaviour.serve(this, socket, socket.getInputStream(), socket.getOutputStream()));
    }

    /**
     * After a valid TLS 1.2 ServerHello, an endless stream of 9-byte handshake records, each a
     * HelloRequest (which clients are told to ignore during a handshake).
     *
     * @return the running peer
     * @since 0.1.0
     */
    public static HostilePeer endlessRecords() {
        byte[] record = {0x16, 0x03, 0x03, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00};
        return new HostilePeer("endless-records", (peer, socket, in, out) -> {
            readClientHello(socket, in);
            peer.send(out, SERVER_HELLO);
            peer.forever(out, repeat(record, 64 * 1024), Duration.ZERO);
        });
    }

    /**
     * An endless stream of alert records, each holding 8,192 warning {@code unrecognized_name}
     * alerts (the largest record TLS allows), from the first byte of the answer.
     *
     * @return the running peer
     * @since 0.1.0
     */
    public static HostilePeer endlessAlerts() {
        byte[] record = new byte[5 + 16384];
        record[0] = 0x15;
        record[1] = 0x03;
        record[2] = 0x03;
        record[3] = 0x40;
        record[4] = 0x00;
        for (int i = 5; i < record.length; i += 2) {
            record[i] = 0x01;
            record[i + 1] = 112;
        }
        return new HostilePeer("endless-alerts", (peer, socket, in, out) -> {
            readClientHello(socket, in);
            peer.forever(out, repeat(record, 4), Duration.ZERO);
        });
    }

    /**
     * A ServerHello that announces 30,000 bytes (under JSSE's 32 KB limit) and then comes in
     * one-byte handshake records, endlessly: the message never ends as far as the client can
     * count records.
     *
     * @return the running peer
     * @since 0.1.0
     */
    public static HostilePeer endlessFragments() {
        byte[] head = {0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0x00, 0x75, 0x30};
        byte[] fragment = {0x16, 0x03, 0x03, 0x00, 0x01, 0x03};
        return new HostilePeer("endless-fragments", (peer, socket, in, out) -> {
            readClientHello(socket, in);
            peer.send(out, head);
            peer.forever(out, repeat(fragment, 8 * 1024), Duration.ZERO);
        });
    }

    /**
     * A valid ServerHello, then a ServerKeyExchange that announces 16 MB ({@code 0C FF FF FF}),
     * then zero-filled maximum records at full speed, endlessly. (A 16 MB ServerHello is
     * {@link FakePeer#hugeRecordLength()}.)
     *
     * @return the running peer
     * @since 0.1.0
     */
    public static HostilePeer hugeLength() {
        byte[] head = {0x16, 0x03, 0x03, 0x40, 0x00, 0x0C, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        byte[] record = new byte[5 + 16384];
        record[0] = 0x16;
        record[1] = 0x03;
        record[2] = 0x03;
        record[3] = 0x40;
        return new HostilePeer("huge-length", (peer, socket, in, out) -> {
            readClientHello(socket, in);
            peer.send(out, SERVER_HELLO);
            peer.send(out, head);
            peer.send(out, new byte[16384 - 4]);
            peer.forever(out, repeat(record, 4), Duration.ZERO);
        });
    }

    /**
     * A valid ServerHello, then a Certificate message holding one 1 MB "certificate" (a DER
     * SEQUENCE of zeros), in maximum-size records.
     *
     * @return the running peer
     * @since 0.1.0
     */
    public static HostilePeer largeCertificate() {
        return new HostilePeer("large-certificate", (peer, socket, in, out) -> {
            readClientHello(socket, in);
            peer.send(out, SERVER_HELLO);
            peer.certificates(socket, out, 1, 1 << 20);
        });
    }

    /**
     * A valid ServerHello, then a Certificate message listing 10,000 small "certificates" (each a
     * 300-byte DER SEQUENCE of zeros): a 3 MB message.
     *
     * @return the running peer
     * @since 0.1.0
     */
    public static HostilePeer manyCertificates() {
        return new HostilePeer("many-certificates", (peer, socket, in, out) -> {
            readClientHello(socket, in);
            peer.send(out, SERVER_HELLO);
            peer.certificates(socket, out, 10_000, 300);
        });
    }

    /**
     * A valid ServerHello, then one HelloRequest record every {@code interval}, forever: never
     * silent long enough for a read timeout.
     *
     * @param interval the pause between records; positive
     * @return the running peer
     * @since 0.1.0
     */
    public static HostilePeer slowRecords(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        byte[] record = {0x16, 0x03, 0x03, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00};
        return new HostilePeer("slow-records", (peer, socket, in, out) -> {
            readClientHello(socket, in);
            peer.send(out, SERVER_HELLO);
            peer.forever(out, record, interval);
        });
    }

    /**
     * An SMTP server whose greeting never ends: {@code 220-} continuation lines, endlessly.
     *
     * @return the running peer
     * @since 0.1.0
     */
    public static HostilePeer starttlsFlood() {
        byte[] line = "220-mail.example ESMTP flood flood flood flood\r\n".getBytes(StandardCharsets.US_ASCII);
        return new HostilePeer("starttls-flood", (peer, socket, in, out) ->
                peer.forever(out, repeat(line, 1024), Duration.ZERO));
    }

    /**
     * An HTTP proxy that answers CONNECT with {@code 200} and then header lines, endlessly.
     *
     * @return the running peer; use {@code http://127.0.0.1:PORT} as the proxy
     * @since 0.1.0
     */
    public static HostilePeer proxyFlood() {
        byte[] line = "X-Flood: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".getBytes(StandardCharsets.US_ASCII);
        return new HostilePeer("proxy-flood", (peer, socket, in, out) -> {
            readRequestHead(socket, in);
            peer.send(out, "HTTP/1.1 200 Connection established\r\n".getBytes(StandardCharsets.US_ASCII));
            peer.forever(out, repeat(line, 1024), Duration.ZERO);
        });
    }

    /**
     * Relays its first {@code relayed} connections to a real server (so a client's first
     * handshakes succeed), then answers every later connection as {@link #endlessRecords()}: the
     * flood reaches a client's follow-up probes (enumeration, SNI probes) instead of its first.
     *
     * @param upstream the real server, for example a {@link TlsServer} on loopback
     * @param relayed how many connections to relay first; not negative
     * @return the running peer
     * @since 0.1.0
     */
    public static HostilePeer floodAfter(InetSocketAddress upstream, int relayed) {
        Objects.requireNonNull(upstream, "upstream");
        if (relayed < 0) {
            throw new IllegalArgumentException("relayed must not be negative: " + relayed);
        }
        byte[] record = {0x16, 0x03, 0x03, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00};
        AtomicInteger served = new AtomicInteger();
        return new HostilePeer("flood-after-" + relayed, (peer, socket, in, out) -> {
            if (served.incrementAndGet() <= relayed) {
                peer.relay(socket, upstream);
                return;
            }
            readClientHello(socket, in);
            peer.send(out, SERVER_HELLO);
            peer.forever(out, repeat(record, 64 * 1024), Duration.ZERO);
        });
    }

    /** Copies both directions between the client and {@code upstream} until either side closes. */
    private void relay(Socket client, InetSocketAddress upstream) throws IOException {
        try (Socket server = new Socket()) {
            server.connect(upstream, CLIENT_HELLO_TIMEOUT_MILLIS);
            listener.track(server);
            try {
                listener.start(() -> copy(client, server));
                copy(server, client);
            } finally {
                listener.forget(server);
            }
        }
    }

    private void copy(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while (!listener.closed() && (n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side went away
        }
    }

    /**
     * What the peer does, for example {@code endless-records}.
     *
     * @return the kind
     * @since 0.1.0
     */
    public String kind() {
        return kind;
    }

    /**
     * The port the peer listens on.
     *
     * @return the port
     * @since 0.1.0
     */
    public int port() {
        return listener.port();
    }

    /**
     * The address the peer listens on.
     *
     * @return {@code 127.0.0.1:port}
     * @since 0.1.0
     */
    public InetSocketAddress address() {
        return new InetSocketAddress(HOST, port());
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
     * Bytes written to clients so far, over all connections.
     *
     * @return the count
     * @since 0.1.0
     */
    public long bytesSent() {
        return bytesSent.get();
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
        return "HostilePeer[" + kind + " on " + HOST + ":" + port() + "]";
    }

    private void send(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        bytesSent.addAndGet(bytes.length);
    }

    /** Writes {@code chunk} again and again, pausing {@code pause} between writes, until closed. */
    private void forever(OutputStream out, byte[] chunk, Duration pause) throws IOException, InterruptedException {
        while (!listener.closed()) {
            send(out, chunk);
            if (!pause.isZero()) {
                Thread.sleep(pause.toMillis());
            }
        }
    }

    /** A Certificate message of {@code count} DER SEQUENCEs of {@code size} bytes, streamed. */
    private void certificates(Socket socket, OutputStream out, int count, int size) throws IOException {
        byte[] entry = derSequence(size);
        long list = (long) count * (3 + entry.length);
        long message = 3 + list;
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write(11);
        u24(head, message);
        u24(head, list);
        // Stream the handshake message over records of at most 16 KB, from a small buffer.
        RecordWriter records = new RecordWriter(out);
        records.write(head.toByteArray());
        byte[] length = new byte[3];
        for (int i = 0; i < count && !listener.closed(); i++) {
            length[0] = (byte) (entry.length >> 16);
            length[1] = (byte) (entry.length >> 8);
            length[2] = (byte) entry.length;
            records.write(length);
            records.write(entry);
        }
        records.flush();
        // Then wait for the client to give up, as a real server would.
        socket.setSoTimeout(100);
        byte[] sink = new byte[4096];
        while (!listener.closed()) {
            try {
                if (socket.getInputStream().read(sink) < 0) {
                    return;
                }
            } catch (SocketTimeoutException tick) {
                // look at closed again
            }
        }
    }

    /** Cuts a byte stream into handshake records of up to 16 KB. */
    private final class RecordWriter {
        private final OutputStream out;
        private final byte[] body = new byte[16384];
        private int fill;

        RecordWriter(OutputStream out) {
            this.out = out;
        }

        void write(byte[] b) throws IOException {
            for (int i = 0; i < b.length; ) {
                int n = Math.min(b.length - i, body.length - fill);
                System.arraycopy(b, i, body, fill, n);
                fill += n;
                i += n;
                if (fill == body.length) {
                    flush();
                }
            }
        }

        void flush() throws IOException {
            if (fill == 0) {
                return;
            }
            out.write(new byte[] {0x16, 0x03, 0x03, (byte) (fill >> 8), (byte) fill});
            out.write(body, 0, fill);
            out.flush();
            bytesSent.addAndGet(5L + fill);
            fill = 0;
        }
    }

    private static byte[] derSequence(int size) {
        // SEQUENCE with a long-form length: 30 83 LL LL LL, then zeros
        int content = size - 5;
        byte[] out = new byte[size];
        out[0] = 0x30;
        out[1] = (byte) 0x83;
        out[2] = (byte) (content >> 16);
        out[3] = (byte) (content >> 8);
        out[4] = (byte) content;
        return out;
    }

    private static void u24(ByteArrayOutputStream out, long v) {
        out.write((int) (v >> 16) & 0xFF);
        out.write((int) (v >> 8) & 0xFF);
        out.write((int) v & 0xFF);
    }

    private static byte[] repeat(byte[] unit, int times) {
        byte[] out = new byte[unit.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(unit, 0, out, i * unit.length, unit.length);
        }
        return out;
    }

    private static byte[] serverHello(int suite) {
        int body = 2 + 32 + 1 + 2 + 1;
        byte[] out = new byte[5 + 4 + body];
        out[0] = 0x16;
        out[1] = 0x03;
        out[2] = 0x03;
        out[4] = (byte) (4 + body);
        out[5] = 0x02;
        out[8] = (byte) body;
        out[9] = 0x03;
        out[10] = 0x03;
        for (int i = 0; i < 32; i++) {
            out[11 + i] = (byte) (0x3C ^ i);
        }
        out[43] = 0; // no session id
        out[44] = (byte) (suite >> 8);
        out[45] = (byte) suite;
        out[46] = 0; // null compression
        return out;
    }

    /** Reads one TLS record (the ClientHello, or its first part); bounded by size and time. */
    private static void readClientHello(Socket socket, InputStream in) throws IOException {
        socket.setSoTimeout(CLIENT_HELLO_TIMEOUT_MILLIS);
        byte[] header = new byte[5];
        try {
            if (readFully(in, header, 5) < 5) {
                return;
            }
            int length = Math.min(((header[3] & 0xFF) << 8) | (header[4] & 0xFF), 18432);
            readFully(in, new byte[length], length);
        } catch (SocketTimeoutException e) {
            // answer anyway
        }
    }

    /** Reads an HTTP request head (up to 16 KB, 2 s). */
    private static void readRequestHead(Socket socket, InputStream in) throws IOException {
        socket.setSoTimeout(CLIENT_HELLO_TIMEOUT_MILLIS);
        StringBuilder seen = new StringBuilder();
        try {
            while (seen.length() < 16384 && seen.indexOf("\r\n\r\n") < 0) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                seen.append((char) b);
            }
        } catch (SocketTimeoutException e) {
            // answer anyway
        }
    }

    private static int readFully(InputStream in, byte[] buffer, int length) throws IOException {
        int total = 0;
        while (total < length) {
            int n = in.read(buffer, total, length - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

}
