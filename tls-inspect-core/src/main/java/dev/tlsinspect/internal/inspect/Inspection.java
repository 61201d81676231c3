package dev.tlsinspect.internal.inspect;

import dev.tlsinspect.AddressResult;
import dev.tlsinspect.CertificateInfo;
import dev.tlsinspect.Code;
import dev.tlsinspect.Enumeration;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.Timings;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.internal.network.ClockSkewCheck;
import dev.tlsinspect.internal.network.SniCheck;
import dev.tlsinspect.internal.protocol.ClientCompatibilityCheck;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.ClientOffer;
import dev.tlsinspect.probe.Deadline;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.HandshakeProbe;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.ProbeRequest;
import dev.tlsinspect.probe.TlsVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * One inspection, start to end, under one deadline:
 *  1. resolve the host (on a daemon thread, so a hanging resolver cannot outlive the deadline);
 *  2. probe every resolved address (at most 8, 4 at a time), so that one bad backend behind a
 *     name shows; the main outcome, which the checks judge, is the first in resolver order that
 *     got past TCP, as a client trying the addresses in order would get; full inspections add the
 *     SNI probes (without SNI, or with a neutral name) on the main address;
 *  2b. full inspections of a peer that speaks TLS enumerate versions, suites, groups and DH
 *     parameters with the provider that makes offers (Bouncy Castle), which need not be the main
 *     one: the main handshake is what this JVM sees (JSSE), the enumeration what the server
 *     accepts; without such a provider, ENUMERATION_UNAVAILABLE says what was not checked;
 *  3. only when the options allow it, download intermediates (AIA) and revocation data (OCSP,
 *     CRL) within the same deadline (FetchPhase), and compare the clock with a reference
 *     (ClockPhase), so that the checks stay free of I/O;
 *  4. run every check on the main outcome; a check that throws becomes CHECK_ERROR;
 *  5. mark root causes, order the findings, apply the verdict rule.
 * Nothing here throws for what the network or peer does.
 */
/** Runs one inspection. Not API. */
public final class Inspection {
  private static final Logger LOG = LoggerFactory.getLogger(Inspection.class);
  private static final int MAX_ADDRESSES = 8;
  private static final int PARALLEL = 4;
  private static final long ABANDON_GRACE_MILLIS = 2_000;
  private static final String NOT_TRIED = "the deadline passed before this address was tried";
  private static final java.util.regex.Pattern IP_LITERAL =
      java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  private static final ExecutorService RESOLVER = IdlePools.cached("tls-inspect-resolver");

  private final HandshakeProbe probe;
  private final Optional<HandshakeProbe> enumerator;
  private final List<Check> checks;
  private final InspectOptions options;
  /** Per key type, the chains the enumeration saw besides the main one's (a dual-certificate server). */
  private Map<String, List<java.security.cert.X509Certificate>> chainsByKeyType = Map.of();
  private final Optional<Application> application;

  /**
   * The application's TLS objects the main provider uses, and the provider they replaced, which
   * makes the comparison handshake when the application's fails.
   *
   * @param tls the application's objects
   * @param reference the provider without them
   */
  public record Application(dev.tlsinspect.ClientTls tls, HandshakeProbe reference) {
    /** Checks the components. */
    public Application {
      java.util.Objects.requireNonNull(tls, "tls");
      java.util.Objects.requireNonNull(reference, "reference");
    }
  }

  /**
   * @param probe the provider of the main handshake (and the per-address and SNI probes)
   * @param enumerator the provider that enumerates, one that makes offers; may be {@code probe}
   * @param checks the checks, in order
   * @param options the options
   */
  public Inspection(HandshakeProbe probe, Optional<HandshakeProbe> enumerator, List<Check> checks,
      InspectOptions options) {
    this(probe, enumerator, checks, options, Optional.empty());
  }

  /**
   * @param probe the provider of the main handshake, using the application's objects when given
   * @param enumerator the provider that enumerates
   * @param checks the checks, in order
   * @param options the options
   * @param application the application's TLS objects, when the main provider uses them
   */
  public Inspection(HandshakeProbe probe, Optional<HandshakeProbe> enumerator, List<Check> checks,
      InspectOptions options, Optional<Application> application) {
    this.probe = probe;
    this.enumerator = enumerator;
    this.checks = checks;
    this.options = options;
    this.application = application;
  }

  /**
   * The name a report gives its providers: {@code jsse}, or {@code jsse+bc} when another
   * provider enumerates.
   *
   * @param probe the main provider
   * @param enumerator the enumerating provider
   * @return the name
   */
  public static String providerName(HandshakeProbe probe, Optional<HandshakeProbe> enumerator) {
    return enumerator.filter(e -> e != probe && !e.name().equals(probe.name()))
        .map(e -> probe.name() + "+" + e.name()).orElse(probe.name());
  }

