package dev.tlsinspect.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.probe.DhParameters;
import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** WEAK_DH and DH_PARAMS_INSECURE on hand-made groups. */
class DhGroupsTest {
  /** RFC 3526 group 14 (2048 bits), a known safe prime. */
  private static final BigInteger MODP2048 = new BigInteger(
      "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
          + "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
          + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
          + "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
          + "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
          + "15728E5A8AACAA68FFFFFFFFFFFFFFFF", 16);

  private static List<Code> codes(BigInteger p, BigInteger g) {
    return DhGroups.findings(new DhParameters(p, g), "test:443").stream().map(Finding::code).toList();
  }

  @Test
  void knownGroup_isRecognisedAndSound() {
    assertEquals("RFC 3526 MODP group 14 (2048 bits)", DhGroups.known(MODP2048).orElseThrow());
    assertEquals(List.of(), codes(MODP2048, BigInteger.TWO));
  }

  @Test
  void generatorOutOfRange_isInsecure() {
    assertEquals(List.of(Code.DH_PARAMS_INSECURE), codes(MODP2048, BigInteger.ONE));
    assertEquals(List.of(Code.DH_PARAMS_INSECURE), codes(MODP2048, MODP2048.subtract(BigInteger.ONE)));
  }

  @Test
  void compositeModulus_isInsecure() {
    BigInteger composite = BigInteger.probablePrime(1024, new Random(1)).multiply(BigInteger.probablePrime(1024, new Random(2)));
    List<Finding> f = DhGroups.findings(new DhParameters(composite, BigInteger.TWO), "test:443").stream()
        .filter(x -> x.code().equals(Code.DH_PARAMS_INSECURE)).toList();
    assertEquals(1, f.size());
    assertTrue(f.get(0).evidence().get("problems").toString().contains("not prime"));
  }

  @Test
  void smallSafePrime_isOnlyWeak() {
    BigInteger p = new BigInteger("23"); // 23 = 2 * 11 + 1
    assertEquals(List.of(Code.WEAK_DH), codes(p, BigInteger.TWO));
  }
}
