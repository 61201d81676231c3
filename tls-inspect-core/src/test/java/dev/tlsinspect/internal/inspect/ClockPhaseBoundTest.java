package dev.tlsinspect.internal.inspect;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.ClockReference;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Target;
import dev.tlsinspect.check.ClockReading;
import dev.tlsinspect.probe.Deadline;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: the http clock reference keeps its 3 s bound per request even when the reference
 * answers one byte at a time, faster than any read timeout: the bound is on the request, not on
 * each read. The inspection's deadline here is 20 s; the request must end near 3 s (asserted with
 * a grace for a loaded machine: it is the bound the README promises, not a speed).
 */
class ClockPhaseBoundTest {

  @Test
  void referenceDrippingOneBytePer250ms_endsAtThePerRequestBound() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread dripper = new Thread(() -> drip(server), "clock-dripper");
      dripper.setDaemon(true);
      dripper.start();
      InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
      ProbeOutcome main = new ProbeOutcome.Completed(Observation.builder("stub").address(address).build());
      InspectOptions options = InspectOptions.builder().clockReference(ClockReference.httpDate())
          .timeout(Duration.ofSeconds(20)).build();
      long start = System.nanoTime();
      ClockReading r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ClockPhase.run(options,
          Target.of("localhost", address.getPort()), main, Deadline.after(Duration.ofSeconds(20))).orElseThrow());
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertTrue(r.referenceTime().isEmpty(), r::toString);
      assertTrue(r.problem().orElseThrow().contains("no complete answer within 3000 ms"), r::toString);
      assertTrue(took.compareTo(Duration.ofSeconds(3).plusSeconds(2)) <= 0, () -> "took " + took.toMillis() + " ms");
      dripper.interrupt();
    }
  }

  /** A TLS record header and then zeros, one byte every 250 ms, to every connection in turn. */
  private static void drip(ServerSocket server) {
    byte[] header = {0x16, 0x03, 0x03, 0x40, 0x00, 0x02, 0x00, 0x3F, (byte) 0xFC};
    while (!Thread.currentThread().isInterrupted()) {
      try (Socket s = server.accept()) {
        InputStream in = s.getInputStream();
        in.read(new byte[4096]); // the ClientHello, or its start
        OutputStream out = s.getOutputStream();
        for (int i = 0; i < 10_000; i++) {
          out.write(i < header.length ? header[i] : 0);
          out.flush();
          Thread.sleep(250);
        }
      } catch (IOException e) {
        // the client closed: next connection
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
