package dev.tlsinspect.examples;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Target;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.health.TlsHealthCheck;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import java.time.Duration;
import java.util.List;

/** One test PKI for the examples' tests: a root the inspections trust, and leaves for localhost. */
final class Fixtures {
  static final IssuedCertificate ROOT = CertificateBuilder.root("Examples Root").build();

  private Fixtures() {}

  /** A leaf with nothing to report (a CRL URL, so no "no revocation information" finding). */
  static IssuedCertificate healthyLeaf() {
    return CertificateBuilder.leaf("localhost").issuedBy(ROOT).crlUrl("http://127.0.0.1:9/ca.crl").build();
  }

  /** A leaf otherwise healthy that ends after {@code validity}. */
  static IssuedCertificate leafValidFor(Duration validity) {
    return CertificateBuilder.leaf("localhost").issuedBy(ROOT).crlUrl("http://127.0.0.1:9/ca.crl")
        .validity(validity).build();
  }

  static IssuedCertificate expiredLeaf() {
    return CertificateBuilder.leaf("localhost").issuedBy(ROOT).expired().build();
  }

  /** Trusts the test root only, in the application's and the reference trust store alike. */
  static InspectOptions options() {
    TrustMaterial trust = TrustMaterial.certificates(List.of(ROOT.certificate()));
    return InspectOptions.builder().trust(trust).referenceTrust(trust).build();
  }

  static TlsHealthCheck health(Target... targets) {
    return TlsHealthCheck.builder().options(options()).budget(Duration.ofSeconds(5))
        .targets(List.of(targets)).build();
  }
}
