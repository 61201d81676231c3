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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback middlebox that filters by server name, as an egress firewall, IPS or national
 * filter does: it reads the client's first TLS record, takes the server name from its SNI
 * extension, and resets the connection (TCP RST) when the name is the blocked one. Any other
 * connection (another name, no SNI, not TLS) is relayed byte for byte to the upstream server.
 *
 * <pre>{@code
 * try (TlsServer server = TlsServer.builder().certificate(leaf).start();
 *      SniFilterPeer filter = SniFilterPeer.blocking("blocked.example", server.address())) {
 *     // connect to filter.address() with SNI blocked.example: reset; with another name: TLS
 * }
 * }</pre>
 *
 * <p>Reads are bounded (the first record is at most 16 KB plus its header; 2 s to arrive) and
 * every connection runs on daemon threads that {@link #close()} ends.
 *
 * @since 0.1.0
 */
public final class SniFilterPeer implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final int MAX_RECORD = 16 * 1024 + 256;
    private static final int FIRST_RECORD_TIMEOUT_MILLIS = 2_000;
    private static final int TICK_MILLIS = 100;

    private final String blocked;
    private final boolean stall;
    private final InetSocketAddress upstream;
    private final ServerSocket serverSocket;
    private final DaemonThreads threads;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger reset = new AtomicInteger();
    private final AtomicInteger relayed = new AtomicInteger();
    private volatile boolean closed;

    private SniFilterPeer(String blocked, boolean stall, InetSocketAddress upstream) {
        this.blocked = blocked;
        this.stall = stall;
        this.upstream = upstream;
        try {
            this.serverSocket = new ServerSocket(0, 50, InetAddress.getByName(HOST));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the SNI filter on " + HOST, e);
        }
        this.threads = new DaemonThreads("tls-inspect-fake-peer-sni-filter-" + serverSocket.getLocalPort());
        threads.start(this::acceptLoop);
    }

    /**
     * Starts a filter that resets connections whose SNI is {@code blockedName} and relays the rest
     * to {@code upstream}.
     *
     * @param blockedName the server name to block, matched case-insensitively
     * @param upstream a loopback server to relay every other connection to
     * @return the running filter
     * @throws IllegalArgumentException if {@code upstream} is not a loopback address
     * @since 0.1.0
     */
    public static SniFilterPeer blocking(String blockedName, InetSocketAddress upstream) {
        return start(blockedName, false, upstream);
    }

    /**
     * Starts a filter that swallows connections whose SNI is {@code blockedName}: it keeps them
     * open and never answers, as filters that drop packets do, until the client gives up or the
     * filter is closed. Every other connection is relayed to {@code upstream}.
     *
     * @param blockedName the server name to block, matched case-insensitively
     * @param upstream a loopback server to relay every other connection to
     * @return the running filter
     * @throws IllegalArgumentException if {@code upstream} is not a loopback address
     * @since 0.1.0
     */
    public static SniFilterPeer stalling(String blockedName, InetSocketAddress upstream) {
        return start(blockedName, true, upstream);
    }

    private static SniFilterPeer start(String blockedName, boolean stall, InetSocketAddress upstream) {
        Objects.requireNonNull(blockedName, "blockedName");
        Objects.requireNonNull(upstream, "upstream");
        if (upstream.getAddress() == null || !upstream.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the upstream must be a loopback address: " + upstream);
        }
        return new SniFilterPeer(blockedName.toLowerCase(Locale.ROOT), stall, upstream);
    }

    /**
     * Returns the port the filter listens on.
     *
     * @return the ephemeral port on {@code 127.0.0.1}
     * @since 0.1.0
     */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /**
     * Returns the address the filter listens on.
     *
     * @return {@code 127.0.0.1} and {@link #port()}
     * @since 0.1.0
     */
    public InetSocketAddress address() {
        return new InetSocketAddress(serverSocket.getInetAddress(), port());
    }

    /**
     * Returns how many connections were reset (or, for {@link #stalling}, swallowed) for the
     * blocked name.
     *
     * @return the count so far
     * @since 0.1.0
     */
    public int resetConnections() {
        return reset.get();
    }

    /**
     * Returns how many connections were relayed upstream.
     *
     * @return the count so far
     * @since 0.1.0
     */
    public int relayedConnections() {
        return relayed.get();
    }

    /**
     * Closes the listener and every connection and waits briefly for the threads to end.
     * Idempotent.
     *
     * @since 0.1.0
     */
    @Override
    public void close() {
        closed = true;
        closeQuietly(serverSocket);
        sockets.forEach(SniFilterPeer::closeQuietly);
        threads.interruptAll();
        threads.joinAll(Duration.ofSeconds(5));
    }

    @Override
    public String toString() {
        return "SniFilterPeer[blocking " + blocked + " on " + HOST + ":" + port() + " -> " + upstream + "]";
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = serverSocket.accept();
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(client);
            threads.start(() -> serve(client));
        }
    }

    private void serve(Socket client) {
        Socket server = null;
        try {
            byte[] first = readFirstRecord(client);
            Optional<String> name = serverName(first);
            if (name.isPresent() && name.get().equalsIgnoreCase(blocked)) {
                reset.incrementAndGet();
                if (stall) {
                    discardUntilClosed(client);
                    return;
                }
                client.setSoLinger(true, 0); // RST, as filtering middleboxes send
                client.close();
                return;
            }
            server = new Socket();
            sockets.add(server);
            server.connect(upstream, 2_000);
            relayed.incrementAndGet();
            server.getOutputStream().write(first);
            server.getOutputStream().flush();
            Socket up = server;
            threads.start(() -> pump(up, client));
            pump(client, up);
        } catch (IOException e) {
            // Either side went away: end both.
        } finally {
            closeQuietly(client);
            sockets.remove(client);
            if (server != null) {
                closeQuietly(server);
                sockets.remove(server);
            }
        }
    }

    /** Copies until EOF or close, then half-closes the other side so its reader sees EOF too. */
    private void pump(Socket from, Socket to) {
        try {
            from.setSoTimeout(TICK_MILLIS);
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[8192];
            while (!closed) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException tick) {
                    continue;
                }
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(to);
        }
    }

    /** Reads and drops what the client sends until it closes or the filter is closed. */
    private void discardUntilClosed(Socket socket) throws IOException {
        socket.setSoTimeout(TICK_MILLIS);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        while (!closed) {
            try {
                if (in.read(buffer) < 0) {
                    return;
                }
            } catch (SocketTimeoutException tick) {
                // Check closed again.
            }
        }
    }

    /** The first TLS record, whole, or whatever arrived when it is not one. */
    private static byte[] readFirstRecord(Socket socket) throws IOException {
        socket.setSoTimeout(FIRST_RECORD_TIMEOUT_MILLIS);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[5];
        try {
            int n = readFully(in, header, 0, 5);
            out.write(header, 0, n);
            if (n < 5 || header[0] != 0x16) {
                return out.toByteArray();
            }
            int length = Math.min(((header[3] & 0xFF) << 8) | (header[4] & 0xFF), MAX_RECORD);
            byte[] body = new byte[length];
            out.write(body, 0, readFully(in, body, 0, length));
        } catch (SocketTimeoutException e) {
            // Relay what arrived.
        }
        return out.toByteArray();
    }

    private static int readFully(InputStream in, byte[] buffer, int offset, int length) throws IOException {
        int total = 0;
        while (total < length) {
            int n = in.read(buffer, offset + total, length - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /**
     * The host name of the SNI extension (RFC 6066 section 3) of a ClientHello record; empty when
     * there is none or the record is malformed or split.
     */
    static Optional<String> serverName(byte[] record) {
        try {
            ByteBuffer b = ByteBuffer.wrap(record);
            if (b.get() != 0x16) {
                return Optional.empty();
            }
            b.position(5);
            if (b.get() != 0x01) { // client_hello
                return Optional.empty();
            }
            b.position(b.position() + 3 + 2 + 32); // length, legacy_version, random
            int sessionId = b.get() & 0xFF;
            b.position(b.position() + sessionId);
            int suites = b.getShort() & 0xFFFF;
            b.position(b.position() + suites);
            int compression = b.get() & 0xFF;
            b.position(b.position() + compression);
            int extensions = b.getShort() & 0xFFFF;
            int end = b.position() + extensions;
            while (b.position() + 4 <= Math.min(end, b.limit())) {
                int type = b.getShort() & 0xFFFF;
                int length = b.getShort() & 0xFFFF;
                int next = b.position() + length;
                if (type == 0x0000) {
                    int list = b.getShort() & 0xFFFF;
                    int listEnd = b.position() + list;
                    while (b.position() + 3 <= Math.min(listEnd, next)) {
                        int nameType = b.get() & 0xFF;
                        int nameLength = b.getShort() & 0xFFFF;
                        byte[] name = new byte[nameLength];
                        b.get(name);
                        if (nameType == 0) {
                            return Optional.of(new String(name, StandardCharsets.US_ASCII));
                        }
                    }
                    return Optional.empty();
                }
                b.position(next);
            }
            return Optional.empty();
        } catch (RuntimeException malformed) { // BufferUnderflow, IllegalArgument from position()
            return Optional.empty();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Closing is best effort.
        }
    }
}