  /**
   * Runs the inspection.
   *
   * @param target the target
   * @return the report
   */
  public Report run(Target target) {
    long start = System.nanoTime();
    Deadline deadline = Deadline.after(options.deadline());
    // Through a proxy, only the proxy is resolved here: the proxy resolves the target itself
    // (which may be a name only the proxy's network knows).
    String dialHost = target.proxy().map(p -> p.host()).orElse(target.address().orElse(target.host()));
    if (LOG.isDebugEnabled()) {
      LOG.debug("inspecting {} (connect to {}{}, provider {})", target, dialHost,
          target.proxy().map(p -> ", proxy " + p).orElse(""), providerName(probe, enumerator));
    }

    List<InetAddress> resolved;
    List<ProbeOutcome> outcomes = new ArrayList<>();
    List<AddressResult> addresses = new ArrayList<>();
    long resolveStart = System.nanoTime();
    Failure dnsFailure = null;
    try {
      resolved = resolve(dialHost, deadline);
    } catch (UnknownHostException e) {
      resolved = List.of();
      dnsFailure = new Failure(FailureKind.DNS_RESOLUTION_FAILED,
          e.getMessage() == null ? "cannot resolve " + dialHost : e.getMessage(),
          Optional.empty(), Optional.empty(), Optional.of("name resolution"),
          List.of(e.getClass().getName() + ": " + e.getMessage()), new byte[0]);
    }
    long resolveMillis = Duration.ofNanos(System.nanoTime() - resolveStart).toMillis();

    List<ProbeOutcome> perAddress = new ArrayList<>();
    List<InetAddress> candidates = List.of();
    if (dnsFailure != null) {
      perAddress.add(new ProbeOutcome.Failed(dnsFailure, Observation.builder(probe.name()).build()));
    } else {
      candidates = candidates(target, resolved);
      List<InetAddress> all = resolved;
      if (options.quick()) {
        // The health-check mode makes one handshake: addresses are tried in order, as a client
        // would, only until one gets past TCP.
        List<InetAddress> tried = new ArrayList<>();
        for (InetAddress a : candidates) {
          // Not even the first address once the deadline has passed: a 1 ms connect would read
          // as a firewall (CONNECT_TIMEOUT) when it is our own budget that ran out.
          ProbeOutcome o = deadline.expired()
              ? new ProbeOutcome.Skipped(NOT_TRIED) : probeOnce(target, a, all, deadline);
          tried.add(a);
          perAddress.add(o);
          if (!(o instanceof ProbeOutcome.Failed f && f.failure().beforeTls())) {
            break;
          }
        }
        candidates = tried;
      } else {
        perAddress = probeAll(candidates.stream()
            .map(a -> (java.util.function.Supplier<ProbeOutcome>) () -> probeOnce(target, a, all, deadline))
            .toList(), deadline);
      }
    }
    // The main outcome: the first in resolver order that got past TCP, else the first.
    int mainIndex = 0;
    for (int i = 0; i < perAddress.size(); i++) {
      ProbeOutcome o = perAddress.get(i);
      if (!(o instanceof ProbeOutcome.Skipped) && !(o instanceof ProbeOutcome.Failed f && f.failure().beforeTls())) {
        mainIndex = i;
        break;
      }
    }
    ProbeOutcome main = perAddress.get(mainIndex);
    Optional<ProbeOutcome> referenceProbe = referenceHandshake(target, main, resolved, deadline);
    if (referenceProbe.isPresent() && main instanceof ProbeOutcome.Failed mf && mf.seen().peerChain().isEmpty()
        && referenceProbe.get().observation().filter(x -> !x.peerChain().isEmpty()).isPresent()) {
      // The application's context keeps the chain it rejected to itself; the reference saw it.
      main = withChainOf(main, referenceProbe.get());
      perAddress = new ArrayList<>(perAddress);
      perAddress.set(mainIndex, main);
    }
    Optional<ProbeOutcome> chainProbe = chainFromEnumerator(target, main, resolved, deadline);
    if (chainProbe.isPresent()) {
      main = withChainOf(main, chainProbe.get());
      perAddress = new ArrayList<>(perAddress);
      perAddress.set(mainIndex, main);
    }
    outcomes.add(main);
    for (int i = 0; i < perAddress.size(); i++) {
      if (i != mainIndex) {
        outcomes.add(perAddress.get(i));
      }
    }
    for (int i = 0; i < candidates.size(); i++) {
      addresses.add(describe(candidates.get(i), perAddress.get(i), i == mainIndex));
    }

    // The extra handshakes of the feature checks run beside the enumeration.
    FeaturePhase.Started features = FeaturePhase.start(options, enumerator, target, main, resolved, deadline);
    Optional<Enumeration> enumeration = enumerate(target, main, resolved, deadline);
    // Opt-in downloads happen here, before the checks, which stay pure.
    dev.tlsinspect.check.Fetched fetched = FetchPhase.run(options, main.observation(), deadline);
    SniProbes sni = sniProbes(target, main, resolved, deadline);
    // Opt-in as well: the clock comparison (an HTTP request to the target, or SNTP).
    Optional<dev.tlsinspect.check.ClockReading> clock = ClockPhase.run(options, target, main, deadline);
    DefaultCheckContext context = new DefaultCheckContext(target, options, main, fetched, enumeration,
        perAddress, sni.withoutSni(), sni.neutral(), clock)
        .serverFeatures(FeaturePhase.await(features, deadline));
    List<Finding> findings = new ArrayList<>();
    for (Check check : checks) {
      findings.addAll(runCheck(check, context));
    }
    context.serverFeatures().ifPresent(f -> {
      // TLS 1.3 picks the certificate by signature scheme: the feature handshakes' chains count too.
      Map<String, List<java.security.cert.X509Certificate>> merged = new LinkedHashMap<>(chainsByKeyType);
      f.chainsByKeyType().forEach(merged::putIfAbsent);
      chainsByKeyType = merged;
    });
    findings.addAll(otherCertificates(target, main, context));
    // Opt-in and never in quick mode: the active vulnerability probes (Heartbleed, CCS, ROBOT).
    findings.addAll(ActivePhase.run(options, target, main, resolved, deadline));
    // Opt-in as well: other endpoints the user names, asked for SSL 2.0 (DROWN through them).
    findings.addAll(DrownPhase.run(options, enumerator, target, main, deadline, host -> {
      try {
        return resolve(host, deadline);
      } catch (UnknownHostException e) {
        return List.of();
      }
    }));
    findings = DrownPhase.oneDrown(findings);
    notEnumerated(target, main, enumeration).ifPresent(findings::add);
    if (application.isPresent()) {
      findings.addAll(ApplicationTls.findings(target, application.get(), main, referenceProbe, options));
    }
    findings = withChainNotes(findings, fetched);
    findings = oneWeakDh(findings);
    findings = ClockSkewCheck.relate(findings, clock);
    findings = ClientCompatibilityCheck.preferThisJvm(findings);
    findings = SniCheck.preferFiltering(findings);
    findings = RootCauses.attribute(main, findings);
    if (main instanceof ProbeOutcome.Skipped skippedMain) {
      findings.add(incomplete(skippedMain, perAddress.size()));
    }
    findings.sort(Comparator.comparing(Finding::rootCause).reversed()
        .thenComparing(Comparator.comparing(Finding::severity).reversed()));

    Optional<Observation> seen = main.observation();
    List<String> protocols = new ArrayList<>();
    Map<String, List<String>> suites = new LinkedHashMap<>();
    List<String> groups = new ArrayList<>();
    if (enumeration.isPresent() && !enumeration.get().groups().isEmpty()) {
      enumeration.get().groups().forEach(g -> groups.add(g.name()));
    } else {
      seen.flatMap(Observation::namedGroup).ifPresent(g -> groups.add(g.name()));
    }
    if (enumeration.isPresent()) {
      Enumeration e = enumeration.get();
      for (int i = e.acceptedVersions().size() - 1; i >= 0; i--) {
        TlsVersion v = e.acceptedVersions().get(i);
        protocols.add(v.name());
        suites.put(v.name(), e.suites(v).stream().map(CipherSuite::name).toList());
      }
    } else if (main instanceof ProbeOutcome.Completed c) {
      c.seen().version().ifPresent(v -> {
        protocols.add(v.name());
        c.seen().cipherSuite().ifPresent(s -> suites.put(v.name(), List.of(s.name())));
      });
    }
    List<CertificateInfo> chain = seen.map(o -> o.peerChain().stream().map(CertificateInfo::of).toList())
        .orElse(List.of());
    Timings timings = new Timings(resolveMillis,
        seen.map(o -> o.connectTime().toMillis()).orElse(0L),
        seen.map(o -> o.handshakeTime().toMillis()).orElse(0L),
        Duration.ofNanos(System.nanoTime() - start).toMillis());
    List<dev.tlsinspect.ClientPrediction> clients = enumeration.isPresent()
        && !enumeration.get().acceptedVersions().isEmpty()
        ? ClientCompatibilityCheck.predictions(enumeration.get(), options, seen) : List.of();
    chainProbe.ifPresent(outcomes::add);
    referenceProbe.ifPresent(outcomes::add);
    sni.withoutSni().ifPresent(outcomes::add);
    sni.neutral().ifPresent(outcomes::add);
    Report report = new Report(target, Verdict.of(findings), findings, protocols, suites, groups, chain,
        timings, clients, addresses, options.quick() ? probe.name() : providerName(probe, enumerator),
        options.clock().instant(), outcomes);
    if (LOG.isDebugEnabled()) { // the summary is built only for the log: not on every scan target
      LOG.debug("{}", dev.tlsinspect.SafeText.of(report.summary(), 4096)); // titles quote the peer
    }
    return report;
  }

