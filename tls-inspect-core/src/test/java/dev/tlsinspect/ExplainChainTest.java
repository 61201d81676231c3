package dev.tlsinspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.internal.explain.ExceptionChain;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.HandshakeProbe;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.ProbeRequest;
import dev.tlsinspect.probe.TlsVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Explaining Throwables (not text): the cause chain, wrappers, structured facts, bounds; verification. */
class ExplainChainTest {

  @Test
  void causeChain_isFollowedThroughJdkWrappers() {
    SSLHandshakeException tls = new SSLHandshakeException("PKIX path validation failed: "
        + "java.security.cert.CertPathValidatorException: validity check failed");
    tls.initCause(new CertificateExpiredException("NotAfter: Mon Jan 01 00:00:00 UTC 2024"));
    Throwable wrapped = new CompletionException(new UncheckedIOException(new IOException(tls)));
    Explanation e = TlsExplainer.explain(wrapped);
    assertEquals(Code.CERT_EXPIRED, e.candidateCodes().get(0));
    assertEquals(Explanation.Confidence.HIGH, e.candidates().get(0).confidence());
    assertFalse(e.candidateCodes().contains(Code.CERT_NOT_YET_VALID),
        "'validity check failed' does not add the other date when the cause names the one that failed");
    assertTrue(e.chain().get(0).wrapper(), "CompletionException is a wrapper");
    assertTrue(e.chain().get(1).wrapper(), "UncheckedIOException is a wrapper");
    assertEquals("java.security.cert.CertificateExpiredException", e.chain().get(4).type());
    assertTrue(e.candidates().get(0).matched().contains("NotAfter"), e.candidates().get(0).matched());
  }

  @Test
  void certPathValidatorReason_isAFactEvenWithoutAMessage() {
    CertPathValidatorException cpve = new CertPathValidatorException("", null, null, -1,
        CertPathValidatorException.BasicReason.REVOKED);
    Explanation e = TlsExplainer.explain(new SSLHandshakeException("x") {
      private static final long serialVersionUID = 1L;

      @Override
      public synchronized Throwable getCause() {
        return cpve;
      }
    });
    assertEquals(Code.CERT_REVOKED, e.candidateCodes().get(0));
  }

