package dev.tlsinspect.internal.logs;

import dev.tlsinspect.Code;
import dev.tlsinspect.logs.LogFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/*
 * What a server's words for a failed handshake mean, in catalogue codes, and what to change in
 * that server's configuration.
 *
 * A server log is written by the side that did NOT necessarily fail: "tlsv1 alert unknown ca" in
 * nginx's log means a client rejected nginx's chain, and the log cannot say whether the chain is
 * incomplete, signed by a private CA or self-signed. Such lines get HANDSHAKE_FAILED with the
 * candidates in order, never one specific code picked at random; a live inspection tells them
 * apart. A code is specific only when the message names one cause.
 */
/** Maps server log messages to codes and remediation. Not API. */
public final class LogRules {
  private LogRules() {}

  /**
   * A mapped message.
   *
   * @param code the code: a specific one, or HANDSHAKE_FAILED when the message fits several
   * @param candidates the possible codes, most likely first (starts with code when specific)
   * @param key the normalised message that events are grouped by
   * @param problem one line for people: what the message says happened
   */
  public record Match(Code code, List<Code> candidates, String key, String problem) {
    public Match {
      candidates = List.copyOf(candidates);
    }

    static Match of(Code code, String key, String problem) {
      return new Match(code, List.of(code), key, problem);
    }

    static Match ambiguous(String key, String problem, Code... candidates) {
      return new Match(Code.HANDSHAKE_FAILED, List.of(candidates), key, problem);
    }
  }

