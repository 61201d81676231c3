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
import org.junit.jupiter.api.Assumptions;

/**
 * A real TLS server from this machine's tools ({@code openssl s_server}, {@code gnutls-serv}) on
 * a free loopback port, stopped on close. A missing tool fails the test when {@code CI=true}
 * (.ci/run installs it) and skips it elsewhere.
 */
final class ExternalServer implements AutoCloseable {
  private static final long START_MILLIS = 10_000;
  private final Process process;
  private final int port;
  private final Path log;

  private ExternalServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts a server; {@code {port}} in the arguments becomes the chosen port.
   *
   * @param dir the working directory (certificates, keys, the log)
   * @param command the tool and its arguments
   */
  static ExternalServer start(Path dir, String... command) throws IOException {
    requireTool(command[0]);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    List<String> args = new ArrayList<>();
    for (String a : command) {
      args.add(a.replace("{port}", String.valueOf(port)));
    }
    Path log = dir.resolve(command[0] + "-" + port + ".log");
    Process p = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    ExternalServer server = new ExternalServer(p, port, log);
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_MILLIS);
    while (true) {
      if (!p.isAlive()) {
        fail(args + " exited with " + p.exitValue() + ": " + Files.readString(log));
      }
      try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return server;
      } catch (IOException notYet) {
        if (System.nanoTime() > until) {
          server.close();
          fail(args + " did not listen within " + START_MILLIS + " ms: " + Files.readString(log));
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          server.close();
          fail("interrupted");
        }
      }
    }
  }

  private static void requireTool(String tool) {
    boolean found = false;
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        if (Files.isExecutable(Path.of(dir, tool))) {
          found = true;
          break;
        }
      }
    }
    if (!found) {
      String why = tool + " is not on the PATH; .ci/run installs it (Debian: apt-get install "
          + ("gnutls-serv".equals(tool) ? "gnutls-bin" : tool) + ")";
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
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

  @Override
  public String toString() {
    return "server on " + port + " (log " + log + ")";
  }
}
