package dev.tlsinspect.testing.checks;

import dev.tlsinspect.Code;
import dev.tlsinspect.Severity;
import dev.tlsinspect.probe.Alert;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.TlsVersion;
import dev.tlsinspect.testing.CheckContexts;
import dev.tlsinspect.testing.CheckHarness;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One case per failure family; core's ConnectFailuresTest covers the classification of socket errors. */
class HandshakeFailureCheckTest {
  private static final CheckHarness FAILURE = CheckHarness.builtIn("handshake-failure");

  @Test
  void positive_refusedConnect_isConnectionRefused_theRootCause() {
    FAILURE.run(CheckContexts.builder().failed(Failure.of(FailureKind.CONNECTION_REFUSED, "Connection refused")))
        .hasCodes(Code.CONNECTION_REFUSED)
        .hasFinding(Code.CONNECTION_REFUSED).hasSeverity(Severity.CRITICAL).isRootCause()
        .hasEvidence("failure", "CONNECTION_REFUSED").hasEvidence("message", "Connection refused");
  }

  @Test
  void positive_protocolVersionAlert_isNoCommonProtocol() {
    Failure alert = new Failure(FailureKind.ALERT_RECEIVED, "Received fatal alert: protocol_version",
        Optional.of(Alert.of(true, true, 70)), Optional.empty(), Optional.of("after ClientHello"),
        List.of(), new byte[0]);
    FAILURE.run(CheckContexts.builder().version(TlsVersion.TLS_1_3).failed(alert))
        .hasCodes(Code.NO_COMMON_PROTOCOL)
        .hasFinding(Code.NO_COMMON_PROTOCOL).hasSeverity(Severity.CRITICAL).isRootCause()
        .hasEvidence("alert", "protocol_version");
  }

  @Test
  void positive_httpAnswer_isNotTls() {
    byte[] http = "HTTP/1.1 400 Bad Request\r\n".getBytes(StandardCharsets.US_ASCII);
    Failure plaintext = new Failure(FailureKind.NOT_TLS, "plaintext HTTP answer", Optional.empty(),
        Optional.of("HTTP"), Optional.of("after ClientHello"), List.of(), http);
    FAILURE.run(CheckContexts.builder().failed(plaintext))
        .hasFinding(Code.NOT_TLS).hasSeverity(Severity.CRITICAL).isRootCause().hasEvidence("protocol", "HTTP");
  }

  @Test
  void negative_completedHandshake_isFine() {
    FAILURE.run(CheckContexts.builder().version(TlsVersion.TLS_1_3)).isFine();
  }

  @Test
  void notApplicable_whenNoHandshakeWasMade() {
    FAILURE.run(CheckContexts.builder().outcome(new ProbeOutcome.Skipped("not probed"))).isNotApplicable();
  }
}
