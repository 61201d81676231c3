package dev.tlsinspect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published jars as a consumer on the module path sees them: the API compiles and runs (the
 * providers are found through their {@code provides} clauses), an internal class does not compile.
 * The jars come from this module's test class path (the reactor's build of core, jsse and bc).
 */
class ModulePathTest {

  @TempDir
  Path dir;

  /** core, jsse, bc and what they require, as built or resolved for this module's tests. */
  private static String modulePath() {
    List<String> wanted = List.of("tls-inspect-core", "tls-inspect-jsse", "tls-inspect-bc", "slf4j-api",
        "bcprov-jdk18on", "bctls-jdk18on", "bcutil-jdk18on", "bcpkix-jdk18on");
    String path = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> wanted.stream().anyMatch(e::contains))
        .collect(Collectors.joining(File.pathSeparator));
    assertTrue(path.contains("tls-inspect-core") && path.contains("tls-inspect-bc"), path);
    return path;
  }

  private Path consumer(String name, String mainSource) throws IOException {
    Path src = dir.resolve(name + "-src");
    Files.createDirectories(src.resolve("consumer"));
    Files.writeString(src.resolve("module-info.java"),
        "module consumer { requires dev.tlsinspect.jsse; requires dev.tlsinspect.bc; }\n");
    Files.writeString(src.resolve("consumer/Main.java"), mainSource);
    return src;
  }

  private static int compile(Path src, Path out, StringWriter diagnostics) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    // An explicit, empty class path: javac in this JVM would otherwise take java.class.path, and
    // find core's packages again in the unnamed module.
    Files.createDirectories(out);
    List<String> args = new ArrayList<>(List.of("--module-path", modulePath(), "--class-path", out.toString(),
        "-d", out.toString()));
    try (Stream<Path> files = Files.walk(src)) {
      files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = javac.run(null, null, err, args.toArray(String[]::new));
    diagnostics.write(err.toString(StandardCharsets.UTF_8));
    return status;
  }

  @Test
  void theApi_compilesAndRunsOnTheModulePath() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Path src = consumer("api", """
        package consumer;

        import dev.tlsinspect.InspectOptions;
        import dev.tlsinspect.Report;
        import dev.tlsinspect.Target;
        import dev.tlsinspect.TlsInspector;
        import java.time.Duration;

        public class Main {
          public static void main(String[] args) {
            Report r = TlsInspector.create().inspect(Target.of("127.0.0.1", Integer.parseInt(args[0])),
                InspectOptions.builder().timeout(Duration.ofSeconds(5)).build());
            r.findings().forEach(f -> System.out.println("finding " + f.code()));
            System.out.println("verdict " + r.verdict());
          }
        }
        """);
    Path out = dir.resolve("api-out");
    StringWriter diagnostics = new StringWriter();
    assertEquals(0, compile(src, out, diagnostics), diagnostics.toString());

    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "--module-path", out + File.pathSeparator + modulePath(),
        "-m", "consumer/consumer.Main", String.valueOf(closedPort))
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the consumer did not end");
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains("finding CONNECTION_REFUSED"), output);
    assertTrue(output.contains("verdict FAIL"), output);
  }

  @Test
  void anInternalClass_doesNotCompile() throws Exception {
    Path src = consumer("internal", """
        package consumer;

        public class Main {
          public static void main(String[] args) {
            System.out.println(dev.tlsinspect.internal.registry.CipherSuites.all().size());
          }
        }
        """);
    StringWriter diagnostics = new StringWriter();
    int status = compile(src, dir.resolve("internal-out"), diagnostics);
    assertEquals(1, status, diagnostics.toString());
    assertTrue(diagnostics.toString().contains("package dev.tlsinspect.internal.registry is not visible"),
        diagnostics.toString());
    assertTrue(diagnostics.toString().contains("does not export it"), diagnostics.toString());
  }
}
