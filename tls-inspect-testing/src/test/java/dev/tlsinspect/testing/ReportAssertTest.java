package dev.tlsinspect.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.Timings;
import dev.tlsinspect.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class ReportAssertTest {
    private static Report report(Finding... findings) {
        List<Finding> list = List.of(findings);
        return new Report(Target.of("service.test", 443), Verdict.of(list), list, List.of(), Map.of(),
                List.of(), new Timings(0, 0, 0, 0), List.of(), "stub", Instant.EPOCH, List.of());
    }

    private static final Finding EXPIRED = Finding.builder(Code.CERT_EXPIRED).rootCause(true)
            .detail("valid until yesterday").remediation("Renew it").evidence("daysOverdue", 3).build();
    private static final Finding SOON = Finding.builder(Code.CERT_EXPIRING_SOON).build();

    @Test
    void passingChain_readsLikeTheReport() {
        ReportAssert.assertThat(report(EXPIRED, SOON))
                .hasVerdict(Verdict.FAIL)
                .hasRootCauses(Code.CERT_EXPIRED)
                .hasFinding(Code.CERT_EXPIRED).hasSeverity(Severity.CRITICAL).isRootCause()
                .hasEvidence("daysOverdue", 3).hasEvidence("daysOverdue")
                .detailContains("yesterday").remediationContains("Renew")
                .and().hasFinding(Code.CERT_EXPIRING_SOON).isNotRootCause()
                .and().doesNotHaveFinding(Code.HOSTNAME_MISMATCH)
                .hasNoFindingAtLeast(Severity.HIGH, Code.CERT_EXPIRED);
    }

    @Test
    void only_returnsTheOneFinding_andFailsOnNoneOrSeveral() {
        assertEquals(EXPIRED, ReportAssert.only(report(EXPIRED, SOON), Code.CERT_EXPIRED));
        assertEquals(List.of(SOON, SOON), ReportAssert.findings(report(SOON, EXPIRED, SOON), Code.CERT_EXPIRING_SOON));
        AssertionFailedError none = assertThrows(AssertionFailedError.class,
                () -> ReportAssert.only(report(SOON), Code.CERT_EXPIRED));
        assertTrue(none.getMessage().contains("CERT_EXPIRING_SOON MEDIUM"), none.getMessage());
        assertThrows(AssertionFailedError.class, () -> ReportAssert.only(report(SOON, SOON), Code.CERT_EXPIRING_SOON));
    }

    @Test
    void missingFinding_failsNamingWhatWasFound() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> ReportAssert.assertThat(report(SOON)).hasFinding(Code.CERT_EXPIRED));
        assertTrue(e.getMessage().startsWith("expected a CERT_EXPIRED finding"), e.getMessage());
        assertTrue(e.getMessage().contains("CERT_EXPIRING_SOON MEDIUM"), e.getMessage());
    }

    @Test
    void eachAssertionFails_whenItShould() {
        ReportAssert a = ReportAssert.assertThat(report(EXPIRED));
        assertThrows(AssertionFailedError.class, () -> a.hasVerdict(Verdict.PASS));
        assertThrows(AssertionFailedError.class, () -> a.doesNotHaveFinding(Code.CERT_EXPIRED));
        assertThrows(AssertionFailedError.class, () -> a.hasNoFindingAtLeast(Severity.HIGH));
        assertThrows(AssertionFailedError.class, () -> a.hasRootCauses(Code.CHAIN_UNTRUSTED));
        ReportAssert.FindingAssert f = a.hasFinding(Code.CERT_EXPIRED);
        assertThrows(AssertionFailedError.class, () -> f.hasSeverity(Severity.LOW));
        assertThrows(AssertionFailedError.class, f::isNotRootCause);
        assertThrows(AssertionFailedError.class, () -> f.hasEvidence("daysOverdue", 4));
        assertThrows(AssertionFailedError.class, () -> f.hasEvidence("missing"));
        assertThrows(AssertionFailedError.class, () -> f.detailContains("tomorrow"));
        assertThrows(AssertionFailedError.class, () -> f.remediationContains("Ignore"));
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> ReportAssert.assertThat(report(SOON)).hasFinding(Code.CERT_EXPIRING_SOON).isRootCause());
        assertEquals(true, e.getExpected().getValue());
    }
}