  /** Looks like a Netty or Spring wrapper to the explainer, by class name only. */
  static final class DecoderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DecoderException(Throwable cause) {
      super(cause);
    }
  }

  @Test
  void cycles_andDeepChains_areBounded() {
    Exception a = new Exception("a");
    Exception b = new Exception("b", a);
    a.initCause(b);
    Explanation cyclic = TlsExplainer.explain(a);
    assertEquals(2, cyclic.chain().size());
    assertFalse(cyclic.recognised());

    Throwable deep = new ConnectException("Connection refused");
    for (int i = 0; i < 10_000; i++) {
      deep = new RuntimeException("level " + i, deep);
    }
    Explanation e = TlsExplainer.explain(deep);
    assertTrue(e.chain().size() <= 64, "chain kept bounded: " + e.chain().size());
    // The refusal is 10,000 levels down: past the bound, so it is not seen, and nothing is guessed.
    assertFalse(e.recognised(), e.summary());
  }

  @Test
  void suppressedExceptions_areRead() {
    Exception outer = new IOException("all addresses failed");
    outer.addSuppressed(new ConnectException("Connection refused"));
    assertEquals(Code.CONNECTION_REFUSED, TlsExplainer.explain(outer).candidateCodes().get(0));
  }

  @Test
  void hostileGetMessage_doesNotEscape() {
    Exception hostile = new SocketException() {
      private static final long serialVersionUID = 1L;

      @Override
      public String getMessage() {
        throw new IllegalStateException("boom");
      }
    };
    assertFalse(TlsExplainer.explain(hostile).recognised());
  }

  @Test
  void notAboutTls_givesNoCandidates() {
    for (Throwable t : List.of(new NullPointerException(), new NullPointerException("x is null"),
        new java.io.FileNotFoundException("/etc/app.yml (No such file or directory)"),
        new IllegalStateException("not found"), new RuntimeException())) {
      Explanation e = TlsExplainer.explain(t);
      assertFalse(e.recognised(), t + " -> " + e.candidateCodes());
      assertTrue(e.summary().startsWith("Not recognised as a TLS or connection failure: "), e.summary());
      assertTrue(e.mostLikely().isEmpty());
    }
    assertEquals("Not recognised: no exception text.", TlsExplainer.explain("  \n\t\n").summary());
    assertThrows(NullPointerException.class, () -> TlsExplainer.explain((Throwable) null));
    assertThrows(NullPointerException.class, () -> TlsExplainer.explain((String) null));
  }

  @Test
  void unknownHost_isDns_althoughItsMessageIsOnlyTheName() {
    // UnknownHostException constructed: a real lookup would need DNS, which tests never use.
    Explanation e = TlsExplainer.explain(new UnknownHostException("orders.invalid"));
    assertEquals(List.of(Code.DNS_RESOLUTION_FAILED), e.candidateCodes());
  }

  @Test
  void normalize_removesAlertPrefixes_andFixesJdk17Typos() {
    assertEquals("Received fatal alert: handshake_failure",
        ExceptionChain.normalize("(handshake_failure) Received fatal alert: handshake_failure"));
    assertEquals("I/O error: PKIX path building failed",
        ExceptionChain.normalize("I/O error: (certificate_unknown) PKIX path building failed"));
    assertEquals("Unsupported protocol: TLSv1.4", ExceptionChain.normalize("Unsupported protocolTLSv1.4"));
    assertEquals("No available authentication scheme",
        ExceptionChain.normalize("No avaiable authentication scheme"));
    assertEquals("see (a) note", ExceptionChain.normalize("see (a) note"), "only at a message start");
    assertEquals("(x)", ExceptionChain.normalize("(x)"));
    assertEquals("", ExceptionChain.normalize(null));
  }

  @Test
  void stackTraceText_readsFirstLineCausedByAndSkipsFrames() {
    Explanation e = TlsExplainer.explain("javax.net.ssl.SSLHandshakeException: Remote host terminated the handshake\r\n"
        + "\tat java.base/sun.security.ssl.SSLSocketImpl.handleEOF(SSLSocketImpl.java:1715)\r\n"
        + "\t... 9 more\r\n"
        + "Caused by: java.io.EOFException: SSL peer shut down incorrectly\r\n");
    assertEquals(2, e.chain().size());
    assertEquals("java.io.EOFException", e.chain().get(1).type());
    assertEquals("SSL peer shut down incorrectly", e.chain().get(1).message());
    assertEquals(Code.CONNECTION_RESET, e.candidateCodes().get(0));
  }

  // --- verification -------------------------------------------------------------------------

  private static TlsInspector inspector(ProbeOutcome outcome, AtomicInteger calls) {
    HandshakeProbe probe = new HandshakeProbe() {
      @Override
      public String name() {
        return "stub";
      }

      @Override
      public ProbeOutcome probe(ProbeRequest request) {
        calls.incrementAndGet();
        return outcome;
      }
    };
    return TlsInspector.builder().serviceLoaderChecks(false).probe(probe)
        .options(InspectOptions.builder().resolver(h -> List.of(InetAddress.getLoopbackAddress())).build())
        .build();
  }

  @Test
  void verify_confirmsTheCandidateTheInspectionNamesAsRootCause() {
    AtomicInteger calls = new AtomicInteger();
    TlsInspector inspector = inspector(new ProbeOutcome.Failed(
        Failure.of(FailureKind.CONNECTION_REFUSED, "Connection refused"), Observation.builder("stub").build()), calls);
    Explanation e = inspector.explain(new ConnectException("Connection refused"), Target.of("service.test", 443));
    Explanation.Verification v = e.verification().orElseThrow();
    assertEquals(Explanation.Verification.Status.CONFIRMED_ROOT_CAUSE, v.status());
    assertEquals(Code.CONNECTION_REFUSED, v.confirmed().orElseThrow());
    assertEquals(List.of(Code.CONNECTION_REFUSED), v.inspectionRootCauses());
    assertTrue(v.report().rootCauses().stream().anyMatch(f -> f.code().equals(Code.CONNECTION_REFUSED)));
    assertTrue(v.summary().startsWith("Confirmed"), v.summary());
  }

  @Test
  void verify_saysSoAndListsBoth_whenNothingIsConfirmed() {
    AtomicInteger calls = new AtomicInteger();
    TlsInspector inspector = inspector(new ProbeOutcome.Completed(
        Observation.builder("stub").version(TlsVersion.TLS_1_3).build()), calls);
    Explanation e = inspector.explain(new SSLHandshakeException("Received fatal alert: handshake_failure"),
        Target.of("service.test", 443));
    Explanation.Verification v = e.verification().orElseThrow();
    assertEquals(Explanation.Verification.Status.NOT_CONFIRMED, v.status());
    assertTrue(v.confirmed().isEmpty());
    assertTrue(v.summary().contains("NO_COMMON_CIPHER"), v.summary());
    assertTrue(v.summary().contains("handshake from here completes"), v.summary());
    assertEquals(Verdict.PASS, v.report().verdict());
  }

  @Test
  void verify_doesNotInspect_whenNothingWasRecognised() {
    AtomicInteger calls = new AtomicInteger();
    TlsInspector inspector = inspector(new ProbeOutcome.Skipped("unused"), calls);
    Explanation e = inspector.explain(new NullPointerException(), Target.of("service.test", 443));
    assertTrue(e.verification().isEmpty());
    assertEquals(0, calls.get());
  }
}