  /**
   * Maps a message, or the reason of an OpenSSL error, to a match.
   *
   * @param text the message or reason (any case)
   * @param function the OpenSSL function when known (1.1 and 3.x long form), else ""
   * @return the match, or empty when the text is not about a failed handshake
   */
  public static Optional<Match> ofMessage(String text, String function) {
    // BoringSSL/Envoy spell reasons in capitals with underscores (WRONG_VERSION_NUMBER), Go as
    // "remote error: tls: bad certificate": one spelling for the rules below.
    String s = text.toLowerCase(Locale.ROOT).replace('_', ' ').replace("remote error: tls: ", "alert ")
        .replace("remote error: ", "alert ").replace("alert: ", "alert ")
        // and the text as written, for the needles below that use the JSSE spelling (unknown_ca)
        + " " + text.toLowerCase(Locale.ROOT);
    String f = function.toLowerCase(Locale.ROOT);
    Optional<Match> more = moreMessages(s);
    if (more.isPresent()) {
      return more;
    }
    if (s.contains("https proxy request")) {
      return Optional.of(Match.of(Code.NOT_TLS, "https proxy request",
          "clients send an HTTP CONNECT (proxy) request to the TLS port"));
    }
    if (s.contains("http request") || s.contains("plain http request") || s.contains("http spoken on https port")
        || s.contains("plain text http request") || s.contains("plaintext connection?")) {
      return Optional.of(Match.of(Code.NOT_TLS, "plain HTTP on the TLS port",
          "clients speak plain HTTP to the TLS port"));
    }
    if (s.contains("no shared cipher") || s.contains("no cipher suites in common")) {
      return Optional.of(Match.of(Code.NO_COMMON_CIPHER, "no shared cipher",
          "clients offer no cipher suite the server accepts"));
    }
    if (s.contains("unsupported protocol") || s.contains("version too low")
        || s.contains("alert protocol version") || s.contains("unsupported ssl version")
        || s.contains("client requested protocol") && s.contains("not enabled")) {
      return Optional.of(Match.of(Code.NO_COMMON_PROTOCOL, "unsupported protocol",
          "clients offer only protocol versions the server does not accept"));
    }
    if (s.contains("wrong version number")) {
      return Optional.of(Match.ambiguous("wrong version number",
          "the first bytes were not a TLS record the server reads: another protocol, or a very "
              + "old (SSLv2/SSLv3) client", Code.NOT_TLS, Code.NO_COMMON_PROTOCOL));
    }
    if (s.contains("peer did not return a certificate") || s.contains("no required ssl certificate")
        || s.contains("alert certificate required") || s.contains("empty client certificate chain")) {
      return Optional.of(Match.of(Code.CLIENT_CERT_REQUIRED, "no client certificate",
          "clients send no certificate, and the server requires one"));
    }
    if (s.contains("ssl client certificate not trusted") || s.contains("ssl client ca chain cannot be verified")) {
      return Optional.of(Match.of(Code.CLIENT_CERT_REQUIRED, "client certificate not trusted",
          "the server rejects the clients' certificates"));
    }
    if (s.contains("alert unknown ca") || s.contains("unknown_ca")) {
      return Optional.of(Match.ambiguous("clients reject the chain (unknown_ca)",
          "clients do not trust the server's certificate chain: they sent an unknown_ca alert",
          Code.CHAIN_INCOMPLETE, Code.CHAIN_UNTRUSTED, Code.CERT_SELF_SIGNED));
    }
    if (s.contains("alert certificate unknown") || s.contains("certificate_unknown")) {
      return Optional.of(Match.ambiguous("clients reject the certificate (certificate_unknown)",
          "clients reject the server's certificate: they sent a certificate_unknown alert",
          Code.CHAIN_INCOMPLETE, Code.CHAIN_UNTRUSTED, Code.HOSTNAME_MISMATCH, Code.CERT_SELF_SIGNED));
    }
    if (s.contains("alert bad certificate") || s.contains("bad_certificate")) {
      return Optional.of(Match.ambiguous("bad certificate alert",
          "the peer rejects a certificate: it sent a bad_certificate alert",
          Code.CHAIN_UNTRUSTED, Code.HOSTNAME_MISMATCH, Code.CLIENT_CERT_REQUIRED, Code.CERT_SELF_SIGNED));
    }
    if (s.contains("alert unsupported certificate")) {
      return Optional.of(Match.ambiguous("unsupported certificate alert",
          "the peer cannot use the certificate's key or key usage", Code.CERT_BAD_KEY_USAGE, Code.WEAK_KEY));
    }
    if (s.contains("alert certificate expired")) {
      return Optional.of(Match.of(Code.CERT_EXPIRED, "certificate expired alert",
          "clients say the server's certificate has expired (certificate_expired alert)"));
    }
    if (s.contains("alert certificate revoked")) {
      return Optional.of(Match.of(Code.CERT_REVOKED, "certificate revoked alert",
          "clients say the server's certificate is revoked (certificate_revoked alert)"));
    }
    if (s.contains("alert handshake failure") || s.contains("(handshake failure)")) {
      return Optional.of(Match.ambiguous("handshake failure alert",
          "the peer ended the handshake with a handshake_failure alert, usually no common suite or version",
          Code.NO_COMMON_CIPHER, Code.NO_COMMON_PROTOCOL));
    }
    if (s.contains("alert insufficient security")) {
      return Optional.of(Match.ambiguous("insufficient security alert",
          "the peer finds the offered suites or key exchange too weak", Code.NO_COMMON_CIPHER, Code.WEAK_DH));
    }
    if (s.contains("dh key too small")) {
      return Optional.of(Match.of(Code.WEAK_DH, "dh key too small", "the Diffie-Hellman group is too small"));
    }
    if (s.contains("no shared signature algorithms") || s.contains("no suitable signature algorithm")) {
      return Optional.of(Match.ambiguous("no common signature algorithm",
          "client and server share no signature algorithm for the certificate's key",
          Code.NO_COMMON_CIPHER, Code.CLIENT_INCOMPATIBLE));
    }
    if (s.contains("no suitable key share") || s.contains("no shared groups") || s.contains("no suitable groups")) {
      return Optional.of(Match.ambiguous("no common group",
          "client and server share no key exchange group", Code.NO_COMMON_CIPHER, Code.CLIENT_INCOMPATIBLE));
    }
    if (s.contains("bad key share")) {
      return Optional.of(Match.of(Code.TLS_PROTOCOL_ERROR, "bad key share",
          "a client sent a key share the server cannot use (a broken or hostile client)"));
    }
    if (s.contains("packet length too long") || s.contains("unexpected message")
        || s.contains("excessive message size") || s.contains("bad record mac")
        || s.contains("record layer failure") || s.contains("decode error")) {
      return Optional.of(Match.of(Code.TLS_PROTOCOL_ERROR, firstOf(s, "packet length too long",
          "unexpected message", "excessive message size", "bad record mac", "record layer failure",
          "decode error"), "the peer broke the TLS protocol (garbage, a scanner, or a middlebox)"));
    }
    if (s.contains("tls handshake error") && s.contains(": eof") || s.contains("unexpected eof while reading")
        || s.contains("peer closed connection in ssl handshake")
        || s.contains("connection closed during ssl handshake")
        || s.contains("connection reset by peer") && (s.contains("ssl") || s.contains("handshak"))) {
      return Optional.of(new Match(Code.CONNECTION_RESET, List.of(Code.CONNECTION_RESET, Code.HOSTNAME_MISMATCH,
          Code.CERT_SELF_SIGNED), "closed during the handshake",
          "clients close or reset the connection during the handshake (often a client that rejects "
              + "the certificate without an alert, or a scanner)"));
    }
    if (s.contains("timeout during ssl handshake") || s.contains("ssl handshake timed out")) {
      return Optional.of(Match.of(Code.HANDSHAKE_TIMEOUT, "handshake timeout",
          "clients connect but do not finish the handshake in time"));
    }
    if (s.contains("certificate verify failed")) {
      if (f.contains("client_certificate") || f.contains("client_cert")) {
        return Optional.of(Match.of(Code.CLIENT_CERT_REQUIRED, "client certificate not trusted",
            "the server rejects the clients' certificates"));
      }
      if (f.contains("server_certificate")) {
        return Optional.of(Match.ambiguous("server certificate not trusted",
            "this side, as a client, rejects the server's certificate",
            Code.CHAIN_INCOMPLETE, Code.CHAIN_UNTRUSTED, Code.CERT_EXPIRED, Code.HOSTNAME_MISMATCH));
      }
      return Optional.of(Match.ambiguous("certificate verify failed",
          "a certificate was rejected; the line does not say whose",
          Code.CLIENT_CERT_REQUIRED, Code.CHAIN_UNTRUSTED, Code.CHAIN_INCOMPLETE));
    }
    if (s.contains("ssl handshake failure") || s.contains("ssl handshake failed")) {
      return Optional.of(Match.ambiguous("handshake failure (no reason logged)",
          "the handshake failed; the log does not say why",
          Code.NO_COMMON_PROTOCOL, Code.NO_COMMON_CIPHER, Code.CHAIN_UNTRUSTED, Code.NOT_TLS));
    }
    return Optional.empty();
  }

