package dev.tlsinspect;

import dev.tlsinspect.check.Check;
import dev.tlsinspect.internal.explain.Verifier;
import dev.tlsinspect.internal.inspect.BuiltInChecks;
import dev.tlsinspect.internal.inspect.Inspection;
import dev.tlsinspect.probe.HandshakeProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Inspects TLS endpoints: runs the probes and checks under one deadline and returns a
 * {@link Report}. Thread-safe and reusable; it holds no connections between calls.
 *
 * <pre>{@code
 * TlsInspector inspector = TlsInspector.create();
 * Report report = inspector.inspect(Target.of("api.example.com", 443));
 * if (report.verdict() == Verdict.FAIL) {
 *   log.error("TLS to api.example.com is broken: {}", report.summary());
 * }
 * }</pre>
 *
 * <p>{@link #create()} uses the first {@link HandshakeProbe} found with {@link ServiceLoader}
 * (preferring {@code jsse}), the built-in checks, and every {@link Check} listed in
 * {@code META-INF/services/dev.tlsinspect.check.Check}.
 *
 * @since 0.1.0
 */
public final class TlsInspector {
  private final HandshakeProbe probe;
  private final List<Check> checks;
  private final InspectOptions options;

  private TlsInspector(HandshakeProbe probe, List<Check> checks, InspectOptions options) {
    this.probe = probe;
    this.checks = List.copyOf(checks);
    this.options = options;
  }

  /**
   * An inspector with default options, the provider found on the class path and all checks.
   *
   * @return the inspector
   * @throws IllegalStateException when no {@link HandshakeProbe} provider is on the class path
   * @since 0.1.0
   */
  public static TlsInspector create() {
    return builder().build();
  }

  /**
   * Starts an inspector with chosen options, provider or extra checks.
   *
   * @return a builder
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Inspects a target with this inspector's options.
   *
   * @param target the endpoint
   * @return the report; failures of the endpoint are findings, never exceptions
   * @since 0.1.0
   */
  public Report inspect(Target target) {
    return inspect(target, options);
  }

  /**
   * Inspects a target with other options.
   *
   * @param target the endpoint
   * @param options the options for this inspection
   * @return the report; failures of the endpoint are findings, never exceptions
   * @since 0.1.0
   */
  public Report inspect(Target target, InspectOptions options) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(options, "options");
    return new Inspection(probe, checks, options).run(target);
  }

  /**
   * Explains a caught exception and confirms it against the live endpoint: the candidates of
   * {@link TlsExplainer#explain(Throwable)}, then an inspection of the target with this
   * inspector's provider and options, and the candidate the inspection confirms.
   *
   * <pre>{@code
   * } catch (SSLHandshakeException e) {
   *   Explanation why = TlsInspector.create().explain(e, Target.of("api.example.com", 443));
   *   why.verification().flatMap(Explanation.Verification::confirmed)
   *       .ifPresent(code -> log.error("TLS to api.example.com fails: {}", code));
   * }
   * }</pre>
   *
   * @param error the exception, as caught
   * @param target the endpoint the failing connection went to
   * @return the explanation with its verification; an exception that is not recognised is not
   *     verified (no inspection is made) and has no verification
   * @since 0.1.0
   */
  public Explanation explain(Throwable error, Target target) {
    return verify(TlsExplainer.explain(error), target);
  }

  /**
   * Confirms an explanation (for example of a stack trace's text) against the live endpoint.
   *
   * @param explanation the explanation to confirm
   * @param target the endpoint the failing connection went to
   * @return the explanation with its verification; unchanged when it has no candidates
   * @since 0.1.0
   */
  public Explanation verify(Explanation explanation, Target target) {
    Objects.requireNonNull(explanation, "explanation");
    Objects.requireNonNull(target, "target");
    if (!explanation.recognised()) {
      return explanation;
    }
    return Verifier.verify(explanation, inspect(target));
  }

  /**
   * The options {@link #inspect(Target)} uses.
   *
   * @return the options
   * @since 0.1.0
   */
  public InspectOptions options() {
    return options;
  }

  /**
   * The provider's name, for example {@code jsse}.
   *
   * @return the name
   * @since 0.1.0
   */
  public String providerName() {
    return probe.name();
  }

  /**
   * The ids of the checks this inspector runs, in order.
   *
   * @return the ids
   * @since 0.1.0
   */
  public List<String> checkIds() {
    return checks.stream().map(Check::id).toList();
  }

  /**
   * The checks every inspector runs before its own, in order: new instances, so that a test (for
   * example with the test kit's {@code CheckHarness}) or a tool can run one alone and read its
   * {@link Check#descriptor() descriptor} without reaching into the implementation classes.
   *
   * @return the built-in checks
   * @since 0.1.0
   */
  public static List<Check> builtInChecks() {
    return BuiltInChecks.all();
  }

  /**
   * Builds a {@link TlsInspector}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private HandshakeProbe probe;
    private final List<Check> extraChecks = new ArrayList<>();
    private InspectOptions options = InspectOptions.defaults();
    private boolean loadServiceChecks = true;

    private Builder() {}

    /**
     * The options {@link TlsInspector#inspect(Target)} uses.
     *
     * @param value the options
     * @return this builder
     */
    public Builder options(InspectOptions value) {
      this.options = Objects.requireNonNull(value, "options");
      return this;
    }

    /**
     * The provider to probe with, instead of the one found with {@link ServiceLoader}.
     *
     * @param value the provider
     * @return this builder
     */
    public Builder probe(HandshakeProbe value) {
      this.probe = Objects.requireNonNull(value, "probe");
      return this;
    }

    /**
     * Adds a check, run after the built-in ones.
     *
     * @param check the check
     * @return this builder
     */
    public Builder addCheck(Check check) {
      extraChecks.add(Objects.requireNonNull(check, "check"));
      return this;
    }

    /**
     * Whether to add the checks listed in {@code META-INF/services} (default {@code true}).
     *
     * @param value whether to load them
     * @return this builder
     */
    public Builder serviceLoaderChecks(boolean value) {
      this.loadServiceChecks = value;
      return this;
    }

    /**
     * Builds the inspector.
     *
     * @return the inspector
     * @throws IllegalStateException when no provider was given and none is on the class path
     */
    public TlsInspector build() {
      HandshakeProbe p = probe != null ? probe : findProbe();
      List<Check> all = new ArrayList<>(BuiltInChecks.all());
      if (loadServiceChecks) {
        for (Check c : ServiceLoader.load(Check.class, TlsInspector.class.getClassLoader())) {
          all.add(c);
        }
      }
      all.addAll(extraChecks);
      return new TlsInspector(p, all, options);
    }

    private static HandshakeProbe findProbe() {
      HandshakeProbe first = null;
      for (HandshakeProbe p : ServiceLoader.load(HandshakeProbe.class, TlsInspector.class.getClassLoader())) {
        if ("jsse".equals(p.name())) {
          return p;
        }
        if (first == null) {
          first = p;
        }
      }
      if (first == null) {
        throw new IllegalStateException(
            "no HandshakeProbe provider on the class path: add the dependency dev.tlsinspect:tls-inspect-jsse");
      }
      return first;
    }
  }
}
