package dev.tlsinspect.check;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the inspection downloaded on the side, when the options allow it: intermediates from AIA
 * URLs, OCSP responses and CRLs. Checks read it; they never fetch themselves.
 *
 * @param intermediates CA certificates downloaded from caIssuers URLs
 * @param ocspResponses DER-encoded OCSP responses from the responders (not the stapled ones)
 * @param crls CRLs downloaded from distribution points
 * @param notes one line per fetch that failed or was refused, for the report
 * @since 0.1.0
 */
public record Fetched(List<X509Certificate> intermediates, List<byte[]> ocspResponses,
    List<X509CRL> crls, List<String> notes) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   */
  public Fetched {
    intermediates = List.copyOf(intermediates);
    List<byte[]> copies = new ArrayList<>();
    for (byte[] b : ocspResponses) {
      copies.add(Objects.requireNonNull(b).clone());
    }
    ocspResponses = List.copyOf(copies);
    crls = List.copyOf(crls);
    notes = List.copyOf(notes);
  }

  /**
   * Nothing fetched.
   *
   * @return the empty value
   * @since 0.1.0
   */
  public static Fetched none() {
    return new Fetched(List.of(), List.of(), List.of(), List.of());
  }

  /**
   * Copies of the OCSP responses.
   *
   * @return DER-encoded responses
   */
  @Override
  public List<byte[]> ocspResponses() {
    return ocspResponses.stream().map(byte[]::clone).toList();
  }
}
