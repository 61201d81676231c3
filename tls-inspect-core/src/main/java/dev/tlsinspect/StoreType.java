package dev.tlsinspect;

import java.util.Locale;

/**
 * The format of a key store or trust store file. The set is owned by tls-inspect, so it is an enum.
 *
 * @since 0.1.0
 */
public enum StoreType {
  /** PKCS#12 ({@code .p12}, {@code .pfx}), the JDK's default key store type since JDK 9. */
  PKCS12,
  /** The JDK's proprietary Java KeyStore format ({@code .jks}, the old {@code cacerts}). */
  JKS,
  /**
   * A PEM bundle: {@code CERTIFICATE} blocks (trust anchors, or the chain of a key) and at most one
   * unencrypted {@code PRIVATE KEY} (PKCS#8) block.
   */
  PEM;

  /**
   * Parses a type name, ignoring case: {@code pkcs12} (also {@code p12}, {@code pfx}), {@code jks},
   * {@code pem}.
   *
   * @param name the name
   * @return the type
   * @throws IllegalArgumentException when the name is none of them
   * @since 0.1.0
   */
  public static StoreType parse(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "pkcs12", "p12", "pfx" -> PKCS12;
      case "jks" -> JKS;
      case "pem" -> PEM;
      default -> throw new IllegalArgumentException(
          "unknown store type '" + name + "': use pkcs12, jks or pem");
    };
  }
}
