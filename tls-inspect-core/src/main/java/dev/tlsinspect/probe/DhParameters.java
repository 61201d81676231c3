package dev.tlsinspect.probe;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigInteger;
import java.util.Objects;

/**
 * The finite-field Diffie-Hellman group a server sent in a TLS 1.2 (or older) ServerKeyExchange
 * for a DHE suite: the prime modulus and the generator, as on the wire.
 *
 * @param p the prime modulus (as sent: whether it is prime is for the checks to judge)
 * @param g the generator
 * @since 0.1.0
 */
public record DhParameters(@JsonIgnore BigInteger p, @JsonIgnore BigInteger g) {

  /**
   * Validates the value.
   *
   * @throws NullPointerException when a component is null
   * @throws IllegalArgumentException when p or g is negative
   */
  public DhParameters {
    Objects.requireNonNull(p, "p");
    Objects.requireNonNull(g, "g");
    if (p.signum() < 0 || g.signum() < 0) {
      throw new IllegalArgumentException("DH parameters must not be negative");
    }
  }

  /**
   * The size of the modulus.
   *
   * @return the bit length of p
   * @since 0.1.0
   */
  @JsonProperty("bits")
  public int bits() {
    return p.bitLength();
  }

  /**
   * The modulus in hexadecimal, for reports.
   *
   * @return p in lower-case hexadecimal
   * @since 0.1.0
   */
  @JsonProperty("p")
  public String pHex() {
    return p.toString(16);
  }

  /**
   * The generator in hexadecimal, for reports.
   *
   * @return g in lower-case hexadecimal
   * @since 0.1.0
   */
  @JsonProperty("g")
  public String gHex() {
    return g.toString(16);
  }

  @Override
  public String toString() {
    return "DhParameters[" + bits() + " bits, g=" + (g.bitLength() <= 64 ? g.toString() : "...") + "]";
  }
}
