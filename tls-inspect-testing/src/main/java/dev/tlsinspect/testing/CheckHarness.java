package dev.tlsinspect.testing;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Severity;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import dev.tlsinspect.check.CheckDescriptor.Input;
import dev.tlsinspect.probe.ProbeOutcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;

/**
 * Runs one {@link Check} on a hand-built {@link CheckContext} ({@link CheckContexts}) and asserts
 * on its findings, the way error-prone's {@code CompilationTestHelper} runs one bug checker. No
 * network, no inspector: the test says what the probes saw.
 *
 * <pre>{@code
 * CheckHarness harness = CheckHarness.of(new AcmeShortLivedCertCheck());
 * harness.run(CheckContexts.builder().chain(shortLivedLeaf))
 *     .hasFinding(AcmeShortLivedCertCheck.ACME_SHORT_LIVED_CERT)
 *     .hasSeverity(Severity.LOW).hasEvidence("lifetimeHours", 72L);
 * harness.run(CheckContexts.builder().chain(ninetyDayLeaf)).isFine();
 * harness.run(CheckContexts.builder()).isNotApplicable(); // no certificate at all
 * }</pre>
 *
 * <p>Every run also holds the check to its {@link Check#descriptor() descriptor}: a finding whose
 * code the descriptor does not declare fails the test, so running a check's cases is also the
 * test that its descriptor is complete. A check that declares nothing (the derived default
 * descriptor) is not held to codes.
 *
 * <p><em>Fine</em> and <em>not applicable</em> both mean "no findings", and are kept apart by the
 * descriptor's {@linkplain CheckDescriptor#inputs() inputs}: {@link Result#isFine()} also asserts
 * that the context provides every input the check reads (so the check really looked), and
 * {@link Result#isNotApplicable()} that one of them is missing.
 *
 * @since 0.1.0
 */
public final class CheckHarness {
  private final Check check;

  private CheckHarness(Check check) {
    this.check = Objects.requireNonNull(check, "check");
  }

  /**
   * A harness for a check.
   *
   * @param check the check
   * @return the harness
   * @since 0.1.0
   */
  public static CheckHarness of(Check check) {
    return new CheckHarness(check);
  }

  /**
   * A harness for one of the checks every inspector runs ({@link TlsInspector#builtInChecks()}).
   *
   * @param id the check's id, for example {@code hostname}
   * @return the harness
   * @throws IllegalArgumentException for an unknown id; the message lists the known ones
   * @since 0.1.0
   */
  public static CheckHarness builtIn(String id) {
    List<Check> all = TlsInspector.builtInChecks();
    return all.stream().filter(c -> c.id().equals(id)).findFirst().map(CheckHarness::new)
        .orElseThrow(() -> new IllegalArgumentException("no built-in check '" + id + "': use one of "
            + all.stream().map(Check::id).collect(Collectors.joining(", "))));
  }

  /**
   * The check under test.
   *
   * @return the check
   * @since 0.1.0
   */
  public Check check() {
    return check;
  }

  /**
   * Builds the context and runs the check on it.
   *
   * @param context the context's builder
   * @return the result
   * @throws AssertionFailedError when the check reports a code its descriptor does not declare
   * @since 0.1.0
   */
  public Result run(CheckContexts.Builder context) {
    return run(context.build());
  }

  /**
   * Runs the check on a context.
   *
   * @param context the context
   * @return the result
   * @throws AssertionFailedError when the check returns null, its descriptor's id is not its id,
   *     or it reports a code its descriptor does not declare
   * @since 0.1.0
   */
  public Result run(CheckContext context) {
    CheckDescriptor descriptor = check.descriptor();
    if (!descriptor.id().equals(check.id())) {
      throw new AssertionFailedError("the descriptor of " + check.id() + " names the id "
          + descriptor.id(), check.id(), descriptor.id());
    }
    List<Finding> findings = check.evaluate(context);
    if (findings == null) {
      throw new AssertionFailedError(check.id() + " returned null instead of a list");
    }
    Result result = new Result(check, descriptor, context, List.copyOf(findings));
    if (descriptor.declared()) {
      for (Finding f : findings) {
        if (!descriptor.mayReport(f.code())) {
          throw result.failure(check.id() + " reported " + f.code() + ", which its descriptor does "
              + "not declare (declared: " + descriptor.codes() + ")", descriptor.codes(), f.code());
        }
      }
    }
    return result;
  }

