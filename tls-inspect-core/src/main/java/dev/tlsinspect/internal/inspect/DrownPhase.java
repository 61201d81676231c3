package dev.tlsinspect.internal.inspect;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.internal.cert.Certs;
import dev.tlsinspect.probe.ClientOffer;
import dev.tlsinspect.probe.Deadline;
import dev.tlsinspect.probe.HandshakeProbe;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.ProbeRequest;
import dev.tlsinspect.probe.TlsVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/*
 * DROWN through other endpoints (InspectOptions.sslv2Endpoints): DROWN (CVE-2016-0800) needs only
 * that the server's RSA key be usable on some SSL 2.0 endpoint, often the same certificate on a
 * mail port. Each endpoint the user names, and only those, gets one SSL 2.0 CLIENT-HELLO through
 * the enumerating provider (its answer carries the certificate); an answer with the probed
 * server's RSA key is DROWN. Full inspections only, after the other probes, within the deadline.
 */
/** DROWN through other endpoints named in the options. Not API. */
final class DrownPhase {
  private static final ClientOffer SSL2 = ClientOffer.builder().versions(TlsVersion.SSL_2_0)
      .serverHelloOnly(true).build();
  /** Addresses asked per named endpoint. */
  static final int MAX_ADDRESSES = 4;

  private DrownPhase() {}

  /**
   * Asks each named endpoint for SSL 2.0 and compares its key with the target's.
   *
   * @param resolve the inspection's bounded resolver: addresses, or empty when the name does not resolve
   * @return SSLV2_ENDPOINTS_CHECKED, and DROWN when an endpoint serves the key; empty when none was named
   */
  static List<Finding> run(InspectOptions options, Optional<HandshakeProbe> enumerator, Target target,
      ProbeOutcome main, Deadline deadline, Function<String, List<InetAddress>> resolve) {
    if (options.quick() || options.sslv2Endpoints().isEmpty()) {
      return List.of();
    }
    Optional<X509Certificate> leaf = main.observation().flatMap(o -> o.peerChain().stream().findFirst());
    Optional<PublicKey> key = leaf.map(X509Certificate::getPublicKey).filter(k -> k instanceof RSAPublicKey);
    List<String> results = new ArrayList<>();
    List<String> sameKey = new ArrayList<>();
    for (Target endpoint : options.sslv2Endpoints()) {
      String name = endpoint.host() + ":" + endpoint.port();
      if (key.isEmpty()) {
        results.add(name + ": not asked (the target sent no RSA certificate to compare with)");
        continue;
      }
      if (enumerator.isEmpty()) {
        results.add(name + ": not asked (no provider here speaks SSL 2.0; add tls-inspect-bc)");
        continue;
      }
      if (deadline.expired()) {
        results.add(name + ": not asked (the deadline passed)");
        continue;
      }
      String host = endpoint.address().orElse(endpoint.host());
      List<InetAddress> addresses = resolve.apply(host);
      if (addresses.isEmpty()) {
        results.add(name + ": the name does not resolve");
        continue;
      }
      ProbeOutcome outcome = ask(enumerator.get(), endpoint, addresses, options, deadline);
      if (outcome instanceof ProbeOutcome.Failed f) {
        results.add(name + ": SSL 2.0 refused or unreachable (" + f.failure().kind() + ": "
            + dev.tlsinspect.SafeText.of(f.failure().message(), 200) + ")");
        continue;
      }
      Optional<X509Certificate> theirs = outcome.observation()
          .filter(o -> o.version().filter(TlsVersion.SSL_2_0::equals).isPresent())
          .flatMap(o -> o.peerChain().stream().findFirst());
      if (outcome.observation().flatMap(o -> o.version()).filter(TlsVersion.SSL_2_0::equals).isEmpty()) {
        results.add(name + ": SSL 2.0 refused");
      } else if (theirs.isEmpty()) {
        results.add(name + ": accepts SSL 2.0, but its certificate could not be read");
      } else if (theirs.get().getPublicKey().equals(key.get())) {
        results.add(name + ": accepts SSL 2.0 with the same RSA key");
        sameKey.add(name);
      } else {
        results.add(name + ": accepts SSL 2.0 with another key (" + Certs.describe(theirs.get())
            + "): DROWN there, not for this key");
      }
    }
    List<Finding> out = new ArrayList<>();
    out.add(Finding.builder(Code.SSLV2_ENDPOINTS_CHECKED)
        .severity(Severity.INFO)
        .title("Other endpoints were asked for SSL 2.0 (DROWN)")
        .detail("As asked, " + results.size() + " other endpoint(s) got one SSL 2.0 CLIENT-HELLO each, "
            + "to see whether one serves the RSA key of " + target.host() + ":" + target.port()
            + ": " + String.join("; ", results) + ".")
        .remediation("Nothing to do for this finding; it says what was checked.")
        .evidence("endpoints", results)
        .build());
    if (!sameKey.isEmpty()) {
      Finding.Builder b = Finding.builder(Code.DROWN)
          .title("DROWN: the server's RSA key is served over SSL 2.0 at " + String.join(", ", sameKey))
          .detail(target.host() + ":" + target.port() + " does not need to accept SSL 2.0 itself: "
              + String.join(", ", sameKey) + " answers SSL 2.0 with a certificate for the same RSA key. "
              + "An attacker uses that endpoint as an oracle to decrypt recorded TLS sessions made "
              + "with the key, including sessions with this server (DROWN, CVE-2016-0800).")
          .remediation("Disable SSL 2.0 on " + String.join(", ", sameKey) + " (and everywhere else "
              + "the key is used), or give this server a key no SSL 2.0 endpoint holds.")
          .evidence("cve", "CVE-2016-0800")
          .evidence("version", TlsVersion.SSL_2_0.name())
          .evidence("sslv2Endpoints", sameKey)
          .evidence("target", target.host() + ":" + target.port());
      leaf.ifPresent(c -> Certs.identify(b, "leaf", c));
      out.add(b.build());
    }
    return out;
  }

