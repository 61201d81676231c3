package dev.tlsinspect.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.TlsVersion;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Mozilla policies equal Mozilla's own data: the test resources hold unmodified copies of
 * {@code guidelines-5.8.json} and {@code guidelines-6.0.json} from mozilla/ssl-config-generator
 * ({@code src/static/guidelines}, MPL-2.0, commit 858f8f74a4fd1293a3a7f5ab0c16eb1eb891393a), so a
 * slip in copying them into {@code policies.txt} fails the build.
 */
class PolicySourcesTest {
  private static final Map<String, String> KEY_TYPES = Map.of("rsa", "RSA", "ecdsa", "EC");
  private static final Map<String, String> CURVES = Map.of("prime256v1", "secp256r1", "secp384r1", "secp384r1");
  private static final Map<String, String> SIGNATURES = Map.of(
      "sha256WithRSAEncryption", "SHA256withRSA", "ecdsa-with-SHA256", "SHA256withECDSA",
      "ecdsa-with-SHA384", "SHA384withECDSA", "ecdsa-with-SHA512", "SHA512withECDSA");

  @ParameterizedTest
  @CsvSource({"mozilla-modern, 6.0, modern", "mozilla-intermediate, 6.0, intermediate", "mozilla-old, 5.8, old"})
  void mozillaPolicy_equalsTheGuidelinesJson(String name, String version, String profile) throws IOException {
    JsonNode guidelines;
    try (InputStream in = PolicySourcesTest.class.getResourceAsStream("guidelines-" + version + ".json")) {
      guidelines = new ObjectMapper().readTree(in);
    }
    JsonNode c = guidelines.get("configurations").get(profile);
    TlsPolicy p = TlsPolicies.named(name);

    assertEquals(version, p.version());
    assertEquals(guidelines.get("href").asText(), p.source());
    assertEquals(list(c.get("tls_versions"), TlsVersion::fromJavaName), p.versions());
    assertEquals(list(c.get("ciphers").get("iana"), CipherSuite::named), p.cipherSuites());
    assertEquals(list(c.get("ciphersuites"), CipherSuite::named), p.tls13CipherSuites());
    assertEquals(list(c.get("certificate_types"), KEY_TYPES::get), p.certificateKeyTypes());
    assertEquals(c.get("rsa_key_size").isNull() ? 0 : c.get("rsa_key_size").asInt(), p.minRsaKeyBits());
    assertEquals(list(c.get("certificate_curves"), CURVES::get), p.certificateCurves());
    assertEquals(list(c.get("certificate_signatures"), SIGNATURES::get), p.certificateSignatures());
    assertEquals(c.get("server_preferred_order").asBoolean(), p.serverCipherOrder());
    assertEquals(Optional.of(Duration.ofDays(c.get("maximum_certificate_lifespan").asInt())),
        p.maxCertificateLifespan());
  }

  private static <T> List<T> list(JsonNode array, Function<String, T> f) {
    List<T> out = new ArrayList<>();
    array.forEach(n -> out.add(f.apply(n.asText())));
    return out;
  }
}
