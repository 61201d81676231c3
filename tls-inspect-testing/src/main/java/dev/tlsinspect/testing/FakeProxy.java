package dev.tlsinspect.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback proxy for tests: HTTP {@code CONNECT} or SOCKS5, optionally requiring credentials,
 * optionally failing with a chosen status or reply code, or staying silent. Tunnels go only to
 * loopback: a name is resolved by the proxy through its {@linkplain Builder#route(String) routes}
 * (each to 127.0.0.1), an IP literal must be a loopback address, and anything else is refused
 * (HTTP 403, SOCKS5 reply 0x02), so a test can prove the client let the proxy resolve the name.
 *
 * <pre>{@code
 * try (FakeProxy proxy = FakeProxy.http().credentials("alice", "s3cret").route("backend.test").start()) {
 *     // Target.builder("backend.test", port).proxy(ProxySpec.http("127.0.0.1", proxy.port())...)
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class FakeProxy implements AutoCloseable {

    /**
     * The proxy protocol.
     *
     * @since 0.1.0
     */
    public enum Type {
        /** HTTP {@code CONNECT}. */
        HTTP,
        /** SOCKS version 5. */
        SOCKS5
    }

    private final Type type;
    private final Optional<String> user;
    private final Optional<String> password;
    private final int failure;
    private final boolean silent;
    private final Map<String, Boolean> routes;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Loopback server;

    private FakeProxy(Builder b) {
        this.type = b.type;
        this.user = b.user;
        this.password = b.password;
        this.failure = b.failure;
        this.silent = b.silent;
        this.routes = Map.copyOf(b.routes);
        this.server = new Loopback("fake-proxy-" + type.name().toLowerCase(Locale.ROOT), this::serve);
    }

    /**
     * Starts configuring an HTTP CONNECT proxy.
     *
     * @return a builder
     * @since 0.1.0
     */
    public static Builder http() {
        return new Builder(Type.HTTP);
    }

    /**
     * Starts configuring a SOCKS5 proxy.
     *
     * @return a builder
     * @since 0.1.0
     */
    public static Builder socks5() {
        return new Builder(Type.SOCKS5);
    }

    /**
     * The port the proxy listens on, at {@code 127.0.0.1}.
     *
     * @return the port
     * @since 0.1.0
     */
    public int port() {
        return server.port();
    }

    /**
     * The proxy's address.
     *
     * @return {@code 127.0.0.1} and the port
     * @since 0.1.0
     */
    public InetSocketAddress address() {
        return server.address();
    }

    /**
     * The URL of this proxy without credentials, for example {@code http://127.0.0.1:41234}.
     *
     * @return the URL
     * @since 0.1.0
     */
    public String url() {
        return type.name().toLowerCase(Locale.ROOT) + "://127.0.0.1:" + port();
    }

    /**
     * What clients asked to be connected to, as {@code host:port}, in order, including requests
     * that were refused.
     *
     * @return the requested destinations
     * @since 0.1.0
     */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /**
     * Errors while serving, other than those caused by closing.
     *
     * @return the errors
     * @since 0.1.0
     */
    public List<Throwable> errors() {
        return server.errors();
    }

    /**
     * Stops the proxy, closing every connection and tunnel.
     *
     * @since 0.1.0
     */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "FakeProxy[" + url() + "]";
    }

    private void serve(Socket client) throws IOException {
        if (silent) {
            // Accept and say nothing: the client must give up on its own deadline.
            while (client.getInputStream().read() >= 0 && !server.closed()) {
                // swallow whatever comes
            }
            return;
        }
        if (type == Type.HTTP) {
            serveHttp(client);
        } else {
            serveSocks(client);
        }
    }

    private void serveHttp(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();
        String requestLine = Loopback.readLine(in);
        String authorization = null;
        for (int i = 0; i < 100; i++) {
            String header = Loopback.readLine(in);
            if (header.isEmpty()) {
                break;
            }
            if (header.regionMatches(true, 0, "Proxy-Authorization:", 0, 20)) {
                authorization = header.substring(20).trim();
            }
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[0].equals("CONNECT")) {
            answer(out, "405 Method Not Allowed");
            return;
        }
        requests.add(parts[1]);
        if (user.isPresent()) {
            String expected = "Basic " + Base64.getEncoder().encodeToString(
                    (user.get() + ":" + password.orElse("")).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(authorization)) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\n"
                        + "Proxy-Authenticate: Basic realm=\"fake\"\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return;
            }
        }
        if (failure != 0) {
            answer(out, failure + " " + reason(failure));
            return;
        }
        int colon = parts[1].lastIndexOf(':');
        Optional<Socket> backend = colon < 0 ? Optional.empty()
                : connect(parts[1].substring(0, colon).replace("[", "").replace("]", ""),
                        Integer.parseInt(parts[1].substring(colon + 1)));
        if (backend.isEmpty()) {
            answer(out, "403 Forbidden");
            return;
        }
        out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        relay(client, backend.get());
    }

    private static void answer(OutputStream out, String status) throws IOException {
        out.write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 403 -> "Forbidden";
            case 407 -> "Proxy Authentication Required";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Error";
        };
    }

    private void serveSocks(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();
        byte[] greeting = Loopback.readExactly(in, 2);
        if (greeting[0] != 5) {
            return;
        }
        byte[] methods = Loopback.readExactly(in, greeting[1] & 0xFF);
        int wanted = user.isPresent() ? 2 : 0;
        boolean offered = false;
        for (byte m : methods) {
            offered |= m == wanted;
        }
        if (!offered) {
            out.write(new byte[] {5, (byte) 0xFF});
            out.flush();
            return;
        }
        out.write(new byte[] {5, (byte) wanted});
        out.flush();
        if (wanted == 2) {
            Loopback.readExactly(in, 1);
            String u = new String(Loopback.readExactly(in, in.read()), StandardCharsets.UTF_8);
            String p = new String(Loopback.readExactly(in, in.read()), StandardCharsets.UTF_8);
            boolean ok = u.equals(user.get()) && p.equals(password.orElse(""));
            out.write(new byte[] {1, (byte) (ok ? 0 : 1)});
            out.flush();
            if (!ok) {
                return;
            }
        }
        byte[] head = Loopback.readExactly(in, 4);
        String host = switch (head[3]) {
            case 1 -> InetAddress.getByAddress(Loopback.readExactly(in, 4)).getHostAddress();
            case 4 -> InetAddress.getByAddress(Loopback.readExactly(in, 16)).getHostAddress();
            case 3 -> new String(Loopback.readExactly(in, in.read()), StandardCharsets.US_ASCII);
            default -> throw new IOException("bad SOCKS5 address type " + head[3]);
        };
        byte[] portBytes = Loopback.readExactly(in, 2);
        int port = (portBytes[0] & 0xFF) << 8 | (portBytes[1] & 0xFF);
        requests.add((host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port);
        Optional<Socket> backend = failure != 0 || head[1] != 1 ? Optional.empty() : connect(host, port);
        int reply = failure != 0 ? failure : head[1] != 1 ? 7 : backend.isEmpty() ? 2 : 0;
        out.write(new byte[] {5, (byte) reply, 0, 1, 127, 0, 0, 1, 0, 0});
        out.flush();
        if (backend.isPresent()) {
            relay(client, backend.get());
        }
    }

    /** A connection to a routed name or a loopback literal; empty for anything else. */
    private Optional<Socket> connect(String host, int port) {
        InetAddress address;
        try {
            if (routes.containsKey(host.toLowerCase(Locale.ROOT))) {
                address = InetAddress.getByName("127.0.0.1");
            } else if (host.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
                address = InetAddress.getByName(host); // a literal: no lookup
                if (!address.isLoopbackAddress()) {
                    return Optional.empty();
                }
            } else {
                return Optional.empty();
            }
            Socket backend = new Socket();
            server.track(backend);
            backend.connect(new InetSocketAddress(address, port), 5_000);
            backend.setSoTimeout(Loopback.READ_TIMEOUT_MILLIS);
            return Optional.of(backend);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Copies both ways until either side ends. */
    private void relay(Socket client, Socket backend) {
        server.start(() -> pump(backend, client));
        pump(client, backend);
    }

    private static void pump(Socket from, Socket to) {
        byte[] buf = new byte[16384];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // one side ended
        } finally {
            Loopback.closeQuietly(from);
            Loopback.closeQuietly(to);
        }
    }

    /**
     * Options for a {@link FakeProxy}.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final Type type;
        private Optional<String> user = Optional.empty();
        private Optional<String> password = Optional.empty();
        private int failure;
        private boolean silent;
        private final Map<String, Boolean> routes = new ConcurrentHashMap<>();

        private Builder(Type type) {
            this.type = type;
        }

        /**
         * Requires these credentials: HTTP Basic ({@code 407} otherwise) or SOCKS5
         * username/password (method 0xFF or status 1 otherwise).
         *
         * @param username the user name
         * @param secret the password
         * @return this builder
         * @since 0.1.0
         */
        public Builder credentials(String username, String secret) {
            this.user = Optional.of(Objects.requireNonNull(username, "username"));
            this.password = Optional.of(Objects.requireNonNull(secret, "secret"));
            return this;
        }

        /**
         * Fails every tunnel: with this HTTP status (for example 403 or 502) or SOCKS5 reply code
         * (for example 5, connection refused).
         *
         * @param code the status or reply code
         * @return this builder
         * @since 0.1.0
         */
        public Builder failWith(int code) {
            this.failure = code;
            return this;
        }

        /**
         * Accepts connections and never answers.
         *
         * @return this builder
         * @since 0.1.0
         */
        public Builder silent() {
            this.silent = true;
            return this;
        }

        /**
         * Resolves this name to 127.0.0.1 (the proxy's own "DNS"); other names are refused.
         *
         * @param name a host name
         * @return this builder
         * @since 0.1.0
         */
        public Builder route(String name) {
            routes.put(name.toLowerCase(Locale.ROOT), Boolean.TRUE);
            return this;
        }

        /**
         * Starts the proxy on 127.0.0.1 and an ephemeral port.
         *
         * @return the running proxy
         * @since 0.1.0
         */
        public FakeProxy start() {
            return new FakeProxy(this);
        }
    }
}
