package dev.tlsinspect.bc;

import dev.tlsinspect.internal.trace.HandshakeTracer;
import dev.tlsinspect.internal.trace.PeerIntake;
import dev.tlsinspect.internal.trace.PeerProtocols;
import dev.tlsinspect.probe.Alert;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.ClientOffer;
import dev.tlsinspect.probe.Connector;
import dev.tlsinspect.probe.Deadline;
import dev.tlsinspect.probe.DhParameters;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.NamedGroup;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.ProbeRequest;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.probe.TraceEvent.Direction;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Vector;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CertificateStatus;
import org.bouncycastle.tls.CertificateStatusRequest;
import org.bouncycastle.tls.CertificateStatusType;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsKeyExchangeFactory;
import org.bouncycastle.tls.ExtensionType;
import org.bouncycastle.tls.KeyExchangeAlgorithm;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.OCSPStatusRequest;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsDHEKeyExchange;
import org.bouncycastle.tls.TlsDHanonKeyExchange;
import org.bouncycastle.tls.TlsDHGroupVerifier;
import org.bouncycastle.tls.TlsDHUtils;
import org.bouncycastle.tls.TlsECDHEKeyExchange;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsKeyExchange;
import org.bouncycastle.tls.TlsKeyExchangeFactory;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.DHGroup;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.util.Integers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * One probe over Bouncy Castle's TlsClientProtocol, on a plain socket whose input goes through
 * the WireTap (deadline-bounded reads, first bytes, sane record headers).
 *
 * Aborting: for a serverHelloOnly offer, and when the server picks a suite Bouncy Castle cannot
 * complete, the client throws TlsFatalAlert(user_canceled) from processServerExtensions: in TLS
 * 1.2 that is right after the ServerHello, in TLS 1.3 right after EncryptedExtensions; Bouncy
 * Castle then sends a fatal user_canceled alert, the politest way to stop. A serverHelloOnly offer
 * that names groups is a key-exchange probe: in TLS 1.2 and older it goes on to the
 * ServerKeyExchange (the curve or DH group is only known there) and stops right after it.
 *
 * An offer of SSL 2.0 alone is answered by Sslv2: a hand-built CLIENT-HELLO on the plain socket.
 */
/** One probe over Bouncy Castle. Not API. */
final class BcHandshake {
  private static final Logger LOG = LoggerFactory.getLogger(BcProbe.class);
  private static final Duration POST_HANDSHAKE_READ = Duration.ofMillis(750);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_HANDSHAKE_MESSAGE = 256 * 1024;
  /** Bouncy Castle's text when a handshake message exceeds {@link #MAX_HANDSHAKE_MESSAGE}. */
  private static final Pattern CERTIFICATE_TOO_LARGE =
      Pattern.compile("exceeds the maximum: certificate\\(11\\), (\\d{1,10}) > (\\d{1,10})");

  /** Suites of the default offer: what a broad modern client offers and BC can complete. */
  private static final int[] DEFAULT_SUITES = {
      0x1301, 0x1302, 0x1303, 0x1304,
      0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8,
      0x009E, 0x009F, 0xCCAA,
      0xC023, 0xC027, 0xC024, 0xC028, 0xC009, 0xC013, 0xC00A, 0xC014,
      0x0067, 0x006B, 0x0033, 0x0039,
      0x009C, 0x009D, 0x003C, 0x003D, 0x002F, 0x0035};
  private static final int[] DEFAULT_GROUPS = {
      NamedGroup.X25519_MLKEM768.code(), NamedGroup.X25519.code(), NamedGroup.SECP256R1.code(),
      NamedGroup.SECP384R1.code(), NamedGroup.SECP521R1.code(), NamedGroup.X448.code(),
      NamedGroup.FFDHE2048.code(), NamedGroup.FFDHE3072.code(), NamedGroup.FFDHE4096.code()};

  /** Deprecated curves (RFC 8422) listed after the defaults in offers of raw suites. */
  private static final int[] LEGACY_GROUPS = {NamedGroup.SECP224R1.code(), NamedGroup.SECP192R1.code()};

  private final ProbeRequest req;
  private final ClientOffer offer;
  private final Deadline deadline;
  private final Observation.Builder obs;
  private final List<Alert> alerts = new ArrayList<>();
  private long alertsReceived;
  private long alertsDropped;
  private WireTap tap;
  private long handshakeStart;

