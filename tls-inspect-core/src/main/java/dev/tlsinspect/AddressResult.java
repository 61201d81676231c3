package dev.tlsinspect;

import java.util.Objects;

/**
 * What happened at one resolved address.
 *
 * @param address the IP address
 * @param result {@code completed}, {@code skipped}, or the failure kind, for example
 *     {@code CONNECTION_REFUSED}
 * @param detail one line: the negotiated version and suite, or the failure message
 * @since 0.1.0
 */
public record AddressResult(String address, String result, String detail) {
  /**
   * Validates.
   *
   * @throws NullPointerException when a component is null
   */
  public AddressResult {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(detail, "detail");
  }
}
