package dev.tlsinspect.cli;

import dev.tlsinspect.ClientProfiles;
import dev.tlsinspect.ClockReference;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.probe.HandshakeProbe;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Parses the command line and runs what it asks for. One instance per invocation. */
final class Cli {
  static final int EXIT_PASS = 0;
  static final int EXIT_WARN = 1;
  static final int EXIT_FAIL = 2;
  static final int EXIT_ERROR = 3;

  /** The providers the design names, and the module that brings each. */
  private static final Map<String, String> KNOWN_PROVIDERS = Map.of(
      "jsse", "tls-inspect-jsse",
      "bc", "tls-inspect-bc");

  private final java.io.InputStream in;
  private final boolean stdinIsTerminal;
  private final PrintStream out;
  private final PrintStream err;
  private final InspectCommand options = new InspectCommand();
  private final DemoCommand demoOptions = new DemoCommand();
  private final ExplainCommand explainOptions = new ExplainCommand();
  private final EnvCommand envOptions = new EnvCommand();
  private final LogsCommand logsOptions = new LogsCommand();
  private final StoreCommand storeOptions = new StoreCommand();
  private final ScanCommand scanOptions = new ScanCommand();
  private final ServeCommand serveOptions = new ServeCommand();
  private final CommandLine commandLine;

  Cli(java.io.InputStream in, PrintStream out, PrintStream err) {
    this(in, false, out, err);
  }

