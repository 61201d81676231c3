package dev.tlsinspect.internal.explain;

import dev.tlsinspect.Code;
import java.util.Map;

/** For each code an exception can point at: what tells it apart, in words. Not API. */
final class Confirmations {
  private static final Map<Code, String> TEXT = Map.ofEntries(
      Map.entry(Code.CHAIN_INCOMPLETE, "The chain-of-trust check on the chain the server sends: "
          + "CHAIN_INCOMPLETE when the leaf's issuer is neither sent nor in the trust store (it "
          + "names the missing issuer and its AIA URL)."),
      Map.entry(Code.CHAIN_UNTRUSTED, "The chain-of-trust check: CHAIN_UNTRUSTED when the chain is "
          + "complete but ends at a root the trust store in use does not hold."),
      Map.entry(Code.CERT_SELF_SIGNED, "The chain-of-trust check: CERT_SELF_SIGNED when the leaf is "
          + "signed by its own key."),
      Map.entry(Code.TLS_INTERCEPTION_SUSPECTED, "The interception check: the chain's issuer is a "
          + "known proxy or antivirus CA, or not the expected issuer; compare with the chain seen "
          + "from another network."),
      Map.entry(Code.TRUST_STORE_DIFFERS, "Compare the application's trust store with the JDK's "
          + "cacerts: TRUST_STORE_DIFFERS when one trusts the chain and the other does not (an "
          + "empty or wrong javax.net.ssl.trustStore shows here too; keytool -list it)."),
      Map.entry(Code.CERT_EXPIRED, "The validity check: the leaf's notAfter against this machine's "
          + "clock (CERT_EXPIRED for the leaf, INTERMEDIATE_EXPIRED for a CA certificate)."),
      Map.entry(Code.INTERMEDIATE_EXPIRED, "The validity check on each CA certificate the server "
          + "sends."),
      Map.entry(Code.CERT_NOT_YET_VALID, "The validity check: the leaf's notBefore against this "
          + "machine's clock."),
      Map.entry(Code.CLOCK_SKEW, "Compare this machine's clock with a reference (timedatectl, "
          + "chronyc tracking, an HTTP Date header): skew of minutes or more makes valid "
          + "certificates look expired or not yet valid."),
      Map.entry(Code.HOSTNAME_MISMATCH, "The host-name check: the names (DNS and IP SANs) the leaf "
          + "covers against the host the client used; with and without SNI."),
      Map.entry(Code.SNI_REQUIRED, "Two handshakes, with and without SNI: a different certificate "
          + "or a failure without it means the server needs SNI."),
      Map.entry(Code.SNI_FILTERED, "Two handshakes to the same address, with this server name and "
          + "with a neutral one: only this name cut off means name-based blocking."),
      Map.entry(Code.CERT_NO_SAN, "Read the leaf: no subjectAltName extension at all."),
      Map.entry(Code.CERT_BAD_KEY_USAGE, "The certificate policy check: the leaf's key usage and "
          + "extended key usage (serverAuth needed)."),
      Map.entry(Code.WEAK_KEY, "The certificate policy check: key sizes in the path (RSA and DSA "
          + "under 2048 bits, EC under 224)."),
      Map.entry(Code.WEAK_SIGNATURE, "The certificate policy check: signature algorithms in the path "
          + "(MD5, SHA-1); for handshake signatures, the schemes the server offers."),
      Map.entry(Code.CERT_REVOKED, "Ask the leaf's OCSP responder or CRL (online revocation check), "
          + "or read the stapled OCSP response."),
      Map.entry(Code.REVOCATION_INFO_MISSING, "Read the leaf's AIA (OCSP) and CRL distribution "
          + "points, and try to reach them from this host."),
      Map.entry(Code.NO_COMMON_CIPHER, "Enumerate the suites the server accepts (the BC provider) "
          + "and compare with this JVM's enabled suites."),
      Map.entry(Code.LOCAL_CIPHER_DISABLED, "Compare the suites the server accepts with "
          + "jdk.tls.disabledAlgorithms of this JVM: all of them disabled here."),
      Map.entry(Code.CLIENT_CERT_REQUIRED, "A handshake without a client certificate: the server's "
          + "CertificateRequest (with its accepted CA names) followed by a failure."),
      Map.entry(Code.NO_COMMON_PROTOCOL, "Probe each version (TLS 1.0 to 1.3) on its own: which the "
          + "server accepts, against the versions this client enables."),
      Map.entry(Code.LOCAL_PROTOCOL_DISABLED, "Compare the versions the server accepts with this "
          + "JVM's jdk.tls.disabledAlgorithms and jdk.tls.client.protocols (and the application's "
          + "configured protocol names)."),
      Map.entry(Code.CLIENT_INCOMPATIBLE, "Replay the failing client's offer (a client profile) "
          + "against the server."),
      Map.entry(Code.NOT_TLS, "Look at the first bytes the port answers with: HTTP, SMTP, SSH... "
          + "instead of a TLS record."),
      Map.entry(Code.STARTTLS_UNAVAILABLE, "Connect in plain text and look for a greeting that "
          + "offers STARTTLS (--starttls)."),
      Map.entry(Code.PROXY_FAILED, "Check the proxy's answer to CONNECT (status line) separately "
          + "from the target."),
      Map.entry(Code.CONNECTION_RESET, "A handshake from here: a reset or close right after the "
          + "ClientHello, without an alert (the stage says when)."),
      Map.entry(Code.CONNECTION_REFUSED, "A TCP connect from here: refused at once means nothing "
          + "listens (or a firewall rejects)."),
      Map.entry(Code.CONNECT_TIMEOUT, "A TCP connect from here: no answer within the timeout means "
          + "the packets are dropped."),
      Map.entry(Code.HOST_UNREACHABLE, "A TCP connect from here, and the routing table or "
          + "traceroute towards the address."),
      Map.entry(Code.DNS_RESOLUTION_FAILED, "Resolve the name from the same host or container (dig, "
          + "getent hosts)."),
      Map.entry(Code.HANDSHAKE_TIMEOUT, "A handshake from here: TCP connects, then no TLS answer "
          + "within the timeout (the stage says how far it got)."),
      Map.entry(Code.CERT_TOO_LARGE, "The certificate size check on the Certificate message the "
          + "server sends (read even when JSSE refuses it): CERT_TOO_LARGE with its size in bytes "
          + "against the JDK's 32 KB limit."),
      Map.entry(Code.WEAK_DH, "Read the server's DH group size in a TLS 1.2 DHE handshake."),
      Map.entry(Code.DH_PARAMS_INSECURE, "Test the server's DH modulus for primality and safe "
          + "primes."),
      Map.entry(Code.ADDRESS_INCONSISTENT, "Probe each address behind the name: one answering "
          + "differently means an inconsistent backend."),
      Map.entry(Code.TLS_PROTOCOL_ERROR, "A handshake from here, recorded (javax.net.debug or "
          + "--trace): the malformed message and who sent it."),
      Map.entry(Code.HANDSHAKE_FAILED, "A handshake from here; the peer's own error log names the "
          + "reason."));

  private Confirmations() {}

  static String of(Code code) {
    return TEXT.getOrDefault(code, "Inspect the endpoint: a finding with this code confirms it.");
  }
}
