package dev.tlsinspect.jsse;

import dev.tlsinspect.Target;
import dev.tlsinspect.internal.trace.HandshakeTracer;
import dev.tlsinspect.internal.trace.PeerProtocols;
import dev.tlsinspect.probe.Alert;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.Connector;
import dev.tlsinspect.probe.Deadline;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.ProbeRequest;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.probe.TraceEvent.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * One JSSE handshake, driven by hand:
 *
 *   socket bytes -> RecordTap (plaintext facts, bounded) -> SSLEngine.unwrap
 *   SSLEngine.wrap -> socket
 *
 * Driving the engine ourselves rather than using an SSLSocket gives three things: every read is
 * bounded by what is left of the deadline (a peer that drips one byte a second cannot hold us),
 * the first bytes are seen before JSSE turns them into "Unsupported or unrecognized SSL message"
 * (so we can say "this is an HTTP server"), and the plaintext alerts and ServerHello are read
 * even when JSSE fails on them. The netIn buffer never grows past MAX_NET_BUFFER, so what the
 * peer sends cannot make us allocate more.
 */
/** One probe over JSSE. Not API. */
final class JsseHandshake {
  private static final Logger LOG = LoggerFactory.getLogger(JsseProbe.class);
  private static final int MAX_NET_BUFFER = 4 * RecordTap.MAX_RECORD;
  private static final Duration POST_HANDSHAKE_READ = Duration.ofMillis(750);
  private static final Pattern FATAL_ALERT = Pattern.compile("Received fatal alert: ([a-z_]+)");
  private static final Pattern ALERT_PREFIX = Pattern.compile("^\\([a-z_]+\\) ");
  private static final Pattern TOO_LARGE = Pattern.compile(
      "size of the handshake message \\((\\d+)\\) exceeds the maximum allowed size");

  private final ProbeRequest req;
  private final Deadline deadline;
  private final Observation.Builder obs;
  private final RecordTap tap = new RecordTap();
  private final List<Alert> sentAlerts = new ArrayList<>();
  private Recorders.TrustRecorder trust;
  private final Recorders.KeyRecorder keys;
  private long handshakeStart;
  private int announcedCertificateLength = -1;
  private boolean oversizedCertificate;
  private final HandshakeTracer trace;
  /** The application's TLS objects, when the handshake is to be made with them. */
  private final Optional<dev.tlsinspect.ClientTls> app;
  /** The chain from the session, for contexts whose trust manager the probe cannot wrap. */
  private List<java.security.cert.X509Certificate> sessionChain = List.of();

  JsseHandshake(ProbeRequest req, String provider) {
    this(req, provider, Optional.empty(), LOG);
  }

  JsseHandshake(ProbeRequest req, String provider, Optional<dev.tlsinspect.ClientTls> app) {
    this(req, provider, app, LOG);
  }

  /** With the logger the trace goes to at DEBUG: a seam for tests. */
  JsseHandshake(ProbeRequest req, String provider, Logger log) {
    this(req, provider, Optional.empty(), log);
  }

  private JsseHandshake(ProbeRequest req, String provider, Optional<dev.tlsinspect.ClientTls> app,
      Logger log) {
    this.app = app;
    this.req = req;
    this.deadline = req.deadline();
    this.obs = Observation.builder(provider).resolved(req.resolved()).address(req.address());
    this.trace = new HandshakeTracer(log, provider + " " + req.address(), obs, System.nanoTime());
    // The key store was read when the options were built; a key manager over it cannot fail here.
    Optional<javax.net.ssl.X509KeyManager> appKeys = app
        .filter(a -> a instanceof dev.tlsinspect.ClientTls.Managers)
        .flatMap(a -> ((dev.tlsinspect.ClientTls.Managers) a).keys());
    this.keys = new Recorders.KeyRecorder(appKeys.map(Recorders::extended)
        .orElse(req.clientCredentials().map(c -> c.keyManager()).orElse(null)));
  }