  /**
   * The findings of one run, with assertions.
   *
   * @since 0.1.0
   */
  public static final class Result {
    private final Check check;
    private final CheckDescriptor descriptor;
    private final CheckContext context;
    private final List<Finding> findings;

    private Result(Check check, CheckDescriptor descriptor, CheckContext context, List<Finding> findings) {
      this.check = check;
      this.descriptor = descriptor;
      this.context = context;
      this.findings = findings;
    }

    /**
     * The findings, in the check's order.
     *
     * @return the findings
     */
    public List<Finding> findings() {
      return findings;
    }

    /**
     * The check looked and found nothing: no findings, and the context provides every input the
     * descriptor names.
     *
     * @return this
     */
    public Result isFine() {
      requireNoFindings("fine");
      List<Input> missing = missingInputs();
      if (!missing.isEmpty()) {
        throw failure(check.id() + ": no findings, but the context lacks " + missing
            + ", which the check reads: that is 'not applicable', not 'fine'", "every input", missing);
      }
      return this;
    }

    /**
     * The check had nothing to look at: no findings, and the context lacks an input the descriptor
     * names (no certificate, no enumeration, no clock reading, a single address).
     *
     * @return this
     */
    public Result isNotApplicable() {
      requireNoFindings("not applicable");
      if (descriptor.declared() && missingInputs().isEmpty()) {
        throw failure(check.id() + ": no findings, and the context provides every input the check "
            + "reads " + descriptor.inputs() + ": that is 'fine', not 'not applicable'",
            "a missing input", descriptor.inputs());
      }
      return this;
    }

    /**
     * Exactly one finding has this code; continues with assertions on it.
     *
     * @param code the code
     * @return assertions on that finding
     */
    public FindingAssert hasFinding(Code code) {
      List<Finding> matches = findings.stream().filter(f -> f.code().equals(code)).toList();
      if (matches.size() != 1) {
        throw failure("expected one " + code + " finding from " + check.id() + " but got "
            + matches.size(), code, codes());
      }
      return new FindingAssert(this, matches.get(0));
    }

    /**
     * The findings' codes are exactly these, in this order.
     *
     * @param expected the codes
     * @return this
     */
    public Result hasCodes(Code... expected) {
      List<Code> want = Arrays.asList(expected);
      List<Code> actual = findings.stream().map(Finding::code).toList();
      if (!actual.equals(want)) {
        throw failure("expected the codes " + want + " from " + check.id() + " but got " + actual,
            want, actual);
      }
      return this;
    }

    /**
     * No finding has this code.
     *
     * @param code the code
     * @return this
     */
    public Result doesNotHaveFinding(Code code) {
      if (findings.stream().anyMatch(f -> f.code().equals(code))) {
        throw failure("expected no " + code + " finding from " + check.id(), "no " + code, codes());
      }
      return this;
    }

    private void requireNoFindings(String what) {
      if (!findings.isEmpty()) {
        throw failure("expected " + check.id() + " to be " + what + " but it reported "
            + codes(), List.of(), codes());
      }
    }

