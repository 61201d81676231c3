package dev.tlsinspect.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tlsinspect.Code;
import dev.tlsinspect.Diagnoses;
import dev.tlsinspect.Finding;
import dev.tlsinspect.TlsInspector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The built-in checks' descriptors against the catalogue: every check declares itself, every code
 * it builds a finding with is declared, every declared code is one the catalogue reports, and
 * every catalogue code has an emitter or is marked planned. The test kit's {@code CheckHarness}
 * adds the run-time half: every finding a check returns in a harness test must be declared.
 */
public class CheckDescriptorsTest {
  /**
   * Catalogue codes that the inspection makes itself, not a check: the site's catalogue page names
   * these as their emitter.
   */
  public static final Map<Code, String> MADE_OUTSIDE_CHECKS =
      Map.ofEntries(Map.entry(Code.CHECK_ERROR, "the inspection (a check that throws)"),
          Map.entry(Code.ENUMERATION_UNAVAILABLE, "the inspection (no provider could enumerate)"),
          Map.entry(Code.INSPECTION_INCOMPLETE, "the inspection (the deadline passed before any probe)"),
          Map.entry(Code.STORE_UNREADABLE, "`StoreInspector`"),
          Map.entry(Code.STORE_TRUST_EMPTY, "`StoreInspector`"),
          Map.entry(Code.STORE_CERT_EXPIRED, "`StoreInspector`"),
          Map.entry(Code.STORE_CERT_EXPIRING_SOON, "`StoreInspector`"),
          Map.entry(Code.STORE_KEY_MISMATCH, "`StoreInspector`"),
          Map.entry(Code.STORE_CHAIN_INCOMPLETE, "`StoreInspector`"),
          Map.entry(Code.STORE_DUPLICATE_ALIAS, "`StoreInspector`"),
          Map.entry(Code.STORE_UNUSED_ALIAS, "`StoreInspector`"),
          Map.entry(Code.JDK_UPGRADE_BREAKS, "`JdkUpgrade`"),
          Map.entry(Code.CERT_ALTERNATE,
              "the inspection (a certificate for another key type, from the enumeration)"),
          Map.entry(Code.HEARTBLEED, "the inspection's active probes (opt-in)"),
          Map.entry(Code.CCS_INJECTION, "the inspection's active probes (opt-in)"),
          Map.entry(Code.ROBOT, "the inspection's active probes (opt-in)"),
          Map.entry(Code.ACTIVE_PROBES_RUN, "the inspection's active probes (opt-in)"),
          Map.entry(Code.SSLV2_ENDPOINTS_CHECKED, "the inspection (other endpoints named for DROWN, opt-in)"),
          Map.entry(Code.APP_TLS_USED, "the inspection (with the application's TLS objects)"),
          Map.entry(Code.APP_TLS_FAILS,
              "the inspection (the application's handshake against this JVM's default)"));

  private static final Pattern BUILDER_CODES = Pattern.compile("Finding\\.builder\\(([^;]*?)\\)");
  private static final Pattern CODE = Pattern.compile("Code\\.([A-Z][A-Z0-9_]+)");

  @Test
  void everyBuiltInCheck_declaresItself() {
    for (Check c : TlsInspector.builtInChecks()) {
      CheckDescriptor d = c.descriptor();
      assertEquals(c.id(), d.id(), "descriptor id of " + c.getClass().getSimpleName());
      assertTrue(d.declared(), c.id() + " declares no codes");
      assertEquals(Optional.of("0.1.0"), d.since(), c.id() + ": every existing check came in 0.1.0");
      assertFalse(d.summary().isBlank(), c.id() + " has no summary");
      assertFalse(d.inputs().isEmpty(), c.id() + " names no inputs");
      for (Code code : d.codes()) {
        Diagnoses.Diagnosis entry = Diagnoses.find(code)
            .orElseGet(() -> fail(c.id() + " declares " + code + ", which the catalogue lacks"));
        assertFalse(entry.planned(), c.id() + " declares " + code
            + ", which the catalogue marks planned: mark it reported in diagnoses.tsv");
      }
    }
  }

