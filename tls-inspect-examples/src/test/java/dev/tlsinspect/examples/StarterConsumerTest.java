package dev.tlsinspect.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tlsinspect.Report;
import dev.tlsinspect.jsse.JsseProbe;
import dev.tlsinspect.micrometer.TlsMeterBinder;
import dev.tlsinspect.spring.boot.autoconfigure.TlsInspectAutoConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds {@code src/it/starter-consumer}, a Spring Boot application outside the reactor that
 * imports {@code tls-inspect-bom} and depends on {@code tls-inspect-spring-boot-starter} alone,
 * and checks that it compiles and that its test passes.
 *
 * <p>As {@link TestKitConsumerTest} does: the consumer's Maven runs with a local repository of
 * its own in a temporary directory, holding this build's tls-inspect artifacts (copied from the
 * modules' build output, nothing installed into the shared local repository), and reads
 * everything else from this build's local repository as a read-only tail.
 */
class StarterConsumerTest {
  @TempDir Path work;

  @Test
  void consumerWithTheBomAndTheStarterAlone_compilesAndPasses() throws Exception {
    String version = ConsumerBuilds.property("tlsinspect.version");
    Path repo = work.resolve("repo");
    Path module = Path.of("").toAbsolutePath();
    Path root = module.getParent();
    ConsumerBuilds.install(repo, "tls-inspect-parent", version, null, root.resolve("pom.xml"));
    ConsumerBuilds.install(repo, "tls-inspect-bom", version, null, root.resolve("tls-inspect-bom/pom.xml"));
    for (Class<?> type : List.of(Report.class, JsseProbe.class, TlsMeterBinder.class,
        TlsInspectAutoConfiguration.class)) {
      Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path moduleDir = location.getParent().getParent(); // <module>/target/{classes, x.jar}
      ConsumerBuilds.install(repo, moduleDir.getFileName().toString(), version, location, moduleDir.resolve("pom.xml"));
    }
    // The starter has no classes: its jar when packaged, else an empty one.
    Path starter = root.resolve("tls-inspect-spring-boot-starter");
    Path starterJar = starter.resolve("target/tls-inspect-spring-boot-starter-" + version + ".jar");
    Path starterClasses = Files.createDirectories(work.resolve("starter-classes"));
    ConsumerBuilds.install(repo, "tls-inspect-spring-boot-starter", version,
        Files.isRegularFile(starterJar) ? starterJar : starterClasses, starter.resolve("pom.xml"));
    assertConfigurationMetadata(repo, version);

    Path consumer = work.resolve("consumer");
    ConsumerBuilds.copyTree(module.resolve("src/it/starter-consumer"), consumer);
    List<String> command = new ArrayList<>(List.of(ConsumerBuilds.maven(root), "-B", "-ntp",
        "-f", consumer.resolve("pom.xml").toString(),
        "-Dmaven.repo.local=" + repo,
        "-Dmaven.repo.local.tail=" + ConsumerBuilds.property("tlsinspect.outer.repository"),
        "-Dtlsinspect.version=" + version));
    if (ConsumerBuilds.property("tlsinspect.outer.offline").equals("offline=true")) {
      command.add("-o");
    }
    command.add("test");
    ProcessBuilder pb = new ProcessBuilder(command).directory(consumer.toFile())
        .redirectErrorStream(true).redirectOutput(work.resolve("build.log").toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("MAVEN_ARGS");
    Process p = pb.start();
    // A guard against a hung build, not a timing assertion.
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("the consumer build did not finish:\n" + log());
    }
    assertEquals(0, p.exitValue(), () -> "the starter consumer's build failed:\n" + log());

    Path report = consumer.resolve("target/surefire-reports/TEST-com.example.app.ConsumerApplicationTest.xml");
    assertTrue(Files.isRegularFile(report), () -> "no test report; the build said:\n" + log());
    String xml = Files.readString(report);
    assertEquals("1", ConsumerBuilds.attribute(xml, "tests"), xml);
    assertEquals("0", ConsumerBuilds.attribute(xml, "failures"), xml);
    assertEquals("0", ConsumerBuilds.attribute(xml, "errors"), xml);
    assertEquals("0", ConsumerBuilds.attribute(xml, "skipped"), xml);
  }

  @Test
  void readmeShowsTheConsumersStarterDependency() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<String> lines = Files.readAllLines(Path.of("src/it/starter-consumer/pom.xml"));
    int start = lines.indexOf("    <!-- readme:start -->");
    int end = lines.indexOf("    <!-- readme:end -->");
    assertTrue(start >= 0 && end > start, "readme markers in src/it/starter-consumer/pom.xml");
    String snippet = lines.subList(start + 1, end).stream()
        .map(l -> l.startsWith("    ") ? l.substring(4) : l)
        .collect(java.util.stream.Collectors.joining("\n"));
    assertTrue(Files.readString(root.resolve("README.md")).contains("```xml\n" + snippet + "\n```"),
        "README.md must show the consumer's starter dependency verbatim:\n" + snippet);
  }

  /** IDEs complete tls-inspect.* from the metadata the configuration processor wrote. */
  private static void assertConfigurationMetadata(Path repo, String version) throws IOException {
    Path jar = repo.resolve("dev/tlsinspect/tls-inspect-spring-boot-autoconfigure").resolve(version)
        .resolve("tls-inspect-spring-boot-autoconfigure-" + version + ".jar");
    try (JarFile file = new JarFile(jar.toFile())) {
      JarEntry entry = file.getJarEntry("META-INF/spring-configuration-metadata.json");
      assertTrue(entry != null, "no configuration metadata in " + jar);
      String json = new String(file.getInputStream(entry).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      for (String property : List.of("tls-inspect.targets", "tls-inspect.budget",
          "tls-inspect.refresh-interval", "tls-inspect.enabled", "tls-inspect.fail-on-startup")) {
        assertTrue(json.contains("\"name\": \"" + property + "\""), property + " in " + json);
      }
    }
  }

  private String log() {
    return ConsumerBuilds.tail(work.resolve("build.log"), 80);
  }
}