    /** The inputs the descriptor names that this context does not provide. */
    private List<Input> missingInputs() {
      List<Input> missing = new ArrayList<>();
      for (Input i : descriptor.inputs()) {
        boolean present = switch (i) {
          case MAIN_HANDSHAKE -> !(context.outcome() instanceof ProbeOutcome.Skipped);
          case PEER_CHAIN -> context.observation().map(o -> !o.peerChain().isEmpty()).orElse(false);
          case ENUMERATION -> context.enumeration().filter(e -> !e.acceptedVersions().isEmpty()).isPresent();
          case ADDRESS_OUTCOMES -> context.addressOutcomes().size() > 1;
          case SNI_VARIANTS -> context.withoutSni().isPresent() || context.neutralSni().isPresent();
          case CLOCK_READING -> context.clockReading().isPresent();
          case SERVER_FEATURES -> context.serverFeatures().isPresent();
          // Always there (possibly empty): an empty trust store or no download is still an input.
          case TRUST_ANCHORS, REFERENCE_ANCHORS, FETCHED, OPTIONS -> true;
        };
        if (!present) {
          missing.add(i);
        }
      }
      return missing;
    }

    private List<String> codes() {
      return findings.stream().map(f -> f.code() + " " + f.severity()).toList();
    }

    AssertionFailedError failure(String message, Object expected, Object actual) {
      String all = findings.isEmpty() ? "  (none)" : findings.stream()
          .map(f -> "  " + f.code() + " " + f.severity() + (f.rootCause() ? " root cause" : "")
              + ": " + f.title() + " " + f.evidence())
          .collect(Collectors.joining("\n"));
      return new AssertionFailedError(message + "\nfindings of " + check.id() + " on "
          + context.target() + ":\n" + all, expected, actual);
    }
  }

  /**
   * Assertions on one finding of a run.
   *
   * @since 0.1.0
   */
  public static final class FindingAssert {
    private final Result parent;
    private final Finding finding;

    private FindingAssert(Result parent, Finding finding) {
      this.parent = parent;
      this.finding = finding;
    }

    /**
     * The finding has this severity.
     *
     * @param expected the severity
     * @return this
     */
    public FindingAssert hasSeverity(Severity expected) {
      if (finding.severity() != expected) {
        throw parent.failure(finding.code() + ": expected severity " + expected + " but was "
            + finding.severity(), expected, finding.severity());
      }
      return this;
    }

    /**
     * The finding has this evidence value ({@code Integer}s compare as {@code Long}s).
     *
     * @param key the evidence key
     * @param expected the value
     * @return this
     */
    public FindingAssert hasEvidence(String key, Object expected) {
      Object want = expected instanceof Integer i ? Long.valueOf(i) : expected;
      Object actual = finding.evidence().get(key);
      if (!Objects.equals(want, actual)) {
        throw parent.failure(finding.code() + ": expected evidence " + key + "=" + want + " but was "
            + actual, want, actual);
      }
      return this;
    }

    /**
     * The finding has evidence under this key.
     *
     * @param key the evidence key
     * @return this
     */
    public FindingAssert hasEvidence(String key) {
      if (!finding.evidence().containsKey(key)) {
        throw parent.failure(finding.code() + ": expected evidence '" + key + "' in "
            + finding.evidence().keySet(), key, finding.evidence().keySet());
      }
      return this;
    }

    /**
     * The check marked the finding as a root cause.
     *
     * @return this
     */
    public FindingAssert isRootCause() {
      if (!finding.rootCause()) {
        throw parent.failure(finding.code() + ": expected to be a root cause", true, false);
      }
      return this;
    }

    /**
     * The detail mentions this text.
     *
     * @param text the text
     * @return this
     */
    public FindingAssert detailContains(String text) {
      if (!finding.detail().contains(text)) {
        throw parent.failure(finding.code() + ": expected the detail to contain '" + text + "': "
            + finding.detail(), text, finding.detail());
      }
      return this;
    }

    /**
     * The finding under test.
     *
     * @return the finding
     */
    public Finding finding() {
      return finding;
    }

    /**
     * Back to the run.
     *
     * @return the run's assertions
     */
    public Result and() {
      return parent;
    }
  }
}
