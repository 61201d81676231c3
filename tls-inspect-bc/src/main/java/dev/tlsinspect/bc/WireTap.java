package dev.tlsinspect.bc;

import dev.tlsinspect.internal.trace.HandshakeTracer;
import dev.tlsinspect.internal.trace.PeerIntake;
import dev.tlsinspect.probe.Deadline;
import dev.tlsinspect.probe.TraceEvent.Direction;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The socket's input as Bouncy Castle reads it, with three duties: every read waits at most what
 * is left of the deadline (a peer that drips bytes cannot hold the probe), the first bytes are kept
 * to name a non-TLS peer, and record headers are checked as they pass, so garbage, an oversized
 * record or a monstrous first handshake message stops the probe at once instead of being read.
 * It also counts what passes ({@link PeerIntake}): past its limits of bytes, records or alert
 * records the answer is a flood and the next read fails, so Bouncy Castle never reads (nor
 * buffers, hashes or reports) an endless stream of small valid-looking records.
 */
final class WireTap extends InputStream {
  static final int MAX_RECORD = (1 << 14) + 2048;
  private static final int MAX_SERVER_HELLO = 65536;
  private static final int FIRST_BYTES = 64;
  /** How long to wait for the rest of a non-TLS greeting after its first bytes. */
  private static final Duration NOT_TLS_WINDOW = Duration.ofMillis(300);

  private final Socket socket;
  private final InputStream in;
  private final Deadline deadline;
  private final Duration readTimeout;
  private final ByteArrayOutputStream first = new ByteArrayOutputStream();
  private final byte[] header = new byte[5];
  private int headerFill;
  private int recordLeft;
  private int recordType;
  private boolean firstHandshakeSeen;
  private final byte[] hs = new byte[4];
  private int hsFill;
  private long total;
  private boolean notTls;
  private boolean endOfStream;
  private final HandshakeTracer trace;
  private final PeerIntake intake = new PeerIntake();

  WireTap(Socket socket, Deadline deadline, Duration readTimeout, HandshakeTracer trace) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.deadline = deadline;
    this.readTimeout = readTimeout;
    this.trace = trace;
  }

  /** The socket's output, with every byte written shown to the trace first. */
  OutputStream output() throws IOException {
    return new FilterOutputStream(socket.getOutputStream()) {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        trace.sent(b, off, len);
        out.write(b, off, len);
      }
    };
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (deadline.expired()) {
      throw new DeadlineReached();
    }
    socket.setSoTimeout(deadline.timeoutMillis(readTimeout));
    int n;
    try {
      n = in.read(b, off, len);
    } catch (SocketTimeoutException e) {
      trace.event(Direction.LOCAL, "timeout", "waited", readTimeout.toMillis() + " ms");
      throw deadline.expired() ? new DeadlineReached() : e;
    } catch (SocketException e) {
      trace.event(Direction.RECEIVED, "reset", "error", String.valueOf(e.getMessage()));
      throw e;
    }
    if (n < 0) {
      trace.event(Direction.RECEIVED, "close", "by", "peer (end of stream)");
    }
    if (n > 0) {
      trace.received(b, off, n);
      try {
        watch(b, off, n);
      } catch (Problem p) {
        if (notTls) {
          // Now, before Bouncy Castle closes the socket on the exception.
          readMoreFirstBytes(NOT_TLS_WINDOW);
        }
        throw p;
      }
    } else if (n < 0) {
      endOfStream = true;
    }
    return n;
  }

  private void watch(byte[] b, int off, int n) throws Problem {
    if (first.size() < FIRST_BYTES) {
      first.write(b, off, Math.min(n, FIRST_BYTES - first.size()));
    }
    if (intake.bytes(n).isPresent()) {
      throw new Problem(intake.flood().get());
    }
    for (int i = 0; i < n; ) {
      if (recordLeft == 0) {
        header[headerFill++] = b[off + i++];
        total++;
        if (headerFill == 1 && (header[0] < 20 || header[0] > 24)) {
          notTls = total == 1;
          throw new Problem(String.format("the byte 0x%02x where a TLS record starts is not a record type",
              header[0] & 0xFF));
        }
        if (headerFill == 2 && header[1] != 3) {
          notTls = total == 2;
          throw new Problem(String.format("record version byte 0x%02x is not TLS", header[1] & 0xFF));
        }
        if (headerFill == 5) {
          headerFill = 0;
          recordType = header[0];
          if (intake.record(recordType).isPresent()) {
            throw new Problem(intake.flood().get());
          }
          recordLeft = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
          if (recordLeft > MAX_RECORD) {
            throw new Problem("the server sent a record of " + recordLeft + " bytes, larger than TLS allows ("
                + MAX_RECORD + ")");
          }
        }
        continue;
      }
      int m = Math.min(n - i, recordLeft);
      if (recordType == 22 && !firstHandshakeSeen) {
        for (int k = 0; k < m && hsFill < 4; k++) {
          hs[hsFill++] = b[off + i + k];
        }
        if (hsFill == 4) {
          firstHandshakeSeen = true;
          int length = ((hs[1] & 0xFF) << 16) | ((hs[2] & 0xFF) << 8) | (hs[3] & 0xFF);
          if (hs[0] != 2) {
            throw new Problem("the server's first handshake message is type " + (hs[0] & 0xFF)
                + ", not ServerHello");
          }
          if (length > MAX_SERVER_HELLO) {
            throw new Problem("the server announced a ServerHello of " + length + " bytes");
          }
        }
      }
      i += m;
      total += m;
      recordLeft -= m;
    }
  }

  byte[] firstBytes() {
    return first.toByteArray();
  }

  /**
   * Whether the peer closed its side: Bouncy Castle turns an end of stream in the handshake
   * into a local handshake_failure alert, which must not read as a protocol violation.
   */
  boolean endOfStream() {
    return endOfStream;
  }

  /**
   * After a non-TLS answer, reads what else the peer sent at once, up to 64 bytes in all and for
   * at most {@code window} (capped by the deadline): the record layer stops at a 5-byte header,
   * too little to tell FTP from SMTP or to see a MySQL or PostgreSQL message.
   */
  private void readMoreFirstBytes(Duration window) {
    long until = System.nanoTime() + window.toNanos();
    byte[] buffer = new byte[FIRST_BYTES];
    try {
      while (first.size() < FIRST_BYTES && !deadline.expired()) {
        long left = (until - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return;
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(left, deadline.timeoutMillis(readTimeout))));
        int n = in.read(buffer, 0, FIRST_BYTES - first.size());
        if (n < 0) {
          return;
        }
        first.write(buffer, 0, n);
        trace.received(buffer, 0, n);
        total += n;
      }
    } catch (IOException e) {
      // Timeout, reset: what arrived is all there is.
    }
  }

  long bytesSeen() {
    return total;
  }

  boolean notTls() {
    return notTls;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** The overall deadline passed. */
  static final class DeadlineReached extends IOException {
    DeadlineReached() {
      super("deadline reached");
    }
  }

  /** What the peer sent is not (sane) TLS. */
  static final class Problem extends IOException {
    Problem(String message) {
      super(message);
    }
  }
}