  /*
   * A server with an RSA and an ECDSA certificate shows a client only one of them, the one its
   * offer selects; clients that support only the other type get the other, which can be expired,
   * untrusted or for another name while the first is fine. Each certificate the enumeration saw
   * besides the main handshake's is named (CERT_ALTERNATE) and judged by the certificate checks
   * as if it had been the main one; its findings say which key type they are about and are never
   * a root cause (the main handshake did not see that certificate).
   */
  private List<Finding> otherCertificates(Target target, ProbeOutcome main, DefaultCheckContext context) {
    if (chainsByKeyType.isEmpty() || !(main instanceof ProbeOutcome.Completed c)) {
      return List.of();
    }
    Optional<String> mainLeaf = c.seen().leaf().map(CertificateInfo::fingerprint);
    List<Finding> out = new ArrayList<>();
    List<Check> certificateChecks = List.of(new dev.tlsinspect.internal.cert.TrustCheck(),
        new dev.tlsinspect.internal.cert.CertificateValidityCheck(),
        new dev.tlsinspect.internal.cert.HostnameCheck(),
        new dev.tlsinspect.internal.cert.CertificatePolicyCheck(),
        new dev.tlsinspect.internal.cert.CertificateSizeCheck());
    for (Map.Entry<String, List<java.security.cert.X509Certificate>> e : chainsByKeyType.entrySet()) {
      List<java.security.cert.X509Certificate> chain = e.getValue();
      String leaf = CertificateInfo.fingerprint(chain.get(0));
      if (mainLeaf.filter(leaf::equals).isPresent()) {
        continue;
      }
      CertificateInfo info = CertificateInfo.of(chain.get(0));
      out.add(Finding.builder(Code.CERT_ALTERNATE)
          .title("The server also has an " + e.getKey() + " certificate: " + info.subject())
          .detail(target + " sends another certificate (" + info.subject() + ", expires " + info.notAfter()
              + ") to clients that offer only " + e.getKey() + " suites (TLS 1.2) or signature schemes "
              + "(TLS 1.3), such as older or restricted clients; the main handshake saw "
              + c.seen().leaf().map(x -> x.getSubjectX500Principal().getName()).orElse("another certificate")
              + ". The certificate checks judged it as well.")
          .remediation("Keep every certificate of the server valid, trusted and for the right names; "
              + "renew them together.")
          .evidence("keyType", e.getKey())
          .evidence("subject", info.subject())
          .evidence("notAfter", info.notAfter().toString())
          .evidence("leafSha256", leaf)
          .build());
      Observation s = c.seen();
      Observation other = new Observation(s.provider(), s.resolved(), s.address(), s.connectTime(),
          s.handshakeTime(), s.sniSent(), s.version(), s.cipherSuite(), s.namedGroup(),
          s.applicationProtocol(), chain, List.of(), s.alerts(), s.clientCertificateRequest(),
          java.util.OptionalInt.empty(), s.dhParameters(), s.trace());
      DefaultCheckContext judged = new DefaultCheckContext(target, options, new ProbeOutcome.Completed(other),
          context.fetched(), Optional.empty());
      for (Check check : certificateChecks) {
        for (Finding f : runCheck(check, judged)) {
          Map<String, Object> evidence = new LinkedHashMap<>(f.evidence());
          evidence.put("certificateKeyType", e.getKey());
          evidence.put("leafSha256", leaf);
          out.add(new Finding(f.code(), f.severity(), false, "(" + e.getKey() + " certificate) " + f.title(),
              f.detail(), f.remediation(), evidence));
        }
      }
    }
    return out;
  }

