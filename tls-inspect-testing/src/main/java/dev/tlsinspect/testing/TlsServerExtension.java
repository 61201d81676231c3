package dev.tlsinspect.testing;

import dev.tlsinspect.Target;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs a loopback {@link TlsServer} for a test class or for each test.
 *
 * <p>Registered on a {@code static} field it starts the server once before the class's tests and
 * stops it after them; on an instance field it starts a fresh server before each test and stops it
 * after.
 *
 * <pre>{@code
 * class PaymentsClientTest {
 *   static final IssuedCertificate ROOT = CertificateBuilder.root("Test Root").build();
 *
 *   @RegisterExtension
 *   static TlsServerExtension server = TlsServerExtension.withCertificate(
 *       CertificateBuilder.leaf("localhost").issuedBy(ROOT).build());
 *
 *   @Test
 *   void handshakes() {
 *     Report report = inspector.inspect(server.target()); // localhost:<port>, via 127.0.0.1
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #target()} names the server by {@linkplain #hostName(String) a host name} (default
 * {@code localhost}, the name the certificate is checked against) and connects to
 * {@code 127.0.0.1}, so no resolver is involved.
 *
 * @since 0.1.0
 */
public final class TlsServerExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final Consumer<TlsServer.Builder> configuration;
  private String hostName = "localhost";
  private volatile TlsServer server;
  private String owner;

  private TlsServerExtension(Consumer<TlsServer.Builder> configuration) {
    this.configuration = configuration;
  }

  /**
   * A server that serves {@code leaf} with its chain as a correctly configured server sends it
   * ({@link TlsServer.Builder#certificate(IssuedCertificate)}).
   *
   * @param leaf the server certificate and its key
   * @return the extension, to register with {@code @RegisterExtension}
   * @since 0.1.0
   */
  public static TlsServerExtension withCertificate(IssuedCertificate leaf) {
    Objects.requireNonNull(leaf, "leaf");
    return configured(b -> b.certificate(leaf));
  }

  /**
   * A server configured by hand: protocols, cipher suites, an incomplete chain, client
   * authentication, ...
   *
   * <pre>{@code
   * @RegisterExtension
   * static TlsServerExtension tls12 = TlsServerExtension.configured(b -> b
   *     .certificate(leaf).protocols("TLSv1.2"));
   * }</pre>
   *
   * @param configuration sets up the builder; it must give the server a certificate
   * @return the extension
   * @since 0.1.0
   */
  public static TlsServerExtension configured(Consumer<TlsServer.Builder> configuration) {
    return new TlsServerExtension(Objects.requireNonNull(configuration, "configuration"));
  }

  /**
   * The host name {@link #target()} uses (default {@code localhost}).
   *
   * @param value a host name the certificate should match
   * @return this extension
   * @since 0.1.0
   */
  public TlsServerExtension hostName(String value) {
    this.hostName = Objects.requireNonNull(value, "hostName");
    return this;
  }

  /**
   * The running server.
   *
   * @return the server
   * @throws IllegalStateException outside the tests the extension is registered for
   * @since 0.1.0
   */
  public TlsServer server() {
    TlsServer s = server;
    if (s == null) {
      throw new IllegalStateException(
          "the TLS server is not running: register the extension with @RegisterExtension and use it in a test");
    }
    return s;
  }

  /**
   * The address the server listens on.
   *
   * @return always {@code 127.0.0.1}
   * @since 0.1.0
   */
  public String host() {
    return server().host();
  }

  /**
   * The server's ephemeral port.
   *
   * @return the port
   * @since 0.1.0
   */
  public int port() {
    return server().port();
  }

  /**
   * The server as an inspection target: {@linkplain #hostName(String) the host name} and port,
   * connecting to {@code 127.0.0.1}.
   *
   * @return the target
   * @since 0.1.0
   */
  public Target target() {
    return Target.builder(hostName, port()).connectAddress(host()).build();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    // Started in beforeAll when registered on a static field (also for @Nested classes).
    if (server == null) {
      start(context);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    stopIfOwner(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stopIfOwner(context);
  }

  private synchronized void start(ExtensionContext context) {
    if (server != null) {
      return;
    }
    TlsServer.Builder builder = TlsServer.builder();
    configuration.accept(builder);
    server = builder.start();
    owner = context.getUniqueId();
  }

  private synchronized void stopIfOwner(ExtensionContext context) {
    if (server != null && context.getUniqueId().equals(owner)) {
      try {
        server.close();
      } finally {
        server = null;
        owner = null;
      }
    }
  }
}
