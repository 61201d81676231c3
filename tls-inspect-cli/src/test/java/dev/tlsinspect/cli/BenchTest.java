package dev.tlsinspect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Argument handling of the benchmark; its timings are never asserted. */
class BenchTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    return Bench.run(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
  }

  @Test
  void unknownModeIsAUsageError() throws Exception {
    assertEquals(Cli.EXIT_ERROR, run("fast", "127.0.0.1:1"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: bench/run"));
  }

  @Test
  void targetOptionsAreTheCliOnes() throws Exception {
    assertEquals(Cli.EXIT_ERROR, run("full-scan", "--runs", "1", "--no-such-option", "127.0.0.1:1"));
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("bench: "));
    assertEquals(Cli.EXIT_ERROR, run("quick", "--runs", "1"));
  }
}
