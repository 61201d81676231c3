package dev.tlsinspect.internal.inspect;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.TlsVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The findings of an inspection made with the application's own TLS objects: which objects made
 * the main handshake (APP_TLS_USED), and, when they fail where the inspection's own JSSE context
 * over the same trust material succeeds, that they are the cause (APP_TLS_FAILS). Made by the
 * inspection, not a check: only it knows both handshakes. Not API.
 */
final class ApplicationTls {
  private ApplicationTls() {}

  static List<Finding> findings(Target target, Inspection.Application app, ProbeOutcome main,
      Optional<ProbeOutcome> reference, InspectOptions options) {
    List<Finding> out = new ArrayList<>();
    String what = app.tls().description();
    String outcome = main instanceof ProbeOutcome.Completed ? "completed"
        : main instanceof ProbeOutcome.Failed f ? "failed: " + f.failure().kind().name() : "skipped";
    out.add(Finding.builder(Code.APP_TLS_USED)
        .severity(Severity.INFO)
        .title("The main handshake used " + what)
        .detail("The main handshake with " + target + " was made with " + what + ", as the "
            + "application's own connections are; the enumeration and the checks ran as usual. "
            + "Outcome: " + outcome + ".")
        .remediation("None: this notes which TLS client the report judges.")
        .evidence("context", what)
        .evidence("kind", kind(app))
        .evidence("outcome", outcome)
        .build());
    if (main instanceof ProbeOutcome.Failed f && !f.failure().beforeTls()
        && reference.orElse(null) instanceof ProbeOutcome.Completed ref) {
      out.add(fails(target, what, f.failure(), ref.seen(), options));
    }
    return out;
  }

  private static Finding fails(Target target, String what, Failure failure, Observation ref,
      InspectOptions options) {
    boolean trust = failure.kind() == FailureKind.CERTIFICATE_REJECTED;
    String version = ref.version().map(TlsVersion::name).orElse("?");
    String suite = ref.cipherSuite().map(CipherSuite::name).orElse("?");
    String title = trust
        ? "The application's trust manager rejects a chain that " + options.trust() + " trusts"
        : "The application's TLS client fails where this JVM's default JSSE client succeeds";
    String detail = (trust
        ? "The handshake with " + what + " failed because its trust manager rejected the server's "
            + "certificate chain, while a handshake on the same address with this JVM's JSSE over "
            + options.trust() + " completed (" + version + ", " + suite + "): the chain is valid, "
            + "the application's own trust decision (a pin, a private trust store, a custom check) "
            + "refuses it."
        : "The handshake with " + what + " failed (" + failure.kind().name() + "), while a handshake "
            + "on the same address with this JVM's JSSE over " + options.trust() + " completed ("
            + version + ", " + suite + "): the server is reachable and accepts this JVM's default "
            + "offer, so the application's context (its provider, protocols, suites, key manager or "
            + "trust manager) is what differs.")
        + " The application's error: " + failure.message() + ".";
    String remediation = trust
        ? "Compare the application's trust decision with the chain in this report: update the pin "
            + "or the application's trust store to the server's current key or CA (a rotated "
            + "certificate is the usual cause), or fix the custom trust manager."
        : "Compare the application's context with the JVM default: its provider and its enabled "
            + "protocols and cipher suites (SSLParameters), its key manager's client certificate, "
            + "and its trust manager; the error chain in the evidence names the step that failed.";
    return Finding.builder(Code.APP_TLS_FAILS)
        .severity(Severity.HIGH)
        .rootCause(true)
        .title(title)
        .detail(detail)
        .remediation(remediation)
        .evidence("context", what)
        .evidence("failure", failure.kind().name())
        .evidence("message", failure.message())
        .evidence("errors", failure.causes())
        .evidence("referenceTrust", options.trust().toString())
        .evidence("referenceOutcome", "completed " + version + " " + suite)
        .build();
  }

  private static String kind(Inspection.Application app) {
    if (app.tls() instanceof dev.tlsinspect.ClientTls.Context) {
      return "SSLContext";
    }
    return app.tls() instanceof dev.tlsinspect.ClientTls.SocketFactory ? "SSLSocketFactory" : "managers";
  }
}
