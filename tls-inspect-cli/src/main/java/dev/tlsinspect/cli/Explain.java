package dev.tlsinspect.cli;

import dev.tlsinspect.Explanation;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.SafeText;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsExplainer;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.probe.HandshakeProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs {@code tls-inspect explain}: reads standard input, explains, optionally verifies. */
final class Explain {
  static final int MAX_INPUT = 1024 * 1024;
  private static final String INDENT = "    ";

  private final InputStream in;
  private final boolean stdinIsTerminal;
  private final PrintStream out;
  private final PrintStream err;

  Explain(InputStream in, boolean stdinIsTerminal, PrintStream out, PrintStream err) {
    this.in = in;
    this.stdinIsTerminal = stdinIsTerminal;
    this.out = out;
    this.err = err;
  }

  int run(ExplainCommand options) {
    // Check the arguments before waiting for input.
    Target target = null;
    InspectOptions inspectOptions = null;
    HandshakeProbe probe = null;
    if (options.hostAndPort != null) {
      options.endpoint.validate();
      probe = options.provider == null ? null : Cli.findProbe(options.provider);
      try {
        target = options.endpoint.target(options.hostAndPort);
        InspectOptions.Builder b = InspectOptions.builder()
            .timeout(options.timeout)
            .trust(options.endpoint.trust());
        options.endpoint.clientCredentials().ifPresent(b::clientCredentials);
        inspectOptions = b.build();
      } catch (IllegalArgumentException e) {
        throw UsageException.badArgument(e.getMessage());
      }
    } else if (options.endpoint.anyGiven()) {
      throw UsageException.badArgument("--ca-file, --trust-store, --client-cert, --key-store, --sni, "
          + "--no-sni, --connect, --starttls and --proxy need HOST[:PORT] to inspect");
    } else if (options.trace) {
      throw UsageException.badArgument("--trace needs HOST[:PORT] to inspect");
    }

    if (stdinIsTerminal) {
      // Typed at a prompt with nothing piped, reading would look like a hang: say how to use it.
      err.println("tls-inspect explain reads an exception message or stack trace on standard input:");
      err.println("  tls-inspect explain < error.txt");
      err.println("  kubectl logs app | grep -A40 SSLHandshakeException | tls-inspect explain");
      err.println("Try 'tls-inspect explain --help' for more information.");
      return Cli.EXIT_ERROR;
    }
    String text = readInput();
    Explanation explanation = TlsExplainer.explain(text);
    if (target != null && explanation.recognised()) {
      TlsInspector.Builder builder = TlsInspector.builder().options(inspectOptions);
      if (probe != null) {
        builder.probe(probe);
      }
      TlsInspector inspector = builder.build();
      explanation = inspector.verify(explanation, target);
    }
    java.util.Optional<dev.tlsinspect.Report> inspected = explanation.verification()
        .map(Explanation.Verification::report);
    if (options.json) {
      out.println(options.trace && inspected.isPresent()
          ? Trace.withTrace(explanation, inspected.get()) : Json.write(explanation));
    } else {
      out.print(render(explanation, target != null));
      if (options.trace && inspected.isPresent()) {
        out.println();
        out.print(Trace.render(inspected.get()));
      }
    }
    return explanation.recognised() ? Cli.EXIT_FAIL : Cli.EXIT_PASS;
  }

  private String readInput() {
    byte[] bytes;
    try {
      bytes = in.readNBytes(MAX_INPUT + 1);
    } catch (IOException e) {
      throw UsageException.unavailable("cannot read standard input: " + e.getMessage());
    }
    if (bytes.length > MAX_INPUT) {
      throw UsageException.unavailable("standard input is larger than 1 MB: pass the exception "
          + "message or stack trace only");
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      throw UsageException.badArgument("no exception message or stack trace on standard input");
    }
    return text;
  }

  static String render(Explanation e, boolean verifyRequested) {
    StringBuilder sb = new StringBuilder();
    line(sb, "", "tls-inspect explain: " + SafeText.of(e.summary(), 2048));
    if (!e.recognised()) {
      if (verifyRequested) {
        line(sb, "", "Nothing to verify: the endpoint was not inspected.");
      }
      return sb.toString();
    }
    sb.append('\n');
    sb.append("Candidate root causes, most likely first:\n");
    List<Explanation.Candidate> candidates = e.candidates();
    for (int i = 0; i < candidates.size(); i++) {
      Explanation.Candidate c = candidates.get(i);
      sb.append('\n');
      line(sb, "", "  " + (i + 1) + ". " + c.code() + "  (" + c.confidence() + ")");
      line(sb, INDENT, "Why: " + c.why());
      line(sb, INDENT, "Tells it apart: " + c.confirm());
      line(sb, INDENT, "Matched: " + SafeText.of(c.matched()));
    }
    sb.append('\n');
    sb.append("Cause chain, outermost first:\n");
    for (Explanation.Cause c : e.chain()) {
      String text = (c.type().isEmpty() ? "" : c.type() + ": ") + c.message();
      // Quoted exception text: it can carry a peer's certificate names, escapes and all.
      line(sb, "  ", (c.wrapper() ? "(wrapper) " : "") + SafeText.of(text, 300));
    }
    if (e.verification().isPresent()) {
      Explanation.Verification v = e.verification().get();
      sb.append('\n');
      line(sb, "", "Verification (" + v.status() + "): " + SafeText.of(v.summary(), 2048));
      sb.append('\n');
      sb.append(TextReport.render(v.report()));
    } else if (verifyRequested) {
      line(sb, "", "Not verified.");
    }
    return sb.toString();
  }

  /** Wraps at the report's width, continuation lines indented. */
  private static void line(StringBuilder sb, String indent, String text) {
    int width = TextReport.WIDTH;
    String prefix = indent;
    // The values are made safe (and cut) where they are quoted; this catches any that was not.
    String rest = SafeText.of(text, Integer.MAX_VALUE);
    while (prefix.length() + rest.length() > width) {
      int cut = rest.lastIndexOf(' ', width - prefix.length());
      if (cut <= 0) {
        cut = Math.min(rest.length(), width - prefix.length());
      }
      sb.append(prefix).append(rest, 0, cut).append('\n');
      rest = rest.substring(cut).stripLeading();
      prefix = indent + (indent.isEmpty() ? "    " : "  ");
    }
    sb.append(prefix).append(rest).append('\n');
  }
}
