package dev.tlsinspect.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options of {@code tls-inspect [options] HOST[:PORT]}; {@link Cli} acts on them. */
@Command(
    name = "tls-inspect",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpWidth = 100,
    synopsisSubcommandLabel = "[COMMAND]",
    description = {
      "Probes a TLS endpoint, finds out why a handshake fails (or will fail soon), and names the "
          + "root cause and the fix.",
      ""
    },
    footerHeading = "%nExit status:%n",
    footer = {
      "  0  PASS: nothing to fix",
      "  1  WARN: works, but something should be fixed",
      "  2  FAIL: clients fail or are at risk now",
      "  3  usage or internal error",
      "",
      "Examples:",
      "  tls-inspect example.com",
      "  tls-inspect --json --timeout 5s api.example.com:8443",
      "  tls-inspect --connect 10.0.0.5 --ca-file internal-root.pem app.internal:443",
      "  tls-inspect --client jdk-8 --client ie11-win7 legacy.example.com",
      "  tls-inspect --policy mozilla-intermediate example.com",
      "  tls-inspect --client-cert client.p12 --client-cert-password secret mtls.internal:8443",
      "  tls-inspect --clock-check sntp:time.internal example.com",
      "  tls-inspect --starttls smtp mail.example.com:587",
      "  tls-inspect --proxy http://proxy.internal:3128 api.example.com",
      "  tls-inspect demo"
    })
final class InspectCommand {

  @Parameters(index = "0", arity = "0..1", paramLabel = "HOST[:PORT]",
      description = "The endpoint; the port defaults to 443. IPv6: [::1]:8443. A URL works too: "
          + "https://host[:port]/path (the scheme gives the port: https 443, smtps 465, imaps 993, "
          + "pop3s 995, ldaps 636, ftps 990).")
  String hostAndPort;

  @Mixin
  EndpointOptions endpoint = new EndpointOptions();

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Option(names = "--html", paramLabel = "FILE",
      description = "Also write the report as one self-contained HTML page to FILE (inline CSS, no "
          + "script or external resource): to attach to a ticket.")
  java.nio.file.Path html;

  @Option(names = "--trace",
      description = "Also print the main probe's handshake as a timeline (messages sent and received "
          + "with sizes and key fields, alerts, timings); with --json, as the \"trace\" key.")
  boolean trace;

  @Option(names = "--quick", description = "One handshake plus certificate checks (the health-check mode).")
  boolean quick;

  @Option(names = "--vulns",
      description = "Also run the active vulnerability probes: Heartbleed (one over-long heartbeat "
          + "request), CCS injection (an early ChangeCipherSpec) and ROBOT (RSA padding oracle, up to "
          + "10 connections 200 ms apart). They send deliberately malformed messages, so they are off "
          + "by default and not allowed with --quick; the report says which ran (ACTIVE_PROBES_RUN). "
          + "Give them time: --timeout 30s.")
  boolean vulns;

  @Option(names = "--drown-check", paramLabel = "HOST:PORT",
      description = "Also ask this other endpoint for SSL 2.0, once, and report DROWN when it "
          + "answers with the target's RSA key (the same certificate on a mail port, say): DROWN "
          + "needs only that the key be usable on some SSL 2.0 endpoint. Repeatable (at most 16); "
          + "only the endpoints named are contacted; not with --quick.")
  java.util.List<String> drownChecks = new java.util.ArrayList<>();

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
      description = "The time budget of the whole inspection: 10s, 500ms, 2m, 1.5s or PT10S "
          + "(default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--provider", paramLabel = "jsse|bc",
      description = "Pin one TLS engine for everything. Default: both, jsse for the main "
          + "handshake (this JVM's trust store and policy) and bc to enumerate versions, suites, "
          + "groups and DH parameters; --quick makes one jsse handshake.")
  String provider;

  @Option(names = "--expiry-warning", paramLabel = "DAYS", defaultValue = "30",
      description = "Warn about certificates expiring within this many days (default: ${DEFAULT-VALUE}).")
  int expiryWarningDays;

  @Option(names = "--policy", paramLabel = "NAME",
      description = "Check the server against this policy (repeatable): mozilla-modern, "
          + "mozilla-intermediate, mozilla-old, nist-sp800-52r2. Versions and suites are checked in "
          + "a full inspection (not --quick, not --provider jsse); the certificate always.")
  List<String> policies = new ArrayList<>();

  @Option(names = "--client", paramLabel = "PROFILE",
      description = "Predict whether this client can connect (repeatable; 'all' for every profile): "
          + "java-7, jdk-8, jdk-11, jdk-17, jdk-21, jdk-25, android-7, android-14, openssl-1.0.2, "
          + "openssl-1.1.1, openssl-3, curl, chrome, firefox, safari, ie11-win7, ie11-win81, "
          + "this-jvm. This JVM is always predicted. With 'all', an obsolete client (java-7, "
          + "android-7, openssl-1.0.2, ie11-*) that cannot connect is INFO unless also named.")
  List<String> clients = new ArrayList<>();

  @Option(names = "--next-jdk", paramLabel = "N",
      description = "Also predict whether the endpoint still works after upgrading this JVM to JDK N "
          + "(for example 21 or 25): distrust policies of later releases (JDK_UPGRADE_BREAKS), and with "
          + "--client jdk-N, that profile's versions and suites.")
  Integer nextJdk;

  @Option(names = "--clock-check", paramLabel = "http|sntp:HOST[:PORT]",
      description = "Compare this machine's clock with a reference (CLOCK_SKEW): 'http' sends one "
          + "HEAD request to the endpoint and reads its Date header; 'sntp:HOST[:PORT]' asks an "
          + "SNTP server (port 123 by default). Off by default: both contact the network.")
  String clockCheck;

  @Option(names = "--clock-skew-threshold", paramLabel = "DURATION",
      description = "Report CLOCK_SKEW beyond this difference (default: 5m).")
  Duration clockSkewThreshold;

  @Option(names = "--debug",
      description = "Print stack traces of internal errors. (Library logging stays at WARN.)")
  boolean debug;
}