  // set from Bouncy Castle's callbacks, on the probing thread
  private ProtocolVersion serverVersion;
  private int selectedSuite = -1;
  private int ecdheGroup = -1;
  private DhParameters dhParameters;
  private boolean abortAfterKeyExchange;
  private boolean aborted;
  private String unsupportedSuite;
  private boolean clientCertRequested;
  private List<String> clientIssuers = List.of();
  private final HandshakeTracer trace;
  private List<String> clientKeyTypes = List.of();
  private List<String> clientSignatureSchemes = List.of();
  private String clientAlias;

  BcHandshake(ProbeRequest req, String provider) {
    this(req, provider, LOG);
  }

  /** With the logger the trace goes to at DEBUG: a seam for tests. */
  BcHandshake(ProbeRequest req, String provider, Logger log) {
    this.req = req;
    this.offer = req.offer();
    this.deadline = req.deadline();
    this.obs = Observation.builder(provider).resolved(req.resolved()).address(req.address());
    this.trace = new HandshakeTracer(log, provider + " " + req.address(), obs, System.nanoTime());
  }

  ProbeOutcome run() {
    long connectStart = System.nanoTime();
    Socket socket;
    try {
      // TCP, then the proxy tunnel and STARTTLS when the target asks for them; the SSL 2.0
      // probe goes the same way.
      socket = Connector.open(req);
    } catch (Connector.Failed e) {
      obs.connectTime(Duration.ofNanos(System.nanoTime() - connectStart));
      // The message can quote a proxy's or STARTTLS server's reply.
      LOG.debug("bc probe of {} failed before TLS: {} ({})", req.address(), e.kind(),
          dev.tlsinspect.SafeText.of(String.valueOf(e.getMessage())));
      traceFailure(e.kind(), e.getMessage());
      return new ProbeOutcome.Failed(e.toFailure(), finish().build());
    }
    obs.connectTime(Duration.ofNanos(System.nanoTime() - connectStart));
    trace.connected(req.address(), Duration.ofNanos(System.nanoTime() - connectStart));
    try {
      if (offer.versions().equals(List.of(TlsVersion.SSL_2_0))) {
        return sslv2(socket);
      }
      return handshake(socket);
    } finally {
      closeQuietly(socket);
    }
  }

  private ProbeOutcome sslv2(Socket socket) {
    handshakeStart = System.nanoTime();
    byte[] challenge = new byte[16];
    RANDOM.nextBytes(challenge);
    byte[] answer;
    try {
      socket.setSoTimeout(deadline.timeoutMillis(req.readTimeout()));
      byte[] hello = Sslv2.clientHello(challenge);
      trace.event(Direction.SENT, "SSLv2 CLIENT-HELLO", "length", String.valueOf(hello.length));
      socket.getOutputStream().write(hello);
      socket.getOutputStream().flush();
      answer = Sslv2.readRecord(socket.getInputStream());
      trace.event(Direction.RECEIVED, "SSLv2 record", "length", String.valueOf(answer.length));
    } catch (SocketTimeoutException e) {
      return sslv2Failed(FailureKind.HANDSHAKE_TIMEOUT, e, "no SSL 2.0 answer within the time limit", new byte[0]);
    } catch (IOException e) {
      return sslv2Failed(FailureKind.CONNECTION_RESET, e, "the server closed or reset the connection: "
          + message(e), new byte[0]);
    }
    byte[] first = java.util.Arrays.copyOf(answer, Math.min(answer.length, 64));
    Optional<Sslv2.ServerHello> hello = Sslv2.parseServerHello(answer);
    if (hello.isEmpty()) {
      return sslv2Failed(FailureKind.PROTOCOL_ERROR, null, "no SSL 2.0 SERVER-HELLO ("
          + answer.length + " bytes: " + PeerProtocols.identify(first) + ")", first);
    }
    LOG.debug("{} answered SSL 2.0 with cipher kinds {}", req.address(), hello.get().cipherKinds());
    obs.handshakeTime(Duration.ofNanos(System.nanoTime() - handshakeStart));
    obs.version(TlsVersion.SSL_2_0);
    // The SSL 2.0 certificate: its key, held by another endpoint too, is what DROWN is about.
    hello.get().x509().ifPresent(c -> obs.peerChain(List.of(c)));
    return new ProbeOutcome.Completed(obs.build());
  }

