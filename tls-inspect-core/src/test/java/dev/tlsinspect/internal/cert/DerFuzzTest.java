package dev.tlsinspect.internal.cert;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * The DER reader and the OCSP parser read bytes chosen by servers and responders: for any input
 * they either parse or throw their own MalformedException, and a parsed response holds no more
 * bytes than it was given. Regression mode in every build; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class DerFuzzTest {
  private static final RevocationPki PKI = new RevocationPki("Fuzz CA");
  private static final X509Certificate LEAF = PKI.leaf("fuzz.test", null, null);

  @FuzzTest(maxDuration = "30s")
  void ocspParser_isTotal(FuzzedDataProvider data) {
    byte[] bytes = data.consumeRemainingAsBytes();
    try {
      OcspResponse r = OcspResponse.parse(bytes);
      if (r.basic().isPresent()) {
        OcspResponse.Basic b = r.basic().get();
        assertTrue(b.tbsResponseData().length <= bytes.length);
        assertTrue(b.signature().length <= bytes.length);
        b.find(LEAF, PKI.ca);
        b.signer(PKI.ca, Instant.now());
      }
    } catch (Der.MalformedException expected) {
      // the only allowed failure
    }
  }

  @FuzzTest(maxDuration = "30s")
  void derWalk_isTotalAndBounded(FuzzedDataProvider data) {
    byte[] bytes = data.consumeRemainingAsBytes();
    try {
      walk(Der.reader(bytes), bytes.length);
    } catch (Der.MalformedException expected) {
      // the only allowed failure
    }
  }

  private static void walk(Der.Reader r, int size) throws Der.MalformedException {
    while (r.hasMore()) {
      Der.Value v = r.next();
      assertTrue(v.length() <= size);
      if (v.constructed()) {
        walk(v.children(), size);
      } else if (v.tag() == Der.OID) {
        v.oid();
      } else if (v.tag() == Der.INTEGER && v.length() > 0) {
        v.integer();
      } else if (v.tag() == Der.GENERALIZED_TIME) {
        try {
          v.generalizedTime();
        } catch (Der.MalformedException ok) {
          // bad times are malformed, nothing else
        }
      }
    }
  }
}