  /**
   * Maps an X.509 verification result (OpenSSL's X509_V_ERR number, as nginx and Apache print it)
   * of a certificate that the logging server checked.
   *
   * @param number the X509_V_ERR number
   * @param text the text printed with it
   * @param clientCertificate whether the server checked a client's certificate (else an upstream server's)
   * @return the match
   */
  /** Reasons from OpenSSL 1.0.2/1.1.1/3.x, BoringSSL, Go, Schannel and Java servers that the table below lacked. */
  private static Optional<Match> moreMessages(String s) {
    if (s.contains("first record does not look like a tls handshake") || s.contains("plaintext http traffic on an https")
        || s.contains("http traffic on an https") || s.contains("\"\\x16\\x03")) {
      // An access log's request line that starts with a TLS record header (0x16 0x03).
      boolean hello = s.contains("\"\\x16\\x03");
      return Optional.of(Match.of(Code.NOT_TLS, hello ? "TLS handshake on a plain-text port"
          : "plain text on the TLS port", hello
          ? "clients send a TLS ClientHello to a port that speaks plain HTTP: use https:// only on the TLS port"
          : "clients speak plain text (HTTP) to the TLS port"));
    }
    if (s.contains("got (16,3,")) {
      return Optional.of(Match.of(Code.NOT_TLS, "TLS handshake on a plain-text port",
          "clients send a TLS ClientHello (16 03 ..) to a port that does not speak TLS"));
    }
    if (s.contains("unknown protocol")) {
      return Optional.of(Match.ambiguous("unknown protocol",
          "the peer's first bytes are not TLS: plain HTTP or another protocol on a TLS port",
          Code.NOT_TLS, Code.NO_COMMON_PROTOCOL));
    }
    if (s.contains("inappropriate fallback")) {
      return Optional.of(Match.ambiguous("inappropriate fallback",
          "a client retried with a lower version after a failure (TLS_FALLBACK_SCSV): the first failure is "
              + "the one to look at", Code.NO_COMMON_PROTOCOL, Code.CLIENT_INCOMPATIBLE, Code.CONNECTION_RESET));
    }
    if (s.contains("no \"ssl certificate\" is defined") || s.contains("no suitable default server credential")
        || s.contains("server credential private key")) {
      return Optional.of(Match.ambiguous("no server certificate configured",
          "the server (or the virtual host the client reached) has no certificate or cannot use its key",
          Code.HANDSHAKE_FAILED, Code.SNI_REQUIRED, Code.HOSTNAME_MISMATCH));
    }
    if (s.contains("client credential private key") || s.contains("creating an ssl client credential")
        || s.contains("creating a tls client credential")) {
      return Optional.of(Match.of(Code.CLIENT_CERT_REQUIRED, "client certificate key unusable",
          "this side cannot use its client certificate's private key (permissions, a non-exportable or "
              + "missing key)"));
    }
    if (s.contains("none of the cipher suites supported by the client application are supported by the server")) {
      return Optional.of(Match.of(Code.NO_COMMON_CIPHER, "no shared cipher",
          "clients offer no cipher suite the server accepts"));
    }
    if (s.contains("isn't supported by the socket") || s.contains("is not supported by the socket")) {
      return Optional.of(Match.of(Code.LOCAL_CIPHER_DISABLED, "configured suite not supported",
          "a configured cipher suite is not available in this JVM (policy or provider)"));
    }
    if (s.contains("did not trust this server's certificate") || s.contains("certificate signed by unknown authority")
        || s.contains("alert unknown certificate authority")) {
      return Optional.of(Match.ambiguous("certificate not trusted",
          "a peer does not trust the certificate chain",
          Code.CHAIN_UNTRUSTED, Code.CERT_SELF_SIGNED, Code.TRUST_STORE_DIFFERS, Code.CHAIN_INCOMPLETE));
    }
    if (s.contains("unrecognized name")) {
      return Optional.of(Match.ambiguous("unrecognized name",
          "the server does not serve the name the client asked for (SNI)", Code.SNI_REQUIRED, Code.HOSTNAME_MISMATCH));
    }
    if (s.contains("no certificate returned")) {
      return Optional.of(Match.of(Code.CLIENT_CERT_REQUIRED, "no client certificate",
          "clients send no certificate, and the server requires one"));
    }
    if (s.contains("internal error") && !s.contains("alert internal error")) {
      return Optional.of(Match.ambiguous("internal error",
          "the server's TLS library failed internally (a key it cannot use, no signature algorithm for an "
              + "old client, a hardware engine): its message names the step",
          Code.HANDSHAKE_FAILED, Code.CLIENT_INCOMPATIBLE, Code.NO_COMMON_CIPHER));
    }
    return Optional.empty();
  }

