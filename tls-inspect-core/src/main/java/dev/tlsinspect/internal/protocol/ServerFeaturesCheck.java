package dev.tlsinspect.internal.protocol;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Severity;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ServerFeatures;
import dev.tlsinspect.probe.TlsVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Findings from the extra handshakes of a full inspection: RFC 5746 secure renegotiation,
 * client-initiated renegotiation, TLS compression (CRIME), TLS_FALLBACK_SCSV, Extended Master
 * Secret, session resumption, ALPN, TLS 1.3 early data and HSTS. Silent when the features were
 * not learned (quick mode, or a provider that cannot learn them).
 */
public final class ServerFeaturesCheck implements Check {
  private static final Pattern MAX_AGE = Pattern.compile("(?i)(?:^|;)\\s*max-age\\s*=\\s*\"?(\\d{1,12})\"?");
  /** Half a year: below it, HSTS preload lists refuse the site and a visitor is soon unprotected. */
  private static final long SHORT_MAX_AGE = 15_768_000L;

  @Override
  public String id() {
    return "server-features";
  }

  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder("server-features")
        .summary("Renegotiation, compression, downgrade protection, Extended Master Secret, resumption, "
            + "ALPN, early data and HSTS, each from one extra handshake")
        .codes(Code.INSECURE_RENEGOTIATION, Code.CLIENT_RENEGOTIATION, Code.TLS_COMPRESSION,
            Code.NO_FALLBACK_SCSV, Code.NO_EXTENDED_MASTER_SECRET, Code.EARLY_DATA_ACCEPTED,
            Code.HSTS_MISSING, Code.SESSION_RESUMPTION, Code.ALPN_NO_HTTP2, Code.SIGNATURE_SCHEMES,
            Code.SIGNATURE_SCHEME_MISMATCH)
        .reference("RFC 5746")
        .reference("RFC 7507")
        .reference("RFC 7627")
        .reference("RFC 5077")
        .reference("RFC 7301")
        .reference("RFC 8446")
        .reference("RFC 6797")
        .reference("CVE-2009-3555")
        .reference("CVE-2011-1473")
        .reference("CVE-2012-4929")
        .since("0.1.0")
        .needs(CheckDescriptor.Input.SERVER_FEATURES)
        .needs(CheckDescriptor.Input.OPTIONS)
        .build();
  }

  @Override
  public List<Finding> evaluate(CheckContext ctx) {
    Optional<ServerFeatures> maybe = ctx.serverFeatures();
    if (maybe.isEmpty()) {
      return List.of();
    }
    ServerFeatures f = maybe.get();
    String target = ctx.target().toString();
    List<Finding> out = new ArrayList<>();
    if (f.secureRenegotiation().equals(Optional.of(false))) {
      out.add(Finding.builder(Code.INSECURE_RENEGOTIATION)
          .severity(Severity.HIGH)
          .title("The server does not support secure renegotiation (RFC 5746)")
          .detail(target + " answered a TLS 1.2 ClientHello that offered renegotiation_info without "
              + "the extension: it does not implement RFC 5746. If it renegotiates at all, a "
              + "man-in-the-middle can splice its own request in front of a client's (CVE-2009-3555); "
              + "and clients that insist on RFC 5746 (OpenSSL 3 by default, Bouncy Castle, FIPS "
              + "configurations) refuse to connect.")
          .remediation("Upgrade the TLS library; every maintained stack implements RFC 5746. In "
              + "GnuTLS remove %UNSAFE_RENEGOTIATION or %DISABLE_SAFE_RENEGOTIATION from the priority "
              + "string; in OpenSSL remove -legacy_renegotiation / SSL_OP_LEGACY_SERVER_CONNECT.")
          .evidence("renegotiationInfo", false)
          .evidence("references", List.of("RFC 5746", "CVE-2009-3555"))
          .build());
    }
    if (f.clientRenegotiation().equals(Optional.of(true))) {
      boolean secure = f.secureRenegotiation().orElse(false);
      // Secure (RFC 5746) renegotiation started by the client only lets one connection cost the
      // server many handshakes; JSSE servers allow it by default: a fact, not a warning. Without
      // RFC 5746 it is also the CVE-2009-3555 splice.
      out.add(Finding.builder(Code.CLIENT_RENEGOTIATION)
          .severity(secure ? Severity.INFO : Severity.MEDIUM)
          .title("The server accepts client-initiated renegotiation")
          .detail(target + " went on with a renegotiation that the client started on an established "
              + "TLS 1.2 connection. Each renegotiation costs the server a full handshake's "
              + "public-key operation while the client pays little, so one connection can keep a "
              + "server core busy (CVE-2011-1473)"
              + (secure ? "." : "; and without RFC 5746 the renegotiation itself is insecure."))
          .remediation("Refuse client-initiated renegotiation: OpenSSL 3 does by default (remove "
              + "-client_renegotiation / SSL_OP_ALLOW_CLIENT_RENEGOTIATION), nginx and Apache httpd do; "
              + "in Java set jdk.tls.rejectClientInitiatedRenegotiation=true on the server JVM; "
              + "TLS 1.3 has no renegotiation.")
          .evidence("secureRenegotiation", secure)
          .evidence("references", List.of("CVE-2011-1473"))
          .build());
    }
    if (f.compression().equals(Optional.of(true))) {
      out.add(Finding.builder(Code.TLS_COMPRESSION)
          .severity(Severity.HIGH)
          .title("The server accepts TLS compression (CRIME)")
          .detail(target + " chose DEFLATE compression when a client offered it. Compressing secrets "
              + "together with attacker-chosen data lets a network attacker recover cookies and "
              + "tokens from the length of the records (CRIME, CVE-2012-4929).")
          .remediation("Disable TLS-level compression (OpenSSL: SSL_OP_NO_COMPRESSION, the default "
              + "since 1.1.0; remove -comp / Options Compression); TLS 1.3 has none.")
          .evidence("compressionMethod", "DEFLATE")
          .evidence("references", List.of("CVE-2012-4929"))
          .build());
    }
    if (f.fallbackScsv().equals(Optional.of(false))) {
      String offered = f.fallbackVersion().map(TlsVersion::name).orElse("?");
      // A fallback to TLS 1.2 from TLS 1.3 is caught by TLS 1.3's own downgrade sentinel (RFC 8446
      // 4.1.3) in every client that speaks 1.3: SunJSSE servers, which never implemented RFC 7507,
      // are then no worse off. Only a fallback below TLS 1.2 is a real downgrade.
      boolean below12 = f.fallbackVersion().map(v -> v.compareTo(TlsVersion.TLS_1_2) < 0).orElse(false)
          || ctx.enumeration().map(e -> e.acceptedVersions().stream()
              .anyMatch(v -> v.compareTo(TlsVersion.TLS_1_2) < 0)).orElse(false);
      out.add(Finding.builder(Code.NO_FALLBACK_SCSV)
          .severity(below12 ? Severity.LOW : Severity.INFO)
          .title("The server ignores TLS_FALLBACK_SCSV (no downgrade protection)")
          .detail(target + " accepted a ClientHello that offered at most " + offered
              + " and carried TLS_FALLBACK_SCSV, although it supports a higher version: it should "
              + "have answered inappropriate_fallback (RFC 7507). A client that retries with a lower "
              + "version after a failed connection can be pushed down to it by an attacker"
              + (below12 ? ", and this server still accepts versions below TLS 1.2."
                  : "; clients that speak TLS 1.3 are protected by its downgrade sentinel, and this "
                  + "server accepts nothing below TLS 1.2."))
          .remediation("Upgrade the TLS library (OpenSSL, GnuTLS and Bouncy Castle honour RFC 7507; "
              + "the JDK's SunJSSE does not), or disable the versions below TLS 1.2 so that there is "
              + "nothing worth falling back to.")
          .evidence("offeredVersion", offered)
          .evidence("acceptsBelowTls12", below12)
          .evidence("references", List.of("RFC 7507"))
          .build());
    }
    if (f.extendedMasterSecret().equals(Optional.of(false))) {
      boolean tls13 = acceptsTls13(ctx);
      out.add(Finding.builder(Code.NO_EXTENDED_MASTER_SECRET)
          .severity(tls13 ? Severity.LOW : Severity.MEDIUM)
          .title("The server does not support Extended Master Secret (RFC 7627)")
          .detail(target + " answered a TLS 1.2 ClientHello that offered extended_master_secret "
              + "without it. Without it, TLS 1.2 sessions are open to the triple-handshake attack; "
              + "JVMs in FIPS 140-3 mode and hardened clients (jdk.tls.useExtendedMasterSecret with "
              + "allowLegacyMasterSecret=false, some FIPS OpenSSL builds) refuse TLS 1.2 to such a "
              + "server" + (tls13 ? "; clients that speak TLS 1.3 are not affected." : ", and the "
              + "server offers no TLS 1.3 for them to use instead."))
          .remediation("Upgrade the TLS library or turn EMS back on (GnuTLS: remove %NO_SESSION_HASH; "
              + "OpenSSL supports it since 1.1.0); enabling TLS 1.3 also avoids the problem for "
              + "modern clients.")
          .evidence("extendedMasterSecret", false)
          .evidence("tls13", tls13)
          .evidence("references", List.of("RFC 7627"))
          .build());
    }
    OptionalLong early = f.maxEarlyData();
    if (early.isPresent() && early.getAsLong() > 0) {
      out.add(Finding.builder(Code.EARLY_DATA_ACCEPTED)
          .severity(Severity.LOW)
          .title("The server accepts TLS 1.3 early data (0-RTT)")
          .detail(target + " issued a TLS 1.3 session ticket that allows " + early.getAsLong()
              + " bytes of early data. 0-RTT data can be replayed by a network attacker (RFC 8446 "
              + "section 8): the application must only accept idempotent requests in it.")
          .remediation("Disable early data (OpenSSL: SSL_CTX_set_max_early_data 0, nginx: "
              + "ssl_early_data off) unless the application rejects replays (HTTP: 425 Too Early for "
              + "non-idempotent requests).")
          .evidence("maxEarlyData", early.getAsLong())
          .evidence("references", List.of("RFC 8446 §8", "RFC 8470"))
          .build());
    }
    f.http().ifPresent(http -> hsts(target, http).ifPresent(out::add));
    resumption(target, f).ifPresent(out::add);
    alpn(target, f).ifPresent(out::add);
    signatureSchemes(ctx, target, f, out);
    return out;
  }

  /*
   * The schemes as a fact, then each selected client profile (this JVM always) against the
   * schemes the server signs with at the version that client would get: none in common is JSSE's
   * "No appropriate signature algorithm" (or the client's equivalent) on every handshake.
   */
  private static void signatureSchemes(CheckContext ctx, String target, ServerFeatures f, List<Finding> out) {
    if (f.signatureSchemes().isEmpty()) {
      return;
    }
    List<String> parts = new ArrayList<>();
    f.signatureSchemes().forEach((v, s) -> parts.add(v.name() + ": " + String.join(", ", s)));
    List<String> counts = new ArrayList<>();
    f.signatureSchemes().forEach((v, s) -> counts.add(s.size() + " in " + v.name()));
    Finding.Builder fact = Finding.builder(Code.SIGNATURE_SCHEMES)
        .severity(Severity.INFO)
        .title("Signature schemes the server signs with: " + String.join(", ", counts))
        .detail(target + " signed its handshake with these schemes, in the order it chose them, when "
            + "each earlier one was withheld: " + String.join("; ", parts) + ".")
        .remediation("Nothing to do; a client that offers none of them cannot connect.");
    // One key per version (evidence values are flat): "TLSv1.3": [...]
    f.signatureSchemes().forEach((v, s) -> fact.evidence(v.name(), s));
    out.add(fact.build());
    List<dev.tlsinspect.ClientProfile> profiles = new ArrayList<>();
    profiles.add(dev.tlsinspect.ClientProfiles.thisJvm());
    for (String name : ctx.options().clientProfiles()) {
      dev.tlsinspect.ClientProfiles.named(name)
          .filter(p -> profiles.stream().noneMatch(q -> q.name().equals(p.name())))
          .ifPresent(profiles::add);
    }
    for (dev.tlsinspect.ClientProfile p : profiles) {
      if (p.signatureSchemes().isEmpty()) {
        continue;
      }
      Optional<TlsVersion> version = p.versions().stream()
          .filter(v -> accepts(ctx, f, v)).max(java.util.Comparator.naturalOrder());
      if (version.isEmpty() || !f.signatureSchemes().containsKey(version.get())) {
        continue;
      }
      List<String> server = f.signatureSchemes().get(version.get());
      if (server.stream().anyMatch(p.signatureSchemes()::contains)) {
        continue;
      }
      boolean obsolete = p.obsolete().isPresent();
      out.add(Finding.builder(Code.SIGNATURE_SCHEME_MISMATCH)
          .severity(obsolete ? Severity.LOW : Severity.HIGH)
          .title("Client '" + p.name() + "' offers none of the signature schemes the server signs with")
          .detail(p.description() + " would negotiate " + version.get().name() + " with " + target
              + ", which signs only with " + String.join(", ", server) + "; the client offers "
              + String.join(", ", p.signatureSchemes()) + ". The handshake fails (JSSE: \"No "
              + "appropriate signature algorithm\" or \"No supported signature algorithm\").")
          .remediation("Give the server a key and certificate the client can verify (an RSA key "
              + "serves rsa_pss_rsae_* and rsa_pkcs1_*, an ECDSA P-256 key ecdsa_secp256r1_sha256), or "
              + "enable more schemes on the server (OpenSSL: SignatureAlgorithms / -sigalgs).")
          .evidence("profile", p.name())
          .evidence("version", version.get().name())
          .evidence("serverSchemes", server)
          .evidence("clientSchemes", p.signatureSchemes())
          .build());
    }
  }

  private static boolean accepts(CheckContext ctx, ServerFeatures f, TlsVersion v) {
    Optional<dev.tlsinspect.Enumeration> e = ctx.enumeration().filter(x -> !x.acceptedVersions().isEmpty());
    return e.isPresent() ? e.get().acceptedVersions().contains(v) : f.signatureSchemes().containsKey(v);
  }

  private static boolean acceptsTls13(CheckContext ctx) {
    if (ctx.enumeration().map(e -> e.acceptedVersions().contains(TlsVersion.TLS_1_3)).orElse(false)) {
      return true;
    }
    return ctx.observation().flatMap(Observation::version).map(TlsVersion.TLS_1_3::equals).orElse(false);
  }

  private static Optional<Finding> hsts(String target, ServerFeatures.HttpHead http) {
    Optional<String> header = http.strictTransportSecurity();
    Optional<Long> maxAge = header.flatMap(ServerFeaturesCheck::maxAge);
    if (header.isPresent() && maxAge.isPresent() && maxAge.get() > 0) {
      return Optional.empty();
    }
    String why = header.isEmpty() ? "sent no Strict-Transport-Security header"
        : "sent a Strict-Transport-Security header without a positive max-age, which disables HSTS";
    Finding.Builder b = Finding.builder(Code.HSTS_MISSING)
        .severity(Severity.LOW)
        .title("The HTTPS endpoint does not enable HSTS")
        .detail(target + " answered HEAD / with status " + http.status() + " and " + why + ". "
            + "Without HSTS a browser that is sent to http:// first can be kept on plain HTTP by a "
            + "network attacker (SSL stripping).")
        .remediation("Send Strict-Transport-Security: max-age=31536000; includeSubDomains on every "
            + "HTTPS response (nginx: add_header Strict-Transport-Security \"max-age=31536000; "
            + "includeSubDomains\" always;).")
        .evidence("httpStatus", http.status())
        .evidence("references", List.of("RFC 6797"));
    header.ifPresent(h -> b.evidence("strictTransportSecurity", h));
    return Optional.of(b.build());
  }

  static Optional<Long> maxAge(String header) {
    Matcher m = MAX_AGE.matcher(header);
    return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
  }

  private static Optional<Finding> resumption(String target, ServerFeatures f) {
    if (f.sessionIdResumption().isEmpty() && f.sessionTicket().isEmpty() && f.tls13TicketLifetime().isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> evidence = new LinkedHashMap<>();
    List<String> parts = new ArrayList<>();
    f.sessionIdResumption().ifPresent(b -> {
      evidence.put("sessionIdResumption", b);
      parts.add(b ? "by session ID" : "not by session ID");
    });
    f.sessionTicket().ifPresent(b -> {
      evidence.put("sessionTicket", b);
      parts.add(b ? "TLS 1.2 tickets" + f.ticketLifetime().map(d -> " (" + human(d) + ")").orElse("")
          : "no TLS 1.2 tickets");
    });
    f.ticketLifetime().ifPresent(d -> evidence.put("ticketLifetimeSeconds", d.toSeconds()));
    f.ticketResumption().ifPresent(b -> {
      evidence.put("ticketResumption", b);
      parts.add(b ? "by TLS 1.2 ticket" : "not by the TLS 1.2 ticket it issued");
    });
    f.tls13TicketLifetime().ifPresent(d -> {
      evidence.put("tls13TicketLifetimeSeconds", d.toSeconds());
      parts.add("TLS 1.3 tickets (" + human(d) + ")");
    });
    f.notes().forEach((k, v) -> {
      if (k.startsWith("session") || k.startsWith("ticket")) {
        evidence.put(k + "Note", v);
      }
    });
    // A ticket issued and then not honoured: typical of several nodes behind one name that do
    // not share their ticket keys, so a client's reconnect lands on a node that cannot read it.
    boolean ticketRefused = f.sessionTicket().orElse(false) && !f.ticketResumption().orElse(true);
    Finding.Builder b = Finding.builder(Code.SESSION_RESUMPTION)
        .severity(Severity.INFO)
        .title("Session resumption: " + String.join(", ", parts))
        .detail(target + " resumes sessions: " + String.join("; ", parts) + " (ticket lifetimes in "
            + "parentheses). Resumption saves the full handshake "
            + "on reconnects; long ticket lifetimes weaken forward secrecy when the ticket key "
            + "is not rotated."
            + (ticketRefused ? " It issued a TLS 1.2 session ticket and then made a full handshake "
                + "when the ticket was offered on a new connection: several servers behind this "
                + "address that do not share their ticket keys do that, and so does a server "
                + "restarted or rotating its key in between." : ""))
        .remediation(ticketRefused
            ? "If several servers answer for this address, give them the same ticket keys, rotated "
                + "together (nginx ssl_session_ticket_key, HAProxy tls-ticket-keys), or turn tickets "
                + "off so clients do not offer tickets that will be refused."
            : "Nothing to do unless connection setup cost matters (enable resumption) or the "
                + "ticket key is never rotated (rotate it, or shorten the lifetime).");
    evidence.forEach(b::evidence);
    return Optional.of(b.build());
  }

  private static Optional<Finding> alpn(String target, ServerFeatures f) {
    // Only an HTTP server that lacks h2: a server that selects nothing may not speak HTTP at all.
    if (f.alpnOffered().isEmpty() || !f.alpnSelected().map("http/1.1"::equals).orElse(false)) {
      return Optional.empty();
    }
    String selected = f.alpnSelected().get();
    return Optional.of(Finding.builder(Code.ALPN_NO_HTTP2)
        .severity(Severity.INFO)
        .title("The server does not select HTTP/2 (h2) by ALPN")
        .detail(target + " was offered " + String.join(", ", f.alpnOffered()) + " and selected "
            + selected + ". gRPC clients and clients "
            + "that require HTTP/2 fail to connect (gRPC-Java: \"Failed ALPN negotiation\").")
        .remediation("If HTTP/2 or gRPC clients use this endpoint, enable HTTP/2 (nginx: "
            + "listen 443 ssl; http2 on;). Otherwise nothing to do.")
        .evidence("alpnOffered", f.alpnOffered())
        .evidence("alpnSelected", selected)
        .build());
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    if (s % 86_400 == 0 && s > 0) {
      return (s / 86_400) + " d";
    }
    if (s % 3600 == 0 && s > 0) {
      return (s / 3600) + " h";
    }
    return s + " s";
  }
}