  /*
   * Enumeration needs a provider that puts our offers on the wire, a full inspection, and a peer
   * that speaks TLS: a completed handshake, or one the server or our checks ended with an alert.
   */
  private Optional<Enumeration> enumerate(Target target, ProbeOutcome main, List<InetAddress> resolved,
      Deadline deadline) {
    if (options.quick() || enumerator.isEmpty() || deadline.expired() || !worthEnumerating(main)) {
      return Optional.empty();
    }
    HandshakeProbe probe = enumerator.get();
    Optional<InetSocketAddress> address = main.observation().flatMap(Observation::address);
    if (address.isEmpty()) {
      return Optional.empty();
    }
    ProbeRequest base = new ProbeRequest(target, address.get(), resolved, deadline,
        options.connectTimeout(), options.readTimeout(), options.trust(), ClientOffer.providerDefaults(),
        options.clientCredentials());
    Enumerator enumerating = new Enumerator(probe, base, Enumerator.DEFAULT_PER_HOST_LIMIT);
    Enumeration e = enumerating.run();
    if (!deadline.expired()) {
      chainsByKeyType = enumerating.chainsByKeyType(e);
    }
    LOG.debug("enumerated {}: {} in {} connections{}", target, e.cipherSuites(), e.connections(),
        e.incomplete().isEmpty() ? "" : " (incomplete: " + e.incomplete() + ")");
    return Optional.of(e);
  }

