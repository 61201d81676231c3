package dev.tlsinspect.internal;

import dev.tlsinspect.check.Check;
import java.util.List;

/** The checks every inspector runs. Not API. */
public final class BuiltInChecks {
  private BuiltInChecks() {}

  /**
   * The built-in checks, in order.
   *
   * @return the checks
   */
  public static List<Check> all() {
    return List.of(new HandshakeFailureCheck(), new TrustCheck(), new CertificateValidityCheck(),
        new HostnameCheck(), new CertificatePolicyCheck(), new CertificateSizeCheck(),
        new InterceptionCheck(), new RevocationCheck(), new EnumerationCheck(),
        new ClientCompatibilityCheck(), new PolicyCheck(), new ClientCertificateCheck(),
        new ClockSkewCheck(), new AddressConsistencyCheck(), new SniCheck());
  }
}
