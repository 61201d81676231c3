import org.eclipse.jetty.server.*;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Embedded Jetty 9.4 with an HTTPS connector on loopback, to record its TLS failure log lines. */
public class JettyServer {
  public static void main(String[] a) throws Exception {
    Server server = new Server();
    for (int port : new int[] {18455, 18456}) {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStorePath("/tmp/logfx/server.p12");
      ssl.setKeyStorePassword("changeit");
      ssl.setKeyStoreType("PKCS12");
      ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
      if (port == 18455) {
        ssl.setIncludeCipherSuites("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
      } else {
        ssl.setNeedClientAuth(true);
        ssl.setTrustStorePath("/tmp/logfx/ca-trust.p12");
        ssl.setTrustStorePassword("changeit");
        ssl.setTrustStoreType("PKCS12");
      }
      HttpConfiguration https = new HttpConfiguration();
      https.addCustomizer(new SecureRequestCustomizer());
      ServerConnector c = new ServerConnector(server,
          new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
      c.setHost("127.0.0.1");
      c.setPort(port);
      server.addConnector(c);
    }
    server.start();
    server.join();
  }
}
