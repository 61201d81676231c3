package dev.tlsinspect.probe;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of one probe: completed, failed with a classified {@link Failure}, or skipped. Never
 * null, never thrown.
 *
 * @since 0.1.0
 */
public sealed interface ProbeOutcome {

  /**
   * What was observed; empty only for a skipped probe.
   *
   * @return the observation
   * @since 0.1.0
   */
  Optional<Observation> observation();

  /**
   * The handshake completed.
   *
   * @param seen what was observed
   * @since 0.1.0
   */
  record Completed(Observation seen) implements ProbeOutcome {
    /**
     * Validates.
     *
     * @throws NullPointerException when seen is null
     */
    public Completed {
      Objects.requireNonNull(seen, "seen");
    }

    @Override
    public Optional<Observation> observation() {
      return Optional.of(seen);
    }
  }

  /**
   * The handshake failed; {@code seen} holds what was observed before it did.
   *
   * @param failure what went wrong
   * @param seen what was observed until then
   * @since 0.1.0
   */
  record Failed(Failure failure, Observation seen) implements ProbeOutcome {
    /**
     * Validates.
     *
     * @throws NullPointerException when a component is null
     */
    public Failed {
      Objects.requireNonNull(failure, "failure");
      Objects.requireNonNull(seen, "seen");
    }

    @Override
    public Optional<Observation> observation() {
      return Optional.of(seen);
    }
  }

  /**
   * The probe was not made.
   *
   * @param reason why, one line
   * @since 0.1.0
   */
  record Skipped(String reason) implements ProbeOutcome {
    /**
     * Validates.
     *
     * @throws NullPointerException when reason is null
     */
    public Skipped {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Optional<Observation> observation() {
      return Optional.empty();
    }
  }
}
