package dev.tlsinspect.internal.network;

import dev.tlsinspect.ClientCredentials;
import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import dev.tlsinspect.probe.Alert;
import dev.tlsinspect.probe.ClientCertificateRequest;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Mutual TLS: CLIENT_CERT_REQUIRED when the server asked for a client certificate and ended the
 * handshake because none (or none it accepts) came; CLIENT_CERT_REQUESTED when it asked and the
 * handshake went on. With the application's key store in the options, the evidence says which of
 * its keys chain to a CA the server accepts and which alias the JDK chose.
 */
public final class ClientCertificateCheck implements Check {
  /*
   * Alerts a server sends when the client certificate is missing or unacceptable: certificate_required
   * (TLS 1.3, RFC 8446 section 4.4.2.4), handshake_failure or bad_certificate (TLS 1.2 servers on an
   * empty Certificate), and the validation alerts for a certificate it does not accept.
   */
  private static final Set<String> CLIENT_CERT_ALERTS = Set.of("certificate_required", "bad_certificate",
      "handshake_failure", "unknown_ca", "certificate_unknown", "unsupported_certificate",
      "certificate_expired", "certificate_revoked", "access_denied");

  @Override
  public String id() {
    return "client-certificate";
  }

  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder("client-certificate")
        .summary("Whether the server asks for or requires a client certificate, and whether the configured ones fit")
        .codes(Code.CLIENT_CERT_REQUIRED, Code.CLIENT_CERT_REQUESTED)
        .reference("RFC 8446 §4.3.2")
        .reference("RFC 5246 §7.4.4")
        .since("0.1.0")
        .needs(CheckDescriptor.Input.MAIN_HANDSHAKE, CheckDescriptor.Input.OPTIONS)
        .build();
  }

  /** Whether this failure is the server refusing the client certificate it asked for. */
  static boolean refused(Failure f, Observation seen) {
    return seen.clientCertificateRequested() && f.kind() == FailureKind.ALERT_RECEIVED
        && f.alert().map(Alert::name).filter(CLIENT_CERT_ALERTS::contains).isPresent();
  }

  @Override
  public List<Finding> evaluate(CheckContext ctx) {
    Optional<Observation> seen = ctx.observation();
    if (seen.isEmpty() || seen.get().clientCertificateRequest().isEmpty()) {
      return List.of();
    }
    ClientCertificateRequest request = seen.get().clientCertificateRequest().get();
    List<String> cas = request.certificateAuthorities();
    Optional<ClientCredentials> credentials = ctx.options().clientCredentials();
    boolean refused = ctx.outcome() instanceof ProbeOutcome.Failed failed && refused(failed.failure(), seen.get());
    boolean completed = ctx.outcome() instanceof ProbeOutcome.Completed;

    List<String> matching = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    if (credentials.isPresent()) {
      for (Map.Entry<String, List<X509Certificate>> e : credentials.get().keyChains().entrySet()) {
        keys.add(e.getKey() + ": " + e.getValue().get(0).getSubjectX500Principal().getName()
            + " issued by " + e.getValue().get(0).getIssuerX500Principal().getName());
        if (matches(e.getValue(), cas)) {
          matching.add(e.getKey());
        }
      }
    }
    String accepted = cas.isEmpty() ? "any CA (the request names none)" : String.join("; ", cas);
    Optional<String> chosen = request.chosenAlias();

    Finding.Builder b;
    if (refused) {
      String alert = ctx.failure().flatMap(Failure::alert).map(Alert::name).orElse("an alert");
      b = Finding.builder(Code.CLIENT_CERT_REQUIRED)
          .rootCause(true)
          .title(chosen.isPresent()
              ? "The server refused the client certificate '" + chosen.get() + "'"
              : "The server requires a client certificate")
          .detail("The server asked for a client certificate from " + accepted + " and ended the "
              + "handshake with " + alert + " "
              + (chosen.isPresent() ? "after this client sent the certificate of alias '" + chosen.get() + "'."
                  : "because this client sent none.")
              + keyStoreDetail(credentials, keys, matching, chosen))
          .remediation(remediation(credentials, cas, matching, chosen));
    } else {
      b = Finding.builder(Code.CLIENT_CERT_REQUESTED)
          .title(chosen.isPresent()
              ? "The server asked for a client certificate; alias '" + chosen.get() + "' was presented"
              : "The server asks for a client certificate")
          .detail("The server sent a CertificateRequest naming " + accepted + ". "
              + (completed
                  ? (chosen.isPresent() ? "The JDK presented the certificate of alias '" + chosen.get()
                      + "' and the handshake completed."
                      : "The handshake completed without one: client authentication is optional.")
                  : "The handshake ended for another reason before this mattered.")
              + keyStoreDetail(credentials, keys, matching, chosen))
          .remediation(chosen.isPresent()
              ? "Nothing to do: the application presents alias '" + chosen.get() + "' the same way."
              : "Nothing to do unless the server should identify this client; then give the "
                  + "application a key store with a certificate issued by " + accepted + ".");
    }
    b.evidence("acceptedIssuers", cas);
    if (!request.keyTypes().isEmpty()) {
      b.evidence("keyTypes", request.keyTypes());
    }
    if (!request.signatureSchemes().isEmpty()) {
      b.evidence("signatureSchemes", request.signatureSchemes());
    }
    b.evidence("certificateSent", request.certificateSent());
    chosen.ifPresent(a -> b.evidence("chosenAlias", a));
    credentials.ifPresent(c -> b.evidence("keyStore", c.description())
        .evidence("keyStoreAliases", keys)
        .evidence("matchingAliases", matching));
    return List.of(b.build());
  }

  private static String keyStoreDetail(Optional<ClientCredentials> credentials, List<String> keys,
      List<String> matching, Optional<String> chosen) {
    if (credentials.isEmpty()) {
      return "";
    }
    if (keys.isEmpty()) {
      return " The " + credentials.get().description() + " holds no private key with a certificate.";
    }
    return " The " + credentials.get().description() + " holds " + keys.size()
        + (keys.size() == 1 ? " key" : " keys") + " (" + String.join("; ", keys) + "); "
        + (matching.isEmpty() ? "none chains to an accepted CA."
            : "chaining to an accepted CA: " + String.join(", ", matching) + ".")
        + (chosen.isEmpty() ? " The JDK's key manager chose no alias." : "");
  }

  private static String remediation(Optional<ClientCredentials> credentials, List<String> cas,
      List<String> matching, Optional<String> chosen) {
    String accepted = cas.isEmpty() ? "a CA the server trusts" : "one of " + String.join("; ", cas);
    if (credentials.isEmpty()) {
      return "Configure the application's key store (javax.net.ssl.keyStore, or the key managers of "
          + "its SSLContext) with a private key and a certificate issued by " + accepted + ", with its "
          + "chain. Check it here with --client-cert FILE (clientCredentials in the options).";
    }
    if (chosen.isPresent()) {
      return "The server refused alias '" + chosen.get() + "': check on the server that it trusts the "
          + "CA that issued it, that the certificate is valid, and that its extended key usage allows "
          + "clientAuth; the server's log names the reason.";
    }
    if (matching.isEmpty()) {
      return "The key store has no certificate from " + accepted + ". Get a client certificate issued "
          + "by " + (cas.isEmpty() ? "the CA the server trusts" : cas.get(0)) + " and import it with its "
          + "private key and chain into the key store.";
    }
    return "Alias '" + matching.get(0) + "' chains to an accepted CA, but the JDK did not choose it: "
        + "its key type is not among those the server accepts, or the certificate is out of date or "
        + "lacks the clientAuth extended key usage. Replace it with a valid certificate from the same CA.";
  }

  /** Whether a chain reaches an accepted CA: a certificate issued by it, or the CA itself. */
  static boolean matches(List<X509Certificate> chain, List<String> cas) {
    if (cas.isEmpty()) {
      return true;
    }
    List<X500Principal> accepted = new ArrayList<>();
    for (String ca : cas) {
      try {
        accepted.add(new X500Principal(ca));
      } catch (IllegalArgumentException e) {
        // A name this JDK cannot parse cannot match either.
      }
    }
    for (X509Certificate c : chain) {
      if (accepted.contains(c.getIssuerX500Principal()) || accepted.contains(c.getSubjectX500Principal())) {
        return true;
      }
    }
    return false;
  }
}
