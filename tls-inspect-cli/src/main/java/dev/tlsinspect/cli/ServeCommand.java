package dev.tlsinspect.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The options of {@code tls-inspect serve --config FILE}; {@link Exporter} runs it. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Runs a Prometheus exporter and status page for many endpoints, on 127.0.0.1:9219 by default: "
          + "/probe?target=HOST:PORT[&module=quick|full] (metrics of one target, for a Prometheus "
          + "scrape with relabelling, like blackbox_exporter), /metrics (the exporter's own), / (the "
          + "configured targets, refreshed in the background) and /report?target=HOST:PORT (the full "
          + "report as HTML). Only the configured targets and hosts matching the allow patterns are "
          + "inspected; any other target is refused with 403.",
      ""
    },
    footer = {
      "",
      "The configuration is a properties file, for example:",
      "  listen = 127.0.0.1:9219",
      "  targets = api.example.com:443, mail.example.com:465",
      "  allow = *.internal.example.com, db-*.example.com:5432",
      "  refresh = 5m",
      "  cache-ttl = 60s",
      "  timeout = 10s",
      "See the site's exporter page for every key. Stops on Ctrl-C."
    })
final class ServeCommand {

  @Option(names = "--config", paramLabel = "FILE", required = true,
      description = "The configuration file (Java properties).")
  Path config;

  @Option(names = "--debug", description = "Print stack traces of internal errors.")
  boolean debug;
}