  /*
   * The application's handshake failed once it reached TLS: one handshake on the same address with
   * the provider the application's objects replaced (this JVM's JSSE over the inspection's trust
   * material) tells whether the application's objects are what fails, and captures the chain the
   * application's context does not hand out.
   */
  private Optional<ProbeOutcome> referenceHandshake(Target target, ProbeOutcome main,
      List<InetAddress> resolved, Deadline deadline) {
    if (application.isEmpty() || deadline.expired() || !(main instanceof ProbeOutcome.Failed f)
        || f.failure().beforeTls()) {
      return Optional.empty();
    }
    Optional<InetSocketAddress> address = f.seen().address();
    if (address.isEmpty()) {
      return Optional.empty();
    }
    ProbeRequest request = new ProbeRequest(target, address.get(), resolved, deadline,
        options.connectTimeout(), options.readTimeout(), options.trust(), ClientOffer.providerDefaults(),
        options.clientCredentials());
    HandshakeProbe reference = application.get().reference();
    try {
      ProbeOutcome o = reference.probe(request);
      return Optional.ofNullable(o);
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("provider {} failed", reference.name(), e);
      return Optional.empty();
    }
  }

  /*
   * A server that refuses this JVM's offer with an alert before sending its certificate (OpenSSL
   * does so in TLS 1.3 when no certificate it holds fits the client's signature_algorithms_cert,
   * for example one signed with MD5) leaves the certificate checks nothing to judge. When another
   * engine enumerates, one handshake with its default offer fetches the chain; it is judged as
   * the chain of the main address. Full inspections only.
   */
  private Optional<ProbeOutcome> chainFromEnumerator(Target target, ProbeOutcome main,
      List<InetAddress> resolved, Deadline deadline) {
    if (options.quick() || enumerator.filter(e -> e != probe).isEmpty() || deadline.expired()
        || !(main instanceof ProbeOutcome.Failed f) || f.failure().kind() != FailureKind.ALERT_RECEIVED
        || !f.seen().peerChain().isEmpty()) {
      return Optional.empty();
    }
    Optional<InetSocketAddress> address = f.seen().address();
    if (address.isEmpty()) {
      return Optional.empty();
    }
    ProbeRequest request = new ProbeRequest(target, address.get(), resolved, deadline,
        options.connectTimeout(), options.readTimeout(), options.trust(), ClientOffer.providerDefaults(),
        options.clientCredentials());
    try {
      ProbeOutcome o = enumerator.get().probe(request);
      return o != null && o.observation().filter(x -> !x.peerChain().isEmpty()).isPresent()
          ? Optional.of(o) : Optional.empty();
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("provider {} failed", enumerator.get().name(), e);
      return Optional.empty();
    }
  }

  /** The main outcome, with the chain (and its stapled OCSP and size) another engine received. */
  private static ProbeOutcome withChainOf(ProbeOutcome main, ProbeOutcome other) {
    ProbeOutcome.Failed f = (ProbeOutcome.Failed) main;
    Observation s = f.seen();
    Observation o = other.observation().orElseThrow();
    Observation merged = new Observation(s.provider(), s.resolved(), s.address(), s.connectTime(),
        s.handshakeTime(), s.sniSent(), s.version(), s.cipherSuite(), s.namedGroup(),
        s.applicationProtocol(), o.peerChain(), o.stapledOcsp(), s.alerts(), s.clientCertificateRequest(),
        s.certificateMessageLength().isPresent() ? s.certificateMessageLength() : o.certificateMessageLength(),
        s.dhParameters(), s.trace());
    return new ProbeOutcome.Failed(f.failure(), merged);
  }

  /*
   * Whether the main outcome leaves something for the enumeration to find. When the main
   * handshake was made by another provider (JSSE), its own failures are no proof that the server
   * refuses other offers: a handshake this JVM could not complete or even start (a group it
   * refuses, its policy leaving nothing to offer) is exactly what the enumeration explains.
   */
  private boolean worthEnumerating(ProbeOutcome main) {
    if (main instanceof ProbeOutcome.Completed) {
      return true;
    }
    if (!(main instanceof ProbeOutcome.Failed f)) {
      return false;
    }
    FailureKind k = f.failure().kind();
    boolean otherEngine = enumerator.filter(e -> e != probe).isPresent();
    return k == FailureKind.ALERT_RECEIVED || k == FailureKind.CERTIFICATE_REJECTED
        || (otherEngine && (k == FailureKind.OTHER || k == FailureKind.LOCAL_POLICY));
  }

