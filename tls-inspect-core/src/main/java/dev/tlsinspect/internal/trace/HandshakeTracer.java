package dev.tlsinspect.internal.trace;

import dev.tlsinspect.probe.Alert;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.NamedGroup;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.probe.TraceEvent.Direction;
import dev.tlsinspect.probe.TraceEvent;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Turns the bytes a probe sends and receives into {@link TraceEvent}s: record by record, handshake
 * message by handshake message while they are in plain text, with the key fields of each, and
 * logs every event at DEBUG on the provider's logger. Both providers feed it the same way (what
 * goes on the wire in each direction), so their traces read alike.
 *
 * <p>Strictly bounded and total: it keeps at most a record header and one handshake message body
 * of {@value #MAX_BODY} bytes per direction, never throws on any input, and once a direction
 * stops looking like TLS it only counts bytes. The observation builder bounds the number of events.
 *
 * <p>Not thread-safe: a probe runs on one thread. Not API.
 */
public final class HandshakeTracer {
  static final int MAX_RECORD = (1 << 14) + 2048;
  static final int MAX_BODY = 65536;
  private static final int PREVIEW = 16;
  private static final byte[] HRR_RANDOM = HexFormat.of().parseHex(
      "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

  private final Logger log;
  private final String label;
  private final Observation.Builder sink;
  private final long start;
  private final Stream out = new Stream(Direction.SENT);
  private final Stream in = new Stream(Direction.RECEIVED);
  private int serverSuite = -1;
  private boolean tls13;

  /**
   * A tracer that appends to an observation under construction.
   *
   * @param log the provider's logger; events go to it at DEBUG
   * @param label what the log lines start with, for example the address probed
   * @param sink where the events go
   * @param startNanos the probe's start, by {@link System#nanoTime()}
   */
  public HandshakeTracer(Logger log, String label, Observation.Builder sink, long startNanos) {
    this.log = log;
    this.label = label;
    this.sink = sink;
    this.start = startNanos;
  }

  /**
   * An event without bytes of its own.
   *
   * @param direction who caused it
   * @param type what happened, for example {@code TCP connect}
   * @param fields key facts, for example {@code k, v, k, v}
   */
  public void event(Direction direction, String type, String... fields) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < fields.length; i += 2) {
      map.put(fields[i], fields[i + 1] == null ? "" : fields[i + 1]);
    }
    emit(direction, type, 0, map);
  }

  /**
   * The TCP connection is up.
   *
   * @param address the address connected to
   * @param took how long the connect took
   */
  public void connected(java.net.InetSocketAddress address, Duration took) {
    String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    event(Direction.LOCAL, "TCP connect", "to", (host.contains(":") ? "[" + host + "]" : host) + ":"
        + address.getPort(), "took", millis(took));
  }

  /** "1.234ms": what %.3f would print, without a Formatter on every connection. */
  static String millis(Duration took) {
    long micros = Math.max(0, (took.toNanos() + 500) / 1_000);
    long frac = micros % 1_000;
    return micros / 1_000 + "." + (frac < 10 ? "00" : frac < 100 ? "0" : "") + frac + "ms";
  }

  /**
   * Bytes the probe sent, as written to the socket.
   *
   * @param b the buffer
   * @param off the offset
   * @param len how many
   */
  public void sent(byte[] b, int off, int len) {
    out.feed(b, off, len);
  }

  /**
   * Bytes the peer sent, as read from the socket.
   *
   * @param b the buffer
   * @param off the offset
   * @param len how many
   */
  public void received(byte[] b, int off, int len) {
    in.feed(b, off, len);
  }

  private void emit(Direction direction, String type, int length, Map<String, String> fields) {
    TraceEvent e = TraceEvent.of(Duration.ofNanos(Math.max(0, System.nanoTime() - start)),
        direction, type, Math.max(0, length), fields);
    sink.addTrace(e);
    if (log.isDebugEnabled()) {
      // Events quote the peer (names, alert texts): a log line must stay one safe line.
      log.debug("{} {} {}", label, e.time(), dev.tlsinspect.SafeText.of(e.describe(), 2048));
    }
  }

  /** One direction of the connection: record and handshake-message reassembly. */
  private final class Stream {
    private final Direction direction;
    private final byte[] header = new byte[5];
    private int headerFill;
    private int recordType;
    private int recordLength;
    private int recordLeft;
    private boolean encrypted;
    private boolean notTls;
    private final byte[] alert = new byte[2];
    private int alertFill;
    private final byte[] hsHeader = new byte[4];
    private int hsFill;
    private int hsType = -1;
    private int hsLength;
    private int hsLeft;
    private ByteArrayOutputStream hsBody;

    Stream(Direction direction) {
      this.direction = direction;
    }

    void feed(byte[] b, int off, int len) {
      if (b == null || off < 0 || len <= 0 || off > b.length - len) {
        return;
      }
      if (notTls) {
        emit(direction, "not TLS", len, preview(b, off, len));
        return;
      }
      int i = 0;
      while (i < len) {
        if (recordLeft == 0) {
          header[headerFill++] = b[off + i++];
          if (headerFill == 1 && (header[0] < 20 || header[0] > 24)
              || headerFill == 2 && header[1] != 3) {
            notTls(b, off, off + len, off + i - headerFill, headerFill);
            return;
          }
          if (headerFill == 5) {
            headerFill = 0;
            startRecord();
            if (notTls) {
              notTls(b, off, off + len, off + i - 5, 5);
              return;
            }
          }
          continue;
        }
        int n = Math.min(len - i, recordLeft);
        body(b, off + i, n);
        i += n;
        recordLeft -= n;
        if (recordLeft == 0) {
          endRecord();
        }
      }
    }

    /** Reports the bytes of this read from where the bad record header starts. */
    private void notTls(byte[] b, int off, int end, int headerStart, int fromHeader) {
      notTls = true;
      // The header bytes seen so far may have come in an earlier read: show what is at hand.
      int start = Math.max(off, headerStart);
      int n = end - start;
      Map<String, String> fields = preview(b, start, n);
      fields.put("why", fromHeader <= 1 ? String.format("0x%02x is not a TLS record type", header[0] & 0xFF)
          : fromHeader == 2 ? String.format("record version byte 0x%02x is not TLS", header[1] & 0xFF)
          : "a record of " + recordLength + " bytes, larger than TLS allows");
      emit(direction, "not TLS", n, fields);
    }

    private void startRecord() {
      recordType = header[0];
      recordLength = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
      if (recordLength > MAX_RECORD) {
        notTls = true;
        return;
      }
      recordLeft = recordLength;
      alertFill = 0;
      if (recordLength == 0) {
        endRecord();
      }
    }

    private void body(byte[] b, int off, int n) {
      if (encrypted) {
        return;
      }
      if (recordType == 21) {
        for (int k = 0; k < n; k++) {
          alert[alertFill++] = b[off + k];
          if (alertFill == 2) {
            alertFill = 0;
            Map<String, String> f = new LinkedHashMap<>();
            int level = alert[0] & 0xFF;
            f.put("level", level == 2 ? "fatal" : level == 1 ? "warning" : "level " + level);
            f.put("description", Alert.nameOf(alert[1] & 0xFF));
            emit(direction, "Alert", 2, f);
          }
        }
      } else if (recordType == 22) {
        handshake(b, off, n);
      }
    }

    private void endRecord() {
      switch (recordType) {
        case 20 -> {
          emit(direction, "ChangeCipherSpec", recordLength, new LinkedHashMap<>());
          // TLS 1.2 and older: all that follows in this direction is encrypted. In TLS 1.3 it is
          // only for middleboxes (a second ClientHello after a HelloRetryRequest may follow it),
          // and encrypted records are application_data records anyway.
          encrypted = !tls13;
        }
        case 21 -> {
          if (encrypted) {
            emit(direction, "encrypted alert", recordLength, new LinkedHashMap<>());
          }
        }
        case 22 -> {
          if (encrypted) {
            emit(direction, "encrypted handshake", recordLength, new LinkedHashMap<>());
          }
        }
        case 23 -> emit(direction, "encrypted record", recordLength, new LinkedHashMap<>());
        default -> emit(direction, "Heartbeat", recordLength, new LinkedHashMap<>());
      }
    }

    private void handshake(byte[] b, int off, int n) {
      int i = 0;
      while (i < n) {
        if (hsType < 0) {
          hsHeader[hsFill++] = b[off + i++];
          if (hsFill == 4) {
            hsFill = 0;
            hsType = hsHeader[0] & 0xFF;
            hsLength = ((hsHeader[1] & 0xFF) << 16) | ((hsHeader[2] & 0xFF) << 8) | (hsHeader[3] & 0xFF);
            hsLeft = hsLength;
            hsBody = new ByteArrayOutputStream(Math.min(hsLength, 4096));
            if (hsLeft == 0) {
              message();
            }
          }
          continue;
        }
        int m = Math.min(n - i, hsLeft);
        int keep = Math.min(m, MAX_BODY - hsBody.size());
        if (keep > 0) {
          hsBody.write(b, off + i, keep);
        }
        i += m;
        hsLeft -= m;
        if (hsLeft == 0) {
          message();
        }
      }
    }

    private void message() {
      byte[] body = hsBody.toByteArray();
      boolean whole = body.length == hsLength;
      Map<String, String> f = new LinkedHashMap<>();
      String name = messageName(hsType);
      try {
        Reader r = new Reader(body);
        switch (hsType) {
          case 1 -> clientHello(r, f);
          case 2 -> name = serverHello(r, f);
          case 11 -> certificate(r, f, whole);
          case 12 -> serverKeyExchange(r, f);
          default -> { }
        }
      } catch (Truncated e) {
        f.put(whole ? "malformed" : "truncated", "true");
      }
      emit(direction, name, hsLength, f);
      hsType = -1;
      hsBody = null;
    }
  }

  private static Map<String, String> preview(byte[] b, int off, int len) {
    int n = Math.max(0, Math.min(Math.min(len, PREVIEW), b.length - off));
    Map<String, String> f = new LinkedHashMap<>();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int c = b[off + i] & 0xFF;
      text.append(c >= 0x20 && c < 0x7F ? (char) c : '.');
    }
    f.put("first", HexFormat.of().formatHex(b, off, off + n));
    f.put("text", text.toString());
    return f;
  }

  private void clientHello(Reader r, Map<String, String> f) {
    f.put("version", TlsVersion.of(r.u16()).name());
    r.skip(32);
    r.skip(r.u8());
    int suites = r.u16();
    r.skip(suites);
    f.put("suites", String.valueOf(suites / 2));
    r.skip(r.u8());
    if (!r.more()) {
      return;
    }
    Reader ext = r.sub(r.u16());
    List<String> names = new ArrayList<>();
    while (ext.more()) {
      int type = ext.u16();
      Reader e = ext.sub(ext.u16());
      names.add(extensionName(type));
      switch (type) {
        case 0 -> {
          Reader list = e.sub(e.u16());
          if (list.u8() == 0) {
            f.put("sni", ascii(list.bytes(list.u16())));
          }
        }
        case 10 -> f.put("groups", String.valueOf(e.u16() / 2));
        case 16 -> {
          Reader list = e.sub(e.u16());
          List<String> alpn = new ArrayList<>();
          while (list.more()) {
            alpn.add(ascii(list.bytes(list.u8())));
          }
          f.put("alpn", String.join(",", alpn));
        }
        case 43 -> {
          Reader list = e.sub(e.u8());
          List<String> versions = new ArrayList<>();
          while (list.more()) {
            versions.add(TlsVersion.of(list.u16()).name());
          }
          f.put("supported_versions", String.join(",", versions));
        }
        case 51 -> {
          Reader list = e.sub(e.u16());
          List<String> shares = new ArrayList<>();
          while (list.more()) {
            shares.add(NamedGroup.of(list.u16()).name());
            list.skip(list.u16());
          }
          f.put("key_shares", String.join(",", shares));
        }
        default -> { }
      }
    }
    f.put("extensions", String.valueOf(names.size()));
  }

  private String serverHello(Reader r, Map<String, String> f) {
    int legacy = r.u16();
    byte[] random = r.bytes(32);
    boolean hrr = java.util.Arrays.equals(random, HRR_RANDOM);
    r.skip(r.u8());
    int suite = r.u16();
    r.skip(1);
    TlsVersion version = TlsVersion.of(legacy);
    List<String> names = new ArrayList<>();
    String group = null;
    if (r.more()) {
      Reader ext = r.sub(r.u16());
      while (ext.more()) {
        int type = ext.u16();
        Reader e = ext.sub(ext.u16());
        names.add(extensionName(type));
        if (type == 43) {
          version = TlsVersion.of(e.u16());
        } else if (type == 51) {
          group = NamedGroup.of(e.u16()).name();
        }
      }
    }
    serverSuite = suite;
    tls13 = version.code() == TlsVersion.TLS_1_3.code();
    f.put("version", version.name());
    f.put("suite", CipherSuite.of(suite).name());
    if (group != null) {
      f.put("group", group);
    }
    f.put("extensions", names.isEmpty() ? "none" : String.join(",", names));
    return hrr ? "HelloRetryRequest" : "ServerHello";
  }

  private static void certificate(Reader r, Map<String, String> f, boolean whole) {
    Reader list = r.sub(Math.min(r.u24(), r.remaining()));
    int count = 0;
    while (list.more()) {
      list.skip(list.u24());
      count++;
    }
    f.put("certificates", (whole ? "" : ">=") + count);
  }

  private void serverKeyExchange(Reader r, Map<String, String> f) {
    String suite = serverSuite < 0 ? "" : CipherSuite.of(serverSuite).name();
    if (suite.contains("_ECDHE_")) {
      if (r.u8() == 3) {
        f.put("group", NamedGroup.of(r.u16()).name());
      }
    } else if (suite.contains("_DHE_") || suite.contains("_DH_anon_")) {
      byte[] p = r.bytes(r.u16());
      f.put("dh_bits", String.valueOf(new java.math.BigInteger(1, p).bitLength()));
    }
  }

  private static String messageName(int type) {
    return switch (type) {
      case 0 -> "HelloRequest";
      case 1 -> "ClientHello";
      case 2 -> "ServerHello";
      case 4 -> "NewSessionTicket";
      case 5 -> "EndOfEarlyData";
      case 8 -> "EncryptedExtensions";
      case 11 -> "Certificate";
      case 12 -> "ServerKeyExchange";
      case 13 -> "CertificateRequest";
      case 14 -> "ServerHelloDone";
      case 15 -> "CertificateVerify";
      case 16 -> "ClientKeyExchange";
      case 20 -> "Finished";
      case 22 -> "CertificateStatus";
      case 24 -> "KeyUpdate";
      default -> "handshake message " + type;
    };
  }

  private static String extensionName(int type) {
    return switch (type) {
      case 0 -> "server_name";
      case 5 -> "status_request";
      case 10 -> "supported_groups";
      case 11 -> "ec_point_formats";
      case 13 -> "signature_algorithms";
      case 16 -> "alpn";
      case 18 -> "signed_certificate_timestamp";
      case 22 -> "encrypt_then_mac";
      case 23 -> "extended_master_secret";
      case 35 -> "session_ticket";
      case 41 -> "pre_shared_key";
      case 43 -> "supported_versions";
      case 45 -> "psk_key_exchange_modes";
      case 50 -> "signature_algorithms_cert";
      case 51 -> "key_share";
      case 0xFF01 -> "renegotiation_info";
      default -> String.valueOf(type);
    };
  }

  private static String ascii(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < b.length && i < 255; i++) {
      int c = b[i] & 0xFF;
      sb.append(c > 0x20 && c < 0x7F ? (char) c : '?');
    }
    return sb.toString();
  }

  /** The peer's message ended before a field did. */
  private static final class Truncated extends RuntimeException {
    Truncated() {
      super(null, null, false, false);
    }
  }

  /** Bounds-checked reads over a byte range. */
  private static final class Reader {
    private final byte[] b;
    private int p;
    private final int end;

    Reader(byte[] b) {
      this(b, 0, b.length);
    }

    private Reader(byte[] b, int p, int end) {
      this.b = b;
      this.p = p;
      this.end = end;
    }

    boolean more() {
      return p < end;
    }

    int remaining() {
      return end - p;
    }

    private void need(int n) {
      if (n < 0 || n > end - p) {
        throw new Truncated();
      }
    }

    int u8() {
      need(1);
      return b[p++] & 0xFF;
    }

    int u16() {
      need(2);
      int v = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
      p += 2;
      return v;
    }

    int u24() {
      need(3);
      int v = ((b[p] & 0xFF) << 16) | ((b[p + 1] & 0xFF) << 8) | (b[p + 2] & 0xFF);
      p += 3;
      return v;
    }

    void skip(int n) {
      need(n);
      p += n;
    }

    byte[] bytes(int n) {
      need(n);
      byte[] out = java.util.Arrays.copyOfRange(b, p, p + n);
      p += n;
      return out;
    }

    Reader sub(int n) {
      need(n);
      Reader r = new Reader(b, p, p + n);
      p += n;
      return r;
    }
  }
}
