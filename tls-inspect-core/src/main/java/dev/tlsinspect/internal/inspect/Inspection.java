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
  private final List<Check> checks;
  private final InspectOptions options;

  /**
   * @param probe the provider
   * @param checks the checks, in order
   * @param options the options
   */
  public Inspection(HandshakeProbe probe, List<Check> checks, InspectOptions options) {
    this.probe = probe;
    this.checks = checks;
    this.options = options;
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
    LOG.debug("inspecting {} (connect to {}{}, provider {})", target, dialHost,
        target.proxy().map(p -> ", proxy " + p).orElse(""), probe.name());

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
    outcomes.add(main);
    for (int i = 0; i < perAddress.size(); i++) {
      if (i != mainIndex) {
        outcomes.add(perAddress.get(i));
      }
    }
    for (int i = 0; i < candidates.size(); i++) {
      addresses.add(describe(candidates.get(i), perAddress.get(i), i == mainIndex));
    }

    Optional<Enumeration> enumeration = enumerate(target, main, resolved, deadline);
    // Opt-in downloads happen here, before the checks, which stay pure.
    dev.tlsinspect.check.Fetched fetched = FetchPhase.run(options, main.observation(), deadline);
    SniProbes sni = sniProbes(target, main, resolved, deadline);
    // Opt-in as well: the clock comparison (an HTTP request to the target, or SNTP).
    Optional<dev.tlsinspect.check.ClockReading> clock = ClockPhase.run(options, target, main, deadline);
    DefaultCheckContext context = new DefaultCheckContext(target, options, main, fetched, enumeration,
        perAddress, sni.withoutSni(), sni.neutral(), clock);
    List<Finding> findings = new ArrayList<>();
    for (Check check : checks) {
      findings.addAll(runCheck(check, context));
    }
    findings = withChainNotes(findings, fetched);
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
    sni.withoutSni().ifPresent(outcomes::add);
    sni.neutral().ifPresent(outcomes::add);
    Report report = new Report(target, Verdict.of(findings), findings, protocols, suites, groups, chain,
        timings, clients, addresses, probe.name(), options.clock().instant(), outcomes);
    LOG.debug("{}", report.summary());
    return report;
  }

  /*
   * Enumeration needs a provider that puts our offers on the wire, a full inspection, and a peer
   * that speaks TLS: a completed handshake, or one the server or our checks ended with an alert.
   */
  private Optional<Enumeration> enumerate(Target target, ProbeOutcome main, List<InetAddress> resolved,
      Deadline deadline) {
    if (options.quick() || !probe.makesOffers() || deadline.expired()) {
      return Optional.empty();
    }
    boolean speaksTls = main instanceof ProbeOutcome.Completed
        || (main instanceof ProbeOutcome.Failed f && (f.failure().kind() == FailureKind.ALERT_RECEIVED
            || f.failure().kind() == FailureKind.CERTIFICATE_REJECTED));
    Optional<InetSocketAddress> address = main.observation().flatMap(Observation::address);
    if (!speaksTls || address.isEmpty()) {
      return Optional.empty();
    }
    ProbeRequest base = new ProbeRequest(target, address.get(), resolved, deadline,
        options.connectTimeout(), options.readTimeout(), options.trust(), ClientOffer.providerDefaults(),
        options.clientCredentials());
    Enumeration e = new Enumerator(probe, base, Enumerator.DEFAULT_PER_HOST_LIMIT).run();
    LOG.debug("enumerated {}: {} in {} connections{}", target, e.cipherSuites(), e.connections(),
        e.incomplete().isEmpty() ? "" : " (incomplete: " + e.incomplete() + ")");
    return Optional.of(e);
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
