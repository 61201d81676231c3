package dev.tlsinspect.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The options of {@code tls-inspect demo}; {@link Demo} runs it. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpWidth = 100,
    description = {
      "Starts local TLS servers with typical faults on 127.0.0.1 (healthy, expired certificate, "
          + "wrong host, untrusted root, missing intermediate, SMTP STARTTLS with an expired "
          + "certificate, client certificate required, plain HTTP, closed port), inspects "
          + "each, prints the reports and stops them. Needs no network.",
      "Exits 0 when every case gives its expected diagnosis, 3 otherwise."
    })
final class DemoCommand {

  @Option(names = "--json", description = "Print the reports as a JSON array.")
  boolean json;

  @Option(names = "--debug", description = "Print stack traces of internal errors.")
  boolean debug;
}