  private ProbeOutcome sslv2Failed(FailureKind kind, Exception e, String message, byte[] first) {
    obs.handshakeTime(Duration.ofNanos(System.nanoTime() - handshakeStart));
    traceFailure(kind, message);
    return new ProbeOutcome.Failed(new Failure(kind, message, Optional.empty(), Optional.empty(),
        Optional.of("after SSL 2.0 CLIENT-HELLO"), e == null ? List.of() : causes(e), first), obs.build());
  }


  private ProbeOutcome handshake(Socket socket) {
    handshakeStart = System.nanoTime();
    TlsClientProtocol protocol;
    try {
      tap = new WireTap(socket, deadline, req.readTimeout(), trace);
      protocol = new TlsClientProtocol(tap, tap.output());
    } catch (IOException e) {
      return failed(FailureKind.OTHER, e, "before ClientHello", message(e));
    }
    Client client = new Client(new BcTlsCrypto(RANDOM));
    try {
      protocol.connect(client);
      noteNegotiated(client);
      if (clientCertRequested && TlsVersion.TLS_1_3.equals(version())) {
        awaitPostHandshakeAlert(protocol);
      }
      try {
        protocol.close();
      } catch (IOException ignored) {
        // close_notify is a courtesy
      }
      trace.event(Direction.LOCAL, "handshake complete", "version", String.valueOf(version()),
          "suite", selectedSuite < 0 ? "" : CipherSuite.of(selectedSuite).name());
      return new ProbeOutcome.Completed(finish().build());
    } catch (IOException | RuntimeException e) {
      return classify(e);
    }
  }

