package dev.tlsinspect;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How an inspection runs: its time budget, trust material, warning window and clock.
 *
 * <p>Defaults ({@link #defaults()}):
 * <ul>
 *   <li>{@code deadline} 10 s: the whole inspection, DNS included, ends within it;
 *   <li>{@code connectTimeout} 5 s and {@code readTimeout} 5 s, each capped by what is left of
 *       the deadline;
 *   <li>{@code trust}: {@link TrustMaterial#jvmDefault()};
 *   <li>{@code expiryWarning} 30 days (CERT_EXPIRING_SOON);
 *   <li>{@code clock}: {@link Clock#systemUTC()}, used to judge certificate validity (never for
 *       timeouts, which use a monotonic timer);
 *   <li>{@code resolver}: {@link HostResolver#system()};
 *   <li>{@code quick} off: a full inspection. Quick mode is one handshake plus certificate checks,
 *       the health-check mode;
 *   <li>{@code referenceTrust}: {@link TrustMaterial#jdkCacerts()}, the JDK's own {@code cacerts};
 *   <li>{@code fetchIntermediates} and {@code checkRevocationOnline} off: nothing but the target is
 *       contacted unless asked, so an inspector inside a server cannot become an SSRF vector. When
 *       on, only {@code http} and {@code https} URLs are fetched, each within 3 s and 1 MB;
 *   <li>no {@code pinnedKeys} and no {@code expectedIssuer};
 *   <li>{@code clientProfiles}: {@code this-jvm} only. Each selected profile gets a predicted
 *       outcome in the report, and CLIENT_INCOMPATIBLE when it cannot connect; this JVM's own
 *       failures are always reported (NO_COMMON_PROTOCOL, LOCAL_PROTOCOL_DISABLED, ...).
 *   <li>no {@code policies}: POLICY_VIOLATION is reported only for the policies selected.
 *   <li>no {@code clientCredentials}: a server that asks for a client certificate gets none
 *       (CLIENT_CERT_REQUIRED or CLIENT_CERT_REQUESTED says what it accepts);
 *   <li>no {@code clockReference}: this machine's clock is not compared with anything, because
 *       asking an HTTP server or an SNTP server is a network side effect. When one is given,
 *       CLOCK_SKEW is reported beyond {@code clockSkewThreshold}, 5 minutes by default.
 *   <li>{@code activeProbes}: {@link ActiveProbes#none()}: no Heartbleed, CCS injection or ROBOT
 *       probe unless asked, and none in quick mode.
 *   <li>no {@code sslv2Endpoints}: no endpoint but the target is contacted for DROWN.
 * </ul>
 *
 * @param deadline the budget of the whole inspection
 * @param connectTimeout the budget of one TCP connect
 * @param readTimeout the longest wait for the peer's next bytes
 * @param trust the trust anchors chains are validated against
 * @param expiryWarning how far ahead an expiry is reported
 * @param clock the clock certificate validity is judged by
 * @param resolver resolves the target's host name
 * @param quick one handshake plus certificate checks only
 * @param referenceTrust the trust store the application's is compared with
 * @param fetchIntermediates whether to download a missing intermediate
 * @param checkRevocationOnline whether to ask OCSP responders or download CRLs
 * @param pinnedKeys expected public-key pins
 * @param expectedIssuer text the leaf's issuer DN must contain
 * @param clientProfiles the client profiles whose outcome is predicted
 * @param policies names of the {@linkplain dev.tlsinspect.policy.TlsPolicies built-in policies}
 *     the server is checked against, in the order given
 * @param clientCredentials the application's client key store, presented when a server asks for a
 *     client certificate
 * @param clockReference the reference clock this machine's clock is compared with, if any
 * @param clockSkewThreshold the clock difference beyond which CLOCK_SKEW is reported
 * @param activeProbes the active vulnerability probes a full inspection runs
 * @param sslv2Endpoints other endpoints (host and port) a full inspection asks for SSL 2.0, to
 *     see whether one of them serves the same RSA key (DROWN); empty by default
 * @since 0.1.0
 */
public record InspectOptions(
    Duration deadline,
    Duration connectTimeout,
    Duration readTimeout,
    TrustMaterial trust,
    Duration expiryWarning,
    Clock clock,
    HostResolver resolver,
    boolean quick,
    TrustMaterial referenceTrust,
    boolean fetchIntermediates,
    boolean checkRevocationOnline,
    java.util.Set<String> pinnedKeys,
    java.util.Optional<String> expectedIssuer,
    java.util.Set<String> clientProfiles,
    java.util.Set<String> policies,
    java.util.Optional<ClientCredentials> clientCredentials,
    java.util.Optional<ClockReference> clockReference,
    Duration clockSkewThreshold,
    ActiveProbes activeProbes,
    java.util.List<Target> sslv2Endpoints) {

  /** At most this many {@link #sslv2Endpoints}: each costs one connection. */
  public static final int MAX_SSLV2_ENDPOINTS = 16;

  /**
   * Validates the options.
   *
   * @throws IllegalArgumentException when a duration is not positive
   */
  public InspectOptions {
    positive(deadline, "deadline");
    positive(connectTimeout, "connectTimeout");
    positive(readTimeout, "readTimeout");
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(expiryWarning, "expiryWarning");
    if (expiryWarning.isNegative()) {
      throw new IllegalArgumentException("expiryWarning must not be negative, got " + expiryWarning);
    }
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(resolver, "resolver");
    Objects.requireNonNull(referenceTrust, "referenceTrust");
    pinnedKeys = java.util.Set.copyOf(pinnedKeys);
    Objects.requireNonNull(expectedIssuer, "expectedIssuer");
    clientProfiles = profiles(clientProfiles);
    policies = checkPolicies(policies);
    Objects.requireNonNull(clientCredentials, "clientCredentials");
    Objects.requireNonNull(clockReference, "clockReference");
    positive(clockSkewThreshold, "clockSkewThreshold");
    Objects.requireNonNull(activeProbes, "activeProbes");
    sslv2Endpoints = java.util.List.copyOf(sslv2Endpoints);
    if (sslv2Endpoints.size() > MAX_SSLV2_ENDPOINTS) {
      throw new IllegalArgumentException("at most " + MAX_SSLV2_ENDPOINTS
          + " SSL 2.0 endpoints, got " + sslv2Endpoints.size());
    }
  }

  private static java.util.Set<String> profiles(java.util.Set<String> names) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    for (String n : names) {
      // By name only: resolving this-jvm would initialize the default SSLContext here.
      String key = Objects.requireNonNull(n, "profile name").trim().toLowerCase(java.util.Locale.ROOT);
      if (!ClientProfiles.names().contains(key) && !ClientProfiles.ALL.equals(key)) {
        throw new IllegalArgumentException("unknown client profile '" + n + "': use "
            + ClientProfiles.ALL + " or one of " + String.join(", ", ClientProfiles.names()));
      }
      out.add(key);
    }
    return java.util.Collections.unmodifiableSet(out);
  }

  /**
   * The defaults listed in the class documentation.
   *
   * @return the default options
   * @since 0.1.0
   */
  public static InspectOptions defaults() {
    return builder().build();
  }

  /**
   * Starts from the defaults.
   *
   * @return a builder
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts from these options.
   *
   * @return a builder holding these options
   * @since 0.1.0
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.deadline = deadline;
    b.connectTimeout = connectTimeout;
    b.readTimeout = readTimeout;
    b.trust = trust;
    b.expiryWarning = expiryWarning;
    b.clock = clock;
    b.resolver = resolver;
    b.quick = quick;
    b.referenceTrust = referenceTrust;
    b.fetchIntermediates = fetchIntermediates;
    b.checkRevocationOnline = checkRevocationOnline;
    b.pinnedKeys = pinnedKeys;
    b.expectedIssuer = expectedIssuer;
    b.clientProfiles = clientProfiles;
    b.policies = policies;
    b.clientCredentials = clientCredentials;
    b.clockReference = clockReference;
    b.clockSkewThreshold = clockSkewThreshold;
    b.activeProbes = activeProbes;
    b.sslv2Endpoints = sslv2Endpoints;
    return b;
  }

  /** Copies the names keeping their order, and fails at once on a name no policy has. */
  private static java.util.Set<String> checkPolicies(java.util.Set<String> names) {
    Objects.requireNonNull(names, "policies");
    java.util.Set<String> copy = new java.util.LinkedHashSet<>();
    for (String name : names) {
      copy.add(dev.tlsinspect.policy.TlsPolicies.named(Objects.requireNonNull(name, "policy name")).name());
    }
    return java.util.Collections.unmodifiableSet(copy);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }

  /**
   * Builds {@link InspectOptions}; each setter checks its argument at once.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private Duration deadline = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(5);
    private TrustMaterial trust = TrustMaterial.jvmDefault();
    private Duration expiryWarning = Duration.ofDays(30);
    private Clock clock = Clock.systemUTC();
    private HostResolver resolver = HostResolver.system();
    private boolean quick;
    private TrustMaterial referenceTrust = TrustMaterial.jdkCacerts();
    private boolean fetchIntermediates;
    private boolean checkRevocationOnline;
    private java.util.Set<String> pinnedKeys = java.util.Set.of();
    private java.util.Optional<String> expectedIssuer = java.util.Optional.empty();
    private java.util.Set<String> clientProfiles = java.util.Set.of(ClientProfiles.THIS_JVM);
    private java.util.Set<String> policies = java.util.Set.of();
    private java.util.Optional<ClientCredentials> clientCredentials = java.util.Optional.empty();
    private java.util.Optional<ClockReference> clockReference = java.util.Optional.empty();
    private Duration clockSkewThreshold = Duration.ofMinutes(5);
    private ActiveProbes activeProbes = ActiveProbes.none();
    private java.util.List<Target> sslv2Endpoints = java.util.List.of();

    private Builder() {}

    /**
     * The budget of the whole inspection.
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder deadline(Duration value) {
      positive(value, "deadline");
      this.deadline = value;
      return this;
    }

    /**
     * Sets the deadline and caps the connect and read timeouts to it: the one knob of the CLI's
     * {@code --timeout}.
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder timeout(Duration value) {
      deadline(value);
      if (connectTimeout.compareTo(value) > 0) {
        connectTimeout = value;
      }
      if (readTimeout.compareTo(value) > 0) {
        readTimeout = value;
      }
      return this;
    }

    /**
     * The budget of one TCP connect.
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder connectTimeout(Duration value) {
      positive(value, "connectTimeout");
      this.connectTimeout = value;
      return this;
    }

    /**
     * The longest wait for the peer's next bytes.
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder readTimeout(Duration value) {
      positive(value, "readTimeout");
      this.readTimeout = value;
      return this;
    }

    /**
     * The trust anchors.
     *
     * @param value the trust material
     * @return this builder
     */
    public Builder trust(TrustMaterial value) {
      this.trust = Objects.requireNonNull(value, "trust");
      return this;
    }

    /**
     * How far ahead an expiry is reported.
     *
     * @param value zero or more
     * @return this builder
     */
    public Builder expiryWarning(Duration value) {
      Objects.requireNonNull(value, "expiryWarning");
      if (value.isNegative()) {
        throw new IllegalArgumentException("expiryWarning must not be negative, got " + value);
      }
      this.expiryWarning = value;
      return this;
    }

    /**
     * The clock certificate validity is judged by.
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * The host-name resolver.
     *
     * @param value the resolver
     * @return this builder
     */
    public Builder resolver(HostResolver value) {
      this.resolver = Objects.requireNonNull(value, "resolver");
      return this;
    }

    /**
     * Quick mode: one handshake plus certificate checks.
     *
     * @param value whether to run in quick mode
     * @return this builder
     */
    public Builder quick(boolean value) {
      this.quick = value;
      return this;
    }

    /**
     * The trust store the application's is compared with: a chain trusted by one and not the
     * other is TRUST_STORE_DIFFERS.
     *
     * @param value the reference trust material
     * @return this builder
     */
    public Builder referenceTrust(TrustMaterial value) {
      this.referenceTrust = Objects.requireNonNull(value, "referenceTrust");
      return this;
    }

    /**
     * Download a missing intermediate from the leaf's AIA caIssuers URL to confirm
     * CHAIN_INCOMPLETE and show the completed chain. Off by default.
     *
     * @param value whether to fetch
     * @return this builder
     */
    public Builder fetchIntermediates(boolean value) {
      this.fetchIntermediates = value;
      return this;
    }

    /**
     * Ask the leaf's OCSP responder, or download its CRL, when the server staples nothing. Off by
     * default.
     *
     * @param value whether to check revocation online
     * @return this builder
     */
    public Builder checkRevocationOnline(boolean value) {
      this.checkRevocationOnline = value;
      return this;
    }

    /**
     * Expected public-key pins: base64 SHA-256 of a SubjectPublicKeyInfo in the chain (the HPKP
     * format). When none matches, TLS_INTERCEPTION_SUSPECTED.
     *
     * @param sha256Base64 the pins
     * @return this builder
     */
    public Builder pinnedKeys(java.util.Set<String> sha256Base64) {
      this.pinnedKeys = java.util.Set.copyOf(sha256Base64);
      return this;
    }

    /**
     * Text the leaf's issuer DN must contain; when it does not, TLS_INTERCEPTION_SUSPECTED.
     *
     * @param issuerDnPart for example {@code O=Let's Encrypt}
     * @return this builder
     */
    public Builder expectedIssuer(String issuerDnPart) {
      this.expectedIssuer = java.util.Optional.of(Objects.requireNonNull(issuerDnPart, "issuerDnPart"));
      return this;
    }

    /**
     * The client profiles to predict ({@link ClientProfiles#names()}); each one that cannot
     * connect is CLIENT_INCOMPATIBLE. {@link ClientProfiles#ALL} selects every profile, judged by
     * relevance: a named profile or one still in support that cannot connect makes the verdict
     * FAIL, an obsolete one ({@link ClientProfile#obsolete()}) that was not named is INFO. Needs
     * an enumeration (full mode, a provider that makes offers).
     *
     * @param names profile names, for example {@code jdk-8}, {@code chrome}, {@code this-jvm},
     *     {@code all}
     * @return this builder
     * @throws IllegalArgumentException for an unknown name
     * @since 0.1.0
     */
    public Builder clientProfiles(java.util.Set<String> names) {
      this.clientProfiles = profiles(names);
      return this;
    }

    /**
     * The policies to check the server against (POLICY_VIOLATION): names of {@link
     * dev.tlsinspect.policy.TlsPolicies#names() built-in policies}, such as {@code
     * mozilla-intermediate}. Versions and suites are checked only when the inspection enumerates
     * them (full mode with a provider that makes offers); the certificate always.
     *
     * @param names the policy names; pass a {@link java.util.LinkedHashSet} to fix the order of the
     *     findings
     * @return this builder
     * @throws IllegalArgumentException for an unknown name; the message lists the known names
     * @since 0.1.0
     */
    public Builder policies(java.util.Set<String> names) {
      this.policies = checkPolicies(names);
      return this;
    }

    /**
     * The application's client key store: when a server asks for a client certificate, the probe
     * presents it the way the application's own key manager would, and the report says which
     * alias was chosen and whether any key chains to a CA the server accepts.
     *
     * @param value the credentials
     * @return this builder
     * @since 0.1.0
     */
    public Builder clientCredentials(ClientCredentials value) {
      this.clientCredentials = java.util.Optional.of(Objects.requireNonNull(value, "clientCredentials"));
      return this;
    }

    /**
     * Shorthand for {@link #clientCredentials(ClientCredentials)} with {@link
     * ClientCredentials#keyStore(java.security.KeyStore, char[])}.
     *
     * @param store a loaded key store with private keys and their chains
     * @param password the keys' password
     * @return this builder
     * @throws IllegalArgumentException when the keys cannot be read with this password
     * @since 0.1.0
     */
    public Builder clientKeyStore(java.security.KeyStore store, char[] password) {
      return clientCredentials(ClientCredentials.keyStore(store, password));
    }

    /**
     * Compare this machine's clock (the {@link #clock(Clock) clock} option) with this reference
     * after the probes; off by default because it contacts the network. A difference beyond
     * {@link #clockSkewThreshold(Duration)} is CLOCK_SKEW, the root cause when a certificate looks
     * expired or not yet valid only because of it.
     *
     * @param value the reference
     * @return this builder
     * @since 0.1.0
     */
    public Builder clockReference(ClockReference value) {
      this.clockReference = java.util.Optional.of(Objects.requireNonNull(value, "clockReference"));
      return this;
    }

    /**
     * The clock difference beyond which CLOCK_SKEW is reported (default 5 minutes).
     *
     * @param value a positive duration
     * @return this builder
     * @since 0.1.0
     */
    public Builder clockSkewThreshold(Duration value) {
      positive(value, "clockSkewThreshold");
      this.clockSkewThreshold = value;
      return this;
    }

    /**
     * The active vulnerability probes a full inspection runs (default {@link ActiveProbes#none()}):
     * each sends the server a deliberately malformed message, so none runs unless asked, and none
     * in quick mode.
     *
     * @param value the probes, for example {@link ActiveProbes#all()}
     * @return this builder
     * @since 0.1.0
     */
    public Builder activeProbes(ActiveProbes value) {
      this.activeProbes = Objects.requireNonNull(value, "activeProbes");
      return this;
    }

    /**
     * Other endpoints to ask for SSL 2.0 in a full inspection (default none): DROWN
     * (CVE-2016-0800) needs only that the server's RSA key be usable on some SSL 2.0 endpoint, such
     * as the same certificate on a mail port. Each named endpoint gets one SSL 2.0 CLIENT-HELLO;
     * when it answers with a certificate holding the probed server's RSA key, the report says
     * DROWN. Only these endpoints are contacted; never in quick mode.
     *
     * @param value the endpoints, at most {@value #MAX_SSLV2_ENDPOINTS}
     * @return this builder
     * @since 0.1.0
     */
    public Builder sslv2Endpoints(java.util.List<Target> value) {
      this.sslv2Endpoints = java.util.List.copyOf(value);
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public InspectOptions build() {
      return new InspectOptions(deadline, connectTimeout, readTimeout, trust, expiryWarning, clock,
          resolver, quick, referenceTrust, fetchIntermediates, checkRevocationOnline, pinnedKeys,
          expectedIssuer, clientProfiles, policies, clientCredentials, clockReference, clockSkewThreshold,
          activeProbes, sslv2Endpoints);
    }
  }
}
