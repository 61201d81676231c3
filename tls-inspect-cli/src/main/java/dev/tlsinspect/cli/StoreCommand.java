package dev.tlsinspect.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options of {@code tls-inspect store [options] FILE}; {@link Store} runs it. */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Checks a local key store or trust store (PKCS#12, JKS or a PEM bundle) without any network: "
          + "whether it opens with its password and type (and if not, the JDK's exact error "
          + "explained), expired and soon-expiring client certificates and trust anchors, private "
          + "keys that do not match their certificates, incomplete client chains, an empty trust "
          + "store, duplicate and unused aliases. No password is ever printed.",
      ""
    },
    footerHeading = "%nExit status:%n",
    footer = {
      "  0  PASS: nothing to fix (INFO findings only)",
      "  1  WARN: a LOW or MEDIUM finding (for example a certificate expiring soon)",
      "  2  FAIL: the store cannot be used (unreadable, expired client certificate, key mismatch, ...)",
      "  3  usage or internal error",
      "",
      "Examples:",
      "  tls-inspect store client.p12 --password-env KEYSTORE_PASSWORD",
      "  tls-inspect store truststore.jks --password-file /run/secrets/truststore-pw --type jks",
      "  tls-inspect store --json ca-bundle.pem"
    })
final class StoreCommand {

  @Parameters(arity = "1", paramLabel = "FILE", description = "The store file.")
  String file;

  @Option(names = "--password", paramLabel = "P",
      description = "The store password (visible in the process list: prefer --password-env or "
          + "--password-file).")
  String password;

  @Option(names = "--password-env", paramLabel = "VAR",
      description = "Read the store password from this environment variable.")
  String passwordEnv;

  @Option(names = "--password-file", paramLabel = "F",
      description = "Read the store password from the first line of this file.")
  String passwordFile;

  @Option(names = "--type", paramLabel = "TYPE",
      description = "Read the store as pkcs12, jks or pem, as an application configured with that "
          + "type would (default: told by the file's content).")
  String type;

  @Option(names = "--warn-days", paramLabel = "N", defaultValue = "30",
      description = "Report certificates expiring within N days (default: ${DEFAULT-VALUE}).")
  int warnDays;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Option(names = "--debug", description = "Print stack traces of internal errors.")
  boolean debug;
}
