package dev.tlsinspect.bc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/*
 * SSL 2.0, the one wire format written by hand (Bouncy Castle has no SSL 2.0): a CLIENT-HELLO
 * offering the seven SSL 2.0 cipher kinds, and a bounded parser of the SERVER-HELLO that answers
 * it. The peer is hostile: every length is checked against the record before it is used, and at
 * most MAX_READ bytes are ever read.
 */
/** SSL 2.0 CLIENT-HELLO and SERVER-HELLO. Not API. */
final class Sslv2 {
  /** The most bytes read from the server, header included. */
  static final int MAX_READ = 64 * 1024;
  /** The SSL 2.0 cipher kinds (3 bytes each): RC4, RC4 export, RC2, RC2 export, IDEA, DES, 3DES. */
  static final int[] CIPHER_KINDS = {0x010080, 0x020080, 0x030080, 0x040080, 0x050080, 0x060040, 0x0700C0};
  private static final int MSG_CLIENT_HELLO = 1;
  private static final int MSG_SERVER_HELLO = 4;
  private static final int VERSION = 0x0002;
  /** msg type, session-id-hit, certificate type, version(2), cert len(2), specs len(2), conn-id len(2). */
  private static final int FIXED = 11;

  /**
   * What a SERVER-HELLO says.
   *
   * @param version the server's version, 0x0002
   * @param cipherKinds the cipher kinds the server supports, each a 3-byte code
   * @param certificateLength the length of the certificate the server sent
   * @param certificate the certificate's DER bytes (empty when none was sent)
   */
  record ServerHello(int version, List<Integer> cipherKinds, int certificateLength, byte[] certificate) {
    ServerHello {
      cipherKinds = List.copyOf(cipherKinds);
      certificate = certificate.clone();
    }

    /** The certificate, when one was sent and it parses. */
    Optional<java.security.cert.X509Certificate> x509() {
      if (certificate.length == 0) {
        return Optional.empty();
      }
      try {
        return Optional.of((java.security.cert.X509Certificate) java.security.cert.CertificateFactory
            .getInstance("X.509").generateCertificate(new java.io.ByteArrayInputStream(certificate)));
      } catch (java.security.cert.CertificateException | RuntimeException e) {
        return Optional.empty();
      }
    }
  }

  private Sslv2() {}

  /**
   * The CLIENT-HELLO, with a two-byte record header.
   *
   * @param challenge 16 random bytes
   * @return the bytes to send
   */
  static byte[] clientHello(byte[] challenge) {
    if (challenge.length != 16) {
      throw new IllegalArgumentException("the challenge must be 16 bytes");
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(MSG_CLIENT_HELLO);
    u16(body, VERSION);
    u16(body, CIPHER_KINDS.length * 3);
    u16(body, 0); // session id length
    u16(body, challenge.length);
    for (int kind : CIPHER_KINDS) {
      body.write(kind >>> 16);
      body.write(kind >>> 8);
      body.write(kind);
    }
    body.writeBytes(challenge);
    byte[] b = body.toByteArray();
    byte[] out = new byte[b.length + 2];
    out[0] = (byte) (0x80 | (b.length >>> 8));
    out[1] = (byte) b.length;
    System.arraycopy(b, 0, out, 2, b.length);
    return out;
  }

  /**
   * Reads one record, bounded: at most {@link #MAX_READ} bytes, and no more than the header
   * announces.
   *
   * @param in the server's stream, with a read timeout set
   * @return the record bytes read so far (header included), possibly short at end of stream
   * @throws IOException on a read error or timeout
   */
  static byte[] readRecord(InputStream in) throws IOException {
    byte[] head = in.readNBytes(3);
    if (head.length < 2) {
      return head;
    }
    int total;
    if ((head[0] & 0x80) != 0) {
      total = 2 + (((head[0] & 0x7F) << 8) | (head[1] & 0xFF));
    } else {
      total = 3 + (((head[0] & 0x3F) << 8) | (head[1] & 0xFF));
    }
    total = Math.min(Math.max(total, head.length), MAX_READ);
    byte[] rest = in.readNBytes(total - head.length);
    byte[] out = new byte[head.length + rest.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(rest, 0, out, head.length, rest.length);
    return out;
  }

  /**
   * Parses a SERVER-HELLO record. Total: never throws, whatever the bytes.
   *
   * @param data the record, header included
   * @return the SERVER-HELLO, empty when the bytes are anything else or inconsistent
   */
  static Optional<ServerHello> parseServerHello(byte[] data) {
    if (data == null || data.length < 2 || data.length > MAX_READ) {
      return Optional.empty();
    }
    int length;
    int start;
    if ((data[0] & 0x80) != 0) {
      length = ((data[0] & 0x7F) << 8) | (data[1] & 0xFF);
      start = 2;
    } else {
      if (data.length < 3) {
        return Optional.empty();
      }
      length = ((data[0] & 0x3F) << 8) | (data[1] & 0xFF);
      int padding = data[2] & 0xFF;
      start = 3;
      if (padding > length) {
        return Optional.empty();
      }
      length -= padding;
    }
    if (length < FIXED || start + length > data.length) {
      return Optional.empty();
    }
    int p = start;
    if ((data[p] & 0xFF) != MSG_SERVER_HELLO) {
      return Optional.empty();
    }
    int sessionIdHit = data[p + 1] & 0xFF;
    int certificateType = data[p + 2] & 0xFF;
    int version = u16(data, p + 3);
    int certLength = u16(data, p + 5);
    int specsLength = u16(data, p + 7);
    int connIdLength = u16(data, p + 9);
    if (sessionIdHit > 1 || version != VERSION) {
      return Optional.empty();
    }
    if (sessionIdHit == 0 && (certificateType != 1 || certLength == 0 || specsLength == 0)) {
      return Optional.empty(); // a fresh session needs an X.509 certificate and cipher kinds
    }
    if (specsLength % 3 != 0 || connIdLength < 16 || connIdLength > 32) {
      return Optional.empty();
    }
    long needed = (long) FIXED + certLength + specsLength + connIdLength;
    if (needed > length) {
      return Optional.empty();
    }
    if (certLength > 0 && (data[p + FIXED] & 0xFF) != 0x30) {
      return Optional.empty(); // a DER certificate starts with a SEQUENCE
    }
    List<Integer> kinds = new ArrayList<>(specsLength / 3);
    int s = p + FIXED + certLength;
    for (int i = 0; i < specsLength; i += 3) {
      kinds.add(((data[s + i] & 0xFF) << 16) | ((data[s + i + 1] & 0xFF) << 8) | (data[s + i + 2] & 0xFF));
    }
    byte[] certificate = java.util.Arrays.copyOfRange(data, p + FIXED, p + FIXED + certLength);
    return Optional.of(new ServerHello(version, kinds, certLength, certificate));
  }

  private static int u16(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v);
  }
}
