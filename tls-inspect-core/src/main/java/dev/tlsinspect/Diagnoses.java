package dev.tlsinspect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The diagnosis catalogue: every code tls-inspect itself reports, with its default severity, the
 * section of the catalogue it belongs to, what it means, the documents behind it and the release
 * that added it. Codes declared ahead of the checks that will report them are marked
 * {@linkplain Diagnosis#planned() planned}.
 *
 * <p>The catalogue is data shipped in the jar, so documentation generated from it cannot drift from
 * the code. Custom codes are not in it.
 *
 * @since 0.1.0
 */
public final class Diagnoses {
  private static final Map<Code, Diagnosis> ALL = load();

  private Diagnoses() {}

  /**
   * One entry of the catalogue.
   *
   * @param code the code
   * @param defaultSeverity the severity a finding with this code has unless a check says otherwise
   * @param section the catalogue section, for example "Certificate and chain of trust (CERT, CA)"
   * @param meaning what the code means, one line
   * @param references the documents behind the code, for example {@code RFC 5280 §4.1.2.5} or
   *     {@code CVE-2014-3566}; empty when the code names a condition no document defines
   * @param since the release that added the code, for example {@code 0.1.0}
   * @param planned {@code true} when the code is declared so that its spelling is reserved, but no
   *     check, rule or phase reports it yet (the server weaknesses that need dedicated probes)
   * @since 0.1.0
   */
  public record Diagnosis(Code code, Severity defaultSeverity, String section, String meaning,
      List<String> references, String since, boolean planned) {
    /**
     * Validates the entry and copies the references.
     *
     * @throws NullPointerException when a component is null
     */
    public Diagnosis {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(defaultSeverity, "defaultSeverity");
      Objects.requireNonNull(section, "section");
      Objects.requireNonNull(meaning, "meaning");
      references = List.copyOf(references);
      Objects.requireNonNull(since, "since");
    }

    /**
     * An entry of the first release that is reported and names no documents: the shape the
     * catalogue had before references and since were added.
     *
     * @param code the code
     * @param defaultSeverity the default severity
     * @param section the catalogue section
     * @param meaning what the code means, one line
     * @since 0.1.0
     */
    public Diagnosis(Code code, Severity defaultSeverity, String section, String meaning) {
      this(code, defaultSeverity, section, meaning, List.of(), "0.1.0", false);
    }
  }

  /**
   * Every entry, in catalogue order.
   *
   * @return the entries
   * @since 0.1.0
   */
  public static List<Diagnosis> all() {
    return List.copyOf(ALL.values());
  }

  /**
   * The entry of a code.
   *
   * @param code the code
   * @return the entry, or empty for a custom code
   * @since 0.1.0
   */
  public static Optional<Diagnosis> find(Code code) {
    return Optional.ofNullable(ALL.get(Objects.requireNonNull(code, "code")));
  }

  private static Map<Code, Diagnosis> load() {
    Map<Code, Diagnosis> map = new LinkedHashMap<>();
    try (InputStream in = Diagnoses.class.getResourceAsStream("diagnoses.tsv")) {
      if (in == null) {
        throw new IllegalStateException("diagnoses.tsv is missing from the tls-inspect-core jar");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        // -1 keeps empty columns: a code without references has an empty fifth column.
        String[] cols = line.split("\t", -1);
        if (cols.length != 7 || !(cols[6].equals("reported") || cols[6].equals("planned"))) {
          throw new IllegalStateException("diagnoses.tsv: bad line: " + line);
        }
        Code code = Code.of(cols[0]);
        List<String> references = cols[4].isEmpty() ? List.of() : List.of(cols[4].split("; "));
        map.put(code, new Diagnosis(code, Severity.valueOf(cols[1]), cols[2], cols[3], references,
            cols[5], cols[6].equals("planned")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Collections.unmodifiableMap(map);
  }

  static List<Code> codes() {
    return new ArrayList<>(ALL.keySet());
  }
}
