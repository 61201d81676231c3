package dev.tlsinspect.examples;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the consumer-project tests share: this build's artifacts laid out as a private local
 * repository (never an install into the shared one), the Maven to run, and reading the results.
 */
final class ConsumerBuilds {
  private ConsumerBuilds() {}

  /** Lays out one artifact as Maven's local repository would after an install. */
  static void install(Path repo, String artifactId, String version, Path jarOrClasses, Path pom)
      throws IOException {
    Path dir = Files.createDirectories(repo.resolve("dev/tlsinspect").resolve(artifactId).resolve(version));
    Files.copy(pom, dir.resolve(artifactId + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
    if (jarOrClasses == null) {
      return;
    }
    Path jar = dir.resolve(artifactId + "-" + version + ".jar");
    if (Files.isDirectory(jarOrClasses)) {
      jar(jarOrClasses, jar); // a reactor build that stopped before package: target/classes
    } else {
      Files.copy(jarOrClasses, jar, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static void jar(Path classes, Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  /** This build's Maven ({@code maven.home}, given by Surefire), else the repository's wrapper. */
  static String maven(Path root) {
    String home = System.getProperty("maven.home", "");
    Path mvn = Path.of(home.isEmpty() ? "." : home, "bin", "mvn");
    if (!home.isEmpty() && Files.isExecutable(mvn)) {
      return mvn.toString();
    }
    return root.resolve("mvnw").toString();
  }

  static String property(String name) {
    String value = System.getProperty(name, "");
    if (value.isEmpty() || value.startsWith("${")) {
      return fail("system property " + name + " is not set: run this test with Maven "
          + "(tls-inspect-examples/pom.xml passes it to Surefire)");
    }
    return value;
  }

  static String attribute(String xml, String name) {
    Matcher m = Pattern.compile("<testsuite [^>]*\\b" + name + "=\"([^\"]*)\"").matcher(xml);
    return m.find() ? m.group(1) : fail("no " + name + " in " + xml);
  }

  /** The last lines of a build log, or why there is none. */
  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no build log: " + e + ")";
    }
  }
}
