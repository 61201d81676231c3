package dev.tlsinspect.jsse;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/** The recording trust and key managers of one probe. Never shared, never installed globally. */
final class Recorders {
  private Recorders() {}

  /**
   * Records the chain as sent and the stapled OCSP responses, then delegates to the real trust
   * manager (which also checks the host name); a rejection is recorded and rethrown.
   */
  static final class TrustRecorder extends X509ExtendedTrustManager {
    private final X509TrustManager delegate;
    volatile List<X509Certificate> chain = List.of();
    volatile List<byte[]> ocsp = List.of();
    volatile CertificateException rejection;
    volatile String suite;

    TrustRecorder(X509TrustManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
        throws CertificateException {
      record(certs, engine.getHandshakeSession());
      validate(() -> {
        if (delegate instanceof X509ExtendedTrustManager x) {
          x.checkServerTrusted(certs, authType, engine);
        } else {
          delegate.checkServerTrusted(certs, authType);
        }
      });
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket)
        throws CertificateException {
      record(certs, null);
      validate(() -> {
        if (delegate instanceof X509ExtendedTrustManager x) {
          x.checkServerTrusted(certs, authType, socket);
        } else {
          delegate.checkServerTrusted(certs, authType);
        }
      });
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType)
        throws CertificateException {
      record(certs, null);
      validate(() -> delegate.checkServerTrusted(certs, authType));
    }

    /** Runs the real validation; a rejection is recorded, then rethrown to JSSE. */
    private void validate(Validation validation) throws CertificateException {
      try {
        validation.run();
      } catch (CertificateException e) {
        rejection = e;
        throw e;
      }
    }

    private void record(X509Certificate[] certs, SSLSession session) {
      chain = certs == null ? List.of() : List.of(certs);
      if (session != null) {
        suite = session.getCipherSuite();
      }
      if (session instanceof ExtendedSSLSession ext) {
        try {
          ocsp = new ArrayList<>(ext.getStatusResponses());
        } catch (UnsupportedOperationException e) {
          ocsp = List.of();
        }
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException {
      throw new CertificateException("a probe never acts as a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) throws CertificateException {
      throw new CertificateException("a probe never acts as a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a) throws CertificateException {
      throw new CertificateException("a probe never acts as a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }
  }

  @FunctionalInterface
  private interface Validation {
    void run() throws CertificateException;
  }

  /**
   * Records the server's CertificateRequest (accepted CAs, key types, signature schemes): JSSE
   * calls {@code chooseEngineClientAlias} exactly when one arrives, in TLS 1.2 and 1.3. With the
   * application's key store, the choice is left to the JDK's own key manager over it, so the alias
   * recorded is the one the application would present; without one, no certificate is sent.
   */
  static final class KeyRecorder extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager delegate;
    volatile boolean requested;
    volatile List<String> issuers = List.of();
    volatile List<String> keyTypes = List.of();
    volatile List<String> signatureSchemes = List.of();
    volatile String chosen;

    KeyRecorder() {
      this(null);
    }

    KeyRecorder(X509ExtendedKeyManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] accepted, SSLEngine engine) {
      record(keyType, accepted, engine == null ? null : engine.getHandshakeSession());
      chosen = delegate == null ? null : delegate.chooseEngineClientAlias(keyType, accepted, engine);
      return chosen;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] accepted, Socket socket) {
      record(keyType, accepted, null);
      chosen = delegate == null ? null : delegate.chooseClientAlias(keyType, accepted, socket);
      return chosen;
    }

    private void record(String[] keyType, Principal[] accepted, SSLSession session) {
      requested = true;
      List<String> names = new ArrayList<>();
      if (accepted != null) {
        for (int i = 0; i < accepted.length && i < 256; i++) {
          names.add(accepted[i].getName());
        }
      }
      issuers = names;
      keyTypes = keyType == null ? List.of() : List.of(keyType).subList(0, Math.min(keyType.length, 64));
      if (session instanceof ExtendedSSLSession ext) {
        try {
          String[] schemes = ext.getPeerSupportedSignatureAlgorithms();
          // JSSE gives Java algorithm names, so the six RSASSA-PSS schemes all read "RSASSA-PSS":
          // keep each name once, in the server's order.
          signatureSchemes = schemes == null ? List.of()
              : new java.util.LinkedHashSet<>(List.of(schemes)).stream().limit(64).toList();
        } catch (UnsupportedOperationException e) {
          signatureSchemes = List.of();
        }
      }
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return delegate == null ? null : delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return delegate == null ? null : delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return delegate == null ? null : delegate.getPrivateKey(alias);
    }
  }

  /** An application's key manager as the extended kind the recorder delegates to. */
  static X509ExtendedKeyManager extended(javax.net.ssl.X509KeyManager km) {
    if (km instanceof X509ExtendedKeyManager x) {
      return x;
    }
    return new X509ExtendedKeyManager() {
      @Override
      public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return km.chooseClientAlias(keyType, issuers, null);
      }

      @Override
      public String[] getClientAliases(String keyType, Principal[] issuers) {
        return km.getClientAliases(keyType, issuers);
      }

      @Override
      public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return km.chooseClientAlias(keyType, issuers, socket);
      }

      @Override
      public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
      }

      @Override
      public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
      }

      @Override
      public X509Certificate[] getCertificateChain(String alias) {
        return km.getCertificateChain(alias);
      }

      @Override
      public PrivateKey getPrivateKey(String alias) {
        return km.getPrivateKey(alias);
      }
    };
  }
}