  ProbeOutcome run() {
    long connectStart = System.nanoTime();
    Socket socket;
    try {
      // TCP, then the proxy tunnel and STARTTLS when the target asks for them.
      socket = Connector.open(req);
    } catch (Connector.Failed e) {
      obs.connectTime(Duration.ofNanos(System.nanoTime() - connectStart));
      // The message can quote a proxy's or STARTTLS server's reply.
      LOG.debug("probe of {} failed before TLS: {} ({})", req.address(), e.kind(),
          dev.tlsinspect.SafeText.of(String.valueOf(e.getMessage())));
      traceFailure(e.kind(), e.getMessage());
      return new ProbeOutcome.Failed(e.toFailure(), finish().build());
    }
    obs.connectTime(Duration.ofNanos(System.nanoTime() - connectStart));
    trace.connected(req.address(), Duration.ofNanos(System.nanoTime() - connectStart));
    try {
      return handshake(socket);
    } finally {
      closeQuietly(socket);
    }
  }

  private ProbeOutcome handshake(Socket socket) {
    Target target = req.target();
    handshakeStart = System.nanoTime();
    if (app.orElse(null) instanceof dev.tlsinspect.ClientTls.SocketFactory f) {
      return socketHandshake(socket, f.factory());
    }
    SSLEngine engine;
    try {
      if (app.orElse(null) instanceof dev.tlsinspect.ClientTls.Context c) {
        // The application's context as it is: its provider, its trust and key managers.
        engine = c.context().createSSLEngine(target.host(), target.port());
      } else {
        javax.net.ssl.X509TrustManager tm = app
            .filter(a -> a instanceof dev.tlsinspect.ClientTls.Managers)
            .flatMap(a -> ((dev.tlsinspect.ClientTls.Managers) a).trust())
            .orElseGet(() -> req.trust().trustManager());
        trust = new Recorders.TrustRecorder(tm);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {keys}, new TrustManager[] {trust}, null);
        engine = context.createSSLEngine(target.host(), target.port());
      }
      engine.setUseClientMode(true);
      SSLParameters params = engine.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      if (target.sni().isPresent()) {
        params.setServerNames(List.of(new SNIHostName(target.sni().get())));
        obs.sniSent(target.sni().get());
      } else {
        params.setServerNames(List.of());
      }
      engine.setSSLParameters(params);
    } catch (GeneralSecurityException | RuntimeException e) {
      return failed(FailureKind.OTHER, e, Optional.of("before ClientHello"));
    }