  /**
   * Asks the endpoint's addresses in turn (at most {@value #MAX_ADDRESSES}), until one answers
   * SSL 2.0: behind one name, a single old backend is enough for DROWN.
   */
  private static ProbeOutcome ask(HandshakeProbe probe, Target endpoint, List<InetAddress> addresses,
      InspectOptions options, Deadline deadline) {
    ProbeOutcome outcome = null;
    for (InetAddress address : addresses.subList(0, Math.min(MAX_ADDRESSES, addresses.size()))) {
      if (outcome != null && deadline.expired()) {
        break;
      }
      outcome = probe.probe(new ProbeRequest(endpoint, new InetSocketAddress(address, endpoint.port()),
          addresses, deadline, options.connectTimeout(), options.readTimeout(), options.trust(), SSL2));
      if (outcome.observation().flatMap(o -> o.version()).filter(TlsVersion.SSL_2_0::equals).isPresent()) {
        break;
      }
    }
    return outcome;
  }

  /**
   * One DROWN per report: when the target accepts SSL 2.0 itself (the known-attacks check's
   * finding) and named endpoints serve its key too, the endpoints join that finding.
   *
   * @param findings the inspection's findings so far
   * @return the same findings, with at most one DROWN
   */
  static List<Finding> oneDrown(List<Finding> findings) {
    Finding own = null;
    Finding endpoints = null;
    for (Finding f : findings) {
      if (f.code().equals(Code.DROWN)) {
        if (f.evidence().containsKey("sslv2Endpoints")) {
          endpoints = endpoints == null ? f : endpoints;
        } else {
          own = own == null ? f : own;
        }
      }
    }
    if (own == null || endpoints == null) {
      return findings;
    }
    Object names = endpoints.evidence().get("sslv2Endpoints");
    String list = names instanceof List<?> l
        ? String.join(", ", l.stream().map(String::valueOf).toList()) : String.valueOf(names);
    java.util.Map<String, Object> evidence = new java.util.LinkedHashMap<>(own.evidence());
    evidence.put("sslv2Endpoints", names);
    Finding merged = new Finding(own.code(), own.severity(), own.rootCause(), own.title(),
        own.detail() + " The same RSA key is also served over SSL 2.0 at " + list + ".",
        own.remediation() + " That includes " + list + ".", evidence);
    List<Finding> out = new ArrayList<>(findings.size() - 1);
    for (Finding f : findings) {
      if (f == own) {
        out.add(merged);
      } else if (f != endpoints) {
        out.add(f);
      }
    }
    return out;
  }
}
