package dev.tlsinspect.testing.checks;

import dev.tlsinspect.Code;
import dev.tlsinspect.Enumeration;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Severity;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.CheckContexts;
import dev.tlsinspect.testing.CheckHarness;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Named client profiles against hand-built enumerations; the JVM-dependent cases are in core's ClientProfileCheckTest. */
class ClientCompatibilityCheckTest {
  private static final CheckHarness COMPATIBILITY = CheckHarness.builtIn("client-compatibility");
  private static final List<TlsVersion> TESTED = List.of(TlsVersion.SSL_3_0, TlsVersion.TLS_1_0,
      TlsVersion.TLS_1_1, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);

  private static CheckContexts.Builder server(TlsVersion version, CipherSuite suite, String... profiles) {
    Enumeration e = new Enumeration(TESTED, List.of(version), Map.of(version, List.of(suite)),
        Map.of(), 5, List.of());
    return CheckContexts.builder().enumeration(e)
        .options(InspectOptions.builder().clientProfiles(Set.of(profiles)).build());
  }

  @Test
  void positive_tls13OnlyServer_isIncompatibleWithJava7() {
    COMPATIBILITY.run(server(TlsVersion.TLS_1_3, CipherSuite.named("TLS_AES_128_GCM_SHA256"), "java-7"))
        .hasFinding(Code.CLIENT_INCOMPATIBLE).hasSeverity(Severity.HIGH)
        .hasEvidence("profile", "java-7").hasEvidence("reason", "NO_COMMON_VERSION")
        .hasEvidence("serverVersions", List.of("TLSv1.3"));
  }

  @Test
  void negative_tls13Server_isFineForJdk25() {
    COMPATIBILITY.run(server(TlsVersion.TLS_1_3, CipherSuite.named("TLS_AES_256_GCM_SHA384"), "jdk-25"))
        .isFine();
  }

  @Test
  void notApplicable_withoutAnEnumeration() {
    COMPATIBILITY.run(CheckContexts.builder()
        .options(InspectOptions.builder().clientProfiles(Set.of("java-7")).build())).isNotApplicable();
  }
}
