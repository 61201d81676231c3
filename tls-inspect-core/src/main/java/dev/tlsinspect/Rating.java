package dev.tlsinspect;

import dev.tlsinspect.probe.TlsVersion;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An overall grade from A+ to F, computed from a report's findings by the published rules (the
 * site's rating page), with every rule that capped it. The grade is information for people used
 * to scanners' grades; the {@linkplain Verdict verdict} alone decides pass or fail, and no rule
 * here changes it.
 *
 * <p>Every rule caps the grade: the grade is the lowest cap of the rules that apply, A when none
 * does, and A+ when none does and the server accepts TLS 1.3.
 *
 * @param grade {@code A+}, {@code A}, {@code A-}, {@code B}, {@code C}, {@code D} or {@code F}
 * @param cappedBy the rules that applied, worst cap first; empty for A and A+
 * @since 0.1.0
 */
public record Rating(String grade, List<Rating.Cap> cappedBy) {
  /** The grades, best first. */
  public static final List<String> GRADES = List.of("A+", "A", "A-", "B", "C", "D", "F");

  /** Broken cryptography an attacker in the path can use today: at most D. */
  private static final Set<Code> BROKEN = Set.of(Code.POODLE, Code.FREAK, Code.LOGJAM, Code.CIPHER_RC4,
      Code.CIPHER_DES, Code.DH_PARAMS_INSECURE);

  /** The rules, in the order the site's rating page lists them. */
  private static final List<Rule> RULES = List.of(
      new Rule("handshake-fails", "F", "a finding is the root cause of a failed handshake",
          f -> f.rootCause()),
      new Rule("critical", "F", "a CRITICAL finding", f -> f.severity() == Severity.CRITICAL),
      new Rule("broken-crypto", "D", "POODLE, FREAK, Logjam with export suites, RC4, single DES or "
          + "insecure DH parameters", f -> BROKEN.contains(f.code()) && f.severity().atLeast(Severity.HIGH)),
      new Rule("high", "C", "a HIGH finding", f -> f.severity() == Severity.HIGH),
      new Rule("not-enumerated", "B", "versions and cipher suites were not enumerated",
          f -> f.code().equals(Code.ENUMERATION_UNAVAILABLE)),
      new Rule("medium", "B", "a MEDIUM finding", f -> f.severity() == Severity.MEDIUM),
      new Rule("low", "A-", "a LOW finding", f -> f.severity() == Severity.LOW));

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException when the grade is not one of {@link #GRADES}
   */
  public Rating {
    if (!GRADES.contains(Objects.requireNonNull(grade, "grade"))) {
      throw new IllegalArgumentException("unknown grade: " + grade);
    }
    cappedBy = List.copyOf(cappedBy);
  }

  /**
   * One rule that capped the grade.
   *
   * @param rule the rule's name on the rating page, for example {@code medium}
   * @param grade the best grade the rule allows
   * @param reason what the rule says
   * @param codes the codes of the findings that made the rule apply, each once
   * @since 0.1.0
   */
  public record Cap(String rule, String grade, String reason, List<String> codes) {
    /**
     * Validates and copies.
     *
     * @throws NullPointerException when a component is null
     */
    public Cap {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(grade, "grade");
      Objects.requireNonNull(reason, "reason");
      codes = List.copyOf(codes);
    }
  }

  private record Rule(String name, String cap, String reason, Predicate<Finding> applies) {}

  /**
   * Rates findings.
   *
   * @param findings the findings of a report
   * @param protocols the protocol versions the server accepted, by name ({@code TLSv1.3}, ...)
   * @return the rating
   * @since 0.1.0
   */
  public static Rating of(List<Finding> findings, List<String> protocols) {
    List<Cap> caps = new ArrayList<>();
    for (Rule rule : RULES) {
      Set<String> codes = new LinkedHashSet<>();
      for (Finding f : findings) {
        if (rule.applies().test(f)) {
          codes.add(f.code().name());
        }
      }
      if (!codes.isEmpty()) {
        caps.add(new Cap(rule.name(), rule.cap(), rule.reason(), List.copyOf(codes)));
      }
    }
    caps.sort(java.util.Comparator.comparingInt((Cap c) -> GRADES.indexOf(c.grade())).reversed());
    if (!caps.isEmpty()) {
      return new Rating(caps.get(0).grade(), caps);
    }
    return new Rating(protocols.contains(TlsVersion.TLS_1_3.name()) ? "A+" : "A", List.of());
  }

  /**
   * The rules as (name, cap, reason) rows, in the order of the rating page.
   *
   * @return the rows
   * @since 0.1.0
   */
  public static List<List<String>> rules() {
    return RULES.stream().map(r -> List.of(r.name(), r.cap(), r.reason())).toList();
  }
}
