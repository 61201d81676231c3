package dev.tlsinspect;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One diagnosis: what is wrong (or notable), how bad it is, the evidence, and what to do.
 *
 * <p>Evidence values are typed: {@link String}, {@link Long}, {@link Boolean}, {@link Instant} or a
 * {@link List} of strings. Build findings with {@link #builder(Code)}, which takes the default
 * severity and meaning from the {@linkplain Diagnoses catalogue}.
 *
 * @param code the code from the catalogue, or a custom check's own code
 * @param severity how bad it is
 * @param rootCause whether this finding explains why the handshake failed
 * @param title one line
 * @param detail what was seen, naming the evidence (which certificate, which address, ...)
 * @param remediation what a person should do about it
 * @param evidence typed facts behind the finding, in a stable order
 * @since 0.1.0
 */
public record Finding(
    Code code,
    Severity severity,
    boolean rootCause,
    String title,
    String detail,
    String remediation,
    Map<String, Object> evidence) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a component is null
   * @throws IllegalArgumentException when an evidence value has an unsupported type
   */
  public Finding {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(remediation, "remediation");
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : Objects.requireNonNull(evidence, "evidence").entrySet()) {
      copy.put(Objects.requireNonNull(e.getKey(), "evidence key"), checkValue(e.getKey(), e.getValue()));
    }
    evidence = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * Starts a finding with the catalogue's default severity and meaning as title.
   *
   * @param code the code
   * @return a builder
   * @since 0.1.0
   */
  public static Builder builder(Code code) {
    return new Builder(code);
  }

  /**
   * A copy of this finding with the root-cause flag set.
   *
   * @param value the new flag
   * @return the copy
   * @since 0.1.0
   */
  public Finding withRootCause(boolean value) {
    return new Finding(code, severity, value, title, detail, remediation, evidence);
  }

  private static Object checkValue(String key, Object value) {
    Objects.requireNonNull(value, () -> "evidence value of " + key);
    if (value instanceof Integer i) {
      return i.longValue();
    }
    if (value instanceof String || value instanceof Long || value instanceof Boolean
        || value instanceof Instant) {
      return value;
    }
    if (value instanceof Collection<?> c) {
      return c.stream().map(String::valueOf).toList();
    }
    throw new IllegalArgumentException(
        "evidence '" + key + "' has unsupported type " + value.getClass().getName());
  }

  /**
   * Builds a {@link Finding}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final Code code;
    private Severity severity;
    private boolean rootCause;
    private String title;
    private String detail = "";
    private String remediation = "";
    private final Map<String, Object> evidence = new LinkedHashMap<>();

    private Builder(Code code) {
      this.code = Objects.requireNonNull(code, "code");
      Diagnoses.Diagnosis d = Diagnoses.find(code).orElse(null);
      this.severity = d == null ? Severity.MEDIUM : d.defaultSeverity();
      this.title = d == null ? code.name() : capitalize(d.meaning());
    }

    /**
     * Overrides the default severity.
     *
     * @param value the severity
     * @return this builder
     */
    public Builder severity(Severity value) {
      this.severity = Objects.requireNonNull(value, "severity");
      return this;
    }

    /**
     * Marks the finding as the root cause of a failed handshake.
     *
     * @param value the flag
     * @return this builder
     */
    public Builder rootCause(boolean value) {
      this.rootCause = value;
      return this;
    }

    /**
     * Sets the one-line title.
     *
     * @param value the title
     * @return this builder
     */
    public Builder title(String value) {
      this.title = Objects.requireNonNull(value, "title");
      return this;
    }

    /**
     * Sets the detail.
     *
     * @param value the detail
     * @return this builder
     */
    public Builder detail(String value) {
      this.detail = Objects.requireNonNull(value, "detail");
      return this;
    }

    /**
     * Sets the remediation.
     *
     * @param value the remediation
     * @return this builder
     */
    public Builder remediation(String value) {
      this.remediation = Objects.requireNonNull(value, "remediation");
      return this;
    }

    /**
     * Adds a piece of evidence.
     *
     * @param key the name, lowerCamelCase
     * @param value a String, Long, Integer, Boolean, Instant or collection (stored as strings)
     * @return this builder
     */
    public Builder evidence(String key, Object value) {
      evidence.put(Objects.requireNonNull(key, "key"), checkValue(key, value));
      return this;
    }

    /**
     * Builds the finding.
     *
     * @return the finding
     */
    public Finding build() {
      return new Finding(code, severity, rootCause, title, detail, remediation, evidence);
    }

    private static String capitalize(String s) {
      return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
  }
}
