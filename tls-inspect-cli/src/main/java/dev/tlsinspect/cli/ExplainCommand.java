package dev.tlsinspect.cli;

import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options of {@code tls-inspect explain [options] [HOST[:PORT]]}; {@link Explain} runs it. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Reads an exception message or a stack trace (at most 1 MB) on standard input and prints the "
          + "candidate root causes, most likely first, each with why and what tells it apart. "
          + "With HOST[:PORT], also inspects that endpoint and names the candidate the live "
          + "inspection confirms, with the report.",
      ""
    },
    footerHeading = "%nExit status:%n",
    footer = {
      "  0  nothing TLS- or connection-related was recognised in the input",
      "  2  candidates were found (and, with HOST[:PORT], whether confirmed or not)",
      "  3  usage or internal error (no input, input over 1 MB, bad arguments)",
      "",
      "Examples:",
      "  tls-inspect explain < error.txt",
      "  kubectl logs app | grep -A40 SSLHandshakeException | tls-inspect explain",
      "  tls-inspect explain --json --ca-file root.pem api.example.com:8443 < error.txt"
    })
final class ExplainCommand {

  @Parameters(index = "0", arity = "0..1", paramLabel = "HOST[:PORT]",
      description = "Also inspect this endpoint to confirm a candidate; the port defaults to 443.")
  String hostAndPort;

  @Mixin
  EndpointOptions endpoint = new EndpointOptions();

  @Option(names = "--json", description = "Print the explanation as JSON.")
  boolean json;

  @Option(names = "--trace",
      description = "With HOST[:PORT], also print the inspection's handshake timeline; with --json, "
          + "as the \"trace\" key.")
  boolean trace;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
      description = "The time budget of the inspection (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--provider", paramLabel = "jsse|bc",
      description = "Pin one TLS engine for the inspection. Default: both, jsse for the main "
          + "handshake and bc to enumerate what the server accepts, which names causes such as "
          + "LOCAL_CIPHER_DISABLED that jsse alone sees only as HANDSHAKE_FAILED.")
  String provider;

  @Option(names = "--debug", description = "Print stack traces of internal errors.")
  boolean debug;
}
