package dev.tlsinspect.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Prints the startup gate's refusal as one readable block instead of a stack trace.
 *
 * @since 0.1.0
 */
public final class TlsStartupFailureAnalyzer extends AbstractFailureAnalyzer<TlsStartupException> {
  /** Created by Spring Boot from {@code META-INF/spring.factories}. */
  public TlsStartupFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, TlsStartupException cause) {
    return new FailureAnalysis(cause.getMessage(),
        "Fix the endpoints named above, or set tls-inspect.fail-on-startup=false to start anyway"
            + " (health then reports them).",
        cause);
  }
}
