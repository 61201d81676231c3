package dev.tlsinspect.internal.cert;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Target;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * HOSTNAME_MISMATCH and CERT_NO_SAN: does the leaf cover the host the client asked for. Without
 * any SAN the common name is tried, as the JDK does, but CERT_NO_SAN says browsers will not.
 */
public final class HostnameCheck implements Check {

  @Override
  public String id() {
    return "hostname";
  }

  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder("hostname")
        .summary("Whether the leaf's subjectAltName covers the host the client asked for")
        .codes(Code.HOSTNAME_MISMATCH, Code.CERT_NO_SAN)
        .reference("RFC 6125 §6")
        .reference("RFC 9525")
        .reference("RFC 2818 §3.1")
        .reference("RFC 5280 §4.2.1.6")
        .since("0.1.0")
        .needs(CheckDescriptor.Input.PEER_CHAIN)
        .build();
  }

  @Override
  public List<Finding> evaluate(CheckContext ctx) {
    X509Certificate leaf = ctx.observation().flatMap(o -> o.leaf()).orElse(null);
    if (leaf == null) {
      return List.of();
    }
    Target t = ctx.target();
    String host = t.host();
    List<String> sans = Certs.dnsAndIpNames(leaf);
    List<Finding> out = new ArrayList<>();
    boolean matched;
    if (sans.isEmpty()) {
      String cn = commonName(leaf);
      matched = !t.hostIsIpAddress() && cn != null && HostnameMatcher.matchesDns(cn, host);
      Finding.Builder b = Finding.builder(Code.CERT_NO_SAN)
          .title("The certificate has no subjectAltName")
          .detail("The leaf " + Certs.describe(leaf) + " names its host only in the common name ("
              + (cn == null ? "none" : cn) + "). Browsers, curl and Go ignore the common name and "
              + "reject it; the JDK still accepts it.")
          .remediation("Reissue the certificate with a subjectAltName extension listing every DNS "
              + "name (and IP address) clients use, for example DNS:" + host + ".");
      Certs.identify(b, "leaf", leaf);
      out.add(b.build());
    } else {
      matched = sans.stream().anyMatch(n -> t.hostIsIpAddress()
          ? n.startsWith("IP:") && HostnameMatcher.matchesIp(n.substring(3), host)
          : n.startsWith("DNS:") && HostnameMatcher.matchesDns(n.substring(4), host));
    }
    if (!matched) {
      List<String> covered = sans.isEmpty() && commonName(leaf) != null
          ? List.of("CN:" + commonName(leaf)) : sans;
      String topLevel = t.hostIsIpAddress() ? null : covered.stream()
          .map(n -> n.substring(n.indexOf(':') + 1))
          .filter(n -> HostnameMatcher.wildcardOverTopLevelDomain(n, host))
          .findFirst().orElse(null);
      Finding.Builder b = Finding.builder(Code.HOSTNAME_MISMATCH)
          .title("The certificate is not valid for " + host)
          .detail("The leaf " + Certs.describe(leaf) + " covers " + summarize(covered)
              + ", not " + (t.hostIsIpAddress() ? "the IP address " : "") + host + "."
              + (t.hostIsIpAddress() ? " Connecting by IP address needs an IP SAN." : "")
              + (topLevel == null ? "" : " " + topLevel + " would cover it, but a wildcard over a "
                  + "whole top-level domain matches nothing in curl, OpenSSL, GnuTLS and Chrome (RFC "
                  + "6125 §7.2), nor in Java when the chain ends at a public CA; Java does connect "
                  + "when the chain ends at a private CA, so Java clients may work where others fail."))
          .remediation("Connect with a name the certificate covers, or reissue the certificate with "
              + (t.hostIsIpAddress() ? "IP:" : "DNS:") + host + " in its subjectAltName. If this "
              + "server hosts several names, check that the virtual host for " + host + " has its own "
              + "certificate and that the client sends SNI (a server without a match sends its default "
              + "certificate).")
          .evidence("host", host)
          .evidence("coveredNames", covered);
      if (topLevel != null) {
        b.evidence("topLevelWildcard", topLevel);
      }
      Certs.identify(b, "leaf", leaf);
      out.add(0, b.build());
    }
    return out;
  }

  private static String summarize(List<String> names) {
    if (names.isEmpty()) {
      return "no names at all";
    }
    if (names.size() <= 5) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
  }

  static String commonName(X509Certificate cert) {
    try {
      javax.naming.ldap.LdapName dn = new javax.naming.ldap.LdapName(cert.getSubjectX500Principal().getName());
      for (int i = dn.getRdns().size() - 1; i >= 0; i--) {
        javax.naming.ldap.Rdn rdn = dn.getRdns().get(i);
        if ("CN".equalsIgnoreCase(rdn.getType())) {
          return String.valueOf(rdn.getValue());
        }
      }
    } catch (javax.naming.InvalidNameException e) {
      return null;
    }
    return null;
  }
}
