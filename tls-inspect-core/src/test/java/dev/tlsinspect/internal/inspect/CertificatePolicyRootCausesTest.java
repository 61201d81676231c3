package dev.tlsinspect.internal.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.internal.cert.CertificateSizeCheck;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.TlsVersion;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JSSE's rejection texts pick the certificate policy codes as root causes; no TLS here. */
class CertificatePolicyRootCausesTest {

  private static ProbeOutcome rejected(String message, String... causes) {
    Failure f = new Failure(FailureKind.CERTIFICATE_REJECTED, message, Optional.empty(),
        Optional.empty(), Optional.empty(), List.of(causes), new byte[0]);
    return new ProbeOutcome.Failed(f, Observation.builder("stub").build());
  }

  private static List<Finding> candidates() {
    return List.of(Finding.builder(Code.WEAK_KEY).build(), Finding.builder(Code.WEAK_SIGNATURE).build(),
        Finding.builder(Code.CERT_BAD_KEY_USAGE).build(), Finding.builder(Code.CERT_TOO_LARGE).build(),
        Finding.builder(Code.CHAIN_UNTRUSTED).build(),
        Finding.builder(Code.TLS_INTERCEPTION_SUSPECTED).build());
  }

  private static List<String> rootCauses(ProbeOutcome outcome) {
    return RootCauses.attribute(outcome, candidates()).stream().filter(Finding::rootCause)
        .map(f -> f.code().name()).toList();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "PKIX path validation failed: java.security.cert.CertPathValidatorException: Algorithm constraints check failed on keysize limits: RSA 512 bit key used with certificate: CN=localhost|WEAK_KEY",
      "PKIX path validation failed: java.security.cert.CertPathValidatorException: Algorithm constraints check failed on signature algorithm: MD5withRSA|WEAK_SIGNATURE",
      "PKIX path validation failed: java.security.cert.CertPathValidatorException: Algorithm constraints check failed on disabled algorithm: MD5|WEAK_KEY WEAK_SIGNATURE",
      "Extended key usage does not permit use for TLS server authentication|CERT_BAD_KEY_USAGE",
      "KeyUsage does not allow digital signatures|CERT_BAD_KEY_USAGE",
      "The size of the handshake message (210345) exceeds the maximum allowed size (32768)|CERT_TOO_LARGE",
      "PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target|TLS_INTERCEPTION_SUSPECTED"})
  void jsseTexts_pickTheirCodes(String message, String expected) {
    assertEquals(List.of(expected.split(" ")), rootCauses(rejected(message)));
  }

  @Test
  void jsseSizeMessage_givesSizeAndLimit() {
    ProbeOutcome.Failed failed = (ProbeOutcome.Failed) rejected("handshake failed",
        "javax.net.ssl.SSLProtocolException: The size of the handshake message (210345) exceeds the "
            + "maximum allowed size (65536)");
    long[] sizeAndLimit = CertificateSizeCheck.announcedByStack(failed.failure()).orElseThrow();
    assertEquals(210345L, sizeAndLimit[0]);
    assertEquals(65536L, sizeAndLimit[1]);
    assertTrue(CertificateSizeCheck.messageLength(List.of(), TlsVersion.TLS_1_3).isEmpty());
  }
}
