package dev.tlsinspect.policy;

import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.TlsVersion;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A TLS server policy as one frozen version of its source document: which protocol versions and
 * cipher suites a server may (and must) accept, which certificates it may present, and whether it
 * must enforce its own suite order.
 *
 * <p>A policy is frozen: it holds one version of its source document ({@link #version()}). When
 * Mozilla publishes new guidelines, a later tls-inspect release moves the name to the new version
 * and records the change in its changelog and on the policies page of its site. Get the built-in
 * policies from {@link TlsPolicies}:
 *
 * <pre>{@code
 * TlsPolicy p = TlsPolicies.named("mozilla-intermediate");
 * p.version();  // "6.0"
 * InspectOptions options = InspectOptions.builder().policies(Set.of(p.name())).build();
 * }</pre>
 *
 * @param name the name used to select it, for example {@code mozilla-intermediate}
 * @param title a human title, for example {@code Mozilla intermediate}
 * @param version the version of the source document, for example {@code 6.0}
 * @param source where the facts come from (a URL)
 * @param versions the protocol versions a server may accept
 * @param requiredVersions the protocol versions a server must accept
 * @param cipherSuites the suites a server may accept with TLS 1.2 and older
 * @param tls13CipherSuites the suites a server may accept with TLS 1.3
 * @param requiredCipherSuites suites a server must accept (with every accepted version they are
 *     valid in)
 * @param certificateKeyTypes the key algorithms the leaf may have, as JDK names ({@code RSA},
 *     {@code EC})
 * @param minRsaKeyBits the smallest RSA leaf key, 0 when the policy sets none
 * @param certificateCurves the curves an EC leaf key may be on, as standard names ({@code
 *     secp256r1})
 * @param certificateSignatures the leaf signature algorithms allowed, as JDK names ({@code
 *     SHA256withRSA}, {@code SHA256withECDSA}, {@code RSASSA-PSS})
 * @param serverCipherOrder whether the server must enforce its own cipher suite order
 * @param maxCertificateLifespan the longest leaf validity allowed, empty when the policy sets none
 * @since 0.1.0
 */
public record TlsPolicy(
    String name,
    String title,
    String version,
    String source,
    List<TlsVersion> versions,
    List<TlsVersion> requiredVersions,
    List<CipherSuite> cipherSuites,
    List<CipherSuite> tls13CipherSuites,
    List<CipherSuite> requiredCipherSuites,
    List<String> certificateKeyTypes,
    int minRsaKeyBits,
    List<String> certificateCurves,
    List<String> certificateSignatures,
    boolean serverCipherOrder,
    Optional<Duration> maxCertificateLifespan) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   * @throws IllegalArgumentException when the name is blank or {@code minRsaKeyBits} negative
   */
  public TlsPolicy {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("policy name must not be blank");
    }
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(source, "source");
    versions = List.copyOf(versions);
    requiredVersions = List.copyOf(requiredVersions);
    cipherSuites = List.copyOf(cipherSuites);
    tls13CipherSuites = List.copyOf(tls13CipherSuites);
    requiredCipherSuites = List.copyOf(requiredCipherSuites);
    certificateKeyTypes = List.copyOf(certificateKeyTypes);
    if (minRsaKeyBits < 0) {
      throw new IllegalArgumentException("minRsaKeyBits must not be negative, got " + minRsaKeyBits);
    }
    certificateCurves = List.copyOf(certificateCurves);
    certificateSignatures = List.copyOf(certificateSignatures);
    Objects.requireNonNull(maxCertificateLifespan, "maxCertificateLifespan");
  }

  /**
   * Whether the policy lets a server accept this suite with this version.
   *
   * @param version the version
   * @param suite the suite
   * @return {@code true} when the suite is in the policy's list for that version
   * @since 0.1.0
   */
  public boolean allows(TlsVersion version, CipherSuite suite) {
    List<CipherSuite> list = version.compareTo(TlsVersion.TLS_1_3) >= 0 ? tls13CipherSuites : cipherSuites;
    return list.stream().anyMatch(s -> s.name().equals(suite.name()));
  }

  /**
   * The title and version, for example {@code Mozilla intermediate (6.0)}.
   *
   * @return the label
   */
  @Override
  public String toString() {
    return title + " (" + version + ")";
  }
}
