package dev.tlsinspect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.HostilePeer;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 at the command line: a deadline too short to examine anything is never a PASS, and a
 * flooding peer ends as a typed protocol error with exit status 2 and no stack trace.
 */
class DeadlineCliTest {

  @Test
  void oneMillisecondTimeout_neverPasses() {
    // Which finding depends on where the 1 ms runs out (nearly always before the first address is
    // tried: INSPECTION_INCOMPLETE; on a fast path the connect or the first read): never PASS.
    try (FakePeer silent = FakePeer.silent()) {
      MainTest.Run r = MainTest.run("--timeout", "1ms", "127.0.0.1:" + silent.port());
      assertEquals(2, r.status(), r.out() + r.err());
      assertTrue(r.out().contains("Verdict: FAIL"), r.out());
      assertFalse(r.out().contains("No findings"), r.out());
      assertTrue(Set.of("INSPECTION_INCOMPLETE", "CONNECT_TIMEOUT", "HANDSHAKE_TIMEOUT").stream()
          .anyMatch(r.out()::contains), r.out());
    }
  }

  @Test
  void floodingPeer_isProtocolError_exitTwo() {
    try (HostilePeer peer = HostilePeer.endlessRecords()) {
      MainTest.Run r = MainTest.run("--quick", "--timeout", "5s", "127.0.0.1:" + peer.port());
      assertEquals(2, r.status(), r.out() + r.err());
      assertTrue(r.out().contains("TLS_PROTOCOL_ERROR"), r.out());
      assertTrue(r.out().contains("a flood"), r.out());
      assertFalse(r.err().contains("Exception"), r.err());
    }
  }
}
