package dev.tlsinspect;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.tlsinspect.probe.ProbeOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The result of an inspection: the verdict, the findings (root causes first, then by severity),
 * and what was observed.
 *
 * <p>Serialized with Jackson (with the {@code jdk8} and {@code jsr310} modules, as
 * {@code JsonMapper.builder().findAndAddModules()} finds them) this record gives the documented JSON
 * report shape; the raw probe outcomes are left out of JSON.
 *
 * @param target the target
 * @param verdict PASS, WARN or FAIL, by the rule of {@link Verdict}
 * @param findings root causes first, then by decreasing severity
 * @param protocols the protocol versions seen accepted
 * @param cipherSuites the cipher suites seen accepted, per protocol version
 * @param namedGroups the key-exchange groups seen accepted, in the server's order when the
 *     inspection enumerated them, else the group of the main handshake
 * @param certificateChain the chain the server sent, in the order sent
 * @param timings how long the parts took
 * @param clients the predicted outcome for each selected client profile (empty without an
 *     enumeration); see {@link InspectOptions#clientProfiles()}
 * @param addresses what happened at each resolved address that was tried
 * @param provider the probe provider used, for example {@code jsse}; {@code jsse+bc} when a full
 *     inspection made its main handshake with one and enumerated with the other
 * @param inspectedAt when the inspection ran, by the options' clock
 * @param outcomes the raw probe outcomes, main handshake first (not in JSON)
 * @since 0.1.0
 */
@JsonPropertyOrder({"target", "verdict", "rating", "findings", "protocols", "cipherSuites", "namedGroups",
    "certificateChain", "timings", "clients", "addresses", "provider", "inspectedAt"})
public record Report(
    Target target,
    Verdict verdict,
    List<Finding> findings,
    List<String> protocols,
    Map<String, List<String>> cipherSuites,
    List<String> namedGroups,
    List<CertificateInfo> certificateChain,
    Timings timings,
    List<ClientPrediction> clients,
    List<AddressResult> addresses,
    String provider,
    Instant inspectedAt,
    @JsonIgnore List<ProbeOutcome> outcomes) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   */
  public Report {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(verdict, "verdict");
    findings = List.copyOf(findings);
    protocols = List.copyOf(protocols);
    Map<String, List<String>> suites = new LinkedHashMap<>();
    cipherSuites.forEach((k, v) -> suites.put(k, List.copyOf(v)));
    cipherSuites = java.util.Collections.unmodifiableMap(suites);
    namedGroups = List.copyOf(namedGroups);
    certificateChain = List.copyOf(certificateChain);
    Objects.requireNonNull(timings, "timings");
    clients = List.copyOf(clients);
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(inspectedAt, "inspectedAt");
    outcomes = List.copyOf(outcomes);
  }

  /**
   * A report without named groups and client predictions.
   *
   * @param target the target
   * @param verdict the verdict
   * @param findings the findings
   * @param protocols the protocol versions seen accepted
   * @param cipherSuites the cipher suites seen accepted, per protocol version
   * @param certificateChain the chain the server sent
   * @param timings how long the parts took
   * @param addresses what happened at each address
   * @param provider the probe provider used
   * @param inspectedAt when the inspection ran
   * @param outcomes the raw probe outcomes
   * @since 0.1.0
   */
  public Report(Target target, Verdict verdict, List<Finding> findings, List<String> protocols,
      Map<String, List<String>> cipherSuites, List<CertificateInfo> certificateChain,
      Timings timings, List<AddressResult> addresses, String provider, Instant inspectedAt,
      List<ProbeOutcome> outcomes) {
    this(target, verdict, findings, protocols, cipherSuites, List.of(), certificateChain, timings,
        List.of(),
        addresses, provider, inspectedAt, outcomes);
  }

  /**
   * The overall grade, A+ to F, from the findings by the rules of the site's rating page, with
   * the rules that capped it; in JSON as {@code rating}. Information only: the verdict does not
   * depend on it.
   *
   * @return the rating
   * @since 0.1.0
   */
  @com.fasterxml.jackson.annotation.JsonProperty("rating")
  public Rating rating() {
    return Rating.of(findings, protocols);
  }

  /**
   * The findings marked as root cause of a failed handshake.
   *
   * @return the root causes, usually one
   * @since 0.1.0
   */
  public List<Finding> rootCauses() {
    return findings.stream().filter(Finding::rootCause).toList();
  }

  /**
   * Whether a finding with this code was reported.
   *
   * @param code the code
   * @return {@code true} when present
   * @since 0.1.0
   */
  public boolean hasFinding(Code code) {
    return findings.stream().anyMatch(f -> f.code().equals(code));
  }

  /**
   * The findings at or above a severity.
   *
   * @param severity the lowest severity to include
   * @return the findings
   * @since 0.1.0
   */
  public List<Finding> findingsAtLeast(Severity severity) {
    return findings.stream().filter(f -> f.severity().atLeast(severity)).toList();
  }

  /**
   * One line for logs, for example
   * {@code FAIL api.example.com:443: CERT_EXPIRED (root cause), HOSTNAME_MISMATCH}.
   *
   * @return the summary
   * @since 0.1.0
   */
  public String summary() {
    if (findings.isEmpty()) {
      return verdict + " " + target + ": no findings";
    }
    List<String> parts = new ArrayList<>();
    for (Finding f : findings) {
      parts.add(f.code() + (f.rootCause() ? " (root cause)" : ""));
    }
    return verdict + " " + target + ": " + parts.stream().collect(Collectors.joining(", "));
  }
}
