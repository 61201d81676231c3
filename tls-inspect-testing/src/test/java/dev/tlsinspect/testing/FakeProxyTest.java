package dev.tlsinspect.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Starttls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** The plaintext fakes on the wire: the proxy tunnels only to loopback, the STARTTLS server upgrades. */
class FakeProxyTest {

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(5_000);
        return s;
    }

    private static String line(InputStream in) throws IOException {
        return Loopback.readLine(in);
    }

    @Test
    void httpProxy_refusesNonLoopbackAndUnroutedDestinations_withoutConnecting() throws IOException {
        try (FakeProxy proxy = FakeProxy.http().route("backend.test").start()) {
            for (String destination : List.of("10.1.2.3:443", "elsewhere.test:443")) {
                try (Socket s = connect(proxy.port())) {
                    s.getOutputStream().write(("CONNECT " + destination + " HTTP/1.1\r\nHost: " + destination
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    assertEquals("HTTP/1.1 403 Forbidden", line(s.getInputStream()));
                }
            }
            assertEquals(List.of("10.1.2.3:443", "elsewhere.test:443"), proxy.requests());
        }
    }

    @Test
    void socks5Proxy_answersUnroutedNamesWithReply2() throws IOException {
        try (FakeProxy proxy = FakeProxy.socks5().start(); Socket s = connect(proxy.port())) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(new byte[] {5, 1, 0});
            assertEquals(5, in.read());
            assertEquals(0, in.read());
            byte[] name = "elsewhere.test".getBytes(StandardCharsets.US_ASCII);
            out.write(new byte[] {5, 1, 0, 3, (byte) name.length});
            out.write(name);
            out.write(new byte[] {1, (byte) 0xBB});
            assertEquals(5, in.read());
            assertEquals(2, in.read(), "connection not allowed by ruleset");
            assertEquals(List.of("elsewhere.test:443"), proxy.requests());
        }
    }

    @Test
    void smtpServer_speaksEsmtp_thenTls() throws Exception {
        IssuedCertificate root = CertificateBuilder.root("Starttls Test Root").build();
        IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(root).build();
        SSLContext client = TestClients.trusting(root.certificate());
        try (StarttlsServer smtp = StarttlsServer.builder(Starttls.SMTP).certificate(leaf).start();
                Socket s = connect(smtp.port())) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            assertTrue(line(in).startsWith("220 "));
            out.write("EHLO [127.0.0.1]\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply;
            boolean starttls = false;
            do {
                reply = line(in);
                starttls |= reply.equals("250-STARTTLS");
            } while (reply.startsWith("250-"));
            assertTrue(starttls);
            out.write("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(line(in).startsWith("220 "));
            try (SSLSocket tls = (SSLSocket) client.getSocketFactory().createSocket(s, "localhost", smtp.port(), true)) {
                tls.startHandshake();
                assertEquals(leaf.certificate(), tls.getSession().getPeerCertificates()[0]);
            }
            assertEquals(List.of("EHLO [127.0.0.1]", "STARTTLS"), smtp.commands());
        }
    }
}
