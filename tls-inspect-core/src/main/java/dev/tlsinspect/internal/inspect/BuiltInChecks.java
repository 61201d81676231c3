package dev.tlsinspect.internal.inspect;

import dev.tlsinspect.check.Check;
import dev.tlsinspect.internal.cert.CertificatePolicyCheck;
import dev.tlsinspect.internal.cert.CertificateProfileCheck;
import dev.tlsinspect.internal.cert.CertificateSizeCheck;
import dev.tlsinspect.internal.cert.CertificateValidityCheck;
import dev.tlsinspect.internal.cert.HostnameCheck;
import dev.tlsinspect.internal.cert.InterceptionCheck;
import dev.tlsinspect.internal.cert.RevocationCheck;
import dev.tlsinspect.internal.cert.TransparencyCheck;
import dev.tlsinspect.internal.cert.TrustCheck;
import dev.tlsinspect.internal.network.AddressConsistencyCheck;
import dev.tlsinspect.internal.network.ClientCertificateCheck;
import dev.tlsinspect.internal.network.ClockSkewCheck;
import dev.tlsinspect.internal.network.HandshakeFailureCheck;
import dev.tlsinspect.internal.network.SniCheck;
import dev.tlsinspect.internal.protocol.ClientCompatibilityCheck;
import dev.tlsinspect.internal.protocol.EnumerationCheck;
import dev.tlsinspect.internal.protocol.KnownAttacksCheck;
import dev.tlsinspect.internal.protocol.PolicyCheck;
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
        new HostnameCheck(), new CertificatePolicyCheck(), new CertificateProfileCheck(),
        new CertificateSizeCheck(),
        new InterceptionCheck(), new RevocationCheck(), new TransparencyCheck(), new EnumerationCheck(),
        new KnownAttacksCheck(),
        new ClientCompatibilityCheck(), new PolicyCheck(), new ClientCertificateCheck(),
        new ClockSkewCheck(), new AddressConsistencyCheck(), new SniCheck(),
        new dev.tlsinspect.internal.protocol.ServerFeaturesCheck());
  }
}
