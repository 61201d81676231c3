package dev.tlsinspect.bc;

import dev.tlsinspect.internal.trace.HandshakeTracer;
import dev.tlsinspect.probe.Connector;
import dev.tlsinspect.probe.Deadline;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeRequest;
import dev.tlsinspect.probe.ServerFeatures;
import dev.tlsinspect.probe.TlsVersion;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Vector;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.ContentType;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.NewSessionTicket;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.PskKeyExchangeMode;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.util.Integers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The extra handshakes behind ServerFeatures, on two threads so that they overlap each other and
 * the enumeration:
 *  A. TLS 1.2 with ALPN (h2, http/1.1), renegotiation_info, EMS and signed_certificate_timestamp
 *     offered: secure renegotiation, EMS, ALPN, SCTs in the ServerHello. Then a new connection
 *     offering the session's ID (resumption by ID); and, when ALPN said HTTP, one GET / over TLS
 *     with ALPN http/1.1, of which only the head is read (HSTS).
 *  B. a ClientHello below the server's highest version with TLS_FALLBACK_SCSV; a TLS 1.2
 *     ClientHello offering DEFLATE, ended after the ServerHello.
 *  C. per version, the signature schemes by elimination. The first step of each version is a
 *     handshake that is needed anyway, offering every candidate scheme: for TLS 1.3 the one that
 *     reads the first NewSessionTicket (lifetime, max_early_data_size; SCTs on the leaf's
 *     CertificateEntry), for TLS 1.2 the one offering session_ticket, followed by a new
 *     connection offering the ticket it got (with a fresh session ID, so that an echoed ID means
 *     the ticket was accepted: RFC 5077 3.4), ended after the ServerHello.
 * On a server that serves one connection at a time all of these queue; each is short, and
 * sharing the ticket handshakes with the elimination saves two connections.
 * Last, after the enumeration and everything else (FeatureProbe.lastFeatures), one TLS 1.2
 * connection with a renegotiation ClientHello, ended as soon as the server answers (see last()).
 * Nothing sent is malformed or an attack: a correct server answers each. Every connection has its
 * own short deadline inside the inspection's, every read is bounded, and every peer-driven size is
 * capped (the HTTP answer at 16 KB).
 */
