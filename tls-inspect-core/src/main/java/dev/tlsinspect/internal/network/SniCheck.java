package dev.tlsinspect.internal.network;

import dev.tlsinspect.CertificateInfo;
import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Severity;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import dev.tlsinspect.internal.cert.Certs;
import dev.tlsinspect.internal.cert.HostnameMatcher;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SNI_REQUIRED and SNI_FILTERED, from the extra handshakes a full inspection makes on the main
 * address (without SNI, and with a neutral name under {@code .invalid}):
 * <ul>
 *   <li>SNI_REQUIRED: with SNI the server answers with its certificate, without SNI the handshake
 *       fails or another certificate comes back (the default certificate, reported as evidence);
 *   <li>SNI_FILTERED: with the real name the connection is cut off (reset, closed, timed out)
 *       while a neutral name or no SNI gets a TLS answer: something on the path reads the name.
 * </ul>
 */
public final class SniCheck implements Check {

  @Override
  public String id() {
    return "sni";
  }

  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder("sni")
        .summary("Whether the server needs SNI, and whether the path cuts off this server name but not a neutral one")
        .codes(Code.SNI_REQUIRED, Code.SNI_FILTERED)
        .reference("RFC 6066 §3")
        .since("0.1.0")
        .needs(CheckDescriptor.Input.MAIN_HANDSHAKE, CheckDescriptor.Input.SNI_VARIANTS)
        .build();
  }

  /** Failures that look like the path cut the connection rather than the server refusing. */
  public static boolean cutOff(FailureKind kind) {
    return kind == FailureKind.CONNECTION_RESET || kind == FailureKind.HANDSHAKE_TIMEOUT;
  }

  /** The server spoke TLS: it chose parameters, sent a certificate or an alert. */
  private static boolean answeredTls(ProbeOutcome o) {
    if (o instanceof ProbeOutcome.Completed) {
      return true;
    }
    return o instanceof ProbeOutcome.Failed f && (f.failure().kind() == FailureKind.ALERT_RECEIVED
        || f.failure().kind() == FailureKind.CERTIFICATE_REJECTED
        || f.failure().kind() == FailureKind.LOCAL_POLICY
        || f.seen().version().isPresent() || !f.seen().peerChain().isEmpty());
  }

  @Override
  public List<Finding> evaluate(CheckContext ctx) {
    Optional<String> name = ctx.target().sni();
    if (name.isEmpty()) {
      return List.of();
    }
    List<Finding> out = new ArrayList<>();
    ProbeOutcome main = ctx.outcome();
    if (main instanceof ProbeOutcome.Failed failed && cutOff(failed.failure().kind())) {
      filtered(ctx, name.get(), failed.failure()).ifPresent(out::add);
    } else if (ctx.withoutSni().isPresent() && (main instanceof ProbeOutcome.Completed
        || (main instanceof ProbeOutcome.Failed f && f.failure().kind() == FailureKind.CERTIFICATE_REJECTED))) {
      required(ctx, name.get(), ctx.withoutSni().get()).ifPresent(out::add);
    }
    return out;
  }

  private static Optional<Finding> filtered(CheckContext ctx, String name, Failure failure) {
    Optional<ProbeOutcome> neutral = ctx.neutralSni().filter(SniCheck::answeredTls);
    Optional<ProbeOutcome> bare = ctx.withoutSni().filter(SniCheck::answeredTls);
    if (neutral.isEmpty() && bare.isEmpty()) {
      return Optional.empty(); // cut off whatever the name: the server or the port, not the name
    }
    String how = failure.kind() == FailureKind.HANDSHAKE_TIMEOUT ? "goes unanswered" : "is cut off";
    String neutralName = ctx.neutralSni().flatMap(ProbeOutcome::observation).flatMap(Observation::sniSent)
        .orElse("a neutral name");
    List<String> others = new ArrayList<>();
    neutral.ifPresent(o -> others.add("with " + neutralName + " in SNI: " + result(o)));
    bare.ifPresent(o -> others.add("without SNI: " + result(o)));
    Finding.Builder b = Finding.builder(Code.SNI_FILTERED)
        .rootCause(true)
        .title("The connection " + how + " when SNI names " + name + ", not for a neutral name")
        .detail("With " + name + " in SNI the connection " + how + " " + failure.stage().orElse("")
            + " (" + failure.kind() + ": " + failure.message() + "), while the same address answers "
            + "with TLS " + String.join(" and ", others) + ". Something between this host and the "
            + "server reads the server name in the ClientHello and blocks it.")
        .remediation("Look for name-based filtering on the path: an egress firewall or proxy with "
            + "domain or category rules (allow " + name + "), an IPS or DLP appliance, or a national "
            + "filter. Compare from another network; the server's own logs will not show these "
            + "connections.")
        .evidence("sni", name)
        .evidence("failure", failure.kind().name());
    failure.stage().ifPresent(s -> b.evidence("stage", s));
    ctx.neutralSni().ifPresent(o -> b.evidence("neutralName", neutralName).evidence("withNeutralName", result(o)));
    ctx.withoutSni().ifPresent(o -> b.evidence("withoutSni", result(o)));
    return Optional.of(b.build());
  }

  private static Optional<Finding> required(CheckContext ctx, String name, ProbeOutcome bare) {
    Optional<X509Certificate> withName = ctx.observation().flatMap(Observation::leaf);
    Optional<X509Certificate> fallback = bare.observation().flatMap(Observation::leaf);
    String host = ctx.target().host();
    Map<String, Object> defaultCert = new LinkedHashMap<>();
    fallback.ifPresent(c -> {
      defaultCert.put("defaultCertificateSubject", c.getSubjectX500Principal().getName());
      defaultCert.put("defaultCertificateNames", Certs.dnsAndIpNames(c));
      defaultCert.put("defaultCertificateSha256", CertificateInfo.fingerprint(c));
    });
    Finding.Builder b;
    if (fallback.isEmpty() && bare instanceof ProbeOutcome.Failed f && refusal(f.failure().kind())) {
      Failure failure = f.failure();
      b = Finding.builder(Code.SNI_REQUIRED)
          .title("The handshake fails without SNI")
          .detail("With " + name + " in SNI the server answers, without SNI it fails: " + failure.kind()
              + failure.alert().map(a -> " (" + a.name() + " alert)").orElse("") + ": "
              + failure.message() + ". The server has no default certificate for clients that send "
              + "no server name.")
          .remediation("Clients that send no SNI cannot connect: very old ones (Java 6, Android 2.x, "
              + "Windows XP), and tools or health checks that connect by IP address. If they matter, "
              + "configure a default certificate (nginx: 'default_server' with a certificate for "
              + host + "; HAProxy: the first 'crt'); else make sure every client sends SNI.")
          .evidence("withoutSni", result(bare));
      failure.alert().ifPresent(a -> b.evidence("alertWithoutSni", a.name()));
    } else if (fallback.isPresent() && withName.isPresent()
        && !CertificateInfo.fingerprint(fallback.get()).equals(CertificateInfo.fingerprint(withName.get()))) {
      X509Certificate c = fallback.get();
      boolean covers = covers(c, host);
      b = Finding.builder(Code.SNI_REQUIRED)
          .title(covers ? "Without SNI the server shows another certificate, which also covers " + host
              : "Without SNI the server shows another certificate, not valid for " + host)
          .detail("With " + name + " in SNI the server sends " + Certs.describe(withName.get())
              + "; without SNI it sends its default certificate " + Certs.describe(c) + ", which covers "
              + (Certs.dnsAndIpNames(c).isEmpty() ? "no DNS or IP name" : String.join(", ", Certs.dnsAndIpNames(c)))
              + ".")
          .remediation(covers
              ? "Nothing to do for clients that send SNI. Keep both certificates renewed: clients "
                  + "without SNI (very old ones, IP-based health checks) get the default one."
              : "Clients that send no SNI (very old ones, and tools or health checks that connect by IP "
                  + "address) get a certificate for another name and fail with a name mismatch. If they "
                  + "matter, make the certificate for " + host + " the default one (nginx: "
                  + "'default_server'); else make sure every client sends SNI.")
          .evidence("withoutSni", result(bare));
      if (covers) {
        b.severity(Severity.INFO);
      }
    } else {
      return Optional.empty();
    }
    // The catalogue's HIGH is for a client that sends no SNI. This inspection sent it and got
    // through, so only clients without SNI are affected: worth fixing, not a failure of this
    // client (nearly every multi-tenant server would otherwise fail).
    if (!fallbackCovers(fallback, host)) {
      b.severity(Severity.LOW);
    }
    b.evidence("sni", name);
    defaultCert.forEach(b::evidence);
    return Optional.of(b.build());
  }

  private static boolean fallbackCovers(Optional<X509Certificate> fallback, String host) {
    return fallback.isPresent() && covers(fallback.get(), host);
  }

  /*
   * How servers without a default certificate turn a client away. A timeout is left out: the extra
   * handshake runs on what is left of the deadline, so it may say more about the budget than
   * about the server.
   */
  private static boolean refusal(FailureKind kind) {
    return kind == FailureKind.ALERT_RECEIVED || kind == FailureKind.CONNECTION_RESET
        || kind == FailureKind.PROTOCOL_ERROR;
  }

  private static boolean covers(X509Certificate cert, String host) {
    return Certs.dnsAndIpNames(cert).stream()
        .anyMatch(n -> n.startsWith("DNS:") && HostnameMatcher.matchesDns(n.substring(4), host));
  }

  private static String result(ProbeOutcome o) {
    if (o instanceof ProbeOutcome.Completed c) {
      return "completed" + c.seen().version().map(v -> " " + v).orElse("");
    }
    if (o instanceof ProbeOutcome.Failed f) {
      return f.failure().kind().name() + f.failure().alert().map(a -> " (" + a.name() + ")").orElse("")
          + f.failure().stage().map(s -> " " + s).orElse("");
    }
    return "skipped: " + ((ProbeOutcome.Skipped) o).reason();
  }

  /*
   * A reset or timeout that SNI_FILTERED explains is a symptom: it stays in the report, pointing
   * at the filter, but it is not the root cause.
   */
  public static List<Finding> preferFiltering(List<Finding> findings) {
    if (findings.stream().noneMatch(f -> f.code().equals(Code.SNI_FILTERED))) {
      return findings;
    }
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings) {
      if (f.rootCause() && (f.code().equals(Code.CONNECTION_RESET) || f.code().equals(Code.HANDSHAKE_TIMEOUT))) {
        Map<String, Object> evidence = new LinkedHashMap<>(f.evidence());
        evidence.put("explainedBy", Code.SNI_FILTERED.name());
        f = new Finding(f.code(), f.severity(), false, f.title(), f.detail(), f.remediation(), evidence);
      }
      out.add(f);
    }
    return out;
  }
}
