package dev.tlsinspect.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SNTP server (RFC 4330) on {@code 127.0.0.1} UDP and an ephemeral port that answers with the
 * time of a chosen clock, or, when {@link #silent()}, never answers. For tests of clock checks:
 *
 * <pre>{@code
 * Clock serverTime = Clock.offset(Clock.systemUTC(), Duration.ofDays(-3));
 * try (FakeSntpServer sntp = FakeSntpServer.answering(serverTime)) {
 *     // ask 127.0.0.1:sntp.port()
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class FakeSntpServer implements AutoCloseable {
    private static final long NTP_EPOCH_OFFSET = 2_208_988_800L;

    private final DatagramSocket socket;
    private final Clock clock;
    private final boolean answer;
    private final AtomicInteger requests = new AtomicInteger();
    private final DaemonThreads threads;

    private FakeSntpServer(Clock clock, boolean answer) {
        this.clock = clock;
        this.answer = answer;
        try {
            this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a UDP port on 127.0.0.1", e);
        }
        this.threads = new DaemonThreads("tls-inspect-fake-sntp-" + socket.getLocalPort());
        threads.start(this::serve);
    }

    /**
     * A server whose clock is {@code clock}: its receive and transmit timestamps are read from it.
     *
     * @param clock the server's time
     * @return the running server; close it when done
     * @since 0.1.0
     */
    public static FakeSntpServer answering(Clock clock) {
        return new FakeSntpServer(Objects.requireNonNull(clock, "clock"), true);
    }

    /**
     * A server that reads requests and never answers, like a dropped UDP port.
     *
     * @return the running server; close it when done
     * @since 0.1.0
     */
    public static FakeSntpServer silent() {
        return new FakeSntpServer(Clock.systemUTC(), false);
    }

    /**
     * The UDP port.
     *
     * @return the port on {@code 127.0.0.1}
     * @since 0.1.0
     */
    public int port() {
        return socket.getLocalPort();
    }

    /**
     * How many requests arrived so far.
     *
     * @return the count
     * @since 0.1.0
     */
    public int requests() {
        return requests.get();
    }

    private void serve() {
        byte[] buf = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(in);
            } catch (IOException e) {
                return; // closed
            }
            Instant received = clock.instant();
            if (in.getLength() < 48) {
                continue;
            }
            requests.incrementAndGet();
            if (!answer) {
                continue;
            }
            int version = (buf[0] >> 3) & 0x07;
            long transmit = ByteBuffer.wrap(buf, 0, in.getLength()).getLong(40);
            byte[] out = new byte[48];
            out[0] = (byte) ((version << 3) | 4); // no leap warning, the client's version, mode 4 (server)
            out[1] = 1; // stratum 1: a primary reference
            out[3] = (byte) -20; // precision about 1 microsecond
            out[12] = 'G';
            out[13] = 'P';
            out[14] = 'S';
            ByteBuffer b = ByteBuffer.wrap(out);
            b.putLong(16, ntp(received));
            b.putLong(24, transmit);
            b.putLong(32, ntp(received));
            b.putLong(40, ntp(clock.instant()));
            try {
                socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static long ntp(Instant t) {
        long seconds = t.getEpochSecond() + NTP_EPOCH_OFFSET;
        long fraction = ((long) t.getNano() << 32) / 1_000_000_000L;
        return (seconds << 32) | (fraction & 0xFFFFFFFFL);
    }

    /** Stops the server and frees the port. */
    @Override
    public void close() {
        socket.close();
        threads.joinAll(Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return "FakeSntpServer[127.0.0.1:" + port() + (answer ? "" : ", silent") + "]";
    }
}
