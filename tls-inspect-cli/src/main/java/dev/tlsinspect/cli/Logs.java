package dev.tlsinspect.cli;

import dev.tlsinspect.SafeText;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.logs.LogAnalyzer;
import dev.tlsinspect.logs.LogFormat;
import dev.tlsinspect.logs.LogGroup;
import dev.tlsinspect.logs.LogReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Runs {@code tls-inspect logs}: reads the files (or standard input), prints the grouped failures. */
final class Logs {
  private static final String INDENT = "    ";

  private final InputStream in;
  private final PrintStream out;

  Logs(InputStream in, PrintStream out) {
    this.in = in;
    this.out = out;
  }

  int run(LogsCommand options) {
    ZoneId zone;
    try {
      zone = ZoneId.of(options.zone);
    } catch (DateTimeException e) {
      throw UsageException.badArgument("unknown time zone '" + options.zone + "': use for example UTC, "
          + "Europe/Berlin or +02:00");
    }
    if (options.files.stream().filter("-"::equals).count() > 1) {
      throw UsageException.badArgument("'-' (standard input) can be given once");
    }
    // Every file is checked before any is read, so a typo fails fast with one line.
    for (String f : options.files) {
      if (!f.equals("-")) {
        Path p = Path.of(f);
        if (!Files.exists(p)) {
          throw UsageException.unavailable("no such file: " + f);
        }
        if (Files.isDirectory(p) || !Files.isReadable(p)) {
          throw UsageException.unavailable("cannot read " + f + (Files.isDirectory(p) ? ": it is a directory" : ""));
        }
      }
    }
    LogAnalyzer.Session session = LogAnalyzer.builder().zone(zone).build().session();
    for (String f : options.files) {
      try {
        if (f.equals("-")) {
          session.read("stdin", new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
              .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)));
        } else {
          session.read(Path.of(f));
        }
      } catch (NoSuchFileException e) {
        throw UsageException.unavailable("no such file: " + f);
      } catch (IOException e) {
        throw UsageException.unavailable("cannot read " + f + ": " + e.getMessage());
      }
    }
    LogReport report = session.report();
    if (options.json) {
      out.println(Json.write(report));
    } else {
      out.print(render(report));
    }
    return Cli.exitStatus(report.recognised() ? report.verdict() : Verdict.PASS);
  }

  static String render(LogReport r) {
    StringBuilder sb = new StringBuilder();
    line(sb, "", "tls-inspect logs: " + r.summary());
    String counts = r.lines() + " lines: " + r.tlsLines() + " about TLS failures, " + r.unrelatedLines()
        + " unrelated, " + r.unrecognisedLines() + " not recognised"
        + (r.truncatedLines() > 0 ? ", " + r.truncatedLines() + " cut at 8 KB" : "")
        + (r.formats().isEmpty() ? "" : "; formats: "
            + r.formats().stream().map(LogFormat::label).collect(Collectors.joining(", ")));
    line(sb, "", counts);
    if (!r.recognised()) {
      return sb.toString();
    }
    List<LogGroup> groups = r.groups();
    for (int i = 0; i < groups.size(); i++) {
      LogGroup g = groups.get(i);
      sb.append('\n');
      // Everything quoted from the log is the log's own text: escapes and all, made safe.
      String head = (i + 1) + ". " + g.code() + " (" + g.severity() + ")  " + g.count() + " x  "
          + g.format().label() + ": " + SafeText.of(g.message());
      line(sb, "", head);
      if (g.candidates().size() > 1 || !g.candidates().get(0).equals(g.code())) {
        line(sb, INDENT, "Candidates: " + g.candidates().stream().map(c -> c.name())
            .collect(Collectors.joining(", ")));
      }
      line(sb, INDENT, "What happened: " + SafeText.of(g.problem(), 2048));
      line(sb, INDENT, "When: " + when(g.firstSeen(), g.lastSeen()) + " (lines " + g.firstLine()
          + (g.count() > 1 ? " to " + g.lastLine() : "") + ")");
      if (!g.clients().isEmpty()) {
        line(sb, INDENT, "Clients: " + g.clients().stream().map(c -> SafeText.of(c.address(), 80) + " (" + c.count() + ")")
            .collect(Collectors.joining(", ")) + (g.otherClients() > 0 ? ", " + g.otherClients() + " more" : ""));
      }
      if (!g.offered().isEmpty()) {
        line(sb, INDENT, "Clients offered: " + g.offered().stream().map(SafeText::of)
            .collect(Collectors.joining(", ")));
      }
      line(sb, INDENT, "What to change: " + g.whatToChange());
      line(sb, INDENT, "Example: " + SafeText.of(g.sample(), 300));
    }
    if (r.ungroupedEvents() > 0) {
      sb.append('\n');
      line(sb, "", r.ungroupedEvents() + " more failures were counted but not grouped (group limit reached).");
    }
    return sb.toString();
  }

  private static String when(Optional<Instant> first, Optional<Instant> last) {
    if (first.isEmpty()) {
      return "the log has no times";
    }
    return first.get().equals(last.orElse(first.get())) ? first.get().toString()
        : first.get() + " to " + last.get();
  }

  /** Wraps at the report's width, continuation lines indented. */
  private static void line(StringBuilder sb, String indent, String text) {
    int width = TextReport.WIDTH;
    String prefix = indent;
    // The values are made safe (and cut) where they are quoted; this catches any that was not.
    String rest = SafeText.of(text, Integer.MAX_VALUE);
    while (prefix.length() + rest.length() > width) {
      int cut = rest.lastIndexOf(' ', width - prefix.length());
      if (cut <= prefix.length()) {
        cut = Math.min(rest.length(), width - prefix.length());
      }
      sb.append(prefix).append(rest, 0, cut).append('\n');
      rest = rest.substring(cut).stripLeading();
      prefix = indent + (indent.isEmpty() ? "    " : "  ");
    }
    sb.append(prefix).append(rest).append('\n');
  }
}
