package dev.tlsinspect.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP peer that misbehaves on purpose: it speaks plain HTTP, sends an SMTP or SSH
 * banner, streams garbage, declares a 16 MB handshake message, stays silent, drips one byte at
 * a time, resets, closes, or answers with a fatal alert. Tests use it to check that a TLS client
 * turns each of these into an observation rather than a hang or a crash. One peer,
 * {@link #selecting}, is scripted instead: it answers a ServerHello with a version and suite no
 * TLS library still serves (SSL 3.0, RC4, export), so that a client can see them chosen; and
 * {@link #exportDhe} goes on to a Certificate and a signed ServerKeyExchange with a chosen
 * export DHE group, {@link #anonymousExportDhe} to an unsigned one without a Certificate.
 *
 * <pre>{@code
 * try (FakePeer peer = FakePeer.resetAfterClientHello()) {
 *     // connect to peer.address(); a read fails with "Connection reset"
 * }
 * }</pre>
 *
 * <p>Every peer listens on {@code 127.0.0.1} and an ephemeral port, serves each connection on
 * its own daemon thread, reads with timeouts, and on {@link #close()} closes its listener and
 * every accepted socket and waits for its threads to end.
 *
 * @since 0.1.0
 */
public final class FakePeer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final int TICK_MILLIS = 100;
    private static final int CLIENT_HELLO_TIMEOUT_MILLIS = 2_000;
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(2);
    private static final int CHUNK = 64 * 1024;
    private static final byte[] HTTP_400 = ("HTTP/1.1 400 Bad Request\r\n"
            + "Content-Type: text/plain\r\n"
            + "Connection: close\r\n"
            + "\r\n"
            + "This is a plain HTTP server\n").getBytes(StandardCharsets.US_ASCII);

    @FunctionalInterface
    private interface Behaviour {
        void serve(FakePeer peer, Socket socket) throws IOException, InterruptedException;
    }

    private final String kind;
    private final ServerSocket serverSocket;
    private final Behaviour behaviour;
    private final DaemonThreads threads;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final Object lifecycle = new Object();
    private volatile boolean closed;

    private FakePeer(String kind, Behaviour behaviour, boolean accepting, int backlog) {
        this.kind = kind;
        this.behaviour = behaviour;
        try {
            this.serverSocket = new ServerSocket(0, backlog, InetAddress.getByName(HOST));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind fake peer on " + HOST, e);
        }
        this.threads = new DaemonThreads("tls-inspect-fake-peer-" + kind + "-" + serverSocket.getLocalPort());
        if (accepting) {
            threads.start(this::acceptLoop);
        }
    }

    private static FakePeer start(String kind, Behaviour behaviour) {
        return new FakePeer(kind, behaviour, true, 50);
    }

    /**
     * A plain HTTP server, as found when TLS is attempted on an HTTP port: it reads what the
     * client sends (up to 16 KB, stopping early at the end of an HTTP header or at the first
     * byte that cannot start one, such as a TLS record) and answers {@code HTTP/1.1 400 Bad
     * Request} with the body {@code This is a plain HTTP server}, as nginx does, then closes.
     *
     * @return the running peer
     * @since 0.1.0
     */
    public static FakePeer http() {
        return start("http", (peer, socket) -> {
            peer.readHttpRequest(socket);
            peer.write(socket, HTTP_400);
            peer.finishGracefully(socket);
        });
    }

    /**
     * A server that talks first, such as SMTP ({@code "220 mail.example ESMTP Postfix\r\n"}) or
     * SSH ({@code "SSH-2.0-OpenSSH_9.2p1\r\n"}): it sends the banner on connect, then reads and
     * discards until the client closes or 5 s pass, then closes.
     *
     * @param text the banner, sent as UTF-8
     * @return the running peer
     * @since 0.1.0
     */
    public static FakePeer banner(String text) {
        byte[] banner = Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8);
        return start("banner", (peer, socket) -> {
            peer.write(socket, banner);
            peer.discardUntilClosed(socket, Duration.ofSeconds(5));
            peer.finishGracefully(socket);
        });
    }

    /**
     * A peer that answers the ClientHello with {@code totalBytes} of pseudo-random bytes (fixed
     * seed, so runs repeat), streamed in 64 KB chunks, until done or the client disconnects.
     *
     * @param totalBytes how many bytes to send per connection
     * @return the running peer
     * @since 0.1.0
     */
    public static FakePeer garbage(long totalBytes) {
        return garbage(totalBytes, 0x7153_1E57L);
    }

    /**
     * Like {@link #garbage(long)} with a chosen seed.
     *
     * @param totalBytes how many bytes to send per connection
     * @param seed the seed of the byte stream
     * @return the running peer
     * @since 0.1.0
     */
    public static FakePeer garbage(long totalBytes, long seed) {
        if (totalBytes < 0) {
            throw new IllegalArgumentException("totalBytes must not be negative: " + totalBytes);
        }
        return start("garbage", (peer, socket) -> {
            peer.readClientHello(socket);
            Random random = new Random(seed);
            byte[] chunk = new byte[CHUNK];
            long left = totalBytes;
            while (left > 0 && !peer.closed) {
                int n = (int) Math.min(chunk.length, left);
                random.nextBytes(chunk);
                peer.write(socket, chunk, n);
                left -= n;
            }
            peer.finishGracefully(socket);
        });
    }

    /**
     * A peer that answers the ClientHello with a handshake record whose handshake message
     * claims to be 16 MB long: {@code 16 03 03 40 00} then {@code 02 FF FF FF}, followed by
     * zero-filled 16 KB records sent slowly (1 KB every 10 ms) until the declared length is
     * reached or the client closes. A careful client gives up at the header.
     *
     * @return the running peer
     * @since 0.1.0
     */
    public static FakePeer hugeRecordLength() {
        return start("huge-record", (peer, socket) -> {
            peer.readClientHello(socket);
            OutputStream out = socket.getOutputStream();
            long messageLeft = 0xFF_FFFFL + 4; // handshake header plus declared body
            boolean first = true;
            byte[] kilobyte = new byte[1024];
            while (messageLeft > 0 && !peer.closed) {
                int recordLength = (int) Math.min(0x4000, messageLeft);
                peer.write(socket, new byte[] {0x16, 0x03, 0x03, (byte) (recordLength >> 8), (byte) recordLength});
                int payloadLeft = recordLength;
                if (first) {
                    peer.write(socket, new byte[] {0x02, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
                    payloadLeft -= 4;
                    first = false;
                }
                while (payloadLeft > 0 && !peer.closed) {
                    int n = Math.min(kilobyte.length, payloadLeft);
                    peer.write(socket, kilobyte, n);
                    payloadLeft -= n;
                    Thread.sleep(10);
                }
                messageLeft -= recordLength;
                out.flush();
            }
            peer.discardUntilClosed(socket, null);
        });
    }

    /**
     * A peer that accepts and never sends anything, keeping the connection open until the
     * client closes or the peer is closed.
     *
     * @return the running peer
     * @since 0.1.0
     */
    public static FakePeer silent() {
        return start("silent", (peer, socket) -> peer.discardUntilClosed(socket, null));
    }

    /**
     * A peer that reads the ClientHello, then sends a plausible TLS response one byte per
     * {@code interval}: a handshake record {@code 16 03 03 00 40} holding the start of a
     * ServerHello that declares a 28,668-byte body (under JSSE's 32 KB limit, so the client
     * keeps waiting for it), then zero-filled 64-byte handshake records until that body is
     * complete. That is 30,912 bytes, more than eight hours at one byte per second; after them
     * the peer stays silent until the connection is closed.
     *
     * @param interval the pause between bytes; positive
     * @return the running peer
     * @since 0.1.0
     */
    public static FakePeer drip(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        return start("drip", (peer, socket) -> {
            peer.readClientHello(socket);
            byte[] stream = dripStream();
            for (byte b : stream) {
                if (peer.closed) {
                    return;
                }
                peer.write(socket, new byte[] {b});
                Thread.sleep(interval.toMillis(), interval.toNanosPart() % 1_000_000);
            }
            peer.discardUntilClosed(socket, null);
        });
    }

    /**
     * A peer that reads the ClientHello and then aborts the connection (linger 0), so that the
     * client sees a TCP reset ({@code Connection reset}).
     *
     * @return the running peer
     * @since 0.1.0
     */
    public static FakePeer resetAfterClientHello() {
        return start("reset", (peer, socket) -> {
            peer.readClientHello(socket);
            socket.setSoLinger(true, 0);
            socket.close();
        });
    }

    /**
     * A peer that reads the ClientHello and then closes cleanly (FIN, no TLS alert).
     *
     * @return the running peer
     * @since 0.1.0
     */
    public static FakePeer closeAfterClientHello() {
        return start("close", (peer, socket) -> {
            peer.readClientHello(socket);
            peer.finishGracefully(socket);
        });
    }

    /**
     * A peer that answers the ClientHello with a fatal TLS 1.2 alert record
     * {@code 15 03 03 00 02 02 <description>} and closes.
     *
     * @param description the alert description, for example 40 (handshake_failure), 70
     *     (protocol_version), 112 (unrecognized_name)
     * @return the running peer
     * @since 0.1.0
     */
    public static FakePeer alert(int description) {
        if (description < 0 || description > 255) {
            throw new IllegalArgumentException("alert description must be 0..255: " + description);
        }
        return start("alert", (peer, socket) -> {
            peer.readClientHello(socket);
            peer.write(socket, new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, (byte) description});
            peer.finishGracefully(socket);
        });
    }

    /**
     * A scripted peer that serves one version and a fixed list of suites just far enough for a
     * client to see its choice, for versions and suites no TLS library still serves (SSL 3.0,
     * RC4, single DES, export, anonymous). It reads one ClientHello (bounded: at most 64 KB of
     * handshake records) and, if the ClientHello offers {@code version} (its
     * {@code supported_versions} extension lists it or, without that extension, its
     * {@code client_version} is at least {@code version}) and one of {@code suites}, answers
     * with a ServerHello: record and server version {@code version}, the first of
     * {@code suites} (the peer's order) that the client offered, an empty session id, no
     * compression and no extensions. Then it sends nothing more and waits for the client to
     * close. Otherwise it answers a fatal {@code protocol_version} alert (version not offered)
     * or {@code handshake_failure} alert (no common suite, or input that is not a ClientHello)
     * and closes. Garbage never makes it throw.
     *
     * @param version the version to select, {@code 0x0300} (SSL 3.0) to {@code 0x0303} (TLS 1.2)
     * @param suites the suite codes the peer accepts, in its order of preference; at least one
     * @return the running peer
     * @since 0.1.0
     */
    public static FakePeer selecting(int version, int... suites) {
        if (version < 0x0300 || version > 0x0303) {
            throw new IllegalArgumentException("version must be 0x0300..0x0303: 0x" + Integer.toHexString(version));
        }
        if (suites.length == 0) {
            throw new IllegalArgumentException("at least one suite is needed");
        }
        int[] accepted = suites.clone();
        for (int suite : accepted) {
            if (suite < 0 || suite > 0xFFFF) {
                throw new IllegalArgumentException("suite must be 0..0xFFFF: " + suite);
            }
        }
        return start("selecting", (peer, socket) -> {
            ClientHello hello = peer.readParsedClientHello(socket);
            byte[] answer;
            if (hello == null) {
                answer = alertRecord(version, 40);
            } else if (!hello.offers(version)) {
                answer = alertRecord(version, 70);
            } else {
                int chosen = -1;
                for (int suite : accepted) {
                    if (hello.suites().contains(suite)) {
                        chosen = suite;
                        break;
                    }
                }
                answer = chosen < 0 ? alertRecord(version, 40) : serverHello(version, chosen);
            }
            peer.write(socket, answer);
            peer.finishGracefully(socket);
        });
    }

    /**
     * A peer that reads the ClientHello and then sends {@code count} TLS 1.2 warning alerts
     * {@code 15 03 03 00 02 01 00} (level warning, description close_notify); the same as
     * {@code alertStorm(count, 0)}.
     *
     * @param count how many warning alerts to send per connection; not negative
     * @return the running peer
     * @since 0.1.0
     */
    public static FakePeer alertStorm(int count) {
        return alertStorm(count, 0);
    }

    /**
     * A peer that reads the ClientHello and then sends {@code count} TLS 1.2 warning alerts
     * {@code 15 03 03 00 02 01 <description>}, streamed in 64 KB chunks so that no more than
     * one chunk is held in memory, until done or the client disconnects; then it closes
     * cleanly (FIN, no further alert). A careful client gives up on the storm rather than
     * reading warnings until its deadline.
     *
     * @param count how many warning alerts to send per connection; not negative
     * @param description the alert description, for example 0 (close_notify) or 112
     *     (unrecognized_name, which TLS 1.2 clients commonly tolerate as a warning)
     * @return the running peer
     * @since 0.1.0
     */
    public static FakePeer alertStorm(int count, int description) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        if (description < 0 || description > 255) {
            throw new IllegalArgumentException("alert description must be 0..255: " + description);
        }
        byte[] alert = {0x15, 0x03, 0x03, 0x00, 0x02, 0x01, (byte) description};
        int perChunk = CHUNK / alert.length;
        byte[] chunk = new byte[perChunk * alert.length];
        for (int i = 0; i < perChunk; i++) {
            System.arraycopy(alert, 0, chunk, i * alert.length, alert.length);
        }
        return start("alert-storm", (peer, socket) -> {
            peer.readClientHello(socket);
            long left = count;
            while (left > 0 && !peer.closed) {
                int n = (int) Math.min(perChunk, left);
                peer.write(socket, chunk, n * alert.length);
                left -= n;
            }
            peer.finishGracefully(socket);
        });
    }

    /**
     * A scripted peer that answers every ClientHello, whatever it offers, with a ServerHello
     * for {@code version} and {@code suite} (record and server version {@code version}, an
     * empty session id, no compression, no extensions), even when the client offered neither:
     * a server that violates RFC 5246 section 7.4.1.3. Then it closes cleanly. Input that is
     * not a ClientHello gets a fatal {@code handshake_failure} alert, as with {@link #selecting}.
     *
     * @param version the version to put in the ServerHello, {@code 0x0300} to {@code 0x0303}
     * @param suite the suite code to select, {@code 0..0xFFFF}, assigned or not
     * @return the running peer
     * @since 0.1.0
     */
    public static FakePeer selectingAnyway(int version, int suite) {
        if (version < 0x0300 || version > 0x0303) {
            throw new IllegalArgumentException("version must be 0x0300..0x0303: 0x" + Integer.toHexString(version));
        }
        if (suite < 0 || suite > 0xFFFF) {
            throw new IllegalArgumentException("suite must be 0..0xFFFF: " + suite);
        }
        return start("selecting-anyway", (peer, socket) -> {
            ClientHello hello = peer.readParsedClientHello(socket);
            peer.write(socket, hello == null ? alertRecord(version, 40) : serverHello(version, suite));
            peer.finishGracefully(socket);
        });
    }

    /** What {@link #selecting} needs of a ClientHello. */
    private record ClientHello(int clientVersion, byte[] random, java.util.List<Integer> suites,
            java.util.List<Integer> supportedVersions, java.util.List<Integer> compressionMethods) {
        boolean offers(int version) {
            return supportedVersions == null ? clientVersion >= version : supportedVersions.contains(version);
        }
    }

    private static final int MAX_CLIENT_HELLO = 64 * 1024;

    /** Reads handshake records up to one whole ClientHello; null for anything else. */
    private ClientHello readParsedClientHello(Socket socket) throws IOException {
        socket.setSoTimeout(CLIENT_HELLO_TIMEOUT_MILLIS);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        byte[] header = new byte[5];
        try {
            int needed = -1;
            while (needed < 0 || message.size() < needed) {
                if (readFully(in, header, 0, 5) < 5 || header[0] != 0x16 || header[1] != 0x03) {
                    return null;
                }
                int length = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
                if (length == 0 || length > 0x4000 + 2048 || message.size() + length > MAX_CLIENT_HELLO + 4) {
                    return null;
                }
                byte[] body = new byte[length];
                if (readFully(in, body, 0, length) < length) {
                    return null;
                }
                message.write(body, 0, length);
                byte[] m = message.toByteArray();
                if (needed < 0 && m.length >= 4) {
                    if (m[0] != 0x01) {
                        return null;
                    }
                    needed = 4 + (((m[1] & 0xFF) << 16) | ((m[2] & 0xFF) << 8) | (m[3] & 0xFF));
                    if (needed > MAX_CLIENT_HELLO + 4) {
                        return null;
                    }
                }
            }
            return parseClientHello(java.nio.ByteBuffer.wrap(message.toByteArray(), 4, needed - 4));
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    /** Parses a ClientHello body; null when it is malformed. */
    private static ClientHello parseClientHello(java.nio.ByteBuffer b) {
        try {
            int clientVersion = b.getShort() & 0xFFFF;
            byte[] random = new byte[32];
            b.get(random);
            int sessionId = b.get() & 0xFF;
            if (sessionId > 32) {
                return null;
            }
            b.position(b.position() + sessionId);
            int suitesLength = b.getShort() & 0xFFFF;
            if (suitesLength % 2 != 0 || suitesLength > b.remaining()) {
                return null;
            }
            java.util.List<Integer> suites = new java.util.ArrayList<>();
            for (int i = 0; i < suitesLength / 2; i++) {
                suites.add(b.getShort() & 0xFFFF);
            }
            int compression = b.get() & 0xFF;
            java.util.List<Integer> methods = new java.util.ArrayList<>();
            for (int i = 0; i < compression; i++) {
                methods.add(b.get() & 0xFF);
            }
            java.util.List<Integer> supportedVersions = null;
            if (b.remaining() >= 2) {
                int extensionsEnd = b.position() + 2 + (b.getShort() & 0xFFFF);
                if (extensionsEnd > b.limit()) {
                    return null;
                }
                while (b.position() + 4 <= extensionsEnd) {
                    int type = b.getShort() & 0xFFFF;
                    int length = b.getShort() & 0xFFFF;
                    int end = b.position() + length;
                    if (end > extensionsEnd) {
                        return null;
                    }
                    if (type == 0x002B && length >= 1) {
                        int listLength = b.get() & 0xFF;
                        if (listLength % 2 != 0 || b.position() + listLength > end) {
                            return null;
                        }
                        supportedVersions = new java.util.ArrayList<>();
                        for (int i = 0; i < listLength / 2; i++) {
                            supportedVersions.add(b.getShort() & 0xFFFF);
                        }
                    }
                    b.position(end);
                }
            }
            return new ClientHello(clientVersion, random, java.util.List.copyOf(suites),
                    supportedVersions == null ? null : java.util.List.copyOf(supportedVersions),
                    java.util.List.copyOf(methods));
        } catch (RuntimeException malformed) { // BufferUnderflow, IllegalArgument from position()
            return null;
        }
    }

    /**
     * A scripted TLS 1.2 server that still compresses, as servers built with zlib did before
     * CRIME (no TLS library here will): it answers a ClientHello that offers {@code suite} with a
     * ServerHello choosing that suite and compression method DEFLATE (1) when the ClientHello
     * offers it, {@code null} (0) otherwise; then it waits for the client to close. Anything else
     * gets a fatal {@code handshake_failure} alert.
     *
     * @param suite the suite code to select, {@code 0..0xFFFF}
     * @return the running peer
     * @since 0.1.0
     */
    public static FakePeer compressing(int suite) {
        if (suite < 0 || suite > 0xFFFF) {
            throw new IllegalArgumentException("suite must be 0..0xFFFF: " + suite);
        }
        return start("compressing", (peer, socket) -> {
            ClientHello hello = peer.readParsedClientHello(socket);
            byte[] answer;
            if (hello == null || !hello.offers(0x0303) || !hello.suites().contains(suite)) {
                answer = alertRecord(0x0303, 40);
            } else {
                answer = serverHello(0x0303, suite);
                answer[46] = (byte) (hello.compressionMethods().contains(1) ? 1 : 0);
            }
            peer.write(socket, answer);
            peer.finishGracefully(socket);
        });
    }

    /**
     * A scripted TLS 1.0 server with an export DHE suite, as servers were configured before
     * Logjam (no TLS library here still serves one): to a ClientHello that offers TLS 1.0 and
     * {@code TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA} (0x0014) it answers ServerHello (TLS 1.0,
     * that suite, no extensions), Certificate ({@code leaf}), ServerKeyExchange with
     * {@code dh_p = p}, {@code dh_g = 2}, {@code dh_Ys = 2^x mod p} for a random {@code x}, signed
     * with the leaf's RSA key over MD5 and SHA-1 as RFC 2246 7.4.3 says, then ServerHelloDone, and
     * waits for the client to close. It never finishes a handshake. A ClientHello without TLS 1.0
     * gets a fatal {@code protocol_version} alert, one without the suite (or anything that is not
     * a ClientHello) a fatal {@code handshake_failure} alert.
     *
     * @param leaf the server's certificate and RSA key
     * @param p the DH modulus to send, for example {@code BigInteger.probablePrime(512, random)}
     * @return the running peer
     * @throws IllegalArgumentException when the leaf's key is not RSA or p is not above 2
     * @since 0.1.0
     */
    public static FakePeer exportDhe(IssuedCertificate leaf, java.math.BigInteger p) {
        Objects.requireNonNull(leaf, "leaf");
        if (!(leaf.keyPair().getPrivate() instanceof java.security.interfaces.RSAPrivateKey)) {
            throw new IllegalArgumentException("the export DHE peer needs an RSA leaf");
        }
        return exportDhePeer("export-dhe", 0x0014, leaf, p);
    }

    /**
     * A scripted TLS 1.0 server with an anonymous export DHE suite: as {@link #exportDhe}, but for
     * {@code TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA} (0x0019), so it sends no Certificate and its
     * ServerKeyExchange carries the group unsigned (RFC 2246 7.4.3). It never finishes a handshake.
     *
     * @param p the DH modulus to send
     * @return the running peer
     * @throws IllegalArgumentException when p is not above 2
     * @since 0.1.0
     */
    public static FakePeer anonymousExportDhe(java.math.BigInteger p) {
        return exportDhePeer("anon-export-dhe", 0x0019, null, p);
    }

    /** The export DHE flight: signed with {@code leaf}'s RSA key, or anonymous when it is null. */
    private static FakePeer exportDhePeer(String kind, int suite, IssuedCertificate leaf, java.math.BigInteger p) {
        Objects.requireNonNull(p, "p");
        if (p.compareTo(java.math.BigInteger.valueOf(3)) < 0) {
            throw new IllegalArgumentException("p must be above 2");
        }
        byte[] der;
        try {
            der = leaf == null ? null : leaf.certificate().getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode the leaf", e);
        }
        int version = 0x0301;
        return start(kind, (peer, socket) -> {
            ClientHello hello = peer.readParsedClientHello(socket);
            if (hello == null || !hello.suites().contains(suite)) {
                peer.write(socket, alertRecord(version, 40));
            } else if (!hello.offers(version) || hello.supportedVersions() != null) {
                peer.write(socket, alertRecord(version, 70));
            } else {
                byte[] serverHello = serverHello(version, suite);
                byte[] serverRandom = java.util.Arrays.copyOfRange(serverHello, 11, 43);
                ByteArrayOutputStream flight = new ByteArrayOutputStream();
                flight.writeBytes(serverHello);
                if (der != null) {
                    ByteArrayOutputStream cert = new ByteArrayOutputStream();
                    u24(cert, der.length + 3);
                    u24(cert, der.length);
                    cert.writeBytes(der);
                    flight.writeBytes(handshakeRecord(version, 11, cert.toByteArray()));
                }
                java.math.BigInteger x = new java.math.BigInteger(p.bitLength() - 1, new java.security.SecureRandom())
                        .setBit(0);
                java.math.BigInteger g = java.math.BigInteger.TWO;
                ByteArrayOutputStream params = new ByteArrayOutputStream();
                opaque16(params, unsigned(p));
                opaque16(params, unsigned(g));
                opaque16(params, unsigned(g.modPow(x, p)));
                ByteArrayOutputStream ske = new ByteArrayOutputStream();
                ske.writeBytes(params.toByteArray());
                if (leaf != null) {
                    opaque16(ske, signMd5Sha1(leaf, hello.random(), serverRandom, params.toByteArray()));
                }
                flight.writeBytes(handshakeRecord(version, 12, ske.toByteArray()));
                flight.writeBytes(handshakeRecord(version, 14, new byte[0]));
                peer.write(socket, flight.toByteArray());
            }
            peer.finishGracefully(socket);
        });
    }

    private static byte[] signMd5Sha1(IssuedCertificate leaf, byte[] clientRandom, byte[] serverRandom, byte[] params)
            throws IOException {
        try {
            byte[] md5 = java.security.MessageDigest.getInstance("MD5").digest(concat(clientRandom, serverRandom, params));
            byte[] sha1 = java.security.MessageDigest.getInstance("SHA-1").digest(concat(clientRandom, serverRandom, params));
            java.security.Signature rsa = java.security.Signature.getInstance("NONEwithRSA");
            rsa.initSign(leaf.keyPair().getPrivate());
            rsa.update(concat(md5, sha1));
            return rsa.sign();
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot sign the ServerKeyExchange", e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] unsigned(java.math.BigInteger v) {
        byte[] b = v.toByteArray();
        return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static void opaque16(ByteArrayOutputStream out, byte[] v) {
        out.write(v.length >> 8);
        out.write(v.length);
        out.writeBytes(v);
    }

    private static void u24(ByteArrayOutputStream out, int v) {
        out.write(v >> 16);
        out.write(v >> 8);
        out.write(v);
    }

    private static byte[] handshakeRecord(int version, int type, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x16);
        out.write(version >> 8);
        out.write(version);
        out.write((body.length + 4) >> 8);
        out.write(body.length + 4);
        out.write(type);
        u24(out, body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] serverHello(int version, int suite) {
        byte[] random = new byte[32];
        new Random().nextBytes(random);
        int body = 2 + 32 + 1 + 2 + 1;
        byte[] out = new byte[5 + 4 + body];
        out[0] = 0x16;
        out[1] = (byte) (version >> 8);
        out[2] = (byte) version;
        out[3] = (byte) ((4 + body) >> 8);
        out[4] = (byte) (4 + body);
        out[5] = 0x02; // server_hello
        out[6] = 0;
        out[7] = (byte) (body >> 8);
        out[8] = (byte) body;
        out[9] = (byte) (version >> 8);
        out[10] = (byte) version;
        System.arraycopy(random, 0, out, 11, 32);
        out[43] = 0; // empty session id
        out[44] = (byte) (suite >> 8);
        out[45] = (byte) suite;
        out[46] = 0; // compression: null
        return out;
    }

    private static byte[] alertRecord(int version, int description) {
        return new byte[] {0x15, (byte) (version >> 8), (byte) version, 0x00, 0x02, 0x02, (byte) description};
    }

    /**
     * A listener whose accept queue is full, so that a new TCP connect to it gets no answer
     * and times out, as behind a firewall that drops packets. The peer never accepts; it fills
     * its own backlog with connections of its own on creation.
     *
     * @return the peer; {@link #connections()} stays 0
     * @throws IllegalStateException if the accept queue could not be filled (a platform that
     *     does not drop connection attempts when the queue is full)
     * @since 0.1.0
     */
    public static FakePeer unresponsiveConnect() {
        FakePeer peer = new FakePeer("unresponsive", (p, s) -> { }, false, 1);
        InetSocketAddress address = peer.address();
        try {
            for (int i = 0; i < 32; i++) {
                Socket filler = new Socket();
                peer.sockets.add(filler);
                try {
                    filler.connect(address, 250);
                } catch (SocketTimeoutException full) {
                    peer.sockets.remove(filler);
                    filler.close();
                    return peer;
                }
            }
        } catch (IOException e) {
            peer.close();
            throw new UncheckedIOException("cannot fill the accept queue", e);
        }
        peer.close();
        throw new IllegalStateException("connect() still succeeds after 32 unaccepted connections; "
                + "this platform does not drop SYNs on a full accept queue");
    }

    /**
     * Returns a loopback port with nothing listening on it: an ephemeral port that was bound
     * and released. Another process could take it in between, which is unlikely in a test.
     *
     * @return a port on {@code 127.0.0.1} that refuses connections
     * @since 0.1.0
     */
    public static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind an ephemeral port on " + HOST, e);
        }
    }

    /**
     * Returns the host the peer listens on.
     *
     * @return always {@code "127.0.0.1"}
     * @since 0.1.0
     */
    public String host() {
        return HOST;
    }

    /**
     * Returns the port the peer listens on.
     *
     * @return the ephemeral port
     * @since 0.1.0
     */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /**
     * Returns the address the peer listens on.
     *
     * @return {@code 127.0.0.1} and {@link #port()}
     * @since 0.1.0
     */
    public InetSocketAddress address() {
        return new InetSocketAddress(serverSocket.getInetAddress(), port());
    }

    /**
     * Returns how many connections the peer has accepted.
     *
     * @return the count so far
     * @since 0.1.0
     */
    public int connections() {
        return connections.get();
    }

    /**
     * Returns how many bytes the peer has read from all clients.
     *
     * @return the count so far
     * @since 0.1.0
     */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    /**
     * Returns how many bytes the peer has written to all clients.
     *
     * @return the count so far
     * @since 0.1.0
     */
    public long bytesSent() {
        return bytesSent.get();
    }

    /**
     * Closes the listener and every connection and waits briefly for the peer's threads to
     * end. Idempotent.
     *
     * @since 0.1.0
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true; // from here on no connection thread is started
        }
        closeQuietly(serverSocket);
        sockets.forEach(FakePeer::closeQuietly);
        threads.interruptAll();
        threads.joinAll(Duration.ofSeconds(5));
        sockets.forEach(FakePeer::closeQuietly);
    }

    @Override
    public String toString() {
        return "FakePeer[" + kind + " on " + HOST + ":" + port() + "]";
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return; // closed
            }
            synchronized (lifecycle) {
                if (closed) {
                    closeQuietly(socket);
                    return;
                }
                sockets.add(socket);
                connections.incrementAndGet();
                threads.start(() -> serve(socket));
            }
        }
    }

    private void serve(Socket socket) {
        try {
            behaviour.serve(this, socket);
        } catch (IOException e) {
            // The client went away (broken pipe, reset) or the peer was closed: nothing to do.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(socket);
            sockets.remove(socket);
        }
    }

    /** Reads one TLS record if the client starts with one, else whatever one read returns. */
    private void readClientHello(Socket socket) throws IOException {
        socket.setSoTimeout(CLIENT_HELLO_TIMEOUT_MILLIS);
        InputStream in = socket.getInputStream();
        byte[] header = new byte[5];
        try {
            int n = readFully(in, header, 0, 1);
            if (n < 1) {
                return;
            }
            if (header[0] != 0x16) {
                byte[] rest = new byte[16 * 1024];
                count(in.read(rest));
                return;
            }
            if (readFully(in, header, 1, 4) < 4) {
                return;
            }
            int length = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
            byte[] body = new byte[length];
            readFully(in, body, 0, length);
        } catch (SocketTimeoutException e) {
            // A client that sends less than a record still gets its answer.
        }
    }

    /** Reads until the end of an HTTP header, 16 KB, EOF, a timeout, or a byte no HTTP method starts with. */
    private void readHttpRequest(Socket socket) throws IOException {
        socket.setSoTimeout(1_000);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            while (seen.size() < 16 * 1024) {
                int n = in.read(buffer, 0, Math.min(buffer.length, 16 * 1024 - seen.size()));
                if (n < 0) {
                    return;
                }
                count(n);
                seen.write(buffer, 0, n);
                byte[] bytes = seen.toByteArray();
                if (bytes[0] < 'A' || bytes[0] > 'Z') {
                    return;
                }
                if (new String(bytes, StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            // Answer whatever arrived.
        }
    }

    /** Reads and discards until EOF, the peer is closed, or {@code limit} passes (null: no limit). */
    private void discardUntilClosed(Socket socket, Duration limit) throws IOException {
        socket.setSoTimeout(TICK_MILLIS);
        long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        while (!closed && System.nanoTime() - deadline < 0) {
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                count(n);
            } catch (SocketTimeoutException tick) {
                // Check closed and the deadline again.
            }
        }
    }

    /**
     * Sends FIN, then reads until the client closes (bounded), then closes. Closing with
     * unread input would send a reset instead of a clean close.
     */
    private void finishGracefully(Socket socket) throws IOException {
        socket.getOutputStream().flush();
        socket.shutdownOutput();
        discardUntilClosed(socket, DRAIN_LIMIT);
        socket.close();
    }

    private void write(Socket socket, byte[] bytes) throws IOException {
        write(socket, bytes, bytes.length);
    }

    private void write(Socket socket, byte[] bytes, int length) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes, 0, length);
        out.flush();
        bytesSent.addAndGet(length);
    }

    private int readFully(InputStream in, byte[] buffer, int offset, int length) throws IOException {
        int total = 0;
        while (total < length) {
            int n = in.read(buffer, offset + total, length - total);
            if (n < 0) {
                break;
            }
            count(n);
            total += n;
        }
        return total;
    }

    private void count(int n) {
        if (n > 0) {
            bytesReceived.addAndGet(n);
        }
    }

    /**
     * Handshake records of 64 bytes each: the first starts a ServerHello that declares a body
     * of 28 KB minus 4, so that header plus body fill exactly 448 records.
     */
    private static byte[] dripStream() {
        int records = 448;
        int declared = records * 64 - 4;
        byte[] out = new byte[records * 69];
        for (int r = 0; r < records; r++) {
            int at = r * 69;
            out[at] = 0x16;
            out[at + 1] = 0x03;
            out[at + 2] = 0x03;
            out[at + 3] = 0x00;
            out[at + 4] = 0x40;
        }
        out[5] = 0x02; // server_hello
        out[6] = (byte) (declared >> 16);
        out[7] = (byte) (declared >> 8);
        out[8] = (byte) declared;
        out[9] = 0x03; // legacy_version TLS 1.2
        out[10] = 0x03;
        for (int i = 0; i < 32; i++) {
            out[11 + i] = (byte) (0x5A ^ i); // server random: any fixed value will do
        }
        return out; // everything else, including the session id length, stays zero
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Closing is best effort.
        }
    }
}
