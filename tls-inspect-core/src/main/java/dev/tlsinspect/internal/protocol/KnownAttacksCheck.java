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
import java.util.function.BiPredicate;

/*
 * The named attacks other scanners report, derived from what the enumeration already knows: no
 * extra connection. Each is a distinct finding with its CVE, so that an operator comparing this
 * report with testssl.sh or SSL Labs finds the same names; the suite-family findings (CIPHER_*)
 * stay, as they say what to remove, these say which published attack it enables.
 *  - POODLE: SSL 3.0 with a CBC suite (its padding is not covered by the MAC);
 *  - BEAST: TLS 1.0 with a CBC suite (predictable IV); LOW, because every client since 2012
 *    splits records (1/n-1), so it matters only for old clients;
 *  - DROWN: SSL 2.0 accepted; the same key on any SSL 2.0 endpoint would do, which needs the
 *    other endpoint's address: the inspection's DrownPhase asks the endpoints the user names;
 *  - SWEET32: a 64-bit block cipher (3DES, IDEA, DES, RC2): collisions after about 32 GB;
 *  - FREAK: export RSA key exchange (512-bit RSA keys a downgraded client accepts);
 *  - LOGJAM: export DHE (512-bit groups, HIGH; the group is read when the enumeration could,
 *    else assumed 512 bits), or a DHE group of 1024 bits or less (MEDIUM: within reach of
 *    precomputation for the common primes), export or not.
 */
/** POODLE, BEAST, DROWN, SWEET32, FREAK and LOGJAM from the enumeration. Not API. */
public final class KnownAttacksCheck implements Check {
  /** A DHE group of at most this many bits is in Logjam's reach. */
  static final int LOGJAM_BITS = 1024;

