package dev.tlsinspect.internal.inspect;

import dev.tlsinspect.probe.Deadline;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/*
 * The few TLS 1.0-1.2 records the active probes write by hand: a ClientHello, a plaintext record
 * of any type, and a bounded reader of the server's first flight. The active probes send what no
 * TLS stack will (a heartbeat that overstates its length, a ChangeCipherSpec before the key
 * exchange, a ClientKeyExchange with a malformed PKCS #1 block), so they cannot ride on a stack.
 * The peer is hostile: every length is checked before use, at most MAX_READ bytes are read per
 * connection, and every read waits at most the read timeout, capped by the deadline.
 */
/** Hand-built TLS records for the active probes. Not API. */
final class RawTls {
  /** The most bytes read from one connection. */
  static final int MAX_READ = 64 * 1024;
  /** The largest record accepted: 2^14 plus the expansion TLS 1.2 allows. */
  static final int MAX_RECORD = 16384 + 2048;
  static final int CHANGE_CIPHER_SPEC = 20;
  static final int ALERT = 21;
  static final int HANDSHAKE = 22;
  static final int HEARTBEAT = 24;
  static final int TLS12 = 0x0303;
  static final int EXT_SERVER_NAME = 0;
  static final int EXT_HEARTBEAT = 15;

  /** ECDHE, DHE and RSA key exchange with AES and 3DES, as a TLS 1.2 client of 2014 offered. */
  static final int[] BROAD_SUITES = {0xC02F, 0xC030, 0xC02B, 0xC02C, 0xCCA8, 0xCCA9, 0xC027, 0xC028,
      0xC023, 0xC024, 0xC013, 0xC014, 0xC009, 0xC00A, 0x009E, 0x009F, 0x0067, 0x006B, 0x0033, 0x0039,
      0x009C, 0x009D, 0x003C, 0x003D, 0x002F, 0x0035, 0x000A, 0x00FF};
  /** RSA key exchange only, for ROBOT. */
  static final int[] RSA_SUITES = {0x009C, 0x009D, 0x003C, 0x003D, 0x002F, 0x0035, 0x000A, 0x00FF};

  private RawTls() {}

  /** One record. */
  record Record(int type, int version, byte[] body) {}

  /**
   * What the server sent up to ServerHelloDone, or up to where it stopped.
   *
   * @param version the ServerHello's version, or -1 without a ServerHello
   * @param cipherSuite the suite it chose, or -1
   * @param extensions the extension types of the ServerHello
   * @param leaf the first certificate's DER, empty when none was sent
   * @param serverKeyExchange the ServerKeyExchange body, empty when none was sent
   * @param done whether ServerHelloDone arrived
   * @param alert the first alert's description, or -1
   * @param ended how reading ended when it did not reach ServerHelloDone
   */
  record Flight(int version, int cipherSuite, Set<Integer> extensions, byte[] leaf,
      byte[] serverKeyExchange, boolean done,
      int alert, String ended) {
    boolean serverHello() {
      return version >= 0;
    }
  }

  /**
   * A ClientHello record offering TLS 1.2 and below.
   *
   * @param suites the cipher suite codes
   * @param sniName the host name to send in server_name, empty for none
   * @param heartbeat whether to offer the heartbeat extension (peer_allowed_to_send)
   * @param random 32 random bytes
   * @return the record
   */
  static byte[] clientHello(int[] suites, Optional<String> sniName, boolean heartbeat, byte[] random) {
    return clientHello(TLS12, suites, sniName, heartbeat, random);
  }

