package dev.tlsinspect.cli;

import dev.tlsinspect.JvmTlsEnvironment;
import dev.tlsinspect.JvmTlsEnvironment.Setting;
import dev.tlsinspect.SafeText;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code tls-inspect env}: this JVM's TLS environment, grouped, or as JSON. */
final class Env {
  private static final Map<String, String> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put("policy", "Algorithm policy");
    GROUPS.put("protocols", "Protocols and suites (client settings)");
    GROUPS.put("revocation", "Revocation and AIA");
    GROUPS.put("stores", "Store and factory defaults");
  }

  private final PrintStream out;

  Env(PrintStream out) {
    this.out = out;
  }

  int run(EnvCommand options) {
    JvmTlsEnvironment env = JvmTlsEnvironment.current();
    if (options.json) {
      out.println(Json.write(env));
    } else {
      out.print(render(env));
    }
    return Cli.EXIT_PASS;
  }

  static String render(JvmTlsEnvironment env) {
    StringBuilder sb = new StringBuilder();
    JvmTlsEnvironment.Java java = env.java();
    sb.append("tls-inspect env: this JVM's TLS environment\n\n");
    sb.append("Java\n");
    kv(sb, "version", java.version() + " (" + java.vendor() + ")");
    kv(sb, "runtime", java.runtimeName() + " " + java.runtimeVersion());
    kv(sb, "java.home", java.home());
    sb.append("\nSecurity providers (in order)\n");
    for (int i = 0; i < env.providers().size(); i++) {
      JvmTlsEnvironment.SecurityProvider p = env.providers().get(i);
      sb.append("  ").append(i + 1).append(". ").append(SafeText.of(p.name())).append(' ')
          .append(SafeText.of(p.version())).append("  (").append(SafeText.of(p.className())).append(")\n");
    }
    sb.append("\nFIPS mode: ").append(env.fips().enabled() ? "yes" : "no").append('\n');
    env.fips().evidence().forEach(e -> sb.append("  ").append(SafeText.of(e)).append('\n'));
    if (!env.fips().expectedFailures().isEmpty()) {
      sb.append("  With a FIPS provider, these will fail:\n");
      env.fips().expectedFailures().forEach(e -> sb.append("  - ").append(SafeText.of(e, 1024)).append('\n'));
    }

    JvmTlsEnvironment.TrustStore ts = env.trustStore();
    sb.append("\nTrust store (default TrustManagerFactory)\n");
    kv(sb, "path", ts.path() + (ts.exists() || ts.path().equals("NONE") ? "" : "  (missing!)"));
    kv(sb, "from", ts.source());
    kv(sb, "type", ts.type());
    ts.provider().ifPresent(p -> kv(sb, "provider", p));
    kv(sb, "password", ts.passwordSet() ? "set" : "not set");
    kv(sb, "anchors", ts.anchors().isPresent() ? String.valueOf(ts.anchors().getAsInt()) : "unknown");
    ts.error().ifPresent(e -> kv(sb, "error", e));

    JvmTlsEnvironment.KeyStoreSettings ks = env.keyStore();
    sb.append("\nKey store (client certificate)\n");
    kv(sb, "path", ks.path().orElse("(none)"));
    kv(sb, "type", ks.type());
    ks.provider().ifPresent(p -> kv(sb, "provider", p));
    kv(sb, "password", ks.passwordSet() ? "set" : "not set");

    for (Map.Entry<String, String> g : GROUPS.entrySet()) {
      sb.append('\n').append(g.getValue()).append('\n');
      for (Setting s : env.settings()) {
        if (s.group().equals(g.getKey())) {
          kv(sb, s.name(), s.value().orElse("(not set)"));
        }
      }
    }

    JvmTlsEnvironment.DefaultContext dc = env.defaultContext();
    sb.append("\nDefault SSLContext\n");
    if (dc.error().isPresent()) {
      kv(sb, "error", dc.error().get());
    } else {
      kv(sb, "protocol", dc.protocol() + " (" + dc.provider() + ")");
      kv(sb, "enabled protocols", String.join(", ", dc.enabledProtocols()));
      kv(sb, "supported protocols", String.join(", ", dc.supportedProtocols()));
      list(sb, "enabled cipher suites", dc.enabledCipherSuites());
      kv(sb, "supported cipher suites", dc.supportedCipherSuites().size() + " (see --json)");
    }
    return sb.toString();
  }

  private static void kv(StringBuilder sb, String key, String value) {
    // Values come from system properties and java.security files: any text at all.
    sb.append("  ").append(String.format("%-44s", SafeText.of(key, 80))).append(' ')
        .append(SafeText.of(value, 2048)).append('\n');
  }

  private static void list(StringBuilder sb, String key, List<String> values) {
    kv(sb, key, String.valueOf(values.size()));
    values.forEach(v -> sb.append("    ").append(SafeText.of(v)).append('\n'));
  }
}
