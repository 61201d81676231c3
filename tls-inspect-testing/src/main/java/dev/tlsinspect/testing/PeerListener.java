package dev.tlsinspect.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listening half the scripted peers share: a loopback server socket, one daemon thread per
 * connection, a count of connections, and a close that stops listening, closes every socket and
 * joins the threads (up to 5 s).
 */
final class PeerListener implements AutoCloseable {
    /** What a peer does with one accepted connection; the socket is closed afterwards. */
    interface Handler {
        void serve(Socket socket) throws IOException, InterruptedException;
    }

    private final ServerSocket serverSocket;
    private final DaemonThreads threads;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;

    /**
     * Binds a free port on {@code host} and starts accepting.
     *
     * @param host the loopback address to bind
     * @param name the thread-name prefix (the port is appended)
     * @param handler what each connection gets
     */
    PeerListener(String host, String name, Handler handler) {
        try {
            this.serverSocket = new ServerSocket(0, 50, InetAddress.getByName(host));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + name + " on " + host, e);
        }
        this.threads = new DaemonThreads(name + "-" + serverSocket.getLocalPort());
        threads.start(() -> acceptLoop(handler));
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    boolean closed() {
        return closed;
    }

    /** Runs a task on one more daemon thread of this peer (joined on close). */
    void start(Runnable task) {
        threads.start(task);
    }

    /** Closes this socket too when the peer is closed, until {@link #forget} is called. */
    void track(Socket socket) {
        sockets.add(socket);
    }

    void forget(Socket socket) {
        sockets.remove(socket);
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(serverSocket);
        sockets.forEach(PeerListener::closeQuietly);
        threads.interruptAll();
        threads.joinAll(Duration.ofSeconds(5));
    }

    private void acceptLoop(Handler handler) {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return;
            }
            if (closed) {
                closeQuietly(socket);
                return;
            }
            sockets.add(socket);
            connections.incrementAndGet();
            threads.start(() -> serve(handler, socket));
        }
    }

    private void serve(Handler handler, Socket socket) {
        try {
            handler.serve(socket);
        } catch (IOException e) {
            // The client went away: what every flood ends with.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(socket);
            sockets.remove(socket);
        }
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // best effort
        }
    }
}
