package dev.tlsinspect.internal.cert;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The Mozilla Public Suffix List (the resource {@code public_suffix_list.dat.gz}, MPL 2.0, see
 * {@code public_suffix_list.NOTICE.md}): which names are public suffixes, under which no one may
 * hold a wildcard certificate. Rules as https://publicsuffix.org/list/ defines them: a plain rule,
 * a {@code *.} rule (every label below it is a suffix too) and a {@code !} exception (that name is
 * not one); names in Unicode are kept as punycode. Read once, on first use: nothing is loaded
 * unless a wildcard name is asked about. Thread-safe. Not API.
 */
final class PublicSuffixes {
  /** Which part of the list a suffix comes from. */
  enum Section {
    /** Registries: {@code com}, {@code co.uk}. Browsers refuse a wildcard right above one. */
    ICANN,
    /** Companies offering subdomains: {@code github.io}. Their owner may hold the wildcard. */
    PRIVATE,
    /** Not on the list: a name of one label falls under the list's default rule {@code *}. */
    DEFAULT
  }

  private static final String RESOURCE = "/dev/tlsinspect/public_suffix_list.dat.gz";
  private static final int MAX_RULES = 100_000;
  private static final int PLAIN = 1;
  private static final int WILDCARD = 2;
  private static final int EXCEPTION = 4;

  private PublicSuffixes() {}

  /** name -> kinds of rule (bit set) and section, read on first use. */
  private static final class Rules {
    static final Map<String, int[]> BY_NAME = load();
  }

  /**
   * Whether a DNS name is itself a public suffix, and from which section of the list.
   *
   * @param name a DNS name, any case, with or without a trailing period, Unicode or punycode
   * @return the section, empty when the name is not a public suffix (or not a DNS name)
   */
  static Optional<Section> of(String name) {
    String n = normalize(name);
    if (n.isEmpty()) {
      return Optional.empty();
    }
    Map<String, int[]> rules = Rules.BY_NAME;
    int[] own = rules.get(n);
    if (own != null && (own[0] & EXCEPTION) != 0) {
      return Optional.empty(); // "!www.ck": www.ck is registrable
    }
    if (own != null && (own[0] & PLAIN) != 0) {
      return Optional.of(section(own[1]));
    }
    int dot = n.indexOf('.');
    if (dot > 0) {
      int[] parent = rules.get(n.substring(dot + 1));
      if (parent != null && (parent[0] & WILDCARD) != 0) {
        return Optional.of(section(parent[1])); // "*.ck": every name under ck
      }
      return Optional.empty();
    }
    return Optional.of(Section.DEFAULT); // one label: the default rule "*"
  }

  private static Section section(int s) {
    return s == 0 ? Section.ICANN : Section.PRIVATE;
  }

  static String normalize(String name) {
    if (name == null) {
      return "";
    }
    String n = name.strip();
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    if (n.isEmpty() || n.length() > 253) {
      return "";
    }
    try {
      return IDN.toASCII(n, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static Map<String, int[]> load() {
    Map<String, int[]> rules = new HashMap<>(16_384);
    try (InputStream raw = PublicSuffixes.class.getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        throw new IllegalStateException("the resource " + RESOURCE + " is missing from this build");
      }
      BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw),
          StandardCharsets.UTF_8));
      int section = 0;
      String line;
      while ((line = in.readLine()) != null && rules.size() < MAX_RULES) {
        line = line.strip();
        if (line.startsWith("// ===BEGIN PRIVATE DOMAINS===")) {
          section = 1;
        }
        if (line.isEmpty() || line.startsWith("//")) {
          continue;
        }
        int kind = PLAIN;
        String rule = line.split("\\s", 2)[0];
        if (rule.startsWith("!")) {
          kind = EXCEPTION;
          rule = rule.substring(1);
        } else if (rule.startsWith("*.")) {
          kind = WILDCARD;
          rule = rule.substring(2);
        }
        String key = normalize(rule);
        if (key.isEmpty()) {
          continue;
        }
        int[] known = rules.computeIfAbsent(key, k -> new int[2]);
        if (known[0] == 0) {
          known[1] = section;
        }
        known[0] |= kind;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    return rules;
  }
}
