package dev.tlsinspect.internal.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.check.Fetched;
import dev.tlsinspect.internal.inspect.DefaultCheckContext;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.TlsVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How serious a difference between addresses is, on hand-built outcomes (nothing is contacted:
 * the IPv6 documentation addresses only give the outcomes an address family); the loopback cases
 * are in the bc module's AddressConsistencyTest.
 */
class AddressConsistencyCheckTest {
  private static final Target TARGET = Target.of("service.test", 443);

  private static InetSocketAddress at(String ip) {
    try {
      return new InetSocketAddress(InetAddress.getByName(ip), 443);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static ProbeOutcome completed(String ip, TlsVersion version) {
    return new ProbeOutcome.Completed(Observation.builder("stub").address(at(ip)).version(version).build());
  }

  private static ProbeOutcome failed(String ip, FailureKind kind) {
    return new ProbeOutcome.Failed(new Failure(kind, kind.name(), Optional.empty(), Optional.empty(),
        Optional.of("TCP connect"), List.of(), new byte[0]), Observation.builder("stub").address(at(ip)).build());
  }

  private static List<Finding> evaluate(InspectOptions options, ProbeOutcome main, ProbeOutcome... all) {
    return new AddressConsistencyCheck().evaluate(new DefaultCheckContext(TARGET, options, main,
        Fetched.none(), Optional.empty(), List.of(all), Optional.empty(), Optional.empty()));
  }

  private static Finding only(List<Finding> findings) {
    assertEquals(1, findings.size(), findings::toString);
    assertEquals(Code.ADDRESS_INCONSISTENT, findings.get(0).code());
    return findings.get(0);
  }

  @Test
  void aFailingBackend_isHigh() {
    ProbeOutcome main = completed("127.0.0.1", TlsVersion.TLS_1_3);
    Finding f = only(evaluate(InspectOptions.defaults(), main, main,
        failed("127.0.0.2", FailureKind.CONNECTION_REFUSED)));
    assertEquals(Severity.HIGH, f.severity());
    assertEquals(List.of("127.0.0.2"), f.evidence().get("differing"));
  }

  @Test
  void backendsThatAllWorkButDiffer_areMedium() {
    ProbeOutcome main = completed("127.0.0.1", TlsVersion.TLS_1_3);
    Finding f = only(evaluate(InspectOptions.defaults(), main, main, completed("127.0.0.2", TlsVersion.TLS_1_2)));
    assertEquals(Severity.MEDIUM, f.severity());
    assertEquals(List.of("version"), f.evidence().get("aspects"));
  }

  @Test
  void everyIpv6AddressUnreachable_whileIpv4Works_isLow_thisHostLikelyHasNoIpv6() {
    ProbeOutcome main = completed("127.0.0.1", TlsVersion.TLS_1_3);
    Finding f = only(evaluate(InspectOptions.defaults(), main, main,
        failed("2001:db8::1", FailureKind.HOST_UNREACHABLE), failed("2001:db8::2", FailureKind.HOST_UNREACHABLE)));
    assertEquals(Severity.LOW, f.severity());
  }

  @Test
  void oneIpv6AddressRefusing_isStillHigh() {
    ProbeOutcome main = completed("127.0.0.1", TlsVersion.TLS_1_3);
    Finding f = only(evaluate(InspectOptions.defaults(), main, main,
        failed("2001:db8::1", FailureKind.HOST_UNREACHABLE), failed("2001:db8::2", FailureKind.CONNECTION_REFUSED)));
    assertEquals(Severity.HIGH, f.severity());
  }

  @Test
  void quickMode_comparesNothing() {
    ProbeOutcome main = completed("127.0.0.2", TlsVersion.TLS_1_3);
    assertEquals(List.of(), evaluate(InspectOptions.builder().quick(true).build(), main,
        failed("127.0.0.1", FailureKind.CONNECTION_REFUSED), main));
  }
}
