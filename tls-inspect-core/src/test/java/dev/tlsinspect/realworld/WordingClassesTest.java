package dev.tlsinspect.realworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Explanation;
import dev.tlsinspect.Explanation.Confidence;
import dev.tlsinspect.TlsExplainer;
import dev.tlsinspect.logs.LogAnalyzer;
import dev.tlsinspect.logs.LogFormat;
import dev.tlsinspect.logs.LogGroup;
import dev.tlsinspect.logs.LogReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The wording classes of issue #12 that the real-world corpus has too few texts of (Schannel
 * XML exports, the JDK version changing a message's meaning): one case per class, written in the
 * shape the products print, so that the rules stay general rather than keyed to corpus files.
 */
class WordingClassesTest {
  private static final LogAnalyzer ANALYZER = LogAnalyzer.defaults();

  @Test
  void java7DhKeypair_isAGroupTooLarge_andTheExplanationNamesTheJdk() {
    Explanation e = TlsExplainer.explain("javax.net.ssl.SSLException: java.lang.RuntimeException: "
        + "Could not generate DH keypair\n\tat com.sun.net.ssl.internal.ssl.Handshaker.checkThrown(Handshaker.java:1)\n"
        + "(java version \"1.7.0_80\")");
    assertEquals(Code.CLIENT_INCOMPATIBLE, e.candidateCodes().get(0));
    assertTrue(e.summary().contains("JDK 7"), e.summary());
  }

  @Test
  void bareHandshakeFailure_listsSniAndVersions_neverHigh() {
    Explanation e = TlsExplainer.explain("javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure");
    assertTrue(e.candidateCodes().containsAll(List.of(Code.SNI_REQUIRED, Code.NO_COMMON_PROTOCOL)), e.summary());
    assertEquals(Confidence.MEDIUM, e.candidates().get(0).confidence());
  }

  @Test
  void notYetValid_ranksTheClockBesideTheCertificate() {
    Explanation e = TlsExplainer.explain("java.security.cert.CertificateNotYetValidException: NotBefore: Wed Jan 01 "
        + "00:00:00 UTC 2031");
    assertEquals(List.of(Code.CERT_NOT_YET_VALID, Code.CLOCK_SKEW), e.candidateCodes().subList(0, 2));
    assertEquals(Confidence.MEDIUM, e.candidates().get(0).confidence());
  }

  @Test
  void exceptionAfterALogPrefix_isRead() {
    Explanation e = TlsExplainer.explain("2024-01-02 10:00:00.123 ERROR 1 --- [main] c.e.Client : <-- HTTP FAILED: "
        + "javax.net.ssl.SSLPeerUnverifiedException: Hostname 10.0.0.1 not verified:\n    certificate: sha256/x=\n"
        + "    DN: CN=other.example\n    subjectAltNames: [other.example]");
    assertEquals(Code.HOSTNAME_MISMATCH, e.candidateCodes().get(0));
  }

  @Test
  void schannelXmlEvent_isANoCommonCipherWithWindowsAdvice() {
    LogReport r = ANALYZER.analyze(List.of(
        "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Schannel' />"
            + "<EventID Qualifiers='49152'>36874</EventID><Level>2</Level></System></Event>"));
    LogGroup g = r.groups().get(0);
    assertEquals(Code.NO_COMMON_CIPHER, g.code());
    assertEquals(LogFormat.WINDOWS, g.format());
    assertTrue(g.whatToChange().contains("netsh http show sslcert"), g.whatToChange());
  }

  @Test
  void schannelAlertNumber_inTextExport_isMapped() {
    LogReport r = ANALYZER.analyze(List.of("Error,8/5/2020 5:16:37 AM,Schannel,36888,None,\"A fatal alert was "
        + "generated and sent to the remote endpoint. This may result in termination of the connection. The TLS "
        + "protocol defined fatal error code is 70. The Windows SChannel error state is 105.\""));
    assertEquals(Code.NO_COMMON_PROTOCOL, r.groups().get(0).code());
  }

  @Test
  void nginxUpstream_pointsAtTheUpstreamAndSni() {
    LogReport r = ANALYZER.analyze(List.of("2024/03/01 10:00:00 [error] 7#7: *1 SSL_do_handshake() failed (SSL: "
        + "error:0A000410:SSL routines::sslv3 alert handshake failure:SSL alert number 40) while SSL handshaking "
        + "to upstream, client: 10.0.0.2, server: example.test"));
    LogGroup g = r.groups().get(0);
    assertEquals(Code.SNI_REQUIRED, g.candidates().get(0));
    assertTrue(g.whatToChange().contains("proxy_ssl_server_name on"), g.whatToChange());
  }

  @Test
  void unknownReason_stillCountsAsATlsFailure_withTheReasonQuoted() {
    LogReport r = ANALYZER.analyze(List.of("Mar 11 05:59:26 host app[41]: TLS handshake error from 10.1.1.1:5: "
        + "tls: some reason no rule knows"));
    assertEquals(1, r.tlsLines());
    assertTrue(r.groups().get(0).message().contains("some reason no rule knows"), r.groups().get(0).message());
  }
}
