package dev.tlsinspect.internal.protocol;

import dev.tlsinspect.Code;
import dev.tlsinspect.Enumeration;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Severity;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import dev.tlsinspect.internal.registry.CipherSuites;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.DhParameters;
import dev.tlsinspect.probe.TlsVersion;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Findings from the enumerated versions and cipher suites: old versions accepted, TLS 1.3
 * missing, weak suite families, no forward secrecy, no server order. Silent when nothing was
 * enumerated (quick mode, or a provider that cannot make offers).
 */
public final class EnumerationCheck implements Check {

  @Override
  public String id() {
    return "versions-and-suites";
  }

  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder("versions-and-suites")
        .summary("The versions, cipher suites, suite order and DH group the server accepts")
        .codes(Code.PROTOCOL_SSL2, Code.PROTOCOL_SSL3, Code.PROTOCOL_TLS1_0, Code.PROTOCOL_TLS1_1, Code.TLS1_3_UNSUPPORTED, Code.CIPHER_NULL, Code.CIPHER_ANON, Code.CIPHER_EXPORT, Code.CIPHER_RC4, Code.CIPHER_DES, Code.CIPHER_3DES, Code.CIPHER_CBC, Code.NO_FORWARD_SECRECY, Code.NO_SERVER_CIPHER_ORDER, Code.WEAK_DH, Code.DH_PARAMS_INSECURE, Code.DH_GROUP)
        .reference("RFC 6176")
        .reference("RFC 7568")
        .reference("RFC 8996")
        .reference("RFC 7465")
        .reference("RFC 7919")
        .reference("RFC 9325")
        .reference("CVE-2016-0800")
        .reference("CVE-2014-3566")
        .reference("CVE-2015-0204")
        .reference("CVE-2015-4000")
        .reference("CVE-2016-2183")
        .reference("CVE-2011-3389")
        .reference("CVE-2013-0169")
        .since("0.1.0")
        .needs(CheckDescriptor.Input.ENUMERATION)
        .build();
  }

  @Override
  public List<Finding> evaluate(CheckContext ctx) {
    Optional<Enumeration> maybe = ctx.enumeration();
    if (maybe.isEmpty() || maybe.get().acceptedVersions().isEmpty()) {
      return List.of();
    }
    Enumeration e = maybe.get();
    String where = ctx.target().toString();
    List<Finding> out = new ArrayList<>();
    version(out, e, TlsVersion.SSL_2_0, Code.PROTOCOL_SSL2, where,
        "SSL 2.0 is broken (DROWN) and forbidden by RFC 6176.");
    version(out, e, TlsVersion.SSL_3_0, Code.PROTOCOL_SSL3, where,
        "SSL 3.0 is broken (POODLE) and forbidden by RFC 7568.");
    version(out, e, TlsVersion.TLS_1_0, Code.PROTOCOL_TLS1_0, where,
        "TLS 1.0 is deprecated by RFC 8996 and fails PCI DSS.");
    version(out, e, TlsVersion.TLS_1_1, Code.PROTOCOL_TLS1_1, where,
        "TLS 1.1 is deprecated by RFC 8996.");
    if (e.testedVersions().contains(TlsVersion.TLS_1_3) && !e.accepts(TlsVersion.TLS_1_3)) {
      out.add(Finding.builder(Code.TLS1_3_UNSUPPORTED)
          .title("The server does not accept TLS 1.3")
          .detail(where + " answered a TLS 1.3-only ClientHello without choosing TLS 1.3; it accepts "
              + e.acceptedVersions() + ".")
          .remediation("Enable TLS 1.3 on the server (nginx: ssl_protocols TLSv1.2 TLSv1.3; Java: "
              + "jdk.tls.server.protocols or SSLParameters.setProtocols). It is faster (one round "
              + "trip) and has only forward-secret AEAD suites.")
          .evidence("acceptedVersions", names(e.acceptedVersions()))
          .build());
    }
    family(out, e, Code.CIPHER_NULL, i -> i.isNull(), "suites without encryption",
        "Remove every NULL suite (OpenSSL: add !aNULL:!eNULL to the cipher string).");
    family(out, e, Code.CIPHER_ANON, CipherSuites.Info::isAnonymous, "anonymous suites",
        "Remove anonymous suites (OpenSSL: !aNULL): they allow a man in the middle.");
    family(out, e, Code.CIPHER_EXPORT, CipherSuites.Info::isExport, "export-grade suites",
        "Remove export suites (OpenSSL: !EXPORT); they are breakable in hours (FREAK, Logjam).");
    family(out, e, Code.CIPHER_RC4, i -> "RC4".equals(i.cipher()), "RC4 suites",
        "Remove RC4 suites (OpenSSL: !RC4); RC4 is forbidden by RFC 7465.");
    family(out, e, Code.CIPHER_DES, i -> "DES".equals(i.cipher()), "single-DES suites",
        "Remove single-DES suites (OpenSSL: !DES); 56-bit keys are broken by brute force.");
    family(out, e, Code.CIPHER_3DES, i -> "3DES".equals(i.cipher()) || "IDEA".equals(i.cipher()),
        "64-bit block cipher suites (3DES, IDEA)",
        "Remove 3DES and IDEA suites (OpenSSL: !3DES:!IDEA); 64-bit blocks allow SWEET32.");
    family(out, e, Code.CIPHER_CBC, CipherSuites.Info::isCbc, "CBC-mode suites",
        "Prefer AEAD suites (AES-GCM, CHACHA20-POLY1305) and drop CBC suites where clients allow: "
            + "CBC in TLS has a history of padding-oracle attacks (Lucky13, BEAST with TLS 1.0).");
    forwardSecrecy(out, e, where);
    serverOrder(out, e, where);
    e.dhParameters().ifPresent(dh -> dhGroup(out, e, dh, where));
    exportDh(out, e, where);
    return out;
  }

  /*
   * A DHE_EXPORT suite limits the server's ephemeral group to 512 bits (RFC 2246, export rules),
   * yet many servers sent 1024 bits. No TLS library of today completes an export suite, so the
   * enumeration reads the group from one raw ServerKeyExchange (exportDhParameters, "measured");
   * when that failed, the export limit is assumed. A measured group is judged like the group of
   * any DHE suite (DhGroups.MIN_BITS).
   */
  private static void exportDh(List<Finding> out, Enumeration e, String where) {
    if (out.stream().anyMatch(f -> f.code().equals(Code.WEAK_DH))) {
      return;
    }
    Set<String> suites = new LinkedHashSet<>();
    Set<String> versions = new LinkedHashSet<>();
    for (Map.Entry<TlsVersion, List<CipherSuite>> entry : e.cipherSuites().entrySet()) {
      for (CipherSuite s : entry.getValue()) {
        if (CipherSuites.find(s.code()).filter(i -> i.keyExchange().equals("DHE_EXPORT")).isPresent()) {
          suites.add(s.name());
          versions.add(entry.getKey().name());
        }
      }
    }
    if (suites.isEmpty()) {
      return;
    }
    Optional<DhParameters> measured = e.exportDhParameters();
    if (measured.isPresent() && measured.get().bits() >= DhGroups.MIN_BITS) {
      exportDhGroup(out, e, measured.get(), suites, where);
      return;
    }
    int bits = measured.map(DhParameters::bits).orElse(512);
    out.add(Finding.builder(Code.WEAK_DH)
        .title(measured.isPresent()
            ? "The server's export DHE suites use a " + bits + "-bit Diffie-Hellman group"
            : "The server accepts export DHE suites: Diffie-Hellman groups of at most 512 bits")
        .detail(where + " accepts " + String.join(", ", suites) + " (with " + String.join(", ", versions)
            + "). " + (measured.isPresent()
                ? "With them it sends a " + bits + "-bit Diffie-Hellman group (measured: read from "
                    + "its ServerKeyExchange); groups under " + DhGroups.MIN_BITS + " bits can be "
                    + "broken with precomputation (Logjam), and an attacker can downgrade a client "
                    + "to export suites."
                : "Export suites limit the ephemeral Diffie-Hellman group to 512 bits (assumed: "
                    + "the group could not be read), which is broken in minutes with "
                    + "precomputation (Logjam), and an attacker can downgrade a client to them."))
        .remediation("Remove every export suite (OpenSSL: !EXPORT) and use ffdhe2048 or larger "
            + "(RFC 7919) for the remaining DHE suites, or drop DHE in favour of ECDHE.")
        .evidence("bits", bits)
        .evidence("bitsSource", measured.isPresent() ? "measured" : "assumed")
        .evidence("group", measured.map(m -> DhGroups.known(m.p()).orElse("custom"))
            .orElse("export (at most 512 bits)"))
        .evidence("cipherSuites", List.copyOf(suites))
        .evidence("versions", List.copyOf(versions))
        .build());
  }

  /**
   * A measured export group that is large enough is shown as DH_GROUP, as the group of any DHE
   * suite is, unless the DHE suites' DH_GROUP already names the same group. The 40-bit cipher
   * stays CIPHER_EXPORT.
   */
  private static void exportDhGroup(List<Finding> out, Enumeration e, DhParameters dh, Set<String> suites,
      String where) {
    if (e.dhParameters().filter(other -> other.p().equals(dh.p())).isPresent()
        && out.stream().anyMatch(f -> f.code().equals(Code.DH_GROUP))) {
      return;
    }
    String name = DhGroups.known(dh.p()).orElse("custom");
    out.add(Finding.builder(Code.DH_GROUP)
        .title("The server's export DHE suites use a " + dh.bits() + "-bit group: " + name)
        .detail(where + " sends a " + dh.bits() + "-bit Diffie-Hellman group" + ("custom".equals(name)
            ? " of its own" : ", " + name) + " with " + String.join(", ", suites) + " (measured: read "
            + "from its ServerKeyExchange). The group is not what is weak here; the 40-bit export "
            + "cipher is.")
        .remediation("Nothing to do for the group; remove the export suites (OpenSSL: !EXPORT).")
        .evidence("bits", dh.bits())
        .evidence("bitsSource", "measured")
        .evidence("group", name)
        .evidence("cipherSuites", List.copyOf(suites))
        .build());
  }

  /*
   * The DHE group is always shown: as WEAK_DH or DH_PARAMS_INSECURE when something is wrong with
   * it, else as DH_GROUP (INFO), so that an operator sees the size and name behind every DHE suite
   * without reading the wire.
   */
  private static void dhGroup(List<Finding> out, Enumeration e, DhParameters dh, String where) {
    List<Finding> problems = DhGroups.findings(dh, where);
    if (!problems.isEmpty()) {
      out.addAll(problems);
      return;
    }
    Set<String> suites = new LinkedHashSet<>();
    for (List<CipherSuite> some : e.cipherSuites().values()) {
      for (CipherSuite s : some) {
        if (CipherSuites.find(s.code()).filter(i -> i.keyExchange().equals("DHE")).isPresent()) {
          suites.add(s.name());
        }
      }
    }
    String name = DhGroups.known(dh.p()).orElse("custom");
    out.add(Finding.builder(Code.DH_GROUP)
        .title("The server's DHE suites use a " + dh.bits() + "-bit group: " + name)
        .detail(where + " sends a " + dh.bits() + "-bit Diffie-Hellman group" + ("custom".equals(name)
            ? " of its own (prime, safe prime)" : ", " + name) + " with "
            + (suites.isEmpty() ? "its DHE suites" : String.join(", ", suites)) + ".")
        .remediation("Nothing to do; ECDHE suites are faster where clients allow.")
        .evidence("bits", dh.bits())
        .evidence("group", name)
        .evidence("cipherSuites", List.copyOf(suites))
        .build());
  }

  private static void version(List<Finding> out, Enumeration e, TlsVersion v, Code code,
      String where, String why) {
    if (!e.accepts(v)) {
      return;
    }
    out.add(Finding.builder(code)
        .title("The server accepts " + v)
        .detail(where + (TlsVersion.SSL_2_0.equals(v) ? " answered an SSL 2.0 CLIENT-HELLO with a SERVER-HELLO. "
            : " completed a ServerHello offering only " + v + ". ") + why)
        .remediation("Disable " + v + " on the server (nginx: ssl_protocols TLSv1.2 TLSv1.3;). "
            + "Clients that still need it should be upgraded.")
        .evidence("version", v.name())
        .evidence("cipherSuites", e.suites(v).stream().map(CipherSuite::name).toList())
        .build());
  }

  private static void family(List<Finding> out, Enumeration e, Code code,
      Predicate<CipherSuites.Info> member, String what, String remediation) {
    Set<String> suites = new LinkedHashSet<>();
    Set<String> versions = new LinkedHashSet<>();
    for (Map.Entry<TlsVersion, List<CipherSuite>> entry : e.cipherSuites().entrySet()) {
      for (CipherSuite s : entry.getValue()) {
        Optional<CipherSuites.Info> info = CipherSuites.find(s.code());
        if (info.isPresent() && member.test(info.get())) {
          suites.add(s.name());
          versions.add(entry.getKey().name());
        }
      }
    }
    if (suites.isEmpty()) {
      return;
    }
    out.add(Finding.builder(code)
        .title("The server accepts " + what)
        .detail("The server accepted " + suites.size() + " " + what + ": " + String.join(", ", suites)
            + " (with " + String.join(", ", versions) + ").")
        .remediation(remediation)
        .evidence("cipherSuites", List.copyOf(suites))
        .evidence("versions", List.copyOf(versions))
        .build());
  }

  private static void forwardSecrecy(List<Finding> out, Enumeration e, String where) {
    Set<String> without = new LinkedHashSet<>();
    int total = 0;
    for (List<CipherSuite> suites : e.cipherSuites().values()) {
      for (CipherSuite s : suites) {
        Optional<CipherSuites.Info> info = CipherSuites.find(s.code());
        if (info.isEmpty()) {
          continue;
        }
        total++;
        if (!info.get().forwardSecrecy()) {
          without.add(s.name());
        }
      }
    }
    if (without.isEmpty()) {
      return;
    }
    boolean none = without.size() == total || e.cipherSuites().values().stream()
        .flatMap(List::stream).map(s -> CipherSuites.find(s.code()))
        .noneMatch(i -> i.isPresent() && i.get().forwardSecrecy());
    out.add(Finding.builder(Code.NO_FORWARD_SECRECY)
        .severity(none ? Severity.HIGH : Severity.MEDIUM)
        .title(none ? "No cipher suite of the server gives forward secrecy"
            : "Some cipher suites of the server give no forward secrecy")
        .detail(where + " accepts " + without.size() + " suite(s) with static RSA or DH key exchange: "
            + String.join(", ", without) + ". Whoever gets the server's private key later can "
            + "decrypt recorded sessions" + (none ? ", all of them." : " made with these suites."))
        .remediation("Offer ECDHE (and TLS 1.3) suites and remove the TLS_RSA_*, TLS_DH_* and "
            + "TLS_ECDH_* suites (OpenSSL: !kRSA).")
        .evidence("cipherSuites", List.copyOf(without))
        .evidence("allSuites", none)
        .build());
  }

  private static void serverOrder(List<Finding> out, Enumeration e, String where) {
    List<String> versions = e.serverOrder().entrySet().stream()
        .filter(x -> !x.getValue()).map(x -> x.getKey().name()).toList();
    if (versions.isEmpty()) {
      return;
    }
    out.add(Finding.builder(Code.NO_SERVER_CIPHER_ORDER)
        .title("The server lets the client choose the cipher suite")
        .detail(where + " took the client's first choice when offered its suites in reverse order ("
            + String.join(", ", versions) + "), so a client that prefers a weak suite gets it.")
        .remediation("Make the server enforce its own order (nginx: ssl_prefer_server_ciphers on; "
            + "Java: SSLParameters.setUseCipherSuitesOrder(true)), or accept only strong suites.")
        .evidence("versions", versions)
        .build());
  }

  private static List<String> names(List<TlsVersion> versions) {
    return versions.stream().map(TlsVersion::name).toList();
  }
}
