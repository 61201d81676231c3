package dev.tlsinspect.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The plumbing the plaintext fakes share: a listener on 127.0.0.1, one daemon thread per
 * connection, bounded line reads with a timeout, and a close that ends every socket and thread.
 */
final class Loopback implements AutoCloseable {
    static final int READ_TIMEOUT_MILLIS = 10_000;
    static final int MAX_LINE = 8192;

    @FunctionalInterface
    interface Handler {
        void serve(Socket socket) throws IOException;
    }

    private final ServerSocket serverSocket;
    private final DaemonThreads threads;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    Loopback(String name, Handler handler) {
        try {
            this.serverSocket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + name + " on 127.0.0.1", e);
        }
        this.threads = new DaemonThreads("tls-inspect-" + name + "-" + serverSocket.getLocalPort());
        threads.start(() -> acceptLoop(handler));
    }

    private void acceptLoop(Handler handler) {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return;
            }
            track(socket);
            threads.start(() -> {
                try {
                    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
                    handler.serve(socket);
                } catch (IOException | RuntimeException e) {
                    if (!closed) {
                        errors.add(e);
                    }
                } finally {
                    closeQuietly(socket);
                    sockets.remove(socket);
                }
            });
        }
    }

    /** Registers a socket (accepted, or opened towards a backend) to close with the server. */
    void track(Socket socket) {
        sockets.add(socket);
        if (closed) {
            closeQuietly(socket);
        }
    }

    /** Runs a task on a thread that {@link #close()} waits for. */
    void start(Runnable task) {
        threads.start(task);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(serverSocket.getInetAddress(), serverSocket.getLocalPort());
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    List<Throwable> errors() {
        return List.copyOf(errors);
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // already closed
        }
        sockets.forEach(Loopback::closeQuietly);
        threads.interruptAll();
        threads.joinAll(Duration.ofSeconds(5));
    }

    /** A line without CR LF, at most {@link #MAX_LINE} bytes. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("end of stream");
            }
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }

    static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] out = in.readNBytes(n);
        if (out.length < n) {
            throw new EOFException("end of stream after " + out.length + " of " + n + " bytes");
        }
        return out;
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