/** The server-feature handshakes of the bc provider. Not API. */
final class BcFeatures {
  private static final Logger LOG = LoggerFactory.getLogger(BcProbe.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration PER_CONNECTION = Duration.ofSeconds(5);
  static final int MAX_HTTP_BYTES = 16 * 1024;
  /** RFC 6962 3.3.1. */
  static final int SIGNED_CERTIFICATE_TIMESTAMP = 18;
  /** A bound on the SCTs read from one list; real lists hold 2 to 5. */
  static final int MAX_SCTS = 64;
  static final List<String> ALPN = List.of("h2", "http/1.1");
  private static final int[] SUITES = {
      0x1301, 0x1302, 0x1303,
      0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0x009E, 0x009F, 0xCCAA,
      0xC023, 0xC027, 0xC024, 0xC028, 0xC009, 0xC013, 0xC00A, 0xC014,
      0x0067, 0x006B, 0x0033, 0x0039, 0x009C, 0x009D, 0x003C, 0x003D, 0x002F, 0x0035};

  private final ProbeRequest req;
  private final TlsVersion highest;
  private final ServerFeatures.Builder out = ServerFeatures.builder();

  private BcFeatures(ProbeRequest req, TlsVersion highest) {
    this.req = req;
    this.highest = highest;
  }

  static ServerFeatures run(ProbeRequest req, TlsVersion highest) {
    return new BcFeatures(req, highest).run();
  }

  private ServerFeatures run() {
    ExecutorService pool = Executors.newFixedThreadPool(3, r -> {
      Thread t = new Thread(r, "tls-inspect-bc-features");
      t.setDaemon(true);
      return t;
    });
    try {
      Future<?> a = pool.submit(this::sessionLine);
      Future<?> b = pool.submit(this::oneShotLine);
      for (Future<?> f : List.of(a, b, pool.submit(this::signatureLine))) {
        try {
          f.get(req.deadline().remaining().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          f.cancel(true);
        } catch (java.util.concurrent.ExecutionException e) {
          LOG.debug("feature handshake failed", e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return out.build();
  }

  // A -----------------------------------------------------------------------------------------

  private void sessionLine() {
    Result first = handshake(Mode.SESSION, null);
    scts(first);
    if (first.completed) {
      out.secureRenegotiation(first.secureRenegotiation);
      out.extendedMasterSecret(first.extendedMasterSecret);
      out.alpn(ALPN, Optional.ofNullable(first.alpn));
    } else {
      out.note("secureRenegotiation", "no TLS 1.2 handshake: " + first.note);
    }
    if (first.completed) {
      resume(first);
    }
    if (first.resumedById != null) {
      out.sessionIdResumption(first.resumedById);
    } else if (first.completed) {
      out.note("sessionIdResumption", first.resumeNote);
    }
    // Client-initiated renegotiation is asked last, after every other connection of the
    // inspection (see last()).
    boolean http = first.alpn != null && (first.alpn.equals("h2") || first.alpn.equals("http/1.1"));
    if (http && req.target().starttls().isEmpty()) {
      Result head = handshake(Mode.HTTP, null);
      if (head.http != null) {
        out.http(head.http);
      } else {
        out.note("http", head.note);
      }
    }
  }

  // C -----------------------------------------------------------------------------------------

  /*
   * The signature schemes the server signs with, per version, by elimination: offer every
   * candidate, note the one the server's CertificateVerify (TLS 1.3) or ServerKeyExchange (TLS
   * 1.2) uses, stop there, offer the rest again, until the server refuses: one connection per
   * scheme found plus one, the first shared with the version's ticket handshake. Each server
   * signature reveals one scheme, so fewer connections would lose schemes. In TLS 1.3 the chain
   * of each step is kept by key type: a server with several certificates picks one by scheme.
   */
  private void signatureLine() {
    List<Integer> all = new ArrayList<>();
    for (int code : SCHEMES) {
      all.add(code);
    }
    if (highest.compareTo(TlsVersion.TLS_1_2) < 0) {
      tickets12(handshake(Mode.TICKET12, null, all));
    }
    for (TlsVersion v : List.of(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2)) {
      if (v.compareTo(highest) > 0) {
        continue;
      }
      Mode mode = v.equals(TlsVersion.TLS_1_3) ? Mode.SIGNATURE13 : Mode.SIGNATURE12;
      List<Integer> left = new ArrayList<>(all);
      List<String> accepted = new ArrayList<>();
      String why = "";
      // The ticket handshake of the version offers every candidate too: its choice is the first step.
      Result ticket = v.equals(TlsVersion.TLS_1_3) ? tickets13(handshake(Mode.TLS13_TICKET, null, all))
          : tickets12(handshake(Mode.TICKET12, null, all));
      if (ticket.signatureScheme >= 0 && left.contains(ticket.signatureScheme)) {
        accepted.add(schemeName(ticket.signatureScheme));
        left.remove(Integer.valueOf(ticket.signatureScheme));
        if (!ticket.chain.isEmpty()) {
          out.chain(keyType(ticket.chain.get(0)), ticket.chain);
        }
      }
      while (!left.isEmpty() && !req.deadline().expired()) {
        Result r = handshake(mode, null, left);
        if (r.signatureScheme < 0 || !left.contains(r.signatureScheme)) {
          why = r.note;
          break;
        }
        accepted.add(schemeName(r.signatureScheme));
        left.remove(Integer.valueOf(r.signatureScheme));
        if (!r.chain.isEmpty()) {
          out.chain(keyType(r.chain.get(0)), r.chain);
        }
      }
      if (!accepted.isEmpty()) {
        out.signatureSchemes(v, accepted);
      } else if (!why.isEmpty()) {
        out.note("signatureSchemes" + v.name(), why);
      }
    }
  }

  /** The key type of a leaf as CERT_ALTERNATE names it. */
  static String keyType(java.security.cert.X509Certificate leaf) {
    String alg = leaf.getPublicKey().getAlgorithm();
    return switch (alg) {
      case "EC" -> "ECDSA";
      case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
      case "RSASSA-PSS" -> "RSA-PSS";
      default -> alg;
    };
  }

  /** Candidates: every scheme of RFC 8446 a server certificate can use, modern first. */
  static final int[] SCHEMES = {0x0804, 0x0805, 0x0806, 0x0809, 0x080A, 0x080B, 0x0403, 0x0503,
      0x0603, 0x0807, 0x0808, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201};

  static String schemeName(int code) {
    String name = org.bouncycastle.tls.SignatureScheme.getName(code);
    return name == null || name.startsWith("UNKNOWN") ? String.format("0x%04x", code) : name;
  }

  // B -----------------------------------------------------------------------------------------

  private void oneShotLine() {
    TlsVersion below = below(highest);
    if (below != null) {
      Result r = handshake(Mode.FALLBACK, null);
      if (r.fallbackAlert) {
        out.fallbackScsv(true, below);
      } else if (r.serverVersion != null) {
        out.fallbackScsv(false, below);
      } else {
        out.note("fallbackScsv", "the server did not accept " + below.name() + ": " + r.note);
      }
    } else {
      out.note("fallbackScsv", "no lower version to fall back to from " + highest.name());
    }
    Result c = handshake(Mode.COMPRESSION, null);
    if (c.compressionMethod >= 0) {
      out.compression(c.compressionMethod != 0);
    } else {
      out.note("compression", c.note);
    }
  }

  /** The TLS 1.2 ticket, its lifetime, and resumption with it. */
  private Result tickets12(Result ticket) {
    if (ticket.completed && !TlsUtils.isTLSv13(ticket.serverVersion)) {
      out.sessionTicket(ticket.ticketLifetime >= 0, ticket.ticketLifetime >= 0
          ? Optional.of(Duration.ofSeconds(ticket.ticketLifetime)) : Optional.empty());
      resumeTicket(ticket);
    } else {
      out.note("sessionTicket", ticket.completed ? "no TLS 1.2 handshake" : ticket.note);
    }
    return ticket;
  }

  /** The first TLS 1.3 ticket: lifetime and max_early_data_size; and SCTs on the leaf. */
  private Result tickets13(Result t) {
    scts(t);
    if (t.tls13Lifetime >= 0) {
      out.tls13Ticket(Duration.ofSeconds(t.tls13Lifetime), t.maxEarlyData);
    } else {
      out.note("tls13Ticket", t.completed ? "no TLS 1.3 session ticket arrived" : t.note);
    }
    return t;
  }

  private int sctsSeen = -1;

  /** The SCTs of one handshake that asked for them; the most any handshake saw wins. */
  private synchronized void scts(Result r) {
    if (r.sctCount < 0 || r.sctCount <= sctsSeen) {
      return;
    }
    sctsSeen = r.sctCount;
    out.tlsExtensionScts(r.sctCount, r.sctLogIds);
  }

  /*
   * Resumption by TLS 1.2 ticket: a new connection offers the ticket with a session ID of our own
   * (RFC 5077 3.4: a server that accepts the ticket echoes that ID) and ends after the ServerHello,
   * so no session has to be completed on either side.
   */
  private void resumeTicket(Result first) {
    if (first.ticket == null || first.ticket.length == 0) {
      out.note("ticketResumption", "the server issued no TLS 1.2 session ticket to offer");
      return;
    }
    TlsSession issued = first.anySession;
    org.bouncycastle.tls.SessionParameters params = issued == null ? null : issued.exportSessionParameters();
    if (params == null) {
      out.note("ticketResumption", "the ticket's session parameters were not kept");
      return;
    }
    byte[] id = new byte[32];
    RANDOM.nextBytes(id);
    Result second = handshake(Mode.RESUME_TICKET, TlsUtils.importSession(id, params), List.of(), first.ticket);
    if (second.serverSessionId != null) {
      out.ticketResumption(java.util.Arrays.equals(second.serverSessionId, id));
    } else {
      out.note("ticketResumption", second.note);
    }
  }

  static TlsVersion below(TlsVersion v) {
    if (v.equals(TlsVersion.TLS_1_3)) {
      return TlsVersion.TLS_1_2;
    }
    if (v.equals(TlsVersion.TLS_1_2)) {
      return TlsVersion.TLS_1_1;
    }
    if (v.equals(TlsVersion.TLS_1_1)) {
      return TlsVersion.TLS_1_0;
    }
    return null;
  }

  // one connection ------------------------------------------------------------------------------

  private enum Mode { SIGNATURE12, SIGNATURE13, SESSION, RESUME, RENEGOTIATE, HTTP, FALLBACK, TICKET12, RESUME_TICKET,
    COMPRESSION, TLS13_TICKET }

  /** What one feature connection saw. */
  private static final class Result {
    boolean completed;
    String note = "";
    ProtocolVersion serverVersion;
    boolean secureRenegotiation;
    boolean extendedMasterSecret;
    String alpn;
    long ticketLifetime = -1;
    TlsSession session;
    byte[] sessionId = new byte[0];
    boolean resumed;
    Boolean renegotiation;
    Boolean resumedById;
    String resumeNote = "";
    String renegotiationNote = "";
    boolean fallbackAlert;
    int compressionMethod = -1;
    long tls13Lifetime = -1;
    long maxEarlyData;
    ServerFeatures.HttpHead http;
    int signatureScheme = -1;
    byte[] ticket;
    TlsSession anySession;
    byte[] serverSessionId;
    Result resumption;
    int sctCount = -1;
    List<String> sctLogIds = List.of();
    List<java.security.cert.X509Certificate> chain = List.of();
  }

  /** Ends a read once what was wanted has been seen. */
  private static final class Seen extends IOException {
    private static final long serialVersionUID = 1L;

    Seen(String what) {
      super(what, null);
    }
  }

  private Result handshake(Mode mode, TlsSession resume) {
    return handshake(mode, resume, List.of());
  }

  private Result handshake(Mode mode, TlsSession resume, List<Integer> schemes) {
    return handshake(mode, resume, schemes, null);
  }

  private Result handshake(Mode mode, TlsSession resume, List<Integer> schemes, byte[] ticket) {
    Result r = new Result();
    if (req.deadline().expired()) {
      r.note = "the deadline passed";
      return r;
    }
    Duration budget = req.deadline().remaining().compareTo(PER_CONNECTION) < 0
        ? req.deadline().remaining() : PER_CONNECTION;
    Deadline deadline = Deadline.after(budget);
    Socket socket;
    try {
      socket = Connector.open(req);
    } catch (Connector.Failed e) {
      r.note = "connect failed: " + e.kind();
      return r;
    }
    try {
      HandshakeTracer trace = new HandshakeTracer(LOG, "bc features " + mode.name().toLowerCase(Locale.ROOT)
          + " " + req.address(), Observation.builder("bc"), System.nanoTime());
      WireTap tap = new WireTap(socket, deadline, req.readTimeout(), trace);
      OutputStream output = mode == Mode.COMPRESSION ? offeringDeflate(tap.output()) : tap.output();
      Protocol protocol = new Protocol(tap, output, mode, r);
      Client client = new Client(new BcTlsCrypto(RANDOM), mode, resume, r, schemes, ticket);
      try {
        protocol.connect(client);
        r.completed = true;
        SecurityParameters sp = protocol.context().getSecurityParametersConnection();
        r.serverVersion = sp.getNegotiatedVersion();
        r.extendedMasterSecret = sp.isExtendedMasterSecret();
        r.secureRenegotiation = sp.isSecureRenegotiation();
        r.resumed = sp.isResumedSession();
        ProtocolName alpn = sp.getApplicationProtocol();
        r.alpn = alpn == null ? null : alpn.getUtf8Decoding();
        r.session = protocol.context().getResumableSession();
        r.anySession = protocol.context().getSession();
        r.sessionId = r.session == null || r.session.getSessionID() == null ? new byte[0]
            : r.session.getSessionID();
        switch (mode) {
          case SESSION, RESUME -> protocol.close(); // close_notify: the session stays resumable
          case RENEGOTIATE -> renegotiate(protocol, sp, r);
          case TLS13_TICKET -> awaitTicket(protocol, r);
          case HTTP -> head(protocol, r);
          default -> { }
        }
      } catch (IOException | RuntimeException e) {
        if (r.note.isEmpty()) {
          r.note = e.getCause() == null || e.getCause() == e ? String.valueOf(e.getMessage())
              : e.getMessage() + " (" + e.getCause() + ")";
        }
        LOG.debug("bc feature handshake {} to {} ended: {}", mode, req.address(), e.toString());
      }
    } catch (IOException e) {
      r.note = String.valueOf(e.getMessage());
    } finally {
      try {
        socket.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
    return r;
  }

  /*
   * The last handshake of an inspection, made after every other connection to the server has
   * ended: a TLS 1.2 connection on which a renegotiation ClientHello follows (client-initiated
   * renegotiation). It comes last because a server may stall after refusing one: openssl s_server
   * sleeps a second after it, and as it serves one connection at a time, everything queued behind
   * would wait; as the last connection, nothing does (our answer arrives before the stall).
   */
  static ServerFeatures last(ProbeRequest req, TlsVersion highest, ServerFeatures learned) {
    BcFeatures f = new BcFeatures(req, highest);
    Result reneg = f.handshake(Mode.RENEGOTIATE, null);
    ServerFeatures.Builder b = learned.toBuilder();
    if (reneg.renegotiation != null) {
      b.clientRenegotiation(reneg.renegotiation);
    } else {
      b.note("clientRenegotiation", reneg.completed ? reneg.renegotiationNote : reneg.note);
    }
    return b.build();
  }

  /* Resumption by session ID, on a new connection after the first one ended with close_notify. */
  private void resume(Result first) {
    if (first.session == null || first.sessionId.length == 0) {
      first.resumedById = false;
      first.resumeNote = "the server sent no session ID";
      return;
    }
    Result second = handshake(Mode.RESUME, first.session);
    first.resumption = second;
    if (second.completed) {
      first.resumedById = second.resumed;
    } else {
      first.resumeNote = second.note;
    }
  }

  /*
   * A renegotiation ClientHello on the established connection (renegotiation_info with our
   * Finished when the server supports RFC 5746). A server that goes on answers with a handshake
   * message, which Bouncy Castle, not expecting one, refuses with unexpected_message: that ends
   * the connection at once. A server that refuses sends no_renegotiation or a fatal alert, or
   * closes.
   */
  private void renegotiate(Protocol protocol, SecurityParameters sp, Result r) {
    if (TlsUtils.isTLSv13(sp.getNegotiatedVersion())) {
      r.renegotiationNote = "TLS 1.3 has no renegotiation";
      return;
    }
    try {
      protocol.sendHandshake(renegotiationHello(sp));
      InputStream in = protocol.getInputStream();
      byte[] buf = new byte[1024];
      while (in.read(buf) >= 0) {
        // application data before the answer: read on, within the deadline
      }
      r.renegotiation = false; // closed without going on
    } catch (IOException | RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (t instanceof Seen || t instanceof org.bouncycastle.tls.TlsFatalAlertReceived) {
          r.renegotiation = false; // no_renegotiation, or a fatal alert
          return;
        }
        if (t instanceof WireTap.DeadlineReached || t instanceof java.net.SocketTimeoutException) {
          r.renegotiationNote = "no answer to the renegotiation ClientHello within the time limit";
          return;
        }
        if (t instanceof TlsFatalAlert local && local.getAlertDescription() == AlertDescription.unexpected_message) {
          // The server went on with a handshake message, which Bouncy Castle does not expect.
          r.renegotiation = true;
          return;
        }
      }
      r.renegotiation = false;
      r.renegotiationNote = "the connection ended: " + e;
    }
  }

  private byte[] renegotiationHello(SecurityParameters sp) throws IOException {
    ByteArrayOutputStream ext = new ByteArrayOutputStream();
    if (sp.isSecureRenegotiation() && sp.getLocalVerifyData() != null) {
      byte[] verify = sp.getLocalVerifyData();
      extension(ext, 0xFF01, concat(new byte[] {(byte) verify.length}, verify));
    }
    if (sp.isExtendedMasterSecret()) {
      extension(ext, 0x0017, new byte[0]); // RFC 7627 5.4: a renegotiation keeps EMS
    }
    extension(ext, 0x000A, new byte[] {0, 8, 0, 0x1D, 0, 0x17, 0, 0x18, 0, 0x19});
    extension(ext, 0x000B, new byte[] {1, 0});
    extension(ext, 0x000D, new byte[] {0, 16, 4, 3, 5, 3, 8, 4, 8, 5, 8, 6, 4, 1, 5, 1, 6, 1});
    Optional<String> sni = req.target().sni();
    if (sni.isPresent()) {
      byte[] name = sni.get().getBytes(StandardCharsets.US_ASCII);
      ByteArrayOutputStream s = new ByteArrayOutputStream();
      u16(s, name.length + 3);
      s.write(0);
      u16(s, name.length);
      s.write(name);
      extension(ext, 0x0000, s.toByteArray());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(new byte[] {3, 3});
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    body.write(random);
    body.write(0); // no session to resume
    int suite = sp.getCipherSuite();
    u16(body, 2);
    u16(body, suite);
    body.write(new byte[] {1, 0});
    u16(body, ext.size());
    ext.writeTo(body);
    ByteArrayOutputStream msg = new ByteArrayOutputStream();
    msg.write(1); // client_hello
    msg.write(body.size() >> 16);
    msg.write(body.size() >> 8);
    msg.write(body.size());
    body.writeTo(msg);
    return msg.toByteArray();
  }

  private static void awaitTicket(Protocol protocol, Result r) {
    try {
      InputStream in = protocol.getInputStream();
      byte[] buf = new byte[1024];
      while (in.read(buf) >= 0) {
        // the ticket comes first; anything else is read and dropped
      }
    } catch (IOException | RuntimeException e) {
      // Seen (the ticket), the deadline, or the server closed: what was seen is in r
    }
  }

  private void head(Protocol protocol, Result r) {
    try {
      String host = req.target().sni().orElse(req.target().host());
      String hostHeader = host.contains(":") ? "[" + host + "]" : host;
      if (req.target().port() != 443) {
        hostHeader += ":" + req.target().port();
      }
      protocol.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + hostHeader
          + "\r\nUser-Agent: tls-inspect\r\nAccept: */*\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      protocol.getOutputStream().flush();
      InputStream in = protocol.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buf = new byte[2048];
      int n;
      while (answer.size() < MAX_HTTP_BYTES && (n = in.read(buf, 0, Math.min(buf.length,
          MAX_HTTP_BYTES - answer.size()))) >= 0) {
        answer.write(buf, 0, n);
        if (answer.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
          break;
        }
      }
      r.http = parseHead(answer.toString(StandardCharsets.ISO_8859_1)).orElse(null);
      if (r.http == null) {
        r.note = "the answer to GET / was not HTTP/1.x";
      }
    } catch (IOException | RuntimeException e) {
      r.note = "GET / failed: " + e.getMessage();
    }
  }

  static Optional<ServerFeatures.HttpHead> parseHead(String text) {
    int end = text.indexOf("\r\n\r\n");
    String headers = end < 0 ? text : text.substring(0, end);
    String[] lines = headers.split("\r\n");
    if (lines.length == 0 || !lines[0].startsWith("HTTP/1.")) {
      return Optional.empty();
    }
    String[] status = lines[0].split(" ", 3);
    int code;
    try {
      code = status.length < 2 ? -1 : Integer.parseInt(status[1].trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (code < 100 || code > 999) {
      return Optional.empty();
    }
    Optional<String> hsts = Optional.empty();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase("Strict-Transport-Security")) {
        String v = lines[i].substring(colon + 1).trim();
        hsts = Optional.of(v.length() > 512 ? v.substring(0, 512) : v);
        break;
      }
    }
    return Optional.of(new ServerFeatures.HttpHead(code, hsts));
  }

  /*
   * Bouncy Castle always offers compression "null" only; the first record it writes is the
   * ClientHello, rewritten here to offer DEFLATE (1) too. The probe ends after the ServerHello,
   * so the handshake hash never has to agree.
   */
  private static OutputStream offeringDeflate(OutputStream raw) {
    return new FilterOutputStream(raw) {
      private boolean done;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (!done) {
          done = true;
          byte[] rewritten = withDeflate(java.util.Arrays.copyOfRange(b, off, off + len));
          out.write(rewritten);
          return;
        }
        out.write(b, off, len);
      }
    };
  }

  /** The ClientHello record with compression methods {DEFLATE, null}; unchanged when it is not one. */
  static byte[] withDeflate(byte[] record) {
    if (record.length < 5 + 4 + 35 || record[0] != 0x16 || record[5] != 0x01) {
      return record;
    }
    int p = 5 + 4 + 2 + 32;
    int sid = record[p] & 0xFF;
    p += 1 + sid;
    if (p + 2 > record.length) {
      return record;
    }
    int suites = ((record[p] & 0xFF) << 8) | (record[p + 1] & 0xFF);
    p += 2 + suites;
    if (p + 2 > record.length || record[p] != 1 || record[p + 1] != 0) {
      return record;
    }
    int recordLength = (((record[3] & 0xFF) << 8) | (record[4] & 0xFF)) + 1;
    int hsLength = (((record[6] & 0xFF) << 16) | ((record[7] & 0xFF) << 8) | (record[8] & 0xFF)) + 1;
    if (recordLength - 1 != record.length - 5) {
      return record; // not exactly one record: leave it alone
    }
    byte[] out = new byte[record.length + 1];
    System.arraycopy(record, 0, out, 0, p);
    out[p] = 2;
    out[p + 1] = 1; // DEFLATE
    out[p + 2] = 0; // null
    System.arraycopy(record, p + 2, out, p + 3, record.length - p - 2);
    out[3] = (byte) (recordLength >> 8);
    out[4] = (byte) recordLength;
    out[6] = (byte) (hsLength >> 16);
    out[7] = (byte) (hsLength >> 8);
    out[8] = (byte) hsLength;
    return out;
  }

  /**
   * Records the SCT list of a signed_certificate_timestamp extension (RFC 6962 3.3: a 2-byte
   * length, then SCTs each with a 2-byte length; an SCT starts with its version byte and the
   * 32-byte log ID): the count, 0 when absent or empty, and the v1 log IDs.
   */
  static void sctList(Result r, byte[] data) {
    List<String> ids = new ArrayList<>();
    int count = 0;
    if (data != null && data.length >= 2) {
      int end = Math.min(data.length, 2 + (((data[0] & 0xFF) << 8) | (data[1] & 0xFF)));
      int p = 2;
      while (p + 2 <= end && count < MAX_SCTS) {
        int len = ((data[p] & 0xFF) << 8) | (data[p + 1] & 0xFF);
        if (len == 0 || p + 2 + len > end) {
          break;
        }
        count++;
        if (len >= 33 && data[p + 2] == 0) {
          ids.add(java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(data, p + 3, p + 35)));
        }
        p += 2 + len;
      }
    }
    if (count >= r.sctCount) {
      r.sctCount = count;
      r.sctLogIds = List.copyOf(ids);
    }
  }

  /** The chain as JDK certificates (at most 10), empty when one does not parse. */
  static List<java.security.cert.X509Certificate> x509(org.bouncycastle.tls.Certificate certificate) {
    List<java.security.cert.X509Certificate> chain = new ArrayList<>();
    try {
      java.security.cert.CertificateFactory cf = java.security.cert.CertificateFactory.getInstance("X.509");
      for (int i = 0; i < Math.min(10, certificate.getLength()); i++) {
        chain.add((java.security.cert.X509Certificate) cf.generateCertificate(
            new ByteArrayInputStream(certificate.getCertificateAt(i).getEncoded())));
      }
      return chain;
    } catch (java.security.cert.CertificateException | IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** The signature scheme of a TLS 1.2 ServerKeyExchange body (ECDHE or DHE); -1 when malformed. */
  static int skeScheme(byte[] b, boolean dhe) {
    java.nio.ByteBuffer t = java.nio.ByteBuffer.wrap(b);
    try {
      if (dhe) {
        for (int i = 0; i < 3; i++) { // p, g, Ys
          int n = t.getShort() & 0xFFFF;
          t.position(t.position() + n);
        }
      } else {
        t.get(); // curve_type (named_curve)
        t.getShort(); // the curve
        int n = t.get() & 0xFF;
        t.position(t.position() + n);
      }
      return t.getShort() & 0xFFFF;
    } catch (RuntimeException malformed) {
      return -1;
    }
  }

  private static void extension(ByteArrayOutputStream out, int type, byte[] data) throws IOException {
    u16(out, type);
    u16(out, data.length);
    out.write(data);
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v >> 8);
    out.write(v);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The protocol, with hooks on the ServerHello, TLS 1.3 tickets and raw handshake records. */
  private static final class Protocol extends TlsClientProtocol {
    private final Mode mode;
    private final Result r;

    Protocol(InputStream in, OutputStream out, Mode mode, Result r) {
      super(in, out);
      this.mode = mode;
      this.r = r;
    }

    org.bouncycastle.tls.TlsContext context() {
      return getContext();
    }

    void sendHandshake(byte[] message) throws IOException {
      safeWriteRecord(ContentType.handshake, message, 0, message.length);
    }

    @Override
    protected org.bouncycastle.tls.ServerHello receiveServerHelloMessage(ByteArrayInputStream buf)
        throws IOException {
      // Bouncy Castle's message stream cannot be reset: read it, and parse a copy.
      byte[] all = buf.readAllBytes();
      int p = 2 + 32;
      if (all.length > p) {
        int sid = all[p] & 0xFF;
        if (all.length >= p + 1 + sid) {
          r.serverSessionId = java.util.Arrays.copyOfRange(all, p + 1, p + 1 + sid);
        }
        p += 1 + sid + 2;
        if (all.length > p) {
          r.compressionMethod = all[p] & 0xFF;
        }
        if (all.length >= 2) {
          r.serverVersion = ProtocolVersion.get(all[0] & 0xFF, all[1] & 0xFF);
        }
      }
      if (mode == Mode.COMPRESSION || mode == Mode.FALLBACK || mode == Mode.RESUME_TICKET) {
        throw new TlsFatalAlert(AlertDescription.user_canceled, "probe done after the ServerHello");
      }
      return super.receiveServerHelloMessage(new ByteArrayInputStream(all));
    }

    @Override
    protected void receive13ServerCertificateVerify(ByteArrayInputStream buf) throws IOException {
      if (mode != Mode.SIGNATURE13 && mode != Mode.TLS13_TICKET) {
        super.receive13ServerCertificateVerify(buf);
        return;
      }
      byte[] b = buf.readAllBytes();
      if (b.length >= 2) {
        r.signatureScheme = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
      }
      if (mode == Mode.TLS13_TICKET) {
        super.receive13ServerCertificateVerify(new ByteArrayInputStream(b));
        return;
      }
      throw new TlsFatalAlert(AlertDescription.user_canceled, "probe done after the CertificateVerify");
    }

    @Override
    protected void receive13NewSessionTicket(ByteArrayInputStream buf) throws IOException {
      if (mode != Mode.TLS13_TICKET || r.tls13Lifetime >= 0) {
        super.receive13NewSessionTicket(buf);
        return;
      }
      byte[] b = buf.readAllBytes();
      java.nio.ByteBuffer t = java.nio.ByteBuffer.wrap(b);
      try {
        long lifetime = t.getInt() & 0xFFFFFFFFL;
        t.getInt(); // ticket_age_add
        int nonce = t.get() & 0xFF;
        t.position(t.position() + nonce);
        int ticket = t.getShort() & 0xFFFF;
        t.position(t.position() + ticket);
        int extEnd = t.position() + 2 + (t.getShort() & 0xFFFF);
        long early = 0;
        while (t.position() + 4 <= Math.min(extEnd, t.limit())) {
          int type = t.getShort() & 0xFFFF;
          int len = t.getShort() & 0xFFFF;
          if (type == 42 && len == 4) {
            early = t.getInt() & 0xFFFFFFFFL;
          } else {
            t.position(t.position() + len);
          }
        }
        r.tls13Lifetime = lifetime;
        r.maxEarlyData = early;
      } catch (RuntimeException malformed) {
        r.note = "malformed NewSessionTicket";
      }
      throw new Seen("TLS 1.3 NewSessionTicket");
    }
  }

  /** The client of one feature handshake. */
  private final class Client extends DefaultTlsClient {
    private final Mode mode;
    private final TlsSession resume;
    private final Result r;
    private final List<Integer> schemes;
    private final byte[] ticket;

    Client(BcTlsCrypto crypto, Mode mode, TlsSession resume, Result r, List<Integer> schemes, byte[] ticket) {
      super(crypto);
      this.mode = mode;
      this.resume = resume;
      this.r = r;
      this.schemes = List.copyOf(schemes);
      this.ticket = ticket == null ? null : ticket.clone();
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    protected Vector getSupportedSignatureAlgorithms() {
      if (schemes.isEmpty()) {
        return super.getSupportedSignatureAlgorithms();
      }
      Vector v = new Vector();
      for (int code : schemes) {
        v.add(org.bouncycastle.tls.SignatureScheme.getSignatureAndHashAlgorithm(code));
      }
      return v;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    protected Vector getSupportedSignatureAlgorithmsCert() {
      if (schemes.isEmpty()) {
        return super.getSupportedSignatureAlgorithmsCert();
      }
      // The certificate chain may be signed with anything: only the handshake signature is asked.
      Vector v = new Vector();
      for (int code : SCHEMES) {
        v.add(org.bouncycastle.tls.SignatureScheme.getSignatureAndHashAlgorithm(code));
      }
      return v;
    }

    @Override
    public org.bouncycastle.tls.TlsKeyExchangeFactory getKeyExchangeFactory() throws IOException {
      return switch (mode) {
        case TICKET12 -> skeFactory(false);
        case SIGNATURE12 -> skeFactory(true);
        default -> super.getKeyExchangeFactory();
      };
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
      return switch (mode) {
        case TLS13_TICKET, SIGNATURE13 -> new ProtocolVersion[] {ProtocolVersion.TLSv13};
        case SIGNATURE12 -> new ProtocolVersion[] {ProtocolVersion.TLSv12};
        case HTTP -> ProtocolVersion.TLSv13.downTo(ProtocolVersion.TLSv10);
        case FALLBACK -> {
          TlsVersion v = below(highest);
          ProtocolVersion top = ProtocolVersion.get(v.code() >> 8, v.code() & 0xFF);
          yield top.downTo(ProtocolVersion.TLSv10);
        }
        default -> ProtocolVersion.TLSv12.downTo(ProtocolVersion.TLSv10);
      };
    }

    @Override
    protected int[] getSupportedCipherSuites() {
      int[] all = TlsUtils.getSupportedCipherSuites(getCrypto(), SUITES);
      if (mode != Mode.SIGNATURE12) {
        return all;
      }
      // Only suites whose ServerKeyExchange is signed.
      return java.util.Arrays.stream(all).filter(c -> {
        int kx = TlsUtils.getKeyExchangeAlgorithm(c);
        return kx == org.bouncycastle.tls.KeyExchangeAlgorithm.ECDHE_RSA
            || kx == org.bouncycastle.tls.KeyExchangeAlgorithm.ECDHE_ECDSA
            || kx == org.bouncycastle.tls.KeyExchangeAlgorithm.DHE_RSA;
      }).toArray();
    }

    /**
     * Reads the signature scheme of a TLS 1.2 ServerKeyExchange (ECDHE or DHE). With {@code stop}
     * the handshake ends there, since the signature question needs nothing more; otherwise it
     * goes on with the message unchanged.
     */
    private org.bouncycastle.tls.TlsKeyExchangeFactory skeFactory(boolean stop) {
      return new org.bouncycastle.tls.DefaultTlsKeyExchangeFactory() {
        @Override
        public org.bouncycastle.tls.TlsKeyExchange createECDHEKeyExchangeClient(int keyExchange) {
          return new org.bouncycastle.tls.TlsECDHEKeyExchange(keyExchange) {
            @Override
            public void processServerKeyExchange(InputStream input) throws IOException {
              super.processServerKeyExchange(new ByteArrayInputStream(peek(input, false, stop)));
            }
          };
        }

        @Override
        public org.bouncycastle.tls.TlsKeyExchange createDHEKeyExchangeClient(int keyExchange,
            org.bouncycastle.tls.TlsDHGroupVerifier verifier) {
          return new org.bouncycastle.tls.TlsDHEKeyExchange(keyExchange, verifier) {
            @Override
            public void processServerKeyExchange(InputStream input) throws IOException {
              super.processServerKeyExchange(new ByteArrayInputStream(peek(input, true, stop)));
            }
          };
        }
      };
    }

    private byte[] peek(InputStream input, boolean dhe, boolean stop) throws IOException {
      byte[] ske = input.readAllBytes();
      if (stop) {
        r.signatureScheme = skeScheme(ske, dhe);
        throw new TlsFatalAlert(AlertDescription.user_canceled, "probe done after the ServerKeyExchange");
      }
      // Only TLS 1.2 ServerKeyExchanges carry the scheme.
      if (ProtocolVersion.TLSv12.equals(r.serverVersion)) {
        r.signatureScheme = skeScheme(ske, dhe);
      }
      return ske;
    }

    @Override
    public boolean isFallback() {
      return mode == Mode.FALLBACK;
    }

    @Override
    public TlsSession getSessionToResume() {
      return resume;
    }

    @Override
    protected Vector<ProtocolName> getProtocolNames() {
      List<String> names = switch (mode) {
        case SESSION -> ALPN;
        case HTTP -> List.of("http/1.1");
        default -> List.of();
      };
      if (names.isEmpty()) {
        return null;
      }
      Vector<ProtocolName> v = new Vector<>();
      names.forEach(n -> v.add(ProtocolName.asUtf8Encoding(n)));
      return v;
    }

    @Override
    protected Vector<ServerName> getSNIServerNames() {
      Optional<String> sni = req.target().sni();
      if (sni.isEmpty()) {
        return null;
      }
      Vector<ServerName> names = new Vector<>();
      names.add(new ServerName(NameType.host_name, sni.get().getBytes(StandardCharsets.US_ASCII)));
      return names;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
      Hashtable ext = super.getClientExtensions();
      if (mode == Mode.TICKET12) {
        TlsExtensionsUtils.addEmptyExtensionData(ext, Integers.valueOf(org.bouncycastle.tls.ExtensionType.session_ticket));
      }
      if (mode == Mode.RESUME_TICKET && ticket != null) {
        ext.put(Integers.valueOf(org.bouncycastle.tls.ExtensionType.session_ticket), ticket.clone());
      }
      if (mode == Mode.SESSION || mode == Mode.TLS13_TICKET) {
        TlsExtensionsUtils.addEmptyExtensionData(ext, Integers.valueOf(SIGNED_CERTIFICATE_TIMESTAMP));
      }
      if (mode == Mode.TLS13_TICKET) {
        TlsExtensionsUtils.addPSKKeyExchangeModesExtension(ext, new short[] {PskKeyExchangeMode.psk_dhe_ke});
      }
      if (mode == Mode.COMPRESSION || mode == Mode.FALLBACK) {
        ext.remove(TlsExtensionsUtils.EXT_encrypt_then_mac);
      }
      return ext;
    }

    @Override
    public void notifyNewSessionTicket(NewSessionTicket ticket) throws IOException {
      r.ticketLifetime = ticket.getTicketLifetimeHint();
      byte[] t = ticket.getTicket();
      r.ticket = t == null ? null : t.clone();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
      super.processServerExtensions(serverExtensions);
      if (mode == Mode.SESSION || mode == Mode.TLS13_TICKET) {
        Object sct = serverExtensions == null ? null : serverExtensions.get(Integers.valueOf(SIGNED_CERTIFICATE_TIMESTAMP));
        sctList(r, sct instanceof byte[] b ? b : null);
      }
    }

    @Override
    public void notifySecureRenegotiation(boolean secure) {
      // Recorded from the security parameters; never fatal here.
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
      if (description == AlertDescription.inappropriate_fallback) {
        r.fallbackAlert = true;
      }
      if (level == AlertLevel.warning && description == AlertDescription.no_renegotiation) {
        throw new java.io.UncheckedIOException(new Seen("no_renegotiation"));
      }
    }

    @Override
    public TlsAuthentication getAuthentication() {
      return new TlsAuthentication() {
        @Override
        public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
          // Not judged here: the main handshake's chain is. In TLS 1.3 the SCTs ride on the leaf's entry.
          if ((mode == Mode.SIGNATURE13 || mode == Mode.TLS13_TICKET) && serverCertificate != null
              && serverCertificate.getCertificate() != null) {
            r.chain = x509(serverCertificate.getCertificate());
          }
          if (mode == Mode.TLS13_TICKET && serverCertificate != null && serverCertificate.getCertificate() != null
              && !serverCertificate.getCertificate().isEmpty()) {
            org.bouncycastle.tls.CertificateEntry leaf = serverCertificate.getCertificate().getCertificateEntryAt(0);
            Object sct = leaf.getExtensions() == null ? null
                : leaf.getExtensions().get(Integers.valueOf(SIGNED_CERTIFICATE_TIMESTAMP));
            if (sct instanceof byte[] b) {
              sctList(r, b);
            }
          }
        }

        @Override
        public TlsCredentials getClientCredentials(org.bouncycastle.tls.CertificateRequest request) {
          return null;
        }
      };
    }
  }
}
