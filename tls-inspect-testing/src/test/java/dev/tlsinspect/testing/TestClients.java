package dev.tlsinspect.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** Plain JSSE clients with their own SSLContext, as an application would build them. */
final class TestClients {

    /** A minimal TLS 1.2 ClientHello record; enough for peers that only read "the first bytes". */
    static final byte[] CLIENT_HELLO = {
        0x16, 0x03, 0x01, 0x00, 0x2d, // record: handshake, 45 bytes
        0x01, 0x00, 0x00, 0x29, // client_hello, 41 bytes
        0x03, 0x03, // TLS 1.2
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // random
        0x00, // session id
        0x00, 0x02, (byte) 0xc0, 0x2f, // one suite
        0x01, 0x00, // null compression
    };

    private TestClients() {}

    static SSLContext trusting(X509Certificate... anchors) throws GeneralSecurityException, IOException {
        return context(null, trustManagerFor(anchors));
    }

    static SSLContext withClientCertificate(IssuedCertificate client, X509Certificate... anchors)
            throws GeneralSecurityException, IOException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", client.privateKey(), "pw".toCharArray(),
                client.chainWithoutRoot().toArray(X509Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, "pw".toCharArray());
        return context(factory.getKeyManagers(), trustManagerFor(anchors));
    }

    static SSLContext context(KeyManager[] keyManagers, TrustManager trustManager) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, new TrustManager[] {trustManager}, new SecureRandom());
        return context;
    }

    static TrustManager trustManagerFor(X509Certificate... anchors) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < anchors.length; i++) {
            store.setCertificateEntry("anchor-" + i, anchors[i]);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        return factory.getTrustManagers()[0];
    }

    /** Opens an SSLSocket with SNI and HTTPS endpoint identification, not yet handshaken. */
    static SSLSocket open(SSLContext context, String host, int port, String sniName, int soTimeoutMillis)
            throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(host, port);
        socket.setSoTimeout(soTimeoutMillis);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(sniName)));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        return socket;
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    static byte[] readExactly(Socket socket, int count) throws IOException {
        return socket.getInputStream().readNBytes(count);
    }

    /** Threads of the kit whose name mentions this port, still alive. */
    static List<Thread> kitThreads(int port) {
        List<Thread> result = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && thread.getName().startsWith("tls-inspect-")
                    && thread.getName().contains("-" + port + "-")) {
                result.add(thread);
            }
        }
        return result;
    }

    /** Accepts every server chain and remembers it: lets a test see exactly what was sent. */
    static final class CapturingTrustManager extends X509ExtendedTrustManager {
        final List<List<X509Certificate>> chains = new CopyOnWriteArrayList<>();

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            chains.add(List.of(chain));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            chains.add(List.of(chain));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            chains.add(List.of(chain));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException();
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
