package dev.tlsinspect;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The code of a finding: an open value, spelled as in the diagnosis catalogue ({@code DIAGNOSES.md}).
 *
 * <p>The constants below are the catalogue's codes; they never change meaning once released. Custom
 * checks define their own codes in their own namespace with {@link #of(String)}, for example
 * {@code Code.of("ACME_PINNED_KEY_CHANGED")}. See {@link Diagnoses} for each code's default severity
 * and meaning.
 *
 * @param name the code, upper-case letters, digits and underscores, starting with a letter
 * @since 0.1.0
 */
public record Code(String name) {
  private static final Pattern VALID = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");

  /** Reachability and transport (NET, BLOCK): the name does not resolve (NXDOMAIN, no address, resolver timeout). */
  public static final Code DNS_RESOLUTION_FAILED = new Code("DNS_RESOLUTION_FAILED");
  /** Reachability and transport (NET, BLOCK): TCP RST on connect: nothing listens on that address and port. */
  public static final Code CONNECTION_REFUSED = new Code("CONNECTION_REFUSED");
  /** Reachability and transport (NET, BLOCK): no answer to the TCP connect within the deadline: a firewall drops it, or the host is down. */
  public static final Code CONNECT_TIMEOUT = new Code("CONNECT_TIMEOUT");
  /** Reachability and transport (NET, BLOCK): no route to the host or network (ICMP unreachable). */
  public static final Code HOST_UNREACHABLE = new Code("HOST_UNREACHABLE");
  /** Reachability and transport (NET, BLOCK): TCP connected, but no TLS answer to the ClientHello within the deadline. */
  public static final Code HANDSHAKE_TIMEOUT = new Code("HANDSHAKE_TIMEOUT");
  /** Reachability and transport (NET, BLOCK): the peer or a middlebox reset or closed the connection during the handshake. */
  public static final Code CONNECTION_RESET = new Code("CONNECTION_RESET");
  /** Reachability and transport (NET, BLOCK): the port speaks another protocol (evidence names it: HTTP, SMTP, SSH, ...). */
  public static final Code NOT_TLS = new Code("NOT_TLS");
  /** Reachability and transport (NET, BLOCK): the configured HTTP CONNECT or SOCKS proxy refused or failed the tunnel. */
  public static final Code PROXY_FAILED = new Code("PROXY_FAILED");
  /** Reachability and transport (NET, BLOCK): the plaintext protocol did not offer or accept STARTTLS. */
  public static final Code STARTTLS_UNAVAILABLE = new Code("STARTTLS_UNAVAILABLE");
  /** Reachability and transport (NET, BLOCK): the handshake fails (or a different certificate comes back) without SNI. */
  public static final Code SNI_REQUIRED = new Code("SNI_REQUIRED");
  /** Reachability and transport (NET, BLOCK): the handshake is cut off for this server name but not for a neutral one: name-based blocking on the path. */
  public static final Code SNI_FILTERED = new Code("SNI_FILTERED");
  /** Reachability and transport (NET, BLOCK): the addresses behind one name answer differently (one backend has another certificate, version set or a failure). */
  public static final Code ADDRESS_INCONSISTENT = new Code("ADDRESS_INCONSISTENT");
  /** Reachability and transport (NET, BLOCK): the server demands a client certificate and the handshake fails without an acceptable one. */
  public static final Code CLIENT_CERT_REQUIRED = new Code("CLIENT_CERT_REQUIRED");
  /** Reachability and transport (NET, BLOCK): the server asks for an optional client certificate (evidence: accepted CA names). */
  public static final Code CLIENT_CERT_REQUESTED = new Code("CLIENT_CERT_REQUESTED");
  /** Certificate and chain of trust (CERT, CA): the leaf certificate's notAfter is in the past. */
  public static final Code CERT_EXPIRED = new Code("CERT_EXPIRED");
  /** Certificate and chain of trust (CERT, CA): the leaf certificate's notBefore is in the future. */
  public static final Code CERT_NOT_YET_VALID = new Code("CERT_NOT_YET_VALID");
  /** Certificate and chain of trust (CERT, CA): the leaf (or a chain certificate) expires within the warning window (default 30 days). */
  public static final Code CERT_EXPIRING_SOON = new Code("CERT_EXPIRING_SOON");
  /** Certificate and chain of trust (CERT, CA): a CA certificate the server sends (or the chain needs) is expired or not yet valid. */
  public static final Code INTERMEDIATE_EXPIRED = new Code("INTERMEDIATE_EXPIRED");
  /** Certificate and chain of trust (CERT, CA): the server does not send an intermediate needed to reach a trusted root (evidence: the missing issuer and its AIA URL). */
  public static final Code CHAIN_INCOMPLETE = new Code("CHAIN_INCOMPLETE");
  /** Certificate and chain of trust (CERT, CA): the server sends its chain out of order, or with certificates that do not belong to the path. */
  public static final Code CHAIN_ORDER = new Code("CHAIN_ORDER");
  /** Certificate and chain of trust (CERT, CA): the chain ends at a root that the trust store in use does not hold. */
  public static final Code CHAIN_UNTRUSTED = new Code("CHAIN_UNTRUSTED");
  /** Certificate and chain of trust (CERT, CA): the leaf is self-signed and not itself trusted. */
  public static final Code CERT_SELF_SIGNED = new Code("CERT_SELF_SIGNED");
  /** Certificate and chain of trust (CERT, CA): no SAN (DNS or IP) of the leaf matches the requested name. */
  public static final Code HOSTNAME_MISMATCH = new Code("HOSTNAME_MISMATCH");
  /** Certificate and chain of trust (CERT, CA): the leaf has no subjectAltName (name only in CN, which clients ignore). */
  public static final Code CERT_NO_SAN = new Code("CERT_NO_SAN");
  /** Certificate and chain of trust (CERT, CA): a stapled or fetched OCSP response, or a CRL, says the certificate is revoked. */
  public static final Code CERT_REVOKED = new Code("CERT_REVOKED");
  /** Certificate and chain of trust (CERT, CA): the leaf names neither an OCSP responder nor a CRL. */
  public static final Code REVOCATION_INFO_MISSING = new Code("REVOCATION_INFO_MISSING");
  /** Certificate and chain of trust (CERT, CA): the server does not staple an OCSP response. */
  public static final Code OCSP_STAPLING_MISSING = new Code("OCSP_STAPLING_MISSING");
  /** Certificate and chain of trust (CERT, CA): a certificate in the path (not the trust anchor) is signed with SHA-1 or MD5. */
  public static final Code WEAK_SIGNATURE = new Code("WEAK_SIGNATURE");
  /** Certificate and chain of trust (CERT, CA): a key in the path is too small (RSA or DSA under 2048 bits, EC under 224 bits). */
  public static final Code WEAK_KEY = new Code("WEAK_KEY");
  /** Certificate and chain of trust (CERT, CA): key usage or extended key usage does not allow TLS server authentication. */
  public static final Code CERT_BAD_KEY_USAGE = new Code("CERT_BAD_KEY_USAGE");
  /** Certificate and chain of trust (CERT, CA): the certificate message is larger than clients accept (evidence: bytes, SAN count). */
  public static final Code CERT_TOO_LARGE = new Code("CERT_TOO_LARGE");
  /** Certificate and chain of trust (CERT, CA): the leaf is valid for longer than public CAs may issue (398 days). */
  public static final Code CERT_VALIDITY_TOO_LONG = new Code("CERT_VALIDITY_TOO_LONG");
  /** Certificate and chain of trust (CERT, CA): the chain is trusted by one reference trust store and not by the one this application uses. */
  public static final Code TRUST_STORE_DIFFERS = new Code("TRUST_STORE_DIFFERS");
  /** Certificate and chain of trust (CERT, CA): the chain is issued by a local or known interception CA (proxy, antivirus, gateway) instead of the expected public CA (SEC). */
  public static final Code TLS_INTERCEPTION_SUSPECTED = new Code("TLS_INTERCEPTION_SUSPECTED");
  /** Certificate and chain of trust (CERT, CA): a certificate's serial number is zero, negative or longer than 20 octets (Go refuses negative serials; the JDK accepts all three). */
  public static final Code CERT_PROFILE_SERIAL = new Code("CERT_PROFILE_SERIAL");
  /** Certificate and chain of trust (CERT, CA): the leaf's subjectAltName is malformed (dNSName syntax such as an underscore, iPAddress length), critical beside a subject, or a host-like common name is not a copy of a SAN entry. */
  public static final Code CERT_PROFILE_NAMES = new Code("CERT_PROFILE_NAMES");
  /** Certificate and chain of trust (CERT, CA): name constraints the JDK does not check: not critical, in an end-entity certificate, empty, malformed subtrees, a wildcard covering an excluded name, or too many names times constraints. */
  public static final Code CERT_PROFILE_NAME_CONSTRAINTS = new Code("CERT_PROFILE_NAME_CONSTRAINTS");
  /** Certificate and chain of trust (CERT, CA): a certificate lacks its authorityKeyIdentifier, a CA certificate its subjectKeyIdentifier, or a root's AKI holds more than the keyIdentifier. */
  public static final Code CERT_PROFILE_KEY_IDENTIFIERS = new Code("CERT_PROFILE_KEY_IDENTIFIERS");
  /** Certificate and chain of trust (CERT, CA): version and extension profile: not X.509 v3, CA basicConstraints not critical, a leaf with cA=true or keyCertSign, extendedKeyUsage missing, critical, anyExtendedKeyUsage or in a root, policyConstraints not critical, malformed AIA. */
  public static final Code CERT_PROFILE_EXTENSIONS = new Code("CERT_PROFILE_EXTENSIONS");
  /** Certificate and chain of trust (CERT, CA): a key in the path, the root's included, is DSA, an RSA key under 2048 bits at the anchor, or an RSA modulus not a multiple of 8. */
  public static final Code CERT_PROFILE_KEY = new Code("CERT_PROFILE_KEY");
  /** Certificate and chain of trust (CERT, CA): a later JDK release will reject this endpoint (evidence: the release, and why: a distrust policy for the chain's root by issuance date, the chain's root removed from cacerts, or no common version or suite). */
  public static final Code JDK_UPGRADE_BREAKS = new Code("JDK_UPGRADE_BREAKS");
  /** Certificate and chain of trust (CERT, CA): the server has another certificate for another key type (RSA and ECDSA), which clients offering only that type get; it is judged by the certificate checks too, whose findings name its key type (evidence: keyType, subject, notAfter, leafSha256). */
  public static final Code CERT_ALTERNATE = new Code("CERT_ALTERNATE");
  /** Certificate and chain of trust (CERT, CA): the leaf of a chain that leads to a public root carries no Signed Certificate Timestamp, so Chrome and Safari reject it. */
  public static final Code CERT_NO_SCT = new Code("CERT_NO_SCT");
  /** Certificate and chain of trust (CERT, CA): the leaf has the OCSP must-staple TLS feature but the server sent no stapled OCSP response (a hard failure in Firefox). */
  public static final Code MUST_STAPLE_NOT_STAPLED = new Code("MUST_STAPLE_NOT_STAPLED");
  /** Protocol versions (VER): the server accepts SSL 2.0. */
  public static final Code PROTOCOL_SSL2 = new Code("PROTOCOL_SSL2");
  /** Protocol versions (VER): the server accepts SSL 3.0. */
  public static final Code PROTOCOL_SSL3 = new Code("PROTOCOL_SSL3");
  /** Protocol versions (VER): the server accepts TLS 1.0. */
  public static final Code PROTOCOL_TLS1_0 = new Code("PROTOCOL_TLS1_0");
  /** Protocol versions (VER): the server accepts TLS 1.1. */
  public static final Code PROTOCOL_TLS1_1 = new Code("PROTOCOL_TLS1_1");
  /** Protocol versions (VER): the server does not accept TLS 1.3. */
  public static final Code TLS1_3_UNSUPPORTED = new Code("TLS1_3_UNSUPPORTED");
  /** Protocol versions (VER): the client's enabled versions and the server's accepted versions do not overlap (evidence: both sets). */
  public static final Code NO_COMMON_PROTOCOL = new Code("NO_COMMON_PROTOCOL");
  /** Protocol versions (VER): the server's only versions are disabled by this JVM's policy (`jdk.tls.disabledAlgorithms`, `jdk.tls.client.protocols`). */
  public static final Code LOCAL_PROTOCOL_DISABLED = new Code("LOCAL_PROTOCOL_DISABLED");
  /** Cipher suites, key exchange, forward secrecy (CIPH, PFS): the client's enabled suites and the server's accepted suites do not overlap. */
  public static final Code NO_COMMON_CIPHER = new Code("NO_COMMON_CIPHER");
  /** Cipher suites, key exchange, forward secrecy (CIPH, PFS): the server's only suites are disabled by this JVM's policy. */
  public static final Code LOCAL_CIPHER_DISABLED = new Code("LOCAL_CIPHER_DISABLED");
  /** Cipher suites, key exchange, forward secrecy (CIPH, PFS): the server accepts suites without encryption. */
  public static final Code CIPHER_NULL = new Code("CIPHER_NULL");
  /** Cipher suites, key exchange, forward secrecy (CIPH, PFS): the server accepts anonymous (unauthenticated) suites. */
  public static final Code CIPHER_ANON = new Code("CIPHER_ANON");
  /** Cipher suites, key exchange, forward secrecy (CIPH, PFS): the server accepts export-grade suites (FREAK, Logjam). */
  public static final Code CIPHER_EXPORT = new Code("CIPHER_EXPORT");
  /** Cipher suites, key exchange, forward secrecy (CIPH, PFS): the server accepts RC4. */
  public static final Code CIPHER_RC4 = new Code("CIPHER_RC4");
  /** Cipher suites, key exchange, forward secrecy (CIPH, PFS): the server accepts single DES. */
  public static final Code CIPHER_DES = new Code("CIPHER_DES");
  /** Cipher suites, key exchange, forward secrecy (CIPH, PFS): the server accepts 3DES or other 64-bit block ciphers (SWEET32). */
  public static final Code CIPHER_3DES = new Code("CIPHER_3DES");
  /** Cipher suites, key exchange, forward secrecy (CIPH, PFS): the server accepts CBC-mode suites (Lucky13, BEAST with TLS 1.0). */
  public static final Code CIPHER_CBC = new Code("CIPHER_CBC");
  /** Cipher suites, key exchange, forward secrecy (CIPH, PFS): no suite (HIGH) or not every suite (MEDIUM) gives forward secrecy: static RSA or DH key exchange. */
  public static final Code NO_FORWARD_SECRECY = new Code("NO_FORWARD_SECRECY");
  /** Cipher suites, key exchange, forward secrecy (CIPH, PFS): ephemeral DH group smaller than 2048 bits (evidence: bits). */
  public static final Code WEAK_DH = new Code("WEAK_DH");
  /** Cipher suites, key exchange, forward secrecy (CIPH, PFS): DH modulus not prime, or not a safe prime / small subgroup. */
  public static final Code DH_PARAMS_INSECURE = new Code("DH_PARAMS_INSECURE");
  /** Cipher suites, key exchange, forward secrecy (CIPH, PFS): the server lets the client choose the suite. */
  public static final Code NO_SERVER_CIPHER_ORDER = new Code("NO_SERVER_CIPHER_ORDER");
  /** Cipher suites, key exchange, forward secrecy (CIPH, PFS): a named client profile (evidence: profile, reason) cannot complete a handshake. */
  public static final Code CLIENT_INCOMPATIBLE = new Code("CLIENT_INCOMPATIBLE");
  /** Cipher suites, key exchange, forward secrecy (CIPH, PFS): the server deviates from a selected policy (Mozilla modern/intermediate/old, NIST SP 800-52r2); evidence lists each deviation. */
  public static final Code POLICY_VIOLATION = new Code("POLICY_VIOLATION");
  /** Cipher suites, key exchange, forward secrecy (CIPH, PFS): the finite-field DH group the server sends with its DHE suites, when it is not already named by WEAK_DH or DH_PARAMS_INSECURE (evidence: bits, the group's name or custom, the DHE suites). */
  public static final Code DH_GROUP = new Code("DH_GROUP");
  /** Time (TIME): this machine's clock differs from a reference clock (HTTP Date, SNTP) by more than the threshold (default 5 minutes); when a certificate looks expired or not yet valid only because of it, this is the root cause. */
  public static final Code CLOCK_SKEW = new Code("CLOCK_SKEW");
  /** Local key and trust stores (STORE): a key or trust store cannot be read: wrong password, wrong type, damaged, missing, too large, or a private key that the password does not recover (evidence: reason, the JDK's error). */
  public static final Code STORE_UNREADABLE = new Code("STORE_UNREADABLE");
  /** Local key and trust stores (STORE): the store holds no certificate, so a trust manager built from it fails every handshake with 'the trustAnchors parameter must be non-empty'. */
  public static final Code STORE_TRUST_EMPTY = new Code("STORE_TRUST_EMPTY");
  /** Local key and trust stores (STORE): a client certificate, its chain or a trust anchor in a local store has expired (MEDIUM for an anchor). */
  public static final Code STORE_CERT_EXPIRED = new Code("STORE_CERT_EXPIRED");
  /** Local key and trust stores (STORE): a client certificate, its chain or a trust anchor in a local store expires within the warning window (LOW for an anchor). */
  public static final Code STORE_CERT_EXPIRING_SOON = new Code("STORE_CERT_EXPIRING_SOON");
  /** Local key and trust stores (STORE): a private key in a local store does not match the certificate stored with it. */
  public static final Code STORE_KEY_MISMATCH = new Code("STORE_KEY_MISMATCH");
  /** Local key and trust stores (STORE): the chain of a key entry is broken, or lacks the intermediate the server needs (MEDIUM when the issuer is unknown). */
  public static final Code STORE_CHAIN_INCOMPLETE = new Code("STORE_CHAIN_INCOMPLETE");
  /** Local key and trust stores (STORE): the same certificate is stored under several aliases. */
  public static final Code STORE_DUPLICATE_ALIAS = new Code("STORE_DUPLICATE_ALIAS");
  /** Local key and trust stores (STORE): an alias no TLS key or trust manager uses: a secret key, or a key whose certificate's extended key usage allows neither TLS client nor server authentication. */
  public static final Code STORE_UNUSED_ALIAS = new Code("STORE_UNUSED_ALIAS");
  /** Server weaknesses (TOOL): CVE-2014-0160. */
  public static final Code HEARTBLEED = new Code("HEARTBLEED");
  /** Server weaknesses (TOOL): CVE-2014-0224. */
  public static final Code CCS_INJECTION = new Code("CCS_INJECTION");
  /** Server weaknesses (TOOL): Bleichenbacher oracle on RSA key exchange. */
  public static final Code ROBOT = new Code("ROBOT");
  /** Server weaknesses (TOOL): no RFC 5746 secure renegotiation. */
  public static final Code INSECURE_RENEGOTIATION = new Code("INSECURE_RENEGOTIATION");
  /** Server weaknesses (TOOL): client-initiated renegotiation accepted: MEDIUM without RFC 5746, INFO when secure (a DoS amplifier only; JSSE servers allow it by default). */
  public static final Code CLIENT_RENEGOTIATION = new Code("CLIENT_RENEGOTIATION");
  /** Server weaknesses (TOOL): TLS-level compression accepted (CRIME). */
  public static final Code TLS_COMPRESSION = new Code("TLS_COMPRESSION");
  /** Server weaknesses (TOOL): downgrade protection (RFC 7507) missing while older versions are accepted: LOW when versions below TLS 1.2 are accepted, INFO for a TLS 1.3 server falling back to TLS 1.2 (its downgrade sentinel protects TLS 1.3 clients; SunJSSE servers never implemented RFC 7507). */
  public static final Code NO_FALLBACK_SCSV = new Code("NO_FALLBACK_SCSV");
  /** Server weaknesses (TOOL): SSL 3.0 with CBC. */
  public static final Code POODLE = new Code("POODLE");
  /** Server weaknesses (TOOL): TLS 1.0 with CBC. */
  public static final Code BEAST = new Code("BEAST");
  /** Server weaknesses (TOOL): SSLv2 accepted on this key. */
  public static final Code DROWN = new Code("DROWN");
  /** Server weaknesses (TOOL): TLS 1.3 0-RTT accepted (replay risk). */
  public static final Code EARLY_DATA_ACCEPTED = new Code("EARLY_DATA_ACCEPTED");
  /** Server weaknesses (TOOL): HTTPS target without Strict-Transport-Security. */
  public static final Code HSTS_MISSING = new Code("HSTS_MISSING");
  /** Server weaknesses (TOOL): no Extended Master Secret (RFC 7627) in TLS 1.2: FIPS 140-3 JVMs and hardened clients refuse TLS 1.2 without it (LOW when TLS 1.3 is accepted). */
  public static final Code NO_EXTENDED_MASTER_SECRET = new Code("NO_EXTENDED_MASTER_SECRET");
  /** Server weaknesses (TOOL): facts: TLS 1.2 resumption by session ID, session tickets and their lifetime, TLS 1.3 ticket lifetime. */
  public static final Code SESSION_RESUMPTION = new Code("SESSION_RESUMPTION");
  /** Server weaknesses (TOOL): offered h2 and http/1.1 by ALPN, the server selects http/1.1, not h2: gRPC and HTTP/2-only clients fail (evidence: selected). */
  public static final Code ALPN_NO_HTTP2 = new Code("ALPN_NO_HTTP2");
  /** Server weaknesses (TOOL): facts: the signature schemes the server signs its handshake with, per version, in its order. */
  public static final Code SIGNATURE_SCHEMES = new Code("SIGNATURE_SCHEMES");
  /** Server weaknesses (TOOL): a selected client profile (this JVM always) offers none of the signature schemes the server signs with at the version it would negotiate: "No appropriate signature algorithm" (evidence: profile, both lists). */
  public static final Code SIGNATURE_SCHEME_MISMATCH = new Code("SIGNATURE_SCHEME_MISMATCH");
  /** Server weaknesses (TOOL): 64-bit block cipher suites accepted (3DES, IDEA, DES, RC2): plaintext recovery on long connections. */
  public static final Code SWEET32 = new Code("SWEET32");
  /** Server weaknesses (TOOL): export RSA suites accepted: a downgraded client accepts a 512-bit RSA key. */
  public static final Code FREAK = new Code("FREAK");
  /** Server weaknesses (TOOL): export DHE suites accepted (HIGH with a 512-bit group, MEDIUM with a 1024-bit one; the group is read from one ServerKeyExchange, evidence bitsSource measured, or assumed 512 bits when unreadable), or a DHE group of 1024 bits or less (MEDIUM). */
  public static final Code LOGJAM = new Code("LOGJAM");
  /** Server weaknesses (TOOL): the active vulnerability probes asked for ran; evidence names each and how it ended. */
  public static final Code ACTIVE_PROBES_RUN = new Code("ACTIVE_PROBES_RUN");
  /** Server weaknesses (TOOL): the other endpoints named for DROWN were asked for SSL 2.0; evidence says what each answered. */
  public static final Code SSLV2_ENDPOINTS_CHECKED = new Code("SSLV2_ENDPOINTS_CHECKED");
  /** Added by tls-inspect: the handshake failed for a reason the other codes do not name (evidence: the alert or the error the TLS stack reported). */
  public static final Code HANDSHAKE_FAILED = new Code("HANDSHAKE_FAILED");
  /** Added by tls-inspect: the peer answered with malformed or contradictory TLS (oversized lengths, impossible values, garbage after a valid header). */
  public static final Code TLS_PROTOCOL_ERROR = new Code("TLS_PROTOCOL_ERROR");
  /** Added by tls-inspect: a check failed with an internal error, so the report may be incomplete (evidence: the check and the error). */
  public static final Code CHECK_ERROR = new Code("CHECK_ERROR");
  /** Added by tls-inspect: the leaf's revocation status cannot be established: the CRL or OCSP response for it is invalid, stale or says unknown (HIGH), or the online check got no answer (LOW). */
  public static final Code REVOCATION_STATUS_UNKNOWN = new Code("REVOCATION_STATUS_UNKNOWN");
  /** Added by tls-inspect: a full inspection did not enumerate the versions, cipher suites, groups and DH parameters the server accepts (no provider that makes offers, such as tls-inspect-bc, or the deadline passed), so the verdict does not cover them (evidence: what was not checked). */
  public static final Code ENUMERATION_UNAVAILABLE = new Code("ENUMERATION_UNAVAILABLE");
  /** Added by tls-inspect: the inspection ended before it could examine the endpoint (the deadline passed before any handshake was tried): nothing was checked, so the report cannot pass (evidence: the deadline and what was skipped). */
  public static final Code INSPECTION_INCOMPLETE = new Code("INSPECTION_INCOMPLETE");
  /** Added by tls-inspect: the main handshake was made with the application's own TLS objects (SSLContext, socket factory, trust or key manager); the report judges that client (evidence: which objects, their provider, the outcome). */
  public static final Code APP_TLS_USED = new Code("APP_TLS_USED");
  /** Added by tls-inspect: the application's own TLS objects fail where this JVM's default JSSE client over the same trust material succeeds, for example a pinning trust manager rejecting a valid chain (evidence: the application's error, the comparison handshake). */
  public static final Code APP_TLS_FAILS = new Code("APP_TLS_FAILS");

  /**
   * Creates a code.
   *
   * @param name the code, upper-case letters, digits and underscores, starting with a letter
   * @throws IllegalArgumentException when the name is not a valid code
   */
  public Code {
    Objects.requireNonNull(name, "name");
    if (!VALID.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid finding code '" + name + "': use upper-case letters, digits and underscores, starting with a letter");
    }
  }

  /**
   * Returns the code with the given name; catalogue codes and custom codes alike.
   *
   * @param name the code
   * @return the code
   * @throws IllegalArgumentException when the name is not a valid code
   * @since 0.1.0
   */
  public static Code of(String name) {
    return new Code(name);
  }

  /**
   * The code as written in reports and JSON.
   *
   * @return the name
   */
  @Override
  @JsonValue
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }
}