  public static Match ofVerifyError(int number, String text, boolean clientCertificate) {
    String why = text.strip().toLowerCase(Locale.ROOT);
    if (clientCertificate) {
      return Match.of(Code.CLIENT_CERT_REQUIRED, "client certificate rejected: " + why,
          "the server rejects the clients' certificates: " + why + " (X509 error " + number + ")");
    }
    String problem = "the upstream server's certificate is rejected: " + why + " (X509 error " + number + ")";
    String key = "upstream certificate rejected: " + why;
    return switch (number) {
      case 9 -> Match.of(Code.CERT_NOT_YET_VALID, key, problem);
      case 10 -> Match.of(Code.CERT_EXPIRED, key, problem);
      case 18 -> Match.of(Code.CERT_SELF_SIGNED, key, problem);
      case 19 -> Match.of(Code.CHAIN_UNTRUSTED, key, problem);
      case 23 -> Match.of(Code.CERT_REVOKED, key, problem);
      case 62 -> Match.of(Code.HOSTNAME_MISMATCH, key, problem);
      // The proxy's own CA file (proxy_ssl_trusted_certificate) lacks a root or is too shallow as
      // often as the upstream omits an intermediate.
      case 2, 20, 21 -> Match.ambiguous(key, problem, Code.CHAIN_INCOMPLETE, Code.CHAIN_UNTRUSTED,
          Code.TRUST_STORE_DIFFERS);
      default -> Match.ambiguous(key, problem, Code.CHAIN_UNTRUSTED, Code.CHAIN_INCOMPLETE);
    };
  }

