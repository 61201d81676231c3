package dev.tlsinspect.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The options of {@code tls-inspect env}; {@link Env} runs it. */
@Command(
    name = "env",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpWidth = 100,
    description = {
      "Prints this JVM's TLS environment: Java version and vendor, security providers and FIPS "
          + "mode, jdk.tls.disabledAlgorithms and the other policy, protocol and revocation "
          + "settings, the trust store in use (path, type, number of anchors), the key store, and "
          + "the protocols and cipher suites of the default SSLContext. Passwords are never shown, "
          + "only whether they are set. Reads only; contacts nothing.",
      "Run it with the same java options as the application (-Djavax.net.ssl.trustStore=..., "
          + "-Djava.security.properties=...) to see what the application sees.",
      "Exits 0."
    })
final class EnvCommand {

  @Option(names = "--json", description = "Print the environment as JSON.")
  boolean json;

  @Option(names = "--debug", description = "Print stack traces of internal errors.")
  boolean debug;
}
