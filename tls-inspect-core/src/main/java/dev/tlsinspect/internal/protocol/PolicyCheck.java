package dev.tlsinspect.internal.protocol;

import dev.tlsinspect.CertificateInfo;
import dev.tlsinspect.Code;
import dev.tlsinspect.Enumeration;
import dev.tlsinspect.Finding;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import dev.tlsinspect.internal.registry.CipherSuites;
import dev.tlsinspect.policy.TlsPolicies;
import dev.tlsinspect.policy.TlsPolicy;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.TlsVersion;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * POLICY_VIOLATION: one finding per selected policy the server deviates from, listing every
 * deviation. Versions, suites and order come from the enumeration (absent in quick mode or with a
 * provider that makes no offers: the finding then says so and judges the certificate alone); the
 * certificate from the main handshake.
 */
public final class PolicyCheck implements Check {

  @Override
  public String id() {
    return "policy";
  }

  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder("policy")
        .summary("Deviations of the server from the selected policies")
        .codes(Code.POLICY_VIOLATION)
        .reference("Mozilla Server Side TLS 6.0")
        .reference("Mozilla Server Side TLS 5.8")
        .reference("NIST SP 800-52 Rev. 2")
        .since("0.1.0")
        .needs(CheckDescriptor.Input.ENUMERATION, CheckDescriptor.Input.PEER_CHAIN, CheckDescriptor.Input.OPTIONS)
        .build();
  }

  @Override
  public List<Finding> evaluate(CheckContext ctx) {
    List<Finding> out = new ArrayList<>();
    Optional<Enumeration> e = ctx.enumeration().filter(x -> !x.acceptedVersions().isEmpty());
    Optional<X509Certificate> leaf = ctx.observation()
        .flatMap(o -> o.peerChain().isEmpty() ? Optional.empty() : Optional.of(o.peerChain().get(0)));
    for (String name : ctx.options().policies()) {
      TlsPolicy p = TlsPolicies.named(name);
      List<String> deviations = new ArrayList<>();
      e.ifPresent(x -> deviations.addAll(protocolDeviations(p, x)));
      leaf.ifPresent(c -> deviations.addAll(certificateDeviations(p, c)));
      if (deviations.isEmpty()) {
        continue;
      }
      List<String> unchecked = new ArrayList<>();
      if (e.isEmpty()) {
        unchecked.add("protocol versions, cipher suites and their order (no enumeration: run a full "
            + "inspection with tls-inspect-bc on the class path and no provider pinned)");
      }
      if (leaf.isEmpty()) {
        unchecked.add("certificate (no certificate was received)");
      }
      Finding.Builder f = Finding.builder(Code.POLICY_VIOLATION)
          .title("The server deviates from " + p.title() + " (" + p.version() + ") in "
              + deviations.size() + (deviations.size() == 1 ? " point" : " points"))
          .detail(ctx.target() + " deviates from " + p + ": " + String.join("; ", deviations) + ".")
          .remediation(remediation(p))
          .evidence("policy", p.name())
          .evidence("policyVersion", p.version())
          .evidence("deviations", List.copyOf(deviations));
      if (!unchecked.isEmpty()) {
        f.evidence("unchecked", List.copyOf(unchecked));
      }
      out.add(f.build());
    }
    return out;
  }

  static List<String> protocolDeviations(TlsPolicy p, Enumeration e) {
    List<String> out = new ArrayList<>();
    String allowed = p.versions().isEmpty() ? "none"
        : String.join(", ", p.versions().stream().map(TlsVersion::name).toList());
    for (TlsVersion v : e.acceptedVersions()) {
      if (!p.versions().contains(v)) {
        out.add("accepts " + v.name() + ", the policy allows " + allowed);
      }
    }
    for (TlsVersion v : p.requiredVersions()) {
      if (e.testedVersions().contains(v) && !e.accepts(v)) {
        out.add("does not support " + v.name() + " (required)");
      }
    }
    Set<String> seen = new LinkedHashSet<>();
    for (TlsVersion v : e.acceptedVersions()) {
      for (CipherSuite s : e.suites(v)) {
        if (!p.allows(v, s) && seen.add(s.name())) {
          out.add("accepts " + s.name() + " (not in the policy)");
        }
      }
    }
    for (CipherSuite s : p.requiredCipherSuites()) {
      Optional<CipherSuites.Info> info = CipherSuites.find(s.code());
      for (TlsVersion v : e.acceptedVersions()) {
        boolean valid = info.map(i -> i.validFor(v.code())).orElse(false);
        if (valid && e.suites(v).stream().noneMatch(x -> x.name().equals(s.name()))) {
          out.add("lacks " + s.name() + " with " + v.name() + " (required)");
        }
      }
    }
    if (p.serverCipherOrder()) {
      // Server order exists to put strong suites before the weak ones a policy still allows; every
      // TLS 1.3 suite is strong, so only older versions are held to it.
      List<String> clientOrder = e.serverOrder().entrySet().stream()
          .filter(x -> !x.getValue() && x.getKey().compareTo(TlsVersion.TLS_1_3) < 0)
          .map(x -> x.getKey().name()).toList();
      if (!clientOrder.isEmpty()) {
        out.add("no server cipher order with " + String.join(", ", clientOrder)
            + " (the policy wants it)");
      }
    }
    return out;
  }

  static List<String> certificateDeviations(TlsPolicy p, X509Certificate leaf) {
    List<String> out = new ArrayList<>();
    PublicKey key = leaf.getPublicKey();
    String type = key.getAlgorithm();
    String described = CertificateInfo.describeKey(key);
    if (!p.certificateKeyTypes().isEmpty() && !p.certificateKeyTypes().contains(type)) {
      out.add("certificate key " + described + " is not of a type the policy allows ("
          + String.join(", ", p.certificateKeyTypes()) + ")");
    } else if ("RSA".equals(type) && p.minRsaKeyBits() > 0
        && CertificateInfo.keySize(key) < p.minRsaKeyBits()) {
      out.add("certificate key " + described + " below " + p.minRsaKeyBits());
    } else if ("EC".equals(type) && !p.certificateCurves().isEmpty()) {
      String curve = curve(key);
      if (!p.certificateCurves().contains(curve)) {
        out.add("certificate key " + described + " (" + curve + ") not on a curve the policy allows ("
            + String.join(", ", p.certificateCurves()) + ")");
      }
    }
    String sig = leaf.getSigAlgName();
    if (!p.certificateSignatures().isEmpty()
        && p.certificateSignatures().stream().noneMatch(s -> s.equalsIgnoreCase(sig))) {
      out.add("certificate signature " + sig + " is not one the policy allows ("
          + String.join(", ", p.certificateSignatures()) + ")");
    }
    if (p.maxCertificateLifespan().isPresent()) {
      Duration max = p.maxCertificateLifespan().get();
      Duration lifespan = Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
      // Whole days, as the policies count them: a "90-day" certificate backdated an hour is fine.
      if (lifespan.toDays() > max.toDays()) {
        out.add("certificate lifespan " + lifespan.toDays() + " days above " + max.toDays());
      }
    }
    return out;
  }

  /** The standard name of an EC key's curve, as far as the JDK tells it. */
  private static String curve(PublicKey key) {
    if (!(key instanceof ECKey ec)) {
      return "unknown curve";
    }
    // The JDK's named curves print as "secp256r1 [NIST P-256, X9.62 prime256v1] (1.2.840.10045.3.1.7)".
    String s = ec.getParams().toString();
    String first = s.split("[\\s\\[(]", 2)[0].toLowerCase(Locale.ROOT);
    if (first.startsWith("secp") || first.startsWith("brainpool")) {
      return first;
    }
    if (s.contains("P-256")) {
      return "secp256r1";
    }
    if (s.contains("P-384")) {
      return "secp384r1";
    }
    if (s.contains("P-521")) {
      return "secp521r1";
    }
    return "unnamed " + ec.getParams().getOrder().bitLength() + "-bit curve";
  }

  private static String remediation(TlsPolicy p) {
    if (p.name().startsWith("mozilla-")) {
      String profile = p.name().substring("mozilla-".length());
      return "Configure the server from Mozilla's generator with the " + profile + " profile "
          + "(https://ssl-config.mozilla.org/#config=" + profile + ", guidelines " + p.version()
          + "): disable the versions and suites listed, enable the required ones, and issue the "
          + "certificate the profile names.";
    }
    return "Configure the server per " + p.title() + " (" + p.source() + "): disable the versions "
        + "and suites listed, enable the required ones, and use a certificate key and signature "
        + "it allows.";
  }
}
