package dev.tlsinspect.internal.explain;

import dev.tlsinspect.Code;
import dev.tlsinspect.Explanation.Candidate;
import dev.tlsinspect.Explanation.Verification;
import dev.tlsinspect.Explanation;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Report;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Picks the candidate a live inspection confirms: the most likely candidate that the report names
 * as a root cause; else the most likely one among its findings (MEDIUM or worse: an INFO or LOW
 * finding does not make a handshake fail). Not API.
 */
public final class Verifier {
  private Verifier() {}

  /**
   * Adds the verification to an explanation.
   *
   * @param explanation the explanation, with candidates
   * @param report the live inspection's report
   * @return the explanation with its verification
   */
  public static Explanation verify(Explanation explanation, Report report) {
    List<Code> roots = report.rootCauses().stream().map(Finding::code).distinct().toList();
    String target = report.target().toString();
    for (Candidate c : explanation.candidates()) {
      if (roots.contains(c.code())) {
        return explanation.withVerification(new Verification(Verification.Status.CONFIRMED_ROOT_CAUSE,
            Optional.of(c.code()), roots, "Confirmed: the live inspection of " + target + " reports "
                + c.code() + " as the root cause.", report));
      }
    }
    for (Candidate c : explanation.candidates()) {
      boolean found = report.findings().stream()
          .anyMatch(f -> f.code().equals(c.code()) && f.severity().atLeast(Severity.MEDIUM));
      if (found) {
        String context = roots.isEmpty()
            ? "the handshake from here completes, but the finding is there"
            : "its own root cause is " + join(roots);
        return explanation.withVerification(new Verification(Verification.Status.CONFIRMED_FINDING,
            Optional.of(c.code()), roots, "Confirmed: the live inspection of " + target + " reports "
                + c.code() + " (" + context + ").", markRootCause(report, c.code())));
      }
    }
    String seen = roots.isEmpty()
        ? "the handshake from here completes (verdict " + report.verdict() + "): the failing client "
            + "may use other trust material, versions, suites or a client certificate, or the "
            + "problem was fixed or is intermittent"
        : "the live inspection reports " + join(roots) + " as the root cause";
    return explanation.withVerification(new Verification(Verification.Status.NOT_CONFIRMED,
        Optional.empty(), roots, "Not confirmed: the exception points at "
            + join(explanation.candidateCodes()) + "; " + seen + ".", report));
  }

  private static String join(List<Code> codes) {
    return codes.stream().map(Code::name).collect(Collectors.joining(", "));
  }

  private static Report markRootCause(Report report, Code code) {
    List<Finding> findings = new ArrayList<>();
    for (Finding f : report.findings()) {
      findings.add(f.code().equals(code) && f.severity().atLeast(Severity.MEDIUM) ? f.withRootCause(true) : f);
    }
    findings.sort(Comparator.comparing(Finding::rootCause).reversed()
        .thenComparing(Comparator.comparing(Finding::severity).reversed()));
    return new Report(report.target(), Verdict.of(findings), findings, report.protocols(),
        report.cipherSuites(), report.certificateChain(), report.timings(), report.addresses(),
        report.provider(), report.inspectedAt(), report.outcomes());
  }
}
