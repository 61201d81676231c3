package dev.tlsinspect;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules written in each {@code package-info.java}, enforced over the compiled main
 * classes: the internal packages form a layered graph with no cycle, and of the API only the
 * facades call into them.
 */
class PackageRulesTest {

  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.tlsinspect");

  private static final String API = "dev.tlsinspect";
  private static final String INTERNAL = "dev.tlsinspect.internal..";
  private static final List<String> FACADES = List.of(API + ".TlsInspector", API + ".TlsExplainer",
      API + ".logs.LogAnalyzer", API + ".StoreInspector", API + ".JdkUpgrade");

  private static void check(ArchRule rule) {
    rule.check(CORE);
  }

  private static ArchRule internalPackageMayUseOnly(String pkg, String... allowedInternal) {
    String[] forbidden = Stream.of("registry", "trace", "cert", "protocol", "network",
            "explain", "logs", "inspect", "store", "capture")
        .filter(p -> !p.equals(pkg) && !List.of(allowedInternal).contains(p))
        .map(p -> "dev.tlsinspect.internal." + p + "..")
        .toArray(String[]::new);
    return noClasses().that().resideInAPackage("dev.tlsinspect.internal." + pkg + "..")
        .should().dependOnClassesThat().resideInAnyPackage(forbidden)
        .because("package-info.java of internal." + pkg + " names what it may depend on");
  }

  @Test
  void theImport_seesTheMainClasses() {
    org.junit.jupiter.api.Assertions.assertTrue(
        CORE.contain("dev.tlsinspect.internal.inspect.Inspection") && CORE.contain("dev.tlsinspect.TlsInspector"),
        "the rules below would pass on an empty import");
  }

  @Test
  void internalPackages_haveNoCycles() {
    check(slices().matching("dev.tlsinspect.internal.(*)..").should().beFreeOfCycles());
  }

  @Test
  void theRegistry_dependsOnTheJdkOnly() {
    check(noClasses().that().resideInAPackage("dev.tlsinspect.internal.registry..")
        .should().dependOnClassesThat().resideOutsideOfPackages("java..", "javax..",
            "dev.tlsinspect.internal.registry.."));
  }

  @Test
  void leafAnalysisPackages_dependOnTheApiAndTheRegistryOnly() {
    check(internalPackageMayUseOnly("trace", "registry"));
    check(internalPackageMayUseOnly("cert", "registry"));
    check(internalPackageMayUseOnly("protocol", "registry"));
    check(internalPackageMayUseOnly("explain", "registry"));
    check(internalPackageMayUseOnly("logs", "registry"));
    check(internalPackageMayUseOnly("store", "registry"));
  }

  @Test
  void networkFindings_mayUseCertificateAndProtocolAnalysis() {
    check(internalPackageMayUseOnly("network", "registry", "cert", "protocol"));
  }

  @Test
  void theInspection_neverUsesExplainOrLogs() {
    check(internalPackageMayUseOnly("inspect", "registry", "cert", "protocol", "network"));
  }

  @Test
  void theCapture_dependsOnTheJdkOnly() {
    check(noClasses().that().resideInAPackage("dev.tlsinspect.internal.capture..")
        .should().dependOnClassesThat().resideOutsideOfPackages("java..", "javax..",
            "dev.tlsinspect.internal.capture.."));
  }

  @Test
  void apiValueAndSpiPackages_useNoInternalPackageButTheRegistry() {
    check(noClasses().that().resideInAnyPackage(API + ".probe..", API + ".check..", API + ".policy..",
            API + ".health..")
        .should().dependOnClassesThat(
            resideInAPackage(INTERNAL).and(not(resideInAPackage("dev.tlsinspect.internal.registry..")))));
  }

  @Test
  void onlyTheFacades_callIntoTheAnalysis() {
    DescribedPredicate<JavaClass> facade = DescribedPredicate.describe(
        "a facade (TlsInspector, TlsExplainer, LogAnalyzer)",
        c -> FACADES.stream().anyMatch(f -> c.getName().equals(f) || c.getName().startsWith(f + "$")));
    check(noClasses().that().resideInAnyPackage(API, API + ".logs").and(not(facade))
        .should().dependOnClassesThat().resideInAnyPackage("dev.tlsinspect.internal.inspect..",
            "dev.tlsinspect.internal.explain..", "dev.tlsinspect.internal.logs..",
            "dev.tlsinspect.internal.cert..", "dev.tlsinspect.internal.protocol..",
            "dev.tlsinspect.internal.network..", "dev.tlsinspect.internal.trace..",
            "dev.tlsinspect.internal.store.."));
  }
}
