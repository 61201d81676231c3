package dev.tlsinspect.internal.cert;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import dev.tlsinspect.probe.Observation;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Validity dates against the options' clock: CERT_EXPIRED, CERT_NOT_YET_VALID and
 * CERT_EXPIRING_SOON for the leaf; INTERMEDIATE_EXPIRED and CERT_EXPIRING_SOON for the CA
 * certificates the server sends.
 */
public final class CertificateValidityCheck implements Check {

  @Override
  public String id() {
    return "certificate-validity";
  }

  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder("certificate-validity")
        .summary("The validity dates of every certificate the server sends, against the options' clock")
        .codes(Code.CERT_EXPIRED, Code.CERT_NOT_YET_VALID, Code.CERT_EXPIRING_SOON, Code.INTERMEDIATE_EXPIRED)
        .reference("RFC 5280 §4.1.2.5")
        .since("0.1.0")
        .needs(CheckDescriptor.Input.PEER_CHAIN, CheckDescriptor.Input.TRUST_ANCHORS, CheckDescriptor.Input.OPTIONS)
        .build();
  }

  @Override
  public List<Finding> evaluate(CheckContext ctx) {
    List<Finding> out = new ArrayList<>();
    Observation seen = ctx.observation().orElse(null);
    if (seen == null || seen.peerChain().isEmpty()) {
      return out;
    }
    Instant now = ctx.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Instant warnBefore = now.plus(ctx.options().expiryWarning());
    List<X509Certificate> chain = seen.peerChain();
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate cert = chain.get(i);
      boolean leaf = i == 0;
      Instant notBefore = cert.getNotBefore().toInstant();
      Instant notAfter = cert.getNotAfter().toInstant();
      String who = Certs.describe(cert);
      if (!leaf && (now.isAfter(notAfter) || now.isBefore(notBefore)) && notNeeded(ctx, chain, cert, now)) {
        out.add(unneeded(cert, i, now));
        continue;
      }
      if (now.isAfter(notAfter)) {
        long overdue = Math.max(0, Certs.days(notAfter, now));
        Finding.Builder b = Finding.builder(leaf ? Code.CERT_EXPIRED : Code.INTERMEDIATE_EXPIRED)
            .title(leaf ? "The certificate expired " + ago(overdue)
                : "The " + Certs.role(i, cert) + " " + cn(cert) + " expired " + ago(overdue))
            .detail("The " + Certs.role(i, cert) + " " + who + " was valid until " + notAfter + "; it is now "
                + now + ".")
            .remediation(leaf
                ? "Renew the certificate for " + ctx.target().host() + " and deploy it with its chain "
                    + "(nginx: ssl_certificate; Apache: SSLCertificateFile; Java: the key store), then "
                    + "reload the server. Automate renewal (ACME) and alert well before expiry."
                : "The server sends an expired CA certificate. Download the current intermediate from "
                    + "your CA, replace it in the chain file the server sends, and reload the server.");
        Certs.identify(b, "certificate", cert)
            .evidence("notBefore", notBefore).evidence("notAfter", notAfter)
            .evidence("daysOverdue", overdue).evidence("position", (long) i);
        out.add(b.build());
      } else if (now.isBefore(notBefore)) {
        long early = Math.max(0, Certs.days(now, notBefore));
        Finding.Builder b = Finding.builder(leaf ? Code.CERT_NOT_YET_VALID : Code.INTERMEDIATE_EXPIRED)
            .title((leaf ? "The certificate" : "The " + Certs.role(i, cert) + " " + cn(cert))
                + " is not valid yet (valid from " + notBefore + ")")
            .detail("The " + Certs.role(i, cert) + " " + who + " is valid from " + notBefore
                + ", but it is now " + now + " on this machine.")
            .remediation("Either this machine's clock is behind (check it against a reference: "
                + "timedatectl, chronyc tracking), or the certificate was deployed before its start "
                + "date; then deploy the previous certificate until " + notBefore + ".");
        Certs.identify(b, "certificate", cert)
            .evidence("notBefore", notBefore).evidence("notAfter", notAfter)
            .evidence("daysUntilValid", early).evidence("position", (long) i);
        out.add(b.build());
      } else if (notAfter.isBefore(warnBefore)) {
        long left = Math.max(0, Certs.days(now, notAfter));
        Finding.Builder b = Finding.builder(Code.CERT_EXPIRING_SOON)
            .title((leaf ? "The certificate" : "The " + Certs.role(i, cert) + " " + cn(cert))
                + " expires in " + left + (left == 1 ? " day" : " days"))
            .detail("The " + Certs.role(i, cert) + " " + who + " expires at " + notAfter + ", within the "
                + "warning window of " + ctx.options().expiryWarning().toDays() + " days.")
            .remediation(leaf
                ? "Renew the certificate for " + ctx.target().host() + " now and deploy it before "
                    + notAfter + "; automate renewal (ACME) so it happens 30 days ahead."
                : "Get the replacement intermediate from your CA and update the chain file before "
                    + notAfter + ".");
        Certs.identify(b, "certificate", cert)
            .evidence("notAfter", notAfter).evidence("daysRemaining", left).evidence("position", (long) i);
        out.add(b.build());
      }
    }
    return out;
  }

  /**
   * Whether a trusted path whose certificates are all valid now exists without this certificate:
   * then clients that build their own path ignore it (an expired cross-certificate left in the
   * chain file, as when AddTrust expired), and only strict old clients trip on it.
   */
  private static boolean notNeeded(CheckContext ctx, List<X509Certificate> chain,
      X509Certificate cert, Instant now) {
    List<X509Certificate> others = new ArrayList<>(chain.subList(1, chain.size()));
    others.removeIf(c -> c.equals(cert));
    ChainPaths.Assessment a = ChainPaths.assess(chain.get(0), others, ctx.trustAnchors(), now);
    return a.best().filter(v -> v.clean()
        && v.path().withAnchor().stream().noneMatch(c -> ChainPaths.outOfDate(c, now))).isPresent();
  }

  private static Finding unneeded(X509Certificate cert, int i, Instant now) {
    Finding.Builder b = Finding.builder(Code.INTERMEDIATE_EXPIRED)
        .severity(dev.tlsinspect.Severity.LOW)
        .title("The server sends the " + (now.isAfter(cert.getNotAfter().toInstant()) ? "expired" : "not yet valid")
            + " CA certificate " + cn(cert) + ", which the chain does not need")
        .detail("The " + Certs.role(i, cert) + " " + Certs.describe(cert) + " is valid from "
            + cert.getNotBefore().toInstant() + " until " + cert.getNotAfter().toInstant() + "; it is now "
            + now + ". A valid path to a trusted root exists without it, so current clients ignore "
            + "it, but clients that follow the chain as sent (OpenSSL 1.0.x, old Java, embedded "
            + "stacks) fail on it.")
        .remediation("Remove " + Certs.describe(cert) + " from the chain file the server sends.")
        .evidence("notBefore", cert.getNotBefore().toInstant())
        .evidence("notAfter", cert.getNotAfter().toInstant())
        .evidence("position", (long) i)
        .evidence("needed", false);
    Certs.identify(b, "certificate", cert);
    return b.build();
  }

  private static String ago(long days) {
    return days == 0 ? "today" : days + (days == 1 ? " day ago" : " days ago");
  }

  private static String cn(X509Certificate cert) {
    String dn = cert.getSubjectX500Principal().getName();
    for (String part : dn.split(",")) {
      if (part.startsWith("CN=")) {
        return "'" + part.substring(3) + "'";
      }
    }
    return "'" + dn + "'";
  }
}
