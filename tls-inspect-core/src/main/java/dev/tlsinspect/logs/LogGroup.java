package dev.tlsinspect.logs;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.tlsinspect.Code;
import dev.tlsinspect.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The log lines that say the same thing about failed handshakes: one code, one message, one format.
 *
 * <p>When the message fits several causes (a client's {@code unknown_ca} alert, HAProxy's bare
 * "SSL handshake failure"), {@link #code()} is {@code HANDSHAKE_FAILED} and {@link #candidates()}
 * lists the possible causes, most likely first; a live inspection ({@code tls-inspect HOST:PORT})
 * tells them apart. A log never gets a specific code it does not support.
 *
 * @param code the catalogue code; {@code HANDSHAKE_FAILED} when the message fits several causes
 * @param candidates the possible codes, most likely first (just {@code code} when it is specific)
 * @param severity the code's default severity in the catalogue
 * @param format the log's format
 * @param message the message the lines share, normalised (for example "no shared cipher")
 * @param problem what the lines say happened, for people
 * @param count how many failures (a stack trace counts once)
 * @param firstSeen the earliest time on those lines, when the lines carry one; a time without a
 *     zone is read in the analyzer's zone
 * @param lastSeen the latest time on those lines, when the lines carry one
 * @param firstLine where the first one is: {@code source:line}
 * @param lastLine where the last one is: {@code source:line}
 * @param clients the client addresses with the most failures, at most 20, most failures first
 * @param otherClients failures from clients not listed in {@link #clients()}, or without an address
 * @param offered protocol versions and cipher suites the clients offered, when the log says (Java
 *     {@code javax.net.debug}, JSSE messages); at most 20
 * @param sample the first line (or the exception line of the first stack trace), at most 8 KB
 * @param meaning what the code means, from the catalogue
 * @param whatToChange what to change, in the words of this server's configuration
 * @since 0.1.0
 */
@JsonPropertyOrder({"code", "candidates", "severity", "format", "message", "problem", "count", "firstSeen",
    "lastSeen", "firstLine", "lastLine", "clients", "otherClients", "offered", "sample", "meaning", "whatToChange"})
public record LogGroup(
    Code code,
    List<Code> candidates,
    Severity severity,
    LogFormat format,
    String message,
    String problem,
    long count,
    Optional<Instant> firstSeen,
    Optional<Instant> lastSeen,
    String firstLine,
    String lastLine,
    List<ClientCount> clients,
    long otherClients,
    List<String> offered,
    String sample,
    String meaning,
    String whatToChange) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   * @throws IllegalArgumentException when count is below 1
   */
  public LogGroup {
    Objects.requireNonNull(code, "code");
    candidates = List.copyOf(candidates);
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastSeen, "lastSeen");
    Objects.requireNonNull(firstLine, "firstLine");
    Objects.requireNonNull(lastLine, "lastLine");
    clients = List.copyOf(clients);
    offered = List.copyOf(offered);
    Objects.requireNonNull(sample, "sample");
    Objects.requireNonNull(meaning, "meaning");
    Objects.requireNonNull(whatToChange, "whatToChange");
    if (count < 1) {
      throw new IllegalArgumentException("count must be 1 or more: " + count);
    }
  }

  /**
   * A client address and how many failures it had.
   *
   * @param address the address as the log prints it (without the port)
   * @param count its failures in this group
   * @since 0.1.0
   */
  public record ClientCount(String address, long count) {
    /**
     * Validates.
     *
     * @throws NullPointerException when address is null
     */
    public ClientCount {
      Objects.requireNonNull(address, "address");
    }
  }
}
