package dev.tlsinspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.check.Check;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.HandshakeProbe;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.ProbeRequest;
import dev.tlsinspect.probe.TlsVersion;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The inspector's own logic, with stub providers at the SPI seam (no TLS is faked here). */
class TlsInspectorTest {
  private static final Target TARGET = Target.of("service.test", 443);

  private static HandshakeProbe probe(java.util.function.Function<ProbeRequest, ProbeOutcome> f) {
    return new HandshakeProbe() {
      @Override
      public String name() {
        return "stub";
      }

      @Override
      public ProbeOutcome probe(ProbeRequest request) {
        return f.apply(request);
      }
    };
  }

  private static ProbeOutcome completed(ProbeRequest r) {
    return new ProbeOutcome.Completed(Observation.builder("stub").address(r.address())
        .version(TlsVersion.TLS_1_3).build());
  }

  private static ProbeOutcome failed(ProbeRequest r, FailureKind kind, String message) {
    return new ProbeOutcome.Failed(Failure.of(kind, message),
        Observation.builder("stub").address(r.address()).build());
  }

  private static InspectOptions options(String... addresses) {
    return InspectOptions.builder().resolver(host -> {
      List<InetAddress> out = new ArrayList<>();
      for (String a : addresses) {
        out.add(InetAddress.getByName(a));
      }
      return out;
    }).trust(TrustMaterial.jvmDefault()).build();
  }

  @Test
  void refusedAddress_theNextIsMain_andTheDifferenceIsAddressInconsistent() {
    List<String> tried = java.util.Collections.synchronizedList(new ArrayList<>());
    TlsInspector inspector = TlsInspector.builder().serviceLoaderChecks(false)
        .options(options("127.0.0.2", "127.0.0.3"))
        .probe(probe(r -> {
          String ip = r.address().getAddress().getHostAddress();
          if (r.target().sni().isPresent()) {
            tried.add(ip);
          }
          return ip.equals("127.0.0.2") ? failed(r, FailureKind.CONNECTION_REFUSED, "refused") : completed(r);
        }))
        .build();
    Report report = inspector.inspect(TARGET);
    assertEquals(java.util.Set.of("127.0.0.2", "127.0.0.3"), java.util.Set.copyOf(tried));
    assertEquals("CONNECTION_REFUSED", report.addresses().get(0).result());
    assertFalse(report.addresses().get(0).main());
    assertEquals("completed", report.addresses().get(1).result());
    assertTrue(report.addresses().get(1).main(), "the first address past TCP is the main one");
    assertEquals(List.of("TLSv1.3"), report.protocols());
    Finding f = report.findings().stream().filter(x -> x.code().equals(Code.ADDRESS_INCONSISTENT))
        .findFirst().orElseThrow(() -> new AssertionError(report.findings()));
    assertEquals(Severity.HIGH, f.severity());
    assertFalse(f.rootCause(), "the main handshake completed");
    assertEquals(List.of("127.0.0.2"), f.evidence().get("differing"));
    assertTrue(f.remediation().contains("127.0.0.2"), f.remediation());
    assertEquals(Verdict.FAIL, report.verdict(), report::summary);
  }

  @Test
  void everyAddressIsProbed_atMostEight_andSameAnswersAreConsistent() {
    String[] many = new String[10];
    for (int i = 0; i < many.length; i++) {
      many[i] = "127.0.0." + (i + 2);
    }
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    TlsInspector inspector = TlsInspector.builder().serviceLoaderChecks(false)
        .options(options(many))
        .probe(probe(r -> {
          if (r.target().sni().isPresent()) { // not the extra handshake without SNI
            calls.incrementAndGet();
          }
          return completed(r);
        }))
        .build();
    Report report = inspector.inspect(TARGET);
    assertEquals(8, calls.get());
    assertEquals(8, report.addresses().size());
    assertEquals(1, report.addresses().stream().filter(AddressResult::main).count());
    assertFalse(report.hasFinding(Code.ADDRESS_INCONSISTENT), report::summary);
    assertEquals(Verdict.PASS, report.verdict(), report::summary);
  }

  @Test
  void connectAddress_meansOneAddress() {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    TlsInspector inspector = TlsInspector.builder().serviceLoaderChecks(false)
        .options(options("127.0.0.2", "127.0.0.3"))
        .probe(probe(r -> {
          if (r.target().sni().isPresent()) { // not the extra handshake without SNI
            calls.incrementAndGet();
          }
          return completed(r);
        }))
        .build();
    Report report = inspector.inspect(Target.builder("service.test", 443).connectAddress("backend.test").build());
    assertEquals(1, calls.get());
    assertEquals(1, report.addresses().size());
  }

  @Test
  void differentVersions_areAddressInconsistent() {
    TlsInspector inspector = TlsInspector.builder().serviceLoaderChecks(false)
        .options(options("127.0.0.2", "127.0.0.3"))
        .probe(probe(r -> new ProbeOutcome.Completed(Observation.builder("stub").address(r.address())
            .version(r.address().getAddress().getHostAddress().endsWith(".2") ? TlsVersion.TLS_1_3 : TlsVersion.TLS_1_2)
            .build())))
        .build();
    Report report = inspector.inspect(TARGET);
    Finding f = report.findings().stream().filter(x -> x.code().equals(Code.ADDRESS_INCONSISTENT))
        .findFirst().orElseThrow(() -> new AssertionError(report.findings()));
    assertEquals(List.of("version"), f.evidence().get("aspects"));
    assertEquals(List.of("127.0.0.3"), f.evidence().get("differing"));
  }

