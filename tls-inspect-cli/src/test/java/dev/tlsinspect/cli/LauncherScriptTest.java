package dev.tlsinspect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's launcher script, {@code ./tls-inspect}, run by bash in a copy of the repository
 * layout whose {@code mvnw} is a fake: it records its arguments, prints Maven-like lines and puts a
 * one-class jar ({@link FakeCliMain}) where the real build puts {@code tls-inspect.jar}. Covers when
 * the launcher builds (missing jar, a pom or a main source newer than the jar) and when it does
 * not, that build progress goes to standard error only, and a failed build.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "the launcher is a bash script")
class LauncherScriptTest {
  private static final String FAKE_MVNW = """
      #!/usr/bin/env bash
      # Fake Maven wrapper for LauncherScriptTest: records the call, then behaves like a build.
      echo "$*" >> mvnw-calls
      if [ -n "${FAKE_MVN_SILENCE:-}" ]; then sleep "$FAKE_MVN_SILENCE"; fi
      echo "[INFO] Scanning for projects..."
      echo "[INFO] Downloaded from central: https://repo.example/a.jar (1 kB at 1 kB/s)"
      echo "[INFO] Building tls-inspect-core 0.1.0-SNAPSHOT                     [1/2]"
      echo "[INFO] Building tls-inspect-cli 0.1.0-SNAPSHOT                      [2/2]"
      if [ -n "${FAKE_MVN_FAIL:-}" ]; then
        echo "[ERROR] COMPILATION ERROR : Broken.java:[3,1] class, interface expected"
        exit 1
      fi
      mkdir -p tls-inspect-cli/target
      cp fake.jar tls-inspect-cli/target/tls-inspect.jar
      """;

  @TempDir Path repo;
  private Path jar;
  private Path source;
  private Path modulePom;

  private record Run(int status, String out, String err) {}

