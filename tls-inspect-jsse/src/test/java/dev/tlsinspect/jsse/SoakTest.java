package dev.tlsinspect.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.TlsServer;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Many quick inspections in a row, as a health check running for days makes them, must leave no
 * threads and no file descriptors behind: healthy servers and failing ones alike. (The 10,000-run
 * figure comes from {@code bench/run soak}; this is the smaller run that every build repeats.)
 */
class SoakTest {

  @Test
  void repeatedQuickInspections_leakNoThreadsAndNoFileDescriptors() throws Exception {
    IssuedCertificate root = CertificateBuilder.root("Soak Root").build();
    IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(root)
        .crlUrl("http://127.0.0.1:9/soak.crl").build();
    TlsInspector inspector = TlsInspector.builder().probe(new JsseProbe())
        .options(InspectOptions.builder().quick(true).timeout(Duration.ofSeconds(3))
            .trust(TrustMaterial.certificates(List.of(root.certificate()))).build())
        .build();
    try (TlsServer server = TlsServer.builder().certificate(leaf).start();
        FakePeer http = FakePeer.http()) {
      Target good = Target.builder("localhost", server.port()).connectAddress("127.0.0.1").build();
      Target bad = Target.builder("localhost", http.port()).connectAddress("127.0.0.1").build();
      Target closed = Target.builder("localhost", FakePeer.closedPort()).connectAddress("127.0.0.1").build();
      for (int i = 0; i < 30; i++) {
        inspector.inspect(good);
        inspector.inspect(bad);
        inspector.inspect(closed);
      }
      Set<String> threadsBefore = threads();
      int fdsBefore = openFiles();
      for (int i = 0; i < 300; i++) {
        assertEquals(Verdict.PASS, inspector.inspect(good).verdict());
        if (i % 10 == 0) {
          assertEquals(Verdict.FAIL, inspector.inspect(bad).verdict());
          assertEquals(Verdict.FAIL, inspector.inspect(closed).verdict());
        }
      }
      Thread.sleep(200);
      Set<String> added = new TreeSet<>(threads());
      added.removeAll(threadsBefore);
      assertEquals(Set.of(), added, "threads left behind");
      int fdsAfter = openFiles();
      // A leaked socket per probe would add 300; the JDK may open a jar or two lazily.
      assertTrue(fdsAfter <= fdsBefore + 2, "file descriptors before " + fdsBefore + ", after " + fdsAfter);
    }
  }

  private static Set<String> threads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(t -> t.getName() + "#" + t.getId())
        .filter(n -> !n.startsWith("tls-inspect-tls-server") && !n.startsWith("tls-inspect-fake-peer"))
        .collect(Collectors.toSet());
  }

  private static int openFiles() {
    File[] fds = new File("/proc/self/fd").listFiles();
    return fds == null ? 0 : fds.length;
  }
}
