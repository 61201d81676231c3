package dev.tlsinspect.internal.explain;

import static dev.tlsinspect.Explanation.Confidence.HIGH;
import static dev.tlsinspect.Explanation.Confidence.LOW;
import static dev.tlsinspect.Explanation.Confidence.MEDIUM;

import dev.tlsinspect.Code;
import dev.tlsinspect.Explanation.Candidate;
import dev.tlsinspect.Explanation.Confidence;
import dev.tlsinspect.Explanation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/*
 * The JDK exception messages of java-tls-notes section 2.5 (client and server side), as rules:
 * a rule matches one element of the cause chain (by normalised message text, by exception class
 * name, or by CertPathValidatorException reason) and proposes candidate codes with a confidence.
 *
 * Ranking: candidates from every matching rule are merged by code (the highest confidence wins,
 * and the first rule that gave it supplies the why); then ordered by confidence, then by rule
 * order (specific rules come first), then by order within the rule. Fallback rules ("validity
 * check failed" without the date that failed) only count when no specific rule matched, and
 * generic rules ("some SSLHandshakeException", "some fatal alert") only when neither did, so a
 * precise message is never diluted by the class or the vaguer message that carries it.
 *
 * A rule never matches on words that also occur in unrelated errors ("not found", "timeout",
 * "closed"): an exception that is not about TLS or the connection gets no candidate.
 */
/** Maps a cause chain to ranked candidate root causes. Not API. */
public final class ExplainRules {
  private static final int MAX_MATCHED = 300;

  /** Each tier counts only when no earlier tier matched. */
  private enum Tier { SPECIFIC, FALLBACK, GENERIC }

  private record Proposal(Code code, Confidence confidence, String reason) {}

  private record Rule(String entry, Tier tier, String meaning, Predicate<ExceptionChain.Element> when,
      List<Proposal> proposals) {}

  private static final List<Rule> RULES = new ArrayList<>();

  private ExplainRules() {}

  /**
   * Explains a chain.
   *
   * @param chain the chain
   * @return the explanation, without verification
   */
  public static Explanation explain(ExceptionChain chain) {
    List<ExceptionChain.Element> elements = chain.elements();
    Map<Code, Ranked> byCode = new LinkedHashMap<>();
    boolean matchedEarlier = false;
    for (Tier tier : Tier.values()) {
      if (matchedEarlier) {
        break;
      }
      for (int r = 0; r < RULES.size(); r++) {
        Rule rule = RULES.get(r);
        if (rule.tier() != tier) {
          continue;
        }
        ExceptionChain.Element hit = null;
        for (ExceptionChain.Element e : elements) {
          if (rule.when().test(e)) {
            hit = e;
            break;
          }
        }
        if (hit == null) {
          continue;
        }
        matchedEarlier = true;
        for (int p = 0; p < rule.proposals().size(); p++) {
          Proposal proposal = rule.proposals().get(p);
          Ranked ranked = new Ranked(proposal, rule, hit, r, p);
          Ranked old = byCode.get(proposal.code());
          if (old == null || proposal.confidence().compareTo(old.proposal.confidence()) < 0) {
            byCode.put(proposal.code(), ranked);
          }
        }
      }
    }
    List<Ranked> ranked = new ArrayList<>(byCode.values());
    ranked.sort(Comparator.comparing((Ranked x) -> x.proposal.confidence())
        .thenComparingInt(x -> x.rule)
        .thenComparingInt(x -> x.index));
    List<Candidate> candidates = new ArrayList<>();
    for (Ranked x : ranked) {
      candidates.add(new Candidate(x.proposal.code(), x.proposal.confidence(),
          x.source.meaning() + " " + x.proposal.reason(), Confirmations.of(x.proposal.code()),
          matched(x.hit)));
    }
    return new Explanation(summary(candidates, ranked, elements), chain.causes(), candidates,
        java.util.Optional.empty());
  }

  private static final class Ranked {
    final Proposal proposal;
    final Rule source;
    final ExceptionChain.Element hit;
    final int rule;
    final int index;

    Ranked(Proposal proposal, Rule source, ExceptionChain.Element hit, int rule, int index) {
      this.proposal = proposal;
      this.source = source;
      this.hit = hit;
      this.rule = rule;
      this.index = index;
    }
  }

  private static String matched(ExceptionChain.Element e) {
    String text = e.type.isEmpty() ? e.message() : e.type + (e.message().isEmpty() ? "" : ": " + e.message());
    return text.length() <= MAX_MATCHED ? text : text.substring(0, MAX_MATCHED - 3) + "...";
  }

  private static String summary(List<Candidate> candidates, List<Ranked> ranked,
      List<ExceptionChain.Element> elements) {
    if (candidates.isEmpty()) {
      if (elements.isEmpty()) {
        return "Not recognised: no exception text.";
      }
      return "Not recognised as a TLS or connection failure: " + clip(matched(elements.get(0)), 160);
    }
    Candidate first = candidates.get(0);
    StringBuilder sb = new StringBuilder("Most likely ").append(first.code())
        .append(" (").append(first.confidence()).append(")");
    if (candidates.size() > 1) {
      sb.append("; also ");
      for (int i = 1; i < candidates.size(); i++) {
        sb.append(i > 1 ? ", " : "").append(candidates.get(i).code());
      }
    }
    sb.append(". From JDK message ").append(ranked.get(0).source.entry()).append(": ")
        .append(clip(ranked.get(0).hit.message().isEmpty() ? ranked.get(0).hit.type
            : ranked.get(0).hit.message(), 120));
    // The JDK version and client library change what a message means; say what was read.
    String told = elements.get(0).context.describe();
    if (!told.isEmpty()) {
      sb.append(" (the text shows ").append(told).append(')');
    }
    if (first.confidence() != HIGH && candidates.size() > 1) {
      sb.append(". The text alone cannot decide: each candidate says what tells it apart");
    }
    return sb.toString();
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }

  // --- matching helpers ---------------------------------------------------------------------

  private static Predicate<ExceptionChain.Element> text(String... needles) {
    return e -> {
      for (String n : needles) {
        if (e.lower.contains(n)) {
          return true;
        }
      }
      return false;
    };
  }

  private static Predicate<ExceptionChain.Element> type(String... simpleNames) {
    return e -> {
      for (String n : simpleNames) {
        if (e.hasType(n)) {
          return true;
        }
      }
      return false;
    };
  }

  private static Predicate<ExceptionChain.Element> reason(String... reasons) {
    return e -> {
      for (String r : reasons) {
        if (e.reason.equals(r)) {
          return true;
        }
      }
      return false;
    };
  }

  /** A fatal alert received (client side, or a server log), or sent by this side (JDK 25 prefix). */
  private static Predicate<ExceptionChain.Element> alert(String name) {
    String spaced = name.replace('_', ' ');
    // JSSE; OpenSSL 1.x/3.x reason strings ("sslv3 alert handshake failure", "tlsv1 alert unknown
    // ca"); BoringSSL/Conscrypt/netty-tcnative codes (SSLV3_ALERT_HANDSHAKE_FAILURE); Bouncy
    // Castle (TlsFatalAlertReceived: handshake_failure(40)); Harmony ("Fatal alert received
    // bad_record_mac").
    return text("received fatal alert: " + name, "alert: " + name, "alert " + spaced + ":",
        "alert " + spaced + " ", "alert_" + name, name + "(", "fatal alert received " + name,
        "warning, " + name).or(e -> e.lower.endsWith("alert " + spaced));
  }

  private static final java.util.regex.Pattern OKHTTP_HOST =
      java.util.regex.Pattern.compile("hostname (\\S{1,253}) not verified");
  private static final java.util.regex.Pattern COMMON_NAME =
      java.util.regex.Pattern.compile("\\bcn=([^,\\s]{1,253})");

