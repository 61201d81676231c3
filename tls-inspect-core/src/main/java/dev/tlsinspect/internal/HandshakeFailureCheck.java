package dev.tlsinspect.internal;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Target;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.probe.Alert;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns a failed handshake into the finding that names why: DNS, TCP, timeouts, resets, a non-TLS
 * answer, a fatal alert, local policy. Certificate rejections are left to the certificate checks.
 */
final class HandshakeFailureCheck implements Check {

  @Override
  public String id() {
    return "handshake-failure";
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
    Finding.Builder b = switch (f.kind()) {
      case DNS_RESOLUTION_FAILED -> Finding.builder(Code.DNS_RESOLUTION_FAILED)
          .title("The name " + dialHost(t) + " does not resolve")
          .detail("Resolving " + dialHost(t) + " failed: " + f.message() + ".")
          .remediation("Check the spelling of the host name and that it exists in DNS (dig "
              + dialHost(t) + "). From inside a container or VPC, check the resolver configuration "
              + "(/etc/resolv.conf) and any split-horizon or private DNS zone the name lives in.");
      case CONNECTION_REFUSED -> Finding.builder(Code.CONNECTION_REFUSED)
          .title("Connection refused by " + where)
          .detail("The TCP connection to " + where + " was actively refused (RST): nothing listens on "
              + "that port, or a firewall rejects the connection.")
          .remediation("Check that the server is running and listening on port " + t.port()
              + " of that address (ss -ltnp | grep :" + t.port() + "), that the port number is right, "
              + "and that no firewall rule rejects it. A server bound to 127.0.0.1 only is not reachable "
              + "from other hosts.");
      case CONNECT_TIMEOUT -> Finding.builder(Code.CONNECT_TIMEOUT)
          .title("No answer to the TCP connect to " + where)
          .detail("The TCP connect to " + where + " got no answer in time: the packets are dropped "
              + "(firewall, security group, network ACL) or the host is down.")
          .remediation("Check firewall rules, cloud security groups and network ACLs between this "
              + "host and " + where + " for port " + t.port() + "; check that the host is up. "
              + "A drop (no answer) rather than a refusal points to a filtering firewall.");
      case HOST_UNREACHABLE -> Finding.builder(Code.HOST_UNREACHABLE)
          .title("No route to " + where)
          .detail("The network reported that " + where + " cannot be reached: " + f.message() + ".")
          .remediation("Check routing, VPN and proxy settings between this host and the target, "
              + "and that the address is the right one.");
      case HANDSHAKE_TIMEOUT -> Finding.builder(Code.HANDSHAKE_TIMEOUT)
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
      case OTHER -> Finding.builder(Code.HANDSHAKE_FAILED)
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
    return t.address().orElse(t.host());
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
          + "JVM's (tls-inspect with --provider bc enumerates what the server accepts).";
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
}
