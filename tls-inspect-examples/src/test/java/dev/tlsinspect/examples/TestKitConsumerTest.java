package dev.tlsinspect.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tlsinspect.Report;
import dev.tlsinspect.jsse.JsseProbe;
import dev.tlsinspect.testing.CertificateBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds {@code src/it/testkit-consumer}, a project that depends on tls-inspect-testing the way a
 * user's does, against the oldest JUnit 5 line it supports and against the project's own, and
 * checks that its tests ran and passed on the project's JUnit (not one the kit forces on it).
 *
 * <p>The consumer's Maven runs with a local repository of its own in a temporary directory,
 * holding this build's tls-inspect artifacts (copied from this test's class path, so nothing is
 * installed into the shared local repository); everything else is read from this build's local
 * repository as a read-only tail ({@code maven.repo.local.tail}), so the test works offline
 * whenever the outer build does.
 */
class TestKitConsumerTest {
  /** The oldest JUnit line the kit is tested with. */
  private static final String OLDEST_JUNIT = "5.10.3";

  @TempDir Path work;

  @Test
  void consumerOnOldestJUnit_runsTheKitsAssertions() throws Exception {
    buildConsumer(OLDEST_JUNIT);
  }

  @Test
  void consumerOnTheProjectsJUnit_runsTheKitsAssertions() throws Exception {
    buildConsumer(ConsumerBuilds.property("tlsinspect.junit.version"));
  }

  @Test
  void readmeShowsTheConsumerTest() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<String> lines = Files.readAllLines(Path.of(
        "src/it/testkit-consumer/src/test/java/com/example/consumer/ConsumerTlsTest.java"));
    int start = lines.indexOf("  // readme:start");
    int end = lines.indexOf("  // readme:end");
    assertTrue(start >= 0 && end > start, "readme markers in ConsumerTlsTest.java");
    String snippet = lines.subList(start + 1, end).stream()
        .map(l -> l.startsWith("  ") ? l.substring(2) : l)
        .collect(Collectors.joining("\n"));
    assertTrue(Files.readString(root.resolve("README.md")).contains("```java\n" + snippet + "\n```"),
        "README.md must show ConsumerTlsTest.java's readme region verbatim:\n" + snippet);
  }

  private void buildConsumer(String junitVersion) throws Exception {
    String version = ConsumerBuilds.property("tlsinspect.version");
    Path repo = work.resolve("repo");
    Path module = Path.of("").toAbsolutePath();
    Path root = module.getParent();
    ConsumerBuilds.install(repo, "tls-inspect-parent", version, null, root.resolve("pom.xml"));
    for (Class<?> type : List.of(Report.class, JsseProbe.class, CertificateBuilder.class)) {
      Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path moduleDir = location.getParent().getParent(); // <module>/target/{classes, x.jar}
      ConsumerBuilds.install(repo, moduleDir.getFileName().toString(), version, location, moduleDir.resolve("pom.xml"));
    }
    Path consumer = work.resolve("consumer");
    ConsumerBuilds.copyTree(module.resolve("src/it/testkit-consumer"), consumer);

    List<String> command = new ArrayList<>(List.of(ConsumerBuilds.maven(root), "-B", "-ntp",
        "-f", consumer.resolve("pom.xml").toString(),
        "-Dmaven.repo.local=" + repo,
        "-Dmaven.repo.local.tail=" + ConsumerBuilds.property("tlsinspect.outer.repository"),
        "-Dtlsinspect.version=" + version,
        "-Djunit.version=" + junitVersion));
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
    assertEquals(0, p.exitValue(), () -> "consumer build on JUnit " + junitVersion + " failed:\n" + log());

    Path report = consumer.resolve("target/surefire-reports/TEST-com.example.consumer.ConsumerTlsTest.xml");
    assertTrue(Files.isRegularFile(report), () -> "no test report; the build said:\n" + log());
    String xml = Files.readString(report);
    assertEquals("3", ConsumerBuilds.attribute(xml, "tests"), xml);
    assertEquals("0", ConsumerBuilds.attribute(xml, "failures"), xml);
    assertEquals("0", ConsumerBuilds.attribute(xml, "errors"), xml);
    assertEquals("0", ConsumerBuilds.attribute(xml, "skipped"), xml);
    assertTrue(xml.contains("name=\"expected.junit.version\" value=\"" + junitVersion + "\""), xml);
  }

  private String log() {
    return ConsumerBuilds.tail(work.resolve("build.log"), 60);
  }
}
