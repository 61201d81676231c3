package dev.tlsinspect.internal.inspect;

import dev.tlsinspect.probe.Connector;
import dev.tlsinspect.probe.DhParameters;
import dev.tlsinspect.probe.ProbeRequest;
import dev.tlsinspect.probe.TlsVersion;
import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/*
 * The group behind an export DHE suite, read from the wire. No TLS library of today completes an
 * export suite, so the provider's enumeration sees only that the server chose one; the group was
 * assumed to be 512 bits (the export limit). Many servers sent 1024 bits instead (OpenSSL with
 * its default DH parameters), and a few sent 2048. One hand-built ClientHello offering only the
 * accepted export DHE suites, and the server's flight up to ServerHelloDone, tell: the
 * ServerKeyExchange starts with ServerDHParams (RFC 2246 7.4.3, the same in SSL 3.0 and TLS 1.1):
 * dh_p, dh_g and dh_Ys, each opaque<1..2^16-1>, then a signature this code does not need.
 * The peer is hostile: RawTls reads at most 64 KB within the deadline, and every vector length
 * here is checked against what is left before anything is copied.
 */
/** Reads the DH group of an accepted export DHE suite. Not API. */
final class ExportDh {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ExportDh() {}

  /** What reading the group gave. */
  sealed interface Result permits Measured, Unreadable {}

  /**
   * The group as sent.
   *
   * @param suite the export suite the server chose
   * @param parameters p and g
   * @param publicValueBits the bit length of dh_Ys
   */
  record Measured(int suite, DhParameters parameters, int publicValueBits) implements Result {
    Measured {
      Objects.requireNonNull(parameters, "parameters");
    }
  }

  /**
   * No group could be read.
   *
   * @param reason why, for the report
   */
  record Unreadable(String reason) implements Result {
    Unreadable {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Parses ServerDHParams at the start of a ServerKeyExchange body. Never throws for what the
   * bytes say, and allocates at most the size of the input.
   *
   * @param suite the suite the server chose, carried into the result
   * @param body the ServerKeyExchange body (without the handshake header)
   * @return the group, or why it is unreadable
   */
  static Result parse(int suite, byte[] body) {
    if (body == null || body.length == 0) {
      return new Unreadable("no ServerKeyExchange");
    }
    int[] at = {0};
    byte[] p = vector(body, at);
    byte[] g = p == null ? null : vector(body, at);
    byte[] ys = g == null ? null : vector(body, at);
    if (ys == null) {
      return new Unreadable("malformed ServerKeyExchange: a DH vector is empty or longer than the "
          + body.length + "-byte message");
    }
    BigInteger modulus = new BigInteger(1, p);
    BigInteger generator = new BigInteger(1, g);
    if (modulus.compareTo(BigInteger.valueOf(3)) < 0 || generator.signum() == 0) {
      return new Unreadable("malformed ServerKeyExchange: dh_p " + modulus.bitLength() + " bits, dh_g "
          + generator.bitLength() + " bits");
    }
    return new Measured(suite, new DhParameters(modulus, generator), new BigInteger(1, ys).bitLength());
  }

  /** One opaque<1..2^16-1>; null when empty or longer than what is left. */
  private static byte[] vector(byte[] b, int[] at) {
    int i = at[0];
    if (b.length - i < 2) {
      return null;
    }
    int n = RawTls.u16(b, i);
    if (n == 0 || n > b.length - i - 2) {
      return null;
    }
    at[0] = i + 2 + n;
    return Arrays.copyOfRange(b, i + 2, i + 2 + n);
  }

  /**
   * Offers the export DHE suites alone with one version on one connection, and reads the group
   * the server sends.
   *
   * @param base target, address, timeouts and deadline
   * @param version the version the suites were accepted with (SSL 3.0 to TLS 1.2)
   * @param suites the accepted export DHE suite codes
   * @return the group, or why it could not be read
   */
  static Result measure(ProbeRequest base, TlsVersion version, List<Integer> suites) {
    int[] codes = suites.stream().mapToInt(Integer::intValue).toArray();
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    try (Socket socket = Connector.open(base)) {
      Duration readTimeout = base.readTimeout();
      RawTls.Reader reader = new RawTls.Reader(socket, base.deadline(), readTimeout);
      socket.getOutputStream().write(RawTls.clientHello(version.code(), codes,
          base.target().sni(), false, random));
      RawTls.Flight flight = reader.flight();
      if (!flight.serverHello()) {
        return new Unreadable("no ServerHello (" + (flight.alert() >= 0 ? "alert " + flight.alert()
            : flight.ended()) + ")");
      }
      if (suites.stream().noneMatch(s -> s == flight.cipherSuite())) {
        return new Unreadable("the server chose 0x" + Integer.toHexString(flight.cipherSuite())
            + ", not an offered export DHE suite");
      }
      if (flight.serverKeyExchange().length == 0) {
        return new Unreadable("no ServerKeyExchange (" + (flight.done() ? "ServerHelloDone came first"
            : flight.alert() >= 0 ? "alert " + flight.alert() : flight.ended()) + ")");
      }
      return parse(flight.cipherSuite(), flight.serverKeyExchange());
    } catch (IOException e) {
      return new Unreadable("connection failed: " + e.getMessage());
    }
  }
}
