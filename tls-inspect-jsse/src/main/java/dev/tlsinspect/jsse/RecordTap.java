package dev.tlsinspect.jsse;

import dev.tlsinspect.internal.trace.PeerIntake;
import dev.tlsinspect.probe.Alert;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.TlsVersion;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Watches the bytes the server sends, before the engine sees them, and reads what is still in
 * plain text: record headers, alerts, handshake message types, the ServerHello and (TLS 1.2 and
 * older) the Certificate message. It keeps no more than a record header, one ServerHello (at most
 * 64 KB), one Certificate message (at most 1 MB) and 64 first bytes, whatever the peer sends; it
 * stops reading contents once the server starts encrypting.
 *
 * <p>The Certificate message is kept because JSSE refuses handshake messages over
 * {@code jdk.tls.maxHandshakeMessageSize} (32 KB by default) before any trust manager sees the
 * chain: the tap still knows the announced length and, once the rest is drained, the chain.
 *
 * <p>It exists because the engine reports most peer faults as one generic message; the tap says
 * which: not TLS at all (and what instead), an oversized record, a first message that is not a
 * ServerHello, a plaintext alert.
 */
final class RecordTap {
  static final int MAX_RECORD = (1 << 14) + 2048;
  private static final int MAX_SERVER_HELLO = 65536;
  static final int MAX_CERTIFICATE_MESSAGE = 1 << 20;
  private static final int FIRST_BYTES = 64;

  private final ByteArrayOutputStream first = new ByteArrayOutputStream();
  private final byte[] header = new byte[5];
  private int headerFill;
  private int recordType = -1;
  private int recordLeft;
  private boolean encrypted;
  private long total;
  private String problem;
  private boolean notTls;

  // handshake message reassembly (plaintext only)
  private final byte[] hsHeader = new byte[4];
  private int hsHeaderFill;
  private int hsType = -1;
  private int hsLeft;
  private ByteArrayOutputStream hsBody;

  private final PeerIntake intake = new PeerIntake();
  private final List<Integer> handshakeTypes = new ArrayList<>();
  private final List<Alert> alerts = new ArrayList<>();
  private long alertsSeen;
  private long alertsDropped;
  private final byte[] alertBytes = new byte[2];
  private int alertFill;
  private TlsVersion version;
  private CipherSuite suite;
  private int group = -1;
  private int certificateLength = -1;
  private byte[] certificateMessage;

  void feed(byte[] buf, int off, int len) {
    if (first.size() < FIRST_BYTES) {
      first.write(buf, off, Math.min(len, FIRST_BYTES - first.size()));
    }
    if (problem == null && intake.bytes(len).isPresent()) {
      problem = intake.flood().get();
    }
    for (int i = 0; i < len && problem == null; ) {
      if (recordLeft == 0) {
        header[headerFill++] = buf[off + i++];
        total++;
        if (headerFill == 5) {
          headerFill = 0;
          startRecord();
        } else if (headerFill == 1 && !validContentType(header[0] & 0xFF)) {
          notTls("the first byte 0x" + String.format("%02x", header[0] & 0xFF)
              + " is not a TLS record type");
        } else if (headerFill == 2 && (header[1] & 0xFF) != 3) {
          notTls("record version byte 0x" + String.format("%02x", header[1] & 0xFF) + " is not TLS");
        }
        continue;
      }
      int n = Math.min(len - i, recordLeft);
      if (!encrypted) {
        body(buf, off + i, n);
      }
      i += n;
      total += n;
      recordLeft -= n;
    }
  }

  private void startRecord() {
    recordType = header[0] & 0xFF;
    if (intake.record(recordType).isPresent()) {
      problem = intake.flood().get();
      return;
    }
    int length = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
    if (length > MAX_RECORD) {
      problem = "the server sent a record of " + length + " bytes, larger than TLS allows ("
          + MAX_RECORD + ")";
      return;
    }
    if (length == 0 && recordType != 23) {
      problem = "the server sent an empty " + typeName(recordType) + " record";
      return;
    }
    recordLeft = length;
    if (recordType == 20) {
      // ChangeCipherSpec: in TLS 1.2 everything after it is encrypted. In TLS 1.3 it is only for
      // middlebox compatibility and comes after the ServerHello, after which all is encrypted too.
      encrypted = true;
    }
    alertFill = 0;
  }

