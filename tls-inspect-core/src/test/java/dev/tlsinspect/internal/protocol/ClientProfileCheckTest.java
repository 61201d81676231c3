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
  void all_judgesByRelevance_obsoleteClientsAreInfoUnlessNamed() {
    // A modern server: TLS 1.3 and 1.2 with ECDHE and AES-GCM only.
    Map<TlsVersion, List<CipherSuite>> modern = Map.of(
        TlsVersion.TLS_1_3, List.of(CipherSuite.named("TLS_AES_128_GCM_SHA256")),
        TlsVersion.TLS_1_2, List.of(CipherSuite.named("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")));
    List<Finding> all = evaluate(modern, Set.of("all"));
    Finding java7 = incompatible(all, "java-7");
    assertEquals(Severity.INFO, java7.severity(), java7::toString);
    assertTrue(((String) java7.evidence().get("obsolete")).startsWith("Java 7: Oracle ended"), java7::toString);
    assertTrue(java7.detail().contains("this is for information, as it was not named"), java7.detail());
    // Every incompatible client here is obsolete: 'all' leaves the verdict alone.
    assertTrue(all.stream().allMatch(f -> f.severity() == Severity.INFO), all::toString);

    // Named, besides 'all' or alone, it counts.
    for (Set<String> named : List.of(Set.of("all", "java-7"), Set.of("java-7"))) {
      Finding f = incompatible(evaluate(modern, named), "java-7");
      assertEquals(Severity.HIGH, f.severity(), named::toString);
      assertEquals(f.evidence().get("obsolete"), java7.evidence().get("obsolete"));
    }

    // A client in support that cannot connect fails the server under 'all' as well.
    Map<TlsVersion, List<CipherSuite>> tls13Only = Map.of(
        TlsVersion.TLS_1_3, List.of(CipherSuite.named("TLS_AES_128_GCM_SHA256")));
    Finding jdk8 = incompatible(evaluate(tls13Only, Set.of("all")), "jdk-8");
    assertEquals(Severity.HIGH, jdk8.severity());
    assertFalse(jdk8.evidence().containsKey("obsolete"));
  }

  private static Finding incompatible(List<Finding> out, String profile) {
    return out.stream().filter(f -> f.code().equals(Code.CLIENT_INCOMPATIBLE)
        && profile.equals(f.evidence().get("profile"))).findFirst()
        .orElseThrow(() -> new AssertionError("no CLIENT_INCOMPATIBLE for " + profile + " in " + out));
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