  /**
   * The same failure when this server acts as a client (nginx "while SSL handshaking to
   * upstream", Apache SSLProxy AH00898, HAProxy server checks): the peer is the upstream, the
   * advice points the other way, and a missing SNI is a usual cause.
   */
  public static Match outbound(Match m) {
    if (m.key().startsWith("upstream")) {
      return m;
    }
    List<Code> candidates = new java.util.ArrayList<>(m.candidates());
    boolean failure = m.code().equals(Code.HANDSHAKE_FAILED) || m.code().equals(Code.CONNECTION_RESET);
    if (failure && !candidates.contains(Code.SNI_REQUIRED)) {
      candidates.add(0, Code.SNI_REQUIRED);
    }
    // An upstream that requires a client certificate (proxy_ssl_certificate) also ends with
    // handshake_failure.
    if (failure && !candidates.contains(Code.CLIENT_CERT_REQUIRED)) {
      candidates.add(Math.min(1, candidates.size()), Code.CLIENT_CERT_REQUIRED);
    }
    return new Match(m.code(), candidates, "upstream: " + m.key(),
        "this server, as a client of its upstream: " + m.problem());
  }

  /** A line that names an intercepting proxy: its CA is the usual reason clients reject it. */
  public static Match intercepting(Match m) {
    if (m.candidates().contains(Code.TLS_INTERCEPTION_SUSPECTED)) {
      return m;
    }
    List<Code> candidates = new java.util.ArrayList<>(m.candidates());
    candidates.add(0, Code.TLS_INTERCEPTION_SUSPECTED);
    return new Match(m.code(), candidates, m.key(), m.problem());
  }

  private static String firstOf(String s, String... needles) {
    for (String n : needles) {
      if (s.contains(n)) {
        return n;
      }
    }
    return needles[0];
  }

