package dev.tlsinspect.cli;

import dev.tlsinspect.Finding;
import dev.tlsinspect.SafeText;
import dev.tlsinspect.StoreEntry;
import dev.tlsinspect.StoreInspector;
import dev.tlsinspect.StoreReport;
import dev.tlsinspect.StoreSource;
import dev.tlsinspect.StoreType;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Runs {@code tls-inspect store}: inspects the store file and prints its report. */
final class Store {
  private static final String INDENT = "    ";
  private static final long MAX_PASSWORD_FILE = 4096;

  private final PrintStream out;
  private final Function<String, String> env;

  Store(PrintStream out, Function<String, String> env) {
    this.out = out;
    this.env = env;
  }

  int run(StoreCommand o) {
    int given = (o.password != null ? 1 : 0) + (o.passwordEnv != null ? 1 : 0) + (o.passwordFile != null ? 1 : 0);
    if (given > 1) {
      throw UsageException.badArgument("give the password once: --password, --password-env or --password-file");
    }
    Optional<StoreType> type;
    try {
      type = Optional.ofNullable(o.type).map(StoreType::parse);
    } catch (IllegalArgumentException e) {
      throw UsageException.badArgument(e.getMessage());
    }
    if (o.warnDays < 0) {
      throw UsageException.badArgument("--warn-days must not be negative");
    }
    char[] password = password(o);
    try {
      Path file = Path.of(o.file);
      if (Files.isDirectory(file)) {
        throw UsageException.unavailable("cannot read " + o.file + ": it is a directory");
      }
      StoreSource source = type.isPresent() ? StoreSource.file(file, password, type.get())
          : StoreSource.file(file, password);
      StoreReport report = StoreInspector.builder()
          .expiryWarning(java.time.Duration.ofDays(o.warnDays)).build().inspect(source);
      if (o.json) {
        out.println(Json.write(report));
      } else {
        out.print(render(report));
      }
      return Cli.exitStatus(report.verdict());
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private char[] password(StoreCommand o) {
    if (o.password != null) {
      return o.password.toCharArray();
    }
    if (o.passwordEnv != null) {
      String v = env.apply(o.passwordEnv);
      if (v == null) {
        throw UsageException.badArgument("environment variable " + o.passwordEnv + " is not set");
      }
      return v.toCharArray();
    }
    if (o.passwordFile != null) {
      Path p = Path.of(o.passwordFile);
      try {
        if (!Files.isRegularFile(p) || Files.size(p) > MAX_PASSWORD_FILE) {
          throw UsageException.unavailable("cannot read the password file " + o.passwordFile
              + (Files.isRegularFile(p) ? ": larger than " + MAX_PASSWORD_FILE + " bytes" : ": no such file"));
        }
        String text = Files.readString(p, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        String first = nl < 0 ? text : text.substring(0, nl);
        return (first.endsWith("\r") ? first.substring(0, first.length() - 1) : first).toCharArray();
      } catch (IOException e) {
        throw UsageException.unavailable("cannot read the password file " + o.passwordFile);
      }
    }
    return new char[0];
  }

  static String render(StoreReport r) {
    StringBuilder sb = new StringBuilder();
    sb.append("tls-inspect store: ").append(SafeText.of(r.store())).append('\n');
    sb.append("Verdict: ").append(r.verdict())
        .append(r.type().isEmpty() ? "" : "   Type: " + r.type())
        .append("   Entries: ").append(r.entries().size()).append('\n');
    for (StoreEntry e : r.entries()) {
      sb.append(INDENT).append(SafeText.of(e.alias(), 120)).append(" (").append(e.kind()).append(")");
      if (!e.subject().isEmpty()) {
        sb.append(": ").append(SafeText.of(e.subject(), 200)).append(", expires ").append(e.notAfter())
            .append(e.chain().size() > 1 ? ", chain of " + e.chain().size() : "");
      }
      sb.append('\n');
    }
    if (r.findings().isEmpty()) {
      sb.append("\nNo problem found.\n");
      return sb.toString();
    }
    int i = 0;
    for (Finding f : r.findings()) {
      sb.append('\n').append(++i).append(". ").append(f.code()).append(" (").append(f.severity())
          .append(")  ").append(SafeText.of(f.title(), 300)).append('\n');
      sb.append(INDENT).append(SafeText.of(f.detail(), 2048)).append('\n');
      for (Map.Entry<String, Object> ev : f.evidence().entrySet()) {
        sb.append(INDENT).append(ev.getKey()).append(": ").append(SafeText.of(String.valueOf(ev.getValue()), 400))
            .append('\n');
      }
      if (!f.remediation().isEmpty()) {
        sb.append(INDENT).append("Fix: ").append(SafeText.of(f.remediation(), 1024)).append('\n');
      }
    }
    return sb.toString();
  }
}
