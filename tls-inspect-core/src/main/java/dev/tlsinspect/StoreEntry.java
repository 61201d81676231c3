package dev.tlsinspect;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One alias of an inspected store.
 *
 * @param alias the alias
 * @param kind {@code key} (a private key and its chain: what a key manager presents),
 *     {@code trusted} (a trusted certificate: a trust anchor) or {@code secret} (a secret key,
 *     which TLS never uses)
 * @param subject the subject of the entry's certificate (the chain's first), empty for a secret key
 * @param notAfter when that certificate expires; {@link Instant#MAX} for a secret key
 * @param chain the subjects of the chain, first the entry's own certificate (one element for a
 *     trusted certificate, none for a secret key)
 * @since 0.1.0
 */
public record StoreEntry(String alias, String kind, String subject, Instant notAfter,
    List<String> chain) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   */
  public StoreEntry {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(notAfter, "notAfter");
    chain = List.copyOf(chain);
  }
}
