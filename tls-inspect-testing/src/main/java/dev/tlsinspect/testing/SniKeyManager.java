package dev.tlsinspect.testing;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Chooses the chain by the server name the client sent in SNI, like a virtual-hosting server;
 * without SNI, or for a name it does not know, it serves the default chain, or none at all (the
 * handshake then fails with {@code handshake_failure}) when there is no default.
 */
final class SniKeyManager extends X509ExtendedKeyManager {
    private static final String DEFAULT = "default";
    private static final String PREFIX = "sni:";

    /** A key and the chain sent with it. */
    record Entry(PrivateKey key, X509Certificate[] chain) {
        Entry {
            chain = chain.clone();
        }
    }

    private final Entry fallback;
    private final Map<String, Entry> byName;

    /**
     * @param fallback the chain without SNI or for an unknown name; null for none
     * @param byName the chains by lower-case server name
     */
    SniKeyManager(Entry fallback, Map<String, Entry> byName) {
        this.fallback = fallback;
        this.byName = Map.copyOf(byName);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[0];
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return byName.keySet().stream().map(n -> PREFIX + n).toArray(String[]::new);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(engine == null ? null : engine.getHandshakeSession());
    }

    private String choose(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    String key = host.getAsciiName().toLowerCase(Locale.ROOT);
                    if (byName.containsKey(key)) {
                        return PREFIX + key;
                    }
                }
            }
        }
        return fallback == null ? null : DEFAULT;
    }

    private Entry entry(String alias) {
        if (DEFAULT.equals(alias)) {
            return fallback;
        }
        return alias != null && alias.startsWith(PREFIX) ? byName.get(alias.substring(PREFIX.length())) : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Entry e = entry(alias);
        return e == null ? null : e.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Entry e = entry(alias);
        return e == null ? null : e.key();
    }
}
