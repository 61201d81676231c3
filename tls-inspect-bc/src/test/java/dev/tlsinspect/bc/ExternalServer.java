package dev.tlsinspect.bc;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Assumptions;

/**
 * A TLS server from this machine's tools ({@code openssl s_server}, {@code gnutls-serv},
 * {@code nginx}) on 127.0.0.1 and a free port, started by a test and stopped on close. A missing
 * tool skips the test locally and fails it when {@code CI=true}: .ci/run installs the tools.
 */
final class ExternalServer implements AutoCloseable {
  private final Process process;
  final int port;
  private final Path log;

  private ExternalServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Whether the tool is on the PATH; when not, skips the test, or fails it under CI. */
  static void require(String tool, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      for (String sub : List.of("", "../sbin/")) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, sub + tool))) {
          return;
        }
      }
    }
    for (String dir : List.of("/usr/sbin", "/sbin", "/usr/local/sbin")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return;
      }
    }
    String why = "this test needs " + tool + " (Debian package " + debianPackage + "); .ci/run installs it";
    if ("true".equals(System.getenv("CI"))) {
      fail(why);
    }
    Assumptions.abort(why);
  }

  static String executable(String tool) {
    for (String dir : List.of("/usr/sbin", "/sbin", "/usr/local/sbin")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return Path.of(dir, tool).toString();
      }
    }
    return tool;
  }

  /** Starts the command made for a free port, in dir, and waits until it accepts connections. */
  static ExternalServer start(Path dir, IntFunction<List<String>> command) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("server-" + port + ".log");
    List<String> cmd = new ArrayList<>(command.apply(port));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    ExternalServer server = new ExternalServer(p, port, log);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      if (!p.isAlive()) {
        fail(cmd + " exited with " + p.exitValue() + ": " + Files.readString(log));
      }
      try {
        new Socket("127.0.0.1", port).close();
        return server;
      } catch (IOException notYet) {
        if (System.nanoTime() > until) {
          server.close();
          fail(cmd + " did not listen within 20 s: " + Files.readString(log));
        }
        Thread.sleep(30);
      }
    }
  }

  /**
   * Starts a server from a fixed command line in which {@code {port}} becomes the chosen port,
   * after {@link #require requiring} the tool (the command's first word).
   */
  static ExternalServer start(Path dir, String... command) throws IOException {
    require(command[0], "gnutls-serv".equals(command[0]) ? "gnutls-bin" : command[0]);
    try {
      return start(dir, port -> {
        List<String> args = new ArrayList<>();
        for (String a : command) {
          args.add(a.replace("{port}", String.valueOf(port)));
        }
        return args;
      });
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  int port() {
    return port;
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
