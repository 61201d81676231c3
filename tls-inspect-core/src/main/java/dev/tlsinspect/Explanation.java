package dev.tlsinspect;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caught exception (or its stack-trace text) says about a TLS or connection failure: the
 * cause chain as read, and the candidate root causes ranked from most to least likely, each with
 * the message that matched and what tells it apart from the others.
 *
 * <p>An exception that is not about TLS or the connection (a {@code NullPointerException}, a
 * missing file) gives no candidates: {@link #recognised()} is {@code false}, never a guess.
 *
 * <pre>{@code
 * try {
 *   client.send(request, BodyHandlers.ofString());
 * } catch (IOException e) {
 *   Explanation why = TlsExplainer.explain(e);
 *   log.error("{}", why.summary());               // "Likely CHAIN_INCOMPLETE, ..."
 *   why.candidates().forEach(c -> log.info("{} {}: {}", c.confidence(), c.code(), c.confirm()));
 * }
 * }</pre>
 *
 * <p>With a target, {@link TlsInspector#explain(Throwable, Target)} also inspects the endpoint and
 * fills {@link #verification()} with the candidate the live inspection confirms.
 *
 * @param summary one line: the most likely root cause, or why nothing was recognised
 * @param chain the exception and its causes as read, outermost first (wrappers included)
 * @param candidates the candidate root causes, most likely first; empty when not recognised
 * @param verification the live inspection's verdict on the candidates, when a target was given
 * @since 0.1.0
 */
@JsonPropertyOrder({"recognised", "summary", "candidates", "chain", "verification"})
public record Explanation(
    String summary,
    List<Cause> chain,
    List<Candidate> candidates,
    Optional<Verification> verification) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   */
  public Explanation {
    Objects.requireNonNull(summary, "summary");
    chain = List.copyOf(chain);
    candidates = List.copyOf(candidates);
    Objects.requireNonNull(verification, "verification");
  }

  /**
   * Whether anything in the exception was recognised as a TLS or connection failure.
   *
   * @return {@code true} when there is at least one candidate
   * @since 0.1.0
   */
  @JsonProperty("recognised")
  public boolean recognised() {
    return !candidates.isEmpty();
  }

  /**
   * The most likely candidate.
   *
   * @return the first candidate, or empty when not recognised
   * @since 0.1.0
   */
  public Optional<Candidate> mostLikely() {
    return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(0));
  }

  /**
   * The codes of the candidates, most likely first.
   *
   * @return the codes
   * @since 0.1.0
   */
  public List<Code> candidateCodes() {
    return candidates.stream().map(Candidate::code).toList();
  }

  /**
   * A copy with a verification.
   *
   * @param value the verification
   * @return the copy
   * @since 0.1.0
   */
  public Explanation withVerification(Verification value) {
    return new Explanation(summary, chain, candidates, Optional.of(value));
  }

  /**
   * How likely a candidate is, given only the exception. The set is owned by tls-inspect.
   *
   * @since 0.1.0
   */
  public enum Confidence {
    /** The message names this cause, or nearly only this cause produces it. */
    HIGH,
    /** One of a few usual causes of this message. */
    MEDIUM,
    /** Possible, less common. */
    LOW
  }

  /**
   * One element of the cause chain.
   *
   * @param type the exception's class name as given (fully qualified when known)
   * @param message the message, with the JDK's {@code (alert_name) } prefix removed
   * @param wrapper whether the type is a known wrapper (HTTP clients, Netty, Spring, JDBC,
   *     {@code CompletionException}, ...) that only carries the real error
   * @since 0.1.0
   */
  public record Cause(String type, String message, boolean wrapper) {
    /**
     * Validates.
     *
     * @throws NullPointerException when a component is null
     */
    public Cause {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * One candidate root cause.
   *
   * @param code the catalogue code it corresponds to
   * @param confidence how likely it is, from the exception alone
   * @param why why the exception points here, naming the message that matched
   * @param confirm what tells this candidate apart from the others: the check or probe that
   *     confirms it, in words
   * @param matched the text that matched, as read from the chain (at most 300 characters)
   * @since 0.1.0
   */
  public record Candidate(Code code, Confidence confidence, String why, String confirm, String matched) {
    /**
     * Validates.
     *
     * @throws NullPointerException when a component is null
     */
    public Candidate {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(confidence, "confidence");
      Objects.requireNonNull(why, "why");
      Objects.requireNonNull(confirm, "confirm");
      Objects.requireNonNull(matched, "matched");
    }
  }

  /**
   * What a live inspection of the endpoint said about the candidates.
   *
   * @param status whether a candidate was confirmed, and how
   * @param confirmed the confirmed candidate's code, or empty
   * @param inspectionRootCauses the root causes the inspection itself reported (empty when the
   *     handshake completed)
   * @param summary one line for people
   * @param report the inspection's report; when a candidate was confirmed, its finding is marked
   *     as root cause
   * @since 0.1.0
   */
  public record Verification(
      Status status,
      Optional<Code> confirmed,
      List<Code> inspectionRootCauses,
      String summary,
      Report report) {

    /**
     * Validates and copies.
     *
     * @throws NullPointerException when a component is null
     */
    public Verification {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(confirmed, "confirmed");
      inspectionRootCauses = List.copyOf(inspectionRootCauses);
      Objects.requireNonNull(summary, "summary");
      Objects.requireNonNull(report, "report");
      if (confirmed.isPresent() == (status == Status.NOT_CONFIRMED)) {
        throw new IllegalArgumentException("a confirmed code goes with a CONFIRMED status: "
            + status + ", " + confirmed);
      }
    }

    /**
     * The outcome of a verification.
     *
     * @since 0.1.0
     */
    public enum Status {
      /** The inspection reports a candidate as the root cause of its failed handshake. */
      CONFIRMED_ROOT_CAUSE,
      /** The inspection reports a candidate among its findings, but not as its root cause. */
      CONFIRMED_FINDING,
      /** The inspection reports none of the candidates. */
      NOT_CONFIRMED
    }
  }
}
