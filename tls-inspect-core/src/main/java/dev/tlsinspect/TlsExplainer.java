package dev.tlsinspect;

import dev.tlsinspect.internal.explain.ExceptionChain;
import dev.tlsinspect.internal.explain.ExplainRules;
import java.util.Objects;

/**
 * Explains a caught exception: which root causes of the diagnosis catalogue it points at, ranked,
 * without contacting anything.
 *
 * <p>The cause chain is followed through wrappers (HTTP clients, Netty, Spring, JDBC drivers,
 * {@code CompletionException}, {@code ExecutionException}, {@code UncheckedIOException}, ...),
 * recognised by class name, so none of those libraries is needed. JDK message variants across JDK
 * 17, 21 and 25 (the {@code (alert_name) } prefix, fixed typos) are normalised first. Exceptions
 * that are not about TLS or the connection give an {@link Explanation} with no candidates.
 *
 * <p>To confirm a candidate against the live endpoint, use
 * {@link TlsInspector#explain(Throwable, Target)}.
 *
 * @since 0.1.0
 */
public final class TlsExplainer {
  private TlsExplainer() {}

  /**
   * Explains an exception and its causes.
   *
   * @param error the exception, as caught
   * @return the explanation; never null, never thrown
   * @throws NullPointerException when error is null
   * @since 0.1.0
   */
  public static Explanation explain(Throwable error) {
    Objects.requireNonNull(error, "error");
    return ExplainRules.explain(ExceptionChain.of(error));
  }

  /**
   * Explains the text of a stack trace (as printed by {@code printStackTrace}, or copied from a
   * log) or of a bare exception message. The first line, the {@code Caused by:} and
   * {@code Suppressed:} lines and lines starting with an exception class are read; stack frames
   * are skipped. Only the first mebibyte is read.
   *
   * @param stackTrace the text
   * @return the explanation; never null, never thrown
   * @throws NullPointerException when stackTrace is null
   * @since 0.1.0
   */
  public static Explanation explain(String stackTrace) {
    Objects.requireNonNull(stackTrace, "stackTrace");
    return ExplainRules.explain(ExceptionChain.parse(stackTrace));
  }
}
