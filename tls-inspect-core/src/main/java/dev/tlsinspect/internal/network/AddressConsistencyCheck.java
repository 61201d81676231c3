package dev.tlsinspect.internal.network;

import dev.tlsinspect.CertificateInfo;
import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Severity;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.TlsVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ADDRESS_INCONSISTENT: the addresses behind one name answer differently. A client gets whichever
 * address its resolver and load balancer pick, so one backend with another certificate, version,
 * suite or no service at all fails some connections and not others: the classic "works for me".
 * Each address is compared with the main one (the address the other checks judge).
 */
public final class AddressConsistencyCheck implements Check {

  @Override
  public String id() {
    return "address-consistency";
  }

  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder("address-consistency")
        .summary("Whether every address behind the name answers like the main one")
        .codes(Code.ADDRESS_INCONSISTENT)
        .since("0.1.0")
        .needs(CheckDescriptor.Input.ADDRESS_OUTCOMES, CheckDescriptor.Input.OPTIONS)
        .build();
  }

  /** What one address showed, as compared. */
  private record Seen(String address, String result, Optional<String> version, Optional<String> suite,
      Optional<String> leaf) {
    String summary() {
      StringBuilder sb = new StringBuilder(address).append(": ").append(result);
      version.ifPresent(v -> sb.append(' ').append(v));
      suite.ifPresent(s -> sb.append(' ').append(s));
      leaf.ifPresent(l -> sb.append(", leaf SHA-256 ").append(l));
      return sb.toString();
    }
  }

  @Override
  public List<Finding> evaluate(CheckContext ctx) {
    if (ctx.options().quick()) {
      return List.of(); // quick mode stops at the first address that answers: nothing to compare
    }
    List<Seen> all = new ArrayList<>();
    for (ProbeOutcome o : ctx.addressOutcomes()) {
      seen(o).ifPresent(all::add);
    }
    if (all.size() < 2) {
      return List.of();
    }
    Seen main = seen(ctx.outcome()).orElse(all.get(0));
    Set<String> aspects = new LinkedHashSet<>();
    Map<String, List<String>> differing = new LinkedHashMap<>();
    for (Seen s : all) {
      if (s.address().equals(main.address())) {
        continue;
      }
      List<String> how = new ArrayList<>();
      if (!s.result().equals(main.result())) {
        how.add("outcome");
      }
      if (s.leaf().isPresent() && main.leaf().isPresent() && !s.leaf().equals(main.leaf())) {
        how.add("certificate");
      }
      if (s.version().isPresent() && main.version().isPresent() && !s.version().equals(main.version())) {
        how.add("version");
      }
      if (s.suite().isPresent() && main.suite().isPresent() && !s.suite().equals(main.suite())) {
        how.add("cipher suite");
      }
      if (!how.isEmpty()) {
        aspects.addAll(how);
        differing.put(s.address(), how);
      }
    }
    if (differing.isEmpty()) {
      return List.of();
    }
    String host = ctx.target().host();
    List<String> summaries = all.stream().map(Seen::summary).toList();
    List<String> fixes = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : differing.entrySet()) {
      Seen s = all.stream().filter(x -> x.address().equals(e.getKey())).findFirst().orElseThrow();
      fixes.add(fix(s, main, e.getValue()));
    }
    // Evidence values are strings and lists: "address=value" pairs keep the pairing.
    List<String> leaves = new ArrayList<>();
    all.forEach(s -> s.leaf().ifPresent(l -> leaves.add(s.address() + "=" + l)));
    List<String> results = all.stream().map(s -> s.address() + "=" + s.result()).toList();
    Finding.Builder b = Finding.builder(Code.ADDRESS_INCONSISTENT)
        .severity(severity(all, main, differing))
        .title("The addresses of " + host + " answer differently (" + String.join(", ", aspects) + ")")
        .detail(host + " resolves to " + all.size() + " addresses and they do not serve the same TLS: "
            + String.join("; ", summaries) + ". Clients reach one or another at random, so some "
            + "connections fail or see another certificate while others work.")
        .remediation(String.join(" ", fixes) + " Every backend behind one name (each A and AAAA "
            + "record, each member of the load balancer pool) must serve the same certificate chain, "
            + "versions and suites; deploy the TLS configuration to all of them, then inspect again.")
        .evidence("addresses", summaries)
        .evidence("mainAddress", main.address())
        .evidence("differing", List.copyOf(differing.keySet()))
        .evidence("aspects", List.copyOf(aspects))
        .evidence("results", results);
    if (!leaves.isEmpty()) {
      b.evidence("leafSha256", leaves);
    }
    return List.of(b.build());
  }

  /*
   * HIGH (the catalogue's) when some connections fail: a backend refuses, times out or breaks the
   * handshake. MEDIUM when every address completes but they differ in certificate, version or
   * suite: clients work, yet pins, expiry dates and policies diverge. LOW when the only failures
   * are a whole address family this machine cannot route to (every IPv6 address unreachable while
   * IPv4 works is usually this host without IPv6, not the servers).
   */
  private static Severity severity(List<Seen> all, Seen main, Map<String, List<String>> differing) {
    List<Seen> failing = all.stream()
        .filter(s -> differing.containsKey(s.address()) && !"completed".equals(s.result())).toList();
    if (failing.isEmpty()) {
      return Severity.MEDIUM;
    }
    boolean mainV6 = main.address().indexOf(':') >= 0;
    boolean otherFamilyUnreachable = failing.stream().allMatch(s -> "HOST_UNREACHABLE".equals(s.result())
        && (s.address().indexOf(':') >= 0) != mainV6)
        && all.stream().filter(s -> (s.address().indexOf(':') >= 0) != mainV6)
            .allMatch(s -> "HOST_UNREACHABLE".equals(s.result()));
    return otherFamilyUnreachable ? Severity.LOW : Severity.HIGH;
  }

  private static String fix(Seen s, Seen main, List<String> how) {
    boolean v6 = s.address().indexOf(':') >= 0;
    if (how.contains("outcome") && !"completed".equals(s.result()) && "completed".equals(main.result())) {
      String what = switch (s.result()) {
        case "CONNECTION_REFUSED" -> "refuses the connection: start the service there or make it listen "
            + "on that address" + (v6 ? " (an AAAA record with a server listening on IPv4 only: listen "
            + "on [::] as well, or remove the AAAA record)" : "");
        case "CONNECT_TIMEOUT", "HOST_UNREACHABLE" -> "cannot be reached (" + s.result() + "): take it "
            + "out of DNS or the pool, or fix the firewall or route to it";
        default -> "fails the handshake (" + s.result() + ") where " + main.address() + " completes it: "
            + "fix that backend's TLS configuration or take it out of DNS or the load balancer pool";
      };
      return "Address " + s.address() + " " + what + ".";
    }
    List<String> parts = new ArrayList<>();
    if (how.contains("outcome")) {
      parts.add(s.result() + " instead of " + main.result());
    }
    if (how.contains("certificate")) {
      parts.add("another leaf certificate (SHA-256 " + s.leaf().orElse("?") + " instead of "
          + main.leaf().orElse("?") + ")");
    }
    if (how.contains("version")) {
      parts.add("version " + s.version().orElse("?") + " instead of " + main.version().orElse("?"));
    }
    if (how.contains("cipher suite")) {
      parts.add("suite " + s.suite().orElse("?") + " instead of " + main.suite().orElse("?"));
    }
    return "Address " + s.address() + " differs from " + main.address() + ": " + String.join(", ", parts)
        + "; bring that backend's certificate and TLS settings in line with the others, or take it "
        + "out of the load balancer pool until it is.";
  }

  /** Empty for a skipped probe (no evidence about that address). */
  private static Optional<Seen> seen(ProbeOutcome o) {
    Optional<Observation> obs = o.observation();
    Optional<String> address = obs.flatMap(Observation::address)
        .map(a -> a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString());
    if (o instanceof ProbeOutcome.Skipped || address.isEmpty()) {
      return Optional.empty();
    }
    String result = o instanceof ProbeOutcome.Failed f ? f.failure().kind().name() : "completed";
    Observation seen = obs.get();
    boolean completed = o instanceof ProbeOutcome.Completed;
    return Optional.of(new Seen(address.get(), result,
        completed ? seen.version().map(TlsVersion::name) : Optional.empty(),
        completed ? seen.cipherSuite().map(CipherSuite::name) : Optional.empty(),
        seen.leaf().map(CertificateInfo::fingerprint)));
  }
}
