package dev.tlsinspect;

import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * The application's own TLS client objects, for an inspection whose main handshake is exactly the
 * application's: its {@link SSLContext} (from whatever provider built it: SunJSSE, Bouncy Castle
 * JSSE, Conscrypt, a FIPS provider), its {@link SSLSocketFactory}, or its trust manager and key
 * manager (a pinning trust manager, a key manager that chooses its alias its own way).
 *
 * <pre>{@code
 * TlsInspector inspector = TlsInspector.builder().clientTls(ClientTls.of(appSslContext)).build();
 * Report report = inspector.inspect(Target.of("api.example.com", 443));
 * }</pre>
 *
 * <p>The objects are used, never changed and never installed anywhere. The enumeration of versions
 * and suites and the checks run as they do without it; when the application's handshake fails, the
 * inspection also makes one handshake with its own JSSE context over the inspection's trust
 * material, so that the report can say whether the application's objects are what fails
 * ({@code APP_TLS_FAILS}); the report names the objects used ({@code APP_TLS_USED}).
 *
 * @since 0.1.0
 */
public sealed interface ClientTls permits ClientTls.Context, ClientTls.SocketFactory, ClientTls.Managers {

  /**
   * The application's SSL context: its engines make the main handshake.
   *
   * @param context an initialised context
   * @return the value
   * @since 0.1.0
   */
  static ClientTls of(SSLContext context) {
    return new Context(context);
  }

  /**
   * The application's socket factory (for example the one given to {@code
   * HttpsURLConnection.setSSLSocketFactory}): its sockets, layered over the inspection's own
   * connection, make the main handshake.
   *
   * @param factory the factory
   * @return the value
   * @since 0.1.0
   */
  static ClientTls of(SSLSocketFactory factory) {
    return new SocketFactory(factory);
  }

  /**
   * The application's trust manager, in a context of the JVM's default provider.
   *
   * @param trust the trust manager
   * @return the value
   * @since 0.1.0
   */
  static ClientTls of(X509TrustManager trust) {
    return new Managers(Optional.of(trust), Optional.empty());
  }

  /**
   * The application's trust manager and key manager, in a context of the JVM's default provider.
   *
   * @param trust the trust manager
   * @param keys the key manager, which chooses the client certificate when a server asks for one
   * @return the value
   * @since 0.1.0
   */
  static ClientTls of(X509TrustManager trust, X509KeyManager keys) {
    return new Managers(Optional.of(trust), Optional.of(keys));
  }

  /**
   * What was used, for reports: the kind of object, its protocol and provider or class.
   *
   * @return for example {@code the application's SSLContext (TLS, provider BCJSSE 1.0084)}
   * @since 0.1.0
   */
  String description();

  /**
   * An application's {@link SSLContext}.
   *
   * @param context the context
   * @since 0.1.0
   */
  record Context(SSLContext context) implements ClientTls {
    /**
     * Checks the component.
     *
     * @throws NullPointerException when context is null
     */
    public Context {
      Objects.requireNonNull(context, "context");
    }

    @Override
    public String description() {
      return "the application's SSLContext (" + context.getProtocol() + ", provider "
          + context.getProvider().getName() + " " + context.getProvider().getVersionStr() + ")";
    }
  }

  /**
   * An application's {@link SSLSocketFactory}.
   *
   * @param factory the factory
   * @since 0.1.0
   */
  record SocketFactory(SSLSocketFactory factory) implements ClientTls {
    /**
     * Checks the component.
     *
     * @throws NullPointerException when factory is null
     */
    public SocketFactory {
      Objects.requireNonNull(factory, "factory");
    }

    @Override
    public String description() {
      return "the application's SSLSocketFactory (" + factory.getClass().getName() + ")";
    }
  }

  /**
   * An application's trust manager and, optionally, key manager; a trust manager left empty is
   * the inspection's own trust material.
   *
   * @param trust the trust manager
   * @param keys the key manager
   * @since 0.1.0
   */
  record Managers(Optional<X509TrustManager> trust, Optional<X509KeyManager> keys) implements ClientTls {
    /**
     * Checks the components.
     *
     * @throws NullPointerException when a component is null
     * @throws IllegalArgumentException when both are empty
     */
    public Managers {
      Objects.requireNonNull(trust, "trust");
      Objects.requireNonNull(keys, "keys");
      if (trust.isEmpty() && keys.isEmpty()) {
        throw new IllegalArgumentException("give a trust manager, a key manager or both");
      }
    }

    @Override
    public String description() {
      StringBuilder b = new StringBuilder("the application's ");
      trust.ifPresent(t -> b.append("trust manager (").append(t.getClass().getName()).append(")"));
      if (trust.isPresent() && keys.isPresent()) {
        b.append(" and ");
      }
      keys.ifPresent(k -> b.append("key manager (").append(k.getClass().getName()).append(")"));
      return b.toString();
    }
  }
}
