package dev.tlsinspect.cli;

import dev.tlsinspect.CertificateInfo;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The answer of {@code /probe}: one report as Prometheus metrics, built in a registry of its own
 * with the Prometheus Java client and written by its text format writer. Label values are bounded:
 * finding and root-cause codes (the catalogue's and custom checks' codes, never free text),
 * severities, verdicts, and the TLS version from a fixed set.
 */
final class ProbeMetrics {
  static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
  private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();
  private static final Set<String> VERSIONS = Set.of("SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

  private ProbeMetrics() {}

  /** Whether the main handshake completed and nothing explains a failure: blackbox's probe_success. */
  static boolean success(Report report) {
    return !report.outcomes().isEmpty() && report.outcomes().get(0) instanceof ProbeOutcome.Completed
        && report.rootCauses().isEmpty();
  }

  static byte[] render(Report report, Instant checkedAt, Duration took) {
    PrometheusRegistry registry = new PrometheusRegistry();
    gauge(registry, "tlsinspect_probe_success",
        "1 when the handshake completed and no finding is a root cause of failure").set(success(report) ? 1 : 0);
    Gauge verdict = Gauge.builder().name("tlsinspect_verdict")
        .help("The report's verdict: 1 for the current one, 0 for the others").labelNames("verdict")
        .register(registry);
    for (Verdict v : Verdict.values()) {
      verdict.labelValues(v.name()).set(v == report.verdict() ? 1 : 0);
    }
    gauge(registry, "tlsinspect_probe_duration_seconds", "How long the inspection took")
        .set(took.toNanos() / 1e9);
    gauge(registry, "tlsinspect_last_checked_timestamp_seconds", "When the inspection ran (Unix time)")
        .set(checkedAt.toEpochMilli() / 1000.0);
    gauge(registry, "tlsinspect_handshake_seconds", "How long the main TLS handshake took")
        .set(report.timings().handshakeMillis() / 1000.0);

    if (!report.certificateChain().isEmpty()) {
      CertificateInfo leaf = report.certificateChain().get(0);
      gauge(registry, "tlsinspect_leaf_not_after_timestamp_seconds", "When the leaf certificate expires (Unix time)")
          .set(leaf.notAfter().getEpochSecond());
      Instant earliest = report.certificateChain().stream().map(CertificateInfo::notAfter)
          .min(Instant::compareTo).orElseThrow();
      gauge(registry, "tlsinspect_chain_not_after_timestamp_seconds",
          "When the first certificate of the chain as sent expires (Unix time)").set(earliest.getEpochSecond());
      gauge(registry, "tlsinspect_leaf_days_left", "Days until the leaf certificate expires (negative: expired)")
          .set(Duration.between(checkedAt, leaf.notAfter()).toSeconds() / 86400.0);
    }
    Optional<String> version = report.outcomes().isEmpty() ? Optional.empty()
        : report.outcomes().get(0).observation().flatMap(Observation::version).map(Object::toString);
    if (version.isPresent()) {
      Info info = Info.builder().name("tlsinspect_tls_version")
          .help("The TLS version negotiated by the main handshake").labelNames("version").register(registry);
      info.setLabelValues(VERSIONS.contains(version.get()) ? version.get() : "other");
    }

    // One series per code (a code found at two addresses is one series, at its worst severity).
    Map<String, Severity> worst = new LinkedHashMap<>();
    Map<String, Boolean> root = new LinkedHashMap<>();
    for (Finding f : report.findings()) {
      worst.merge(f.code().name(), f.severity(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
      if (f.rootCause()) {
        root.put(f.code().name(), true);
      }
    }
    Gauge finding = Gauge.builder().name("tlsinspect_finding")
        .help("1 for each finding code of the report, labelled with its severity")
        .labelNames("code", "severity").register(registry);
    worst.forEach((code, severity) -> finding.labelValues(code, severity.name()).set(1));
    Gauge rootCause = Gauge.builder().name("tlsinspect_root_cause")
        .help("1 for each finding code that is a root cause of a failed handshake").labelNames("code")
        .register(registry);
    root.keySet().forEach(code -> rootCause.labelValues(code).set(1));
    gauge(registry, "tlsinspect_root_causes", "How many root causes the report names").set(root.size());

    ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
    try {
      WRITER.write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static Gauge gauge(PrometheusRegistry registry, String name, String help) {
    return Gauge.builder().name(name).help(help).register(registry);
  }
}
