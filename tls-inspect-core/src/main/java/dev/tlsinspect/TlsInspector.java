package dev.tlsinspect;

import dev.tlsinspect.check.Check;
import dev.tlsinspect.internal.explain.Verifier;
import dev.tlsinspect.internal.inspect.BuiltInChecks;
import dev.tlsinspect.internal.inspect.Inspection;
import dev.tlsinspect.probe.HandshakeProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 * <p>{@link #create()} uses the {@link HandshakeProbe} providers found with {@link ServiceLoader},
 * the built-in checks, and every {@link Check} listed in
 * {@code META-INF/services/dev.tlsinspect.check.Check}. With both {@code tls-inspect-jsse} and
 * {@code tls-inspect-bc} on the class path it uses both: a full inspection makes its main
 * handshake with JSSE (what this JVM sees, with its trust store and policy) and enumerates
 * versions, cipher suites, groups and DH parameters with Bouncy Castle, the provider that puts any
 * offer on the wire. With JSSE alone, versions and suites are not enumerated and the report says
 * so ({@code ENUMERATION_UNAVAILABLE}). {@link Builder#provider(String)} or
 * {@link Builder#probe(HandshakeProbe)} pins one provider for everything.
 *
 * @since 0.1.0
 */
public final class TlsInspector {
  private final HandshakeProbe probe;
  /** The provider that enumerates; empty when none on hand makes offers. */
  private final Optional<HandshakeProbe> enumerator;
  private final List<Check> checks;
  private final InspectOptions options;
  /** With the application's TLS objects: the provider they replaced, for the comparison. */
  private final Optional<Inspection.Application> application;

  private TlsInspector(HandshakeProbe probe, Optional<HandshakeProbe> enumerator, List<Check> checks,
      InspectOptions options, Optional<Inspection.Application> application) {
    this.probe = probe;
    this.enumerator = enumerator;
    this.checks = List.copyOf(checks);
    this.options = options;
    this.application = application;
  }

  /**
   * An inspector with default options, the providers found on the class path (both JSSE and
   * Bouncy Castle when both are there) and all checks.
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
    return new Inspection(probe, enumerator, checks, options, application).run(target);
  }

  // --- Many targets (batch scan) ---

  /**
   * Inspects many targets with this inspector's options and the {@linkplain ScanOptions#defaults()
   * default limits}; see {@link #inspectAll(Iterable, ScanOptions, java.util.function.Consumer)}.
   *
   * @param targets the endpoints, read lazily
   * @param each receives each report as it finishes, one call at a time
   * @since 0.1.0
   */
  public void inspectAll(Iterable<? extends Target> targets, java.util.function.Consumer<? super Report> each) {
    inspectAll(targets, ScanOptions.defaults(), each);
  }

  /**
   * Inspects many targets with this inspector's options, streaming: the targets are read lazily
   * (a file of 100,000 lines is never held in memory), at most {@link ScanOptions#concurrency()}
   * inspections run at once and at most {@link ScanOptions#perHost()} against one host, starts
   * follow the {@linkplain ScanOptions#rate() rate} and {@linkplain ScanOptions#delay() delay},
   * and each report goes to {@code each} as soon as its inspection ends (so in the order they
   * finish, not the order of the targets), one call at a time. Returns when every target has
   * been inspected. Each inspection keeps its own deadline, so a silent endpoint holds one slot
   * for at most its timeout and delays no other.
   *
   * <p>Inspections run on virtual threads on Java 21 and later, on daemon platform threads (one
   * per slot) before.
   *
   * <pre>{@code
   * try (Stream<String> lines = Files.lines(Path.of("targets.txt"))) {
   *   inspector.inspectAll(lines.map(Target::parse)::iterator,
   *       ScanOptions.builder().concurrency(32).perHost(2).build(),
   *       report -> System.out.println(report.summary()));
   * }
   * }</pre>
   *
   * @param targets the endpoints, read lazily
   * @param limits concurrency, per-host limit, rate and delay
   * @param each receives each report as it finishes, one call at a time
   * @throws RuntimeException what the targets' iterator or {@code each} threw: no new inspection
   *     starts, the running ones are waited for (their reports are dropped), then it is rethrown.
   *     An interrupt likewise stops the run, which returns with the interrupt flag set
   * @since 0.1.0
   */
  public void inspectAll(Iterable<? extends Target> targets, ScanOptions limits,
      java.util.function.Consumer<? super Report> each) {
    Objects.requireNonNull(targets, "targets");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(each, "each");
    new dev.tlsinspect.internal.inspect.Batch(limits, this::inspect).run(targets.iterator(), each);
  }

  // --- end of many targets ---

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
   * <p>When the inspection leaves only HANDSHAKE_FAILED (the handshake failed and nothing named
   * why) without having enumerated, for example with {@linkplain InspectOptions#quick() quick}
   * options, and a provider that enumerates is on hand, the endpoint is inspected once more in
   * full, so that the enumeration can name the specific cause (LOCAL_CIPHER_DISABLED,
   * LOCAL_PROTOCOL_DISABLED, WEAK_DH, ...).
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
    Report report = inspect(target);
    if (options.quick() && enumerator.isPresent() && onlyHandshakeFailed(report)) {
      report = inspect(target, options.toBuilder().quick(false).build());
    }
    return Verifier.verify(explanation, report);
  }

  /** The failure has no name yet: HANDSHAKE_FAILED is its only root cause. */
  private static boolean onlyHandshakeFailed(Report report) {
    List<Finding> roots = report.rootCauses();
    return !roots.isEmpty() && roots.stream().allMatch(f -> f.code().equals(Code.HANDSHAKE_FAILED));
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
   * The provider's name, for example {@code jsse}; {@code jsse+bc} when the main handshake and
   * the enumeration use different providers (the main one first). The same name is in
   * {@link Report#provider()}.
   *
   * @return the name
   * @since 0.1.0
   */
  public String providerName() {
    return Inspection.providerName(probe, enumerator);
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
    private String providerName;
    private final List<Check> extraChecks = new ArrayList<>();
    private InspectOptions options = InspectOptions.defaults();
    private boolean loadServiceChecks = true;
    private Optional<ClientTls> clientTls = Optional.empty();

    private Builder() {}

    /**
     * Makes the main handshake with the application's own TLS objects ({@link ClientTls}): its
     * {@code SSLContext}, socket factory, or trust and key managers, so that the report (and
     * {@link TlsInspector#explain(Throwable, Target)}) judges exactly the application's client. The
     * enumeration and the checks run as without it. Needs the JSSE provider
     * ({@code tls-inspect-jsse}) as the main provider.
     *
     * @param value the application's objects
     * @return this builder
     * @since 0.1.0
     */
    public Builder clientTls(ClientTls value) {
      this.clientTls = Optional.of(Objects.requireNonNull(value, "clientTls"));
      return this;
    }

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
     * Pins this provider for everything: the main handshake and, when it
     * {@linkplain HandshakeProbe#makesOffers() makes offers}, the enumeration. Without it (and
     * without {@link #provider(String)}) the inspector uses the providers found with
     * {@link ServiceLoader}: JSSE for the main handshake and Bouncy Castle for the enumeration
     * when both are there.
     *
     * @param value the provider
     * @return this builder
     */
    public Builder probe(HandshakeProbe value) {
      this.probe = Objects.requireNonNull(value, "probe");
      this.providerName = null;
      return this;
    }

    /**
     * Pins the provider of this name, found with {@link ServiceLoader}, for everything, as
     * {@link #probe(HandshakeProbe)} does: {@code jsse} (module {@code tls-inspect-jsse}: what
     * this JVM sees, no enumeration) or {@code bc} (module {@code tls-inspect-bc}: every
     * handshake with Bouncy Castle).
     *
     * @param name the provider's name
     * @return this builder
     * @since 0.1.0
     */
    public Builder provider(String name) {
      this.providerName = Objects.requireNonNull(name, "name");
      this.probe = null;
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
     * @throws IllegalStateException when no provider was given and none is on the class path, or
     *     the provider named with {@link #provider(String)} is not
     */
    public TlsInspector build() {
      HandshakeProbe p;
      Optional<HandshakeProbe> e;
      if (probe != null || providerName != null) {
        p = probe != null ? probe : findProbe(providerName);
        e = p.makesOffers() ? Optional.of(p) : Optional.empty();
      } else {
        List<HandshakeProbe> found = new ArrayList<>();
        ServiceLoader.load(HandshakeProbe.class, TlsInspector.class.getClassLoader()).forEach(found::add);
        if (found.isEmpty()) {
          throw new IllegalStateException("no HandshakeProbe provider on the class path: add the "
              + "dependency dev.tlsinspect:tls-inspect-jsse (and dev.tlsinspect:tls-inspect-bc to "
              + "enumerate versions and cipher suites)");
        }
        // JSSE for the main handshake: it is what the application's own connections use.
        p = found.stream().filter(x -> "jsse".equals(x.name())).findFirst().orElse(found.get(0));
        e = p.makesOffers() ? Optional.of(p)
            : found.stream().filter(HandshakeProbe::makesOffers).findFirst();
      }
      List<Check> all = new ArrayList<>(BuiltInChecks.all());
      if (loadServiceChecks) {
        for (Check c : ServiceLoader.load(Check.class, TlsInspector.class.getClassLoader())) {
          all.add(c);
        }
      }
      all.addAll(extraChecks);
      Optional<Inspection.Application> app = Optional.empty();
      if (clientTls.isPresent()) {
        HandshakeProbe reference = p;
        p = reference.withClientTls(clientTls.get()).orElseThrow(() -> new IllegalStateException(
            "the " + reference.name() + " provider cannot make its handshake with the application's "
                + "TLS objects: use the jsse provider (dev.tlsinspect:tls-inspect-jsse) for the main "
                + "handshake"));
        app = Optional.of(new Inspection.Application(clientTls.get(), reference));
      }
      return new TlsInspector(p, e, all, options, app);
    }

    private static HandshakeProbe findProbe(String name) {
      for (HandshakeProbe p : ServiceLoader.load(HandshakeProbe.class, TlsInspector.class.getClassLoader())) {
        if (name.equals(p.name())) {
          return p;
        }
      }
      String module = switch (name) {
        case "jsse" -> "dev.tlsinspect:tls-inspect-jsse";
        case "bc" -> "dev.tlsinspect:tls-inspect-bc";
        default -> "the module that provides it";
      };
      throw new IllegalStateException("no HandshakeProbe provider named '" + name
          + "' on the class path: add the dependency " + module);
    }
  }
}
