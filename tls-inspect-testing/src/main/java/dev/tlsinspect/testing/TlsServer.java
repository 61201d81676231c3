package dev.tlsinspect.testing;

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
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * An in-JVM JSSE TLS server on {@code 127.0.0.1} and an ephemeral port, sending exactly the
 * certificate chain it is given, so that tests can serve complete, incomplete, reversed or
 * padded chains.
 *
 * <pre>{@code
 * try (TlsServer server = TlsServer.builder()
 *         .certificateChain(leaf, intermediate.certificate())
 *         .start()) {
 *     // connect to server.address()
 * }
 * }</pre>
 *
 * <p>Each connection is served on a small pool of daemon threads: the server completes the
 * handshake, reads at most one request line (with a short timeout), answers {@code HTTP/1.1 200
 * OK} with {@code Connection: close}, and closes. Handshake failures on the server side are
 * recorded in {@link #serverErrors()}, never thrown.
 *
 * <p>The server has its own {@link SSLContext}; the JVM default is neither used nor changed.
 * Protocol versions disabled by the JVM's {@code jdk.tls.disabledAlgorithms} (TLS 1.0 and 1.1
 * on current JDKs) cannot be served by this server; use a Bouncy Castle server for those.
 *
 * @since 0.1.0
 */
public final class TlsServer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final int MAX_REQUEST_LINE = 8192;
    private static final int CLOSE_WAIT_MILLIS = 200;
    private static final int LINGER_MILLIS = 1_000;

    /**
     * Whether the server asks for a client certificate.
     *
     * @since 0.1.0
     */
    public enum ClientAuth {
        /** No certificate request. */
        NONE,
        /** Request a certificate; continue without one. */
        WANT,
        /** Require a certificate trusted by {@link Builder#trustedClientCas(X509Certificate...)}. */
        NEED
    }

    /**
     * What the server saw of one completed handshake.
     *
     * @param protocol the negotiated protocol, for example {@code "TLSv1.3"}
     * @param cipherSuite the negotiated cipher suite
     * @param serverName the SNI host name the client sent, if any
     * @param applicationProtocol the ALPN protocol negotiated, or {@code ""} for none
     * @param clientCertificates the client's certificate chain; empty when it sent none
     * @since 0.1.0
     */
    public record Handshake(String protocol, String cipherSuite, Optional<String> serverName,
            String applicationProtocol, List<X509Certificate> clientCertificates) {

        /**
         * Checks and copies the components.
         *
         * @param protocol the negotiated protocol
         * @param cipherSuite the negotiated cipher suite
         * @param serverName the SNI host name, if any
         * @param applicationProtocol the ALPN protocol, or {@code ""}
         * @param clientCertificates the client's certificate chain, possibly empty
         */
        public Handshake {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(cipherSuite, "cipherSuite");
            Objects.requireNonNull(serverName, "serverName");
            Objects.requireNonNull(applicationProtocol, "applicationProtocol");
            clientCertificates = List.copyOf(clientCertificates);
        }
    }

    private final ServerSocket serverSocket;
    private final SSLSocketFactory socketFactory;
    private final SSLParameters parameters;
    private final List<X509Certificate> sentChain;
    private final Duration handshakeTimeout;
    private final Duration requestTimeout;
    private final DaemonThreads threads;
    private final ThreadPoolExecutor workers;
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<Handshake> handshakes = new CopyOnWriteArrayList<>();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final Optional<Instant> dateHeader;
    private final Object progress = new Object();
    private final Object lifecycle = new Object();
    private int accepted;
    private int finished;
    private volatile boolean closed;

    private TlsServer(Builder builder) throws IOException, GeneralSecurityException {
        this.sentChain = builder.sentChain == null ? List.of() : List.copyOf(builder.sentChain);
        this.handshakeTimeout = builder.handshakeTimeout;
        this.requestTimeout = builder.requestTimeout;
        this.dateHeader = builder.dateHeader;

        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                new javax.net.ssl.KeyManager[] {keyManager(builder, sentChain)},
                new TrustManager[] {clientTrustManager(builder.trustedClientCas)},
                new SecureRandom());
        this.socketFactory = context.getSocketFactory();
        this.parameters = parameters(context, builder);

        this.serverSocket = new ServerSocket(builder.port, 50, builder.bindAddress);
        String name = "tls-inspect-tls-server-" + serverSocket.getLocalPort();
        this.threads = new DaemonThreads(name);
        this.workers = new ThreadPoolExecutor(builder.maxConcurrentConnections, builder.maxConcurrentConnections,
                1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(64), threads);
        this.workers.allowCoreThreadTimeOut(true);
        threads.start(this::acceptLoop);
    }

    /**
     * The request lines clients sent after the handshake, in arrival order (for example {@code
     * HEAD / HTTP/1.1}); clients that only handshake send none.
     *
     * @return the request lines so far
     * @since 0.1.0
     */
    public List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    /**
     * Starts configuring a server.
     *
     * @return a new builder
     * @since 0.1.0
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the host the server listens on.
     *
     * @return the bound address, {@code "127.0.0.1"} unless {@link Builder#bind} chose another
     * @since 0.1.0
     */
    public String host() {
        return serverSocket.getInetAddress().getHostAddress();
    }

    /**
     * Returns the ephemeral port the server listens on.
     *
     * @return the port
     * @since 0.1.0
     */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /**
     * Returns the address the server listens on.
     *
     * @return {@code 127.0.0.1} and {@link #port()}
     * @since 0.1.0
     */
    public InetSocketAddress address() {
        return new InetSocketAddress(serverSocket.getInetAddress(), port());
    }

    /**
     * Returns the certificates the server sends, in order.
     *
     * @return the chain as configured
     * @since 0.1.0
     */
    public List<X509Certificate> sentChain() {
        return sentChain;
    }

    /**
     * Returns how many TCP connections the server has accepted.
     *
     * @return the count so far
     * @since 0.1.0
     */
    public int connections() {
        synchronized (progress) {
            return accepted;
        }
    }

    /**
     * Returns how many handshakes completed on the server side.
     *
     * @return the count so far
     * @since 0.1.0
     */
    public int handshakes() {
        return handshakes.size();
    }

    /**
     * Returns the completed handshakes, oldest first.
     *
     * @return a snapshot
     * @since 0.1.0
     */
    public List<Handshake> completedHandshakes() {
        return List.copyOf(handshakes);
    }

    /**
     * Returns the exceptions from handshakes that failed on the server side, oldest first.
     *
     * @return a snapshot
     * @since 0.1.0
     */
    public List<Throwable> serverErrors() {
        return List.copyOf(errors);
    }

    /**
     * Waits until at least {@code count} connections have been fully handled (handshake
     * completed or failed, response written, socket closed). The server records a failure a
     * moment after the client sees it; wait with this before asserting on
     * {@link #serverErrors()}.
     *
     * @param count the number of finished connections to wait for
     * @param timeout how long to wait at most
     * @return whether that many connections finished in time
     * @throws InterruptedException if interrupted while waiting
     * @since 0.1.0
     */
    public boolean awaitFinishedConnections(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (finished < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(progress, left);
            }
            return true;
        }
    }

    /**
     * Stops accepting, closes every open connection and waits briefly for the server's threads
     * to end. Idempotent.
     *
     * @since 0.1.0
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true; // from here on no connection is handed to a worker
        }
        closeQuietly(serverSocket);
        workers.shutdownNow();
        openSockets.forEach(TlsServer::closeQuietly);
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.joinAll(Duration.ofSeconds(5));
    }

    @Override
    public String toString() {
        return "TlsServer[" + host() + ":" + port() + ", protocols=" + Arrays.toString(parameters.getProtocols()) + "]";
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
                // Real servers (nginx, OpenSSL) send handshake flights without Nagle's delay; without
                // this, a flight split over two writes waits for the client's delayed ACK (~40 ms).
                socket.setTcpNoDelay(true);
            } catch (IOException e) {
                return; // closed
            }
            boolean rejected = false;
            synchronized (lifecycle) {
                if (closed) {
                    closeQuietly(socket);
                    return;
                }
                openSockets.add(socket);
                synchronized (progress) {
                    accepted++;
                }
                try {
                    workers.execute(() -> serve(socket));
                } catch (RejectedExecutionException e) {
                    errors.add(e); // more connections than workers plus queue
                    rejected = true;
                }
            }
            if (rejected) {
                finish(socket);
            }
        }
    }

    private void serve(Socket raw) {
        try {
            raw.setSoTimeout(millis(handshakeTimeout));
            // Not auto-closing: when JSSE gives up it must not close the TCP socket itself, or
            // the client's unread flight turns the close into a reset that hides the alert.
            SSLSocket ssl = (SSLSocket) socketFactory.createSocket(raw, null, false);
            ssl.setSSLParameters(parameters);
            try {
                ssl.startHandshake();
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    errors.add(e);
                }
                return;
            }
            handshakes.add(describe(ssl));
            raw.setSoTimeout(millis(requestTimeout));
            readRequestLine(ssl.getInputStream()).ifPresent(requestLines::add);
            OutputStream out = ssl.getOutputStream();
            out.write(response());
            out.flush();
            raw.setSoTimeout(CLOSE_WAIT_MILLIS);
            ssl.close();
        } catch (IOException | RuntimeException e) {
            // After the handshake the client may hang up at any moment; that is not a server error.
        } finally {
            finish(raw);
        }
    }

    private void finish(Socket socket) {
        lingeringClose(socket);
        openSockets.remove(socket);
        synchronized (progress) {
            finished++;
            progress.notifyAll();
        }
    }

    /** Sends FIN, then reads until the client closes (briefly), so that the close is clean. */
    private void lingeringClose(Socket socket) {
        try {
            if (!closed && !socket.isClosed()) {
                socket.shutdownOutput();
                socket.setSoTimeout(CLOSE_WAIT_MILLIS);
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[4096];
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
                while (!closed && System.nanoTime() - deadline < 0 && in.read(buffer) >= 0) {
                    // discard
                }
            }
        } catch (IOException e) {
            // Timeout or reset: close anyway.
        } finally {
            closeQuietly(socket);
        }
    }

    /** The request line, when the client sent one (without its line end). */
    private static Optional<String> readRequestLine(InputStream in) {
        StringBuilder line = new StringBuilder();
        try {
            for (int i = 0; i < MAX_REQUEST_LINE; i++) {
                int b = in.read();
                if (b < 0 || b == '\n') {
                    break;
                }
                line.append((char) b);
            }
        } catch (SocketTimeoutException e) {
            // Clients that only handshake send nothing; answer anyway.
        } catch (IOException e) {
            // Client gone; the write that follows fails and ends the connection.
        }
        String text = line.toString().strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** The answer to every request; the Date header only when one was configured. */
    private byte[] response() {
        return ("HTTP/1.1 200 OK\r\n"
                + dateHeader.map(d -> "Date: " + HTTP_DATE.format(d) + "\r\n").orElse("")
                + "Content-Type: text/plain\r\n"
                + "Content-Length: 3\r\n"
                + "Connection: close\r\n"
                + "\r\n"
                + "ok\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static Handshake describe(SSLSocket ssl) {
        SSLSession session = ssl.getSession();
        Optional<String> serverName = Optional.empty();
        if (session instanceof ExtendedSSLSession) {
            for (SNIServerName name : ((ExtendedSSLSession) session).getRequestedServerNames()) {
                if (name instanceof SNIHostName) {
                    serverName = Optional.of(((SNIHostName) name).getAsciiName());
                }
            }
        }
        List<X509Certificate> clientChain = new ArrayList<>();
        try {
            for (Certificate certificate : session.getPeerCertificates()) {
                if (certificate instanceof X509Certificate) {
                    clientChain.add((X509Certificate) certificate);
                }
            }
        } catch (SSLPeerUnverifiedException noClientCertificate) {
            // Expected without client authentication.
        }
        String alpn = ssl.getApplicationProtocol();
        return new Handshake(session.getProtocol(), session.getCipherSuite(), serverName,
                alpn == null ? "" : alpn, clientChain);
    }

    private static javax.net.ssl.KeyManager keyManager(Builder builder, List<X509Certificate> sentChain) {
        if (builder.byServerName.isEmpty()) {
            return new FixedChainKeyManager(builder.privateKey, sentChain.toArray(X509Certificate[]::new));
        }
        SniKeyManager.Entry fallback = builder.privateKey == null ? null
                : new SniKeyManager.Entry(builder.privateKey, sentChain.toArray(X509Certificate[]::new));
        java.util.Map<String, SniKeyManager.Entry> byName = new java.util.HashMap<>();
        builder.byServerName.forEach((name, leaf) -> byName.put(name, new SniKeyManager.Entry(leaf.privateKey(),
                leaf.chainWithoutRoot().toArray(X509Certificate[]::new))));
        return new SniKeyManager(fallback, byName);
    }

    private static SSLParameters parameters(SSLContext context, Builder builder) {
        SSLParameters supported = context.getSupportedSSLParameters();
        requireSupported("protocol", builder.protocols, supported.getProtocols());
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(builder.protocols.toArray(String[]::new));
        if (builder.cipherSuites != null) {
            requireSupported("cipher suite", builder.cipherSuites, supported.getCipherSuites());
            parameters.setCipherSuites(builder.cipherSuites.toArray(String[]::new));
        }
        switch (builder.clientAuth) {
            case NEED:
                parameters.setNeedClientAuth(true);
                break;
            case WANT:
                parameters.setWantClientAuth(true);
                break;
            default:
                parameters.setNeedClientAuth(false);
                break;
        }
        parameters.setApplicationProtocols(builder.applicationProtocols.toArray(String[]::new));
        parameters.setUseCipherSuitesOrder(builder.serverCipherOrder);
        return parameters;
    }

    private static void requireSupported(String what, List<String> wanted, String[] supported) {
        List<String> known = Arrays.asList(supported);
        for (String name : wanted) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unsupported " + what + " in this JVM: " + name);
            }
        }
    }

    private static X509ExtendedTrustManager clientTrustManager(List<X509Certificate> trustedCas)
            throws GeneralSecurityException, IOException {
        if (trustedCas.isEmpty()) {
            return new RejectingTrustManager();
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < trustedCas.size(); i++) {
            store.setCertificateEntry("ca-" + i, trustedCas.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager) {
                return (X509ExtendedTrustManager) manager;
            }
        }
        throw new IllegalStateException("no X509ExtendedTrustManager from PKIX TrustManagerFactory");
    }

    private static int millis(Duration duration) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Closing is best effort.
        }
    }

    /** Used when no client CAs are configured: any client certificate is rejected. */
    private static final class RejectingTrustManager extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("no trusted client CAs configured on this test server");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a test server does not validate servers");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /**
     * Options for a {@link TlsServer}; {@link #start()} binds and starts it.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private List<X509Certificate> sentChain;
        private PrivateKey privateKey;
        private List<String> protocols = List.of("TLSv1.3", "TLSv1.2");
        private List<String> cipherSuites;
        private ClientAuth clientAuth = ClientAuth.NONE;
        private List<X509Certificate> trustedClientCas = List.of();
        private List<String> applicationProtocols = List.of();
        private Duration handshakeTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofMillis(500);
        private int maxConcurrentConnections = 4;
        private boolean serverCipherOrder = true;
        private Optional<Instant> dateHeader = Optional.empty();
        private InetAddress bindAddress = loopback();
        private int port;
        private final java.util.Map<String, IssuedCertificate> byServerName = new java.util.LinkedHashMap<>();

        private Builder() {}

        private static InetAddress loopback() {
            try {
                return InetAddress.getByName(HOST);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Listens on this loopback address and port instead of {@code 127.0.0.1} and an ephemeral
         * port: several servers on {@code 127.0.0.1}, {@code 127.0.0.2} and {@code ::1} with one
         * port stand for the backends behind one name.
         *
         * @param address a loopback address ({@code 127.0.0.0/8} or {@code ::1})
         * @param port the port, or 0 for an ephemeral one
         * @return this builder
         * @throws IllegalArgumentException if the address is not a loopback address, or the port
         *     is out of range
         * @since 0.1.0
         */
        public Builder bind(InetAddress address, int port) {
            Objects.requireNonNull(address, "address");
            if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException("test servers listen on loopback only: " + address);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            this.bindAddress = address;
            this.port = port;
            return this;
        }

        /**
         * Serves {@code leaf} (with {@link IssuedCertificate#chainWithoutRoot()}) to clients that
         * send {@code serverName} in SNI, like a virtual host. Other clients get the certificate
         * set with {@link #certificate}, {@link #certificateChain} or {@link #chain}, or, without
         * one, no certificate at all: their handshake fails with {@code handshake_failure}, as on
         * a server with no default certificate.
         *
         * @param serverName the server name, matched case-insensitively
         * @param leaf the certificate and key for that name
         * @return this builder
         * @since 0.1.0
         */
        public Builder certificateFor(String serverName, IssuedCertificate leaf) {
            Objects.requireNonNull(serverName, "serverName");
            byServerName.put(serverName.toLowerCase(java.util.Locale.ROOT), Objects.requireNonNull(leaf, "leaf"));
            return this;
        }

        /**
         * Sends this time in a {@code Date} header of every HTTP answer (default: no Date header),
         * so that a test can play a server whose clock differs from the test's.
         *
         * @param date the time to announce
         * @return this builder
         * @since 0.1.0
         */
        public Builder dateHeader(Instant date) {
            this.dateHeader = Optional.of(Objects.requireNonNull(date, "date"));
            return this;
        }

        /**
         * Sets whether the server picks the suite by the order of
         * {@link #cipherSuites(String...)} (default {@code true}, JSSE's own default) or takes the
         * client's first acceptable one.
         *
         * @param value whether the server's order wins
         * @return this builder
         * @since 0.1.0
         */
        public Builder serverCipherOrder(boolean value) {
            this.serverCipherOrder = value;
            return this;
        }

        /**
         * Serves {@code leaf}'s key and sends exactly {@code leaf.certificate()} followed by
         * {@code sentChain}, in that order. Give nothing after the leaf to send an incomplete
         * chain, the issuers in the wrong order to send a reversed one, or unrelated
         * certificates to send extras.
         *
         * @param leaf the server certificate and its private key
         * @param sentChain the certificates to send after the leaf
         * @return this builder
         * @since 0.1.0
         */
        public Builder certificateChain(IssuedCertificate leaf, X509Certificate... sentChain) {
            Objects.requireNonNull(leaf, "leaf");
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(leaf.certificate());
            chain.addAll(List.of(Objects.requireNonNull(sentChain, "sentChain")));
            return chain(chain, leaf.privateKey());
        }

        /**
         * Serves {@code leaf}'s key with the chain a correctly configured server sends:
         * {@link IssuedCertificate#chainWithoutRoot()}.
         *
         * @param leaf the server certificate, issued by the chain it carries
         * @return this builder
         * @since 0.1.0
         */
        public Builder certificate(IssuedCertificate leaf) {
            Objects.requireNonNull(leaf, "leaf");
            return chain(leaf.chainWithoutRoot(), leaf.privateKey());
        }

        /**
         * Sends exactly {@code sent} and signs with {@code key}, which need not match the first
         * certificate (a mismatched key makes every handshake fail, which can be the point).
         *
         * @param sent the certificates to send, in order; may be empty
         * @param key the server's private key
         * @return this builder
         * @since 0.1.0
         */
        public Builder chain(List<X509Certificate> sent, PrivateKey key) {
            this.sentChain = List.copyOf(Objects.requireNonNull(sent, "sent"));
            this.privateKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * Sets the enabled protocols (default {@code TLSv1.3, TLSv1.2}).
         *
         * @param protocols JSSE protocol names
         * @return this builder
         * @since 0.1.0
         */
        public Builder protocols(String... protocols) {
            List<String> copy = List.of(Objects.requireNonNull(protocols, "protocols"));
            if (copy.isEmpty()) {
                throw new IllegalArgumentException("at least one protocol is needed");
            }
            this.protocols = copy;
            return this;
        }

        /**
         * Sets the enabled cipher suites (default: the JVM's defaults).
         *
         * @param cipherSuites JSSE cipher suite names
         * @return this builder
         * @since 0.1.0
         */
        public Builder cipherSuites(String... cipherSuites) {
            List<String> copy = List.of(Objects.requireNonNull(cipherSuites, "cipherSuites"));
            if (copy.isEmpty()) {
                throw new IllegalArgumentException("at least one cipher suite is needed");
            }
            this.cipherSuites = copy;
            return this;
        }

        /**
         * Sets whether a client certificate is requested (default {@link ClientAuth#NONE}).
         *
         * @param clientAuth the mode
         * @return this builder
         * @since 0.1.0
         */
        public Builder clientAuth(ClientAuth clientAuth) {
            this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
            return this;
        }

        /**
         * Sets the CAs client certificates must chain to. Without any, every client certificate
         * is rejected.
         *
         * @param cas trust anchors for client certificates
         * @return this builder
         * @since 0.1.0
         */
        public Builder trustedClientCas(X509Certificate... cas) {
            this.trustedClientCas = List.of(Objects.requireNonNull(cas, "cas"));
            return this;
        }

        /**
         * Sets the ALPN protocols the server accepts, in preference order (default: no ALPN).
         *
         * @param protocols for example {@code "h2", "http/1.1"}
         * @return this builder
         * @since 0.1.0
         */
        public Builder applicationProtocols(String... protocols) {
            this.applicationProtocols = List.of(Objects.requireNonNull(protocols, "protocols"));
            return this;
        }

        /**
         * Sets how long the server waits for a client during the handshake (default 5 s).
         *
         * @param timeout a positive duration
         * @return this builder
         * @since 0.1.0
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive(timeout, "timeout");
            return this;
        }

        /**
         * Sets how long the server waits for a request line after the handshake before it
         * answers anyway (default 500 ms).
         *
         * @param timeout a positive duration
         * @return this builder
         * @since 0.1.0
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "timeout");
            return this;
        }

        /**
         * Sets how many connections are served at once (default 4); more wait in a queue.
         *
         * @param max at least 1
         * @return this builder
         * @since 0.1.0
         */
        public Builder maxConcurrentConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("max must be at least 1: " + max);
            }
            this.maxConcurrentConnections = max;
            return this;
        }

        /**
         * Binds ({@code 127.0.0.1} and an ephemeral port unless {@link #bind} says otherwise) and starts serving.
         *
         * @return the running server; close it when done
         * @throws IllegalStateException if no certificate chain was set
         * @throws IllegalArgumentException if a protocol or cipher suite is unknown to the JVM
         * @throws UncheckedIOException if the port cannot be bound
         * @since 0.1.0
         */
        public TlsServer start() {
            if (privateKey == null && byServerName.isEmpty()) {
                throw new IllegalStateException(
                        "set certificateChain(...), certificate(...), chain(...) or certificateFor(...) first");
            }
            try {
                return new TlsServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start TLS server", e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot set up TLS server: " + e.getMessage(), e);
            }
        }

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + duration);
            }
            return duration;
        }
    }
}