  @BeforeEach
  void layOutRepository() throws IOException {
    Path launcher = Path.of("").toAbsolutePath().getParent().resolve("tls-inspect");
    assertTrue(Files.isRegularFile(launcher), "run from the tls-inspect-cli module: " + launcher);
    Files.copy(launcher, repo.resolve("tls-inspect"));
    Files.writeString(repo.resolve("mvnw"), FAKE_MVNW);
    for (String script : List.of("tls-inspect", "mvnw")) {
      Files.setPosixFilePermissions(repo.resolve(script), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.writeString(repo.resolve("pom.xml"), "<project/>\n");
    modulePom = Files.createDirectories(repo.resolve("tls-inspect-cli")).resolve("pom.xml");
    Files.writeString(modulePom, "<project/>\n");
    source = Files.createDirectories(repo.resolve("tls-inspect-core/src/main/java")).resolve("X.java");
    Files.writeString(source, "class X {}\n");
    writeFakeJar(repo.resolve("fake.jar"));
    jar = repo.resolve("tls-inspect-cli/target/tls-inspect.jar");
  }

  @Test
  void firstRun_buildsWithProgressOnStderr_andStdoutIsTheReport() throws Exception {
    Run run = launch(Map.of(), "--json", "example.test");

    assertEquals(4, run.status(), run::toString);
    assertEquals("fake report: --json example.test\n", run.out(), "standard output is the report only");
    assertTrue(run.err().startsWith("tls-inspect: building tls-inspect.jar (first run)...\n"), run.err());
    assertTrue(run.err().contains("tls-inspect: building tls-inspect-core [1/2]"), run.err());
    assertTrue(run.err().contains("tls-inspect: building tls-inspect-cli [2/2]"), run.err());
    assertTrue(run.err().contains("tls-inspect: built tls-inspect.jar in "), run.err());
    assertTrue(run.err().endsWith("fake note on stderr\n"), run.err());
    assertFalse(run.err().contains("[INFO]"), "Maven's own lines stay in the log: " + run.err());
    assertEquals(List.of("-B -DskipTests -Dquick -pl tls-inspect-cli -am package"), calls());
  }

  @Test
  void jarNewerThanEverySource_isNotRebuilt() throws Exception {
    install(Instant.now().minusSeconds(60));
    setTime(source, Instant.now().minusSeconds(3600));
    setTime(modulePom, Instant.now().minusSeconds(3600));
    setTime(repo.resolve("pom.xml"), Instant.now().minusSeconds(3600));

    Run run = launch(Map.of(), "x");

    assertEquals(4, run.status(), run::toString);
    assertEquals("fake report: x\n", run.out());
    assertEquals("fake note on stderr\n", run.err(), "no build, no progress");
    assertEquals(List.of(), calls());
  }

  @Test
  void mainSourceNewerThanJar_rebuildsOnce() throws Exception {
    Instant built = Instant.now().minusSeconds(3600);
    install(built);
    setTime(modulePom, built.minusSeconds(60));
    setTime(repo.resolve("pom.xml"), built.minusSeconds(60));
    setTime(source, built.plusSeconds(60)); // as after a git pull

    Run first = launch(Map.of(), "x");
    Run second = launch(Map.of(), "x");

    assertEquals(4, first.status(), first::toString);
    assertTrue(first.err().startsWith("tls-inspect: building tls-inspect.jar "
        + "(tls-inspect-core/src/main/java/X.java changed since it was built)...\n"), first.err());
    assertEquals("fake report: x\n", first.out());
    assertEquals("fake note on stderr\n", second.err(), "the rebuilt jar is up to date");
    assertEquals(1, calls().size(), calls()::toString);
  }

  @Test
  void pomNewerThanJar_rebuilds() throws Exception {
    Instant built = Instant.now().minusSeconds(3600);
    install(built);
    setTime(source, built.minusSeconds(60));
    setTime(repo.resolve("pom.xml"), built.minusSeconds(60));
    setTime(modulePom, built.plusSeconds(60));

    Run run = launch(Map.of(), "x");

    assertTrue(run.err().startsWith("tls-inspect: building tls-inspect.jar "
        + "(tls-inspect-cli/pom.xml changed since it was built)...\n"), run.err());
    assertEquals(1, calls().size(), calls()::toString);
  }

  @Test
  void quietBuild_stillShowsProgress() throws Exception {
    // Maven silent for 3 s with a 1 s tick: read times out at least twice, so there is a line.
    Run run = launch(Map.of("FAKE_MVN_SILENCE", "3", "TLS_INSPECT_TICK", "1"), "x");

    assertEquals(4, run.status(), run::toString);
    assertTrue(run.err().contains("tls-inspect: still building ("), run.err());
    assertTrue(run.err().contains(" s, 0 files downloaded)"), run.err());
    assertEquals("fake report: x\n", run.out());
  }

  @Test
  void failedBuild_exits3_withMavensErrors_andNoReport() throws Exception {
    Run run = launch(Map.of("FAKE_MVN_FAIL", "1"), "x");

    assertEquals(3, run.status(), run::toString);
    assertEquals("", run.out());
    assertTrue(run.err().contains(
        "[ERROR] COMPILATION ERROR : Broken.java:[3,1] class, interface expected\n"), run.err());
    assertTrue(run.err().contains("tls-inspect: building tls-inspect.jar failed; the whole log: "
        + repo.resolve("tmp")), run.err());
    assertFalse(Files.exists(jar));
  }

  private Run launch(Map<String, String> env, String... args) throws Exception {
    Files.createDirectories(repo.resolve("tmp"));
    ProcessBuilder pb = new ProcessBuilder();
    pb.command().add("bash");
    pb.command().add(repo.resolve("tls-inspect").toString());
    pb.command().addAll(List.of(args));
    pb.directory(repo.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("TLS_INSPECT_") || k.startsWith("FAKE_MVN"));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("TLS_INSPECT_CDS", "0");
    pb.environment().put("TMPDIR", repo.resolve("tmp").toString());
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Path out = repo.resolve("tmp/stdout");
    Path err = repo.resolve("tmp/stderr");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    Process p = pb.start();
    // A guard against a hung script, not a timing assertion.
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("the launcher did not finish: " + Files.readString(err));
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** A jar as the last build left it, modified at {@code when}. */
  private void install(Instant when) throws IOException {
    Files.createDirectories(jar.getParent());
    Files.copy(repo.resolve("fake.jar"), jar);
    setTime(jar, when);
  }

  private List<String> calls() throws IOException {
    Path calls = repo.resolve("mvnw-calls");
    return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
  }

  private static void setTime(Path file, Instant when) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(when));
  }

  private static void writeFakeJar(Path path) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeCliMain.class.getName());
    String entry = FakeCliMain.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(path);
        JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream in = FakeCliMain.class.getResourceAsStream("/" + entry)) {
      assertNotNull(in, entry);
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
  }
}
