package dev.tlsinspect.internal.protocol;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.probe.DhParameters;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/*
 * Judging a server's DHE group. The well-known groups (RFC 7919 ffdhe, RFC 3526 MODP, the RFC
 * 2409 Oakley groups) are recognised by the SHA-256 of their modulus, which saves shipping 13 KB
 * of hex and a primality test of up to 8192 bits; any other modulus is tested: prime, and a safe
 * prime (p = 2q + 1 with q prime), so that no small subgroup exists.
 */
/** Findings about a DHE group: WEAK_DH, DH_PARAMS_INSECURE. Not API. */
final class DhGroups {
  /** Below this, WEAK_DH. */
  static final int MIN_BITS = 2048;
  /** Above this, the primality of an unknown modulus is not tested (too slow, never seen). */
  static final int MAX_TESTED_BITS = 8192;

  /** SHA-256 of the big-endian modulus (no sign byte) of known-good groups, all with g = 2. */
  private static final Map<String, String> KNOWN = Map.ofEntries(
      Map.entry("b52ba6a3026520a6c49d37e4587601801bee500123b3259b6bf03e7cecc3e63d", "RFC 2409 group 1 (768 bits)"),
      Map.entry("3f35a3f5f6c4376a744acad409bb22f8d897f949d2311d885adaa890981b67a0", "RFC 2409 group 2 (1024 bits)"),
      Map.entry("64fcc83ec403930bf18393dbc883ccaa1fbb08ac876f77f7aa99748ca945019b", "RFC 3526 MODP group 5 (1536 bits)"),
      Map.entry("d66436f79bbd6b2e38c0ffbd079be904d2641415e2e67140e09448be9a60890e", "RFC 3526 MODP group 14 (2048 bits)"),
      Map.entry("48cf8b092fbce4359d9871abf74f98e25b6163379eaa15cd9087e800c6d1c55c", "RFC 3526 MODP group 15 (3072 bits)"),
      Map.entry("4ee95187682bcb230ad26a95205f6920e84708f6251b3894329b09ec23919e33", "RFC 3526 MODP group 16 (4096 bits)"),
      Map.entry("d1bfe6d0925ce7e4da262b62861514a7755e35831e429f343e7b864848657efd", "RFC 3526 MODP group 17 (6144 bits)"),
      Map.entry("39ab4feab950a3128fb71accb9fc3965d857012e081998a85996e3ea8b3c3bcf", "RFC 3526 MODP group 18 (8192 bits)"),
      Map.entry("9cd3b7f336872f46c09428d1bbc19877a4d440512cda8d1c1cf0cd6e33698966", "ffdhe2048"),
      Map.entry("0eaf67db3a839156d5013494a5318a772b5697d270d721f37f092efc69ea5a17", "ffdhe3072"),
      Map.entry("4648414224ac881b3d0dc59b466f96d06a558278776807797ecf1f66ff397b3e", "ffdhe4096"),
      Map.entry("227ac9066b3ddd9e193670cda2388fa884f65ba0cf98b742d1fe77a6687c79c7", "ffdhe6144"),
      Map.entry("770b14efaf6f049929c523113b3fa99a8d11dab1b18af3609590122075d19833", "ffdhe8192"));

  private DhGroups() {}

  /**
   * The name of a well-known group with this modulus.
   *
   * @param p the modulus
   * @return the name, empty when unknown
   */
  static Optional<String> known(BigInteger p) {
    return Optional.ofNullable(KNOWN.get(sha256Hex(p)));
  }

  /**
   * What is wrong with a group.
   *
   * @param dh the group
   * @param where the target, for the text
   * @return WEAK_DH and DH_PARAMS_INSECURE findings, empty for a sound group
   */
  static List<Finding> findings(DhParameters dh, String where) {
    List<Finding> out = new ArrayList<>();
    int bits = dh.bits();
    Optional<String> name = known(dh.p());
    if (bits < MIN_BITS) {
      out.add(Finding.builder(Code.WEAK_DH)
          .title("The server's DHE group has only " + bits + " bits")
          .detail(where + " sends a " + bits + "-bit Diff" + "ie-Hellman group"
              + name.map(n -> " (" + n + ")").orElse("") + " with its DHE suites; groups under "
              + MIN_BITS + " bits can be broken by a well-funded attacker (Logjam), and clients "
              + "such as Java and browsers refuse them.")
          .remediation("Use ffdhe2048 or larger (RFC 7919): nginx ssl_dhparam with the Mozilla "
              + "ffdhe2048 file, OpenSSL 3 picks a matching group by itself; or drop DHE suites "
              + "in favour of ECDHE.")
          .evidence("bits", bits)
          .evidence("group", name.orElse("custom"))
          .build());
    }
    List<String> problems = new ArrayList<>();
    BigInteger p = dh.p();
    BigInteger g = dh.g();
    if (g.compareTo(BigInteger.TWO) < 0 || g.compareTo(p.subtract(BigInteger.TWO)) > 0) {
      problems.add("the generator g is outside 2..p-2");
    }
    if (name.isEmpty()) {
      if (bits > MAX_TESTED_BITS) {
        problems.add("the modulus has " + bits + " bits, more than the " + MAX_TESTED_BITS
            + " this check tests");
      } else if (!p.isProbablePrime(64)) {
        problems.add("the modulus p is not prime");
      } else if (!p.subtract(BigInteger.ONE).shiftRight(1).isProbablePrime(64)) {
        problems.add("the modulus p is not a safe prime ((p-1)/2 is not prime), so small "
            + "subgroups exist");
      }
    }
    if (!problems.isEmpty()) {
      out.add(Finding.builder(Code.DH_PARAMS_INSECURE)
          .title("The server's DHE parameters are insecure")
          .detail(where + " sends a " + bits + "-bit Diff" + "ie-Hellman group in which "
              + String.join("; ", problems) + ". Key agreement in such a group can leak the "
              + "key or be solved cheaply.")
          .remediation("Replace the DH parameters by a standard group (RFC 7919 ffdhe2048 or "
              + "larger, for example the Mozilla ffdhe2048 file) instead of generating or editing "
              + "them, or drop DHE suites in favour of ECDHE.")
          .evidence("bits", bits)
          .evidence("problems", List.copyOf(problems))
          .evidence("generator", g.bitLength() <= 64 ? g.toString() : "0x" + dh.gHex())
          .evidence("modulusSha256", sha256Hex(p))
          .build());
    }
    return out;
  }

  private static String sha256Hex(BigInteger p) {
    byte[] m = p.toByteArray();
    if (m.length > 1 && m[0] == 0) {
      m = java.util.Arrays.copyOfRange(m, 1, m.length);
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(m));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
