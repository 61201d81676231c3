package dev.tlsinspect.probe;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's CertificateRequest, as one probe saw it, and what the probe answered.
 *
 * @param certificateAuthorities the distinguished names of the CAs the server accepts client
 *     certificates from (RFC 2253 form), in the order sent; empty when the server names none, which
 *     means any CA
 * @param keyTypes the key types the server accepts, as the provider names them (JSSE: {@code RSA},
 *     {@code EC}, {@code RSASSA-PSS}, ...; TLS 1.2 certificate types for Bouncy Castle)
 * @param signatureSchemes the signature schemes the server accepts for the client's
 *     CertificateVerify, when the provider can tell
 * @param chosenAlias the key-store alias whose certificate the probe presented, like the
 *     application's key manager would; empty when it presented none (no key store given, or no key
 *     fits)
 * @since 0.1.0
 */
public record ClientCertificateRequest(
    List<String> certificateAuthorities,
    List<String> keyTypes,
    List<String> signatureSchemes,
    Optional<String> chosenAlias) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   */
  public ClientCertificateRequest {
    certificateAuthorities = List.copyOf(certificateAuthorities);
    keyTypes = List.copyOf(keyTypes);
    signatureSchemes = List.copyOf(signatureSchemes);
    Objects.requireNonNull(chosenAlias, "chosenAlias");
  }

  /**
   * A request naming these CAs, nothing else known, answered with no certificate.
   *
   * @param certificateAuthorities the accepted CA names
   * @return the request
   * @since 0.1.0
   */
  public static ClientCertificateRequest of(List<String> certificateAuthorities) {
    return new ClientCertificateRequest(certificateAuthorities, List.of(), List.of(), Optional.empty());
  }

  /**
   * Whether the probe answered with a certificate.
   *
   * @return {@code true} when an alias was chosen
   * @since 0.1.0
   */
  public boolean certificateSent() {
    return chosenAlias.isPresent();
  }
}
