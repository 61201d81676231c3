package dev.tlsinspect.cli;

/**
 * The whole of the fake {@code tls-inspect.jar} that {@link LauncherScriptTest} builds: one class
 * with no dependencies, so that the launcher's behaviour is tested without a real build.
 */
public final class FakeCliMain {
  private FakeCliMain() {}

  /** Prints its arguments as the report, a note on standard error, and exits 4. */
  public static void main(String[] args) {
    System.out.println("fake report: " + String.join(" ", args));
    System.err.println("fake note on stderr");
    System.exit(4);
  }
}