  @Override
  public String id() {
    return "known-attacks";
  }

  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder("known-attacks")
        .summary("Named attacks (POODLE, BEAST, DROWN, SWEET32, FREAK, Logjam) the accepted versions, "
            + "suites and DH group allow")
        .codes(Code.POODLE, Code.BEAST, Code.DROWN, Code.SWEET32, Code.FREAK, Code.LOGJAM)
        .reference("CVE-2014-3566")
        .reference("CVE-2011-3389")
        .reference("CVE-2016-0800")
        .reference("CVE-2016-2183")
        .reference("CVE-2015-0204")
        .reference("CVE-2015-4000")
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
    Suites poodle = suites(e, (v, i) -> TlsVersion.SSL_3_0.equals(v) && i.isCbc());
    if (!poodle.names.isEmpty()) {
      out.add(Finding.builder(Code.POODLE)
          .title("POODLE: the server accepts SSL 3.0 with CBC suites")
          .detail(where + " accepts SSL 3.0 with " + String.join(", ", poodle.names) + ". SSL 3.0 "
              + "does not cover CBC padding with its MAC, so an attacker who can make a client "
              + "repeat requests decrypts a cookie a byte at a time (POODLE, CVE-2014-3566).")
          .remediation("Disable SSL 3.0 (nginx: ssl_protocols TLSv1.2 TLSv1.3;). There is no safe "
              + "CBC suite in SSL 3.0.")
          .evidence("cve", "CVE-2014-3566")
          .evidence("version", TlsVersion.SSL_3_0.name())
          .evidence("cipherSuites", poodle.names())
          .build());
    }
    Suites beast = suites(e, (v, i) -> TlsVersion.TLS_1_0.equals(v) && i.isCbc());
    if (!beast.names.isEmpty()) {
      out.add(Finding.builder(Code.BEAST)
          .title("BEAST: the server accepts TLS 1.0 with CBC suites")
          .detail(where + " accepts TLS 1.0 with " + String.join(", ", beast.names) + ". TLS 1.0 "
              + "chains CBC IVs across records, which lets an attacker running script in the "
              + "victim's browser recover plaintext (BEAST, CVE-2011-3389). Clients since 2012 "
              + "split records to prevent it, hence LOW; old clients remain exposed.")
          .remediation("Disable TLS 1.0 (RFC 8996), or at least prefer AEAD suites in TLS 1.2.")
          .evidence("cve", "CVE-2011-3389")
          .evidence("version", TlsVersion.TLS_1_0.name())
          .evidence("cipherSuites", beast.names())
          .build());
    }
    if (e.accepts(TlsVersion.SSL_2_0)) {
      out.add(Finding.builder(Code.DROWN)
          .title("DROWN: the server accepts SSL 2.0")
          .detail(where + " answered an SSL 2.0 CLIENT-HELLO. An attacker who can talk SSL 2.0 "
              + "to a server holding the RSA key uses it as an oracle to decrypt recorded TLS "
              + "sessions made with that key, even sessions with other, modern servers that share "
              + "it (DROWN, CVE-2016-0800).")
          .remediation("Disable SSL 2.0 everywhere the certificate's key is used (mail, web, "
              + "VPN); if it cannot be disabled somewhere, give this server a new key.")
          .evidence("cve", "CVE-2016-0800")
          .evidence("version", TlsVersion.SSL_2_0.name())
          .build());
    }
    Suites sweet = suites(e, (v, i) -> switch (i.cipher()) {
      case "3DES", "IDEA", "DES", "RC2" -> !i.isNull();
      default -> false;
    });
    if (!sweet.names.isEmpty()) {
      out.add(Finding.builder(Code.SWEET32)
          .title("SWEET32: the server accepts 64-bit block ciphers")
          .detail(where + " accepts " + String.join(", ", sweet.names) + " (with "
              + String.join(", ", sweet.versions) + "). With a 64-bit block, a long-lived connection "
              + "repeats cipher blocks after about 32 GB, which reveals plaintext such as a cookie "
              + "(SWEET32, CVE-2016-2183).")
          .remediation("Remove 3DES, IDEA, DES and RC2 suites (OpenSSL: !3DES:!IDEA:!DES:!RC2).")
          .evidence("cve", "CVE-2016-2183")
          .evidence("cipherSuites", sweet.names())
          .evidence("versions", sweet.versions())
          .build());
    }
    Suites freak = suites(e, (v, i) -> "RSA_EXPORT".equals(i.keyExchange()));
    if (!freak.names.isEmpty()) {
      out.add(Finding.builder(Code.FREAK)
          .title("FREAK: the server accepts export RSA suites")
          .detail(where + " accepts " + String.join(", ", freak.names) + " (with "
              + String.join(", ", freak.versions) + "). An attacker in the path downgrades a "
              + "vulnerable client to a 512-bit RSA key, factors it in hours and reads or changes "
              + "the session (FREAK, CVE-2015-0204).")
          .remediation("Remove every export suite (OpenSSL: !EXPORT).")
          .evidence("cve", "CVE-2015-0204")
          .evidence("cipherSuites", freak.names())
          .evidence("versions", freak.versions())
          .build());
    }
    logjam(out, e, where);
    return out;
  }

  /*
   * Export DHE: the group the server really sends when the enumeration read it ("measured"), else
   * the 512-bit export limit ("assumed"). Many servers sent a 1024-bit group with export suites;
   * that is judged like any 1024-bit group (MEDIUM), and a group above LOGJAM_BITS leaves only the
   * 40-bit cipher, which CIPHER_EXPORT names.
   */
  private static void logjam(List<Finding> out, Enumeration e, String where) {
    Suites export = suites(e, (v, i) -> "DHE_EXPORT".equals(i.keyExchange()));
    Optional<DhParameters> dh = e.dhParameters();
    Optional<DhParameters> measured = e.exportDhParameters();
    int exportBits = measured.map(DhParameters::bits).orElse(512);
    if (!export.names.isEmpty() && exportBits <= LOGJAM_BITS) {
      Finding.Builder f = Finding.builder(Code.LOGJAM)
          .title("Logjam: the server accepts export DHE suites" + (measured.isPresent()
              ? " with a " + exportBits + "-bit group" : ""))
          .detail(where + " accepts " + String.join(", ", export.names) + " (with "
              + String.join(", ", export.versions) + "). " + (measured.isPresent()
                  ? "With them it sends a " + exportBits + "-bit Diffie-Hellman group (read from its "
                      + "ServerKeyExchange); "
                  : "Export DHE limits the group to 512 bits (assumed: the group was not read); ")
              + "an attacker in the path downgrades a client to it and solves the discrete "
              + "logarithm " + (exportBits <= 512 ? "in minutes after a precomputation"
                  : "with a precomputation within reach of a state") + " (Logjam, CVE-2015-4000).")
          .remediation("Remove every export suite (OpenSSL: !EXPORT) and use ffdhe2048 or larger for "
              + "the other DHE suites, or ECDHE only.")
          .evidence("cve", "CVE-2015-4000")
          .evidence("cipherSuites", export.names())
          .evidence("versions", export.versions())
          .evidence("bits", exportBits)
          .evidence("bitsSource", measured.isPresent() ? "measured" : "assumed")
          .evidence("group", measured.map(m -> DhGroups.known(m.p()).orElse("custom"))
              .orElse("export (at most 512 bits)"));
      if (exportBits > 512) {
        f.severity(Severity.MEDIUM);
      }
      out.add(f.build());
    } else if (dh.isPresent() && dh.get().bits() <= LOGJAM_BITS) {
      Suites dhe = suites(e, (v, i) -> i.keyExchange().equals("DHE"));
      out.add(Finding.builder(Code.LOGJAM)
          .severity(Severity.MEDIUM)
          .title("Logjam: the server's DHE group has only " + dh.get().bits() + " bits")
          .detail(where + " uses a " + dh.get().bits() + "-bit Diffie-Hellman group with "
              + (dhe.names.isEmpty() ? "its DHE suites" : String.join(", ", dhe.names)) + ". Groups "
              + "of " + LOGJAM_BITS + " bits or less are within reach of the precomputation "
              + "described with Logjam (CVE-2015-4000), above all the widely shared ones.")
          .remediation("Use ffdhe2048 or larger (RFC 7919), or drop DHE in favour of ECDHE.")
          .evidence("cve", "CVE-2015-4000")
          .evidence("bits", dh.get().bits())
          .evidence("group", DhGroups.known(dh.get().p()).orElse("custom"))
          .evidence("cipherSuites", dhe.names())
          .build());
    }
  }

  /** Suites accepted by some version, by name, and those versions, in enumeration order. */
  private record Suites(List<String> names, List<String> versions) {}

  private static Suites suites(Enumeration e, BiPredicate<TlsVersion, CipherSuites.Info> member) {
    Set<String> names = new LinkedHashSet<>();
    Set<String> versions = new LinkedHashSet<>();
    for (Map.Entry<TlsVersion, List<CipherSuite>> entry : e.cipherSuites().entrySet()) {
      for (CipherSuite s : entry.getValue()) {
        Optional<CipherSuites.Info> info = CipherSuites.find(s.code());
        if (info.isPresent() && member.test(entry.getKey(), info.get())) {
          names.add(s.name());
          versions.add(entry.getKey().name());
        }
      }
    }
    return new Suites(List.copyOf(names), List.copyOf(versions));
  }
}
