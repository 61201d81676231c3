package dev.tlsinspect.probe;

import dev.tlsinspect.ProxySpec;
import dev.tlsinspect.Starttls;
import dev.tlsinspect.Target;
import dev.tlsinspect.probe.ConnectFailures;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Everything between "open a TCP connection" and "send the ClientHello", shared by every provider:
 *
 *   TCP connect (to the proxy when there is one)
 *   -> proxy tunnel: HTTP CONNECT or SOCKS5, naming the target by host name so the proxy resolves it
 *   -> STARTTLS: the protocol's plaintext opening until the server agrees to start TLS
 *
 * Reads go byte by byte from the socket's own stream: nothing may be read past the last plaintext
 * reply, because the next bytes belong to the TLS layer of whichever provider takes over. Every
 * read is bounded by the deadline and the read timeout, and every reply by MAX_REPLY bytes.
 */
/**
 * Opens the connection a probe does its handshake on: the TCP connect, the tunnel through the
 * target's {@linkplain Target#proxy() proxy}, and the target's {@linkplain Target#starttls()
 * STARTTLS} exchange. Providers call {@link #open(ProbeRequest)} instead of connecting a socket
 * themselves, so that every provider reaches the server the same way.
 *
 * @since 0.1.0
 */
public final class Connector {
  private static final Logger LOG = LoggerFactory.getLogger(Connector.class);
  /** The most bytes one plaintext reply (a proxy's header, an EHLO reply, a packet) may take. */
  static final int MAX_REPLY = 64 * 1024;
  private static final int MAX_QUOTE = 300;
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  // Matched against one tag at a time, never the whole text, so a long stream stays linear.
  private static final Pattern XMPP_FEATURES_END =
      Pattern.compile("</([\\w.-]+:)?features\\s*>|<([\\w.-]+:)?features(\\s[^>]*)?/>");
  private static final Pattern XMPP_STREAM_ERROR = Pattern.compile("</([\\w.-]+:)?(error|stream)\\s*>");
  private static final Pattern XMPP_TLS_ANSWER = Pattern.compile("<(proceed|failure)(\\s[^>]*)?>");
  private static final String XMPP_TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";

  private Connector() {}

  /**
   * Connects to the request's address and, as the target asks, tunnels through its proxy and
   * upgrades with STARTTLS. The socket returned is ready for the ClientHello; the caller closes
   * it.
   *
   * @param request the probe request; its {@link ProbeRequest#address() address} is the first hop
   *     (the proxy when the target has one)
   * @return the connected socket
   * @throws Failed when any step fails, with the failure kind, stage and what the peer said
   * @since 0.1.0
   */
  public static Socket open(ProbeRequest request) throws Failed {
    Target target = request.target();
    Socket socket = new Socket();
    String connectStage = target.proxy().isPresent() ? "TCP connect to the proxy" : "TCP connect";
    try {
      socket.setTcpNoDelay(true);
      socket.connect(request.address(), request.deadline().timeoutMillis(request.connectTimeout()));
    } catch (IOException e) {
      closeQuietly(socket);
      throw new Failed(ConnectFailures.classify(e), connectStage, message(e), "", e);
    }
    Wire wire = null;
    try {
      wire = new Wire(socket, request);
      if (target.proxy().isPresent()) {
        ProxySpec proxy = target.proxy().get();
        wire.stage = "during the " + (proxy.type() == ProxySpec.Type.HTTP ? "HTTP CONNECT" : "SOCKS5")
            + " exchange with the proxy";
        wire.peer = "the proxy";
        if (proxy.type() == ProxySpec.Type.HTTP) {
          httpConnect(wire, proxy, target);
        } else {
          socks5(wire, proxy, target);
        }
        LOG.debug("tunnel to {} through {} open", target, proxy);
      }
      if (target.starttls().isPresent()) {
        Starttls protocol = target.starttls().get();
        wire.stage = "during the " + label(protocol) + " STARTTLS exchange";
        wire.peer = "the " + label(protocol) + " server";
        starttls(wire, protocol, target);
        LOG.debug("{} STARTTLS with {} accepted", protocol, target);
      }
      return socket;
    } catch (Failed e) {
      closeQuietly(socket);
      throw e;
    } catch (IOException | RuntimeException e) {
      closeQuietly(socket);
      throw classify(e, wire);
    }
  }