  @Test
  void everyCatalogueCode_hasAnEmitter_orIsPlanned() {
    Set<Code> declared = new HashSet<>(MADE_OUTSIDE_CHECKS.keySet());
    TlsInspector.builtInChecks().forEach(c -> declared.addAll(c.descriptor().codes()));
    List<String> problems = new ArrayList<>();
    for (Diagnoses.Diagnosis d : Diagnoses.all()) {
      if (d.planned() && declared.contains(d.code())) {
        problems.add(d.code() + " is planned but declared by a check: mark it reported");
      } else if (!d.planned() && !declared.contains(d.code())) {
        problems.add(d.code() + " is reported but no check declares it: declare it or mark it planned");
      }
      assertEquals("0.1.0", d.since(), d.code() + ": every code so far came in 0.1.0");
    }
    assertEquals(List.of(), problems);
  }

  /**
   * A static cross-check of the descriptors against the sources: each code a check names in a
   * {@code Finding.builder(...)} call is declared, and each declared code appears in the check's
   * source (or in the helper it delegates to). The run-time half is in the harness tests.
   */
  @Test
  void descriptors_matchTheCodesTheSourcesBuild() throws IOException {
    Path main = module().resolve("src/main/java");
    List<String> problems = new ArrayList<>();
    for (Check c : TlsInspector.builtInChecks()) {
      String source = source(main, c.getClass());
      if (c.getClass().getSimpleName().equals("EnumerationCheck")) {
        // The DH parameter findings are built by the group table the check hands the parameters to.
        source += source(main, c.getClass().getPackageName() + ".DhGroups");
      }
      Set<String> built = new TreeSet<>();
      Matcher m = BUILDER_CODES.matcher(source);
      while (m.find()) {
        Matcher code = CODE.matcher(m.group(1));
        while (code.find()) {
          built.add(code.group(1));
        }
      }
      CheckDescriptor d = c.descriptor();
      for (String code : built) {
        if (!d.mayReport(Code.of(code))) {
          problems.add(c.id() + " builds " + code + " but does not declare it");
        }
      }
      for (Code code : d.codes()) {
        if (!source.contains("Code." + code.name())) {
          problems.add(c.id() + " declares " + code + " but its source never names it");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void aCheckWithoutDescriptor_getsOneDerivedFromItsClass() {
    Check custom = new AcmePinnedIssuerCheck();
    CheckDescriptor d = custom.descriptor();
    assertEquals("acme-pinned-issuer", d.id());
    assertEquals("Acme pinned issuer check", d.summary());
    assertFalse(d.declared());
    assertEquals(Optional.empty(), d.since());
    assertEquals(List.of(), d.references());
    Check legacy = new AcmePinnedIssuerCheck() {
      @Override
      public String id() {
        return "Acme_Legacy"; // ids were never validated; the derived descriptor must not throw
      }
    };
    assertEquals("Acme_Legacy", legacy.descriptor().id());
  }

  @Test
  void builder_rejectsMalformedMetadata() {
    assertThrows(IllegalArgumentException.class, () -> CheckDescriptor.builder("Not_An_Id").build());
    assertThrows(IllegalArgumentException.class,
        () -> CheckDescriptor.builder("x").since("next").build());
    assertThrows(IllegalArgumentException.class,
        () -> CheckDescriptor.builder("x").codes(Code.CERT_EXPIRED, Code.CERT_EXPIRED).build());
    assertThrows(IllegalArgumentException.class, () -> CheckDescriptor.builder("x").reference(" ").build());
    CheckDescriptor ok = CheckDescriptor.builder("acme-x").codes(Code.of("ACME_X")).since("1.2.0")
        .needs(CheckDescriptor.Input.PEER_CHAIN, CheckDescriptor.Input.MAIN_HANDSHAKE).build();
    assertEquals(List.of(CheckDescriptor.Input.MAIN_HANDSHAKE, CheckDescriptor.Input.PEER_CHAIN),
        List.copyOf(ok.inputs()), "inputs keep the enum's order");
  }

  private static class AcmePinnedIssuerCheck implements Check {
    @Override
    public String id() {
      return "acme-pinned-issuer";
    }

    @Override
    public List<Finding> evaluate(CheckContext context) {
      return List.of();
    }
  }

  private static String source(Path main, Class<?> type) throws IOException {
    return source(main, type.getName());
  }

  private static String source(Path main, String className) throws IOException {
    Path file = main.resolve(className.replace('.', '/') + ".java");
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static Path module() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("tls-inspect-core/src/main/java"))) {
        return d.resolve("tls-inspect-core");
      }
      if (Files.isDirectory(d.resolve("src/main/java/dev/tlsinspect/check"))) {
        return d;
      }
    }
    return fail("no tls-inspect-core sources above " + Path.of("").toAbsolutePath());
  }
}