  /*
   * A full inspection that could have enumerated but did not says so, so that a PASS is never read
   * as "versions and suites are fine". Only when the peer speaks TLS: for a refused connection
   * there was nothing to enumerate.
   */
  private Optional<Finding> notEnumerated(Target target, ProbeOutcome main, Optional<Enumeration> done) {
    if (options.quick() || done.isPresent() || main.observation().flatMap(Observation::address).isEmpty()) {
      return Optional.empty();
    }
    boolean reachedTls = main instanceof ProbeOutcome.Completed
        || (main instanceof ProbeOutcome.Failed f && (f.failure().kind() == FailureKind.ALERT_RECEIVED
            || f.failure().kind() == FailureKind.CERTIFICATE_REJECTED));
    if (!reachedTls) {
      return Optional.empty();
    }
    List<String> unchecked = new ArrayList<>(List.of("protocol versions", "cipher suites",
        "named groups", "DH parameters"));
    if (!options.policies().isEmpty()) {
      unchecked.add("the policies' versions and suites");
    }
    if (options.clientProfiles().stream().anyMatch(n -> !n.equals(dev.tlsinspect.ClientProfiles.THIS_JVM))) {
      unchecked.add("client profiles");
    }
    Finding.Builder b = Finding.builder(Code.ENUMERATION_UNAVAILABLE)
        .severity(Severity.INFO)
        .evidence("provider", probe.name())
        .evidence("unchecked", List.copyOf(unchecked));
    if (enumerator.isEmpty()) {
      b.title("Protocol versions and cipher suites were not checked")
          .detail("The inspection of " + target + " used only the " + probe.name() + " provider, which "
              + "offers just what this JVM enables, so the versions, cipher suites, named groups and "
              + "DH parameters the server accepts were not enumerated: old versions, weak suites, "
              + "missing forward secrecy or small DH groups would not show. The verdict covers the "
              + "certificate and this JVM's handshake only.")
          .remediation("Add the dependency dev.tlsinspect:tls-inspect-bc (found with ServiceLoader, no "
              + "code change) and do not pin the " + probe.name() + " provider (--provider "
              + probe.name() + ", TlsInspector.builder().provider(\"" + probe.name() + "\")): a full "
              + "inspection then keeps " + probe.name() + " for the main handshake and enumerates with "
              + "Bouncy Castle.")
          .evidence("module", "dev.tlsinspect:tls-inspect-bc");
    } else {
      b.title("Protocol versions and cipher suites were not checked: the deadline passed")
          .detail("The time budget of the inspection of " + target + " was spent before the "
              + "enumeration could start, so the versions, cipher suites, named groups and DH "
              + "parameters the server accepts were not enumerated. The verdict covers the "
              + "certificate and the main handshake only.")
          .remediation("Raise the timeout (--timeout, InspectOptions.timeout) and inspect again.")
          .evidence("reason", "deadline");
    }
    return Optional.of(b.build());
  }