  /** OkHttp's message names the host and the certificate's DN: is the CN that very host? */
  private static boolean commonNameIsHost(ExceptionChain.Element e) {
    java.util.regex.Matcher host = OKHTTP_HOST.matcher(e.lower);
    java.util.regex.Matcher cn = COMMON_NAME.matcher(e.lower);
    return host.find() && cn.find() && host.group(1).equals(cn.group(1));
  }

  private static Predicate<ExceptionChain.Element> ctx(Predicate<ExceptionChain.Context> p) {
    return e -> p.test(e.context);
  }

  private static Proposal p(Code code, Confidence confidence, String reason) {
    return new Proposal(code, confidence, reason);
  }

  private static void rule(String entry, String meaning, Predicate<ExceptionChain.Element> when,
      Proposal... proposals) {
    RULES.add(new Rule(entry, Tier.SPECIFIC, meaning, when, List.of(proposals)));
  }

  private static void fallback(String entry, String meaning, Predicate<ExceptionChain.Element> when,
      Proposal... proposals) {
    RULES.add(new Rule(entry, Tier.FALLBACK, meaning, when, List.of(proposals)));
  }

  private static void generic(String entry, String meaning, Predicate<ExceptionChain.Element> when,
      Proposal... proposals) {
    RULES.add(new Rule(entry, Tier.GENERIC, meaning, when, List.of(proposals)));
  }

  private static final String SERVER_LOG = "(Seen in a server's log, it means the client rejected "
      + "this server's certificate.)";

