package dev.tlsinspect.internal.trace;

import java.util.Optional;

/**
 * What one probe accepts from the peer before it calls the answer a flood and stops: record
 * headers, bytes and alert records, counted as they pass the providers' taps. Both providers use
 * the same counts, so a flood ends the same way (a protocol error naming the limit) whichever
 * provider met it.
 *
 * <p>Why these numbers: a real server's whole first flight is a few records and at most tens of
 * kilobytes (the largest chains seen in the wild stay under 100 KB; the taps keep a Certificate
 * message of up to 1 MB to diagnose it). 4 MiB and 4096 records leave room for that even in
 * 256-byte records, and bound what a probe can be made to read, hash and trace. No server sends
 * more than a couple of alerts in a handshake; 16 is already a storm.
 *
 * <p>Not thread-safe: a probe runs on one thread. Not API.
 */
public final class PeerIntake {
  /** The most bytes one probe reads from the peer. */
  public static final long MAX_BYTES = 4L << 20;
  /** The most TLS records one probe reads from the peer. */
  public static final int MAX_RECORDS = 4096;
  /** The most alert records one probe reads from the peer. */
  public static final int MAX_ALERTS = 16;
  /** The most alerts an observation keeps; the rest are counted. */
  public static final int MAX_KEPT_ALERTS = 32;

  private long bytes;
  private int records;
  private int alerts;
  private String flood;

  /**
   * Counts bytes as read from the socket.
   *
   * @param n how many
   * @return the flood's description once a limit is passed
   */
  public Optional<String> bytes(int n) {
    bytes += Math.max(0, n);
    if (flood == null && bytes > MAX_BYTES) {
      flood = "the server sent more than " + MAX_BYTES + " bytes without finishing the handshake (a flood)";
    }
    return flood();
  }

  /**
   * Counts a record header as it passes.
   *
   * @param type the record's content type
   * @return the flood's description once a limit is passed
   */
  public Optional<String> record(int type) {
    records++;
    if (type == 21) {
      alerts++;
    }
    if (flood == null && alerts > MAX_ALERTS) {
      flood = "the server sent more than " + MAX_ALERTS + " alert records in one handshake (an alert flood)";
    } else if (flood == null && records > MAX_RECORDS) {
      flood = "the server sent more than " + MAX_RECORDS + " records without finishing the handshake (a flood)";
    }
    return flood();
  }

  /**
   * The flood's description, once a limit was passed.
   *
   * @return the description, or empty
   */
  public Optional<String> flood() {
    return Optional.ofNullable(flood);
  }

  /**
   * Bytes counted so far.
   *
   * @return bytes
   */
  public long bytesSeen() {
    return bytes;
  }

  /**
   * Records counted so far.
   *
   * @return records
   */
  public int recordsSeen() {
    return records;
  }
}
