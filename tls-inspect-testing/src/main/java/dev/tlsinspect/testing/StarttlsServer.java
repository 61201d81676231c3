package dev.tlsinspect.testing;

import dev.tlsinspect.Starttls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A loopback server that speaks the plaintext opening of a STARTTLS protocol (SMTP, IMAP, POP3,
 * FTP, LDAP, PostgreSQL, MySQL, XMPP) and then does a TLS handshake as the server, with the
 * certificate chain it is given. It can also leave STARTTLS out of its capabilities, refuse it
 * when asked, or stay silent, so that tests see each failure.
 *
 * <pre>{@code
 * try (StarttlsServer smtp = StarttlsServer.builder(Starttls.SMTP).certificate(leaf).start()) {
 *     // Target.builder("localhost", smtp.port()).starttls(Starttls.SMTP).build()
 * }
 * }</pre>
 *
 * <p>Every read has a timeout, every line is bounded, and the TLS side uses the server's own
 * {@link SSLContext}; the JVM default is neither used nor changed.
 *
 * @since 0.1.0
 */
public final class StarttlsServer implements AutoCloseable {

    /**
     * How the server answers a client that wants TLS.
     *
     * @since 0.1.0
     */
    public enum Mode {
        /** Offers STARTTLS and accepts it. */
        OFFER,
        /** Does not offer STARTTLS (and refuses it if asked anyway). */
        NOT_OFFERED,
        /** Offers STARTTLS but refuses it when asked. */
        REFUSE,
        /** Accepts the connection and never says anything. */
        SILENT
    }

    private static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";

    private final Starttls protocol;
    private final Mode mode;
    private final SSLSocketFactory tls;
    private final AtomicInteger handshakes = new AtomicInteger();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final Loopback server;

