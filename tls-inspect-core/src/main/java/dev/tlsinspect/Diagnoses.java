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
 * section of the catalogue it belongs to and what it means.
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
   * @since 0.1.0
   */
  public record Diagnosis(Code code, Severity defaultSeverity, String section, String meaning) {
    /**
     * Validates the entry.
     *
     * @throws NullPointerException when a component is null
     */
    public Diagnosis {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(defaultSeverity, "defaultSeverity");
      Objects.requireNonNull(section, "section");
      Objects.requireNonNull(meaning, "meaning");
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
        String[] cols = line.split("\t");
        Code code = Code.of(cols[0]);
        map.put(code, new Diagnosis(code, Severity.valueOf(cols[1]), cols[2], cols[3]));
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
