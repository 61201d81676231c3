package dev.tlsinspect.testing.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.check.Check;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each built-in check has a test class of its own here, named after it, so that a new check cannot
 * arrive with only end-to-end coverage. Together with the harness, which fails any run that
 * reports an undeclared code, these classes are the run-time half of the descriptor checks (core's
 * CheckDescriptorsTest is the static half).
 */
class EveryBuiltInCheckHasATestTest {

  @Test
  void everyBuiltInCheck_hasItsOwnHarnessTest() {
    List<String> missing = new ArrayList<>();
    for (Check check : TlsInspector.builtInChecks()) {
      String test = getClass().getPackageName() + "." + check.getClass().getSimpleName() + "Test";
      try {
        Class.forName(test);
      } catch (ClassNotFoundException e) {
        missing.add(check.id() + " (" + test + ")");
      }
    }
    assertEquals(List.of(), missing);
  }
}
