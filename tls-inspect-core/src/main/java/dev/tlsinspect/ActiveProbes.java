package dev.tlsinspect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which active vulnerability probes a full inspection runs: Heartbleed (one heartbeat request
 * whose length overstates its payload), CCS injection (an early ChangeCipherSpec) and ROBOT (the
 * Bleichenbacher padding-oracle test, several connections). Off by default ({@link #none()}):
 * each sends the server a malformed or out-of-order message on purpose, which intrusion detection
 * may flag, so it runs only when asked, and never in quick mode. A report says which ones ran
 * (ACTIVE_PROBES_RUN).
 *
 * <p>ROBOT sends one ClientKeyExchange per connection with a differently malformed
 * PKCS #1 v1.5 block, {@code robotConnections} connections at most (at least the five vectors
 * once), each {@code robotSpacing} after the previous one, so that a server sees a short, spaced
 * series rather than a burst.
 *
 * @param heartbleed whether to send one over-long heartbeat request (CVE-2014-0160)
 * @param ccsInjection whether to send an early ChangeCipherSpec (CVE-2014-0224)
 * @param robot whether to test RSA key exchange for a padding oracle (ROBOT)
 * @param robotConnections the most connections the ROBOT test makes, 5 to 50; the default 10
 *     sends each of the five vectors twice, so that an answer that changes between attempts is
 *     not taken for an oracle
 * @param robotSpacing the pause between two ROBOT connections, zero to 10 s (default 200 ms)
 * @since 0.1.0
 */
public record ActiveProbes(boolean heartbleed, boolean ccsInjection, boolean robot,
    int robotConnections, Duration robotSpacing) {
  /** The fewest ROBOT connections: each of the five vectors once. */
  public static final int ROBOT_VECTORS = 5;
  private static final int MAX_CONNECTIONS = 50;
  private static final Duration DEFAULT_SPACING = Duration.ofMillis(200);

  /**
   * Validates.
   *
   * @throws IllegalArgumentException when the count or the spacing is out of range
   */
  public ActiveProbes {
    Objects.requireNonNull(robotSpacing, "robotSpacing");
    if (robotConnections < ROBOT_VECTORS || robotConnections > MAX_CONNECTIONS) {
      throw new IllegalArgumentException("robotConnections must be between " + ROBOT_VECTORS
          + " and " + MAX_CONNECTIONS + ", got " + robotConnections);
    }
    if (robotSpacing.isNegative() || robotSpacing.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException("robotSpacing must be between 0 and 10 s, got " + robotSpacing);
    }
  }

  /**
   * No active probe: the default.
   *
   * @return the setting
   * @since 0.1.0
   */
  public static ActiveProbes none() {
    return new ActiveProbes(false, false, false, 2 * ROBOT_VECTORS, DEFAULT_SPACING);
  }

  /**
   * Heartbleed, CCS injection and ROBOT, with the default ROBOT bounds.
   *
   * @return the setting
   * @since 0.1.0
   */
  public static ActiveProbes all() {
    return new ActiveProbes(true, true, true, 2 * ROBOT_VECTORS, DEFAULT_SPACING);
  }

  /**
   * A copy with other ROBOT bounds.
   *
   * @param connections the most connections, 5 to 50
   * @param spacing the pause between two connections, zero to 10 s
   * @return the copy
   * @since 0.1.0
   */
  public ActiveProbes withRobotBounds(int connections, Duration spacing) {
    return new ActiveProbes(heartbleed, ccsInjection, robot, connections, spacing);
  }

  /**
   * Whether any probe is selected.
   *
   * @return {@code true} when at least one runs
   * @since 0.1.0
   */
  public boolean any() {
    return heartbleed || ccsInjection || robot;
  }

  /**
   * The codes of the selected probes, in the order they run.
   *
   * @return for example {@code [HEARTBLEED, CCS_INJECTION, ROBOT]}
   * @since 0.1.0
   */
  public List<String> names() {
    List<String> out = new ArrayList<>();
    if (heartbleed) {
      out.add(Code.HEARTBLEED.name());
    }
    if (ccsInjection) {
      out.add(Code.CCS_INJECTION.name());
    }
    if (robot) {
      out.add(Code.ROBOT.name());
    }
    return List.copyOf(out);
  }
}
