package dev.tlsinspect.check;

import dev.tlsinspect.Code;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a {@link Check} is, machine-readable: the codes it may report, the documents it follows,
 * the release that added it and the inputs it reads. The model is error-prone's
 * {@code @BugPattern} and zlint's per-lint metadata: the catalogue page, the test that every
 * reported code is declared and the test kit's {@code CheckHarness} all read it.
 *
 * <pre>{@code
 * public CheckDescriptor descriptor() {
 *   return CheckDescriptor.builder("acme-short-lived-cert")
 *       .summary("Leaves valid for less than 7 days depend on the daily renewal pipeline")
 *       .codes(ACME_SHORT_LIVED_CERT)
 *       .reference("RFC 5280 §4.1.2.5")
 *       .since("1.4.0")
 *       .needs(CheckDescriptor.Input.PEER_CHAIN)
 *       .build();
 * }
 * }</pre>
 *
 * @param id the check's id, the same as {@link Check#id()}
 * @param summary what the check looks at, one line
 * @param codes the codes the check may report, in a stable order; empty only when the check does
 *     not declare them ({@link #declared()} is then {@code false})
 * @param references the documents the check follows, each one line, for example
 *     {@code RFC 5280 §4.1.2.5}, {@code CVE-2014-3566}, {@code CA/B Forum BR §6.3.2} or
 *     {@code Mozilla Server Side TLS 6.0}
 * @param since the release that added the check, empty when the check does not say
 * @param inputs what the check reads from the {@link CheckContext}
 * @since 0.1.0
 */
public record CheckDescriptor(
    String id,
    String summary,
    List<Code> codes,
    List<String> references,
    Optional<String> since,
    Set<Input> inputs) {
  private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  private static final Pattern RELEASE = Pattern.compile("\\d+\\.\\d+\\.\\d+");

  /**
   * What a check reads from its {@link CheckContext}, so that a reader (and one day the planner)
   * knows which probes it depends on. A set the library owns: it grows with the context.
   *
   * @since 0.1.0
   */
  public enum Input {
    /** {@link CheckContext#outcome()}: how the main handshake ended. */
    MAIN_HANDSHAKE,
    /** The certificate chain of the main handshake's observation. */
    PEER_CHAIN,
    /** {@link CheckContext#trustAnchors()}: the anchors of the options' trust material. */
    TRUST_ANCHORS,
    /** {@link CheckContext#referenceAnchors()}: the reference trust store's anchors. */
    REFERENCE_ANCHORS,
    /** {@link CheckContext#fetched()}: AIA intermediates, OCSP responses and CRLs. */
    FETCHED,
    /** {@link CheckContext#enumeration()}: the versions, suites and groups the server accepts. */
    ENUMERATION,
    /** {@link CheckContext#addressOutcomes()}: the handshake at every address of the name. */
    ADDRESS_OUTCOMES,
    /** {@link CheckContext#withoutSni()} and {@link CheckContext#neutralSni()}. */
    SNI_VARIANTS,
    /** {@link CheckContext#clockReading()}: this machine's clock against a reference. */
    CLOCK_READING,
    /** {@link CheckContext#options()} beyond the clock: policies, client profiles, pins. */
    OPTIONS,
    /** {@link CheckContext#serverFeatures()}: what the extra handshakes learned. */
    SERVER_FEATURES
  }

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   * @throws IllegalArgumentException when the id is blank, the release is malformed, a code is
   *     listed twice or a reference is blank
   */
  public CheckDescriptor {
    Objects.requireNonNull(id, "id");
    // Only non-blank here: a descriptor derived from an older custom check must accept whatever id
    // that check already has. The builder holds declared descriptors to the documented spelling.
    if (id.isBlank()) {
      throw new IllegalArgumentException("a check id must not be blank");
    }
    Objects.requireNonNull(summary, "summary");
    codes = List.copyOf(codes);
    if (new LinkedHashSet<>(codes).size() != codes.size()) {
      throw new IllegalArgumentException("check " + id + " lists a code twice: " + codes);
    }
    references = List.copyOf(references);
    for (String r : references) {
      if (r.isBlank()) {
        throw new IllegalArgumentException("check " + id + " has a blank reference");
      }
    }
    Objects.requireNonNull(since, "since");
    since.ifPresent(s -> {
      if (!RELEASE.matcher(s).matches()) {
        throw new IllegalArgumentException(
            "check " + id + ": since '" + s + "' is not a release such as 0.1.0");
      }
    });
    // An EnumSet keeps the enum's order, so pages and messages list inputs the same way each time.
    inputs = inputs.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(inputs));
  }

  /**
   * Starts a descriptor.
   *
   * @param id the check's id
   * @return the builder
   * @since 0.1.0
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * The descriptor of a check that declares none: its id, a summary made from its class name, and
   * nothing else. What {@link Check#descriptor()} returns unless a check overrides it.
   *
   * @param check the check
   * @return the derived descriptor, with {@link #declared()} {@code false}
   * @since 0.1.0
   */
  public static CheckDescriptor derivedFrom(Check check) {
    String name = check.getClass().getSimpleName();
    String words = name.isEmpty() ? "custom check"
        : name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    return new CheckDescriptor(check.id(), Character.toUpperCase(words.charAt(0))
        + words.substring(1), List.of(), List.of(), Optional.empty(), Set.of());
  }

  /**
   * Whether the check declared the codes it reports; the harness and the catalogue hold only
   * declared descriptors to their codes.
   *
   * @return {@code true} when {@link #codes()} is not empty
   * @since 0.1.0
   */
  public boolean declared() {
    return !codes.isEmpty();
  }

  /**
   * Whether the check declares it may report this code.
   *
   * @param code the code
   * @return {@code true} when declared
   * @since 0.1.0
   */
  public boolean mayReport(Code code) {
    return codes.contains(Objects.requireNonNull(code, "code"));
  }

  /**
   * Builds a {@link CheckDescriptor}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String id;
    private String summary = "";
    private final List<Code> codes = new ArrayList<>();
    private final List<String> references = new ArrayList<>();
    private Optional<String> since = Optional.empty();
    private final Set<Input> inputs = EnumSet.noneOf(Input.class);

    private Builder(String id) {
      this.id = Objects.requireNonNull(id, "id");
    }

    /**
     * What the check looks at, one line.
     *
     * @param value the summary
     * @return this
     */
    public Builder summary(String value) {
      this.summary = Objects.requireNonNull(value, "summary");
      return this;
    }

    /**
     * Adds codes the check may report.
     *
     * @param values the codes
     * @return this
     */
    public Builder codes(Code... values) {
      for (Code c : values) {
        codes.add(Objects.requireNonNull(c, "code"));
      }
      return this;
    }

    /**
     * Adds a document the check follows: an RFC section, a CVE, a CA/B Forum BR section, a
     * guideline and its version.
     *
     * @param value the reference, one line
     * @return this
     */
    public Builder reference(String value) {
      references.add(Objects.requireNonNull(value, "reference"));
      return this;
    }

    /**
     * The release that added the check, for example {@code 0.1.0}.
     *
     * @param value the release
     * @return this
     */
    public Builder since(String value) {
      this.since = Optional.of(Objects.requireNonNull(value, "since"));
      return this;
    }

    /**
     * Adds inputs the check reads.
     *
     * @param values the inputs
     * @return this
     */
    public Builder needs(Input... values) {
      for (Input i : values) {
        inputs.add(Objects.requireNonNull(i, "input"));
      }
      return this;
    }

    /**
     * Builds the descriptor.
     *
     * @return the descriptor
     * @throws IllegalArgumentException when the id is not lower-case letters, digits and single
     *     dashes, or a value is malformed (see the record's constructor)
     */
    public CheckDescriptor build() {
      if (!ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            "check id '" + id + "': use lower-case letters, digits and single dashes");
      }
      return new CheckDescriptor(id, summary, codes, references, since, inputs);
    }
  }
}