    private StarttlsServer(Builder b) throws GeneralSecurityException {
        this.protocol = b.protocol;
        this.mode = b.mode;
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new FixedChainKeyManager(b.key, b.chain.toArray(X509Certificate[]::new))},
                null, new SecureRandom());
        this.tls = context.getSocketFactory();
        this.server = new Loopback("starttls-" + protocol.name().toLowerCase(java.util.Locale.ROOT), this::serve);
    }

    /**
     * Starts configuring a server for this protocol.
     *
     * @param protocol the protocol
     * @return a builder
     * @since 0.1.0
     */
    public static Builder builder(Starttls protocol) {
        return new Builder(protocol);
    }

    /**
     * The port, on {@code 127.0.0.1}.
     *
     * @return the port
     * @since 0.1.0
     */
    public int port() {
        return server.port();
    }

    /**
     * The address.
     *
     * @return {@code 127.0.0.1} and the port
     * @since 0.1.0
     */
    public InetSocketAddress address() {
        return server.address();
    }

    /**
     * How many TLS handshakes completed after STARTTLS.
     *
     * @return the count
     * @since 0.1.0
     */
    public int handshakes() {
        return handshakes.get();
    }

    /**
     * The plaintext commands clients sent (lines; for binary protocols a short description), in
     * order.
     *
     * @return the commands
     * @since 0.1.0
     */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    /**
     * Errors while serving, other than those caused by closing (a client that drops the
     * connection after the handshake is not an error).
     *
     * @return the errors
     * @since 0.1.0
     */
    public List<Throwable> errors() {
        return server.errors();
    }

    /**
     * Stops the server.
     *
     * @since 0.1.0
     */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "StarttlsServer[" + protocol + ", " + mode + ", 127.0.0.1:" + port() + "]";
    }

    private void serve(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        if (mode == Mode.SILENT) {
            while (in.read() >= 0 && !server.closed()) {
                // never answer
            }
            return;
        }
        boolean upgrade = switch (protocol) {
            case SMTP -> smtp(in, out);
            case IMAP -> imap(in, out);
            case POP3 -> pop3(in, out);
            case FTP -> ftp(in, out);
            case LDAP -> ldap(in, out);
            case POSTGRES -> postgres(in, out);
            case MYSQL -> mysql(in, out);
            case XMPP -> xmpp(in, out);
        };
        if (upgrade) {
            startTls(socket);
        }
    }

    private void startTls(Socket socket) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.createSocket(socket, null, true);
        ssl.setUseClientMode(false);
        try {
            ssl.startHandshake();
        } catch (IOException e) {
            return; // the client rejected the certificate, as many tests want
        }
        handshakes.incrementAndGet();
        try {
            while (ssl.getInputStream().read() >= 0) {
                // wait for the client to close
            }
        } catch (IOException ignored) {
            // closed
        }
    }

    private boolean offered() {
        return mode == Mode.OFFER || mode == Mode.REFUSE;
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private String command(InputStream in) throws IOException {
        String line = Loopback.readLine(in);
        commands.add(line);
        return line;
    }

    private boolean smtp(InputStream in, OutputStream out) throws IOException {
        send(out, "220 fake.test ESMTP tls-inspect test server\r\n");
        while (true) {
            String line = command(in);
            String verb = line.split(" ")[0].toUpperCase(java.util.Locale.ROOT);
            switch (verb) {
                case "EHLO" -> send(out, "250-fake.test greets you\r\n250-SIZE 10240000\r\n"
                        + (offered() ? "250-STARTTLS\r\n" : "") + "250 8BITMIME\r\n");
                case "STARTTLS" -> {
                    if (mode == Mode.OFFER) {
                        send(out, "220 2.0.0 Ready to start TLS\r\n");
                        return true;
                    }
                    send(out, "454 4.7.0 TLS not available due to temporary reason\r\n");
                }
                case "QUIT" -> {
                    send(out, "221 2.0.0 Bye\r\n");
                    return false;
                }
                default -> send(out, "502 5.5.2 Error: command not recognized\r\n");
            }
        }
    }

    private boolean imap(InputStream in, OutputStream out) throws IOException {
        send(out, "* OK [CAPABILITY IMAP4rev1] fake.test ready\r\n");
        while (true) {
            String line = command(in);
            String[] parts = line.split(" ");
            String tag = parts[0];
            String verb = parts.length > 1 ? parts[1].toUpperCase(java.util.Locale.ROOT) : "";
            switch (verb) {
                case "CAPABILITY" -> send(out, "* CAPABILITY IMAP4rev1 " + (offered() ? "STARTTLS " : "")
                        + "LOGINDISABLED\r\n" + tag + " OK CAPABILITY completed\r\n");
                case "STARTTLS" -> {
                    if (mode == Mode.OFFER) {
                        send(out, tag + " OK Begin TLS negotiation now\r\n");
                        return true;
                    }
                    send(out, tag + " BAD STARTTLS not available\r\n");
                }
                case "LOGOUT" -> {
                    send(out, "* BYE\r\n" + tag + " OK LOGOUT completed\r\n");
                    return false;
                }
                default -> send(out, tag + " BAD unknown command\r\n");
            }
        }
    }

    private boolean pop3(InputStream in, OutputStream out) throws IOException {
        send(out, "+OK fake.test POP3 ready\r\n");
        while (true) {
            String verb = command(in).toUpperCase(java.util.Locale.ROOT);
            switch (verb) {
                case "CAPA" -> send(out, "+OK Capability list follows\r\nUSER\r\n"
                        + (offered() ? "STLS\r\n" : "") + "UIDL\r\n.\r\n");
                case "STLS" -> {
                    if (mode == Mode.OFFER) {
                        send(out, "+OK Begin TLS negotiation\r\n");
                        return true;
                    }
                    send(out, "-ERR TLS not available\r\n");
                }
                case "QUIT" -> {
                    send(out, "+OK bye\r\n");
                    return false;
                }
                default -> send(out, "-ERR unknown command\r\n");
            }
        }
    }

    private boolean ftp(InputStream in, OutputStream out) throws IOException {
        send(out, "220-fake.test FTP server\r\n220 ready\r\n");
        while (true) {
            String line = command(in).toUpperCase(java.util.Locale.ROOT);
            if (line.equals("AUTH TLS")) {
                if (mode == Mode.OFFER) {
                    send(out, "234 AUTH TLS successful\r\n");
                    return true;
                }
                send(out, mode == Mode.REFUSE ? "534 Policy requires no TLS\r\n"
                        : "500 AUTH not understood\r\n");
            } else if (line.equals("QUIT")) {
                send(out, "221 Goodbye\r\n");
                return false;
            } else {
                send(out, "500 unknown command\r\n");
            }
        }
    }

    private boolean ldap(InputStream in, OutputStream out) throws IOException {
        int tag = in.read();
        int length = in.read();
        if (tag != 0x30 || length < 0 || length >= 0x80) {
            throw new IOException("not a short LDAPMessage");
        }
        byte[] body = Loopback.readExactly(in, length);
        String text = new String(body, StandardCharsets.ISO_8859_1);
        boolean startTls = text.contains("1.3.6.1.4.1.1466.20037");
        commands.add(startTls ? "ExtendedRequest StartTLS" : "LDAPMessage");
        int code = !startTls || mode == Mode.NOT_OFFERED ? 2 : mode == Mode.REFUSE ? 52 : 0;
        String message = code == 0 ? "" : code == 2 ? "unsupported extended operation" : "TLS not configured";
        byte[] msg = message.getBytes(StandardCharsets.US_ASCII);
        byte[] oid = "1.3.6.1.4.1.1466.20037".getBytes(StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream op = new java.io.ByteArrayOutputStream();
        op.writeBytes(new byte[] {0x0A, 1, (byte) code, 0x04, 0, 0x04, (byte) msg.length});
        op.writeBytes(msg);
        if (code == 0) {
            op.write(0x8A);
            op.write(oid.length);
            op.writeBytes(oid);
        }
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        all.writeBytes(new byte[] {0x02, 1, 1, 0x78, (byte) op.size()});
        all.writeBytes(op.toByteArray());
        out.write(0x30);
        out.write(all.size());
        out.write(all.toByteArray());
        out.flush();
        return code == 0;
    }

    private boolean postgres(InputStream in, OutputStream out) throws IOException {
        byte[] request = Loopback.readExactly(in, 8);
        boolean sslRequest = request[3] == 8 && request[4] == 0x04 && (request[5] & 0xFF) == 0xD2
                && request[6] == 0x16 && request[7] == 0x2F;
        commands.add(sslRequest ? "SSLRequest" : "StartupMessage");
        boolean yes = sslRequest && mode == Mode.OFFER;
        out.write(yes ? 'S' : 'N');
        out.flush();
        return yes;
    }

    private boolean mysql(InputStream in, OutputStream out) throws IOException {
        java.io.ByteArrayOutputStream p = new java.io.ByteArrayOutputStream();
        p.write(10);
        p.writeBytes("8.0.36-fake".getBytes(StandardCharsets.US_ASCII));
        p.write(0);
        p.writeBytes(new byte[] {7, 0, 0, 0});
        p.writeBytes("abcdefgh".getBytes(StandardCharsets.US_ASCII));
        p.write(0);
        int caps = 0x1 | 0x200 | 0x2000 | 0x8000 | (offered() ? 0x0800 : 0);
        p.write(caps & 0xFF);
        p.write(caps >> 8);
        p.write(33);
        p.writeBytes(new byte[] {2, 0});
        p.writeBytes(new byte[] {0x08, 0}); // upper capabilities: CLIENT_PLUGIN_AUTH
        p.write(21);
        p.writeBytes(new byte[10]);
        p.writeBytes("ijklmnopqrst".getBytes(StandardCharsets.US_ASCII));
        p.write(0);
        p.writeBytes("mysql_native_password".getBytes(StandardCharsets.US_ASCII));
        p.write(0);
        byte[] payload = p.toByteArray();
        out.write(new byte[] {(byte) payload.length, (byte) (payload.length >> 8), 0, 0});
        out.write(payload);
        out.flush();
        byte[] header = Loopback.readExactly(in, 4);
        int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        if (length > 4096) {
            throw new IOException("client packet too large: " + length);
        }
        byte[] response = Loopback.readExactly(in, length);
        int flags = length >= 4 ? (response[0] & 0xFF) | (response[1] & 0xFF) << 8 : 0;
        boolean sslRequest = length == 32 && (flags & 0x0800) != 0;
        commands.add(sslRequest ? "SSLRequest" : "HandshakeResponse");
        if (sslRequest && mode == Mode.OFFER) {
            return true;
        }
        // MySQL answers a refused TLS request with an error packet and closes.
        byte[] error = "\u00ff\u0013\u0004#08S01Bad handshake".getBytes(StandardCharsets.ISO_8859_1);
        out.write(new byte[] {(byte) error.length, 0, 0, (byte) ((header[3] & 0xFF) + 1)});
        out.write(error);
        out.flush();
        return false;
    }

    private boolean xmpp(InputStream in, OutputStream out) throws IOException {
        String open = readTag(in, "stream");
        commands.add(open);
        send(out, "<?xml version='1.0'?><stream:stream from='fake.test' id='s1' version='1.0' "
                + "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'><stream:features>"
                + (offered() ? "<starttls xmlns='" + TLS_NS + "'><required/></starttls>" : "")
                + "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism>"
                + "</mechanisms></stream:features>");
        String request = readTag(in, "starttls");
        commands.add(request);
        if (mode == Mode.OFFER) {
            send(out, "<proceed xmlns='" + TLS_NS + "'/>");
            return true;
        }
        send(out, "<failure xmlns='" + TLS_NS + "'/></stream:stream>");
        return false;
    }

    /** Reads up to and including the end of the first tag whose text contains {@code name}. */
    private static String readTag(InputStream in, String name) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < Loopback.MAX_LINE) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("end of stream");
            }
            sb.append((char) b);
            if (b == '>' && sb.indexOf(name) >= 0 && !sb.toString().endsWith("?>")) {
                return sb.toString();
            }
        }
        throw new IOException("no <" + name + "> within " + Loopback.MAX_LINE + " bytes");
    }

    /**
     * Options for a {@link StarttlsServer}.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final Starttls protocol;
        private Mode mode = Mode.OFFER;
        private PrivateKey key;
        private List<X509Certificate> chain;

        private Builder(Starttls protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
        }

        /**
         * Serves this certificate with its chain without the root.
         *
         * @param leaf the server certificate and key
         * @return this builder
         * @since 0.1.0
         */
        public Builder certificate(IssuedCertificate leaf) {
            this.key = leaf.privateKey();
            this.chain = leaf.chainWithoutRoot().isEmpty() ? List.of(leaf.certificate()) : leaf.chainWithoutRoot();
            return this;
        }

        /**
         * How to answer a request for TLS (default {@link Mode#OFFER}).
         *
         * @param value the mode
         * @return this builder
         * @since 0.1.0
         */
        public Builder mode(Mode value) {
            this.mode = Objects.requireNonNull(value, "mode");
            return this;
        }

        /**
         * Starts the server on 127.0.0.1 and an ephemeral port.
         *
         * @return the running server
         * @throws IllegalStateException when no certificate was given
         * @since 0.1.0
         */
        public StarttlsServer start() {
            if (key == null) {
                throw new IllegalStateException("a certificate is required: call certificate(leaf)");
            }
            try {
                return new StarttlsServer(this);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot create the TLS context", e);
            }
        }
    }
}
