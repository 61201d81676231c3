package dev.tlsinspect.check;

import dev.tlsinspect.Finding;
import java.util.List;

/**
 * A check: a pure function from what the probes observed to findings. Checks never do I/O.
 *
 * <p>Register a check in code with {@code TlsInspector.builder().addCheck(check)}, or for every
 * inspector by listing the class in
 * {@code META-INF/services/dev.tlsinspect.check.Check} (it then needs a public no-argument
 * constructor). A check that throws does not break the report: it becomes a
 * {@code CHECK_ERROR} finding naming the check.
 *
 * <pre>{@code
 * public final class PinnedIssuerCheck implements Check {
 *   public String id() { return "acme-pinned-issuer"; }
 *   public List<Finding> evaluate(CheckContext ctx) {
 *     return ctx.observation().flatMap(o -> o.leaf())
 *         .filter(leaf -> !leaf.getIssuerX500Principal().getName().contains("O=Acme"))
 *         .map(leaf -> List.of(Finding.builder(Code.of("ACME_UNEXPECTED_ISSUER"))
 *             .severity(Severity.HIGH).title("Certificate not issued by Acme CA")
 *             .detail("issuer: " + leaf.getIssuerX500Principal().getName())
 *             .remediation("Deploy the certificate issued by Acme CA.").build()))
 *         .orElse(List.of());
 *   }
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public interface Check {

  /**
   * A stable identifier, lower-case with dashes, for example {@code certificate-validity}.
   *
   * @return the id
   */
  String id();

  /**
   * Evaluates the observations.
   *
   * @param context what the probes saw and the inspection's options
   * @return the findings, possibly empty, never null
   */
  List<Finding> evaluate(CheckContext context);

  /**
   * What this check is: the codes it may report, the documents it follows, the release that added
   * it and the inputs it reads. Override it so that the catalogue and the test kit's harness can
   * hold the check to its codes; the default, for checks written before descriptors existed, is
   * derived from {@link #id()} and the class name and declares nothing.
   *
   * @return the descriptor, never null; its {@link CheckDescriptor#id() id} is {@link #id()}
   * @since 0.1.0
   */
  default CheckDescriptor descriptor() {
    return CheckDescriptor.derivedFrom(this);
  }
}