    try {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      SSLSession session = engine.getSession();
      ByteBuffer netOut = ByteBuffer.allocate(session.getPacketBufferSize());
      ByteBuffer netIn = ByteBuffer.allocate(session.getPacketBufferSize());
      ByteBuffer app = ByteBuffer.allocate(session.getApplicationBufferSize());
      ByteBuffer empty = ByteBuffer.allocate(0);
      byte[] readBuf = new byte[8192];

      engine.beginHandshake();
      HandshakeStatus hs = engine.getHandshakeStatus();
      while (hs != HandshakeStatus.FINISHED && hs != HandshakeStatus.NOT_HANDSHAKING) {
        switch (hs) {
          case NEED_WRAP -> {
            netOut.clear();
            SSLEngineResult r = engine.wrap(empty, netOut);
            send(netOut, out);
            hs = r.getHandshakeStatus();
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
              throw new PeerClosed("the engine closed during the handshake");
            }
          }
          case NEED_TASK -> {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
              task.run();
            }
            hs = engine.getHandshakeStatus();
          }
          case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
            netIn.flip();
            SSLEngineResult r = engine.unwrap(netIn, app);
            netIn.compact();
            hs = r.getHandshakeStatus();
            switch (r.getStatus()) {
              case BUFFER_UNDERFLOW -> {
                if (!netIn.hasRemaining()) {
                  netIn = grow(netIn);
                }
                read(socket, in, netIn, readBuf, req.readTimeout());
              }
              case BUFFER_OVERFLOW -> {
                // The engine asks for more room only up to one record's plaintext; never more.
                if (app.capacity() >= MAX_NET_BUFFER) {
                  throw new TapProblem("the engine asked for more than " + MAX_NET_BUFFER
                      + " bytes of room for one record");
                }
                app = ByteBuffer.allocate(Math.min(MAX_NET_BUFFER, app.capacity() * 2));
              }
              case CLOSED -> throw new PeerClosed("the server closed the TLS connection during the handshake");
              case OK -> app.clear();
            }
          }
          default -> throw new IllegalStateException("unexpected handshake status " + hs);
        }
      }
      fillNegotiated(engine);
      captureSessionChain(engine.getSession());
      if (keys.requested && engine.getSession().getProtocol().equals("TLSv1.3")) {
        // TLS 1.3 servers reject a missing client certificate after the client's Finished: the
        // alert only shows on the next read.
        awaitPostHandshakeAlert(socket, in, engine, netIn, app, readBuf);
      }
      closeOutbound(engine, netOut, out);
      trace.event(Direction.LOCAL, "handshake complete", "version", engine.getSession().getProtocol(),
          "suite", engine.getSession().getCipherSuite());
      return new ProbeOutcome.Completed(finish().build());
    } catch (SSLException e) {
      // Decided before draining, which moves the tap on to the following messages.
      oversizedCertificate = handshakeMessageTooLarge(e).isPresent() && certificateTooLarge();
      if (oversizedCertificate) {
        drainCertificate(socket);
      }
      sendAlertAfterFailure(engine, out(socket));
      return classify(e);
    } catch (SocketTimeoutException | DeadlineReached e) {
      return failed(FailureKind.HANDSHAKE_TIMEOUT, e, Optional.of(tap.stage()),
          timeoutMessage(e));
    } catch (TapProblem e) {
      return tapFailure(e);
    } catch (PeerClosed e) {
      Optional<Alert> fatal = lastFatalAlert();
      if (fatal.isPresent()) {
        return alertFailure(fatal.get(), e);
      }
      return failed(FailureKind.CONNECTION_RESET, e, Optional.of(tap.stage()),
          "the server closed the connection " + tap.stage() + " without sending an alert");
    } catch (SocketException e) {
      String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      if (msg.contains("reset") || msg.contains("broken pipe") || msg.contains("abort")) {
        return failed(FailureKind.CONNECTION_RESET, e, Optional.of(tap.stage()),
            "the connection was reset " + tap.stage() + " (" + e.getMessage() + ")");
      }
      return failed(FailureKind.OTHER, e, Optional.of(tap.stage()));
    } catch (IOException | RuntimeException e) {
      return failed(FailureKind.OTHER, e, Optional.of(tap.stage()));
    }
  }

  private void read(Socket socket, InputStream in, ByteBuffer netIn, byte[] buf, Duration limit)
      throws IOException {
    if (deadline.expired()) {
      throw new DeadlineReached();
    }
    if (tap.flooded()) {
      // The engine has used up what arrived before the limit and wants more: stop here.
      throw new TapProblem(tap.problem().orElse("flood"));
    }
    socket.setSoTimeout(deadline.timeoutMillis(limit));
    int n;
    try {
      n = in.read(buf, 0, Math.min(buf.length, netIn.remaining()));
    } catch (SocketTimeoutException e) {
      trace.event(Direction.LOCAL, "timeout", "waited", limit.toMillis() + " ms");
      throw e;
    } catch (SocketException e) {
      trace.event(Direction.RECEIVED, "reset", "error", String.valueOf(e.getMessage()));
      throw e;
    }
    if (n < 0) {
      trace.event(Direction.RECEIVED, "close", "by", "peer (end of stream)");
      throw new PeerClosed("end of stream");
    }
    trace.received(buf, 0, n);
    tap.feed(buf, 0, n);
    // A flood is not malformed: the engine first reads what already arrived (its answer to the
    // first records, say a warning alert mid-handshake, is the better diagnosis), and the next
    // read stops. Anything malformed stops at once.
    if (tap.problem().isPresent() && !tap.flooded()) {
      throw new TapProblem(tap.problem().get());
    }
    netIn.put(buf, 0, n);
  }

  private static ByteBuffer grow(ByteBuffer netIn) throws TapProblem {
    if (netIn.capacity() >= MAX_NET_BUFFER) {
      throw new TapProblem("the server's data does not form a TLS record within "
          + MAX_NET_BUFFER + " bytes");
    }
    ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_NET_BUFFER, netIn.capacity() * 2));
    netIn.flip();
    bigger.put(netIn);
    return bigger;
  }

  private void send(ByteBuffer netOut, OutputStream out) throws IOException {
    netOut.flip();
    if (netOut.hasRemaining()) {
      noteSentAlert(netOut);
      trace.sent(netOut.array(), netOut.arrayOffset() + netOut.position(), netOut.remaining());
      out.write(netOut.array(), netOut.arrayOffset() + netOut.position(), netOut.remaining());
      out.flush();
    }
  }

  /** A two-byte alert record is still in plain text; record it. */
  private void noteSentAlert(ByteBuffer netOut) {
    int p = netOut.position();
    if (netOut.remaining() >= 7 && netOut.get(p) == 21 && netOut.get(p + 3) == 0 && netOut.get(p + 4) == 2) {
      sentAlerts.add(Alert.of(false, netOut.get(p + 5) == 2, netOut.get(p + 6) & 0xFF));
    }
  }

  private void awaitPostHandshakeAlert(Socket socket, InputStream in, SSLEngine engine,
      ByteBuffer netIn, ByteBuffer app, byte[] buf) throws IOException {
    Duration wait = req.readTimeout().compareTo(POST_HANDSHAKE_READ) < 0 ? req.readTimeout() : POST_HANDSHAKE_READ;
    try {
      for (int i = 0; i < 8 && !deadline.expired(); i++) {
        netIn.flip();
        SSLEngineResult r = engine.unwrap(netIn, app);
        netIn.compact();
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
          return;
        }
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
          read(socket, in, netIn, buf, wait);
        } else {
          app.clear();
        }
      }
    } catch (SocketTimeoutException | DeadlineReached | PeerClosed e) {
      // quiet after the handshake: the server accepted us without a certificate
    }
  }

  private void fillNegotiated(SSLEngine engine) {
    SSLSession session = engine.getSession();
    try {
      obs.version(TlsVersion.fromJavaName(session.getProtocol()));
    } catch (IllegalArgumentException e) {
      tap.serverVersion().ifPresent(obs::version);
    }
    String suiteName = CipherSuite.fromJavaName(session.getCipherSuite()).name();
    int code = tap.serverSuite().map(CipherSuite::code).orElse(CipherSuite.UNKNOWN_CODE);
    obs.cipherSuite(new CipherSuite(code, suiteName));
    String alpn = engine.getApplicationProtocol();
    if (alpn != null && !alpn.isEmpty()) {
      obs.applicationProtocol(alpn);
    }
  }

  /**
   * The application's socket factory, layered over the probe's connection. Each read is bounded
   * by what is left of the deadline; the plaintext tap is not in the path, so failures are named
   * from the exception alone.
   */
  private ProbeOutcome socketHandshake(Socket socket, javax.net.ssl.SSLSocketFactory factory) {
    Target target = req.target();
    try {
      socket.setSoTimeout(deadline.timeoutMillis(req.readTimeout()));
      javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket) factory.createSocket(socket,
          target.host(), target.port(), true);
      try {
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (target.sni().isPresent()) {
          params.setServerNames(List.of(new SNIHostName(target.sni().get())));
          obs.sniSent(target.sni().get());
        }
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        SSLSession session = ssl.getSession();
        obs.version(TlsVersion.fromJavaName(session.getProtocol()));
        obs.cipherSuite(CipherSuite.fromJavaName(session.getCipherSuite()));
        captureSessionChain(session);
        trace.event(Direction.LOCAL, "handshake complete", "version", session.getProtocol(),
            "suite", session.getCipherSuite());
        return new ProbeOutcome.Completed(finish().build());
      } finally {
        closeQuietly(ssl);
      }
    } catch (SSLException e) {
      return classify(e);
    } catch (SocketTimeoutException e) {
      return failed(FailureKind.HANDSHAKE_TIMEOUT, e, Optional.of("during the handshake"),
          "no complete TLS answer from the server within " + req.readTimeout().toMillis() + " ms");
    } catch (IOException | RuntimeException e) {
      return failed(FailureKind.OTHER, e, Optional.of("during the handshake"));
    }
  }

  private void captureSessionChain(SSLSession session) {
    if (trust != null) {
      return;
    }
    try {
      List<java.security.cert.X509Certificate> chain = new ArrayList<>();
      for (java.security.cert.Certificate c : session.getPeerCertificates()) {
        if (c instanceof java.security.cert.X509Certificate x) {
          chain.add(x);
        }
      }
      sessionChain = List.copyOf(chain);
    } catch (javax.net.ssl.SSLPeerUnverifiedException | RuntimeException e) {
      sessionChain = List.of();
    }
  }

  private Observation.Builder finish() {
    if (tap.keyShareGroup() >= 0) {
      obs.namedGroup(dev.tlsinspect.probe.NamedGroup.of(tap.keyShareGroup()));
    }
    if (handshakeStart != 0) {
      obs.handshakeTime(Duration.ofNanos(System.nanoTime() - handshakeStart));
    }
    if (trust != null && !trust.chain.isEmpty()) {
      obs.peerChain(trust.chain);
      for (byte[] r : trust.ocsp) {
        obs.addStapledOcsp(r);
      }
    } else if (!sessionChain.isEmpty()) {
      obs.peerChain(sessionChain);
    } else if (!tap.certificates().isEmpty()) {
      // JSSE refused the message before its trust manager saw it (size limit); the tap read it.
      obs.peerChain(tap.certificates());
    }
    if (tap.certificateLength().isPresent()) {
      obs.certificateMessageLength(tap.certificateLength().getAsInt());
    } else if (announcedCertificateLength >= 0) {
      obs.certificateMessageLength(announcedCertificateLength);
    }
    for (Alert a : tap.alerts()) {
      obs.addAlert(a);
    }
    if (tap.alertsDropped() > 0) {
      trace.event(Direction.LOCAL, "alerts dropped", "count", String.valueOf(tap.alertsDropped()),
          "kept", String.valueOf(tap.alerts().size()));
    }
    for (Alert a : sentAlerts) {
      obs.addAlert(a);
    }
    if (keys.requested) {
      obs.clientCertificateRequest(new dev.tlsinspect.probe.ClientCertificateRequest(keys.issuers,
          keys.keyTypes, keys.signatureSchemes, Optional.ofNullable(keys.chosen)));
    }
    return obs;
  }

  private ProbeOutcome classify(SSLException e) {
    if (tap.problem().isPresent() && !tap.flooded()) {
      return tapFailure(new TapProblem(tap.problem().get()));
    }
    if (trust != null && trust.rejection != null) {
      return failed(FailureKind.CERTIFICATE_REJECTED, trust.rejection, Optional.of(tap.stage()),
          normalize(trust.rejection.getMessage()), e);
    }
    if (trust == null && app.isPresent()) {
      // The application's context: its trust manager is out of reach, its exception is not.
      for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
        if (t instanceof java.security.cert.CertificateException ce) {
          return failed(FailureKind.CERTIFICATE_REJECTED, ce, Optional.of(tap.stage()),
              normalize(String.valueOf(ce.getMessage())), e);
        }
      }
    }
    OptionalInt tooLarge = handshakeMessageTooLarge(e);
    if (tooLarge.isPresent() && oversizedCertificate) {
      if (tap.certificateLength().isEmpty()) {
        announcedCertificateLength = tooLarge.getAsInt();
      }
      return failed(FailureKind.CERTIFICATE_REJECTED, e, Optional.of(tap.stage()),
          normalize(e.getMessage()));
    }
    Optional<Alert> alert = lastFatalAlert();
    if (alert.isEmpty()) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        Matcher m = FATAL_ALERT.matcher(String.valueOf(t.getMessage()));
        if (m.find()) {
          alert = Optional.of(Alert.of(true, true, Math.max(0, Alert.codeOf(m.group(1)))));
          break;
        }
      }
    }
    if (alert.isPresent()) {
      return alertFailure(alert.get(), e);
    }
    String msg = normalize(e.getMessage());
    String lower = msg.toLowerCase(Locale.ROOT);
    if (lower.contains("no appropriate protocol") || lower.contains("not accepted by client preferences")
        || lower.contains("not enabled or not supported by the client")) {
      return failed(FailureKind.LOCAL_POLICY, e, Optional.of(tap.stage()), msg);
    }
    if (lower.contains("no appropriate cipher suite") || lower.contains("no negotiable cipher suite")) {
      return failed(FailureKind.LOCAL_POLICY, e, Optional.of(tap.stage()), msg);
    }
    if (lower.contains("unrecognized ssl message") || lower.contains("plaintext connection")) {
      return notTls(e);
    }
    if (lower.contains("remote host terminated") || lower.contains("peer shut down")) {
      return failed(FailureKind.CONNECTION_RESET, e, Optional.of(tap.stage()),
          "the server closed the connection " + tap.stage() + " without sending an alert");
    }
    // "Server selected improper ciphersuite", "received handshake warning": the peer broke the
    // protocol, as the Bouncy Castle provider reports the same answers.
    if (e instanceof javax.net.ssl.SSLProtocolException || lower.contains("illegal")
        || lower.contains("improper") || lower.contains("handshake warning")
        || lower.contains("invalid") || lower.contains("exceeds the maximum") || lower.contains("unexpected")) {
      return failed(FailureKind.PROTOCOL_ERROR, e, Optional.of(tap.stage()), msg);
    }
    return failed(FailureKind.OTHER, e, Optional.of(tap.stage()), msg);
  }

  /** The size JSSE names in "The size of the handshake message (N) exceeds the maximum ...". */
  private static OptionalInt handshakeMessageTooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      Matcher m = TOO_LARGE.matcher(String.valueOf(t.getMessage()));
      if (m.find()) {
        try {
          return OptionalInt.of(Integer.parseInt(m.group(1)));
        } catch (NumberFormatException tooBig) {
          return OptionalInt.of(Integer.MAX_VALUE);
        }
      }
    }
    return OptionalInt.empty();
  }

  /**
   * Whether the oversized handshake message is the server's Certificate. In TLS 1.2 the tap saw its
   * type; in TLS 1.3 the message is encrypted, and after the ServerHello the only server message
   * that grows past the limit in practice is the Certificate (EncryptedExtensions and a
   * CertificateRequest stay small unless a server lists thousands of CA names).
   */
  private boolean certificateTooLarge() {
    if (tap.currentHandshakeType() >= 0) {
      return tap.currentHandshakeType() == 11;
    }
    return tap.serverVersion().filter(v -> v.compareTo(TlsVersion.TLS_1_3) >= 0).isPresent();
  }

  /**
   * After JSSE refused an oversized TLS 1.2 Certificate message, reads the rest of it (the server
   * has sent it already) so the tap can hand over the chain; bounded by the tap's 1 MB and the
   * deadline. Done before our alert, which may make the server reset the connection.
   */
  private void drainCertificate(Socket socket) {
    if (!tap.receivingCertificate()
        || tap.certificateLength().orElse(Integer.MAX_VALUE) > RecordTap.MAX_CERTIFICATE_MESSAGE) {
      return;
    }
    byte[] buf = new byte[16384];
    long limit = tap.bytesSeen() + RecordTap.MAX_CERTIFICATE_MESSAGE + 2L * RecordTap.MAX_RECORD;
    try {
      InputStream in = socket.getInputStream();
      while (tap.receivingCertificate() && tap.problem().isEmpty() && !deadline.expired()
          && tap.bytesSeen() < limit) {
        socket.setSoTimeout(deadline.timeoutMillis(req.readTimeout()));
        int n = in.read(buf);
        if (n < 0) {
          return;
        }
        trace.received(buf, 0, n);
        tap.feed(buf, 0, n);
      }
    } catch (IOException | RuntimeException ignored) {
      // the chain stays unknown; the announced length is enough for the diagnosis
    }
  }

  private ProbeOutcome tapFailure(TapProblem e) {
    if (tap.notTls()) {
      return notTls(e);
    }
    return failed(FailureKind.PROTOCOL_ERROR, e, Optional.of(tap.stage()), e.getMessage());
  }

  private ProbeOutcome notTls(Exception e) {
    byte[] first = tap.firstBytes();
    String protocol = PeerProtocols.identify(first);
    String msg = "unknown".equals(protocol)
        ? "the server answered with bytes that are not TLS"
        : "the server answered in " + protocol;
    traceFailure(FailureKind.NOT_TLS, msg);
    return new ProbeOutcome.Failed(new Failure(FailureKind.NOT_TLS, msg, Optional.empty(),
        Optional.of(protocol), Optional.of("after ClientHello"), causes(e), first), finish().build());
  }

  private ProbeOutcome alertFailure(Alert alert, Exception e) {
    String msg = "the server sent a fatal " + alert.name() + " alert " + tap.stage();
    tap.serverVersion().ifPresent(obs::version);
    tap.serverSuite().ifPresent(s -> obs.cipherSuite(named(s)));
    if (tap.alerts().stream().noneMatch(a -> a.description() == alert.description())) {
      obs.addAlert(alert);
    }
    traceFailure(FailureKind.ALERT_RECEIVED, msg);
    return new ProbeOutcome.Failed(new Failure(FailureKind.ALERT_RECEIVED, msg, Optional.of(alert),
        Optional.empty(), Optional.of(tap.stage()), causes(e), tap.firstBytes()), finish().build());
  }

  /** The suite's code from the wire, with JSSE's name for it when the handshake got that far. */
  private CipherSuite named(CipherSuite fromWire) {
    String name = trust == null ? null : trust.suite;
    if (name == null || name.startsWith("SSL_NULL")) {
      return fromWire;
    }
    return new CipherSuite(fromWire.code(), CipherSuite.fromJavaName(name).name());
  }

  private Optional<Alert> lastFatalAlert() {
    List<Alert> alerts = tap.alerts();
    for (int i = alerts.size() - 1; i >= 0; i--) {
      if (alerts.get(i).fatal()) {
        return Optional.of(alerts.get(i));
      }
    }
    return Optional.empty();
  }

  private ProbeOutcome failed(FailureKind kind, Throwable e, Optional<String> stage) {
    return failed(kind, e, stage, normalize(e.getMessage() == null ? e.toString() : e.getMessage()));
  }

  private ProbeOutcome failed(FailureKind kind, Throwable e, Optional<String> stage, String message) {
    return failed(kind, e, stage, message, null);
  }

  private ProbeOutcome failed(FailureKind kind, Throwable e, Optional<String> stage, String message,
      Throwable outer) {
    if (kind != FailureKind.CONNECT_TIMEOUT && kind != FailureKind.CONNECTION_REFUSED
        && kind != FailureKind.HOST_UNREACHABLE && kind != FailureKind.OTHER) {
      tap.serverVersion().ifPresent(obs::version);
      tap.serverSuite().ifPresent(s -> obs.cipherSuite(named(s)));
    }
    List<String> causes = new ArrayList<>();
    if (outer != null) {
      causes.addAll(causes(outer));
    }
    causes.addAll(causes(e));
    traceFailure(kind, message);
    return new ProbeOutcome.Failed(new Failure(kind, message, Optional.empty(), Optional.empty(),
        stage, causes, tap.firstBytes()), finish().build());
  }

  /** The last event of a failed probe: what it failed with, as the outcome says. */
  private void traceFailure(FailureKind kind, String message) {
    trace.event(Direction.LOCAL, "failure", "kind", kind.name(), "message", message);
  }

  private String timeoutMessage(Exception e) {
    if (tap.bytesSeen() > 0) {
      return "the handshake was still incomplete when the time ran out ("
          + Math.min(req.readTimeout().toMillis(), deadline.budget().toMillis()) + " ms; "
          + tap.bytesSeen() + " bytes received: a slow or stalled peer)";
    }
    return "no TLS answer from the server within " + Math.min(req.readTimeout().toMillis(),
        deadline.budget().toMillis()) + " ms (" + tap.bytesSeen() + " bytes received)";
  }

  private static List<String> causes(Throwable e) {
    List<String> out = new ArrayList<>();
    for (Throwable t = e; t != null && out.size() < 8; t = t.getCause()) {
      // Our own exceptions (the tap's) are private plumbing: their name means nothing to a reader
      // of the evidence, their message says it all. The JDK's names stay: explain matches on them.
      out.add((t.getClass().getName().startsWith("dev.tlsinspect.") ? "" : t.getClass().getName() + ": ")
          + normalize(String.valueOf(t.getMessage())));
      if (t.getCause() == t) {
        break;
      }
    }
    return out;
  }

  /** JDK 21+ prefix alert names: "(certificate_unknown) PKIX path ...". */
  static String normalize(String message) {
    if (message == null) {
      return "";
    }
    return ALERT_PREFIX.matcher(message).replaceFirst("");
  }

  private void sendAlertAfterFailure(SSLEngine engine, OutputStream out) {
    if (engine == null || out == null) {
      return;
    }
    try {
      ByteBuffer netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
      engine.closeOutbound();
      engine.wrap(ByteBuffer.allocate(0), netOut);
      send(netOut, out);
    } catch (IOException | RuntimeException ignored) {
      // the connection is failing anyway
    }
  }

  private void closeOutbound(SSLEngine engine, ByteBuffer netOut, OutputStream out) {
    try {
      engine.closeOutbound();
      netOut.clear();
      engine.wrap(ByteBuffer.allocate(0), netOut);
      netOut.flip();
      if (netOut.hasRemaining()) {
        trace.sent(netOut.array(), 0, netOut.limit());
        out.write(netOut.array(), 0, netOut.limit());
        out.flush();
      }
    } catch (IOException | RuntimeException ignored) {
      // close_notify is a courtesy
    }
  }

  private static OutputStream out(Socket socket) {
    try {
      return socket.getOutputStream();
    } catch (IOException e) {
      return null;
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  /** The peer closed the stream. */
  private static final class PeerClosed extends IOException {
    PeerClosed(String message) {
      super(message);
    }
  }

  /** The overall deadline passed between reads. */
  private static final class DeadlineReached extends IOException {
    DeadlineReached() {
      super("deadline reached");
    }
  }

  /** The tap saw something that is not (valid) TLS. */
  private static final class TapProblem extends IOException {
    TapProblem(String message) {
      super(message);
    }
  }
}
