package dev.tlsinspect.internal.inspect;

import dev.tlsinspect.ActiveProbes;
import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.probe.Alert;
import dev.tlsinspect.probe.ClientOffer;
import dev.tlsinspect.probe.Connector;
import dev.tlsinspect.probe.Deadline;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.ProbeRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The opt-in active vulnerability probes (InspectOptions.activeProbes), run after the other
 * probes of a full inspection, each on its own connections through Connector (so proxies and
 * STARTTLS work as for the handshake):
 *  - Heartbleed (CVE-2014-0160, RFC 6520): a TLS 1.2 ClientHello offering the heartbeat
 *    extension; only when the ServerHello echoes it, one HeartbeatRequest whose payload_length
 *    says 4096 while no payload follows. RFC 6520 §4 tells a server to discard it silently; a
 *    server that answers sends back memory it should not. The answer is counted, never kept.
 *  - CCS injection (CVE-2014-0224): after ServerHelloDone, a ChangeCipherSpec before any key
 *    exchange, then one more record. A patched server refuses the CCS (unexpected_message); a
 *    vulnerable one accepts it and then fails to decrypt the next record (bad_record_mac or
 *    decryption_failed), which is the tell.
 *  - ROBOT (Böck, Somorovsky, Young 2018, after Bleichenbacher 1998): with RSA key exchange
 *    only, five ClientKeyExchange vectors (a correct PKCS #1 v1.5 block, wrong first bytes, a
 *    0x00 too early, no 0x00, a wrong version in the premaster secret), each followed by CCS and
 *    a garbage Finished, on one connection each; a bounded number of connections, spaced. A
 *    server that answers them differently, the same way every round, is an oracle.
 * Everything is bounded: RawTls reads at most 64 KB a connection and waits at most the read
 * timeout, capped by the inspection's deadline. Nothing here throws for what the peer does.
 */