  /**
   * Why {@link Connector#open(ProbeRequest)} failed, as the parts of a {@link Failure}.
   *
   * @since 0.1.0
   */
  public static final class Failed extends IOException {
    private static final long serialVersionUID = 1L;
    private final FailureKind kind;
    private final String stage;
    private final String reply;

    Failed(FailureKind kind, String stage, String message, String reply, Throwable cause) {
      super(message, cause);
      this.kind = kind;
      this.stage = stage;
      this.reply = reply;
    }

    /**
     * The classification.
     *
     * @return the kind, for example {@link FailureKind#PROXY_FAILED}
     * @since 0.1.0
     */
    public FailureKind kind() {
      return kind;
    }

    /**
     * Where it failed, for example {@code during the SMTP STARTTLS exchange}.
     *
     * @return the stage
     * @since 0.1.0
     */
    public String stage() {
      return stage;
    }

    /**
     * The peer's last answer in printable text (lines joined with {@code " | "}, at most 300
     * characters), or empty when it said nothing.
     *
     * @return what the proxy or server said
     * @since 0.1.0
     */
    public String reply() {
      return reply;
    }

    /**
     * This failure as probe data: kind, message, stage, the error chain, and the reply as the
     * first bytes.
     *
     * @return the failure
     * @since 0.1.0
     */
    public Failure toFailure() {
      List<String> causes = new ArrayList<>();
      for (Throwable t = getCause(); t != null && causes.size() < 8; t = t.getCause()) {
        causes.add(t.getClass().getName() + ": " + t.getMessage());
        if (t.getCause() == t) {
          break;
        }
      }
      byte[] said = reply.getBytes(StandardCharsets.UTF_8);
      return new Failure(kind, getMessage(), Optional.empty(), Optional.empty(), Optional.of(stage),
          causes, Arrays.copyOf(said, Math.min(64, said.length)));
    }
  }

  // ---------------------------------------------------------------- proxies

