import java.io.File;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/** Embedded Tomcat with an HTTPS connector on loopback, to record its TLS failure log lines. */
public class TomcatServer {
  public static void main(String[] a) throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(new File("/tmp/logfx/tomcat/base").getAbsolutePath());
    Connector c = new Connector("org.apache.coyote.http11.Http11NioProtocol");
    c.setPort(18453);
    c.setProperty("address", "127.0.0.1");
    c.setSecure(true);
    c.setScheme("https");
    c.setProperty("SSLEnabled", "true");
    SSLHostConfig host = new SSLHostConfig();
    host.setProtocols("TLSv1.2+TLSv1.3");
    host.setCiphers("TLS_AES_128_GCM_SHA256:TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    host.setCertificateVerification(a.length > 0 ? "required" : "none");
    host.setTruststoreFile("/tmp/logfx/ca-trust.p12");
    host.setTruststorePassword("changeit");
    SSLHostConfigCertificate cert = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.RSA);
    cert.setCertificateKeystoreFile("/tmp/logfx/server.p12");
    cert.setCertificateKeystorePassword("changeit");
    host.addCertificate(cert);
    c.addSslHostConfig(host);
    if (a.length > 0) c.setPort(18454);
    tomcat.getService().addConnector(c);
    tomcat.getHost();
    tomcat.start();
    tomcat.getServer().await();
  }
}
