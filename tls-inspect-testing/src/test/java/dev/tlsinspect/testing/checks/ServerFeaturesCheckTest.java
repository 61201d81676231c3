package dev.tlsinspect.testing.checks;

import dev.tlsinspect.Code;
import dev.tlsinspect.Severity;
import dev.tlsinspect.probe.ServerFeatures;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.CheckContexts;
import dev.tlsinspect.testing.CheckHarness;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerFeaturesCheckTest {
  private static final CheckHarness FEATURES = CheckHarness.builtIn("server-features");

  /** What a well-configured modern server shows: nothing to report. */
  private static ServerFeatures.Builder fine() {
    return ServerFeatures.builder().secureRenegotiation(true).clientRenegotiation(false)
        .extendedMasterSecret(true).compression(false).fallbackScsv(true, TlsVersion.TLS_1_2)
        .alpn(List.of("h2", "http/1.1"), Optional.of("h2"))
        .http(new ServerFeatures.HttpHead(200, Optional.of("max-age=31536000; includeSubDomains")));
  }

  private static CheckContexts.Builder context(ServerFeatures f, TlsVersion main) {
    return CheckContexts.builder().version(main).serverFeatures(f);
  }

  @Test
  void negative_aFineServer_isFine() {
    FEATURES.run(context(fine().build(), TlsVersion.TLS_1_3)).isFine();
  }

  @Test
  void notApplicable_withoutFeatures() {
    FEATURES.run(CheckContexts.builder().version(TlsVersion.TLS_1_3)).isNotApplicable();
  }

  @Test
  void positive_noSecureRenegotiation_isHigh() {
    FEATURES.run(context(fine().secureRenegotiation(false).build(), TlsVersion.TLS_1_3))
        .hasCodes(Code.INSECURE_RENEGOTIATION)
        .hasFinding(Code.INSECURE_RENEGOTIATION).hasSeverity(Severity.HIGH)
        .hasEvidence("renegotiationInfo", false);
  }

  @Test
  void positive_clientRenegotiation_isInfoWhenSecure_andMediumWithoutRfc5746() {
    FEATURES.run(context(fine().clientRenegotiation(true).build(), TlsVersion.TLS_1_3))
        .hasCodes(Code.CLIENT_RENEGOTIATION)
        .hasFinding(Code.CLIENT_RENEGOTIATION).hasSeverity(Severity.INFO)
        .hasEvidence("secureRenegotiation", true);
    FEATURES.run(context(fine().clientRenegotiation(true).secureRenegotiation(false).build(), TlsVersion.TLS_1_3))
        .hasCodes(Code.INSECURE_RENEGOTIATION, Code.CLIENT_RENEGOTIATION)
        .hasFinding(Code.CLIENT_RENEGOTIATION).hasSeverity(Severity.MEDIUM)
        .hasEvidence("secureRenegotiation", false);
  }

  @Test
  void positive_compression_isHigh() {
    FEATURES.run(context(fine().compression(true).build(), TlsVersion.TLS_1_2))
        .hasCodes(Code.TLS_COMPRESSION)
        .hasFinding(Code.TLS_COMPRESSION).hasSeverity(Severity.HIGH)
        .hasEvidence("compressionMethod", "DEFLATE");
  }

  @Test
  void positive_fallbackScsvIgnored_isLowBelowTls12_andInfoFromTls13ToTls12() {
    FEATURES.run(context(fine().fallbackScsv(false, TlsVersion.TLS_1_1).build(), TlsVersion.TLS_1_2))
        .hasCodes(Code.NO_FALLBACK_SCSV)
        .hasFinding(Code.NO_FALLBACK_SCSV).hasSeverity(Severity.LOW)
        .hasEvidence("offeredVersion", "TLSv1.1").hasEvidence("acceptsBelowTls12", true);
    FEATURES.run(context(fine().fallbackScsv(false, TlsVersion.TLS_1_2).build(), TlsVersion.TLS_1_3))
        .hasFinding(Code.NO_FALLBACK_SCSV).hasSeverity(Severity.INFO)
        .hasEvidence("offeredVersion", "TLSv1.2").hasEvidence("acceptsBelowTls12", false);
  }

  @Test
  void positive_noEms_isMediumWithoutTls13_andLowWithIt() {
    FEATURES.run(context(fine().extendedMasterSecret(false).build(), TlsVersion.TLS_1_2))
        .hasFinding(Code.NO_EXTENDED_MASTER_SECRET).hasSeverity(Severity.MEDIUM).hasEvidence("tls13", false);
    FEATURES.run(context(fine().extendedMasterSecret(false).build(), TlsVersion.TLS_1_3))
        .hasFinding(Code.NO_EXTENDED_MASTER_SECRET).hasSeverity(Severity.LOW).hasEvidence("tls13", true);
  }

  @Test
  void positive_earlyData_isLow_andAZeroLimit_isFine() {
    FEATURES.run(context(fine().tls13Ticket(Duration.ofHours(2), 16384).build(), TlsVersion.TLS_1_3))
        .hasFinding(Code.EARLY_DATA_ACCEPTED).hasSeverity(Severity.LOW).hasEvidence("maxEarlyData", 16384L)
        .and().hasFinding(Code.SESSION_RESUMPTION).hasSeverity(Severity.INFO)
        .hasEvidence("tls13TicketLifetimeSeconds", 7200L);
    FEATURES.run(context(fine().tls13Ticket(Duration.ofHours(2), 0).build(), TlsVersion.TLS_1_3))
        .doesNotHaveFinding(Code.EARLY_DATA_ACCEPTED);
  }

  @Test
  void positive_noHsts_orMaxAgeZero_isHstsMissing() {
    FEATURES.run(context(fine().http(new ServerFeatures.HttpHead(200, Optional.empty())).build(), TlsVersion.TLS_1_3))
        .hasCodes(Code.HSTS_MISSING)
        .hasFinding(Code.HSTS_MISSING).hasSeverity(Severity.LOW).hasEvidence("httpStatus", 200);
    FEATURES.run(context(fine().http(new ServerFeatures.HttpHead(301, Optional.of("max-age=0"))).build(),
            TlsVersion.TLS_1_3))
        .hasFinding(Code.HSTS_MISSING).hasEvidence("strictTransportSecurity", "max-age=0");
  }

  @Test
  void facts_resumptionAndAlpn_areInfo() {
    FEATURES.run(context(fine().sessionIdResumption(true).sessionTicket(true, Optional.of(Duration.ofHours(2)))
            .alpn(List.of("h2", "http/1.1"), Optional.of("http/1.1")).build(), TlsVersion.TLS_1_3))
        .hasCodes(Code.SESSION_RESUMPTION, Code.ALPN_NO_HTTP2)
        .hasFinding(Code.SESSION_RESUMPTION).hasSeverity(Severity.INFO)
        .hasEvidence("sessionIdResumption", true).hasEvidence("ticketLifetimeSeconds", 7200L)
        .and().hasFinding(Code.ALPN_NO_HTTP2).hasSeverity(Severity.INFO).hasEvidence("alpnSelected", "http/1.1");
  }

  @Test
  void ticketResumption_isInTheResumptionFacts_resumedOrNot() {
    FEATURES.run(context(fine().sessionTicket(true, Optional.of(Duration.ofHours(2))).ticketResumption(true).build(),
            TlsVersion.TLS_1_3))
        .hasFinding(Code.SESSION_RESUMPTION).hasSeverity(Severity.INFO).hasEvidence("ticketResumption", true);
    FEATURES.run(context(fine().sessionTicket(true, Optional.of(Duration.ofHours(2))).ticketResumption(false).build(),
            TlsVersion.TLS_1_3))
        .hasFinding(Code.SESSION_RESUMPTION).hasSeverity(Severity.INFO).hasEvidence("ticketResumption", false);
  }

  @Test
  void signatureSchemes_areAFact_andAProfileWithoutAny_isAMismatch() {
    ServerFeatures p521 = fine().signatureSchemes(TlsVersion.TLS_1_3, List.of("ecdsa_secp521r1_sha512")).build();
    FEATURES.run(context(p521, TlsVersion.TLS_1_3)
            .options(dev.tlsinspect.InspectOptions.builder().clientProfiles(java.util.Set.of("chrome")).build()))
        .hasCodes(Code.SIGNATURE_SCHEMES, Code.SIGNATURE_SCHEME_MISMATCH)
        .hasFinding(Code.SIGNATURE_SCHEMES).hasSeverity(Severity.INFO)
        .and().hasFinding(Code.SIGNATURE_SCHEME_MISMATCH).hasSeverity(Severity.HIGH)
        .hasEvidence("profile", "chrome").hasEvidence("version", "TLSv1.3")
        .hasEvidence("serverSchemes", List.of("ecdsa_secp521r1_sha512"));
    ServerFeatures rsa = fine().signatureSchemes(TlsVersion.TLS_1_3, List.of("rsa_pss_rsae_sha256")).build();
    FEATURES.run(context(rsa, TlsVersion.TLS_1_3)
            .options(dev.tlsinspect.InspectOptions.builder().clientProfiles(java.util.Set.of("chrome")).build()))
        .hasCodes(Code.SIGNATURE_SCHEMES);
  }
}