/** The opt-in active vulnerability probes of a full inspection. Not API. */
final class ActivePhase {
  private static final Logger LOG = LoggerFactory.getLogger(ActivePhase.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The longest wait for the answer to one probe message. */
  private static final Duration ANSWER_WAIT = Duration.ofSeconds(3);
  /** The heartbeat payload_length claimed; no payload is sent. */
  static final int HEARTBEAT_CLAIM = 4096;
  static final List<String> ROBOT_VECTORS = List.of("valid PKCS#1 block", "wrong first bytes (0x4117)",
      "0x00 too early", "no 0x00 separator", "wrong version in premaster secret");

  /** How a probe ended. */
  enum Status { VULNERABLE, NOT_VULNERABLE, NOT_APPLICABLE, INCONCLUSIVE }

  /**
   * One probe's answer.
   *
   * @param code the probe's code
   * @param status how it ended
   * @param summary one line, for the ACTIVE_PROBES_RUN evidence
   * @param evidence the facts behind a finding
   */
  record Result(Code code, Status status, String summary, Map<String, Object> evidence) {
    Result {
      evidence = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }
  }

  private final InspectOptions options;
  private final ProbeRequest base;
  private final Deadline deadline;

  ActivePhase(InspectOptions options, ProbeRequest base) {
    this.options = options;
    this.base = base;
    this.deadline = base.deadline();
  }

  /**
   * Runs the selected probes when the options ask for them, in a full inspection of a peer that
   * got past TCP.
   *
   * @return their findings, with ACTIVE_PROBES_RUN first; empty when none was asked
   */
  static List<Finding> run(InspectOptions options, Target target, ProbeOutcome main,
      List<InetAddress> resolved, Deadline deadline) {
    ActiveProbes asked = options.activeProbes();
    if (options.quick() || !asked.any()) {
      return List.of();
    }
    Optional<InetSocketAddress> address = main.observation().flatMap(Observation::address);
    List<Result> results = new ArrayList<>();
    if (address.isEmpty() || (main instanceof ProbeOutcome.Failed f && f.failure().beforeTls())) {
      for (String name : asked.names()) {
        results.add(new Result(Code.of(name), Status.NOT_APPLICABLE,
            "not run: no address of the target was reached", Map.of()));
      }
      return findings(asked, results);
    }
    ProbeRequest base = new ProbeRequest(target, address.get(), resolved, deadline,
        options.connectTimeout(), options.readTimeout(), options.trust(), ClientOffer.providerDefaults(),
        options.clientCredentials());
    ActivePhase phase = new ActivePhase(options, base);
    try {
      if (asked.heartbleed()) {
        results.add(phase.heartbleed());
      }
      if (asked.ccsInjection()) {
        results.add(phase.ccsInjection());
      }
      if (asked.robot()) {
        results.add(phase.robot(asked.robotConnections(), asked.robotSpacing()));
      }
    } catch (RuntimeException e) {
      // A bug here must not cost the report.
      LOG.debug("active probe failed", e);
      results.add(new Result(Code.CHECK_ERROR, Status.INCONCLUSIVE, "internal error: " + e, Map.of()));
    }
    LOG.debug("active probes of {}: {}", target, results);
    return findings(asked, results);
  }

  // --- findings (pure) -----------------------------------------------------------------------

  /**
   * ACTIVE_PROBES_RUN, which says what ran and how each ended, then one finding per probe that
   * found its weakness.
   */
  static List<Finding> findings(ActiveProbes asked, List<Result> results) {
    List<Finding> out = new ArrayList<>();
    Finding.Builder run = Finding.builder(Code.ACTIVE_PROBES_RUN)
        .title("Active vulnerability probes were run: " + String.join(", ", asked.names()))
        .detail("As asked, the inspection sent deliberately malformed messages to test for "
            + String.join(", ", asked.names()) + ". " + String.join(" ", results.stream()
                .map(r -> r.code().name() + ": " + r.summary() + ".").toList()))
        .remediation("Nothing to do: this says which active probes ran and what each found.")
        .evidence("probes", asked.names());
    for (Result r : results) {
      run.evidence(r.code().name(), r.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
          + ": " + r.summary());
    }
    out.add(run.build());
    for (Result r : results) {
      if (r.status() != Status.VULNERABLE) {
        continue;
      }
      Finding.Builder f = Finding.builder(r.code()).detail(r.summary() + ".");
      if (r.code().equals(Code.HEARTBLEED)) {
        f.severity(Severity.CRITICAL)
            .title("The server answers an over-long heartbeat request with its memory (Heartbleed, CVE-2014-0160)")
            .remediation("Upgrade OpenSSL (1.0.1g or later) or build it without heartbeats, restart every "
                + "process that loaded it, then replace the private key and certificate and invalidate "
                + "sessions and passwords: anything in the server's memory may have been read.");
      } else if (r.code().equals(Code.CCS_INJECTION)) {
        f.severity(Severity.CRITICAL)
            .title("The server accepts a ChangeCipherSpec before the key exchange (CCS injection, CVE-2014-0224)")
            .remediation("Upgrade OpenSSL (0.9.8za, 1.0.0m, 1.0.1h or later): a man in the middle can make "
                + "both ends use keys derived from an empty master secret and read or change the traffic.");
      } else {
        f.severity(Severity.HIGH)
            .title("The server's RSA key exchange is a padding oracle (ROBOT, Bleichenbacher)")
            .remediation("Disable RSA key exchange (TLS_RSA_* suites; keep ECDHE), or upgrade the TLS stack "
                + "or load balancer firmware named in the ROBOT advisories: with enough queries an attacker "
                + "can decrypt recorded sessions or sign with the server's key.");
      }
      r.evidence().forEach(f::evidence);
      out.add(f.build());
    }
    return out;
  }

  // --- Heartbleed ----------------------------------------------------------------------------

  Result heartbleed() {
    try (Socket socket = Connector.open(base)) {
      RawTls.Reader reader = new RawTls.Reader(socket, deadline, options.readTimeout());
      socket.getOutputStream().write(RawTls.clientHello(RawTls.BROAD_SUITES, sniName(), true, random(32)));
      RawTls.Flight flight = reader.flight();
      if (!flight.serverHello()) {
        return notApplicable(Code.HEARTBLEED, flight);
      }
      if (!flight.extensions().contains(RawTls.EXT_HEARTBEAT)) {
        return new Result(Code.HEARTBLEED, Status.NOT_VULNERABLE,
            "the server does not negotiate the heartbeat extension, so no heartbeat was sent", Map.of());
      }
      // type heartbeat_request, payload_length HEARTBEAT_CLAIM, and no payload or padding at all
      byte[] request = {1, (byte) (HEARTBEAT_CLAIM >>> 8), (byte) HEARTBEAT_CLAIM};
      socket.getOutputStream().write(RawTls.record(RawTls.HEARTBEAT, flight.version(), request));
      Deadline wait = Deadline.after(ANSWER_WAIT);
      long returned = 0;
      String end = "";
      try {
        while (true) {
          RawTls.Record r = reader.next(wait.remaining().isZero() ? Duration.ofMillis(1) : wait.remaining());
          if (r.type() == RawTls.HEARTBEAT) {
            returned += r.body().length; // counted only: the bytes are the server's memory
            if (returned > request.length) {
              break;
            }
          } else if (r.type() == RawTls.ALERT) {
            end = "the server answered with alert " + alertName(r.body());
            return new Result(Code.HEARTBLEED, Status.NOT_VULNERABLE,
                "the server negotiates heartbeats and refused the over-long request (" + end + ")", Map.of());
          }
        }
      } catch (SocketTimeoutException e) {
        end = "no answer";
      } catch (EOFException e) {
        end = "connection closed";
      }
      if (returned > request.length) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("cve", "CVE-2014-0160");
        ev.put("payloadLengthClaimed", (long) HEARTBEAT_CLAIM);
        ev.put("payloadSent", 0L);
        ev.put("bytesReturned", returned);
        return new Result(Code.HEARTBLEED, Status.VULNERABLE, "a heartbeat request claiming "
            + HEARTBEAT_CLAIM + " bytes with none sent got " + returned
            + " bytes back (not kept or shown)", ev);
      }
      return new Result(Code.HEARTBLEED, Status.NOT_VULNERABLE,
          "the server negotiates heartbeats and discarded the over-long request (" + end + ")", Map.of());
    } catch (IOException e) {
      return unreachable(Code.HEARTBLEED, e);
    }
  }

