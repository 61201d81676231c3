package dev.tlsinspect.examples;

import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.Verdict;
import java.time.Duration;
import java.util.List;

/**
 * A plain Java startup check: before the application takes traffic, inspect the TLS endpoints
 * it depends on and refuse to start, with one clear message, when one is broken.
 *
 * <pre>{@code
 * StartupCheck.verify(List.of(Target.of("payments.internal", 443), Target.of("db.internal", 5432)));
 * }</pre>
 */
public final class StartupCheck {
  private StartupCheck() {}

  /**
   * Inspects every dependency and throws when any of them fails.
   *
   * @param dependencies the endpoints the application needs
   * @param options how to inspect them (trust material, timeout)
   * @return the reports, one per dependency, when none failed
   * @throws IllegalStateException with one line per broken dependency
   */
  public static List<Report> verify(List<Target> dependencies, InspectOptions options) {
    // --8<-- [start:embedding]
    TlsInspector inspector = TlsInspector.builder().options(options).build();
    List<Report> reports = dependencies.stream().map(inspector::inspect).toList();
    List<Report> failed = reports.stream().filter(r -> r.verdict() == Verdict.FAIL).toList();
    if (!failed.isEmpty()) {
      StringBuilder message = new StringBuilder("TLS to a required dependency is broken:");
      for (Report r : failed) {
        Finding cause = r.rootCauses().isEmpty() ? r.findings().get(0) : r.rootCauses().get(0);
        message.append("\n  ").append(r.target()).append(": ").append(cause.code())
            .append(" - ").append(cause.title()).append("\n    fix: ").append(cause.remediation());
      }
      throw new IllegalStateException(message.toString());
    }
    // --8<-- [end:embedding]
    return reports;
  }

  /**
   * {@link #verify(List, InspectOptions)} with the JVM's trust store and a 5 second budget.
   *
   * @param dependencies the endpoints the application needs
   * @return the reports
   */
  public static List<Report> verify(List<Target> dependencies) {
    return verify(dependencies, InspectOptions.builder().timeout(Duration.ofSeconds(5)).build());
  }
}
