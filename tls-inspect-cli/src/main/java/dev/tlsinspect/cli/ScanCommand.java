package dev.tlsinspect.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options of {@code tls-inspect scan [options] (--targets FILE | HOST...)}; {@link Scan} runs it. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Inspects many endpoints (quick mode unless --full) with a concurrency limit, a per-host limit "
          + "and an optional rate, and writes one result per line as each finishes, then a summary "
          + "(counts by verdict and by root cause, the soonest expiries). The targets file is read "
          + "lazily, one target a line: HOST[:PORT] or a URL, optionally followed by per-line "
          + "options starttls=PROTO, sni=NAME, no-sni, connect=ADDRESS; '#' starts a comment. "
          + "A progress bar goes to standard error when it is a terminal.",
      ""
    },
    footerHeading = "%nExit status (the worst verdict):%n",
    footer = {
      "  0  every target PASS",
      "  1  the worst is WARN",
      "  2  at least one FAIL",
      "  3  usage or internal error (a bad line in the targets file names its line number)",
      "",
      "Examples:",
      "  tls-inspect scan --targets endpoints.txt",
      "  tls-inspect scan --jsonl --concurrency 64 --per-host 2 --targets endpoints.txt > results.jsonl",
      "  tls-inspect scan --csv --junit-xml tls.xml api.example.com db.internal:5432",
      "  tls-inspect scan --rate 10 --delay 1s --targets partners.txt"
    })
final class ScanCommand {

  @Parameters(arity = "0..*", paramLabel = "HOST[:PORT]",
      description = "Targets on the command line, each like a line of the targets file.")
  List<String> hosts = new ArrayList<>();

  @Option(names = "--targets", paramLabel = "FILE",
      description = "Read targets from this file, one a line (see above).")
  Path targets;

  @Option(names = "--jsonl",
      description = "Write JSON Lines to standard output: each line the JSON report of one target, "
          + "the same object as 'tls-inspect --json' prints, on one line. The summary goes to "
          + "standard error.")
  boolean jsonl;

  @Option(names = "--csv",
      description = "Write CSV (RFC 4180, CRLF line ends, a header line) to standard output: "
          + "target,host,port,verdict,root_causes,codes,protocol,cipher_suite,leaf_not_after,"
          + "days_left,total_ms,summary. The summary goes to standard error.")
  boolean csv;

  @Option(names = "--junit-xml", paramLabel = "FILE",
      description = "Also write JUnit XML to this file: one test case per target, a failure for "
          + "FAIL, WARN as passed with the findings in system-out.")
  Path junitXml;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16",
      description = "Inspections at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--per-host", paramLabel = "N", defaultValue = "2",
      description = "Inspections at once against one host, whatever the port (default: "
          + "${DEFAULT-VALUE}).")
  int perHost;

  @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "0",
      description = "Start at most this many inspections per second (default: no limit).")
  double rate;

  @Option(names = "--delay", paramLabel = "DURATION",
      description = "Wait this long between two inspections of one host; a host that refuses the "
          + "connection gets twice the wait, up to 32 times, until it accepts again (default: none).")
  Duration delay;

  @Option(names = "--full",
      description = "A full inspection of each target (versions and suites enumerated) instead of "
          + "the quick one.")
  boolean full;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
      description = "The time budget of each inspection (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--provider", paramLabel = "jsse|bc",
      description = "Pin one TLS engine (as for a single inspection).")
  String provider;

  @Option(names = "--expiry-warning", paramLabel = "DAYS", defaultValue = "30",
      description = "Warn about certificates expiring within this many days (default: ${DEFAULT-VALUE}).")
  int expiryWarningDays;

  @Option(names = "--expiries", paramLabel = "N", defaultValue = "5",
      description = "How many of the soonest leaf expiries the summary lists (default: ${DEFAULT-VALUE}).")
  int expiries;

  @Mixin
  EndpointOptions endpoint = new EndpointOptions();

  @Option(names = "--debug", description = "Print stack traces of internal errors.")
  boolean debug;
}
