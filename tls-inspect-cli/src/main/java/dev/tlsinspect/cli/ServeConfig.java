package dev.tlsinspect.cli;

import dev.tlsinspect.Target;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configuration of {@code tls-inspect serve}: a Java properties file (documented in the site's
 * exporter page). Properties rather than YAML: the file is a handful of flat keys, and the CLI
 * keeps one dependency fewer. Every mistake is one {@link UsageException} naming the key.
 *
 * @param listen where to listen (127.0.0.1:9219 by default)
 * @param targets the targets of the status page, refreshed in the background, always allowed
 * @param allow host patterns ({@code *} for any characters, optional {@code :port}) that may also
 *     be probed on request
 * @param refresh how often the configured targets are inspected again
 * @param cacheTtl how long a report answers {@code /probe} before a new inspection
 * @param timeout the budget of one inspection
 * @param workers how many inspections run at once
 * @param queue how many inspections may wait; more are refused with 503
 * @param maxCached how many reports are kept at most
 * @param module the module a request without {@code module=} gets: quick or full
 * @param expiryWarningDays warn about certificates expiring within this many days
 * @param caFiles extra trust anchors (PEM), relative to the configuration file
 */
record ServeConfig(InetSocketAddress listen, List<Target> targets, List<Pattern> allow,
    Duration refresh, Duration cacheTtl, Duration timeout, int workers, int queue, int maxCached,
    String module, int expiryWarningDays, List<Path> caFiles) {

  static final Set<String> MODULES = Set.of("quick", "full");
  private static final Set<String> KEYS = Set.of("listen", "targets", "allow", "refresh", "cache-ttl",
      "timeout", "workers", "queue", "max-cached", "module", "expiry-warning", "ca-file");

  ServeConfig {
    targets = List.copyOf(targets);
    allow = List.copyOf(allow);
    caFiles = List.copyOf(caFiles);
  }

  /** The defaults with these targets: for tests and the sample. */
  static ServeConfig of(List<Target> targets, List<String> allow) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("targets", String.join(",", targets.stream().map(ServeConfig::key).toList()));
    m.put("allow", String.join(",", allow));
    return parse(m, Path.of("."), "(built-in)");
  }

  /** Reads and checks the file. */
  static ServeConfig load(Path file) {
    Properties p = new Properties();
    if (!Files.isRegularFile(file)) {
      throw UsageException.badArgument("--config: no such file: " + file);
    }
    try (InputStream in = Files.newInputStream(file)) {
      if (Files.size(file) > 1 << 20) {
        throw UsageException.badArgument("--config: " + file + " is larger than 1 MB");
      }
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      throw UsageException.badArgument("--config: cannot read " + file + ": " + e.getMessage());
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (String name : p.stringPropertyNames()) {
      m.put(name, p.getProperty(name).strip());
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(m, dir == null ? Path.of(".") : dir, file.toString());
  }

  static ServeConfig parse(Map<String, String> m, Path dir, String source) {
    for (String key : m.keySet()) {
      if (!KEYS.contains(key)) {
        throw bad(source, key, "unknown key; known keys: " + String.join(", ", new java.util.TreeSet<>(KEYS)));
      }
    }
    InetSocketAddress listen = listen(source, m.getOrDefault("listen", "127.0.0.1:9219"));
    List<Target> targets = new ArrayList<>();
    for (String t : list(m.get("targets"))) {
      try {
        targets.add(Target.parse(t));
      } catch (IllegalArgumentException e) {
        throw bad(source, "targets", "'" + t + "': " + e.getMessage());
      }
    }
    List<Pattern> allow = new ArrayList<>();
    for (String a : list(m.get("allow"))) {
      allow.add(pattern(source, a));
    }
    String module = m.getOrDefault("module", "quick").toLowerCase(Locale.ROOT);
    if (!MODULES.contains(module)) {
      throw bad(source, "module", "'" + module + "': use quick or full");
    }
    List<Path> caFiles = new ArrayList<>();
    for (String f : list(m.get("ca-file"))) {
      Path path = dir.resolve(f);
      if (!Files.isReadable(path)) {
        throw bad(source, "ca-file", "cannot read " + path);
      }
      caFiles.add(path);
    }
    return new ServeConfig(listen, targets, allow,
        duration(source, m, "refresh", "5m"), duration(source, m, "cache-ttl", "60s"),
        duration(source, m, "timeout", "10s"),
        number(source, m, "workers", 4, 1, 256), number(source, m, "queue", 200, 1, 100_000),
        number(source, m, "max-cached", 10_000, 1, 1_000_000), module,
        number(source, m, "expiry-warning", 30, 0, 3650), caFiles);
  }

  /** The cache and allow-list key of a target: host:port, lower case. */
  static String key(Target t) {
    String host = t.host().toLowerCase(Locale.ROOT);
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + t.port();
  }

  /** Whether the target was configured or matches an allow pattern. */
  boolean allows(Target t) {
    String key = key(t);
    for (Target c : targets) {
      if (key(c).equals(key)) {
        return true;
      }
    }
    for (Pattern p : allow) {
      if (p.matcher(key).matches()) {
        return true;
      }
    }
    return false;
  }

  /** {@code *.example.com} (any port), {@code db-*.internal:5432}: globs over host[:port]. */
  private static Pattern pattern(String source, String glob) {
    String g = glob.toLowerCase(Locale.ROOT);
    if (!g.matches("[a-z0-9.*\\-_:\\[\\]]+") || g.equals("*") || g.startsWith("*:") || g.equals("*.*")) {
      throw bad(source, "allow", "'" + glob + "': a host pattern such as *.example.com or "
          + "db-*.internal:5432 (a bare * would make the exporter an open proxy)");
    }
    String host = g;
    String port = "\\d+";
    int colon = g.lastIndexOf(':');
    if (colon > 0 && g.indexOf(':') == colon) {
      host = g.substring(0, colon);
      port = g.substring(colon + 1);
      if (!port.matches("\\d{1,5}")) {
        throw bad(source, "allow", "'" + glob + "': the port must be a number");
      }
    }
    StringBuilder re = new StringBuilder();
    for (String part : host.split("\\*", -1)) {
      if (re.length() > 0) {
        re.append("[^:\\[\\]]*");
      }
      re.append(Pattern.quote(part));
    }
    return Pattern.compile(re + ":" + port);
  }

  private static InetSocketAddress listen(String source, String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      throw bad(source, "listen", "'" + value + "': use ADDRESS:PORT, for example 127.0.0.1:9219");
    }
    String host = value.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw bad(source, "listen", "'" + value + "': the port must be 0 to 65535");
    }
    if (!host.matches("[0-9a-fA-F.:]+")) {
      throw bad(source, "listen", "'" + value + "': an IP address, not a name (for example 127.0.0.1)");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw bad(source, "listen", "'" + value + "': not an IP address");
    }
  }

  private static Duration duration(String source, Map<String, String> m, String key, String def) {
    try {
      Duration d = Durations.parse(m.getOrDefault(key, def));
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("must be more than 0");
      }
      return d;
    } catch (RuntimeException e) {
      throw bad(source, key, "'" + m.get(key) + "': " + e.getMessage());
    }
  }

  private static int number(String source, Map<String, String> m, String key, int def, int min, int max) {
    String v = m.get(key);
    if (v == null) {
      return def;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw bad(source, key, "'" + v + "': a whole number from " + min + " to " + max);
  }

  private static List<String> list(String value) {
    List<String> out = new ArrayList<>();
    if (value != null) {
      for (String s : value.split("[,\\s]+")) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
    }
    return out;
  }

  private static UsageException bad(String source, String key, String message) {
    return UsageException.badArgument("--config " + source + ": " + key + ": " + message);
  }
}
