package dev.tlsinspect.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options of {@code tls-inspect logs [options] FILE...}; {@link Logs} runs it. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Reads server logs (nginx and Apache httpd error logs, HAProxy, OpenSSL error strings, Java "
          + "stack traces and javax.net.debug output, Tomcat, Jetty) and groups the failed TLS "
          + "handshakes in them by diagnosis code: how many, when, which clients, what they offered, "
          + "and what to change. Lines in no known format are counted, never dropped. A log in no "
          + "known format gets a 'not recognised' answer, never a diagnosis.",
      ""
    },
    footerHeading = "%nExit status:%n",
    footer = {
      "  0  no TLS failure found, or only INFO ones; also for a log in no known format ('not recognised')",
      "  1  the worst group is LOW or MEDIUM",
      "  2  a group is HIGH or CRITICAL (the verdict rule of inspection reports)",
      "  3  usage or internal error (a missing or unreadable file, bad arguments)",
      "",
      "Examples:",
      "  tls-inspect logs /var/log/nginx/error.log",
      "  tls-inspect logs --json /var/log/apache2/error.log /var/log/haproxy.log",
      "  kubectl logs my-app | tls-inspect logs -"
    })
final class LogsCommand {

  @Parameters(arity = "1..*", paramLabel = "FILE",
      description = "Log files to read; '-' reads standard input.")
  List<String> files = new ArrayList<>();

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "UTC",
      description = "The time zone of log times that carry none (nginx, Apache, HAProxy, Tomcat, "
          + "Jetty; default: ${DEFAULT-VALUE}).")
  String zone;

  @Option(names = "--debug", description = "Print stack traces of internal errors.")
  boolean debug;
}