  /**
   * A ClientHello record offering {@code version} and below (SSL 3.0 to TLS 1.2).
   *
   * @param version the client_version, 0x0300 to 0x0303
   * @param suites the cipher suite codes
   * @param sniName the host name to send in server_name, empty for none
   * @param heartbeat whether to offer the heartbeat extension (peer_allowed_to_send)
   * @param random 32 random bytes
   * @return the record
   */
  static byte[] clientHello(int version, int[] suites, Optional<String> sniName, boolean heartbeat,
      byte[] random) {
    ByteArrayOutputStream ext = new ByteArrayOutputStream();
    if (sniName.isPresent()) {
      byte[] name = sniName.get().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      u16(ext, EXT_SERVER_NAME);
      u16(ext, name.length + 5);
      u16(ext, name.length + 3);
      ext.write(0);
      u16(ext, name.length);
      ext.writeBytes(name);
    }
    // supported_groups: x25519, secp256r1, secp384r1, secp521r1, ffdhe2048
    extension(ext, 10, new byte[] {0, 10, 0, 0x1D, 0, 0x17, 0, 0x18, 0, 0x19, 1, 0});
    extension(ext, 11, new byte[] {1, 0}); // ec_point_formats: uncompressed
    // signature_algorithms: rsa_pss_rsae, rsa_pkcs1 and ecdsa with SHA-256/384/512, then SHA-1
    extension(ext, 13, new byte[] {0, 20, 8, 4, 8, 5, 8, 6, 4, 1, 5, 1, 6, 1, 4, 3, 5, 3, 6, 3, 2, 1});
    if (heartbeat) {
      extension(ext, EXT_HEARTBEAT, new byte[] {1});
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    u16(body, version);
    body.writeBytes(random);
    body.write(0); // no session id
    u16(body, suites.length * 2);
    for (int s : suites) {
      u16(body, s);
    }
    body.write(1);
    body.write(0); // null compression
    u16(body, ext.size());
    body.writeBytes(ext.toByteArray());
    return record(HANDSHAKE, Math.min(version, 0x0301), handshake(1, body.toByteArray()));
  }

  /** A handshake message: type, 3-byte length, body. */
  static byte[] handshake(int type, byte[] body) {
    byte[] out = new byte[4 + body.length];
    out[0] = (byte) type;
    out[1] = (byte) (body.length >>> 16);
    out[2] = (byte) (body.length >>> 8);
    out[3] = (byte) body.length;
    System.arraycopy(body, 0, out, 4, body.length);
    return out;
  }

  /** A plaintext record. */
  static byte[] record(int type, int version, byte[] body) {
    byte[] out = new byte[5 + body.length];
    out[0] = (byte) type;
    out[1] = (byte) (version >>> 8);
    out[2] = (byte) version;
    out[3] = (byte) (body.length >>> 8);
    out[4] = (byte) body.length;
    System.arraycopy(body, 0, out, 5, body.length);
    return out;
  }

  private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
    u16(out, type);
    u16(out, data.length);
    out.writeBytes(data);
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v);
  }

  /** Reads records from one connection within a byte budget and the deadline. */
  static final class Reader {
    private final Socket socket;
    private final InputStream in;
    private final Deadline deadline;
    private final Duration readTimeout;
    private int budget = MAX_READ;

    Reader(Socket socket, Deadline deadline, Duration readTimeout) throws IOException {
      this(socket, socket.getInputStream(), deadline, readTimeout);
    }

    /** A reader of a stream; {@code socket} may be null (tests), then no timeout is set. */
    Reader(Socket socket, InputStream in, Deadline deadline, Duration readTimeout) {
      this.socket = socket;
      this.in = in;
      this.deadline = deadline;
      this.readTimeout = readTimeout;
    }

    /**
     * The next record, waiting at most {@code wait} (capped by the read timeout and deadline).
     *
     * @return the record
     * @throws SocketTimeoutException when nothing came in time
     * @throws EOFException when the stream ended or the budget is spent
     * @throws IOException on a malformed header or a read error
     */
    Record next(Duration wait) throws IOException {
      if (deadline.expired()) {
        throw new SocketTimeoutException("deadline passed");
      }
      if (socket != null) {
        socket.setSoTimeout(deadline.timeoutMillis(wait.compareTo(readTimeout) < 0 ? wait : readTimeout));
      }
      byte[] head = read(5);
      int type = head[0] & 0xFF;
      int version = ((head[1] & 0xFF) << 8) | (head[2] & 0xFF);
      int length = ((head[3] & 0xFF) << 8) | (head[4] & 0xFF);
      if (type < 20 || type > 24 || (version >>> 8) != 3 || length > MAX_RECORD) {
        throw new IOException("not a TLS record (type " + type + ", version " + Integer.toHexString(version)
            + ", length " + length + ")");
      }
      return new Record(type, version, read(length));
    }

    Record next() throws IOException {
      return next(readTimeout);
    }

    private byte[] read(int n) throws IOException {
      if (n > budget) {
        throw new EOFException("read limit of " + MAX_READ + " bytes reached");
      }
      byte[] b = in.readNBytes(n);
      budget -= b.length;
      if (b.length < n) {
        throw new EOFException("the server closed the connection");
      }
      return b;
    }

    /**
     * Reads the server's flight up to ServerHelloDone, an alert, or the end.
     *
     * @return what was seen
     */
    Flight flight() {
      int version = -1;
      int suite = -1;
      Set<Integer> extensions = new LinkedHashSet<>();
      byte[] leaf = new byte[0];
      byte[] ske = new byte[0];
      ByteArrayOutputStream pending = new ByteArrayOutputStream();
      String ended;
      try {
        while (true) {
          Record r = next();
          if (r.type() == ALERT) {
            int alert = r.body().length >= 2 ? r.body()[1] & 0xFF : -1;
            return new Flight(version, suite, extensions, leaf, ske, false, alert, "alert");
          }
          if (r.type() != HANDSHAKE) {
            return new Flight(version, suite, extensions, leaf, ske, false, -1,
                "unexpected record type " + r.type());
          }
          pending.writeBytes(r.body());
          byte[] buf = pending.toByteArray();
          int p = 0;
          while (buf.length - p >= 4) {
            int type = buf[p] & 0xFF;
            int len = ((buf[p + 1] & 0xFF) << 16) | ((buf[p + 2] & 0xFF) << 8) | (buf[p + 3] & 0xFF);
            if (len > MAX_READ) {
              return new Flight(version, suite, extensions, leaf, ske, false, -1, "handshake message too long");
            }
            if (buf.length - p - 4 < len) {
              break;
            }
            int s = p + 4;
            if (type == 2) {
              if (len < 38) {
                return new Flight(version, suite, extensions, leaf, ske, false, -1, "short ServerHello");
              }
              version = u16(buf, s);
              int sid = buf[s + 34] & 0xFF;
              int q = s + 35 + sid;
              if (q + 3 > s + len) {
                return new Flight(-1, -1, extensions, leaf, ske, false, -1, "malformed ServerHello");
              }
              suite = u16(buf, q);
              q += 3;
              if (q + 2 <= s + len) {
                int end = Math.min(s + len, q + 2 + u16(buf, q));
                q += 2;
                while (q + 4 <= end) {
                  extensions.add(u16(buf, q));
                  q += 4 + u16(buf, q + 2);
                }
              }
            } else if (type == 11 && len >= 6) {
              int certLen = ((buf[s + 3] & 0xFF) << 16) | ((buf[s + 4] & 0xFF) << 8) | (buf[s + 5] & 0xFF);
              if (certLen <= len - 6) {
                leaf = java.util.Arrays.copyOfRange(buf, s + 6, s + 6 + certLen);
              }
            } else if (type == 12) {
              ske = java.util.Arrays.copyOfRange(buf, s, s + len);
            } else if (type == 14) {
              return new Flight(version, suite, extensions, leaf, ske, true, -1, "");
            }
            p = s + len;
          }
          pending.reset();
          pending.write(buf, p, buf.length - p);
        }
      } catch (SocketTimeoutException e) {
        ended = "no answer within the read timeout";
      } catch (EOFException e) {
        ended = e.getMessage();
      } catch (IOException e) {
        ended = String.valueOf(e.getMessage());
      }
      return new Flight(version, suite, extensions, leaf, ske, false, -1, ended);
    }
  }

  static int u16(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }
}
