package dev.tlsinspect.cli;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code tls-inspect} command line: {@code tls-inspect [options] HOST[:PORT]}, {@code tls-inspect
 * explain [options] [HOST[:PORT]]}, {@code tls-inspect logs [options] FILE...}, {@code tls-inspect
 * store [options] FILE}, {@code tls-inspect demo}. Exit status 0 PASS, 1 WARN, 2 FAIL, 3 usage or internal error; {@code explain} exits 0
 * when nothing was recognised, 2 when candidates were found; {@code logs} exits like a report
 * (by the worst group), and 0 for a log in no known format.
 *
 * @since 0.1.0
 */
public final class Main {
  private Main() {}

  /**
   * Runs the command line and exits with its status.
   *
   * @param args the arguments
   * @since 0.1.0
   */
  public static void main(String[] args) {
    System.exit(run(System.in, stdinIsTerminal(), System.out, System.err, args));
  }

  /**
   * Runs the command line without exiting: the report goes to {@code out}, errors to {@code err}.
   *
   * @param out standard output
   * @param err standard error
   * @param args the arguments
   * @return the exit status: 0 PASS, 1 WARN, 2 FAIL, 3 usage or internal error
   * @since 0.1.0
   */
  public static int run(PrintStream out, PrintStream err, String... args) {
    return run(System.in, out, err, args);
  }

  /**
   * Runs the command line without exiting, with the given standard input ({@code explain} reads
   * the exception text from it).
   *
   * @param in standard input
   * @param out standard output
   * @param err standard error
   * @param args the arguments
   * @return the exit status: 0 PASS, 1 WARN, 2 FAIL, 3 usage or internal error; for
   *     {@code explain}: 0 nothing recognised, 2 candidates found, 3 usage or internal error
   * @since 0.1.0
   */
  public static int run(java.io.InputStream in, PrintStream out, PrintStream err, String... args) {
    // Input handed in by a caller is never someone at a keyboard.
    return run(in, false, out, err, args);
  }

  /** {@link #run(java.io.InputStream, PrintStream, PrintStream, String...)}, told whether stdin is a terminal. */
  static int run(java.io.InputStream in, boolean stdinIsTerminal, PrintStream out, PrintStream err,
      String... args) {
    String[] arguments = args == null ? new String[0] : args;
    Cli cli = null;
    try {
      if (Arrays.asList(arguments).contains(null)) {
        throw new IllegalArgumentException("null argument");
      }
      cli = new Cli(in == null ? java.io.InputStream.nullInputStream() : in, stdinIsTerminal, out, err);
      return cli.run(arguments);
    } catch (RuntimeException | LinkageError e) {
      // Anything that gets here is a bug or a broken installation, not the user's mistake.
      err.println("tls-inspect: internal error: " + dev.tlsinspect.SafeText.of(Cli.firstLine(String.valueOf(e))));
      boolean debug = (cli != null && cli.debug()) || Arrays.asList(arguments).contains("--debug");
      if (debug) {
        e.printStackTrace(err);
      }
      return Cli.EXIT_ERROR;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * Whether standard input is a terminal. Java 17 only says whether there is a console (stdin and
   * stdout both terminals); on 22 and later a console can exist with redirected streams, and
   * {@code Console.isTerminal()} tells. Piped input is never taken for a terminal, which is the
   * case that must keep working.
   */
  static boolean stdinIsTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return true; // before Java 22: a console means stdin and stdout are terminals
    }
  }
}
