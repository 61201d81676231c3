package dev.tlsinspect.testing;

import dev.tlsinspect.Enumeration;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Target;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.ClockReading;
import dev.tlsinspect.check.Fetched;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.NamedGroup;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.TlsVersion;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds a {@link CheckContext} by hand, without a network: what a check would get after an
 * inspection saw this chain, this version and suite, this enumeration. The other half of
 * {@link CheckHarness}; built-in and custom checks are tested alike with it.
 *
 * <pre>{@code
 * IssuedCertificate root = CertificateBuilder.root("Test Root").build();
 * IssuedCertificate leaf = CertificateBuilder.leaf("service.test").issuedBy(root).build();
 * CheckContext ctx = CheckContexts.builder()
 *     .target("service.test", 443)
 *     .chain(leaf)
 *     .trust(root)
 *     .version(TlsVersion.TLS_1_3)
 *     .cipherSuite(CipherSuite.named("TLS_AES_128_GCM_SHA256"))
 *     .build();
 * }</pre>
 *
 * <p>Defaults: target {@code service.test:443}, {@link InspectOptions#defaults()}, a completed
 * handshake with an empty observation, nothing fetched, no enumeration, one address, no extra SNI
 * handshakes and no clock reading. The context never contacts anything; its trust anchors are the
 * options' trust material, read once.
 *
 * @since 0.1.0
 */
public final class CheckContexts {
  private CheckContexts() {}

  /**
   * Starts a context.
   *
   * @return the builder
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a hand-made {@link CheckContext}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private Target target = Target.of("service.test", 443);
    private InspectOptions options = InspectOptions.defaults();
    private Optional<Clock> clock = Optional.empty();
    private Optional<List<X509Certificate>> trust = Optional.empty();
    private Optional<List<X509Certificate>> referenceTrust = Optional.empty();
    private final Observation.Builder observation = Observation.builder("check-harness");
    private Optional<Failure> failure = Optional.empty();
    private Optional<ProbeOutcome> outcome = Optional.empty();
    private Optional<Enumeration> enumeration = Optional.empty();
    private final List<ProbeOutcome> otherAddresses = new ArrayList<>();
    private Optional<ProbeOutcome> withoutSni = Optional.empty();
    private Optional<ProbeOutcome> neutralSni = Optional.empty();
    private Optional<ClockReading> clockReading = Optional.empty();
    private Optional<dev.tlsinspect.probe.ServerFeatures> serverFeatures = Optional.empty();
    private Fetched fetched = Fetched.none();

    private Builder() {}

    /**
     * The target inspected.
     *
     * @param value the target
     * @return this
     */
    public Builder target(Target value) {
      this.target = Objects.requireNonNull(value, "target");
      return this;
    }

    /**
     * The target inspected, by host and port.
     *
     * @param host the host name or IP literal
     * @param port the port
     * @return this
     */
    public Builder target(String host, int port) {
      return target(Target.of(host, port));
    }

    /**
     * The options of the inspection; a {@link #clock(Clock) clock} or trust set on this builder
     * replaces the options' own.
     *
     * @param value the options
     * @return this
     */
    public Builder options(InspectOptions value) {
      this.options = Objects.requireNonNull(value, "options");
      return this;
    }

    /**
     * The clock the check judges validity by ({@link CheckContext#now()}).
     *
     * @param value the clock
     * @return this
     */
    public Builder clock(Clock value) {
      this.clock = Optional.of(Objects.requireNonNull(value, "clock"));
      return this;
    }

    /**
     * A fixed instant as the clock.
     *
     * @param value the instant
     * @return this
     */
    public Builder now(Instant value) {
      return clock(Clock.fixed(Objects.requireNonNull(value, "now"), ZoneOffset.UTC));
    }

    /**
     * The trust anchors: the roots of these certificates (for a root, itself).
     *
     * @param anchors certificates whose roots are trusted; none for an empty trust store
     * @return this
     */
    public Builder trust(IssuedCertificate... anchors) {
      return trust(Arrays.stream(anchors).map(IssuedCertificate::root).toList());
    }

    /**
     * The trust anchors.
     *
     * @param anchors the anchors
     * @return this
     */
    public Builder trust(List<X509Certificate> anchors) {
      this.trust = Optional.of(List.copyOf(anchors));
      return this;
    }

    /**
     * The reference trust store the application's is compared with (by default the options', the
     * JDK's {@code cacerts}): the roots of these certificates.
     *
     * @param anchors certificates whose roots the reference trusts; none for an empty store
     * @return this
     */
    public Builder referenceTrust(IssuedCertificate... anchors) {
      this.referenceTrust = Optional.of(Arrays.stream(anchors).map(IssuedCertificate::root).toList());
      return this;
    }

    /**
     * The chain a correctly configured server sends for this certificate: the certificate and its
     * intermediates, without the root.
     *
     * @param leaf the server's certificate
     * @return this
     */
    public Builder chain(IssuedCertificate leaf) {
      return chain(leaf.chainWithoutRoot());
    }

    /**
     * The chain exactly as the server sends it (any order, any certificates).
     *
     * @param asSent the certificates, leaf first
     * @return this
     */
    public Builder chain(List<X509Certificate> asSent) {
      observation.peerChain(List.copyOf(asSent));
      return this;
    }

    /**
     * The negotiated version.
     *
     * @param value the version
     * @return this
     */
    public Builder version(TlsVersion value) {
      observation.version(value);
      return this;
    }

    /**
     * The negotiated cipher suite.
     *
     * @param value the suite
     * @return this
     */
    public Builder cipherSuite(CipherSuite value) {
      observation.cipherSuite(value);
      return this;
    }

    /**
     * The negotiated key-exchange group.
     *
     * @param value the group
     * @return this
     */
    public Builder namedGroup(NamedGroup value) {
      observation.namedGroup(value);
      return this;
    }

    /**
     * Anything else the main handshake observed (stapled OCSP, a client certificate request, the
     * Certificate message's length, alerts, DH parameters).
     *
     * @param change applied to the observation's builder
     * @return this
     */
    public Builder observe(Consumer<Observation.Builder> change) {
      change.accept(observation);
      return this;
    }

    /**
     * The main handshake failed with this failure, after observing what this builder was told.
     *
     * @param value the failure
     * @return this
     */
    public Builder failed(Failure value) {
      this.failure = Optional.of(Objects.requireNonNull(value, "failure"));
      return this;
    }

    /**
     * The main outcome as given, replacing the observation and failure set on this builder (for
     * example a {@link ProbeOutcome.Skipped}).
     *
     * @param value the outcome
     * @return this
     */
    public Builder outcome(ProbeOutcome value) {
      this.outcome = Optional.of(Objects.requireNonNull(value, "outcome"));
      return this;
    }

    /**
     * What a full inspection's enumeration found.
     *
     * @param value the enumeration
     * @return this
     */
    public Builder enumeration(Enumeration value) {
      this.enumeration = Optional.of(Objects.requireNonNull(value, "enumeration"));
      return this;
    }

    /**
     * The outcomes at the name's other addresses, after the main one.
     *
     * @param values the outcomes
     * @return this
     */
    public Builder otherAddresses(ProbeOutcome... values) {
      otherAddresses.addAll(List.of(values));
      return this;
    }

    /**
     * The handshake without SNI.
     *
     * @param value the outcome
     * @return this
     */
    public Builder withoutSni(ProbeOutcome value) {
      this.withoutSni = Optional.of(Objects.requireNonNull(value, "withoutSni"));
      return this;
    }

    /**
     * The handshake with a neutral server name.
     *
     * @param value the outcome
     * @return this
     */
    public Builder neutralSni(ProbeOutcome value) {
      this.neutralSni = Optional.of(Objects.requireNonNull(value, "neutralSni"));
      return this;
    }

    /**
     * The comparison of this machine's clock with the reference clock.
     *
     * @param value the reading
     * @return this
     */
    public Builder clockReading(ClockReading value) {
      this.clockReading = Optional.of(Objects.requireNonNull(value, "clockReading"));
      return this;
    }

    /**
     * What the extra handshakes learned about the server (renegotiation, compression, EMS, ...).
     *
     * @param value the features
     * @return this
     * @since 0.1.0
     */
    public Builder serverFeatures(dev.tlsinspect.probe.ServerFeatures value) {
      this.serverFeatures = Optional.of(Objects.requireNonNull(value, "serverFeatures"));
      return this;
    }

    /**
     * What the inspection downloaded.
     *
     * @param value the fetched material
     * @return this
     */
    public Builder fetched(Fetched value) {
      this.fetched = Objects.requireNonNull(value, "fetched");
      return this;
    }

    /**
     * Builds the context. The builder can be changed and built again.
     *
     * @return the context
     */
    public CheckContext build() {
      InspectOptions.Builder o = options.toBuilder();
      clock.ifPresent(o::clock);
      // TrustMaterial needs at least one anchor; an empty store is a context that reports none.
      trust.filter(t -> !t.isEmpty()).ifPresent(t -> o.trust(TrustMaterial.certificates(t)));
      referenceTrust.filter(t -> !t.isEmpty())
          .ifPresent(t -> o.referenceTrust(TrustMaterial.certificates(t)));
      InspectOptions opts = o.build();
      ProbeOutcome main = outcome.orElseGet(() -> {
        Observation seen = observation.build();
        return failure.<ProbeOutcome>map(f -> new ProbeOutcome.Failed(f, seen))
            .orElseGet(() -> new ProbeOutcome.Completed(seen));
      });
      List<ProbeOutcome> addresses = new ArrayList<>();
      addresses.add(main);
      addresses.addAll(otherAddresses);
      HandBuilt ctx = new HandBuilt(target, opts, main, List.copyOf(addresses), enumeration,
          withoutSni, neutralSni, clockReading, fetched);
      ctx.serverFeatures = serverFeatures;
      ctx.anchors = trust.orElse(null);
      ctx.referenceAnchors = referenceTrust.orElse(null);
      return ctx;
    }
  }

  /** A context from the builder's values; anchors are read once, as an inspection does. */
  private static final class HandBuilt implements CheckContext {
    private final Target target;
    private final InspectOptions options;
    private final ProbeOutcome outcome;
    private final List<ProbeOutcome> addresses;
    private final Optional<Enumeration> enumeration;
    private final Optional<ProbeOutcome> withoutSni;
    private final Optional<ProbeOutcome> neutralSni;
    private final Optional<ClockReading> clockReading;
    private final Fetched fetched;
    private Optional<dev.tlsinspect.probe.ServerFeatures> serverFeatures = Optional.empty();
    private List<X509Certificate> anchors;
    private List<X509Certificate> referenceAnchors;

    HandBuilt(Target target, InspectOptions options, ProbeOutcome outcome, List<ProbeOutcome> addresses,
        Optional<Enumeration> enumeration, Optional<ProbeOutcome> withoutSni,
        Optional<ProbeOutcome> neutralSni, Optional<ClockReading> clockReading, Fetched fetched) {
      this.target = target;
      this.options = options;
      this.outcome = outcome;
      this.addresses = addresses;
      this.enumeration = enumeration;
      this.withoutSni = withoutSni;
      this.neutralSni = neutralSni;
      this.clockReading = clockReading;
      this.fetched = fetched;
    }

    @Override
    public Target target() {
      return target;
    }

    @Override
    public InspectOptions options() {
      return options;
    }

    @Override
    public ProbeOutcome outcome() {
      return outcome;
    }

    @Override
    public synchronized List<X509Certificate> trustAnchors() {
      if (anchors == null) {
        anchors = options.trust().anchors();
      }
      return anchors;
    }

    @Override
    public synchronized List<X509Certificate> referenceAnchors() {
      if (referenceAnchors == null) {
        referenceAnchors = options.referenceTrust().anchors();
      }
      return referenceAnchors;
    }

    @Override
    public Fetched fetched() {
      return fetched;
    }

    @Override
    public Optional<Enumeration> enumeration() {
      return enumeration;
    }

    @Override
    public List<ProbeOutcome> addressOutcomes() {
      return addresses;
    }

    @Override
    public Optional<ProbeOutcome> withoutSni() {
      return withoutSni;
    }

    @Override
    public Optional<ProbeOutcome> neutralSni() {
      return neutralSni;
    }

    @Override
    public Optional<ClockReading> clockReading() {
      return clockReading;
    }

    @Override
    public Optional<dev.tlsinspect.probe.ServerFeatures> serverFeatures() {
      return serverFeatures;
    }
  }
}
