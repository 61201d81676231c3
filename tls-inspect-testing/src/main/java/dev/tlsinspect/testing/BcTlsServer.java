package dev.tlsinspect.testing;

import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.NamedGroup;
import dev.tlsinspect.probe.TlsVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.KeyExchangeAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.DHGroup;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsDHConfig;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedDecryptor;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * An in-JVM Bouncy Castle TLS server on {@code 127.0.0.1} and an ephemeral port, for what a JSSE
 * server cannot serve: TLS 1.0 and 1.1, {@code TLS_RSA_*} and other legacy suites, hybrid
 * post-quantum groups such as X25519MLKEM768.
 *
 * <pre>{@code
 * try (BcTlsServer server = BcTlsServer.builder()
 *         .certificate(leaf)
 *         .versions(TlsVersion.TLS_1_2)
 *         .cipherSuites(CipherSuite.of(0x002F))
 *         .start()) {
 *     // connect to 127.0.0.1:server.port()
 * }
 * }</pre>
 *
 * <p>Each connection is served on its own daemon thread: the server completes the handshake,
 * reads briefly, and closes. Handshake failures are recorded in {@link #serverErrors()}, never
 * thrown. It uses Bouncy Castle's lightweight crypto and installs no JCA provider.
 *
 * @since 0.1.0
 */
public final class BcTlsServer implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What the server saw of one completed handshake.
     *
     * @param version the negotiated version
     * @param cipherSuite the negotiated suite
     * @param namedGroup the TLS 1.3 key-exchange group, or -1
     * @since 0.1.0
     */
    public record Handshake(TlsVersion version, CipherSuite cipherSuite, int namedGroup) {
        /**
         * Checks the components.
         *
         * @param version the version
         * @param cipherSuite the suite
         * @param namedGroup the group code or -1
         */
        public Handshake {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(cipherSuite, "cipherSuite");
        }
    }

    private final Builder config;
    private final ServerSocket serverSocket;
    private final DaemonThreads threads;
    private final AsymmetricKeyParameter key;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<Handshake> handshakes = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private BcTlsServer(Builder config) throws IOException {
        this.config = config;
        this.key = PrivateKeyFactory.createKey(config.privateKey.getEncoded());
        this.serverSocket = new ServerSocket(0, 50, InetAddress.getByName(HOST));
        this.threads = new DaemonThreads("tls-inspect-bc-server-" + serverSocket.getLocalPort());
        threads.start(this::acceptLoop);
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
     * Returns the ephemeral port the server listens on.
     *
     * @return the port
     * @since 0.1.0
     */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /**
     * Returns the host the server listens on.
     *
     * @return always {@code "127.0.0.1"}
     * @since 0.1.0
     */
    public String host() {
        return HOST;
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
     * Waits until at least {@code count} handshakes have completed on the server side; the server
     * records a handshake a moment after the client sees it.
     *
     * @param count how many
     * @param timeout how long to wait at most
     * @return whether that many completed in time
     * @throws InterruptedException if interrupted while waiting
     * @since 0.1.0
     */
    public boolean awaitHandshakes(int count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (handshakes) {
            while (handshakes.size() < count) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(handshakes, left);
            }
            return true;
        }
    }

    /**
     * Returns the exceptions of handshakes that failed on the server side, oldest first.
     *
     * @return a snapshot
     * @since 0.1.0
     */
    public List<Throwable> serverErrors() {
        return List.copyOf(errors);
    }

    /**
     * Stops accepting, closes every connection and waits briefly for the threads to end.
     * Idempotent.
     *
     * @since 0.1.0
     */
    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // best effort
        }
        open.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // best effort
            }
        });
        threads.interruptAll();
        threads.joinAll(Duration.ofSeconds(5));
    }

    @Override
    public String toString() {
        return "BcTlsServer[" + HOST + ":" + port() + ", versions=" + config.versions + "]";
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return;
            }
            open.add(socket);
            threads.start(() -> serve(socket));
        }
    }

    private void serve(Socket socket) {
        try {
            socket.setSoTimeout((int) config.handshakeTimeout.toMillis());
            TlsServerProtocol protocol = new TlsServerProtocol(socket.getInputStream(), socket.getOutputStream());
            Server server = new Server(new BcTlsCrypto(RANDOM));
            protocol.accept(server);
            SecurityParameters sp = server.context().getSecurityParametersConnection();
            synchronized (handshakes) {
                handshakes.add(new Handshake(TlsVersion.of(sp.getNegotiatedVersion().getFullVersion()),
                        CipherSuite.of(sp.getCipherSuite()), sp.getNegotiatedGroup()));
                handshakes.notifyAll();
            }
            socket.setSoTimeout(200);
            try {
                InputStream in = protocol.getInputStream();
                in.read(new byte[256]);
            } catch (IOException quiet) {
                // the client went away or said nothing: fine
            }
            protocol.close();
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                errors.add(e);
            }
        } finally {
            open.remove(socket);
            try {
                socket.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** Bouncy Castle's server with the configured versions, suites, groups and credentials. */
    private final class Server extends DefaultTlsServer {
        Server(BcTlsCrypto crypto) {
            super(crypto);
        }

        org.bouncycastle.tls.TlsServerContext context() {
            return context;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            List<TlsVersion> sorted = new ArrayList<>(config.versions);
            sorted.sort(java.util.Comparator.reverseOrder());
            return sorted.stream().map(v -> ProtocolVersion.get(v.code() >> 8, v.code() & 0xFF))
                    .toArray(ProtocolVersion[]::new);
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            if (config.cipherSuites.isEmpty()) {
                return super.getSupportedCipherSuites();
            }
            return config.cipherSuites.stream().mapToInt(CipherSuite::code).toArray();
        }

        @Override
        public int[] getSupportedGroups() throws IOException {
            if (config.namedGroups.isEmpty()) {
                return super.getSupportedGroups();
            }
            return config.namedGroups.stream().mapToInt(NamedGroup::code).toArray();
        }

        @Override
        public TlsDHConfig getDHConfig() throws IOException {
            if (config.dhP == null) {
                return super.getDHConfig();
            }
            return new TlsDHConfig(new DHGroup(config.dhP, null, config.dhG, 0));
        }

        @Override
        protected int selectECDH(int minimumCurveBits) {
            if (config.namedGroups.isEmpty()) {
                return super.selectECDH(minimumCurveBits);
            }
            // TLS 1.2: the client's first curve that is also configured (BC alone takes any).
            int[] offered = context.getSecurityParametersHandshake().getClientSupportedGroups();
            if (offered != null) {
                for (int g : offered) {
                    if (org.bouncycastle.tls.NamedGroup.refersToAnECDHCurve(g)
                            && config.namedGroups.stream().anyMatch(n -> n.code() == g)) {
                        return g;
                    }
                }
            }
            return -1;
        }

        @Override
        protected boolean preferLocalCipherSuites() {
            return config.serverCipherOrder;
        }

        @Override
        public void notifyFallback(boolean isFallback) throws IOException {
            if (config.honourFallbackScsv) {
                super.notifyFallback(isFallback);
            }
        }

        @Override
        public TlsCredentials getCredentials() throws IOException {
            SecurityParameters sp = context.getSecurityParametersHandshake();
            ProtocolVersion version = sp.getNegotiatedVersion();
            Certificate chain = chain(TlsUtils.isTLSv13(version));
            if (!TlsUtils.isTLSv13(version) && sp.getKeyExchangeAlgorithm() == KeyExchangeAlgorithm.RSA) {
                return new BcDefaultTlsCredentialedDecryptor((BcTlsCrypto) getCrypto(), chain,
                        (RSAKeyParameters) key);
            }
            SignatureAndHashAlgorithm scheme;
            boolean rsa = key instanceof RSAKeyParameters;
            if (TlsUtils.isTLSv13(version)) {
                scheme = rsa ? SignatureAndHashAlgorithm.rsa_pss_rsae_sha256
                        : SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
            } else if (TlsUtils.isSignatureAlgorithmsExtensionAllowed(version)) {
                scheme = rsa ? new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.rsa)
                        : new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
            } else {
                scheme = null; // TLS 1.0 and 1.1 sign with MD5+SHA-1 or SHA-1
            }
            return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context),
                    (BcTlsCrypto) getCrypto(), key, chain, scheme);
        }

        private Certificate chain(boolean tls13) throws IOException {
            TlsCertificate[] certs = new TlsCertificate[config.chain.size()];
            for (int i = 0; i < certs.length; i++) {
                try {
                    certs[i] = getCrypto().createCertificate(config.chain.get(i).getEncoded());
                } catch (CertificateEncodingException e) {
                    throw new IOException(e);
                }
            }
            if (!tls13) {
                return new Certificate(certs);
            }
            CertificateEntry[] entries = Arrays.stream(certs).map(c -> new CertificateEntry(c, null))
                    .toArray(CertificateEntry[]::new);
            return new Certificate(TlsUtils.EMPTY_BYTES, entries);
        }
    }

    /**
     * Options for a {@link BcTlsServer}; {@link #start()} binds and starts it.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private List<X509Certificate> chain;
        private PrivateKey privateKey;
        private List<TlsVersion> versions = List.of(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2);
        private List<CipherSuite> cipherSuites = List.of();
        private List<NamedGroup> namedGroups = List.of();
        private boolean serverCipherOrder = true;
        private boolean honourFallbackScsv = true;
        private Duration handshakeTimeout = Duration.ofSeconds(5);
        private BigInteger dhP;
        private BigInteger dhG;

        private Builder() {}

        /**
         * Sets the finite-field DH group the server sends with DHE suites in TLS 1.2 and older
         * (default: Bouncy Castle's choice, an RFC 7919 group). Nothing is checked: weak,
         * non-prime and odd groups are what this is for.
         *
         * @param p the modulus
         * @param g the generator
         * @return this builder
         * @since 0.1.0
         */
        public Builder dhGroup(BigInteger p, BigInteger g) {
            this.dhP = Objects.requireNonNull(p, "p");
            this.dhG = Objects.requireNonNull(g, "g");
            return this;
        }

        /**
         * Serves {@code leaf}'s key and sends {@code leaf.certificate()} followed by
         * {@code sentChain}.
         *
         * @param leaf the server certificate and its private key
         * @param sentChain the certificates to send after the leaf
         * @return this builder
         * @since 0.1.0
         */
        public Builder certificateChain(IssuedCertificate leaf, X509Certificate... sentChain) {
            List<X509Certificate> all = new ArrayList<>();
            all.add(leaf.certificate());
            all.addAll(List.of(sentChain));
            this.chain = List.copyOf(all);
            this.privateKey = leaf.privateKey();
            return this;
        }

        /**
         * Serves {@code leaf}'s key with {@link IssuedCertificate#chainWithoutRoot()}.
         *
         * @param leaf the server certificate
         * @return this builder
         * @since 0.1.0
         */
        public Builder certificate(IssuedCertificate leaf) {
            this.chain = leaf.chainWithoutRoot();
            this.privateKey = leaf.privateKey();
            return this;
        }

        /**
         * Sets the versions the server accepts (default TLS 1.3 and 1.2); SSL 3.0 to TLS 1.3.
         *
         * @param value the versions
         * @return this builder
         * @since 0.1.0
         */
        public Builder versions(TlsVersion... value) {
            if (value.length == 0) {
                throw new IllegalArgumentException("at least one version is needed");
            }
            this.versions = List.of(value);
            return this;
        }

        /**
         * Sets the suites the server accepts, in its order of preference (default: Bouncy
         * Castle's defaults). Suites Bouncy Castle cannot run make handshakes fail.
         *
         * @param value the suites
         * @return this builder
         * @since 0.1.0
         */
        public Builder cipherSuites(CipherSuite... value) {
            this.cipherSuites = List.of(value);
            return this;
        }

        /**
         * Sets the groups the server accepts: for TLS 1.3, and the curves for ECDHE in TLS 1.2
         * (default: Bouncy Castle's defaults, without ML-KEM).
         *
         * @param value the groups, for example {@link NamedGroup#X25519_MLKEM768}
         * @return this builder
         * @since 0.1.0
         */
        public Builder namedGroups(NamedGroup... value) {
            this.namedGroups = List.of(value);
            return this;
        }

        /**
         * Sets whether the server picks the suite by its own order (default {@code true}) or
         * takes the client's first acceptable one.
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
         * Whether the server refuses a ClientHello that carries {@code TLS_FALLBACK_SCSV} and a
         * version below its highest with {@code inappropriate_fallback} (RFC 7507), as every
         * maintained stack does (default); {@code false} serves it anyway, as old servers did.
         *
         * @param value whether RFC 7507 is honoured
         * @return this builder
         * @since 0.1.0
         */
        public Builder honourFallbackScsv(boolean value) {
            this.honourFallbackScsv = value;
            return this;
        }

        /**
         * Sets how long the server waits for a client during the handshake (default 5 s).
         *
         * @param value a positive duration
         * @return this builder
         * @since 0.1.0
         */
        public Builder handshakeTimeout(Duration value) {
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException("timeout must be positive: " + value);
            }
            this.handshakeTimeout = value;
            return this;
        }

        /**
         * Binds to {@code 127.0.0.1} on an ephemeral port and starts serving.
         *
         * @return the running server; close it when done
         * @throws IllegalStateException if no certificate was set
         * @throws UncheckedIOException if the port cannot be bound or the key not read
         * @since 0.1.0
         */
        public BcTlsServer start() {
            if (privateKey == null) {
                throw new IllegalStateException("set certificate(...) or certificateChain(...) first");
            }
            try {
                return new BcTlsServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start Bouncy Castle TLS server", e);
            }
        }
    }
}