  private ProbeOutcome classify(Exception e) {
    if (aborted && unsupportedSuite == null) {
      trace.event(Direction.LOCAL, "probe done", "after", "the server's choice (no full handshake needed)");
      return new ProbeOutcome.Completed(finish().build());
    }
    if (aborted) {
      return failed(FailureKind.LOCAL_POLICY, e, stage(), "the server chose " + unsupportedSuite
          + ", which the bc provider can offer but not complete");
    }
    if (e instanceof WireTap.DeadlineReached || e instanceof SocketTimeoutException) {
      return failed(FailureKind.HANDSHAKE_TIMEOUT, e, stage(), timeoutMessage());
    }
    // Bouncy Castle wraps what a callback throws in its own internal_error alert.
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof AlertFlood flood) {
        return failed(FailureKind.PROTOCOL_ERROR, e, stage(), flood.getMessage());
      }
    }
    if (e instanceof WireTap.Problem) {
      if (tap.notTls()) {
        return notTls(e);
      }
      return failed(FailureKind.PROTOCOL_ERROR, e, stage(), e.getMessage());
    }
    if (e instanceof TlsFatalAlertReceived r) {
      Alert alert = Alert.of(true, true, r.getAlertDescription());
      traceFailure(FailureKind.ALERT_RECEIVED, "the server sent a fatal " + alert.name() + " alert " + stage());
      return new ProbeOutcome.Failed(new Failure(FailureKind.ALERT_RECEIVED,
          "the server sent a fatal " + alert.name() + " alert " + stage(), Optional.of(alert),
          Optional.empty(), Optional.of(stage()), causes(e), tap.firstBytes()), finish().build());
    }
    // Bouncy Castle turns an end of stream before the handshake is done into its own fatal alert
    // (handshake_failure); JSSE reports a close without any alert as a reset, and so must this
    // provider. After warning alerts the close ends a storm: a protocol error, as before.
    if (e instanceof TlsFatalAlert closed && tap.endOfStream() && (tap.bytesSeen() == 0
        || (closed.getAlertDescription() == AlertDescription.handshake_failure
            && alerts.stream().noneMatch(Alert::received)))) {
      return failed(FailureKind.CONNECTION_RESET, e, stage(),
          "the server closed the connection " + stage() + " without sending an alert");
    }
    if (e instanceof TlsFatalAlert local) {
      short d = local.getAlertDescription();
      String name = AlertDescription.getName(d);
      String text = local.getMessage() == null || local.getMessage().equals(AlertDescription.getText(d))
          ? name : local.getMessage();
      if (d == AlertDescription.protocol_version && serverVersion == null) {
        return failed(FailureKind.LOCAL_POLICY, e, stage(),
            "the server chose a protocol version this client did not offer (offered: "
                + offeredVersionNames() + ")");
      }
      // A Certificate message over our bound: JSSE refuses it too (at 32 KB), as a rejected
      // certificate whose announced size the size check reads; report it the same way.
      Matcher tooLarge = CERTIFICATE_TOO_LARGE.matcher(String.valueOf(local.getMessage()));
      if (tooLarge.find()) {
        long bytes = Long.parseLong(tooLarge.group(1));
        if (bytes <= Integer.MAX_VALUE) {
          obs.certificateMessageLength((int) bytes);
        }
        return failed(FailureKind.CERTIFICATE_REJECTED, e, stage(), "the server's Certificate message ("
            + bytes + " bytes) exceeds the maximum allowed size of the bc provider (" + tooLarge.group(2) + ")");
      }
      // Another oversized handshake message: Bouncy Castle calls its own refusal an internal
      // error, JSSE a protocol violation by the server; it is the latter.
      if (String.valueOf(local.getMessage()).contains("Handshake message length exceeds the maximum")) {
        return failed(FailureKind.PROTOCOL_ERROR, e, stage(), "the server's answer violates TLS: " + text);
      }
      if (d == AlertDescription.internal_error) {
        return failed(FailureKind.OTHER, e, stage(), "the bc provider failed: " + text);
      }
      if (d == AlertDescription.insufficient_security) {
        return failed(FailureKind.LOCAL_POLICY, e, stage(),
            "the bc provider refused the server's parameters: " + text);
      }
      return failed(FailureKind.PROTOCOL_ERROR, e, stage(),
          "the server's answer violates TLS (" + name + "): " + text);
    }
    Optional<Alert> fatal = lastReceivedFatal();
    if (fatal.isPresent()) {
      Alert alert = fatal.get();
      traceFailure(FailureKind.ALERT_RECEIVED, "the server sent a fatal " + alert.name() + " alert " + stage());
      return new ProbeOutcome.Failed(new Failure(FailureKind.ALERT_RECEIVED,
          "the server sent a fatal " + alert.name() + " alert " + stage(), Optional.of(alert),
          Optional.empty(), Optional.of(stage()), causes(e), tap.firstBytes()), finish().build());
    }
    String lower = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (e instanceof EOFException || lower.contains("closed") || lower.contains("end of stream")) {
      return failed(FailureKind.CONNECTION_RESET, e, stage(),
          "the server closed the connection " + stage() + " without sending an alert");
    }
    if (e instanceof SocketException && (lower.contains("reset") || lower.contains("broken pipe")
        || lower.contains("abort"))) {
      return failed(FailureKind.CONNECTION_RESET, e, stage(),
          "the connection was reset " + stage() + " (" + e.getMessage() + ")");
    }
    return failed(FailureKind.OTHER, e, stage(), message(e));
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

  private void awaitPostHandshakeAlert(TlsClientProtocol protocol) throws IOException {
    // TLS 1.3 servers reject a missing client certificate after the client's Finished.
    Duration wait = req.readTimeout().compareTo(POST_HANDSHAKE_READ) < 0 ? req.readTimeout() : POST_HANDSHAKE_READ;
    Deadline shortWait = Deadline.after(wait);
    try {
      InputStream in = protocol.getInputStream();
      byte[] buf = new byte[512];
      while (!shortWait.expired() && !deadline.expired()) {
        if (in.read(buf) < 0) {
          return;
        }
      }
    } catch (org.bouncycastle.tls.TlsFatalAlertReceived rejected) {
      throw rejected; // the server refused us after all: the handshake failed
    } catch (IOException | RuntimeException quiet) {
      // a timeout means the server accepted us
    }
  }

  private void noteNegotiated(Client client) {
    SecurityParameters sp = client.context().getSecurityParametersConnection();
    if (sp == null) {
      return;
    }
    serverVersion = sp.getNegotiatedVersion();
    selectedSuite = sp.getCipherSuite();
    if (sp.getNegotiatedGroup() >= 0) {
      ecdheGroup = sp.getNegotiatedGroup();
    }
    ProtocolName alpn = sp.getApplicationProtocol();
    if (alpn != null) {
      obs.applicationProtocol(alpn.getUtf8Decoding());
    }
  }

  private TlsVersion version() {
    return serverVersion == null ? null : TlsVersion.of(serverVersion.getFullVersion());
  }

  private Observation.Builder finish() {
    if (handshakeStart != 0) {
      obs.handshakeTime(Duration.ofNanos(System.nanoTime() - handshakeStart));
    }
    if (serverVersion != null) {
      obs.version(version());
    }
    if (selectedSuite >= 0) {
      obs.cipherSuite(CipherSuite.of(selectedSuite));
    }
    if (ecdheGroup >= 0) {
      obs.namedGroup(NamedGroup.of(ecdheGroup));
    }
    if (dhParameters != null) {
      obs.dhParameters(dhParameters);
    }
    req.target().sni().ifPresent(obs::sniSent);
    for (Alert a : alerts) {
      obs.addAlert(a);
    }
    if (alertsDropped > 0) {
      trace.event(Direction.LOCAL, "alerts dropped", "count", String.valueOf(alertsDropped),
          "kept", String.valueOf(alerts.size()));
    }
    if (clientCertRequested) {
      obs.clientCertificateRequest(new dev.tlsinspect.probe.ClientCertificateRequest(clientIssuers,
          clientKeyTypes, clientSignatureSchemes, java.util.Optional.ofNullable(clientAlias)));
    }
    return obs;
  }

  private String stage() {
    if (tap == null || tap.bytesSeen() == 0) {
      return "after ClientHello, before any answer";
    }
    if (selectedSuite >= 0 || serverVersion != null) {
      return "after ServerHello";
    }
    return "after ClientHello";
  }

  private String timeoutMessage() {
    long ms = Math.min(req.readTimeout().toMillis(), deadline.budget().toMillis());
    if (tap != null && tap.bytesSeen() > 0) {
      return "the handshake was still incomplete when the time ran out (" + ms + " ms; "
          + tap.bytesSeen() + " bytes received: a slow or stalled peer)";
    }
    return "no TLS answer from the server within " + ms + " ms (0 bytes received)";
  }

  /** Keeps the first alerts and the latest, so that the list stays bounded and the fatal one stays. */
  private void keep(Alert alert) {
    if (alerts.size() >= PeerIntake.MAX_KEPT_ALERTS) {
      alerts.remove(alerts.size() - 1);
      alertsDropped++;
    }
    alerts.add(alert);
  }

  /** More alerts than one handshake ever needs. */
  private static final class AlertFlood extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AlertFlood() {
      super("the server sent more than " + PeerIntake.MAX_ALERTS + " alerts in one handshake (an alert flood)",
          null, false, false);
    }
  }

  private Optional<Alert> lastReceivedFatal() {
    for (int i = alerts.size() - 1; i >= 0; i--) {
      if (alerts.get(i).received() && alerts.get(i).fatal()) {
        return Optional.of(alerts.get(i));
      }
    }
    return Optional.empty();
  }

  private String offeredVersionNames() {
    return offeredVersions().stream().map(TlsVersion::name).toList().toString();
  }

  private List<TlsVersion> offeredVersions() {
    return offer.versions().isEmpty() ? List.of(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2) : offer.versions();
  }

  private ProbeOutcome failed(FailureKind kind, Throwable e, String stage, String message) {
    traceFailure(kind, message);
    byte[] first = tap == null ? new byte[0] : tap.firstBytes();
    return new ProbeOutcome.Failed(new Failure(kind, message, Optional.empty(), Optional.empty(),
        Optional.of(stage), causes(e), first), finish().build());
  }

  /** The last event of a failed probe: what it failed with, as the outcome says. */
  private void traceFailure(FailureKind kind, String message) {
    trace.event(Direction.LOCAL, "failure", "kind", kind.name(), "message", message);
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private static List<String> causes(Throwable e) {
    List<String> out = new ArrayList<>();
    for (Throwable t = e; t != null && out.size() < 8; t = t.getCause()) {
      // Our own exceptions (the wire tap's) are private plumbing: the message says it all.
      out.add((t.getClass().getName().startsWith("dev.tlsinspect.") ? "" : t.getClass().getName() + ": ")
          + t.getMessage());
      if (t.getCause() == t) {
        break;
      }
    }
    return out;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  /** The client: offers exactly the request's offer and records what the server does. */
  private final class Client extends DefaultTlsClient {
    Client(BcTlsCrypto crypto) {
      super(crypto);
    }

    org.bouncycastle.tls.TlsClientContext context() {
      return context;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
      List<TlsVersion> versions = new ArrayList<>(offeredVersions());
      versions.sort(java.util.Comparator.reverseOrder());
      ProtocolVersion[] out = new ProtocolVersion[versions.size()];
      for (int i = 0; i < out.length; i++) {
        TlsVersion v = versions.get(i);
        out[i] = ProtocolVersion.get(v.code() >> 8, v.code() & 0xFF);
      }
      return out;
    }

    @Override
    protected int[] getSupportedCipherSuites() {
      if (offer.cipherSuites().isEmpty()) {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), DEFAULT_SUITES);
      }
      // Raw: suites Bouncy Castle cannot complete still go on the wire.
      return offer.cipherSuites().stream().mapToInt(CipherSuite::code).toArray();
    }

    @Override
    // Bouncy Castle's API takes a raw Vector; the parameter cannot be generic and still override.
    protected Vector<Integer> getSupportedGroups(@SuppressWarnings("rawtypes") Vector namedGroupRoles) {
      Vector<Integer> groups = new Vector<>();
      if (offer.namedGroups().isEmpty()) {
        for (int g : DEFAULT_GROUPS) {
          if (TlsUtils.isSupportedNamedGroup(getCrypto(), g)) {
            groups.add(Integers.valueOf(g));
          }
        }
        if (!offer.cipherSuites().isEmpty()) {
          // An offer of raw suites asks what the server accepts: a server whose only curve is a
          // deprecated one chooses its ECDHE suites only if the client lists that curve.
          for (int g : LEGACY_GROUPS) {
            groups.add(Integers.valueOf(g));
          }
        }
      } else {
        for (NamedGroup g : offer.namedGroups()) {
          groups.add(Integers.valueOf(g.code()));
        }
      }
      return groups;
    }

    @Override
    public Vector<Integer> getEarlyKeyShareGroups() {
      // One key share for the first group we can compute, plus a classical one after a hybrid,
      // as browsers do: servers without ML-KEM then need no HelloRetryRequest.
      Vector<Integer> shares = new Vector<>();
      if (supportedGroups == null) {
        return null;
      }
      for (Object o : supportedGroups) {
        int g = (Integer) o;
        if (!TlsUtils.isSupportedNamedGroup(getCrypto(), g)) {
          continue;
        }
        if (shares.isEmpty()) {
          shares.add(g);
          if (!NamedGroup.of(g).postQuantum()) {
            break;
          }
        } else if (!NamedGroup.of(g).postQuantum()) {
          shares.add(g);
          break;
        }
      }
      return shares.isEmpty() ? null : shares;
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
    protected CertificateStatusRequest getCertificateStatusRequest() {
      return new CertificateStatusRequest(CertificateStatusType.ocsp, new OCSPStatusRequest(null, null));
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
      Hashtable ext = super.getClientExtensions();
      if (offer.serverHelloOnly() || !offer.cipherSuites().isEmpty()) {
        // A server that echoes encrypt_then_mac for a stream or NULL suite makes Bouncy Castle
        // fail before we see its choice; without block ciphers known to be complete, leave it out.
        ext.remove(TlsExtensionsUtils.EXT_encrypt_then_mac);
      }
      return ext;
    }

    @Override
    public int getMaxHandshakeMessageSize() {
      return MAX_HANDSHAKE_MESSAGE;
    }

    @Override
    public void notifyServerVersion(ProtocolVersion version) throws IOException {
      super.notifyServerVersion(version);
      serverVersion = version;
    }

    @Override
    public void notifySelectedCipherSuite(int suite) {
      super.notifySelectedCipherSuite(suite);
      selectedSuite = suite;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
      SecurityParameters sp = context.getSecurityParametersHandshake();
      if (sp != null && sp.getNegotiatedGroup() >= 0) {
        ecdheGroup = sp.getNegotiatedGroup(); // TLS 1.3: from the key share, HelloRetryRequest included
      }
      if (offer.serverHelloOnly() && keyExchangeProbe()) {
        abortAfterKeyExchange = true;
      } else if (offer.serverHelloOnly()) {
        aborted = true;
        throw new TlsFatalAlert(AlertDescription.user_canceled, "probe done after the ServerHello");
      }
      if (selectedSuite >= 0 && !TlsUtils.isSupportedCipherSuite(getCrypto(), selectedSuite)) {
        aborted = true;
        unsupportedSuite = CipherSuite.of(selectedSuite).name();
        throw new TlsFatalAlert(AlertDescription.user_canceled, "the bc provider cannot complete "
            + unsupportedSuite);
      }
      super.processServerExtensions(serverExtensions);
    }

    /** TLS 1.2 or older, groups named in the offer, and an (EC)DHE suite Bouncy Castle can run. */
    private boolean keyExchangeProbe() {
      if (offer.namedGroups().isEmpty() || serverVersion == null || TlsUtils.isTLSv13(serverVersion)
          || selectedSuite < 0 || !TlsUtils.isSupportedCipherSuite(getCrypto(), selectedSuite)) {
        return false;
      }
      int kx = TlsUtils.getKeyExchangeAlgorithm(selectedSuite);
      return kx == KeyExchangeAlgorithm.ECDHE_RSA || kx == KeyExchangeAlgorithm.ECDHE_ECDSA
          || kx == KeyExchangeAlgorithm.DHE_RSA || kx == KeyExchangeAlgorithm.DHE_DSS
          || kx == KeyExchangeAlgorithm.DH_anon;
    }

    @Override
    public TlsDHGroupVerifier getDHGroupVerifier() {
      // Record every group; judging it is for the checks (weak and odd groups are the point).
      return group -> {
        dhParameters = new DhParameters(group.getP(), group.getG());
        return group.getP().bitLength() <= 16384;
      };
    }

    @Override
    public void notifySecureRenegotiation(boolean secure) {
      // Recorded, never fatal: a diagnostic client must see servers without RFC 5746 too.
    }

    @Override
    public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
      keep(Alert.of(false, level == AlertLevel.fatal, description));
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
      keep(Alert.of(true, level == AlertLevel.fatal, description));
      // One record may hold thousands of alerts, and Bouncy Castle reads on after warnings once
      // the handshake is done: stop at a storm rather than keep millions of them.
      if (++alertsReceived > PeerIntake.MAX_ALERTS) {
        throw new AlertFlood();
      }
    }

    @Override
    public TlsKeyExchangeFactory getKeyExchangeFactory() {
      return new DefaultTlsKeyExchangeFactory() {
        @Override
        public TlsKeyExchange createECDHEKeyExchangeClient(int keyExchange) {
          return new TlsECDHEKeyExchange(keyExchange) {
            @Override
            public void processServerKeyExchange(InputStream input) throws IOException {
              int named = peekNamedCurve(input);
              try {
                super.processServerKeyExchange(input);
              } catch (IOException | RuntimeException e) {
                // A curve Bouncy Castle will not compute with is still the server's answer.
                if (!abortAfterKeyExchange || named < 0) {
                  throw e;
                }
                ecdheGroup = named;
              } finally {
                if (ecConfig != null) {
                  ecdheGroup = ecConfig.getNamedGroup(); // TLS 1.2 does not report it otherwise
                }
              }
              stopAfterKeyExchange();
            }
          };
        }

        @Override
        public TlsKeyExchange createDHanonKeyExchangeClient(int keyExchange, TlsDHGroupVerifier verifier) {
          return new TlsDHanonKeyExchange(keyExchange, verifier) {
            @Override
            public void processServerKeyExchange(InputStream input) throws IOException {
              try {
                super.processServerKeyExchange(input);
              } finally {
                if (dhConfig != null) {
                  DHGroup g = TlsDHUtils.getDHGroup(dhConfig);
                  if (g != null) {
                    dhParameters = new DhParameters(g.getP(), g.getG());
                  }
                }
              }
              stopAfterKeyExchange();
            }
          };
        }

        @Override
        public TlsKeyExchange createDHEKeyExchangeClient(int keyExchange, TlsDHGroupVerifier verifier) {
          return new TlsDHEKeyExchange(keyExchange, verifier) {
            @Override
            public void processServerKeyExchange(InputStream input) throws IOException {
              try {
                super.processServerKeyExchange(input);
              } finally {
                if (dhConfig != null) {
                  DHGroup g = TlsDHUtils.getDHGroup(dhConfig);
                  if (g != null) {
                    dhParameters = new DhParameters(g.getP(), g.getG());
                  }
                  if (dhConfig.getNamedGroup() >= 0) {
                    ecdheGroup = dhConfig.getNamedGroup();
                  }
                }
              }
              stopAfterKeyExchange();
            }
          };
        }
      };
    }

    /** The named curve a ServerKeyExchange starts with (curve_type 3), without consuming it. */
    private int peekNamedCurve(InputStream input) throws IOException {
      if (!input.markSupported()) {
        return -1;
      }
      input.mark(3);
      try {
        int type = input.read();
        int hi = input.read();
        int lo = input.read();
        return type == 3 && hi >= 0 && lo >= 0 ? (hi << 8) | lo : -1;
      } finally {
        input.reset();
      }
    }

    private void stopAfterKeyExchange() throws IOException {
      if (abortAfterKeyExchange) {
        aborted = true;
        throw new TlsFatalAlert(AlertDescription.user_canceled, "probe done after the ServerKeyExchange");
      }
    }

    @Override
    public TlsAuthentication getAuthentication() {
      return new TlsAuthentication() {
        @Override
        public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
          Certificate chain = serverCertificate.getCertificate();
          obs.peerChain(x509(chain));
          CertificateStatus status = serverCertificate.getCertificateStatus();
          if (status != null && status.getStatusType() == CertificateStatusType.ocsp) {
            obs.addStapledOcsp(status.getOCSPResponse().getEncoded());
          } else if (chain.getLength() > 0 && chain.getCertificateEntryAt(0).getExtensions() != null) {
            byte[] data = (byte[]) chain.getCertificateEntryAt(0).getExtensions()
                .get(Integers.valueOf(ExtensionType.status_request));
            if (data != null) {
              CertificateStatus s = CertificateStatus.parse(context, new ByteArrayInputStream(data));
              if (s.getStatusType() == CertificateStatusType.ocsp) {
                obs.addStapledOcsp(s.getOCSPResponse().getEncoded());
              }
            }
          }
          // Nothing is validated here: the checks judge the chain.
        }

        @Override
        public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
          clientCertRequested = true;
          List<String> issuers = new ArrayList<>();
          Vector<?> cas = request.getCertificateAuthorities();
          if (cas != null) {
            for (int i = 0; i < cas.size() && i < 256; i++) {
              issuers.add(new javax.security.auth.x500.X500Principal(encoded((X500Name) cas.get(i))).getName());
            }
          }
          clientIssuers = issuers;
          List<String> types = new ArrayList<>();
          short[] certificateTypes = request.getCertificateTypes();
          if (certificateTypes != null) {
            for (int i = 0; i < certificateTypes.length && i < 64; i++) {
              types.add(org.bouncycastle.tls.ClientCertificateType.getName(certificateTypes[i]));
            }
          }
          clientKeyTypes = types;
          List<SignatureAndHashAlgorithm> algorithms = new ArrayList<>();
          Vector<?> sigAlgs = request.getSupportedSignatureAlgorithms();
          if (sigAlgs != null) {
            for (int i = 0; i < sigAlgs.size() && i < 64; i++) {
              algorithms.add((SignatureAndHashAlgorithm) sigAlgs.get(i));
            }
          }
          clientSignatureSchemes = algorithms.stream()
              .map(a -> org.bouncycastle.tls.SignatureScheme.getName(org.bouncycastle.tls.SignatureScheme.from(a)))
              .toList();
          return req.clientCredentials().isEmpty() ? null
              : ClientKeys.credentials(req.clientCredentials().get(), request, algorithms, issuers,
                  context, (BcTlsCrypto) getCrypto(), alias -> clientAlias = alias);
        }
      };
    }
  }

  private static byte[] encoded(X500Name name) {
    try {
      return name.getEncoded();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<X509Certificate> x509(Certificate chain) throws IOException {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      for (int i = 0; i < chain.getLength(); i++) {
        TlsCertificate c = chain.getCertificateAt(i);
        out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(c.getEncoded())));
      }
    } catch (CertificateException e) {
      throw new TlsFatalAlert(AlertDescription.bad_certificate, "unparseable certificate: " + e.getMessage(), e);
    }
    return out;
  }
}
