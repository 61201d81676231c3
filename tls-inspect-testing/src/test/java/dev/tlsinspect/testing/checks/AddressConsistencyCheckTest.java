package dev.tlsinspect.testing.checks;

import dev.tlsinspect.Code;
import dev.tlsinspect.Severity;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.CheckContexts;
import dev.tlsinspect.testing.CheckHarness;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hand-built outcomes at loopback addresses: nothing is contacted. */
class AddressConsistencyCheckTest {
  private static final CheckHarness ADDRESSES = CheckHarness.builtIn("address-consistency");

  private static InetSocketAddress at(String ip) {
    try {
      return new InetSocketAddress(InetAddress.getByName(ip), 443);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static ProbeOutcome completed(String ip) {
    return new ProbeOutcome.Completed(Observation.builder("stub").address(at(ip)).version(TlsVersion.TLS_1_3).build());
  }

  private static CheckContexts.Builder main(String ip) {
    return CheckContexts.builder().observe(o -> o.address(at(ip))).version(TlsVersion.TLS_1_3);
  }

  @Test
  void positive_aFailingBackend_isAddressInconsistent() {
    ProbeOutcome refused = new ProbeOutcome.Failed(new Failure(FailureKind.CONNECTION_REFUSED, "refused",
        Optional.empty(), Optional.empty(), Optional.of("TCP connect"), List.of(), new byte[0]),
        Observation.builder("stub").address(at("127.0.0.2")).build());
    ADDRESSES.run(main("127.0.0.1").otherAddresses(refused))
        .hasCodes(Code.ADDRESS_INCONSISTENT)
        .hasFinding(Code.ADDRESS_INCONSISTENT).hasSeverity(Severity.HIGH).detailContains("127.0.0.2");
  }

  @Test
  void negative_identicalBackends_areFine() {
    ADDRESSES.run(main("127.0.0.1").otherAddresses(completed("127.0.0.2"))).isFine();
  }

  @Test
  void notApplicable_withOneAddress() {
    ADDRESSES.run(main("127.0.0.1")).isNotApplicable();
  }
}
