package dev.tlsinspect.examples;

import dev.tlsinspect.Report;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's embedding example, compiled: README.md shows the lines between the {@code readme}
 * markers, and {@code ReadmeSnippetTest} fails when the two differ.
 */
public final class Embedding {
  private static final Logger log = LoggerFactory.getLogger(Embedding.class);

  private Embedding() {}

  /**
   * Inspects one endpoint and logs what is wrong with it.
   *
   * @param target the endpoint, for example {@code Target.of("api.example.com", 443)}
   * @return the report
   */
  public static Report check(Target target) {
    // readme:start
    TlsInspector inspector = TlsInspector.create();
    Report report = inspector.inspect(target); // Target.of("api.example.com", 443)
    if (report.verdict() != Verdict.PASS) {
      log.warn("TLS to {}: {}", target, report.summary()); // FAIL api.example.com:443: CERT_EXPIRED (root cause)
      report.rootCauses().forEach(f -> log.warn("{}: {} Fix: {}", f.code(), f.title(), f.remediation()));
    }
    // readme:end
    return report;
  }
}
