package dev.tlsinspect.internal.network;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Target;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import dev.tlsinspect.internal.registry.JvmSettings;
import dev.tlsinspect.probe.Alert;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns a failed handshake into the finding that names why: DNS, TCP, timeouts, resets, a non-TLS
 * answer, a fatal alert, local policy. Certificate rejections are left to the certificate checks.
 */
public final class HandshakeFailureCheck implements Check {

  @Override
  public String id() {
    return "handshake-failure";
  }

  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder("handshake-failure")
        .summary("Why the main handshake failed, from the failure kind, the alert and the stage it reached")
        .codes(Code.DNS_RESOLUTION_FAILED, Code.CONNECTION_REFUSED, Code.CONNECT_TIMEOUT, Code.HOST_UNREACHABLE, Code.HANDSHAKE_TIMEOUT, Code.CONNECTION_RESET, Code.NOT_TLS, Code.PROXY_FAILED, Code.STARTTLS_UNAVAILABLE, Code.TLS_PROTOCOL_ERROR, Code.NO_COMMON_PROTOCOL, Code.LOCAL_PROTOCOL_DISABLED, Code.LOCAL_CIPHER_DISABLED, Code.WEAK_DH, Code.HANDSHAKE_FAILED)
        .reference("RFC 8446 §6")
        .reference("RFC 5246 §7.2")
        .reference("RFC 9110 §9.3.6")
        .reference("RFC 1928")
        .reference("RFC 3207")
        .reference("RFC 2595")
        .reference("RFC 3501")
        .reference("RFC 4217")
        .reference("RFC 4511")
        .reference("RFC 6120")
        .reference("CVE-2015-4000")
        .since("0.1.0")
        .needs(CheckDescriptor.Input.MAIN_HANDSHAKE, CheckDescriptor.Input.OPTIONS)
        .build();
  }

  @Override
  public List<Finding> evaluate(CheckContext ctx) {
    if (!(ctx.outcome() instanceof ProbeOutcome.Failed failed)) {
      return List.of();
    }
    Failure f = failed.failure();
    Observation seen = failed.seen();
    if (ClientCertificateCheck.refused(f, seen)) {
      return List.of(); // CLIENT_CERT_REQUIRED, from the client-certificate check
    }
    Target t = ctx.target();
    String where = seen.address().map(a -> a.getAddress().getHostAddress() + " port " + a.getPort())
        .orElse(t.toString());
    if (t.proxy().isPresent()) {
      // The socket's peer is the proxy; say so, and name what it was asked to reach.
      where = (f.beforeTls() || f.kind() == FailureKind.PROXY_FAILED ? "the proxy " + t.proxy().get()
          + " (" + where + ")" : t + " through the proxy " + t.proxy().get());
    }
    int port = f.beforeTls() && t.proxy().isPresent() ? t.proxy().get().port() : t.port();
    boolean plaintextStage = f.stage().filter(s -> s.contains("STARTTLS") || s.contains("proxy")).isPresent();
    Finding.Builder b = switch (f.kind()) {
      case DNS_RESOLUTION_FAILED -> Finding.builder(Code.DNS_RESOLUTION_FAILED)
          .title("The name " + dialHost(t) + (t.proxy().isPresent() ? " (the proxy)" : "") + " does not resolve")
          .detail("Resolving " + dialHost(t) + " failed: " + f.message() + ".")
          .remediation("Check the spelling of the host name and that it exists in DNS (dig "
              + dialHost(t) + "). From inside a container or VPC, check the resolver configuration "
              + "(/etc/resolv.conf) and any split-horizon or private DNS zone the name lives in.");
      case CONNECTION_REFUSED -> Finding.builder(Code.CONNECTION_REFUSED)
          .title("Connection refused by " + where)
          .detail("The TCP connection to " + where + " was actively refused (RST): nothing listens on "
              + "that port, or a firewall rejects the connection.")
          .remediation("Check that the " + (t.proxy().isPresent() ? "proxy" : "server")
              + " is running and listening on port " + port
              + " of that address (ss -ltnp | grep :" + port + "), that the port number is right, "
              + "and that no firewall rule rejects it. A server bound to 127.0.0.1 only is not reachable "
              + "from other hosts.");
      case CONNECT_TIMEOUT -> Finding.builder(Code.CONNECT_TIMEOUT)
          .title("No answer to the TCP connect to " + where)
          .detail("The TCP connect to " + where + " got no answer in time: the packets are dropped "
              + "(firewall, security group, network ACL) or the host is down.")
          .remediation("Check firewall rules, cloud security groups and network ACLs between this "
              + "host and " + where + " for port " + port + "; check that the host is up. "
              + "A drop (no answer) rather than a refusal points to a filtering firewall.");
      case HOST_UNREACHABLE -> Finding.builder(Code.HOST_UNREACHABLE)
          .title("No route to " + where)
          .detail("The network reported that " + where + " cannot be reached: " + f.message() + ".")
          .remediation("Check routing, VPN and proxy settings between this host and the target, "
              + "and that the address is the right one.");
      case HANDSHAKE_TIMEOUT -> plaintextStage ? Finding.builder(Code.HANDSHAKE_TIMEOUT)
          .title(f.stage().get().contains("proxy")
              ? "The proxy " + t.proxy().map(Object::toString).orElse("") + " did not answer the "
                  + (f.stage().get().contains("SOCKS5") ? "SOCKS5 handshake" : "CONNECT request")
              : "No " + t.starttls().map(Object::toString).orElse("") + " answer from " + where
                  + " during STARTTLS")
          .detail("The TCP connection was opened, but there was " + f.message() + ".")
          .remediation(f.stage().get().contains("proxy")
              ? "Check that " + t.proxy().map(Object::toString).orElse("the proxy") + " is a "
                  + "working proxy of that type (an HTTP proxy does not answer a SOCKS greeting, and "
                  + "the other way round) and that it can reach " + t + "; if it is just slow, raise the timeout."
              : "Check that port " + t.port() + " speaks " + t.starttls().map(Object::toString).orElse("")
                  + " in plain text first: a port that expects TLS from the first byte (implicit TLS) "
                  + "stays silent while waiting for a ClientHello; then drop --starttls. If the server "
                  + "is just slow, raise the timeout.")
          : Finding.builder(Code.HANDSHAKE_TIMEOUT)
          .title("TCP connected, but no TLS answer from " + where)
          .detail("The TCP connection to " + where + " was opened, but the TLS handshake did not finish "
              + "in time" + f.stage().map(s -> " (" + s + ")").orElse("") + ": " + f.message() + ".")
          .remediation("Check that port " + t.port() + " serves TLS directly: a service that expects "
              + "STARTTLS or the PROXY protocol first, a proxy waiting for HTTP CONNECT, or a load "
              + "balancer with no healthy backend all accept the connection and then stay silent. "
              + "If the peer is just slow, raise the timeout.");
      case CONNECTION_RESET -> Finding.builder(Code.CONNECTION_RESET)
          .title("The connection was closed during the handshake" + f.stage().map(s -> " (" + s + ")").orElse(""))
          .detail(where + " closed or reset the connection " + f.stage().orElse("during the handshake")
              + " without a TLS alert: " + f.message() + ".")
          .remediation("A reset right after the ClientHello usually means the server could not accept "
              + "anything this client offered and does not send alerts, or a firewall, IPS or SNI "
              + "filter on the path cut the connection. Check the server's TLS error log for this "
              + "client's address, and try without SNI (--no-sni) or from another network to tell "
              + "a middlebox from the server.");
      case NOT_TLS -> notTls(f, where, t);
      case PROTOCOL_ERROR -> Finding.builder(Code.TLS_PROTOCOL_ERROR)
          .title("The peer answered with malformed TLS")
          .detail(where + " answered with TLS that violates the protocol: " + f.message() + ".")
          .remediation("The service on port " + t.port() + " is not a working TLS server: check that "
              + "the port is the right one and that no broken middlebox sits in front of it.");
      case ALERT_RECEIVED -> alert(f, seen, t);
      case LOCAL_POLICY -> local(f);
      case CERTIFICATE_REJECTED -> null;
      case PROXY_FAILED -> proxyFailed(f, t);
      case STARTTLS_UNAVAILABLE -> starttlsUnavailable(f, t, where);
      case OTHER -> refusedDh(f) ? weakDh(f, seen, where) : Finding.builder(Code.HANDSHAKE_FAILED)
          .title("The handshake failed")
          .detail("The handshake with " + where + " failed: " + f.message() + ".")
          .remediation("See the error chain in the evidence; run with the other provider (--provider) "
              + "or capture the handshake (javax.net.debug=ssl:handshake) to see more.");
    };
    if (b == null) {
      return List.of();
    }
    b.rootCause(true).evidence("failure", f.kind().name()).evidence("message", f.message());
    seen.address().ifPresent(a -> b.evidence("address", a.getAddress().getHostAddress()));
    f.stage().ifPresent(s -> b.evidence("stage", s));
    f.alert().ifPresent(a -> b.evidence("alert", a.name()));
    if (!f.causes().isEmpty()) {
      b.evidence("errors", f.causes());
    }
    return List.of(b.build());
  }

  private static String dialHost(Target t) {
    return t.proxy().map(p -> p.host()).orElse(t.address().orElse(t.host()));
  }

  private static Finding.Builder proxyFailed(Failure f, Target t) {
    String proxy = t.proxy().map(Object::toString).orElse("the proxy");
    String answer = f.message();
    String said = new String(f.firstBytes(), java.nio.charset.StandardCharsets.UTF_8);
    boolean auth = answer.contains(" 407") || answer.toLowerCase(java.util.Locale.ROOT).contains("authentication");
    String fix;
    if (auth) {
      fix = "The proxy wants credentials it did not get or did not accept: give the user and "
          + "password in the proxy URL (http://USER:PASSWORD@host:port, percent-encoded), check "
          + "them with the proxy's administrator, and check which scheme the proxy asks for "
          + "(only Basic for HTTP and username/password for SOCKS5 are supported).";
    } else if (answer.contains(" 403") || answer.contains("not allowed")) {
      fix = "The proxy's policy forbids a tunnel to " + t + ": ask for the destination (host and "
          + "port " + t.port() + ") to be allowed; many proxies allow CONNECT to port 443 only.";
    } else if (answer.contains(" 502") || answer.contains(" 504") || answer.contains("refused")
        || answer.contains("unreachable")) {
      fix = "The proxy could not reach " + t + ": check that the name resolves from the proxy "
          + "(it resolves it, not this host) and that the proxy's network can reach that port.";
    } else {
      fix = "Check the proxy's log for this request and that " + proxy + " is the right proxy and type "
          + "(http:// for HTTP CONNECT, socks5:// for SOCKS5).";
    }
    Finding.Builder b = Finding.builder(Code.PROXY_FAILED)
        .title("The proxy " + proxy + " did not open a tunnel to " + t)
        .detail("The connection goes through the proxy " + proxy + ", which refused or failed the "
            + "tunnel " + f.stage().orElse("") + ": " + answer + ".")
        .remediation(fix)
        .evidence("proxy", proxy)
        .evidence("destination", t.address().orElse(t.host()) + ":" + t.port());
    if (!said.isBlank()) {
      b.evidence("proxyAnswer", said);
    }
    return b;
  }

  private static Finding.Builder starttlsUnavailable(Failure f, Target t, String where) {
    String protocol = t.starttls().map(Object::toString).orElse("STARTTLS");
    boolean refused = f.message().contains("refused");
    String said = new String(f.firstBytes(), java.nio.charset.StandardCharsets.UTF_8);
    Finding.Builder b = Finding.builder(Code.STARTTLS_UNAVAILABLE)
        .title(refused ? "The " + protocol + " server refused STARTTLS"
            : "The " + protocol + " server does not offer STARTTLS")
        .detail(where + " " + (refused ? "refused to start TLS" : "did not offer TLS") + " "
            + f.stage().orElse("") + ": " + f.message() + ".")
        .remediation("Enable TLS on the " + protocol + " service (" + starttlsHint(t) + "), or, if "
            + "the service uses implicit TLS, connect to that port without --starttls. Check also "
            + "that no middlebox strips STARTTLS from the server's answer (some firewalls rewrite "
            + "it), by asking from another network.")
        .evidence("protocol", protocol);
    if (!said.isBlank()) {
      b.evidence("serverSaid", said);
    }
    return b;
  }

  private static String starttlsHint(Target t) {
    return switch (t.starttls().map(Enum::name).orElse("")) {
      case "SMTP" -> "Postfix: smtpd_tls_cert_file, smtpd_tls_key_file and smtpd_tls_security_level = may";
      case "IMAP", "POP3" -> "Dovecot: ssl = yes with ssl_cert and ssl_key";
      case "FTP" -> "vsftpd: ssl_enable=YES; ProFTPD: TLSEngine on";
      case "LDAP" -> "OpenLDAP: olcTLSCertificateFile and olcTLSCertificateKeyFile";
      case "POSTGRES" -> "postgresql.conf: ssl = on with ssl_cert_file and ssl_key_file";
      case "MYSQL" -> "my.cnf: ssl_cert and ssl_key (MySQL 8 enables TLS when they are set)";
      case "XMPP" -> "a certificate for the XMPP domain, and c2s_require_encryption or starttls enabled";
      default -> "a certificate and key for the service";
    };
  }

  private static Finding.Builder notTls(Failure f, String where, Target t) {
    String protocol = f.peerProtocol().orElse("unknown");
    boolean known = !"unknown".equals(protocol);
    Finding.Builder b = Finding.builder(Code.NOT_TLS)
        .title(known ? "Port " + t.port() + " speaks " + protocol + ", not TLS"
            : "Port " + t.port() + " does not answer with TLS")
        .detail(where + " answered the TLS ClientHello with "
            + (known ? protocol + " (" + printable(f.firstBytes()) + ")"
                : "bytes that are not TLS (" + hex(f.firstBytes()) + ")") + ".")
        .remediation(switch (protocol) {
          case "HTTP" -> "This port serves plain HTTP. Use https on the TLS port (usually 443), or "
              + "enable TLS on this listener (nginx: 'listen " + t.port() + " ssl;').";
          case "SMTP", "IMAP", "POP3", "FTP" -> "This is a " + protocol + " port that starts in "
              + "plain text. Connect with STARTTLS (--starttls " + protocol.toLowerCase(java.util.Locale.ROOT)
              + ") or use the implicit-TLS port (SMTPS 465, IMAPS 993, POP3S 995, FTPS 990).";
          case "SSH" -> "This is an SSH server, not TLS: check the port number.";
          default -> "Check the port number and that the service on it is configured for TLS. "
              + "A proxy or load balancer answering in another protocol also shows up like this.";
        })
        .evidence("protocol", protocol);
    if (f.firstBytes().length > 0) {
      b.evidence("firstBytes", hex(f.firstBytes()));
    }
    return b;
  }

  private static Finding.Builder alert(Failure f, Observation seen, Target t) {
    String name = f.alert().map(Alert::name).orElse("unknown");
    return switch (name) {
      case "protocol_version" -> Finding.builder(Code.NO_COMMON_PROTOCOL)
          .title("No protocol version in common with the server")
          .detail("The server answered with a fatal protocol_version alert: it accepts none of the "
              + "versions this client offered" + seen.version().map(v -> " (" + v + ")").orElse("") + ".")
          .remediation("Enable TLS 1.2 and TLS 1.3 on the server. If the server can only do an old "
              + "version, upgrade it; enabling TLS 1.0/1.1 in this JVM (jdk.tls.disabledAlgorithms) is "
              + "a stopgap that weakens every connection the JVM makes.");
      default -> generic(f, t, name);
    };
  }

  private static Finding.Builder generic(Failure f, Target t, String alert) {
    String hint = switch (alert) {
      case "handshake_failure", "insufficient_security" -> "The server found nothing acceptable in "
          + "this client's offer: no common cipher suite, named group or signature algorithm, or (TLS "
          + "1.2) a client certificate it requires. Compare the server's configured suites with this "
          + "JVM's (a full inspection with tls-inspect-bc present enumerates what the server accepts).";
      case "unrecognized_name" -> "The server does not serve the name sent in SNI ("
          + t.sni().orElse("none") + "). Check the server's virtual host names, or send the name it "
          + "expects with --sni.";
      case "internal_error" -> "The server failed internally; check its error log.";
      default -> "Check the server's TLS error log for this client's address at this time.";
    };
    return Finding.builder(Code.HANDSHAKE_FAILED)
        .title("The server ended the handshake with a fatal " + alert + " alert")
        .detail("The server sent a fatal " + alert + " alert" + f.stage().map(s -> " " + s).orElse("")
            + ": " + f.message() + ".")
        .remediation(hint);
  }

  private static Finding.Builder local(Failure f) {
    boolean protocol = f.message().toLowerCase(java.util.Locale.ROOT).contains("protocol");
    Finding.Builder b = Finding.builder(protocol ? Code.LOCAL_PROTOCOL_DISABLED : Code.LOCAL_CIPHER_DISABLED)
        .title(protocol ? "This JVM's policy disables every protocol version it could offer"
            : "This JVM's policy disables every cipher suite it could offer")
        .detail("The handshake could not start on this side: " + f.message() + ".")
        .remediation("Check jdk.tls.disabledAlgorithms in the JVM's java.security and "
            + "jdk.tls.client.protocols / https.protocols system properties. Prefer fixing the server "
            + "to support TLS 1.2+ with modern suites over re-enabling legacy algorithms in the JVM.");
    // The settings that can cause it, as this JVM has them (tls-inspect env shows them all).
    b.evidence("jdk.tls.disabledAlgorithms", JvmSettings.read("jdk.tls.disabledAlgorithms").orElse("(not set)"));
    for (String name : java.util.List.of(protocol ? "jdk.tls.client.protocols" : "jdk.tls.client.cipherSuites",
        protocol ? "https.protocols" : "https.cipherSuites")) {
      JvmSettings.read(name).ifPresent(v -> b.evidence(name, v));
    }
    return b;
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 32));
  }

  static String printable(byte[] bytes) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < Math.min(bytes.length, 48); i++) {
      int c = bytes[i] & 0xFF;
      if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c >= 0x20 && c < 0x7F) {
        sb.append((char) c);
      } else {
        sb.append('.');
      }
    }
    return sb.append('"').toString();
  }

  /** JSSE's words for a server DH group under this JVM's minimum ('DH keySize < 1024'). */
  private static boolean refusedDh(Failure f) {
    String m = f.message().toLowerCase(java.util.Locale.ROOT);
    return m.contains("dh serverkeyexchange does not comply") || m.contains("could not generate dh keypair");
  }

  /*
   * The server chose a DHE suite with a group this JVM refuses. The group size comes from the
   * ServerKeyExchange the probe read (the trace), or the provider's DH parameters.
   */
  private static Finding.Builder weakDh(Failure f, Observation seen, String where) {
    java.util.Optional<String> bits = seen.dhParameters().map(d -> String.valueOf(d.bits()))
        .or(() -> seen.trace().stream()
            .filter(e -> e.direction() == dev.tlsinspect.probe.TraceEvent.Direction.RECEIVED
                && e.type().equals("ServerKeyExchange") && e.fields().containsKey("dh_bits"))
            .map(e -> e.fields().get("dh_bits"))
            .findFirst());
    Finding.Builder b = Finding.builder(Code.WEAK_DH)
        .title("This JVM refuses the server's " + bits.map(n -> n + "-bit ").orElse("")
            + "Diffie-Hellman group")
        .detail(where + " chose a DHE suite with a Diffie-Hellman group"
            + bits.map(n -> " of " + n + " bits").orElse("") + " that this JVM refuses ("
            + f.message() + "): jdk.tls.disabledAlgorithms rejects DH groups under 1024 bits, and "
            + "groups under 2048 bits can be broken by a well-funded attacker (Logjam).")
        .remediation("Fix the server: use ffdhe2048 or larger (RFC 7919; nginx ssl_dhparam with "
            + "the Mozilla ffdhe2048 file; OpenSSL 3 picks a matching group by itself), or drop the "
            + "DHE suites in favour of ECDHE. Lowering 'DH keySize' in jdk.tls.disabledAlgorithms "
            + "would weaken every TLS connection of this JVM. A full inspection with tls-inspect-bc "
            + "present lists the server's suites.");
    bits.ifPresent(n -> b.evidence("bits", Integer.parseInt(n)));
    return b;
  }
}
