package dev.tlsinspect.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.tlsinspect.Target;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

class TlsServerExtensionTest {
  static final IssuedCertificate ROOT = CertificateBuilder.root("Extension Root").build();
  static final IssuedCertificate LEAF = CertificateBuilder.leaf("localhost").issuedBy(ROOT).build();

  @RegisterExtension
  static TlsServerExtension perClass = TlsServerExtension.withCertificate(LEAF);

  @RegisterExtension
  TlsServerExtension perTest = TlsServerExtension.configured(b -> b.certificate(LEAF)
      .protocols("TLSv1.2")).hostName("localhost");

  private static String handshake(int port) throws Exception {
    try (SSLSocket socket = TestClients.open(TestClients.trusting(ROOT.certificate()), "127.0.0.1",
        port, "localhost", 3000)) {
      socket.startHandshake();
      return socket.getSession().getProtocol();
    }
  }

  @Test
  void bothServersRun_andHandshake() throws Exception {
    assertEquals("TLSv1.3", handshake(perClass.port()));
    assertEquals("TLSv1.2", handshake(perTest.port()));
    assertEquals("127.0.0.1", perClass.host());
  }

  @Test
  void target_namesTheHostAndConnectsToLoopback() {
    Target t = perClass.target();
    assertEquals("localhost", t.host());
    assertEquals(perClass.port(), t.port());
    assertEquals(Optional.of("127.0.0.1"), t.address());
    assertEquals(Optional.of("localhost"), t.sni());
  }

  @Nested
  class Nested_ {
    @Test
    void theClassServerIsShared() {
      assertTrue(perClass.server().port() > 0);
    }
  }

  @Test
  void lifecycle_startsAndStopsForTheOwningContextOnly() throws IOException {
    TlsServerExtension ext = TlsServerExtension.withCertificate(LEAF);
    assertThrows(IllegalStateException.class, ext::server);
    ExtensionContext classContext = mock(ExtensionContext.class);
    when(classContext.getUniqueId()).thenReturn("[class:X]");
    ExtensionContext testContext = mock(ExtensionContext.class);
    when(testContext.getUniqueId()).thenReturn("[class:X]/[method:t()]");

    ext.beforeAll(classContext);
    TlsServer started = ext.server();
    ext.beforeEach(testContext);
    ext.afterEach(testContext);
    assertSame(started, ext.server(), "a class server survives each test");
    int port = ext.port();
    ext.afterAll(classContext);
    assertThrows(IllegalStateException.class, ext::server);
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
  }
}