  // --- CCS injection -------------------------------------------------------------------------

  Result ccsInjection() {
    try (Socket socket = Connector.open(base)) {
      RawTls.Reader reader = new RawTls.Reader(socket, deadline, options.readTimeout());
      socket.getOutputStream().write(RawTls.clientHello(RawTls.BROAD_SUITES, sniName(), false, random(32)));
      RawTls.Flight flight = reader.flight();
      if (!flight.serverHello() || !flight.done()) {
        return notApplicable(Code.CCS_INJECTION, flight);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(RawTls.record(RawTls.CHANGE_CIPHER_SPEC, flight.version(), new byte[] {1}));
      // Protected, as far as a server that took the CCS knows: it cannot decrypt this.
      out.writeBytes(RawTls.record(RawTls.ALERT, flight.version(), random(32)));
      socket.getOutputStream().write(out.toByteArray());
      try {
        RawTls.Record r = reader.next(ANSWER_WAIT);
        if (r.type() != RawTls.ALERT || r.body().length < 2) {
          return new Result(Code.CCS_INJECTION, Status.INCONCLUSIVE,
              "the server answered the early ChangeCipherSpec with a record of type " + r.type(), Map.of());
        }
        int description = r.body()[1] & 0xFF;
        String alert = Alert.nameOf(description);
        if (description == 20 || description == 21) {
          Map<String, Object> ev = new LinkedHashMap<>();
          ev.put("cve", "CVE-2014-0224");
          ev.put("alertAfterEarlyCcs", alert);
          return new Result(Code.CCS_INJECTION, Status.VULNERABLE, "the server accepted a ChangeCipherSpec "
              + "sent before the key exchange, then failed to decrypt the next record (" + alert + ")", ev);
        }
        return new Result(Code.CCS_INJECTION, Status.NOT_VULNERABLE,
            "the server refused the early ChangeCipherSpec with alert " + alert, Map.of());
      } catch (SocketTimeoutException e) {
        return new Result(Code.CCS_INJECTION, Status.INCONCLUSIVE,
            "the server did not answer the early ChangeCipherSpec within " + ANSWER_WAIT.toSeconds() + " s", Map.of());
      } catch (EOFException e) {
        return new Result(Code.CCS_INJECTION, Status.NOT_VULNERABLE,
            "the server closed the connection at the early ChangeCipherSpec", Map.of());
      }
    } catch (IOException e) {
      return unreachable(Code.CCS_INJECTION, e);
    }
  }

  // --- ROBOT ---------------------------------------------------------------------------------

  Result robot(int maxConnections, Duration spacing) {
    int rounds = Math.max(1, maxConnections / ROBOT_VECTORS.size());
    List<List<String>> answers = new ArrayList<>();
    int connections = 0;
    for (int round = 0; round < rounds; round++) {
      List<String> row = new ArrayList<>();
      for (int v = 0; v < ROBOT_VECTORS.size(); v++) {
        if (connections > 0 && !pause(spacing)) {
          return new Result(Code.ROBOT, Status.INCONCLUSIVE, "stopped after " + connections
              + " connections: the deadline passed", Map.of());
        }
        connections++;
        RobotAnswer a = robotOnce(v);
        if (a.notApplicable().isPresent()) {
          return a.notApplicable().get();
        }
        row.add(a.answer());
      }
      answers.add(row);
    }
    List<String> first = answers.get(0);
    for (List<String> row : answers) {
      if (!row.equals(first)) {
        return new Result(Code.ROBOT, Status.INCONCLUSIVE, "the answers to the same vectors changed between "
            + "rounds (" + answers + "), so no oracle can be told from noise", Map.of());
      }
    }
    Set<String> distinct = new LinkedHashSet<>(first);
    List<String> described = new ArrayList<>();
    for (int v = 0; v < first.size(); v++) {
      described.add(ROBOT_VECTORS.get(v) + ": " + first.get(v));
    }
    if (distinct.size() == 1) {
      return new Result(Code.ROBOT, Status.NOT_VULNERABLE, "the server answered all " + first.size()
          + " ClientKeyExchange vectors alike (" + first.get(0) + ") in " + connections + " connections", Map.of());
    }
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("answers", described);
    ev.put("connections", (long) connections);
    ev.put("rounds", (long) rounds);
    return new Result(Code.ROBOT, Status.VULNERABLE, "the server answers differently formed RSA "
        + "ClientKeyExchange messages differently, the same way in each of " + rounds + " round(s): "
        + String.join("; ", described), ev);
  }

  /** One ROBOT connection's answer, or why the test does not apply. */
  private record RobotAnswer(String answer, Optional<Result> notApplicable) {}

  private RobotAnswer robotOnce(int vector) {
    try (Socket socket = Connector.open(base)) {
      RawTls.Reader reader = new RawTls.Reader(socket, deadline, options.readTimeout());
      socket.getOutputStream().write(RawTls.clientHello(RawTls.RSA_SUITES, sniName(), false, random(32)));
      RawTls.Flight flight = reader.flight();
      if (!flight.serverHello() || !flight.done()) {
        Result r = notApplicable(Code.ROBOT, flight);
        return new RobotAnswer("", Optional.of(new Result(Code.ROBOT, r.status(),
            flight.serverHello() ? r.summary() : "the server does not accept RSA key exchange (" + describe(flight)
                + "), so it cannot be a padding oracle", Map.of())));
      }
      Optional<RSAPublicKey> key = rsaKey(flight.leaf());
      if (key.isEmpty()) {
        return new RobotAnswer("", Optional.of(new Result(Code.ROBOT, Status.NOT_APPLICABLE,
            "the server chose an RSA key exchange suite without sending an RSA certificate", Map.of())));
      }
      byte[] encrypted = encrypt(key.get(), pkcs1(vector, (key.get().getModulus().bitLength() + 7) / 8));
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.write(encrypted.length >>> 8);
      body.write(encrypted.length);
      body.writeBytes(encrypted);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(RawTls.record(RawTls.HANDSHAKE, flight.version(), RawTls.handshake(16, body.toByteArray())));
      out.writeBytes(RawTls.record(RawTls.CHANGE_CIPHER_SPEC, flight.version(), new byte[] {1}));
      out.writeBytes(RawTls.record(RawTls.HANDSHAKE, flight.version(), random(64)));
      socket.getOutputStream().write(out.toByteArray());
      try {
        RawTls.Record r = reader.next(ANSWER_WAIT);
        return new RobotAnswer(r.type() == RawTls.ALERT ? "alert " + alertName(r.body())
            : "record type " + r.type(), Optional.empty());
      } catch (SocketTimeoutException e) {
        return new RobotAnswer("no answer", Optional.empty());
      } catch (EOFException e) {
        return new RobotAnswer("connection closed", Optional.empty());
      } catch (IOException e) {
        return new RobotAnswer("connection error", Optional.empty());
      }
    } catch (IOException e) {
      return new RobotAnswer("", Optional.of(unreachable(Code.ROBOT, e)));
    }
  }

  /**
   * The plaintext of one ROBOT vector: a PKCS #1 v1.5 encryption block of {@code k} bytes.
   *
   * @param vector 0 valid, 1 wrong first bytes, 2 a 0x00 too early, 3 no 0x00, 4 wrong version
   * @param k the modulus length in bytes
   */
  static byte[] pkcs1(int vector, int k) {
    byte[] m = new byte[k];
    m[0] = 0;
    m[1] = 2;
    for (int i = 2; i < k; i++) {
      m[i] = (byte) (1 + RANDOM.nextInt(255)); // non-zero
    }
    int separator = k - 49;
    m[separator] = 0;
    m[separator + 1] = 3;
    m[separator + 2] = 3;
    switch (vector) {
      case 1 -> {
        m[0] = 0x41;
        m[1] = 0x17;
      }
      case 2 -> m[17] = 0;
      case 3 -> m[separator] = 1;
      case 4 -> m[separator + 1] = 2;
      default -> { }
    }
    return m;
  }

  private static byte[] encrypt(RSAPublicKey key, byte[] m) {
    int k = (key.getModulus().bitLength() + 7) / 8;
    byte[] c = new BigInteger(1, m).modPow(key.getPublicExponent(), key.getModulus()).toByteArray();
    byte[] out = new byte[k];
    int copy = Math.min(c.length, k);
    System.arraycopy(c, c.length - copy, out, k - copy, copy);
    return out;
  }

  private static Optional<RSAPublicKey> rsaKey(byte[] der) {
    if (der.length == 0) {
      return Optional.empty();
    }
    try {
      X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      // 512 to 16384 bits: the arithmetic on a peer-chosen modulus stays bounded.
      return c.getPublicKey() instanceof RSAPublicKey k && k.getModulus().bitLength() >= 512
          && k.getModulus().bitLength() <= 16384 ? Optional.of(k) : Optional.empty();
    } catch (CertificateException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private boolean pause(Duration spacing) {
    if (deadline.remaining().compareTo(spacing.plusMillis(100)) <= 0) {
      return false;
    }
    if (spacing.isZero()) {
      return true;
    }
    try {
      Thread.sleep(spacing.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private Optional<String> sniName() {
    return base.target().sni();
  }

  private static Result notApplicable(Code code, RawTls.Flight flight) {
    return new Result(code, Status.NOT_APPLICABLE, "no TLS 1.2 or older handshake to test ("
        + describe(flight) + ")", Map.of());
  }

  private static String describe(RawTls.Flight flight) {
    if (flight.alert() >= 0) {
      return "the server answered with alert " + Alert.nameOf(flight.alert());
    }
    return flight.serverHello() ? "the server stopped before ServerHelloDone: " + flight.ended() : flight.ended();
  }

  private static Result unreachable(Code code, IOException e) {
    String what = e instanceof Connector.Failed f ? f.getMessage() : String.valueOf(e.getMessage());
    return new Result(code, Status.INCONCLUSIVE, "could not connect: " + what, Map.of());
  }

  private static String alertName(byte[] body) {
    return body.length >= 2 ? Alert.nameOf(body[1] & 0xFF) : "(truncated)";
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