  /**
   * What to change, in the words of the server that wrote the log.
   *
   * @param match the match
   * @param format the log's format
   * @param offered what clients offered, as far as the log says (may be empty)
   * @return one or two sentences
   */
  public static String whatToChange(Match match, LogFormat format, List<String> offered) {
    Code code = match.code();
    Code first = match.candidates().isEmpty() ? code : match.candidates().get(0);
    if (match.key().startsWith("upstream: ")) {
      return "This server is the client here: the upstream rejected it or it rejected the upstream. Send SNI "
          + (format == LogFormat.NGINX ? "('proxy_ssl_server_name on;' and 'proxy_ssl_name')"
              : format == LogFormat.APACHE ? "('SSLProxyEngine on', ProxyPreserveHost or the upstream's name)"
              : format == LogFormat.HAPROXY ? "('sni req.hdr(host)' or 'check-sni' on the server line)" : "")
          + ", offer versions and suites the upstream accepts, and trust its CA; run 'tls-inspect UPSTREAM:PORT' "
          + "to tell " + names(match.candidates()) + " apart.";
    }
    if (format == LogFormat.WINDOWS) {
      return "Windows: compare the enabled protocols and cipher suites (registry "
          + "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols, the cipher suite "
          + "order group policy, Get-TlsCipherSuite) with what clients offer, and check the certificate binding "
          + "and its private key ('netsh http show sslcert', the IIS site binding); run 'tls-inspect HOST:PORT' to "
          + "tell " + names(match.candidates()) + " apart.";
    }
    List<String> versions = offered.stream().filter(o -> o.startsWith("client version") || o.startsWith("versions"))
        .toList();
    List<String> suites = offered.stream().filter(o -> !versions.contains(o)).toList();
    if (code.equals(Code.NO_COMMON_PROTOCOL)) {
      String offers = versions.isEmpty() ? "" : " Clients offered: " + String.join(", ", versions) + ".";
      return "Clients offer protocol versions the server does not accept." + offers + " Prefer upgrading "
          + "those clients; if they must be served, allow their version in " + directive(format, "protocols")
          + ", knowing TLS 1.0/1.1 are deprecated (RFC 8996).";
    }
    if (code.equals(Code.NO_COMMON_CIPHER) || first.equals(Code.NO_COMMON_CIPHER) && code.equals(Code.HANDSHAKE_FAILED)
        && !match.candidates().contains(Code.NO_COMMON_PROTOCOL)) {
      String offers = suites.isEmpty() ? "" : " Clients offered: " + String.join(", ", suites) + ".";
      return "Clients offer no cipher suite (or group, or signature algorithm) the server accepts." + offers
          + " Compare the client's list with " + directive(format, "ciphers")
          + "; add a suite the client has (Mozilla 'intermediate' covers most clients) or upgrade the client.";
    }
    if (code.equals(Code.NOT_TLS)) {
      return "Clients send plain text to the TLS port: fix their URL (https://) or port. "
          + directive(format, "plainhttp");
    }
    if (code.equals(Code.CLIENT_CERT_REQUIRED)) {
      return "Mutual TLS: give those clients a certificate issued by a CA the server trusts, or change "
          + directive(format, "clientcert") + ".";
    }
    if (code.equals(Code.CERT_EXPIRED) || code.equals(Code.CERT_NOT_YET_VALID) || code.equals(Code.CERT_REVOKED)) {
      return "Replace the certificate in " + directive(format, "cert") + " and reload; then run "
          + "'tls-inspect HOST:PORT' to confirm.";
    }
    if (code.equals(Code.WEAK_DH)) {
      return "Use ECDHE suites or a DH group of 2048 bits or more in " + directive(format, "ciphers") + ".";
    }
    if (code.equals(Code.TLS_PROTOCOL_ERROR) || code.equals(Code.CONNECTION_RESET)) {
      return "Usually scanners, health checks or broken clients; if real clients are affected, find them by "
          + "address, and run 'tls-inspect HOST:PORT' to see whether the server's certificate is rejected.";
    }
    if (code.equals(Code.HANDSHAKE_TIMEOUT)) {
      return "Clients connect but stall: look for slow or filtering networks between them and the server.";
    }
    if (first.equals(Code.CHAIN_INCOMPLETE) || first.equals(Code.CHAIN_UNTRUSTED)) {
      return "Clients reject the certificate chain. Serve the full chain (leaf, then intermediates) from "
          + directive(format, "cert") + ", with a certificate from a CA the clients trust; run "
          + "'tls-inspect HOST:PORT' to tell " + names(match.candidates()) + " apart.";
    }
    return "The log does not say enough to tell " + names(match.candidates()) + " apart: run "
        + "'tls-inspect HOST:PORT' (which enumerates versions and suites) against the server, and " + directive(format, "detail") + ".";
  }