  private static void httpConnect(Wire wire, ProxySpec proxy, Target target) throws IOException {
    String authority = authority(destination(target), target.port());
    StringBuilder request = new StringBuilder()
        .append("CONNECT ").append(authority).append(" HTTP/1.1\r\n")
        .append("Host: ").append(authority).append("\r\n")
        .append("User-Agent: tls-inspect\r\n");
    if (proxy.credentials().isPresent()) {
      ProxySpec.Credentials c = proxy.credentials().get();
      String token = Base64.getEncoder().encodeToString(
          (c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
      request.append("Proxy-Authorization: Basic ").append(token).append("\r\n");
    }
    request.append("\r\n");
    wire.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
    wire.begin("its answer to CONNECT");
    String status = wire.readLine();
    String authenticate = null;
    while (true) {
      String header = wire.readLine();
      if (header.isEmpty()) {
        break;
      }
      if (header.regionMatches(true, 0, "Proxy-Authenticate:", 0, 19)) {
        authenticate = header.substring(19).trim();
      }
    }
    if (!status.matches("HTTP/\\d(\\.\\d)? \\d{3}( .*)?")) {
      throw wire.failed(FailureKind.PROXY_FAILED, "the proxy did not answer CONNECT in HTTP: "
          + quote(status), quote(status));
    }
    String rest = status.substring(status.indexOf(' ') + 1);
    int code = Integer.parseInt(rest.substring(0, 3));
    if (code < 200 || code > 299) {
      String detail = rest + (code == 407 && authenticate != null
          ? " (Proxy-Authenticate: " + quote(authenticate) + ")" : "");
      throw wire.failed(FailureKind.PROXY_FAILED, "the proxy answered CONNECT " + authority + " with "
          + quote(detail), quote(detail));
    }
  }

  private static void socks5(Wire wire, ProxySpec proxy, Target target) throws IOException {
    boolean auth = proxy.credentials().isPresent();
    wire.write(auth ? new byte[] {5, 2, 0, 2} : new byte[] {5, 1, 0});
    wire.begin("its answer to the SOCKS5 greeting");
    int version = wire.readByte();
    int method = wire.readByte();
    if (version != 5) {
      throw wire.failed(FailureKind.PROXY_FAILED, String.format(
          "the proxy is not a SOCKS5 proxy: it answered the greeting with version 0x%02x", version),
          String.format("0x%02x 0x%02x", version, method));
    }
    if (method == 0xFF) {
      String what = "SOCKS5: the proxy accepts none of the offered authentication methods ("
          + (auth ? "none, username/password" : "none; it probably needs a user name and password") + ")";
      throw wire.failed(FailureKind.PROXY_FAILED, what, "SOCKS5 method 0xff (no acceptable methods)");
    }
    if (method == 2 && auth) {
      ProxySpec.Credentials c = proxy.credentials().get();
      byte[] user = c.username().getBytes(StandardCharsets.UTF_8);
      byte[] pass = c.password().getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(1);
      out.write(user.length);
      out.writeBytes(user);
      out.write(pass.length);
      out.writeBytes(pass);
      wire.write(out.toByteArray());
      wire.begin("its answer to the SOCKS5 username/password");
      wire.readByte();
      int status = wire.readByte();
      if (status != 0) {
        throw wire.failed(FailureKind.PROXY_FAILED, String.format(
            "SOCKS5 username/password authentication failed (status 0x%02x)", status),
            String.format("SOCKS5 auth status 0x%02x", status));
      }
    } else if (method != 0) {
      throw wire.failed(FailureKind.PROXY_FAILED, String.format(
          "the SOCKS5 proxy chose authentication method 0x%02x, which was not offered", method),
          String.format("SOCKS5 method 0x%02x", method));
    }
    String dest = destination(target);
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    req.writeBytes(new byte[] {5, 1, 0});
    if (dest.indexOf(':') >= 0 || IPV4.matcher(dest).matches()) {
      byte[] ip = InetAddress.getByName(dest).getAddress(); // a literal: no lookup
      req.write(ip.length == 4 ? 1 : 4);
      req.writeBytes(ip);
    } else {
      byte[] name = dest.getBytes(StandardCharsets.US_ASCII);
      req.write(3);
      req.write(name.length);
      req.writeBytes(name);
    }
    req.write(target.port() >> 8);
    req.write(target.port() & 0xFF);
    wire.write(req.toByteArray());
    wire.begin("its answer to the SOCKS5 CONNECT");
    wire.readByte();
    int reply = wire.readByte();
    wire.readByte();
    int type = wire.readByte();
    if (reply != 0) {
      String text = String.format("SOCKS5 reply 0x%02x %s", reply, socksReply(reply));
      throw wire.failed(FailureKind.PROXY_FAILED, "the proxy could not connect to "
          + authority(dest, target.port()) + ": " + text, text);
    }
    int skip = switch (type) {
      case 1 -> 4;
      case 4 -> 16;
      case 3 -> wire.readByte();
      default -> throw wire.failed(FailureKind.PROXY_FAILED, String.format(
          "the SOCKS5 proxy answered with an unknown address type 0x%02x", type),
          String.format("SOCKS5 address type 0x%02x", type));
    };
    wire.readExactly(skip + 2);
  }

  private static String socksReply(int code) {
    return switch (code) {
      case 1 -> "general SOCKS server failure";
      case 2 -> "connection not allowed by ruleset";
      case 3 -> "network unreachable";
      case 4 -> "host unreachable";
      case 5 -> "connection refused";
      case 6 -> "TTL expired";
      case 7 -> "command not supported";
      case 8 -> "address type not supported";
      default -> "unassigned";
    };
  }

  // ---------------------------------------------------------------- STARTTLS

  private static void starttls(Wire wire, Starttls protocol, Target target) throws IOException {
    switch (protocol) {
      case SMTP -> smtp(wire);
      case IMAP -> imap(wire);
      case POP3 -> pop3(wire);
      case FTP -> ftp(wire);
      case LDAP -> ldap(wire);
      case POSTGRES -> postgres(wire);
      case MYSQL -> mysql(wire);
      case XMPP -> xmpp(wire, target);
    }
  }

  private static void smtp(Wire wire) throws IOException {
    wire.begin("its greeting");
    List<String> banner = codedReply(wire, "SMTP");
    if (!banner.get(0).startsWith("220")) {
      throw unavailable(wire, "the SMTP server's greeting is not 220 (ready)", banner);
    }
    wire.write(("EHLO " + ehloName(wire.socket) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    wire.begin("its answer to EHLO");
    List<String> ehlo = codedReply(wire, "SMTP");
    if (!ehlo.get(0).startsWith("250")) {
      throw unavailable(wire, "the SMTP server refused EHLO, so it cannot offer STARTTLS", ehlo);
    }
    boolean offered = ehlo.stream().skip(1)
        .anyMatch(l -> l.length() >= 4 && l.substring(4).trim().toUpperCase(Locale.ROOT).split(" ")[0].equals("STARTTLS"));
    if (!offered) {
      throw unavailable(wire, "the SMTP server does not offer STARTTLS in its EHLO reply", ehlo);
    }
    wire.write("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
    wire.begin("its answer to STARTTLS");
    List<String> answer = codedReply(wire, "SMTP");
    if (!answer.get(0).startsWith("220")) {
      throw unavailable(wire, "the SMTP server refused STARTTLS", answer);
    }
  }

  private static void ftp(Wire wire) throws IOException {
    wire.begin("its greeting");
    List<String> banner = codedReply(wire, "FTP");
    if (!banner.get(0).startsWith("220")) {
      throw unavailable(wire, "the FTP server's greeting is not 220 (ready)", banner);
    }
    wire.write("AUTH TLS\r\n".getBytes(StandardCharsets.US_ASCII));
    wire.begin("its answer to AUTH TLS");
    List<String> answer = codedReply(wire, "FTP");
    if (!answer.get(0).startsWith("234")) {
      throw unavailable(wire, "the FTP server refused AUTH TLS", answer);
    }
  }

  /** An SMTP or FTP reply: lines "NNN-text" until "NNN text". */
  private static List<String> codedReply(Wire wire, String name) throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line = wire.readLine();
      lines.add(line);
      if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
        throw unavailable(wire, "the server does not speak " + name, lines);
      }
      if (line.length() == 3 || line.charAt(3) != '-') {
        return lines;
      }
    }
  }

  private static void imap(Wire wire) throws IOException {
    wire.begin("its greeting");
    String greeting = wire.readLine();
    if (!greeting.startsWith("* OK") && !greeting.startsWith("* PREAUTH")) {
      throw unavailable(wire, "the IMAP server's greeting is not * OK", List.of(greeting));
    }
    wire.write("a1 CAPABILITY\r\n".getBytes(StandardCharsets.US_ASCII));
    wire.begin("its answer to CAPABILITY");
    List<String> caps = taggedReply(wire, "a1");
    boolean offered = caps.stream().anyMatch(l -> l.toUpperCase(Locale.ROOT).startsWith("* CAPABILITY")
        && Arrays.asList(l.toUpperCase(Locale.ROOT).split(" ")).contains("STARTTLS"));
    if (!offered) {
      throw unavailable(wire, "the IMAP server does not list STARTTLS in its CAPABILITY", caps);
    }
    wire.write("a2 STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
    wire.begin("its answer to STARTTLS");
    List<String> answer = taggedReply(wire, "a2");
    if (!answer.get(answer.size() - 1).toUpperCase(Locale.ROOT).startsWith("A2 OK")) {
      throw unavailable(wire, "the IMAP server refused STARTTLS", answer);
    }
  }

  private static List<String> taggedReply(Wire wire, String tag) throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line = wire.readLine();
      lines.add(line);
      if (line.regionMatches(true, 0, tag + " ", 0, tag.length() + 1)) {
        return lines;
      }
    }
  }

  private static void pop3(Wire wire) throws IOException {
    wire.begin("its greeting");
    String greeting = wire.readLine();
    if (!greeting.startsWith("+OK")) {
      throw unavailable(wire, "the POP3 server's greeting is not +OK", List.of(greeting));
    }
    wire.write("CAPA\r\n".getBytes(StandardCharsets.US_ASCII));
    wire.begin("its answer to CAPA");
    List<String> caps = new ArrayList<>();
    String first = wire.readLine();
    caps.add(first);
    if (first.startsWith("+OK")) {
      while (true) {
        String line = wire.readLine();
        if (line.equals(".")) {
          break;
        }
        caps.add(line);
      }
      boolean offered = caps.stream().skip(1).anyMatch(l -> l.trim().equalsIgnoreCase("STLS"));
      if (!offered) {
        throw unavailable(wire, "the POP3 server does not list STLS in its CAPA answer", caps);
      }
    }
    // A server without CAPA (-ERR) may still know STLS: its answer decides.
    wire.write("STLS\r\n".getBytes(StandardCharsets.US_ASCII));
    wire.begin("its answer to STLS");
    String answer = wire.readLine();
    if (!answer.startsWith("+OK")) {
      throw unavailable(wire, "the POP3 server refused STLS", List.of(answer));
    }
  }

  /*
   * LDAPMessage { messageID 1, extendedReq [APPLICATION 23] { requestName [0] "1.3.6.1.4.1.1466.20037" } }
   * (RFC 4511 section 4.14.1), DER by hand: it is 31 fixed bytes.
   */
  private static final byte[] LDAP_STARTTLS;

  static {
    byte[] oid = "1.3.6.1.4.1.1466.20037".getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream op = new ByteArrayOutputStream();
    op.write(0x80);
    op.write(oid.length);
    op.writeBytes(oid);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x01, 0x77, (byte) op.size()});
    body.writeBytes(op.toByteArray());
    ByteArrayOutputStream msg = new ByteArrayOutputStream();
    msg.write(0x30);
    msg.write(body.size());
    msg.writeBytes(body.toByteArray());
    LDAP_STARTTLS = msg.toByteArray();
  }

  private static void ldap(Wire wire) throws IOException {
    wire.write(LDAP_STARTTLS);
    wire.begin("its ExtendedResponse");
    int tag = wire.readByte();
    if (tag != 0x30) {
      throw unavailable(wire, String.format("the server does not answer in LDAP (first byte 0x%02x)", tag),
          List.of());
    }
    int length = wire.readByte();
    if (length >= 0x80) {
      int n = length & 0x7F;
      if (n == 0 || n > 3) {
        throw unavailable(wire, "the LDAP answer has an unsupported length form", List.of());
      }
      length = 0;
      for (int i = 0; i < n; i++) {
        length = (length << 8) | wire.readByte();
      }
    }
    if (length > MAX_REPLY) {
      throw unavailable(wire, "the LDAP answer announces " + length + " bytes, more than "
          + MAX_REPLY, List.of());
    }
    Ber ber = new Ber(wire.readExactly(length));
    ber.expect(0x02, "messageID");
    int op = ber.tag();
    byte[] response = ber.value("protocolOp");
    if (op != 0x78) {
      throw unavailable(wire, String.format("the LDAP server answered StartTLS with operation 0x%02x, "
          + "not an ExtendedResponse", op), List.of());
    }
    Ber ext = new Ber(response);
    byte[] code = ext.expect(0x0A, "resultCode");
    int resultCode = 0;
    for (byte b : code) {
      resultCode = (resultCode << 8) | (b & 0xFF);
    }
    ext.expect(0x04, "matchedDN");
    String diagnostic = new String(ext.expect(0x04, "diagnosticMessage"), StandardCharsets.UTF_8);
    if (resultCode != 0) {
      String said = "resultCode " + resultCode + " (" + ldapResult(resultCode) + ")"
          + (diagnostic.isBlank() ? "" : ": " + diagnostic);
      throw unavailable(wire, "the LDAP server refused StartTLS", List.of(said));
    }
  }

  private static String ldapResult(int code) {
    return switch (code) {
      case 1 -> "operationsError";
      case 2 -> "protocolError";
      case 12 -> "unavailableCriticalExtension";
      case 51 -> "busy";
      case 52 -> "unavailable";
      case 53 -> "unwillingToPerform";
      case 80 -> "other";
      default -> "error";
    };
  }

  /** A bounded reader of definite-length BER TLVs. */
  private static final class Ber {
    private final byte[] data;
    private int pos;
    private int lastTag = -1;

    Ber(byte[] data) {
      this.data = data;
    }

    int tag() throws IOException {
      if (pos >= data.length) {
        throw new LdapMalformed("the LDAP answer ends early");
      }
      lastTag = data[pos] & 0xFF;
      return lastTag;
    }

    byte[] value(String what) throws IOException {
      if (lastTag < 0) {
        tag();
      }
      lastTag = -1;
      pos++;
      if (pos >= data.length) {
        throw new LdapMalformed("the LDAP answer ends in " + what);
      }
      int len = data[pos++] & 0xFF;
      if (len >= 0x80) {
        int n = len & 0x7F;
        if (n == 0 || n > 3 || pos + n > data.length) {
          throw new LdapMalformed("bad length of " + what + " in the LDAP answer");
        }
        len = 0;
        for (int i = 0; i < n; i++) {
          len = (len << 8) | (data[pos++] & 0xFF);
        }
      }
      if (len > data.length - pos) {
        throw new LdapMalformed(what + " overruns the LDAP answer");
      }
      byte[] out = Arrays.copyOfRange(data, pos, pos + len);
      pos += len;
      return out;
    }

    byte[] expect(int tag, String what) throws IOException {
      if (tag() != tag) {
        throw new LdapMalformed(String.format("expected %s (tag 0x%02x) in the LDAP answer, got 0x%02x",
            what, tag, lastTag));
      }
      return value(what);
    }
  }

  private static final class LdapMalformed extends IOException {
    private static final long serialVersionUID = 1L;

    LdapMalformed(String message) {
      super(message);
    }
  }

  private static void postgres(Wire wire) throws IOException {
    // SSLRequest: length 8, code 80877103 (1234 << 16 | 5679).
    wire.write(new byte[] {0, 0, 0, 8, 0x04, (byte) 0xD2, 0x16, 0x2F});
    wire.begin("its answer to SSLRequest");
    int answer = wire.readByte();
    if (answer == 'S') {
      return;
    }
    String said = answer == 'N' ? "N (TLS not available: ssl = off)"
        : answer == 'E' ? "E (an error message: a server too old for SSLRequest)"
        : String.format("0x%02x", answer);
    throw unavailable(wire, "the PostgreSQL server does not accept TLS", List.of(said));
  }

  private static void mysql(Wire wire) throws IOException {
    wire.begin("its handshake packet");
    byte[] header = wire.readExactly(4);
    int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
    int sequence = header[3] & 0xFF;
    if (length > MAX_REPLY || length == 0) {
      throw unavailable(wire, "the server does not speak the MySQL protocol (first packet of "
          + length + " bytes)", List.of());
    }
    byte[] p = wire.readExactly(length);
    if ((p[0] & 0xFF) == 0xFF) {
      int code = p.length >= 3 ? (p[1] & 0xFF) | (p[2] & 0xFF) << 8 : 0;
      String text = p.length > 3 ? printable(Arrays.copyOfRange(p, 3, p.length)) : "";
      throw unavailable(wire, "the MySQL server refused the connection before TLS",
          List.of("error " + code + " " + text));
    }
    if (p[0] != 10) {
      throw unavailable(wire, "the MySQL server speaks protocol version " + (p[0] & 0xFF)
          + ", not 10", List.of());
    }
    int end = 1;
    while (end < p.length && p[end] != 0) {
      end++;
    }
    String version = new String(p, 1, end - 1, StandardCharsets.ISO_8859_1);
    int caps = end + 1 + 4 + 8 + 1;
    if (caps + 2 > p.length) {
      throw unavailable(wire, "the MySQL handshake packet is truncated", List.of("server " + version));
    }
    int capabilities = (p[caps] & 0xFF) | (p[caps + 1] & 0xFF) << 8;
    int clientSsl = 0x0800;
    if ((capabilities & clientSsl) == 0) {
      throw unavailable(wire, "the MySQL server does not offer TLS (CLIENT_SSL is not in its "
          + "capability flags)", List.of("server " + version));
    }
    // SSLRequest: the first 32 bytes of a HandshakeResponse41, then TLS.
    int flags = 0x1 | 0x200 | clientSsl | 0x2000 | 0x8000 | 0x80000;
    byte[] out = new byte[4 + 32];
    out[0] = 32;
    out[3] = (byte) (sequence + 1);
    putLe(out, 4, flags);
    putLe(out, 8, 1 << 24);
    out[12] = 33; // utf8_general_ci
    wire.write(out);
  }

  private static void putLe(byte[] b, int at, int v) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }

  private static void xmpp(Wire wire, Target target) throws IOException {
    String open = "<?xml version='1.0'?><stream:stream to='" + target.host() + "' version='1.0' "
        + "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
    wire.write(open.getBytes(StandardCharsets.UTF_8));
    wire.begin("its stream features");
    String features = wire.readUntil(XMPP_FEATURES_END, XMPP_STREAM_ERROR);
    if (!wire.lastTagMatched) {
      throw unavailable(wire, "the XMPP server closed the stream before its features", List.of(features));
    }
    int start = features.indexOf("features");
    String list = start < 0 ? features : features.substring(Math.max(0, features.lastIndexOf('<', start)));
    if (!(list.contains("<starttls") && list.contains(XMPP_TLS_NS))) {
      throw unavailable(wire, "the XMPP server does not offer starttls in its stream features", List.of(list));
    }
    wire.write(("<starttls xmlns='" + XMPP_TLS_NS + "'/>").getBytes(StandardCharsets.UTF_8));
    wire.begin("its answer to starttls");
    String answer = wire.readUntil(XMPP_TLS_ANSWER, XMPP_STREAM_ERROR);
    if (!answer.trim().startsWith("<proceed")) {
      throw unavailable(wire, "the XMPP server refused starttls", List.of(answer));
    }
  }

  // ---------------------------------------------------------------- helpers

  private static Failed unavailable(Wire wire, String what, List<String> said) {
    String text = quote(String.join(" | ", said));
    return wire.failed(FailureKind.STARTTLS_UNAVAILABLE, text.isEmpty() ? what : what + ": " + text, text);
  }

  private static Failed classify(Exception e, Wire wire) {
    String stage = wire == null ? "after the TCP connect" : wire.stage;
    String peer = wire == null ? "the server" : wire.peer;
    String waiting = wire == null ? "" : " (waiting for " + wire.waitingFor + ")";
    if (e instanceof SocketTimeoutException || e instanceof DeadlineReached) {
      long ms = wire == null ? 0 : Math.min(wire.readTimeoutMillis, wire.budgetMillis);
      return new Failed(FailureKind.HANDSHAKE_TIMEOUT, stage, "no answer from " + peer + " within "
          + ms + " ms " + stage + waiting, "", e);
    }
    if (e instanceof EOFException) {
      return new Failed(FailureKind.CONNECTION_RESET, stage, peer + " closed the connection " + stage
          + waiting, "", e);
    }
    if (e instanceof LdapMalformed) {
      return new Failed(FailureKind.STARTTLS_UNAVAILABLE, stage, "the LDAP server's answer to StartTLS "
          + "is malformed: " + e.getMessage(), "", e);
    }
    String lower = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (e instanceof SocketException && (lower.contains("reset") || lower.contains("broken pipe")
        || lower.contains("abort"))) {
      return new Failed(FailureKind.CONNECTION_RESET, stage, "the connection was reset " + stage
          + " (" + e.getMessage() + ")", "", e);
    }
    return new Failed(FailureKind.OTHER, stage, message(e), "", e);
  }

  /** The target's name as the proxy should resolve it: the connect address when set, else the host. */
  private static String destination(Target target) {
    return target.address().orElse(target.host());
  }

  private static String authority(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** RFC 5321 allows an address literal for a client without a meaningful name. */
  private static String ehloName(Socket socket) {
    InetAddress local = socket.getLocalAddress();
    if (local == null || local.isAnyLocalAddress()) {
      return "[127.0.0.1]";
    }
    String ip = local.getHostAddress();
    int scope = ip.indexOf('%');
    if (scope >= 0) {
      ip = ip.substring(0, scope);
    }
    return ip.indexOf(':') >= 0 ? "[IPv6:" + ip + "]" : "[" + ip + "]";
  }

  private static String label(Starttls protocol) {
    return switch (protocol) {
      case POSTGRES -> "PostgreSQL";
      case MYSQL -> "MySQL";
      default -> protocol.name();
    };
  }

  static String quote(String s) {
    String t = s.replaceAll("[\\r\\n]+", " ").strip();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < t.length() && sb.length() < MAX_QUOTE; i++) {
      char c = t.charAt(i);
      sb.append(c >= 0x20 && c != 0x7F ? c : '.');
    }
    return t.length() > MAX_QUOTE ? sb + "..." : sb.toString();
  }

  private static String printable(byte[] bytes) {
    return quote(new String(bytes, StandardCharsets.ISO_8859_1));
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  /** The overall deadline passed between reads. */
  private static final class DeadlineReached extends IOException {
    private static final long serialVersionUID = 1L;

    DeadlineReached() {
      super("deadline reached");
    }
  }

  /** The plaintext side of the connection: bounded, deadline-aware reads; plain writes. */
  private static final class Wire {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    final Deadline deadline;
    final ProbeRequest request;
    final long readTimeoutMillis;
    final long budgetMillis;
    String stage = "after the TCP connect";
    String peer = "the server";
    String waitingFor = "its first bytes";
    int replyBytes;
    boolean lastTagMatched;

    Wire(Socket socket, ProbeRequest request) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
      this.deadline = request.deadline();
      this.request = request;
      this.readTimeoutMillis = request.readTimeout().toMillis();
      this.budgetMillis = request.deadline().budget().toMillis();
    }

    void begin(String what) {
      waitingFor = what;
      replyBytes = 0;
    }

    void write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    int readByte() throws IOException {
      if (deadline.expired()) {
        throw new DeadlineReached();
      }
      if (++replyBytes > MAX_REPLY) {
        throw failed(peer.equals("the proxy") ? FailureKind.PROXY_FAILED : FailureKind.STARTTLS_UNAVAILABLE,
            peer + " sent more than " + MAX_REPLY + " bytes " + stage + " without finishing "
            + waitingFor, "");
      }
      socket.setSoTimeout(deadline.timeoutMillis(request.readTimeout()));
      int b = in.read();
      if (b < 0) {
        throw new EOFException("end of stream");
      }
      return b;
    }

    byte[] readExactly(int n) throws IOException {
      byte[] out = new byte[n];
      for (int i = 0; i < n; i++) {
        out[i] = (byte) readByte();
      }
      return out;
    }

    /** A line without its CR LF, in ISO-8859-1 (every byte one char). */
    String readLine() throws IOException {
      StringBuilder sb = new StringBuilder();
      while (true) {
        int b = readByte();
        if (b == '\n') {
          int len = sb.length();
          if (len > 0 && sb.charAt(len - 1) == '\r') {
            sb.setLength(len - 1);
          }
          return sb.toString();
        }
        sb.append((char) b);
      }
    }

    /**
     * Reads XML until a tag matches {@code done} (then {@link #lastTagMatched} is true) or
     * {@code stop}; returns all the text read.
     */
    String readUntil(Pattern done, Pattern stop) throws IOException {
      StringBuilder text = new StringBuilder(); // one char per byte (ISO-8859-1)
      int tagStart = -1;
      while (true) {
        int b = readByte();
        if (b == '<') {
          tagStart = text.length();
        }
        text.append((char) b);
        if (b == '>' && tagStart >= 0) {
          String tag = text.substring(tagStart);
          lastTagMatched = done.matcher(tag).matches();
          if (lastTagMatched || stop.matcher(tag).matches()) {
            return new String(text.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
          }
          tagStart = -1;
        }
      }
    }

    Failed failed(FailureKind kind, String message, String reply) {
      List<String> secrets = Secrets.of(request.target());
      return new Failed(kind, stage, Secrets.redact(message, secrets), Secrets.redact(reply, secrets), null);
    }
  }
}
