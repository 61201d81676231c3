package dev.tlsinspect.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Enumeration;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.check.Fetched;
import dev.tlsinspect.internal.inspect.DefaultCheckContext;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.TlsVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The compatibility check on hand-built enumerations: what no JVM policy change would fix. */
class ClientProfileCheckTest {

  private static List<Finding> evaluate(Map<TlsVersion, List<CipherSuite>> accepted, Set<String> profiles) {
    Enumeration e = new Enumeration(List.of(TlsVersion.SSL_2_0, TlsVersion.SSL_3_0, TlsVersion.TLS_1_0,
        TlsVersion.TLS_1_1, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3),
        accepted.keySet().stream().sorted().toList(), accepted, Map.of(), 5, List.of());
    InspectOptions options = InspectOptions.builder().clientProfiles(profiles).build();
    return new ClientCompatibilityCheck().evaluate(new DefaultCheckContext(Target.of("legacy.test", 443),
        options, new ProbeOutcome.Completed(Observation.builder("stub").build()), Fetched.none(),
        Optional.of(e)));
  }

  @Test
  void sslv2OnlyServer_isNoCommonProtocolForThisJvm_evenWithoutItsPolicy() {
    List<Finding> out = evaluate(Map.of(TlsVersion.SSL_2_0, List.of()), Set.of("this-jvm"));
    assertEquals(1, out.size(), out::toString);
    Finding f = out.get(0);
    assertEquals(Code.NO_COMMON_PROTOCOL, f.code());
    assertEquals(Severity.CRITICAL, f.severity());
    assertTrue(f.rootCause());
    assertEquals("this-jvm", f.evidence().get("profile"));
    assertEquals(List.of("SSLv2"), f.evidence().get("serverVersions"));
  }

  @Test
  void camelliaOnlyServer_isNoCommonCipherForThisJvm_andIncompatibleForChrome_butNotOpenSsl102() {
    CipherSuite camellia = CipherSuite.named("TLS_RSA_WITH_CAMELLIA_128_CBC_SHA");
    List<Finding> out = evaluate(Map.of(TlsVersion.TLS_1_2, List.of(camellia)),
        Set.of("this-jvm", "chrome", "openssl-1.0.2"));
    Finding jvm = out.stream().filter(f -> f.code().equals(Code.NO_COMMON_CIPHER)).findFirst().orElseThrow();
    assertEquals(List.of("TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"), jvm.evidence().get("serverCipherSuites"));
    assertFalse(((List<?>) jvm.evidence().get("clientCipherSuites")).isEmpty());
    List<Finding> incompatible = out.stream().filter(f -> f.code().equals(Code.CLIENT_INCOMPATIBLE)).toList();
    assertEquals(1, incompatible.size(), out::toString);
    assertEquals("chrome", incompatible.get(0).evidence().get("profile"));
    assertEquals("NO_COMMON_CIPHER", incompatible.get(0).evidence().get("reason"));
    assertFalse(out.stream().anyMatch(f -> f.code().equals(Code.LOCAL_CIPHER_DISABLED)));
  }

  @Test
  void probeDuplicates_giveWayToTheFindingAboutThisJvm() {
    Finding probe = Finding.builder(Code.NO_COMMON_PROTOCOL).rootCause(true).build();
    Finding jvm = Finding.builder(Code.LOCAL_PROTOCOL_DISABLED).evidence("profile", "this-jvm").build();
    Finding other = Finding.builder(Code.PROTOCOL_TLS1_0).build();
    assertEquals(List.of(jvm, other), ClientCompatibilityCheck.preferThisJvm(List.of(probe, jvm, other)));
    assertEquals(List.of(probe, other), ClientCompatibilityCheck.preferThisJvm(List.of(probe, other)));
  }
}