  private static String names(List<Code> codes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < codes.size(); i++) {
      sb.append(i == 0 ? "" : i == codes.size() - 1 ? " and " : ", ").append(codes.get(i).name());
    }
    return sb.toString();
  }

  /** The configuration directive of each server for a concern. */
  static String directive(LogFormat format, String what) {
    return switch (what) {
      case "protocols" -> switch (format) {
        case NGINX -> "nginx 'ssl_protocols'";
        case APACHE -> "Apache 'SSLProtocol'";
        case HAPROXY -> "HAProxy 'ssl-min-ver' on the bind line (or 'ssl-default-bind-options')";
        case TOMCAT -> "Tomcat's SSLHostConfig 'protocols'";
        case JETTY -> "Jetty's SslContextFactory include/exclude protocols";
        case JAVA -> "the server's enabled protocols (SSLParameters.setProtocols, 'jdk.tls.server.protocols', "
            + "'jdk.tls.disabledAlgorithms' in java.security)";
        default -> "the server's protocol setting (OpenSSL: MinProtocol in openssl.cnf or the -tls1_x options)";
      };
      case "ciphers" -> switch (format) {
        case NGINX -> "nginx 'ssl_ciphers' (and 'ssl_ecdh_curve')";
        case APACHE -> "Apache 'SSLCipherSuite' (and 'SSLOpenSSLConfCmd Curves')";
        case HAPROXY -> "HAProxy 'ciphers'/'ciphersuites' on the bind line (or 'ssl-default-bind-ciphers')";
        case TOMCAT -> "Tomcat's SSLHostConfig 'ciphers'";
        case JETTY -> "Jetty's SslContextFactory include/exclude cipher suites";
        case JAVA -> "the server's enabled cipher suites (SSLParameters.setCipherSuites, "
            + "'jdk.tls.disabledAlgorithms')";
        default -> "the server's cipher list (OpenSSL: -cipher/-ciphersuites, CipherString in openssl.cnf)";
      };
      case "plainhttp" -> switch (format) {
        case NGINX -> "nginx can redirect them: 'error_page 497 https://$host$request_uri;'.";
        case APACHE -> "Apache answers them with an error page; serve HTTP on its own port and redirect.";
        case HAPROXY -> "HAProxy: serve HTTP on its own bind and 'redirect scheme https'.";
        default -> "Serve HTTP on its own port and redirect to HTTPS.";
      };
      case "clientcert" -> switch (format) {
        case NGINX -> "nginx 'ssl_verify_client' and 'ssl_client_certificate'";
        case APACHE -> "Apache 'SSLVerifyClient' and 'SSLCACertificateFile'";
        case HAPROXY -> "HAProxy 'verify' and 'ca-file' on the bind line";
        case TOMCAT -> "Tomcat's SSLHostConfig 'certificateVerification' and 'truststoreFile'";
        case JETTY -> "Jetty's SslContextFactory need/want client auth and trust store";
        case JAVA -> "the server's setNeedClientAuth/setWantClientAuth and its trust store";
        default -> "the server's client-certificate verification and CA file (OpenSSL: -Verify, -CAfile)";
      };
      case "cert" -> switch (format) {
        case NGINX -> "nginx 'ssl_certificate' (one file: leaf first, then intermediates)";
        case APACHE -> "Apache 'SSLCertificateFile' (leaf then intermediates; 'SSLCertificateChainFile' before 2.4.8)";
        case HAPROXY -> "the HAProxy 'crt' PEM file (leaf, intermediates, key)";
        case TOMCAT -> "Tomcat's Certificate 'certificateKeystoreFile' (the key entry must hold the whole chain)";
        case JETTY -> "Jetty's key store (the key entry must hold the whole chain)";
        case JAVA -> "the server's key store (the key entry must hold the whole chain)";
        default -> "the server's certificate file (leaf first, then intermediates)";
      };
      default -> switch (format) {
        case NGINX -> "keep 'error_log ... info' so nginx logs the OpenSSL reason";
        case APACHE -> "keep 'LogLevel ssl:info' so mod_ssl logs the OpenSSL reason";
        case HAPROXY -> "on HAProxy 2.7+ log the reason with 'error-log-format' and %[ssl_fc_err_str]";
        case JAVA, TOMCAT, JETTY -> "log the exception's stack trace, or run with -Djavax.net.debug=ssl:handshake";
        default -> "log the full OpenSSL error string";
      };
    };
  }
}