  /*
   * A DH group this JVM refuses makes both the main handshake's WEAK_DH (the root cause, with the
   * JVM's words) and the enumeration's (the group read by the other provider): one is enough.
   */
  private static List<Finding> oneWeakDh(List<Finding> findings) {
    boolean root = findings.stream().anyMatch(f -> f.code().equals(Code.WEAK_DH) && f.rootCause());
    if (!root) {
      return findings;
    }
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings) {
      if (!(f.code().equals(Code.WEAK_DH) && !f.rootCause())) {
        out.add(f);
      }
    }
    return out;
  }

  private ProbeOutcome probeOnce(Target target, InetAddress address, List<InetAddress> resolved,
      Deadline deadline) {
    int port = target.proxy().map(p -> p.port()).orElse(target.port());
    ProbeRequest request = new ProbeRequest(target, new InetSocketAddress(address, port),
        resolved, deadline, options.connectTimeout(), options.readTimeout(), options.trust(),
        ClientOffer.providerDefaults(), options.clientCredentials());
    try {
      ProbeOutcome outcome = probe.probe(request);
      if (outcome == null) {
        throw new IllegalStateException("provider " + probe.name() + " returned null");
      }
      return outcome;
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      // A provider bug must not take the report down with it; a stack overflow in parsing is one
      // (the stack unwinds whole, unlike an OutOfMemoryError, which is not caught: memory is
      // bounded per probe instead).
      LOG.debug("provider {} failed", probe.name(), e);
      return new ProbeOutcome.Failed(
          new Failure(FailureKind.OTHER, "provider " + probe.name() + " failed: " + e,
              Optional.empty(), Optional.empty(), Optional.empty(),
              List.of(e.getClass().getName() + ": " + e.getMessage()), new byte[0]),
          Observation.builder(probe.name()).resolved(resolved)
              .address(request.address()).build());
    }
  }

  private static AddressResult describe(InetAddress address, ProbeOutcome outcome, boolean main) {
    String ip = address.getHostAddress();
    Optional<Observation> seen = outcome.observation();
    Optional<String> version = seen.flatMap(Observation::version).map(TlsVersion::name);
    Optional<String> suite = seen.flatMap(Observation::cipherSuite).map(CipherSuite::name);
    Optional<String> leaf = seen.flatMap(Observation::leaf).map(CertificateInfo::fingerprint);
    if (outcome instanceof ProbeOutcome.Completed) {
      String detail = version.orElse("?") + " " + suite.orElse("?");
      return new AddressResult(ip, "completed", detail, version, suite, leaf, main);
    }
    if (outcome instanceof ProbeOutcome.Failed f) {
      return new AddressResult(ip, f.failure().kind().name(), f.failure().message(), version, suite, leaf,
          main);
    }
    return new AddressResult(ip, "skipped", ((ProbeOutcome.Skipped) outcome).reason(), version, suite,
        leaf, main);
  }

  /*
   * Every address of the name, so that one bad backend shows; but an explicit connect address or
   * an IP literal is one backend by definition.
   */
  private static List<InetAddress> candidates(Target target, List<InetAddress> resolved) {
    // Through a proxy the addresses are the proxy's: the backends behind the name are out of sight.
    if (target.address().isPresent() || target.hostIsIpAddress() || target.proxy().isPresent()) {
      return List.of(resolved.get(0));
    }
    return resolved.size() > MAX_ADDRESSES ? List.copyOf(resolved.subList(0, MAX_ADDRESSES)) : resolved;
  }

  /*
   * Runs the probes, at most PARALLEL at a time, all under the one deadline; results in the order
   * given. One probe runs on the caller's thread. A probe that has not started when the deadline
   * passes is skipped; one that outlives the deadline (a provider bug: providers bound every wait)
   * is abandoned.
   */
  private static List<ProbeOutcome> probeAll(List<java.util.function.Supplier<ProbeOutcome>> probes,
      Deadline deadline) {
    java.util.function.Supplier<ProbeOutcome> skipped =
        () -> new ProbeOutcome.Skipped(NOT_TRIED);
    if (probes.size() == 1) {
      return List.of(deadline.expired() ? skipped.get() : probes.get(0).get());
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, probes.size()), r -> {
      Thread t = new Thread(r, "tls-inspect-probe");
      t.setDaemon(true);
      return t;
    });
    try {
      List<java.util.concurrent.Future<ProbeOutcome>> futures = new ArrayList<>();
      for (java.util.function.Supplier<ProbeOutcome> p : probes) {
        futures.add(pool.submit(() -> deadline.expired() ? skipped.get() : p.get()));
      }
      List<ProbeOutcome> out = new ArrayList<>();
      for (java.util.concurrent.Future<ProbeOutcome> f : futures) {
        try {
          out.add(f.get(deadline.remaining().toMillis() + ABANDON_GRACE_MILLIS, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
          f.cancel(true);
          out.add(new ProbeOutcome.Skipped("the probe did not end within the deadline"));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          f.cancel(true);
          out.add(new ProbeOutcome.Skipped("interrupted"));
        } catch (ExecutionException e) {
          // probeOnce turns provider bugs into failed probes; an Error that still gets here
          // (OutOfMemoryError, an assertion) is the JVM's, and the caller must see it.
          if (e.getCause() instanceof Error error) {
            throw error;
          }
          out.add(new ProbeOutcome.Skipped("the probe failed: " + e.getCause()));
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The extra handshakes of the SNI checks; both empty when none were made. */
  private record SniProbes(Optional<ProbeOutcome> withoutSni, Optional<ProbeOutcome> neutral) {}

  /*
   * Full inspections of a DNS name that sent SNI: when the main handshake reached TLS, one
   * handshake without SNI (SNI_REQUIRED, and the default certificate); when it was cut off, one
   * without SNI and one with a neutral name, side by side (SNI_FILTERED). Same address as main.
   */
  private SniProbes sniProbes(Target target, ProbeOutcome main, List<InetAddress> resolved, Deadline deadline) {
    SniProbes none = new SniProbes(Optional.empty(), Optional.empty());
    Optional<InetSocketAddress> address = main.observation().flatMap(Observation::address);
    if (options.quick() || target.sni().isEmpty() || target.hostIsIpAddress() || address.isEmpty()
        || deadline.expired()) {
      return none;
    }
    boolean reachedTls = main instanceof ProbeOutcome.Completed
        || (main instanceof ProbeOutcome.Failed f && f.failure().kind() == FailureKind.CERTIFICATE_REJECTED);
    boolean cutOff = main instanceof ProbeOutcome.Failed f && SniCheck.cutOff(f.failure().kind());
    InetAddress ip = address.get().getAddress();
    Target bare = new Target(target.host(), target.port(), Optional.empty(), target.address(),
        target.starttls(), target.proxy());
    if (reachedTls) {
      return new SniProbes(Optional.of(probeOnce(bare, ip, resolved, deadline)), Optional.empty());
    }
    if (!cutOff) {
      return none;
    }
    String label = "tls-inspect-" + java.util.HexFormat.of().toHexDigits(
        java.util.concurrent.ThreadLocalRandom.current().nextInt());
    Target neutral = new Target(target.host(), target.port(), Optional.of(label + ".invalid"),
        target.address(), target.starttls(), target.proxy());
    List<ProbeOutcome> both = probeAll(List.of(() -> probeOnce(bare, ip, resolved, deadline),
        () -> probeOnce(neutral, ip, resolved, deadline)), deadline);
    return new SniProbes(Optional.of(both.get(0)), Optional.of(both.get(1)));
  }

  private List<InetAddress> resolve(String host, Deadline deadline) throws UnknownHostException {
    if (IP_LITERAL.matcher(host).matches()) {
      return List.of(InetAddress.getByName(host)); // a literal: no lookup, no thread
    }
    CompletableFuture<List<InetAddress>> future = new CompletableFuture<>();
    RESOLVER.execute(() -> {
      try {
        future.complete(options.resolver().resolve(host));
      } catch (Throwable t) {
        future.completeExceptionally(t);
      }
    });
    try {
      List<InetAddress> addresses = future.get(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS);
      if (addresses == null || addresses.isEmpty()) {
        throw new UnknownHostException(host + ": no address");
      }
      return List.copyOf(addresses);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new UnknownHostException(host + ": the resolver did not answer within the deadline");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnknownHostException(host + ": interrupted while resolving");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UnknownHostException u) {
        throw u;
      }
      throw new UnknownHostException(host + ": " + cause);
    }
  }

  /** Failed intermediate downloads go on the chain findings they would have confirmed. */
  private static List<Finding> withChainNotes(List<Finding> findings, dev.tlsinspect.check.Fetched fetched) {
    List<String> notes = fetched.notes().stream().filter(n -> n.startsWith("caIssuers")).toList();
    if (notes.isEmpty()) {
      return findings;
    }
    java.util.Set<Code> chainCodes = java.util.Set.of(Code.CHAIN_INCOMPLETE, Code.CHAIN_UNTRUSTED,
        Code.CERT_SELF_SIGNED);
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings) {
      if (chainCodes.contains(f.code()) && !f.evidence().containsKey("fetchNotes")) {
        Map<String, Object> evidence = new LinkedHashMap<>(f.evidence());
        evidence.put("fetchNotes", notes);
        f = new Finding(f.code(), f.severity(), f.rootCause(), f.title(), f.detail(),
            f.remediation(), evidence);
      }
      out.add(f);
    }
    return out;
  }

  /*
   * No handshake was made, so no check had anything to judge: without this finding the report
   * would be an empty PASS. HIGH, so the verdict is FAIL (exit 2) and agrees with the health
   * check's DOWN: "could not be examined" must stop a deploy gate as a timeout would, yet it is no
   * observed fault of the server, which CRITICAL would claim.
   */
  private Finding incomplete(ProbeOutcome.Skipped main, int addresses) {
    return Finding.builder(Code.INSPECTION_INCOMPLETE)
        .severity(Severity.HIGH)
        .rootCause(true)
        .title("The inspection ended before any handshake was made")
        .detail("Nothing was examined: " + main.reason() + " (deadline " + options.deadline().toMillis()
            + " ms). The endpoint may be fine or broken; this report cannot tell.")
        .remediation("Give the inspection more time (--timeout, InspectOptions.timeout); a deadline "
            + "under the round trip to the endpoint leaves nothing to check.")
        .evidence("deadlineMillis", options.deadline().toMillis())
        .evidence("reason", main.reason())
        .evidence("addressesSkipped", addresses)
        .build();
  }

  private static List<Finding> runCheck(Check check, DefaultCheckContext context) {
    try {
      List<Finding> result = check.evaluate(context);
      return result == null ? List.of() : result;
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      LOG.debug("check {} failed", check.id(), e);
      return List.of(Finding.builder(Code.CHECK_ERROR)
          .severity(Severity.LOW)
          .title("Check '" + check.id() + "' failed with an internal error")
          .detail(check.id() + " threw " + e + "; its findings are missing from this report.")
          .remediation("Report this as a bug of the check '" + check.id()
              + "' (" + check.getClass().getName() + "), with this report attached.")
          .evidence("check", check.id())
          .evidence("error", String.valueOf(e))
          .build());
    }
  }
}
