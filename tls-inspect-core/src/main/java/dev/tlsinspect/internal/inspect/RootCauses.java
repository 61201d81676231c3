package dev.tlsinspect.internal.inspect;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Severity;
import dev.tlsinspect.internal.network.ClockSkewCheck;
import dev.tlsinspect.internal.protocol.ClientCompatibilityCheck;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.ProbeOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides which findings explain a failed handshake. Only a failed handshake has root causes.
 * When this side rejected the certificate, the TLS stack's own reason picks the family of
 * certificate findings it tripped on; each finding of that family is a root cause. When no finding
 * explains the failure, a HANDSHAKE_FAILED finding carrying the stack's message is added, so a
 * failed handshake always has a root cause. Not API.
 */
final class RootCauses {
  private static final Set<Code> CERTIFICATE_CODES = Set.of(Code.CERT_EXPIRED, Code.CERT_NOT_YET_VALID,
      Code.INTERMEDIATE_EXPIRED, Code.CHAIN_INCOMPLETE, Code.CHAIN_UNTRUSTED, Code.CERT_SELF_SIGNED,
      Code.HOSTNAME_MISMATCH, Code.CERT_REVOKED, Code.WEAK_SIGNATURE, Code.WEAK_KEY,
      Code.CERT_BAD_KEY_USAGE, Code.CERT_TOO_LARGE, Code.TRUST_STORE_DIFFERS,
      Code.TLS_INTERCEPTION_SUSPECTED, Code.CLOCK_SKEW);

  private static final Set<Code> THIS_JVM_CODES = Set.of(Code.NO_COMMON_PROTOCOL,
      Code.NO_COMMON_CIPHER, Code.LOCAL_PROTOCOL_DISABLED, Code.LOCAL_CIPHER_DISABLED);

  private RootCauses() {}

  static List<Finding> attribute(ProbeOutcome main, List<Finding> findings) {
    List<Finding> out = new ArrayList<>();
    if (!(main instanceof ProbeOutcome.Failed failed)) {
      // The probe's handshake worked, but this JVM's own would fail (predicted from the
      // enumeration): that prediction stays a root cause.
      for (Finding f : findings) {
        boolean thisJvm = dev.tlsinspect.ClientProfiles.THIS_JVM.equals(
            f.evidence().get(ClientCompatibilityCheck.PROFILE)) && THIS_JVM_CODES.contains(f.code());
        // A certificate out of date only by this machine's clock: the probe's TLS stack may have
        // judged by another clock (an injected one), but the application's stack judges by this
        // machine's, so the skew stays a root cause.
        boolean clock = f.code().equals(Code.CLOCK_SKEW) && f.evidence().containsKey(ClockSkewCheck.EXPLAINS);
        out.add(f.rootCause() && !thisJvm && !clock ? f.withRootCause(false) : f);
      }
      return out;
    }
    out.addAll(findings);
    if (out.stream().anyMatch(Finding::rootCause)) {
      return out;
    }
    Failure failure = failed.failure();
    if (failure.kind() == FailureKind.CERTIFICATE_REJECTED) {
      Set<Code> family = preferInterception(family(failure), out);
      // INFO and LOW findings (TRUST_STORE_DIFFERS in the harmless direction, CHAIN_ORDER) never
      // explain a rejection.
      boolean marked = mark(out, f -> family.contains(f.code()) && f.severity().atLeast(Severity.MEDIUM));
      if (!marked) {
        marked = mark(out, f -> CERTIFICATE_CODES.contains(f.code()) && f.severity().atLeast(Severity.HIGH));
      }
      if (marked) {
        return out;
      }
    }
    out.add(0, Finding.builder(Code.HANDSHAKE_FAILED)
        .rootCause(true)
        .title(failure.kind() == FailureKind.CERTIFICATE_REJECTED
            ? "The TLS stack rejected the server's certificate"
            : "The handshake failed")
        .detail("The handshake failed: " + failure.message() + ". No other check explains it.")
        .remediation("See the error chain in the evidence. If the certificate looks right to the "
            + "other checks, compare the JVM's certificate policy (jdk.certpath.disabledAlgorithms) "
            + "with the chain, and run with the other provider to compare.")
        .evidence("failure", failure.kind().name())
        .evidence("message", failure.message())
        .evidence("errors", failure.causes())
        .build());
    return out;
  }

  /** An untrusted chain that a proxy issued: the proxy, not the chain, is what to fix. */
  private static Set<Code> preferInterception(Set<Code> family, List<Finding> findings) {
    if (family.contains(Code.TLS_INTERCEPTION_SUSPECTED)
        && findings.stream().anyMatch(f -> f.code().equals(Code.TLS_INTERCEPTION_SUSPECTED))) {
      return Set.of(Code.TLS_INTERCEPTION_SUSPECTED);
    }
    return family;
  }

  private static boolean mark(List<Finding> findings, java.util.function.Predicate<Finding> which) {
    boolean any = false;
    for (int i = 0; i < findings.size(); i++) {
      if (which.test(findings.get(i))) {
        findings.set(i, findings.get(i).withRootCause(true));
        any = true;
      }
    }
    return any;
  }

  private static Set<Code> family(Failure failure) {
    String text = (failure.message() + "\n" + String.join("\n", failure.causes()))
        .toLowerCase(Locale.ROOT);
    if (text.contains("certificateexpiredexception") || text.contains("certificate_expired")) {
      return Set.of(Code.CERT_EXPIRED, Code.INTERMEDIATE_EXPIRED, Code.CLOCK_SKEW);
    }
    if (text.contains("certificatenotyetvalidexception")) {
      return Set.of(Code.CERT_NOT_YET_VALID, Code.INTERMEDIATE_EXPIRED, Code.CLOCK_SKEW);
    }
    if (text.contains("no subject alternative") || text.contains("no name matching")) {
      return Set.of(Code.HOSTNAME_MISMATCH);
    }
    if (text.contains("extended key usage") || text.contains("keyusage")) {
      return Set.of(Code.CERT_BAD_KEY_USAGE);
    }
    if (text.contains("exceeds the maximum allowed size")) {
      return Set.of(Code.CERT_TOO_LARGE);
    }
    if (text.contains("keysize") || text.contains("key size")) {
      return Set.of(Code.WEAK_KEY);
    }
    if (text.contains("signature algorithm") || text.contains("md5with") || text.contains("md2with")
        || text.contains("sha1with")) {
      return Set.of(Code.WEAK_SIGNATURE);
    }
    if (text.contains("algorithm constraints") || text.contains("disabled algorithm")
        || text.contains("denyafter")) {
      return Set.of(Code.WEAK_KEY, Code.WEAK_SIGNATURE);
    }
    if (text.contains("revoked")) {
      return Set.of(Code.CERT_REVOKED);
    }
    if (text.contains("path building failed") || text.contains("valid certification path")
        || text.contains("path validation failed") || text.contains("trustanchor")
        || text.contains("basic constraints check failed") || text.contains("name constraints check failed")
        || text.contains("ca key usage check failed") || text.contains("unrecognized critical extension")
        || text.contains("policy constraints") || text.contains("not a ca certificate")) {
      return Set.of(Code.CERT_SELF_SIGNED, Code.CHAIN_INCOMPLETE, Code.CHAIN_UNTRUSTED,
          Code.TRUST_STORE_DIFFERS, Code.TLS_INTERCEPTION_SUSPECTED, Code.INTERMEDIATE_EXPIRED);
    }
    return Set.of();
  }
}