  static {
    // --- context-decided readings: before the plain message rules ------------------------------
    // A certificate dated before 2000 compared with "now" means the device's clock was never
    // set (1970 after a reset): the text alone decides.
    rule("clock", "The certificate was checked against a date in 1970 or another long-past year: "
            + "the device's clock is not set ('compared to ... 1970', 'validation time').",
        text("compared to", "current time:").and(text(" 1970", " 1980", " 1999", " 2000 ")),
        p(Code.CLOCK_SKEW, HIGH, "Set the clock (NTP, network time); the certificate is fine."),
        p(Code.CERT_NOT_YET_VALID, LOW, "Only if the clock is right."));
    rule("Harmony", "Android's Harmony trust manager found a certificate outside its validity "
            + "('current time: ..., validation time: ...').",
        text("current time:").and(text("validation time:")),
        p(Code.CLOCK_SKEW, MEDIUM, "Compare 'current time' with the real date: a device clock that "
            + "is behind makes every certificate look not yet valid."),
        p(Code.CERT_NOT_YET_VALID, MEDIUM, "Or the certificate's start date is in the future."),
        p(Code.CERT_EXPIRED, LOW, "Or it has expired (validation time before current time)."));
    rule("Conscrypt", "Android's trust manager rejected the chain without naming why ('Chain "
            + "validation failed'); on Android it is most often the device's clock.",
        text("chain validation failed"),
        p(Code.CLOCK_SKEW, MEDIUM, "A device clock that is wrong makes valid certificates look "
            + "expired or not yet valid."),
        p(Code.CERT_NOT_YET_VALID, MEDIUM, "Or a certificate not valid yet."),
        p(Code.CERT_EXPIRED, MEDIUM, "Or an expired one."),
        p(Code.CHAIN_UNTRUSTED, LOW, "Or a chain the device does not trust."));
    rule("OCSP", "An OCSP response was judged stale ('Response is unreliable: its validity "
            + "interval is out-of-date').",
        text("its validity interval is out-of-date", "response is unreliable"),
        p(Code.CLOCK_SKEW, MEDIUM, "This device's clock is wrong, so a fresh response looks stale."),
        p(Code.REVOCATION_STATUS_UNKNOWN, MEDIUM, "Or the responder serves stale responses."));
    rule("Schannel", "Windows could not check the certificate's revocation (CRYPT_E_NO_REVOCATION_"
            + "CHECK 0x80092012, CRYPT_E_REVOCATION_OFFLINE 0x80092013).",
        text("0x80092012", "0x80092013", "crypt_e_no_revocation_check", "crypt_e_revocation_offline",
            "revocation function was unable to check revocation", "failed checking ocsp status"),
        p(Code.REVOCATION_STATUS_UNKNOWN, MEDIUM, "The CRL or OCSP server cannot be reached from "
            + "here (a firewall allows TLS but not the CA's HTTP endpoints)."),
        p(Code.TLS_INTERCEPTION_SUSPECTED, MEDIUM, "Or an intercepting proxy's CA that names no "
            + "reachable CRL (schannel: git config http.schannelCheckRevoke false only as a stopgap)."));

    // Java 7 (and 6) support DH groups only up to 1024 bits: there "Could not generate DH
    // keypair" means the server's group is too LARGE for this client, the opposite of weak DH.
    rule("#42/JDK7", "This JDK cannot use the server's Diffie-Hellman group ('Could not generate DH "
            + "keypair'); on JDK 7 and older it means a group larger than 1024 bits.",
        text("could not generate dh keypair").and(ctx(c -> c.jdk() == 7)),
        p(Code.CLIENT_INCOMPATIBLE, HIGH, "The client JDK is too old for the server's 2048-bit DH "
            + "group: upgrade the client to JDK 8+, or prefer ECDHE suites on the server."),
        p(Code.WEAK_DH, LOW, "Only if the server's group is under 1024 bits."));
    rule("#42/DH", "This JDK could not generate a Diffie-Hellman key for the server's group ('Could "
            + "not generate DH keypair'): JDK 7 and older stop at 1024 bits, JDK 8 at 2048.",
        text("could not generate dh keypair").and(ctx(c -> c.jdk() != 7)),
        p(Code.WEAK_DH, MEDIUM, "A group this JDK's policy rejects as too small."),
        p(Code.CLIENT_INCOMPATIBLE, MEDIUM, "Or, as likely, a group larger than this JDK supports "
            + "(over 1024 bits on JDK 7, over 2048 on JDK 8): the trace's JDK version tells; "
            + "upgrade the client, or prefer ECDHE suites."));
    rule("#42", "This JVM's algorithm policy rejected the server's Diffie-Hellman public key ('DHPublicKey "
            + "does not comply to algorithm constraints').",
        text("dhpublickey does not comply"),
        p(Code.WEAK_DH, HIGH, "The server's DH group is smaller than jdk.tls.disabledAlgorithms "
            + "allows (under 1024 bits, or 2048 on recent JDKs)."));
    rule("#10/old", "The JDK's certificate policy rejected the chain ('Certificates does not conform "
            + "to algorithm constraints', the JDK 7/8 spelling, or 'Certificates do not conform').",
        text("certificates does not conform", "certificates do not conform"),
        p(Code.WEAK_SIGNATURE, MEDIUM, "A certificate signed with MD5 or SHA-1 (the usual cause: "
            + "the JDK 7u/8u updates that disabled MD5)."),
        p(Code.WEAK_KEY, MEDIUM, "Or an RSA key that is too small (under 1024 or 2048 bits)."));

    // --- host name: client libraries' own wordings --------------------------------------------
    // The CN holds the very host and there is no SAN: the name is right, only the SAN is missing.
    rule("OkHttp", "OkHttp's host-name verifier rejected a certificate whose common name is the "
            + "host but which has no subjectAltName ('Hostname x not verified ... DN: CN=x ... "
            + "subjectAltNames: []'); OkHttp reads subjectAltNames only.",
        text("not verified:").and(text("subjectaltnames: []")).and(ExplainRules::commonNameIsHost),
        p(Code.CERT_NO_SAN, HIGH, "Reissue the certificate with the name (an IP address as an IP "
            + "SAN) in subjectAltName."),
        p(Code.HOSTNAME_MISMATCH, HIGH, "No SAN can match the host."),
        p(Code.CERT_SELF_SIGNED, LOW, "Such certificates are usually self-made."));
    rule("OkHttp", "OkHttp's host-name verifier rejected the certificate ('Hostname x not "
            + "verified'); it reads subjectAltNames only, never the common name.",
        text("not verified:").and(text("subjectaltnames: []")),
        p(Code.HOSTNAME_MISMATCH, HIGH, "Nothing in it can match the host."),
        p(Code.CERT_NO_SAN, HIGH, "The certificate has no subjectAltName at all (the name is "
            + "only in the CN, which OkHttp and modern clients ignore): reissue it with SANs."),
        p(Code.CERT_SELF_SIGNED, LOW, "Such certificates are usually self-made."));
    rule("OkHttp", "OkHttp's host-name verifier rejected the certificate ('Hostname x not "
            + "verified'): no subjectAltName matches the host.",
        text("not verified:", "hostname not verified").and(text("hostname ")),
        p(Code.HOSTNAME_MISMATCH, HIGH, "The certificate's subjectAltNames (listed) do not include "
            + "the host: an IP address needs an IP SAN."),
        p(Code.TLS_INTERCEPTION_SUSPECTED, LOW, "If the DN names a proxy, an interceptor's "
            + "certificate."));
    rule("HttpClient", "Apache HttpClient 4.4+ rejected the certificate's names ('Certificate for "
            + "<x> doesn't match any of the subject alternative names: []').",
        text("doesn't match any of the subject alternative names: []"),
        // HttpClient lists the SANs of the host's type: "[]" means the certificate has no DNS
        // subjectAltName at all (HttpClient falls back to the CN only when there are no SANs).
        p(Code.CERT_NO_SAN, HIGH, "The certificate has no DNS subjectAltName: reissue it with the "
            + "host's name in SAN."),
        p(Code.HOSTNAME_MISMATCH, HIGH, "Nothing in it can match the host."),
        p(Code.CERT_SELF_SIGNED, LOW, "Such certificates are usually self-made."));
    rule("HttpClient", "Apache HttpClient rejected the certificate's names ('doesn't match any of "
            + "the subject alternative names', 4.0-4.3 'hostname in certificate didn't match').",
        text("doesn't match any of the subject alternative names", "hostname in certificate didn't match",
            "doesn't match common name of the certificate subject"),
        p(Code.HOSTNAME_MISMATCH, HIGH, "The certificate is for another name (listed after '!=')."),
        p(Code.SNI_REQUIRED, MEDIUM, "A server with several names sends its default certificate "
            + "when the client sends no SNI (HttpClient 4.2 and older, Java 6)."));

    // --- client certificates (mutual TLS) -------------------------------------------------------
    rule("mTLS", "A server got no client certificate although it requires one ('Empty server "
            + "certificate chain', 'null cert chain' on the server side of Netty/JSSE; "
            + "TLSV1_ALERT_CERTIFICATE_REQUIRED from BoringSSL).",
        text("empty server certificate chain", "null cert chain", "certificate_required",
            "certificate required", "error:1000045c", "no x.509 certificate for client authentication",
            "continuing without client authentication", "\"certificates\": <empty list>",
            "certificate chain <empty>", "peer sent no certificates", "peer did not return a certificate"),
        p(Code.CLIENT_CERT_REQUIRED, HIGH, "Mutual TLS is required and the client sent no "
            + "certificate: configure a key store with a certificate issued by a CA the server "
            + "accepts (its CertificateRequest lists them)."));
    rule("mTLS", "The server asked for a client certificate (a CertificateRequest in the "
            + "javax.net.debug trace).",
        text("*** certificaterequest", "consuming certificaterequest"),
        p(Code.CLIENT_CERT_REQUESTED, MEDIUM, "Check that the client then sent a certificate."),
        p(Code.CLIENT_CERT_REQUIRED, MEDIUM, "When the handshake then fails, the client had no "
            + "acceptable certificate."));

    // --- pinning, transparency, trust managers -----------------------------------------------
    rule("pinning", "A certificate pin did not match ('Certificate pinning failure!').",
        text("certificate pinning failure", "pin verification failed"),
        p(Code.TRUST_STORE_DIFFERS, MEDIUM, "The server's certificate (or CA) changed and the app "
            + "pins the old one: update the pins (pin the CA's key and a backup)."),
        p(Code.TLS_INTERCEPTION_SUSPECTED, MEDIUM, "Or a proxy re-signs TLS: the peer chain then "
            + "names its CA."),
        p(Code.APP_TLS_FAILS, LOW, "The application's own trust manager pins what the JVM's default "
            + "trusts: inspect with the application's context (TlsInspector.builder().clientTls(...)) "
            + "to confirm."));
    rule("CT", "Certificate Transparency verification failed.",
        text("certificate transparency failed"),
        p(Code.TLS_INTERCEPTION_SUSPECTED, MEDIUM, "An intercepting proxy's certificates carry no "
            + "SCTs."),
        p(Code.CHAIN_UNTRUSTED, LOW, "Or a private CA's certificate."));
    rule("trust", "No configured trust manager accepted the chain ('None of the TrustManagers "
            + "trust this server certificate chain').",
        text("none of the trustmanagers trust"),
        p(Code.CHAIN_UNTRUSTED, MEDIUM, "The chain's root is in none of the trust stores given."),
        p(Code.TRUST_STORE_DIFFERS, MEDIUM, "Or the application's trust stores lack a root the "
            + "default one has."),
        p(Code.CHAIN_INCOMPLETE, LOW, "Or the server does not send its intermediate."));
    rule("Kafka", "A Kafka client's TLS handshake failed ('Failed authentication with ... (SSL "
            + "handshake failed)'); the cause is in the client's log or the broker's.",
        text("(ssl handshake failed)"),
        p(Code.TRUST_STORE_DIFFERS, MEDIUM, "The client's truststore lacks the broker's CA."),
        p(Code.CHAIN_UNTRUSTED, MEDIUM, "Or the broker's chain ends at an unknown root."),
        p(Code.HOSTNAME_MISMATCH, MEDIUM, "Or the broker's certificate lacks the advertised name "
            + "(ssl.endpoint.identification.algorithm)."),
        p(Code.CLIENT_CERT_REQUIRED, LOW, "Or the broker requires a client certificate."));

    // --- versions and suites: other libraries -------------------------------------------------
    rule("JCE", "This JVM cannot run a configured cipher suite ('Cannot support X with currently "
            + "installed providers'): AES-256 without the unlimited-strength policy, or a suite "
            + "its providers lack.",
        text("with currently installed providers"),
        p(Code.LOCAL_CIPHER_DISABLED, HIGH, "Install the JCE unlimited-strength policy (Java 8 "
            + "before 8u161), upgrade the JDK, or remove the suite from the configuration."));
    rule("OkHttp", "OkHttp found no TLS version and cipher suite in its ConnectionSpec that the "
            + "socket supports ('Unable to find acceptable protocols').",
        text("unable to find acceptable protocols"),
        p(Code.LOCAL_PROTOCOL_DISABLED, MEDIUM, "The device does not enable TLS 1.2 by default "
            + "(Android 4.x): enable it on the socket factory or install a newer provider."),
        p(Code.LOCAL_CIPHER_DISABLED, MEDIUM, "Or the ConnectionSpec's suites are all unsupported "
            + "on this device."),
        p(Code.CLIENT_INCOMPATIBLE, MEDIUM, "The device is too old for the server's requirements."));
    rule("Android", "The platform does not support a configured protocol ('protocol SSLv3 is not "
            + "supported').",
        text("protocol sslv3 is not supported", "protocol sslv2hello is not supported",
            "protocol tlsv1 is not supported"),
        p(Code.LOCAL_PROTOCOL_DISABLED, HIGH, "The application enables a version the platform "
            + "removed: stop forcing it."));
    rule("Android", "An old client retried with SSLv3 after a failure ('Falling back to SSLv3 "
            + "because host is TLS intolerant').",
        text("because host is tls intolerant"),
        p(Code.NO_COMMON_PROTOCOL, MEDIUM, "The first handshake failed, usually because the "
            + "server does not accept the client's versions."),
        p(Code.CLIENT_INCOMPATIBLE, MEDIUM, "An old client (Android 4.x) the server no longer "
            + "serves."));
    rule("OpenSSL", "The server rejected every version the client offered (OpenSSL 'unsupported "
            + "protocol', 'wrong version number' after a ClientHello; Android 4.x).",
        text("get_server_hello:unsupported protocol", "unsupported_protocol", "tlsv1 alert protocol version"),
        p(Code.NO_COMMON_PROTOCOL, MEDIUM, "The server accepts only newer versions than the client "
            + "offers (Android 4.x enables TLS 1.2 only when asked)."),
        p(Code.CLIENT_INCOMPATIBLE, MEDIUM, "An old client the server no longer serves."));

    // --- not TLS, proxies, libraries' own reasons ---------------------------------------------
    rule("BoringSSL", "BoringSSL saw an HTTP request or an HTTP proxy request where a ClientHello "
            + "belongs (HTTP_REQUEST, HTTPS_PROXY_REQUEST, 'http request').",
        text("https_proxy_request", "http_request", "ssl routines:ssl23_get_client_hello:http request",
            ":http request", "https proxy request"),
        p(Code.NOT_TLS, HIGH, "Plain HTTP (or a CONNECT meant for a proxy) was sent to a TLS port: "
            + "use https:// for TLS ports, http:// for a plain proxy."),
        p(Code.PROXY_FAILED, MEDIUM, "A client configured to use this TLS port as a plain HTTP "
            + "proxy."));
    rule("proxy", "The HTTP proxy refused the CONNECT tunnel ('Unable to tunnel through proxy. "
            + "Proxy returns \"HTTP/1.1 407\"').",
        text("unable to tunnel through proxy"),
        p(Code.PROXY_FAILED, HIGH, "The proxy answered the CONNECT with an error (407: it wants "
            + "credentials; since 8u111 Basic is disabled for tunnels: "
            + "jdk.http.auth.tunneling.disabledSchemes)."));
    rule("BoringSSL", "An elliptic-curve key or group the TLS library cannot decode (UNKNOWN_GROUP, "
            + "DECODE_ERROR).",
        text("unknown_group", "ec routines").and(text("decode_error", "unknown_group")),
        p(Code.CLIENT_INCOMPATIBLE, MEDIUM, "A certificate key on a curve this client does not "
            + "support (for example secp521r1 in BoringSSL)."),
        p(Code.TLS_PROTOCOL_ERROR, MEDIUM, "Or a malformed key share."));
    rule("OpenSSL", "The server's TLS library failed internally ('internal error' in an OpenSSL "
            + "reason string).",
        text("ssl routines").and(text(":internal error", "internal_error")),
        p(Code.HANDSHAKE_FAILED, MEDIUM, "A server-side bug or misconfiguration (a key it cannot "
            + "use, a missing DH parameter): its own log names it."),
        p(Code.NO_COMMON_CIPHER, LOW, "Or a suite it picked and cannot complete."));
    rule("Conscrypt", "The TLS handshake stalled until the socket timed out ('SSL handshake "
            + "aborted: ... I/O error during system call, Connection timed out').",
        text("ssl handshake aborted", "handshake timed out", "timeout during ssl handshake")
            .and(text("timed out")),
        p(Code.HANDSHAKE_TIMEOUT, MEDIUM, "Connected, but the handshake got no answer: a "
            + "middlebox dropping TLS, a server overloaded, or a network that stalls."),
        p(Code.CONNECTION_RESET, MEDIUM, "Or the path dropped the connection silently."));

    // --- certificate validity (#2, #3): before the generic path rules --------------------------
    rule("#2", "The JDK's path validation found a certificate past its notAfter date "
            + "(CertificateExpiredException, 'validity check failed').",
        text("certificateexpiredexception", "notafter:").or(reason("EXPIRED"))
            .or(type("CertificateExpiredException")).and(ctx(c -> !c.android())),
        p(Code.CERT_EXPIRED, HIGH, "Usually the server's own certificate has expired."),
        p(Code.INTERMEDIATE_EXPIRED, MEDIUM, "It may be an intermediate CA certificate the server "
            + "sends, not the leaf."),
        p(Code.CLOCK_SKEW, LOW, "If the certificate is in fact still valid, this machine's clock is "
            + "ahead."));
    rule("#3", "The JDK's path validation found a certificate before its notBefore date "
            + "(CertificateNotYetValidException).",
        text("certificatenotyetvalidexception", "notbefore:", "certificate not valid until")
            .or(reason("NOT_YET_VALID")).or(type("CertificateNotYetValidException")),
        // Public CAs backdate notBefore, so a clock that is behind (a device without time sync, a
        // fresh VM) is at least as likely as a certificate deployed early: never HIGH alone.
        p(Code.CERT_NOT_YET_VALID, MEDIUM, "The server's certificate is not valid yet: deployed "
            + "before its start date."),
        p(Code.CLOCK_SKEW, MEDIUM, "Or, as likely, this machine's clock is behind (a device or "
            + "fresh VM without time sync): compare the date it reports with the real one."),
        p(Code.INTERMEDIATE_EXPIRED, LOW, "It may be an intermediate CA certificate, not the leaf."));
    // Older Android trust managers validate the path the server sends without trying another:
    // an expired cross-signed intermediate fails there while browsers build a valid path.
    rule("#2/Android", "Android's path validation found a certificate past its notAfter date.",
        text("certificateexpiredexception", "notafter:").or(reason("EXPIRED"))
            .or(type("CertificateExpiredException")).and(ctx(c -> c.android())),
        p(Code.CERT_EXPIRED, MEDIUM, "The server's own certificate has expired."),
        p(Code.INTERMEDIATE_EXPIRED, MEDIUM, "Or an intermediate the server still sends (older "
            + "Android does not build the alternative path browsers find)."),
        p(Code.CLOCK_SKEW, LOW, "Or the device's clock is ahead."));
    fallback("#2/#3", "The JDK's path validation rejected a certificate's validity dates ('validity "
            + "check failed') without saying which date.",
        text("validity check failed"),
        p(Code.CERT_EXPIRED, MEDIUM, "Most often an expired certificate."),
        p(Code.CERT_NOT_YET_VALID, MEDIUM, "Or one that is not valid yet."),
        p(Code.INTERMEDIATE_EXPIRED, LOW, "Possibly an intermediate's dates."),
        p(Code.CLOCK_SKEW, LOW, "Or this machine's clock is wrong."));
    rule("#29/#2", "A peer sent a fatal certificate_expired alert: it found a certificate expired. "
            + SERVER_LOG,
        alert("certificate_expired").and(ctx(c -> !c.clientSide())),
        p(Code.CERT_EXPIRED, HIGH, "The certificate the peer checked has expired."),
        p(Code.CLIENT_CERT_REQUIRED, LOW, "Received by a client, it is the client certificate the "
            + "server found expired."),
        p(Code.CLOCK_SKEW, LOW, "Or the peer's clock is ahead."));
    // A JDK or Android client never receives this alert about the server's certificate (it
    // raises CertificateExpiredException itself): received by a client, it is the client
    // certificate the server found expired.
    rule("#29/client", "A client received a fatal certificate_expired alert: the server found the "
            + "client's certificate expired.",
        alert("certificate_expired").and(ctx(c -> c.clientSide())),
        p(Code.CLIENT_CERT_REQUIRED, HIGH, "Renew the client certificate this application presents."),
        p(Code.CERT_EXPIRED, LOW, "Only if this text is in fact from the server's side."));

    // --- host name (#4 - #7) -------------------------------------------------------------------
    rule("#5", "The certificate has no IP subjectAltName for the IP address the client connected to "
            + "('No subject alternative names matching IP address').",
        text("no subject alternative names matching ip address"),
        p(Code.HOSTNAME_MISMATCH, HIGH, "The client connects by IP address; the certificate names "
            + "only DNS names (or other IPs)."));
    rule("#4", "No DNS subjectAltName of the certificate matches the host the client asked for "
            + "('No subject alternative DNS name matching').",
        text("no subject alternative dns name matching"),
        p(Code.HOSTNAME_MISMATCH, HIGH, "The certificate is for another name: wrong virtual host, "
            + "a load balancer's default certificate, or a typo in the URL."),
        p(Code.SNI_REQUIRED, LOW, "A server that hosts several names sends its default certificate "
            + "when the client sends no SNI (an IP literal or a dot-less name)."));
    rule("#6", "The certificate has no subjectAltName at all and the client connected by IP "
            + "address ('No subject alternative names present').",
        text("no subject alternative names present"),
        p(Code.HOSTNAME_MISMATCH, HIGH, "Nothing in the certificate can match the address."),
        p(Code.CERT_NO_SAN, HIGH, "The certificate lacks the subjectAltName extension: reissue it "
            + "with the names (and IP addresses) clients use."));
    rule("#7", "Neither a DNS subjectAltName nor the common name matches the host ('No name "
            + "matching ... found').",
        text("no name matching"),
        p(Code.HOSTNAME_MISMATCH, HIGH, "The certificate is for another name."),
        p(Code.CERT_NO_SAN, MEDIUM, "The certificate has no DNS subjectAltName, only a common "
            + "name."));

    // --- key usage, algorithms (#8 - #10) --------------------------------------------------------
    rule("#8", "The leaf's extended or basic key usage does not allow TLS server authentication "
            + "('Extended key usage does not permit use for TLS server authentication').",
        text("extended key usage does not permit", "keyusage does not allow",
            "key usage does not permit").or(reason("INVALID_KEY_USAGE")),
        p(Code.CERT_BAD_KEY_USAGE, HIGH, "Typically a client certificate (clientAuth only) or a CA "
            + "certificate deployed on the server."));
    rule("#9", "The JDK's certificate policy (jdk.certpath.disabledAlgorithms) rejected a key size "
            + "('Algorithm constraints check failed on keysize limits').",
        text("keysize limits", "key size limit", "keysize <", "bit key used with certificate"),
        p(Code.WEAK_KEY, HIGH, "A certificate in the path has a key that is too small (RSA under "
            + "2048 bits, EC under 224)."));
    rule("#10", "The JDK's certificate policy rejected a certificate's signature algorithm "
            + "('Algorithm constraints check failed on signature algorithm', 'denyAfter').",
        text("check failed on signature algorithm", "denyafter constraint")
            .or(text("md5withrsa", "md2withrsa", "sha1withrsa", "sha1withecdsa", "sha1withdsa")
                // A javax.net.debug trace lists them as offered algorithms: not a rejection.
                .and(text("signature algorithms").negate())),
        p(Code.WEAK_SIGNATURE, HIGH, "A certificate in the path is signed with MD5 or SHA-1."));
    rule("#10", "The JDK's algorithm policy rejected something in the certificate path "
            + "('Algorithm constraints check failed on disabled algorithm').",
        text("check failed on disabled algorithm", "algorithm constraints check failed")
            .or(reason("ALGORITHM_CONSTRAINED")),
        p(Code.WEAK_SIGNATURE, MEDIUM, "A weak signature algorithm (MD5, SHA-1)."),
        p(Code.WEAK_KEY, MEDIUM, "Or a key that is too small."));
    rule("#29", "A peer sent a fatal unsupported_certificate alert (a JDK client sends it for a "
            + "certificate its algorithm policy rejects). " + SERVER_LOG,
        alert("unsupported_certificate"),
        p(Code.WEAK_KEY, MEDIUM, "A key the peer's policy forbids."),
        p(Code.WEAK_SIGNATURE, MEDIUM, "Or a signature algorithm it forbids."),
        p(Code.CERT_BAD_KEY_USAGE, LOW, "Or a key usage it cannot use."));

    // --- trust store (#11) and revocation, distrust (#44, #45) -----------------------------------
    rule("#11", "The trust store in use holds no trust anchor at all ('the trustAnchors parameter "
            + "must be non-empty').",
        text("trustanchors parameter must be non-empty"),
        p(Code.TRUST_STORE_DIFFERS, HIGH, "The application's trust store is empty, or "
            + "javax.net.ssl.trustStore points at the wrong file, type or password (a key store "
            + "with only private keys has no trusted-certificate entries)."));
    rule("#44", "Revocation checking says a certificate is revoked ('Certificate has been revoked').",
        text("certificate has been revoked", "certificaterevokedexception").or(reason("REVOKED"))
            .or(type("CertificateRevokedException")).or(alert("certificate_revoked")),
        p(Code.CERT_REVOKED, HIGH, "The CA revoked the certificate: replace it."));
    rule("#44", "Revocation checking was enabled and could not get an answer ('Could not determine "
            + "revocation status', 'Certificate does not specify OCSP responder').",
        text("could not determine revocation status", "unable to determine revocation status",
            "does not specify ocsp responder", "bad_certificate_status_response")
            .or(reason("UNDETERMINED_REVOCATION_STATUS")),
        p(Code.REVOCATION_INFO_MISSING, MEDIUM, "The certificate names no OCSP responder or CRL, "
            + "or the OCSP/CRL server cannot be reached from here (a firewall allows TLS but not "
            + "the CA's HTTP endpoints)."),
        p(Code.CERT_REVOKED, LOW, "A stapled OCSP response that is bad or says revoked."));
    rule("#45", "The JDK distrusts the certificate's root CA for certificates issued after a date "
            + "(Symantec, Entrust, Chunghwa, Camerfirma distrust policy).",
        text("anchored by a distrusted legacy", "distrusted legacy"),
        p(Code.CHAIN_UNTRUSTED, HIGH, "This JDK no longer trusts the chain's root for new "
            + "certificates: get a certificate from another CA."),
        p(Code.TRUST_STORE_DIFFERS, MEDIUM, "Other clients (older JDKs, browsers) may still accept "
            + "it."));

    // --- path building (#1): after the specific certificate rules --------------------------------
    rule("#1", "The JDK could not build a path from the server's certificate to any trust anchor "
            + "('PKIX path building failed: unable to find valid certification path to requested "
            + "target').",
        text("pkix path building failed", "unable to find valid certification path",
            "suncertpathbuilderexception", "no trusted certificate found")
            .or(type("SunCertPathBuilderException", "CertPathBuilderException"))
            .or(reason("NO_TRUST_ANCHOR")).or(text("trust anchor for certification path not found")),
        // A missing intermediate is the classic cause; on the real-world corpus a private root
        // and an application trust store that differs from the default (an old JDK's cacerts, a
        // custom truststore) were as common, so all three are MEDIUM.
        p(Code.CHAIN_INCOMPLETE, MEDIUM, "The server does not send its intermediate certificate "
            + "(browsers hide this; Java does not fetch it)."),
        p(Code.CHAIN_UNTRUSTED, MEDIUM, "The chain ends at a private or unknown root that this "
            + "trust store does not hold."),
        p(Code.TRUST_STORE_DIFFERS, MEDIUM, "The application uses a trust store that lacks a root "
            + "the JDK's current cacerts (or the OS, or a browser) has: a custom truststore, an old "
            + "JDK or device."),
        p(Code.TLS_INTERCEPTION_SUSPECTED, LOW, "A proxy, antivirus or gateway re-signs TLS with its "
            + "own CA."),
        p(Code.CERT_SELF_SIGNED, LOW, "The server presents a self-signed certificate."));
    // The text names an intercepting product, or a custom trust store: rank that cause first.
    rule("#1/hint", "The text names an intercepting proxy or security product.",
        text("pkix path building failed", "unable to find valid certification path",
            "trust anchor for certification path not found", "certificate_unknown", "unknown_ca",
            "certpathvalidatorexception").and(ctx(c -> c.interception())),
        p(Code.TLS_INTERCEPTION_SUSPECTED, MEDIUM, "A proxy or security product named in the text "
            + "re-signs TLS: trust its CA in this application's trust store, or bypass it."));
    rule("#1/hint", "The text names a custom trust store (or a vendor JSSE with its own).",
        text("pkix path building failed", "unable to find valid certification path",
            "trust anchor for certification path not found").and(ctx(c -> c.customTrustStore())),
        p(Code.TRUST_STORE_DIFFERS, MEDIUM, "The trust store this application uses is not the "
            + "JDK's default: it lacks the root the server's chain ends at."));

    // --- alerts the client received (#12, #13, #17 - #19) --------------------------------------
    rule("#12", "The server ended the handshake with a fatal handshake_failure alert: it found "
            + "nothing acceptable in the client's offer.",
        alert("handshake_failure").or(text("handshake failed")).and(ctx(c -> !c.android() && !c.oldAndroid() && c.jdk() != 7)),
        p(Code.NO_COMMON_CIPHER, MEDIUM, "No cipher suite (or named group) in common."),
        p(Code.SNI_REQUIRED, MEDIUM, "The client sent no SNI (an old client, an IP literal, a "
            + "proxy or SOCKS path that drops it) and the server needs it to choose a certificate: "
            + "a probe with and without SNI tells."),
        p(Code.CLIENT_CERT_REQUIRED, MEDIUM, "A TLS 1.2 server that requires a client certificate "
            + "the client did not send."),
        p(Code.LOCAL_CIPHER_DISABLED, MEDIUM, "The server's only suites are disabled by this JVM's "
            + "policy (TLS_RSA_* since recent 17u/21u updates, 3DES, RC4; a FIPS mode)."),
        p(Code.NO_COMMON_PROTOCOL, LOW, "Some servers answer a version they refuse with "
            + "handshake_failure instead of protocol_version."),
        p(Code.CLIENT_INCOMPATIBLE, LOW, "An old client (JDK 11.0.0-11.0.2's early TLS 1.3, an old "
            + "Android) that the server no longer serves."),
        p(Code.WEAK_SIGNATURE, LOW, "No signature algorithm in common (a server certificate that "
            + "can only sign with SHA-1)."));
    rule("#12/old", "The server ended the handshake with handshake_failure, and the client is old "
            + "or Android (JDK 7 and Android 4.x offer TLS 1.0 and old suites by default).",
        alert("handshake_failure").or(text("handshake failed")).and(ctx(c -> c.android() || c.oldAndroid() || c.jdk() == 7)),
        p(Code.NO_COMMON_PROTOCOL, MEDIUM, "The client offers TLS 1.0 (JDK 7, Android 4.x default) "
            + "and the server needs TLS 1.2+: enable TLS 1.2 on the client."),
        p(Code.CLIENT_INCOMPATIBLE, MEDIUM, "An old client the server's configuration excludes."),
        p(Code.NO_COMMON_CIPHER, MEDIUM, "Or only old suites in common with none."),
        p(Code.SNI_REQUIRED, LOW, "Or no SNI sent."));
    rule("#13", "The server ended the handshake with a fatal protocol_version alert: it accepts "
            + "none of the TLS versions the client offered.",
        alert("protocol_version"),
        p(Code.NO_COMMON_PROTOCOL, HIGH, "For example a TLS 1.0-only server and a modern client, or "
            + "a TLS 1.3-only server and a TLS 1.2-only client."),
        p(Code.LOCAL_PROTOCOL_DISABLED, MEDIUM, "The versions the server needs are disabled in this "
            + "JVM (jdk.tls.disabledAlgorithms, jdk.tls.client.protocols)."));
    rule("#17", "The server requires a client certificate and rejected the connection without one "
            + "(fatal certificate_required alert; TLS 1.3 reports it on the first read after the "
            + "handshake).",
        alert("certificate_required"),
        p(Code.CLIENT_CERT_REQUIRED, HIGH, "No client certificate is configured, or none is issued "
            + "by a CA the server accepts."));
    rule("#34", "Server side: the client sent no certificate although the server requires one "
            + "('Empty client certificate chain').",
        text("empty client certificate chain"),
        p(Code.CLIENT_CERT_REQUIRED, HIGH, "Mutual TLS is required and the client has no "
            + "(acceptable) certificate configured."));
    rule("#18", "A peer sent a fatal bad_certificate alert: a server rejecting the client's "
            + "certificate (or, before JDK-8311644, a JDK server missing one); in a server's log, a "
            + "client rejecting this server's certificate.",
        alert("bad_certificate"),
        p(Code.CLIENT_CERT_REQUIRED, HIGH, "The server requires a client certificate it did not get "
            + "or does not accept."),
        p(Code.CERT_NOT_YET_VALID, LOW, "In a server's log: a JDK client sends bad_certificate for a "
            + "certificate that is not valid yet or has a bad signature."));
    rule("#19/#35", "The server does not serve the name the client sent in SNI (fatal "
            + "unrecognized_name alert; server side: 'Unrecognized server name indication').",
        alert("unrecognized_name").or(text("unrecognized server name indication")),
        p(Code.SNI_REQUIRED, MEDIUM, "The client sent no SNI or a name the server does not know "
            + "(an IP literal, an internal alias)."),
        p(Code.HOSTNAME_MISMATCH, MEDIUM, "The name is not one of the server's virtual hosts."),
        p(Code.HANDSHAKE_FAILED, MEDIUM, "Often only a warning that JDK 7+ clients treat as fatal: "
            + "the server is misconfigured (no ServerName matching the name); fix the server's "
            + "names (jsse.enableSNIExtension=false only as a last resort)."));

    // --- alerts a server logs: the client rejected us (#29 - #31) --------------------------------
    rule("#29", "A peer sent a fatal certificate_unknown alert: JDK clients send it when PKIX or "
            + "the host-name check fails. " + SERVER_LOG,
        alert("certificate_unknown"),
        p(Code.CHAIN_INCOMPLETE, MEDIUM, "The server does not send its intermediate."),
        p(Code.CHAIN_UNTRUSTED, MEDIUM, "The client does not trust the chain's root."),
        p(Code.HOSTNAME_MISMATCH, MEDIUM, "The certificate does not cover the name the client "
            + "used."),
        p(Code.CERT_SELF_SIGNED, LOW, "The certificate is self-signed."),
        p(Code.CLIENT_CERT_REQUIRED, LOW, "Seen by a client: the server rejected its client "
            + "certificate."));
    // Servers send these alerts about a certificate only when they validate a client
    // certificate: received by a client, the server rejected the client's certificate.
    rule("#30/client", "A client received a fatal unknown_ca or bad_certificate alert: the server "
            + "does not accept the client certificate.",
        alert("unknown_ca").and(ctx(c -> c.clientSide())),
        p(Code.CLIENT_CERT_REQUIRED, MEDIUM, "The server does not trust the CA of the client "
            + "certificate (or got none): configure one issued by a CA it lists in its "
            + "CertificateRequest."));
    rule("#30", "A peer sent a fatal unknown_ca alert (OpenSSL, Go and browser clients): it has no "
            + "trust anchor for the chain. " + SERVER_LOG,
        alert("unknown_ca"),
        p(Code.CHAIN_UNTRUSTED, MEDIUM, "The client does not trust the chain's root."),
        p(Code.CHAIN_INCOMPLETE, MEDIUM, "Or the server does not send its intermediate."),
        p(Code.CERT_SELF_SIGNED, LOW, "Or the certificate is self-signed."),
        p(Code.CLIENT_CERT_REQUIRED, LOW, "Seen by a client: the server does not trust its client "
            + "certificate's CA."));
    rule("#31", "Server side: a TLS 1.3 client aborted with a plaintext alert (JDK 17 logs "
            + "'Insufficient buffer remaining for AEAD cipher fragment', JDK 25 'Unexpected "
            + "plaintext alert received'): usually it distrusted the server's certificate.",
        text("insufficient buffer remaining for aead cipher fragment",
            "unexpected plaintext alert received"),
        p(Code.CHAIN_UNTRUSTED, MEDIUM, "The client does not trust the chain."),
        p(Code.CHAIN_INCOMPLETE, MEDIUM, "Or the server does not send its intermediate."),
        p(Code.TLS_PROTOCOL_ERROR, MEDIUM, "A record the JDK cannot decrypt: a plaintext alert "
            + "after the keys changed (JDK-8331682), a peer that aborted."),
        p(Code.HOSTNAME_MISMATCH, LOW, "Or the name does not match."));

    // --- versions and suites (#14 - #16, #32, #33, #36, #37, #46) --------------------------------
    rule("#14", "This JVM could not offer any protocol version ('No appropriate protocol (protocol "
            + "is disabled or cipher suites are inappropriate)').",
        text("no appropriate protocol"),
        // The message names both causes; on the real-world corpus the suites were as common as
        // the versions, so neither is HIGH.
        p(Code.LOCAL_PROTOCOL_DISABLED, MEDIUM, "Every version the application enables is "
            + "disabled by jdk.tls.disabledAlgorithms (for example TLSv1 only)."),
        p(Code.LOCAL_CIPHER_DISABLED, MEDIUM, "Or the enabled suites fit none of the enabled "
            + "versions, or all are disabled (anonymous DH, 3DES, TLS 1.3 with 1.2-only suites, "
            + "EC suites with jdk.tls.enableECC=false)."));
    rule("#15/#16", "The server chose a protocol version this client does not enable ('The server "
            + "selected protocol version ... is not accepted by client preferences').",
        text("is not accepted by client preferences", "but that protocol version is not enabled"),
        p(Code.LOCAL_PROTOCOL_DISABLED, HIGH, "The server (or a middlebox) only speaks a version "
            + "this JVM disables, typically TLS 1.0 or 1.1."),
        p(Code.NO_COMMON_PROTOCOL, MEDIUM, "Client and server versions do not overlap."));
    rule("#32", "Server side: a client asked for a protocol version the server does not enable "
            + "('Client requested protocol ... is not enabled or supported in server context').",
        text("is not enabled or supported in server context"),
        p(Code.NO_COMMON_PROTOCOL, HIGH, "A legacy client (TLS 1.0/1.1) and a modern server."),
        p(Code.CLIENT_INCOMPATIBLE, MEDIUM, "That client cannot connect until it is upgraded."));
    rule("#33", "Server side: no cipher suite in common with the client ('no cipher suites in "
            + "common').",
        text("no cipher suites in common"),
        p(Code.NO_COMMON_CIPHER, HIGH, "The client's suites and the server's enabled suites do not "
            + "overlap."),
        p(Code.CLIENT_INCOMPATIBLE, MEDIUM, "An old client that offers only suites the server "
            + "disabled."),
        p(Code.LOCAL_CIPHER_DISABLED, LOW, "Or the server JVM's policy disables what the client "
            + "needs."));
    rule("#14", "This JVM found no cipher suite it may use ('No appropriate cipher suite', 'No "
            + "negotiable cipher suite').",
        text("no appropriate cipher suite", "no negotiable cipher suite"),
        p(Code.LOCAL_CIPHER_DISABLED, HIGH, "Every suite the application enables is disabled by "
            + "policy, or none fits the enabled versions."),
        p(Code.NO_COMMON_CIPHER, MEDIUM, "Or no suite in common with the peer."));
    rule("#36", "No signature algorithm in common ('No supported signature algorithm').",
        text("no supported signature algorithm"),
        p(Code.WEAK_SIGNATURE, MEDIUM, "The peer offers or needs only SHA-1 (or MD5) signature "
            + "schemes, which this JVM disables."),
        p(Code.NO_COMMON_CIPHER, LOW, "A server key type the client cannot verify."),
        p(Code.CLIENT_INCOMPATIBLE, LOW, "An old peer."));
    rule("#37", "This side's key cannot sign with any scheme the peer accepts ('No available "
            + "authentication scheme'), usually a client certificate.",
        text("no available authentication scheme"),
        p(Code.CLIENT_CERT_REQUIRED, MEDIUM, "The client certificate's key type (DSA, a small RSA "
            + "key, an EC curve the server does not accept) cannot be used."),
        p(Code.WEAK_KEY, LOW, "A key too small for RSA-PSS (under 1024 bits)."),
        p(Code.WEAK_SIGNATURE, LOW, "Only SHA-1 schemes would fit."));
    rule("#46", "The application configures a protocol name the JDK does not know ('Unsupported "
            + "protocol: TLSv1.4'; JDK 17 spells it 'Unsupported protocolTLSv1.4').",
        text("unsupported protocol: tls", "unsupported protocol: ssl", "unsupported protocol: dtls"),
        p(Code.LOCAL_PROTOCOL_DISABLED, MEDIUM, "A typo or an unknown version in the configured "
            + "protocols (https.protocols, jdk.tls.client.protocols, setEnabledProtocols): no "
            + "connection is attempted."));
    rule("#46", "The application configures a cipher suite name the JDK does not know "
            + "('Unsupported CipherSuite').",
        text("unsupported ciphersuite:"),
        p(Code.LOCAL_CIPHER_DISABLED, MEDIUM, "A typo or a suite this JDK does not implement in the "
            + "configured cipher suites: no connection is attempted."));

    // A Certificate message over jdk.tls.maxHandshakeMessageSize (32 KB) is by far the usual way a
    // JDK client sees this message: a certificate with thousands of SANs or a huge extension.
    rule("size", "A handshake message exceeded this JVM's limit ('The size of the handshake "
            + "message (N) exceeds the maximum allowed size (32768)', jdk.tls.maxHandshakeMessageSize).",
        text("exceeds the maximum allowed size"),
        p(Code.CERT_TOO_LARGE, HIGH, "The server's certificate chain is larger than the JDK reads: "
            + "thousands of subjectAltNames, a huge extension, or a very long chain."),
        p(Code.TLS_PROTOCOL_ERROR, LOW, "Or a peer that sends a malformed length."));

    // --- key exchange, downgrade (#42, #43) -------------------------------------------------------
    rule("#42", "The server's Diffie-Hellman group is too small for this JVM ('DH ServerKeyExchange "
            + "does not comply to algorithm constraints', 'Could not generate DH keypair').",
        text("dh serverkeyexchange does not comply", "dh keysize", "dh key size"),
        p(Code.WEAK_DH, HIGH, "The server uses DH parameters under 1024 (or 2048) bits."),
        p(Code.DH_PARAMS_INSECURE, LOW, "Or parameters that are not a safe prime."));
    rule("#43", "The ServerHello carries a downgrade sentinel ('A potential protocol version "
            + "downgrade attack').",
        text("potential protocol version downgrade"),
        p(Code.TLS_INTERCEPTION_SUSPECTED, MEDIUM, "A middlebox between client and server "
            + "terminates TLS with a lower version."),
        p(Code.ADDRESS_INCONSISTENT, LOW, "Or a load balancer whose front end speaks TLS 1.3 and "
            + "whose back end does not."));

    // --- other alerts (#38 - #41) -------------------------------------------------------------
    rule("#38", "A record failed its integrity check (decrypt_error, bad_record_mac, 'Tag "
            + "mismatch').",
        alert("decrypt_error").or(alert("bad_record_mac")).or(text("tag mismatch")),
        p(Code.TLS_PROTOCOL_ERROR, MEDIUM, "Data was corrupted between client and server (a buggy "
            + "middlebox or NIC offload)."),
        p(Code.TLS_INTERCEPTION_SUSPECTED, LOW, "Or something on the path tampers with TLS."));
    rule("#39", "The peer found a malformed or contradictory field (illegal_parameter, "
            + "decode_error).",
        alert("illegal_parameter").or(alert("decode_error")).or(alert("unexpected_message")),
        p(Code.TLS_PROTOCOL_ERROR, MEDIUM, "An interoperability bug between the two TLS stacks, or "
            + "a middlebox that rewrites the handshake."));
    rule("#40", "The peer failed internally (fatal internal_error alert).",
        alert("internal_error"),
        p(Code.HANDSHAKE_FAILED, MEDIUM, "A bug or misconfiguration on the peer: its own log names "
            + "it."));
    rule("#41", "The peer closed the connection politely during the handshake ('Received "
            + "close_notify during handshake'): a policy rejection.",
        text("close_notify during handshake"),
        p(Code.HANDSHAKE_FAILED, MEDIUM, "The peer rejected something without naming it."),
        p(Code.CONNECTION_RESET, LOW, "Or a middlebox closed the connection."));
    rule("alert", "The peer sent a fatal insufficient_security alert: it requires stronger "
            + "parameters than offered.",
        alert("insufficient_security"),
        p(Code.NO_COMMON_CIPHER, MEDIUM, "The client offers only suites the server finds too weak."),
        p(Code.WEAK_DH, LOW, "Or a DH group the server rejects."));
    rule("alert", "The server detected a protocol downgrade retry (fatal inappropriate_fallback "
            + "alert).",
        alert("inappropriate_fallback"),
        p(Code.NO_COMMON_PROTOCOL, LOW, "A client that retried with a lower version after a "
            + "failure."));

    // --- not TLS, transport (#20 - #28) --------------------------------------------------------
    rule("#20/#21", "The peer did not answer with TLS ('Unsupported or unrecognized SSL message', "
            + "'Unrecognized SSL message, plaintext connection?').",
        text("unsupported or unrecognized ssl message", "unrecognized ssl message",
            "plaintext connection?", "not an ssl/tls record"),
        p(Code.NOT_TLS, HIGH, "The port speaks another protocol: plain HTTP, or a STARTTLS "
            + "protocol (SMTP, IMAP, LDAP, PostgreSQL) that starts in clear text."),
        p(Code.STARTTLS_UNAVAILABLE, LOW, "A STARTTLS service connected to with implicit TLS."),
        p(Code.PROXY_FAILED, LOW, "A proxy answered with an error page in plain text."));
    rule("#22/#23", "The peer closed the TCP connection without a TLS alert ('Remote host terminated "
            + "the handshake', 'SSL peer shut down incorrectly').",
        text("remote host terminated the handshake", "remote host terminated the connection",
            "ssl peer shut down incorrectly", "remote host closed connection during handshake"),
        p(Code.CONNECTION_RESET, MEDIUM, "A firewall, IPS or SNI filter cut the connection, or the "
            + "server could not parse the ClientHello and closed it."),
        p(Code.SNI_FILTERED, LOW, "Name-based blocking on the path cuts connections for this "
            + "server name only."),
        p(Code.NO_COMMON_PROTOCOL, LOW, "Some servers close instead of sending protocol_version "
            + "(a JDK 7 client offers TLS 1.0 only by default)."));
    rule("#24", "The connection was reset (TCP RST: 'Connection reset').",
        text("connection reset", "connection was reset", "reset by peer"),
        p(Code.CONNECTION_RESET, HIGH, "A firewall or load balancer reset the connection, or the "
            + "server process went away."),
        p(Code.SNI_FILTERED, LOW, "A filter that resets connections for this server name."));
    rule("#28", "The peer closed the connection while this side was writing ('Broken pipe').",
        text("broken pipe"),
        p(Code.CONNECTION_RESET, MEDIUM, "The peer or a middlebox closed the connection."),
        p(Code.CLIENT_CERT_REQUIRED, LOW, "Seen when a TLS 1.2 JDK server rejects a missing client "
            + "certificate."));
    rule("#26", "The TCP connect was refused ('Connection refused').",
        text("connection refused").or(type("ConnectException", "AnnotatedConnectException",
            "HttpHostConnectException").and(text("refused"))),
        p(Code.CONNECTION_REFUSED, HIGH, "Nothing listens on that address and port, or a firewall "
            + "rejects the connection."));
    rule("#26", "The TCP connect got no answer in time ('connect timed out').",
        text("connect timed out", "connection timed out")
            .or(type("ConnectTimeoutException", "HttpConnectTimeoutException"))
            .and(text("ssl handshake aborted", "during system call").negate()),
        p(Code.CONNECT_TIMEOUT, HIGH, "A firewall drops the packets, or the host is down."));
    rule("#26", "No route to the host ('No route to host', 'Network is unreachable').",
        text("no route to host", "network is unreachable", "host is unreachable")
            .or(type("NoRouteToHostException", "AnnotatedNoRouteToHostException")),
        p(Code.HOST_UNREACHABLE, HIGH, "Routing, VPN or a firewall's ICMP reject."));
    rule("#27", "The host name does not resolve (UnknownHostException).",
        type("UnknownHostException", "UnresolvedAddressException")
            .or(text("name or service not known", "nodename nor servname provided",
                "temporary failure in name resolution", "no address associated with hostname",
                "unable to resolve host")),
        p(Code.DNS_RESOLUTION_FAILED, HIGH, "A typo in the host name, a name that does not exist, "
            + "or a resolver that cannot see it (split-horizon DNS, container resolv.conf)."));
    rule("#25", "A read got no data in time ('Read timed out').",
        text("read timed out").or(type("SocketTimeoutException", "ReadTimeoutException")
            .and(text("timed out", "timeout"))),
        p(Code.HANDSHAKE_TIMEOUT, MEDIUM, "Connected, but the peer stays silent: a black-holing "
            + "middlebox, the wrong port, or a server that expects STARTTLS or the PROXY protocol "
            + "first. (After the handshake it is simply a slow server.)"),
        p(Code.STARTTLS_UNAVAILABLE, LOW, "A plaintext protocol waiting for the client to speak "
            + "first."));

    // --- generic: only when nothing specific matched ----------------------------------------------
    generic("#1/#2", "The JDK's certificate path validation failed ('PKIX path validation failed', "
            + "CertPathValidatorException) for a reason the message does not name.",
        text("pkix path validation failed", "certpathvalidatorexception", "basic constraints check failed",
            "path does not chain").or(type("CertPathValidatorException", "ValidatorException")),
        p(Code.CHAIN_UNTRUSTED, MEDIUM, "A chain the trust store cannot validate."),
        p(Code.CHAIN_INCOMPLETE, LOW, "An incomplete chain."),
        p(Code.INTERMEDIATE_EXPIRED, LOW, "An invalid intermediate (dates, basic constraints)."),
        p(Code.TLS_INTERCEPTION_SUSPECTED, LOW, "An intercepting proxy's CA."));
    generic("alert", "The peer ended the handshake with a fatal alert this catalogue does not map.",
        text("received fatal alert:"),
        p(Code.HANDSHAKE_FAILED, LOW, "The peer's log names the reason."));
    generic("SSL", "A TLS error (SSLHandshakeException, SSLException) with a message this catalogue "
            + "does not map.",
        type("SSLHandshakeException", "SSLException", "SSLProtocolException",
            "SSLPeerUnverifiedException", "SSLKeyException"),
        p(Code.HANDSHAKE_FAILED, LOW, "See the message; inspecting the endpoint tells more."));
    generic("cert", "A certificate could not be parsed or checked (CertificateException).",
        type("CertificateException", "CertificateParsingException").and(text("certificate")),
        p(Code.HANDSHAKE_FAILED, LOW, "A malformed or unusual certificate."));
  }
}