  @Test
  void everyAddressRefused_reportsConnectionRefused() {
    TlsInspector inspector = TlsInspector.builder().serviceLoaderChecks(false)
        .options(options("127.0.0.2", "127.0.0.3"))
        .probe(probe(r -> failed(r, FailureKind.CONNECTION_REFUSED, "Connection refused")))
        .build();
    Report report = inspector.inspect(TARGET);
    assertEquals(Verdict.FAIL, report.verdict());
    assertEquals(Code.CONNECTION_REFUSED, report.findings().get(0).code());
    assertTrue(report.findings().get(0).rootCause());
    assertEquals(2, report.addresses().size());
  }

  @Test
  void throwingCheck_becomesCheckError_andTheReportSurvives() {
    Check broken = new Check() {
      @Override
      public String id() {
        return "broken";
      }

      @Override
      public List<Finding> evaluate(dev.tlsinspect.check.CheckContext context) {
        throw new IllegalStateException("boom");
      }
    };
    Report report = TlsInspector.builder().serviceLoaderChecks(false).options(options("127.0.0.2"))
        .probe(probe(TlsInspectorTest::completed)).addCheck(broken).build().inspect(TARGET);
    Finding f = report.findings().get(0);
    assertEquals(Code.CHECK_ERROR, f.code());
    assertEquals(Severity.LOW, f.severity());
    assertEquals("broken", f.evidence().get("check"));
    assertTrue(f.detail().contains("boom"));
    assertEquals(Verdict.WARN, report.verdict());
  }

  @Test
  void throwingProvider_becomesHandshakeFailed() {
    Report report = TlsInspector.builder().serviceLoaderChecks(false).options(options("127.0.0.2"))
        .probe(probe(r -> {
          throw new IllegalStateException("provider bug");
        })).build().inspect(TARGET);
    Finding f = report.findings().get(0);
    assertEquals(Code.HANDSHAKE_FAILED, f.code());
    assertTrue(f.rootCause());
    assertTrue(f.detail().contains("provider bug"), f.detail());
  }

  @Test
  void rootCauseFlags_ofACompletedHandshake_areCleared() {
    Check claims = new Check() {
      @Override
      public String id() {
        return "claims";
      }

      @Override
      public List<Finding> evaluate(dev.tlsinspect.check.CheckContext context) {
        return List.of(Finding.builder(Code.of("ACME_NOTE")).severity(Severity.INFO).rootCause(true).build());
      }
    };
    Report report = TlsInspector.builder().serviceLoaderChecks(false).options(options("127.0.0.2"))
        .probe(probe(TlsInspectorTest::completed)).addCheck(claims).build().inspect(TARGET);
    assertFalse(report.findings().get(0).rootCause());
    assertEquals(Verdict.PASS, report.verdict());
  }

  @Test
  void unexplainedCertificateRejection_getsAHandshakeFailedRootCause() {
    Report report = TlsInspector.builder().serviceLoaderChecks(false).options(options("127.0.0.2"))
        .probe(probe(r -> failed(r, FailureKind.CERTIFICATE_REJECTED, "something the checks do not see")))
        .build().inspect(TARGET);
    assertEquals(1, report.rootCauses().size());
    assertEquals(Code.HANDSHAKE_FAILED, report.rootCauses().get(0).code());
    assertEquals(Verdict.FAIL, report.verdict());
  }

  @Test
  void hangingResolver_endsAsDnsFailureWithinTheDeadline() {
    InspectOptions options = InspectOptions.builder().timeout(Duration.ofMillis(300))
        .resolver(host -> {
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return List.of();
        }).build();
    Report report = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> TlsInspector.builder().serviceLoaderChecks(false).options(options)
            .probe(probe(TlsInspectorTest::completed)).build().inspect(TARGET));
    Finding f = report.findings().get(0);
    assertEquals(Code.DNS_RESOLUTION_FAILED, f.code());
    assertTrue(f.detail().contains("did not answer within the deadline"), f.detail());
  }

  @Test
  void noProvider_isAClearError() {
    // core alone has no provider on its class path
    IllegalStateException e = assertThrows(IllegalStateException.class, TlsInspector::create);
    assertTrue(e.getMessage().contains("tls-inspect-jsse"));
  }

  @Test
  void summary_namesTheRootCause() {
    Report report = TlsInspector.builder().serviceLoaderChecks(false).options(options("127.0.0.2"))
        .probe(probe(r -> failed(r, FailureKind.CONNECTION_RESET, "reset")))
        .build().inspect(TARGET);
    assertEquals("FAIL service.test:443: CONNECTION_RESET (root cause)", report.summary());
    assertEquals(Optional.of("service.test"), report.target().sni());
  }
}
