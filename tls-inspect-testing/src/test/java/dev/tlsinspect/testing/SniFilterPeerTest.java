package dev.tlsinspect.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

class SniFilterPeerTest {

    private static byte[] clientHello(Optional<String> sni) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine("peer.test", 443);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setServerNames(sni.map(n -> List.<javax.net.ssl.SNIServerName>of(new SNIHostName(n))).orElse(List.of()));
        engine.setSSLParameters(p);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }

    @Test
    void serverName_isReadFromARealClientHello() throws Exception {
        assertEquals(Optional.of("blocked.test"), SniFilterPeer.serverName(clientHello(Optional.of("blocked.test"))));
        assertEquals(Optional.empty(), SniFilterPeer.serverName(clientHello(Optional.empty())));
        byte[] hello = clientHello(Optional.of("blocked.test"));
        for (int cut = 0; cut < hello.length; cut += 7) {
            SniFilterPeer.serverName(Arrays.copyOf(hello, cut)); // truncated: never throws
        }
        assertEquals(Optional.empty(), SniFilterPeer.serverName("GET / HTTP/1.1\r\n".getBytes()));
    }

    @Test
    void blockedName_isReset_otherBytesAreRelayed() throws Exception {
        try (FakePeer upstream = FakePeer.banner("hello from upstream\r\n");
                SniFilterPeer filter = SniFilterPeer.blocking("blocked.test", upstream.address())) {
            try (Socket s = new Socket()) {
                s.connect(filter.address(), 2_000);
                s.setSoTimeout(5_000);
                s.getOutputStream().write(clientHello(Optional.of("blocked.test")));
                IOException e = assertThrows(IOException.class, () -> {
                    if (s.getInputStream().read() < 0) {
                        throw new SocketException("closed");
                    }
                });
                assertTrue(e instanceof SocketException, e.toString());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(filter.address().getAddress(), filter.port()), 2_000);
                s.setSoTimeout(5_000);
                s.getOutputStream().write(clientHello(Optional.of("allowed.test")));
                byte[] banner = s.getInputStream().readNBytes(5);
                assertEquals("hello", new String(banner));
            }
            assertEquals(1, filter.resetConnections());
            assertEquals(1, filter.relayedConnections());
        }
    }
}
