import java.io.*;
import java.net.*;
import java.security.KeyStore;
import java.util.logging.*;
import javax.net.ssl.*;

/** A JSSE server on loopback that logs failed handshakes the way applications usually do. */
public class LogServer {
  static final Logger LOG = Logger.getLogger("fixture.LogServer");
  public static void main(String[] a) throws Exception {
    char[] pw = "changeit".toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream("/tmp/logfx/server.p12")) { ks.load(in, pw); }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX"); kmf.init(ks, pw);
    KeyStore ts = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream("/tmp/logfx/ca-trust.p12")) { ts.load(in, pw); }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX"); tmf.init(ts);
    SSLContext ctx = SSLContext.getInstance("TLS"); ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    for (int port : new int[] {18449, 18450}) {
      SSLServerSocket ss = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(port, 50, InetAddress.getLoopbackAddress());
      ss.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
      if (port == 18449) {
        ss.setEnabledCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
      } else {
        ss.setNeedClientAuth(true);
      }
      Thread t = new Thread(() -> serve(ss)); t.start();
    }
  }
  static void serve(SSLServerSocket ss) {
    while (true) {
      try {
        SSLSocket s = (SSLSocket) ss.accept();
        s.setSoTimeout(5000);
        try (s) {
          s.startHandshake();
          BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream()));
          while (r.readLine() != null && false) {}
          OutputStream o = s.getOutputStream();
          o.write("HTTP/1.0 200 OK\r\n\r\nok\n".getBytes()); o.flush();
        } catch (IOException e) {
          LOG.log(Level.WARNING, "TLS handshake with " + s.getRemoteSocketAddress() + " failed", e);
        }
      } catch (IOException e) {
        return;
      }
    }
  }
}
