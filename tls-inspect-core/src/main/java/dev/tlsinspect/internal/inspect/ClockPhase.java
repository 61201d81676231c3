package dev.tlsinspect.internal.inspect;

import dev.tlsinspect.ClockReference;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Target;
import dev.tlsinspect.check.ClockReading;
import dev.tlsinspect.probe.Deadline;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The opt-in clock comparison, between the probes and the checks (which stay pure):
 *  - http: one "HEAD / HTTP/1.1" over a new TLS connection to the address the probe used. Only the
 *    Date header is read, so the connection trusts any certificate; that trust manager lives in a
 *    context made here for this one request and is never reachable from outside. At most 16 KB are
 *    read, every wait is capped by the read timeout and the inspection's deadline.
 *  - sntp: one RFC 4330 client request over UDP; the answer must come from the server asked and
 *    echo our transmit timestamp (so a stray or spoofed datagram is not taken for it).
 * Local times come from the options' clock, the clock certificates are judged by. Nothing throws:
 * a reference that cannot be read is a ClockReading with a problem.
 */
/** The opt-in clock comparison of an inspection. Not API. */
public final class ClockPhase {
  private static final Logger LOG = LoggerFactory.getLogger(ClockPhase.class);
  static final int MAX_HTTP_BYTES = 16 * 1024;
  private static final Duration PER_REQUEST = Duration.ofSeconds(3);
  /** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
  private static final long NTP_EPOCH_OFFSET = 2_208_988_800L;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ClockPhase() {}

  static Optional<ClockReading> run(InspectOptions options, Target target, ProbeOutcome main,
      Deadline deadline) {
    if (options.clockReference().isEmpty()) {
      return Optional.empty();
    }
    ClockReference ref = options.clockReference().get();
    ClockReading reading;
    try {
      reading = ref.isHttpDate() ? http(options, target, main, deadline) : sntp(options, ref, deadline);
    } catch (RuntimeException e) {
      // A bug here must not cost the report.
      reading = ClockReading.failed(ref.toString(), options.clock().instant(), "internal error: " + e);
    }
    LOG.debug("clock reading: {}", dev.tlsinspect.SafeText.of(String.valueOf(reading), 2048)); // quotes the reference's reply
    return Optional.of(reading);
  }

  // --- HTTP Date ----------------------------------------------------------------------------------

  private static ClockReading http(InspectOptions options, Target target, ProbeOutcome main,
      Deadline deadline) {
    Optional<InetSocketAddress> address = main.observation().flatMap(Observation::address);
    String source = "http Date of " + address.map(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
        .orElse(target.host() + ":" + target.port());
    if (target.starttls().isPresent() || target.proxy().isPresent()) {
      // The HEAD request speaks HTTPS straight to the address; behind STARTTLS or a proxy that
      // address is not an HTTPS server.
      return ClockReading.failed(source, options.clock().instant(), "not asked: the http source needs "
          + "an HTTPS endpoint reached directly (not through STARTTLS or a proxy); use sntp:HOST");
    }
    if (address.isEmpty() || (main instanceof ProbeOutcome.Failed f && f.failure().beforeTls())) {
      return ClockReading.failed(source, options.clock().instant(),
          "not asked: the probe did not get a TCP connection to the target");
    }
    if (deadline.expired()) {
      return ClockReading.failed(source, options.clock().instant(), "not asked: the deadline was reached");
    }
    Duration wait = options.readTimeout().compareTo(PER_REQUEST) < 0 ? options.readTimeout() : PER_REQUEST;
    // PER_REQUEST bounds the whole request, not each read: a reference that answers one byte a
    // second never lets a read time out. The TLS handshake's reads happen inside SSLSocket, out of
    // our reach, so a watchdog closes the socket when the request's time is up.
    Deadline request = Deadline.after(deadline.remaining().compareTo(PER_REQUEST) < 0
        ? deadline.remaining().plusNanos(1) : PER_REQUEST);
    try (Socket raw = new Socket(); Watchdog watchdog = new Watchdog(raw, request)) {
      raw.connect(address.get(), request.timeoutMillis(options.connectTimeout()));
      raw.setSoTimeout(deadline.timeoutMillis(wait));
      SSLContext context = SSLContext.getInstance("TLS");
      KeyManager[] keys = options.clientCredentials().isPresent()
          ? new KeyManager[] {options.clientCredentials().get().keyManager()} : null;
      context.init(keys, new TrustManager[] {new AnyCertificate()}, null);
      try (SSLSocket ssl = (SSLSocket) context.getSocketFactory()
          .createSocket(raw, address.get().getAddress().getHostAddress(), address.get().getPort(), false)) {
        SSLParameters params = ssl.getSSLParameters();
        params.setServerNames(target.sni().map(n -> List.<javax.net.ssl.SNIServerName>of(new SNIHostName(n)))
            .orElse(List.of()));
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        OutputStream out = ssl.getOutputStream();
        out.write(("HEAD / HTTP/1.1\r\nHost: " + hostHeader(target) + "\r\nUser-Agent: tls-inspect\r\n"
            + "Accept: */*\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead(ssl, raw, request, wait);
        Instant local = options.clock().instant();
        return parseDate(source, head, local);
      }
    } catch (SocketTimeoutException e) {
      return ClockReading.failed(source, options.clock().instant(), "no answer within the time left");
    } catch (IOException | GeneralSecurityException e) {
      if (request.expired()) {
        return ClockReading.failed(source, options.clock().instant(), "no complete answer within "
            + request.budget().toMillis() + " ms (a slow reference)");
      }
      return ClockReading.failed(source, options.clock().instant(), "the request failed: " + e.getMessage());
    }
  }

  /** Closes a socket when its deadline passes, on its own daemon thread; ends when closed. */
  private static final class Watchdog implements AutoCloseable {
    private final Thread thread;

    Watchdog(Socket socket, Deadline deadline) {
      thread = new Thread(() -> {
        try {
          // Until the deadline has passed, not a rounded-down millisecond before: the reader,
          // woken by the close, tells a slow reference by the deadline being over.
          while (!deadline.expired()) {
            Thread.sleep(deadline.remaining().toMillis() + 1);
          }
          socket.close();
        } catch (InterruptedException | IOException done) {
          // the request ended first, or the socket is closed anyway
        }
      }, "tls-inspect-clock-watchdog");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() {
      thread.interrupt();
    }
  }

  private static String readHead(SSLSocket ssl, Socket raw, Deadline deadline, Duration wait)
      throws IOException {
    InputStream in = ssl.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    byte[] buf = new byte[2048];
    while (head.size() < MAX_HTTP_BYTES) {
      if (deadline.expired()) {
        throw new SocketTimeoutException("deadline");
      }
      raw.setSoTimeout(deadline.timeoutMillis(wait));
      int n = in.read(buf, 0, Math.min(buf.length, MAX_HTTP_BYTES - head.size()));
      if (n < 0) {
        break;
      }
      head.write(buf, 0, n);
      if (head.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
        break;
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  static ClockReading parseDate(String source, String head, Instant local) {
    if (!head.startsWith("HTTP/")) {
      return ClockReading.failed(source, local, "the answer is not HTTP");
    }
    for (String line : head.split("\r\n")) {
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("date")) {
        String value = line.substring(colon + 1).trim();
        try {
          Instant remote = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
          return ClockReading.of(source, local.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), remote);
        } catch (DateTimeParseException e) {
          return ClockReading.failed(source, local, "the Date header is not an HTTP date: '"
              + value.substring(0, Math.min(value.length(), 64)) + "'");
        }
      }
    }
    return ClockReading.failed(source, local, "the answer has no Date header");
  }

  private static String hostHeader(Target target) {
    String host = target.host().contains(":") ? "[" + target.host() + "]" : target.host();
    return target.port() == 443 ? host : host + ":" + target.port();
  }

  /** Accepts any server certificate: only the Date header of the answer is read. */
  private static final class AnyCertificate extends X509ExtendedTrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  // --- SNTP ---------------------------------------------------------------------------------------

  private static ClockReading sntp(InspectOptions options, ClockReference ref, Deadline deadline) {
    String source = "sntp " + ref.toString().substring("sntp:".length());
    if (deadline.expired()) {
      return ClockReading.failed(source, options.clock().instant(), "not asked: the deadline was reached");
    }
    InetAddress server;
    try {
      List<InetAddress> addresses = options.resolver().resolve(ref.host().orElseThrow());
      if (addresses == null || addresses.isEmpty()) {
        return ClockReading.failed(source, options.clock().instant(), "the name does not resolve");
      }
      server = addresses.get(0);
    } catch (IOException e) {
      return ClockReading.failed(source, options.clock().instant(), "the name does not resolve: " + e.getMessage());
    }
    Duration wait = options.readTimeout().compareTo(PER_REQUEST) < 0 ? options.readTimeout() : PER_REQUEST;
    long waitEnd = System.nanoTime() + wait.toNanos();
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(new InetSocketAddress(server, ref.port()));
      byte[] request = new byte[48];
      request[0] = 0x23; // LI 0, version 4, mode 3 (client)
      Instant t1 = options.clock().instant();
      long transmit = ntpTimestamp(t1) ^ (RANDOM.nextInt() & 0x3FF); // low bits: a nonce under 1 µs
      ByteBuffer.wrap(request).putLong(40, transmit);
      socket.send(new DatagramPacket(request, request.length));
      byte[] buf = new byte[512];
      while (true) {
        long leftNanos = Math.min(waitEnd - System.nanoTime(), deadline.remaining().toNanos());
        if (leftNanos <= 0) {
          return ClockReading.failed(source, options.clock().instant(), "no answer within the time left");
        }
        socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(leftNanos).toMillis()));
        DatagramPacket answer = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(answer);
        } catch (SocketTimeoutException e) {
          return ClockReading.failed(source, options.clock().instant(), "no answer within the time left");
        }
        Instant t4 = options.clock().instant();
        Optional<String> problem = checkAnswer(buf, answer.getLength(), transmit);
        if (problem.isPresent()) {
          if (problem.get().isEmpty()) {
            continue; // not an answer to our request: keep waiting
          }
          return ClockReading.failed(source, t4, problem.get());
        }
        ByteBuffer b = ByteBuffer.wrap(buf, 0, answer.getLength());
        Instant t2 = fromNtp(b.getLong(32));
        Instant t3 = fromNtp(b.getLong(40));
        // RFC 4330 section 5: offset = ((T2 - T1) + (T3 - T4)) / 2.
        Duration offset = Duration.between(t1, t2).plus(Duration.between(t4, t3)).dividedBy(2);
        return ClockReading.of(source, t4, t4.plus(offset));
      }
    } catch (IOException e) {
      return ClockReading.failed(source, options.clock().instant(), "the request failed: " + e.getMessage());
    }
  }

  /** Empty when usable; an empty string when it is not ours; else why it is unusable. */
  static Optional<String> checkAnswer(byte[] buf, int length, long transmit) {
    if (length < 48) {
      return Optional.of("");
    }
    ByteBuffer b = ByteBuffer.wrap(buf, 0, length);
    if (b.getLong(24) != transmit) {
      return Optional.of(""); // the originate timestamp must echo ours
    }
    int mode = buf[0] & 0x07;
    int leap = (buf[0] >> 6) & 0x03;
    int stratum = buf[1] & 0xFF;
    if (mode != 4 && mode != 5) {
      return Optional.of("the answer is not from an SNTP server (mode " + mode + ")");
    }
    if (stratum == 0) {
      String code = new String(buf, 12, 4, StandardCharsets.US_ASCII).trim();
      return Optional.of("the server sent a kiss-o'-death (" + code + ")");
    }
    if (leap == 3) {
      return Optional.of("the server's clock is not synchronized (leap indicator 3)");
    }
    if (b.getLong(40) == 0) {
      return Optional.of("the answer has no transmit timestamp");
    }
    return Optional.empty();
  }

  static long ntpTimestamp(Instant t) {
    long seconds = t.getEpochSecond() + NTP_EPOCH_OFFSET;
    long fraction = ((long) t.getNano() << 32) / 1_000_000_000L;
    return (seconds << 32) | (fraction & 0xFFFFFFFFL);
  }

  static Instant fromNtp(long ntp) {
    long seconds = ntp >>> 32;
    // RFC 4330 section 3: a set most significant bit means era 0 (1968-2036), clear means era 1.
    if ((seconds & 0x8000_0000L) == 0) {
      seconds += 1L << 32;
    }
    long nanos = ((ntp & 0xFFFFFFFFL) * 1_000_000_000L) >>> 32;
    return Instant.ofEpochSecond(seconds - NTP_EPOCH_OFFSET, nanos);
  }
}