  /**
   * @param stdinIsTerminal whether standard input is a terminal, where {@code explain} would wait
   *     for typing that no one knows to do
   */
  Cli(java.io.InputStream in, boolean stdinIsTerminal, PrintStream out, PrintStream err) {
    this.stdinIsTerminal = stdinIsTerminal;
    this.in = in;
    this.out = out;
    this.err = err;
    this.commandLine = new CommandLine(options);
    commandLine.addSubcommand("demo", new CommandLine(demoOptions));
    commandLine.addSubcommand("explain", new CommandLine(explainOptions));
    commandLine.addSubcommand("env", new CommandLine(envOptions));
    commandLine.addSubcommand("logs", new CommandLine(logsOptions));
    commandLine.addSubcommand("store", new CommandLine(storeOptions));
    commandLine.addSubcommand("scan", new CommandLine(scanOptions));
    commandLine.addSubcommand("serve", new CommandLine(serveOptions));
    commandLine.registerConverter(Duration.class, Durations::parse);
    commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(Ansi.OFF));
  }


  /** Whether {@code --debug} is on, as far as the arguments were understood. */
  boolean debug() {
    return options.debug || demoOptions.debug || explainOptions.debug || envOptions.debug
        || logsOptions.debug || storeOptions.debug || scanOptions.debug || serveOptions.debug;
  }

  int run(String... args) {
    CommandLine which = commandLine;
    try {
      ParseResult parsed;
      try {
        parsed = commandLine.parseArgs(args);
      } catch (ParameterException e) {
        which = e.getCommandLine() != null ? e.getCommandLine() : commandLine;
        throw UsageException.badArgument(e.getMessage());
      }
      for (ParseResult p = parsed; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
        CommandLine c = p.commandSpec().commandLine();
        if (p.isUsageHelpRequested()) {
          c.usage(out, Ansi.OFF);
          return EXIT_PASS;
        }
        if (p.isVersionHelpRequested()) {
          c.printVersionHelp(out, Ansi.OFF);
          return EXIT_PASS;
        }
      }
      if (parsed.hasSubcommand()) {
        which = parsed.subcommand().commandSpec().commandLine();
        Object sub = which.getCommand();
        if (options.hostAndPort != null) {
          throw UsageException.badArgument(
              "'" + parsed.subcommand().commandSpec().name() + "' takes no HOST; got '" + options.hostAndPort + "'");
        }
        if (sub instanceof EnvCommand) {
          return new Env(out).run(envOptions);
        }
        if (sub instanceof ExplainCommand) {
          return new Explain(in, stdinIsTerminal, out, err).run(explainOptions);
        }
        if (sub instanceof LogsCommand) {
          return new Logs(in, out).run(logsOptions);
        }
        if (sub instanceof StoreCommand) {
          return new Store(out, System::getenv).run(storeOptions);
        }
        if (sub instanceof ScanCommand) {
          return new Scan(out, err).run(scanOptions);
        }
        if (sub instanceof ServeCommand) {
          return serve();
        }
        return new Demo(out, err).run(options.json || demoOptions.json);
      }
      return inspect();
    } catch (UsageException e) {
      // The argument may hold anything the user pasted, control characters included.
      err.println("tls-inspect: " + dev.tlsinspect.SafeText.of(firstLine(e.getMessage())));
      if (e.showUsage()) {
        // One pointer, not the 100-line usage: the mistake stays on the screen.
        err.println("Try '" + which.getCommandSpec().qualifiedName() + " --help' for more information.");
      }
      return EXIT_ERROR;
    }
  }

  private int inspect() {
    Prepared prepared = prepare();
    if (options.nextJdk != null && options.nextJdk <= Runtime.version().feature()) {
      throw UsageException.badArgument("--next-jdk " + options.nextJdk + " is not later than this JVM's JDK "
          + Runtime.version().feature());
    }
    Report report = prepared.inspector().inspect(prepared.target());
    if (options.nextJdk != null) {
      report = dev.tlsinspect.JdkUpgrade.defaults().withPrediction(report, options.nextJdk,
          prepared.inspector().options().trust());
    }
    if (options.html != null) {
      writeHtml(options.html, report);
    }
    if (options.json) {
      out.println(options.trace ? Trace.withTrace(report, report) : Json.write(report));
    } else {
      out.print(TextReport.render(report));
      if (options.trace) {
        out.println();
        out.print(Trace.render(report));
      }
    }
    return exitStatus(report.verdict());
  }

  /** Runs the exporter until the process is stopped. */
  private int serve() {
    ServeConfig config = ServeConfig.load(serveOptions.config);
    Exporter exporter;
    try {
      exporter = Exporter.start(config);
    } catch (java.io.IOException e) {
      throw UsageException.unavailable("serve: cannot listen on " + config.listen() + ": " + e.getMessage());
    }
    out.println("tls-inspect serve: listening on " + exporter.url() + "/ (" + config.targets().size()
        + " configured targets, " + config.allow().size() + " allow patterns)");
    out.flush();
    try {
      new java.util.concurrent.CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exporter.close();
    }
    return EXIT_PASS;
  }

  /** Writes the HTML report; an unwritable file is the user's error, said in one line. */
  private static void writeHtml(Path file, Report report) {
    try {
      java.nio.file.Files.writeString(file, HtmlReport.render(report), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw UsageException.unavailable("--html: cannot write " + file + ": " + e.getMessage());
    }
  }

  /** An inspection the arguments asked for, ready to run (also for {@link Bench}). */
  record Prepared(TlsInspector inspector, Target target) {}

  /**
   * Parses the arguments of an inspection exactly as {@link #run} does, without running it.
   *
   * @throws UsageException for bad arguments, a subcommand, or help and version requests
   */
  Prepared prepare(String... args) {
    ParseResult parsed;
    try {
      parsed = commandLine.parseArgs(args);
    } catch (ParameterException e) {
      throw UsageException.badArgument(e.getMessage());
    }
    if (parsed.hasSubcommand() || parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
      throw UsageException.badArgument("expected inspection options and HOST[:PORT]");
    }
    return prepare();
  }

  private Prepared prepare() {
    if (options.hostAndPort == null) {
      throw UsageException.badArgument("missing HOST[:PORT] (or a command such as 'demo')");
    }
    options.endpoint.validate();
    if (options.expiryWarningDays < 0) {
      throw UsageException.badArgument(
          "--expiry-warning must be 0 or more days, got " + options.expiryWarningDays);
    }
    if (options.vulns && options.quick) {
      throw UsageException.badArgument("--vulns runs active probes, which quick mode never does: "
          + "drop --quick or --vulns");
    }
    if (!options.drownChecks.isEmpty() && options.quick) {
      throw UsageException.badArgument("--drown-check asks other endpoints for SSL 2.0, which quick "
          + "mode never does: drop --quick or --drown-check");
    }
    java.util.Set<String> profiles = clientProfiles();
    // No --provider: both engines, JSSE for the main handshake and bc for the enumeration.
    HandshakeProbe pinned = options.provider == null ? null : findProbe(options.provider);
    boolean enumerates = !options.quick && (pinned == null || pinned.makesOffers());
    if (!options.clients.isEmpty() && !enumerates) {
      throw UsageException.badArgument("--client predicts from the versions and suites the server "
          + "accepts: it needs a full inspection"
          + (options.quick ? ", not --quick" : ", not --provider " + options.provider));
    }

    Target target;
    InspectOptions inspectOptions;
    try {
      target = target();
      InspectOptions.Builder b = InspectOptions.builder()
          .timeout(options.timeout)
          .trust(trust())
          .expiryWarning(Duration.ofDays(options.expiryWarningDays))
          .quick(options.quick)
          .clientProfiles(profiles)
          .policies(new LinkedHashSet<>(options.policies));
      if (options.vulns) {
        b.activeProbes(dev.tlsinspect.ActiveProbes.all());
      }
      java.util.List<Target> drown = new java.util.ArrayList<>();
      for (String endpoint : options.drownChecks) {
        try {
          drown.add(Target.parse(endpoint));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--drown-check " + endpoint + ": " + e.getMessage(), e);
        }
      }
      b.sslv2Endpoints(drown);
      options.endpoint.clientCredentials().ifPresent(b::clientCredentials);
      if (options.clockCheck != null) {
        b.clockReference(ClockReference.parse(options.clockCheck));
      } else if (options.clockSkewThreshold != null) {
        throw UsageException.badArgument("--clock-skew-threshold needs --clock-check");
      }
      if (options.clockSkewThreshold != null) {
        b.clockSkewThreshold(options.clockSkewThreshold);
      }
      inspectOptions = b.build();
    } catch (IllegalArgumentException e) {
      throw UsageException.badArgument(e.getMessage());
    }

    if (!options.policies.isEmpty() && !enumerates) {
      err.println("tls-inspect: note: --policy checks protocol versions and cipher suites only in a full "
          + "inspection" + (options.quick ? " (without --quick)" : " (without --provider " + options.provider + ")")
          + "; this run checks the certificate alone");
    }
    TlsInspector.Builder builder = TlsInspector.builder().options(inspectOptions);
    if (pinned != null) {
      builder.probe(pinned);
    }
    return new Prepared(builder.build(), target);
  }

  static int exitStatus(Verdict verdict) {
    return switch (verdict) {
      case PASS -> EXIT_PASS;
      case WARN -> EXIT_WARN;
      case FAIL -> EXIT_FAIL;
    };
  }

  /** The profiles of --client, 'all' for every one; this JVM is always among them. */
  private java.util.Set<String> clientProfiles() {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    out.add(ClientProfiles.THIS_JVM);
    for (String c : options.clients) {
      for (String name : c.split(",")) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (n.equals(ClientProfiles.ALL)) {
          // Kept as 'all', not expanded: the inspection judges the profiles it adds by relevance.
          out.add(ClientProfiles.ALL);
        } else if (ClientProfiles.names().contains(n)) {
          out.add(n);
        } else {
          throw UsageException.badArgument("unknown client profile '" + name.trim() + "': use all or "
              + String.join(", ", ClientProfiles.names()));
        }
      }
    }
    return out;
  }

  private Target target() {
    return options.endpoint.target(options.hostAndPort);
  }

  private TrustMaterial trust() {
    return options.endpoint.trust();
  }

  /** The provider with this name, found with {@link ServiceLoader}. */
  static HandshakeProbe findProbe(String name) {
    if (!KNOWN_PROVIDERS.containsKey(name)) {
      throw UsageException.badArgument("unknown provider '" + name + "': use jsse or bc");
    }
    for (HandshakeProbe p : ServiceLoader.load(HandshakeProbe.class, Cli.class.getClassLoader())) {
      if (name.equals(p.name())) {
        return p;
      }
    }
    throw UsageException.unavailable(
        "provider '" + name + "' is not available: add " + KNOWN_PROVIDERS.get(name));
  }

  static String firstLine(String message) {
    if (message == null || message.isBlank()) {
      return "invalid arguments";
    }
    String s = message.strip();
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