  private void body(byte[] buf, int off, int n) {
    if (recordType == 21) {
      for (int k = 0; k < n; k++) {
        alertBytes[alertFill++] = buf[off + k];
        if (alertFill == 2) {
          alertFill = 0;
          Alert alert = Alert.of(true, (alertBytes[0] & 0xFF) == 2, alertBytes[1] & 0xFF);
          if (alerts.size() >= PeerIntake.MAX_KEPT_ALERTS) {
            alerts.remove(alerts.size() - 1); // keep the first ones and the latest
            alertsDropped++;
          }
          alerts.add(alert);
          // One record may hold thousands of alerts: count them, not only their records.
          if (++alertsSeen > PeerIntake.MAX_ALERTS && problem == null) {
            problem = "the server sent more than " + PeerIntake.MAX_ALERTS
                + " alerts in one handshake (an alert flood)";
            return;
          }
        }
      }
    } else if (recordType == 22) {
      handshake(buf, off, n);
    } else if (recordType == 23 && handshakeTypes.isEmpty()) {
      problem = "the server sent application data before any handshake message";
    }
  }

  private void handshake(byte[] buf, int off, int n) {
    int i = 0;
    while (i < n && problem == null && !encrypted) {
      if (hsType < 0) {
        hsHeader[hsHeaderFill++] = buf[off + i++];
        if (hsHeaderFill == 4) {
          hsHeaderFill = 0;
          hsType = hsHeader[0] & 0xFF;
          hsLeft = ((hsHeader[1] & 0xFF) << 16) | ((hsHeader[2] & 0xFF) << 8) | (hsHeader[3] & 0xFF);
          if (handshakeTypes.isEmpty() && hsType != 2) {
            problem = "the server's first handshake message is type " + hsType + ", not ServerHello";
            return;
          }
          if (hsType == 2 && hsLeft > MAX_SERVER_HELLO) {
            problem = "the server announced a ServerHello of " + hsLeft + " bytes";
            return;
          }
          if (handshakeTypes.size() >= 64) {
            handshakeTypes.remove(handshakeTypes.size() - 1); // only the first and the last are read
          }
          handshakeTypes.add(hsType);
          hsBody = hsType == 2 ? new ByteArrayOutputStream(Math.min(hsLeft, 512)) : null;
          if (hsType == 11 && certificateLength < 0) {
            certificateLength = hsLeft;
            if (hsLeft <= MAX_CERTIFICATE_MESSAGE) {
              hsBody = new ByteArrayOutputStream(Math.min(hsLeft, 65536));
            }
          }
          if (hsLeft == 0) {
            finishMessage();
          }
        }
        continue;
      }
      int m = Math.min(n - i, hsLeft);
      if (hsBody != null) {
        hsBody.write(buf, off + i, m);
      }
      i += m;
      hsLeft -= m;
      if (hsLeft == 0) {
        finishMessage();
      }
    }
  }

  private void finishMessage() {
    if (hsType == 2 && hsBody != null) {
      parseServerHello(hsBody.toByteArray());
      if (version != null && version.equals(TlsVersion.TLS_1_3)) {
        encrypted = true; // everything after the TLS 1.3 ServerHello is encrypted
      }
    } else if (hsType == 11 && hsBody != null) {
      certificateMessage = hsBody.toByteArray();
    }
    hsType = -1;
    hsBody = null;
  }

  private void parseServerHello(byte[] b) {
    try {
      int p = 0;
      int legacy = u16(b, p);
      p += 2 + 32;
      int sid = b[p] & 0xFF;
      p += 1 + sid;
      int cs = u16(b, p);
      p += 2 + 1;
      TlsVersion v = TlsVersion.of(legacy);
      if (p + 2 <= b.length) {
        int extEnd = p + 2 + u16(b, p);
        p += 2;
        while (p + 4 <= Math.min(extEnd, b.length)) {
          int type = u16(b, p);
          int len = u16(b, p + 2);
          p += 4;
          if (type == 43 && len == 2) {
            v = TlsVersion.of(u16(b, p));
          } else if (type == 51 && len >= 2) {
            group = u16(b, p);
          }
          p += len;
        }
      }
      version = v;
      suite = CipherSuite.of(cs);
    } catch (ArrayIndexOutOfBoundsException e) {
      problem = "the server sent a truncated ServerHello";
    }
  }

