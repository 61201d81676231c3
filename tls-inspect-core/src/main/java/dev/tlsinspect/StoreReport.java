package dev.tlsinspect;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of inspecting a key store or trust store: the verdict, the findings (worst first),
 * and the entries that were read.
 *
 * <p>Serialized with Jackson this record gives the JSON of {@code tls-inspect store --json}. No
 * password and no key material is part of it.
 *
 * @param store the store's name (its file's path, or the name given to {@link StoreSource#of})
 * @param type the type the store was read as, for example {@code PKCS12}; empty when it could not
 *     be read
 * @param verdict PASS, WARN or FAIL, by the rule of {@link Verdict}
 * @param findings worst first
 * @param entries the aliases, in alias order
 * @param inspectedAt when the inspection ran, by the inspector's clock
 * @since 0.1.0
 */
@JsonPropertyOrder({"store", "type", "verdict", "findings", "entries", "inspectedAt"})
public record StoreReport(String store, String type, Verdict verdict, List<Finding> findings,
    List<StoreEntry> entries, Instant inspectedAt) {

  /**
   * Validates and copies; sorts the findings worst first.
   *
   * @throws NullPointerException when a component is null
   */
  public StoreReport {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(verdict, "verdict");
    findings = findings.stream()
        .sorted(Comparator.comparing(Finding::severity).reversed()).toList();
    entries = List.copyOf(entries);
    Objects.requireNonNull(inspectedAt, "inspectedAt");
  }

  /**
   * When the first certificate that a key entry presents expires: the date a client certificate
   * stops working.
   *
   * @return the earliest notAfter among key entries, or empty when the store has none
   * @since 0.1.0
   */
  public Optional<Instant> firstKeyExpiry() {
    return entries.stream().filter(e -> e.kind().equals("key")).map(StoreEntry::notAfter)
        .min(Comparator.naturalOrder());
  }

  /**
   * The findings with the given code.
   *
   * @param code the code
   * @return the findings, worst first
   * @since 0.1.0
   */
  public List<Finding> findings(Code code) {
    return findings.stream().filter(f -> f.code().equals(code)).toList();
  }
}
