package dev.tlsinspect.bc;

import static dev.tlsinspect.testing.ReportAssert.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.BcTlsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full inspections (JSSE main handshake, Bouncy Castle enumeration and feature handshakes) of
 * real servers on loopback: each feature finding appears with its severity and evidence where the
 * server has the weakness, and not where it has not. Quick mode makes none of these handshakes.
 */
class ServerFeaturesInspectionTest {
  private static final List<Code> FEATURE_CODES = List.of(Code.INSECURE_RENEGOTIATION,
      Code.CLIENT_RENEGOTIATION, Code.TLS_COMPRESSION, Code.NO_FALLBACK_SCSV,
      Code.NO_EXTENDED_MASTER_SECRET, Code.EARLY_DATA_ACCEPTED, Code.HSTS_MISSING,
      Code.SESSION_RESUMPTION, Code.ALPN_NO_HTTP2);

  private static Report inspect(int port, boolean quick) {
    return inspect(port, quick, java.util.Set.of("this-jvm"));
  }

  private static Report inspect(int port, boolean quick, java.util.Set<String> clients) {
    ServerFeaturesProbeTest.pki();
    InspectOptions options = InspectOptions.builder()
        .trust(TrustMaterial.certificates(List.of(ServerFeaturesProbeTest.root.certificate())))
        .timeout(Duration.ofSeconds(20)).quick(quick).clientProfiles(clients).build();
    // No provider pinned: JSSE for the main handshake, Bouncy Castle for the rest.
    TlsInspector inspector = TlsInspector.builder().options(options).build();
    Target t = Target.builder("localhost", port).connectAddress("127.0.0.1").build();
    return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> inspector.inspect(t, options));
  }


  private static void none(Report report, Code... codes) {
    for (Code c : codes) {
      assertFalse(report.hasFinding(c), () -> "no " + c + " in " + report.findings());
    }
  }

  @Test
  void opensslWithClientRenegotiationAndEarlyData_reportsBoth_andNothingItDoesRight(@TempDir Path dir)
      throws Exception {
    ServerFeaturesProbeTest.pki();
    try (ExternalServer s = ServerFeaturesProbeTest.openssl(dir, "-client_renegotiation", "-early_data")) {
      Report report = inspect(s.port, false);
      Finding reneg = only(report, Code.CLIENT_RENEGOTIATION);
      assertEquals(Severity.INFO, reneg.severity(), "secure renegotiation: a DoS amplifier only");
      assertEquals(true, reneg.evidence().get("secureRenegotiation"));
      Finding early = only(report, Code.EARLY_DATA_ACCEPTED);
      assertEquals(Severity.LOW, early.severity());
      assertEquals(16384L, early.evidence().get("maxEarlyData"));
      Finding resumption = only(report, Code.SESSION_RESUMPTION);
      assertEquals(Severity.INFO, resumption.severity());
      assertEquals(7200L, resumption.evidence().get("tls13TicketLifetimeSeconds"));
      none(report, Code.ALPN_NO_HTTP2, Code.INSECURE_RENEGOTIATION, Code.TLS_COMPRESSION, Code.NO_FALLBACK_SCSV,
          Code.NO_EXTENDED_MASTER_SECRET, Code.HSTS_MISSING);
    }
  }

  @Test
  void gnutlsWithoutRfc5746AndRfc7627_reportsInsecureRenegotiationAndNoEms(@TempDir Path dir) throws Exception {
    ServerFeaturesProbeTest.pki();
    try (ExternalServer s = ServerFeaturesProbeTest.gnutls(dir, "NORMAL:%DISABLE_SAFE_RENEGOTIATION:%NO_SESSION_HASH")) {
      Report report = inspect(s.port, false);
      Finding reneg = only(report, Code.INSECURE_RENEGOTIATION);
      assertEquals(Severity.HIGH, reneg.severity());
      assertEquals(false, reneg.evidence().get("renegotiationInfo"));
      Finding ems = only(report, Code.NO_EXTENDED_MASTER_SECRET);
      assertEquals(Severity.LOW, ems.severity(), "GnuTLS also serves TLS 1.3: " + ems);
      assertEquals(true, ems.evidence().get("tls13"));
      none(report, Code.NO_FALLBACK_SCSV, Code.TLS_COMPRESSION);
    }
  }

  @Test
  void bcServerIgnoringFallbackScsv_reportsNoFallbackScsv_lowWhenItAlsoAcceptsTls11() {
    ServerFeaturesProbeTest.pki();
    try (BcTlsServer server = BcTlsServer.builder().certificate(ServerFeaturesProbeTest.leaf)
        .versions(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2, TlsVersion.TLS_1_1).honourFallbackScsv(false).start()) {
      Finding scsv = only(inspect(server.port(), false), Code.NO_FALLBACK_SCSV);
      assertEquals(Severity.LOW, scsv.severity(), scsv::toString);
      assertEquals("TLSv1.2", scsv.evidence().get("offeredVersion"));
      assertEquals(true, scsv.evidence().get("acceptsBelowTls12"));
    }
    try (BcTlsServer server = BcTlsServer.builder().certificate(ServerFeaturesProbeTest.leaf)
        .versions(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2).honourFallbackScsv(true).start()) {
      none(inspect(server.port(), false), Code.NO_FALLBACK_SCSV);
    }
  }

  @Test
  void nginxWithHttp2AndHsts_isFine_andWithout_reportsHstsMissingAndNoH2(@TempDir Path dir) throws Exception {
    ServerFeaturesProbeTest.pki();
    try (ExternalServer good = ServerFeaturesProbeTest.nginx(dir.resolve("good"), true, true)) {
      Report report = inspect(good.port, false);
      none(report, Code.INSECURE_RENEGOTIATION, Code.CLIENT_RENEGOTIATION, Code.TLS_COMPRESSION,
          Code.NO_FALLBACK_SCSV, Code.NO_EXTENDED_MASTER_SECRET, Code.EARLY_DATA_ACCEPTED,
          Code.HSTS_MISSING, Code.ALPN_NO_HTTP2);
    }
    try (ExternalServer bare = ServerFeaturesProbeTest.nginx(dir.resolve("bare"), false, false)) {
      Report report = inspect(bare.port, false);
      Finding hsts = only(report, Code.HSTS_MISSING);
      assertEquals(Severity.LOW, hsts.severity());
      assertEquals(200L, hsts.evidence().get("httpStatus"));
      assertEquals("http/1.1", only(report, Code.ALPN_NO_HTTP2).evidence().get("alpnSelected"));
    }
  }

  @Test
  void p521Server_chromeOffersNoSchemeItSignsWith_thisJvmDoes(@TempDir Path dir) throws Exception {
    ServerFeaturesProbeTest.pki();
    try (ExternalServer s = ServerFeaturesProbeTest.opensslP521(dir)) {
      Report report = inspect(s.port, false, java.util.Set.of("chrome", "firefox"));
      Finding mismatch = only(report, Code.SIGNATURE_SCHEME_MISMATCH);
      assertEquals(Severity.HIGH, mismatch.severity());
      assertEquals("chrome", mismatch.evidence().get("profile"));
      assertEquals("TLSv1.3", mismatch.evidence().get("version"));
      assertEquals(List.of("ecdsa_secp521r1_sha512"), mismatch.evidence().get("serverSchemes"));
      assertEquals(Severity.INFO, only(report, Code.SIGNATURE_SCHEMES).severity());
    }
  }

  @Test
  void quickMode_makesNoFeatureHandshake(@TempDir Path dir) throws Exception {
    ServerFeaturesProbeTest.pki();
    try (ExternalServer s = ServerFeaturesProbeTest.openssl(dir, "-client_renegotiation", "-early_data")) {
      Report report = inspect(s.port, true);
      assertTrue(report.findings().stream().noneMatch(f -> FEATURE_CODES.contains(f.code())),
          () -> report.findings().toString());
    }
  }
}
