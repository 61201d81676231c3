package dev.tlsinspect.internal.cert;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/*
 * A small DER reader for what the JDK has no public parser for (OCSP responses, the extensions
 * the checks read). Bytes come from peers and responders, so every length is checked against what
 * is left of its enclosing value, indefinite lengths and multi-byte tags are refused, nesting is
 * limited, and nothing is allocated beyond the input's own size: a value is a view (buffer,
 * offset, length) until a caller asks for a copy of its bytes.
 */
/** A bounded DER reader. Not API. */
public final class Der {
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int NULL = 0x05;
  static final int OID = 0x06;
  static final int ENUMERATED = 0x0A;
  static final int GENERALIZED_TIME = 0x18;
  static final int IA5_STRING = 0x16;
  static final int BOOLEAN = 0x01;

  /** Deep enough for OCSP and certificates (about 10), small enough to bound recursion. */
  static final int MAX_DEPTH = 32;

  private Der() {}

  /** Malformed or unsupported DER; the only exception the reader throws for bad input. */
  public static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message);
    }
  }

  /** One TLV, a view into the input. */
  static final class Value {
    private final byte[] buf;
    private final int headerStart;
    private final int start;
    private final int length;
    private final int tag;
    private final int depth;

    private Value(byte[] buf, int headerStart, int start, int length, int tag, int depth) {
      this.buf = buf;
      this.headerStart = headerStart;
      this.start = start;
      this.length = length;
      this.tag = tag;
      this.depth = depth;
    }

    int tag() {
      return tag;
    }

    boolean constructed() {
      return (tag & 0x20) != 0;
    }

    /** Context-specific tag number, or -1 when the class is not context-specific. */
    int contextTag() {
      return (tag & 0xC0) == 0x80 ? tag & 0x1F : -1;
    }

    int length() {
      return length;
    }

    /** A copy of the content octets. */
    byte[] content() {
      return Arrays.copyOfRange(buf, start, start + length);
    }

    /** A copy of the whole encoding, header included. */
    byte[] encoded() {
      return Arrays.copyOfRange(buf, headerStart, start + length);
    }

    /** Reads the content as a sequence of values (for SEQUENCE, SET and explicit tags). */
    Reader children() throws MalformedException {
      if (!constructed()) {
        throw new MalformedException("tag 0x" + Integer.toHexString(tag) + " is not constructed");
      }
      if (depth + 1 > MAX_DEPTH) {
        throw new MalformedException("nesting deeper than " + MAX_DEPTH);
      }
      return new Reader(buf, start, start + length, depth + 1);
    }

    /** Reads the content as one value: the inner value of an explicit tag. */
    Value explicit() throws MalformedException {
      Reader r = children();
      Value v = r.next();
      r.end();
      return v;
    }

    Value expect(int expectedTag) throws MalformedException {
      if (tag != expectedTag) {
        throw new MalformedException("expected tag 0x" + Integer.toHexString(expectedTag) + ", got 0x"
            + Integer.toHexString(tag));
      }
      return this;
    }

    BigInteger integer() throws MalformedException {
      if (tag != INTEGER && tag != ENUMERATED && (tag & 0x20) != 0) {
        throw new MalformedException("not an INTEGER: tag 0x" + Integer.toHexString(tag));
      }
      if (length == 0) {
        throw new MalformedException("empty INTEGER");
      }
      return new BigInteger(buf, start, length);
    }

    /** A small non-negative integer (ENUMERATED, versions, reasons). */
    int smallInt() throws MalformedException {
      BigInteger i = integer();
      if (i.signum() < 0 || i.bitLength() > 31) {
        throw new MalformedException("integer out of range: " + i);
      }
      return i.intValue();
    }

    String oid() throws MalformedException {
      expect(OID);
      if (length == 0) {
        throw new MalformedException("empty OID");
      }
      StringBuilder out = new StringBuilder();
      long value = 0;
      boolean first = true;
      for (int i = start; i < start + length; i++) {
        int b = buf[i] & 0xFF;
        if (value > (Long.MAX_VALUE >>> 7)) {
          throw new MalformedException("OID arc too large");
        }
        value = (value << 7) | (b & 0x7F);
        if ((b & 0x80) == 0) {
          if (first) {
            int arc1 = value < 40 ? 0 : value < 80 ? 1 : 2;
            out.append(arc1).append('.').append(value - 40L * arc1);
            first = false;
          } else {
            out.append('.').append(value);
          }
          value = 0;
        } else if (i == start + length - 1) {
          throw new MalformedException("OID ends inside an arc");
        }
      }
      return out.toString();
    }

    Instant generalizedTime() throws MalformedException {
      expect(GENERALIZED_TIME);
      if (length < 15 || length > 32) {
        throw new MalformedException("bad GeneralizedTime length " + length);
      }
      String s = new String(buf, start, length, StandardCharsets.US_ASCII);
      if (!s.endsWith("Z")) {
        throw new MalformedException("GeneralizedTime not in UTC: " + s);
      }
      String whole = s.substring(0, 14);
      String fraction = s.substring(14, s.length() - 1);
      if (!fraction.isEmpty() && !fraction.matches("\\.[0-9]{1,9}")) {
        throw new MalformedException("bad GeneralizedTime fraction: " + s);
      }
      try {
        Instant at = LocalDateTime.parse(whole, DateTimeFormatter.ofPattern("uuuuMMddHHmmss"))
            .toInstant(ZoneOffset.UTC);
        if (!fraction.isEmpty()) {
          String nanos = (fraction.substring(1) + "000000000").substring(0, 9);
          at = at.plusNanos(Long.parseLong(nanos));
        }
        return at;
      } catch (DateTimeParseException | NumberFormatException e) {
        throw new MalformedException("bad GeneralizedTime: " + s);
      }
    }

    /** The bits of a BIT STRING without the unused-bits octet; only whole octets are accepted. */
    byte[] bitString() throws MalformedException {
      expect(BIT_STRING);
      if (length == 0 || buf[start] != 0) {
        throw new MalformedException("BIT STRING with unused bits or no content");
      }
      return Arrays.copyOfRange(buf, start + 1, start + length);
    }

    byte[] octetString() throws MalformedException {
      expect(OCTET_STRING);
      return content();
    }

    String ia5() {
      return new String(buf, start, length, StandardCharsets.US_ASCII);
    }
  }

  /** Reads consecutive values from [pos, end). */
  static final class Reader {
    private final byte[] buf;
    private int pos;
    private final int end;
    private final int depth;

    private Reader(byte[] buf, int pos, int end, int depth) {
      this.buf = buf;
      this.pos = pos;
      this.end = end;
      this.depth = depth;
    }

    boolean hasMore() {
      return pos < end;
    }

    /** The tag of the next value, or -1 at the end. */
    int peekTag() {
      return pos < end ? buf[pos] & 0xFF : -1;
    }

    Value next() throws MalformedException {
      if (pos >= end) {
        throw new MalformedException("value expected at offset " + pos + ", none left");
      }
      int headerStart = pos;
      int tag = buf[pos++] & 0xFF;
      if ((tag & 0x1F) == 0x1F) {
        throw new MalformedException("multi-byte tags are not supported");
      }
      if (pos >= end) {
        throw new MalformedException("truncated length");
      }
      int first = buf[pos++] & 0xFF;
      long length;
      if (first < 0x80) {
        length = first;
      } else if (first == 0x80) {
        throw new MalformedException("indefinite length is not DER");
      } else {
        int count = first & 0x7F;
        if (count > 4) {
          throw new MalformedException("length of " + count + " octets");
        }
        if (end - pos < count) {
          throw new MalformedException("truncated length");
        }
        length = 0;
        for (int i = 0; i < count; i++) {
          length = (length << 8) | (buf[pos++] & 0xFF);
        }
      }
      if (length > end - pos) {
        throw new MalformedException("length " + length + " exceeds the " + (end - pos)
            + " octets left");
      }
      Value v = new Value(buf, headerStart, pos, (int) length, tag, depth);
      pos += (int) length;
      return v;
    }

    /** Fails when values are left over. */
    void end() throws MalformedException {
      if (pos != end) {
        throw new MalformedException((end - pos) + " trailing octets");
      }
    }
  }

  /** Reads exactly one value spanning the whole input. */
  static Value parse(byte[] input) throws MalformedException {
    if (input == null) {
      throw new MalformedException("no input");
    }
    Reader r = new Reader(input, 0, input.length, 0);
    Value v = r.next();
    r.end();
    return v;
  }

  /** A reader over the whole input. */
  static Reader reader(byte[] input) {
    return new Reader(input, 0, input.length, 0);
  }

  // ---- writing, for the few structures the library sends (OCSP requests) ----

  static byte[] tlv(int tag, byte[]... parts) {
    int len = 0;
    for (byte[] p : parts) {
      len += p.length;
    }
    byte[] header;
    if (len < 0x80) {
      header = new byte[] {(byte) tag, (byte) len};
    } else if (len < 0x100) {
      header = new byte[] {(byte) tag, (byte) 0x81, (byte) len};
    } else if (len < 0x10000) {
      header = new byte[] {(byte) tag, (byte) 0x82, (byte) (len >> 8), (byte) len};
    } else {
      header = new byte[] {(byte) tag, (byte) 0x83, (byte) (len >> 16), (byte) (len >> 8), (byte) len};
    }
    byte[] out = Arrays.copyOf(header, header.length + len);
    int at = header.length;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  static byte[] oidBytes(String dotted) {
    String[] arcs = dotted.split("\\.");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    writeArc(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      writeArc(out, Long.parseLong(arcs[i]));
    }
    return tlv(OID, out.toByteArray());
  }

  private static void writeArc(java.io.ByteArrayOutputStream out, long v) {
    int groups = 1;
    for (long t = v >>> 7; t != 0; t >>>= 7) {
      groups++;
    }
    for (int g = groups - 1; g >= 0; g--) {
      int b = (int) ((v >>> (7 * g)) & 0x7F);
      out.write(g == 0 ? b : b | 0x80);
    }
  }
}