  private static int u16(byte[] b, int p) {
    return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
  }

  private void notTls(String why) {
    notTls = true;
    problem = why;
  }

  private static boolean validContentType(int t) {
    return t >= 20 && t <= 24;
  }

  private static String typeName(int t) {
    return switch (t) {
      case 20 -> "change_cipher_spec";
      case 21 -> "alert";
      case 22 -> "handshake";
      case 23 -> "application_data";
      default -> "type " + t;
    };
  }

  boolean notTls() {
    return notTls;
  }

  Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  byte[] firstBytes() {
    return first.toByteArray();
  }

  long bytesSeen() {
    return total;
  }

  /** Whether the problem is a flood: more than the intake allows of bytes, records or alerts. */
  boolean flooded() {
    return intake.flood().isPresent() || alertsSeen > PeerIntake.MAX_ALERTS;
  }

  /** Alerts read but not kept (only the first and the latest are). */
  long alertsDropped() {
    return alertsDropped;
  }

  /** Records whose header was read. */
  int recordsSeen() {
    return intake.recordsSeen();
  }

  List<Alert> alerts() {
    return alerts;
  }

  Optional<TlsVersion> serverVersion() {
    return Optional.ofNullable(version);
  }

  Optional<CipherSuite> serverSuite() {
    return Optional.ofNullable(suite);
  }

  int keyShareGroup() {
    return group;
  }

  /** The body length of the plaintext Certificate message, as announced in its header. */
  java.util.OptionalInt certificateLength() {
    return certificateLength < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(certificateLength);
  }

  /** Whether the plaintext Certificate message has started but not all of it has been seen. */
  boolean receivingCertificate() {
    return hsType == 11 && certificateMessage == null;
  }

  /** The type of the handshake message being received, or -1 between messages. */
  int currentHandshakeType() {
    return hsType;
  }

  /**
   * The certificates of the plaintext (TLS 1.2) Certificate message, when it was seen whole and
   * every entry parses: the chain exactly as sent, whatever JSSE thought of it.
   */
  List<java.security.cert.X509Certificate> certificates() {
    if (certificateMessage == null) {
      return List.of();
    }
    byte[] b = certificateMessage;
    try {
      if (b.length < 3 || u24(b, 0) != b.length - 3) {
        return List.of();
      }
      java.security.cert.CertificateFactory factory = java.security.cert.CertificateFactory.getInstance("X.509");
      List<java.security.cert.X509Certificate> out = new ArrayList<>();
      int p = 3;
      while (p < b.length && out.size() < 64) {
        int len = u24(b, p);
        p += 3;
        if (len == 0 || p + len > b.length) {
          return List.of();
        }
        out.add((java.security.cert.X509Certificate) factory.generateCertificate(
            new java.io.ByteArrayInputStream(b, p, len)));
        p += len;
      }
      return List.copyOf(out);
    } catch (java.security.cert.CertificateException | RuntimeException e) {
      return List.of();
    }
  }

  private static int u24(byte[] b, int p) {
    return ((b[p] & 0xFF) << 16) | ((b[p + 1] & 0xFF) << 8) | (b[p + 2] & 0xFF);
  }

  /** How far the handshake got, from the server's side, in words. */
  String stage() {
    if (total == 0) {
      return "after ClientHello, before any answer";
    }
    if (handshakeTypes.isEmpty()) {
      return encrypted ? "after ServerHello" : "after ClientHello";
    }
    int last = handshakeTypes.get(handshakeTypes.size() - 1);
    String name = messageName(last);
    return (hsType >= 0 ? "while receiving the " : "after ") + name;
  }

  private static String messageName(int last) {
    return switch (last) {
      case 2 -> "ServerHello";
      case 11 -> "Certificate";
      case 12 -> "ServerKeyExchange";
      case 13 -> "CertificateRequest";
      case 14 -> "ServerHelloDone";
      case 22 -> "CertificateStatus";
      default -> "handshake message " + last;
    };
  }
}
