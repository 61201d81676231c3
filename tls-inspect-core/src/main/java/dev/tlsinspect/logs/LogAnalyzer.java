package dev.tlsinspect.logs;

import dev.tlsinspect.Code;
import dev.tlsinspect.Diagnoses;
import dev.tlsinspect.Severity;
import dev.tlsinspect.internal.logs.LogRules;
import dev.tlsinspect.internal.logs.LogScanner;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads server logs and reports the TLS handshake failures in them, grouped, with codes from the
 * diagnosis catalogue and what to change.
 *
 * <pre>{@code
 * LogReport report = LogAnalyzer.defaults().analyze(Path.of("/var/log/nginx/error.log"));
 * if (!report.recognised()) {
 *   System.out.println(report.summary());          // "Not recognised: ..."
 * }
 * for (LogGroup g : report.groups()) {
 *   System.out.println(g.count() + " x " + g.code() + ": " + g.whatToChange());
 * }
 * }</pre>
 *
 * <p>Reading is streaming and bounded: lines are cut at 8 KB, at most {@link Builder#maxGroups}
 * groups are kept (further failures are counted in {@link LogReport#ungroupedEvents()}), and each
 * group keeps at most 256 distinct client addresses (the rest are counted in
 * {@link LogGroup#otherClients()}). An analyzer is immutable and thread-safe; each call reads its
 * input once.
 *
 * @since 0.1.0
 */
public final class LogAnalyzer {
  private static final int MAX_CLIENTS_KEPT = 256;
  private static final int MAX_CLIENTS_SHOWN = 20;
  private static final int MAX_OFFERED = 20;

  private final ZoneId zone;
  private final int maxGroups;

  private LogAnalyzer(Builder b) {
    this.zone = b.zone;
    this.maxGroups = b.maxGroups;
  }

  /**
   * An analyzer that reads times without a zone as UTC and keeps at most 200 groups.
   *
   * @return the analyzer
   * @since 0.1.0
   */
  public static LogAnalyzer defaults() {
    return builder().build();
  }

  /**
   * A builder.
   *
   * @return a builder with the defaults
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Analyses one file (UTF-8; malformed bytes are replaced, never an error).
   *
   * @param file the file
   * @return the report
   * @throws IOException when the file cannot be read
   * @since 0.1.0
   */
  public LogReport analyze(Path file) throws IOException {
    Session s = session();
    s.read(file);
    return s.report();
  }

  /**
   * Analyses text read from a reader, up to its end. The reader is not closed.
   *
   * @param reader the reader
   * @return the report
   * @throws IOException when reading fails
   * @since 0.1.0
   */
  public LogReport analyze(Reader reader) throws IOException {
    Session s = session();
    s.read("input", reader);
    return s.report();
  }

  /**
   * Analyses lines (without line terminators).
   *
   * @param lines the lines
   * @return the report
   * @since 0.1.0
   */
  public LogReport analyze(List<String> lines) {
    Session s = session();
    s.read("input", lines);
    return s.report();
  }

  /**
   * A session that reads several sources into one report, for example the logs of several servers.
   *
   * @return a new session
   * @since 0.1.0
   */
  public Session session() {
    return new Session();
  }

  /**
   * Reads sources one after another into one report. Not thread-safe.
   *
   * @since 0.1.0
   */
  public final class Session {
    private final Map<String, GroupState> groups = new LinkedHashMap<>();
    private final Set<LogFormat> formats = new LinkedHashSet<>();
    private long lines;
    private long tlsLines;
    private long unrelatedLines;
    private long unrecognisedLines;
    private long truncatedLines;
    private long ungrouped;

    private Session() {}

    /**
     * Reads a file (UTF-8; malformed bytes are replaced).
     *
     * @param file the file
     * @return this session
     * @throws IOException when the file cannot be read
     * @since 0.1.0
     */
    public Session read(Path file) throws IOException {
      Objects.requireNonNull(file, "file");
      try (Reader r = new java.io.InputStreamReader(Files.newInputStream(file),
          StandardCharsets.UTF_8.newDecoder()
              .onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE))) {
        return read(String.valueOf(file.getFileName()), r);
      }
    }

    /**
     * Reads from a reader up to its end; the reader is not closed.
     *
     * @param source the name used in {@link LogGroup#firstLine()}, for example the file name
     * @param reader the reader
     * @return this session
     * @throws IOException when reading fails
     * @since 0.1.0
     */
    public Session read(String source, Reader reader) throws IOException {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(reader, "reader");
      LogScanner scanner = new LogScanner(zone, new Collector(source));
      char[] buf = new char[8192];
      StringBuilder line = new StringBuilder();
      boolean cut = false;
      boolean pendingCr = false;
      int n;
      while ((n = reader.read(buf)) >= 0) {
        for (int i = 0; i < n; i++) {
          char c = buf[i];
          if (c == '\n' || pendingCr && c != '\n') {
            boolean wasCr = pendingCr && c != '\n';
            feed(scanner, line, cut);
            line.setLength(0);
            cut = false;
            pendingCr = false;
            if (!wasCr) {
              continue;
            }
          }
          if (c == '\r') {
            pendingCr = true;
          } else if (line.length() < LogScanner.MAX_LINE) {
            line.append(c);
          } else {
            cut = true;
          }
        }
      }
      if (line.length() > 0 || cut || pendingCr) {
        feed(scanner, line, cut);
      }
      scanner.finish();
      return this;
    }

    /**
     * Reads lines (without terminators).
     *
     * @param source the name used in {@link LogGroup#firstLine()}
     * @param text the lines
     * @return this session
     * @since 0.1.0
     */
    public Session read(String source, List<String> text) {
      Objects.requireNonNull(source, "source");
      LogScanner scanner = new LogScanner(zone, new Collector(source));
      for (String l : text) {
        if (l.length() > LogScanner.MAX_LINE) {
          truncatedLines++;
        }
        scanner.line(l);
      }
      scanner.finish();
      return this;
    }

    private void feed(LogScanner scanner, StringBuilder line, boolean cut) {
      if (cut) {
        truncatedLines++;
      }
      scanner.line(line.toString());
    }

    /**
     * The report of everything read so far.
     *
     * @return the report
     * @since 0.1.0
     */
    public LogReport report() {
      List<LogGroup> out = new ArrayList<>();
      for (GroupState g : groups.values()) {
        out.add(g.toGroup());
      }
      out.sort(Comparator.comparingLong(LogGroup::count).reversed()
          .thenComparing(g -> -g.severity().ordinal()));
      return new LogReport(summary(out), new ArrayList<>(formats), out, lines, tlsLines, unrelatedLines,
          unrecognisedLines, truncatedLines, ungrouped);
    }

    private String summary(List<LogGroup> out) {
      if (formats.isEmpty()) {
        return lines == 0 ? "Not recognised: the input is empty."
            : "Not recognised: none of the " + lines + " lines is in a log format tls-inspect reads "
                + "(nginx, Apache httpd, HAProxy, OpenSSL, Java, Tomcat, Jetty); nothing was diagnosed.";
      }
      List<String> names = formats.stream().map(LogFormat::label).toList();
      if (out.isEmpty()) {
        return "No TLS handshake failures in " + lines + " lines (" + String.join(", ", names) + ")"
            + (unrecognisedLines > 0 ? "; " + unrecognisedLines + " lines not recognised." : ".");
      }
      long failures = out.stream().mapToLong(LogGroup::count).sum() + ungrouped;
      LogGroup top = out.get(0);
      return failures + " TLS handshake failure" + (failures == 1 ? "" : "s") + " in " + out.size()
          + " group" + (out.size() == 1 ? "" : "s") + "; most: " + top.count() + " x " + top.code()
          + " (" + top.message() + ", " + top.format().label() + ")"
          + (unrecognisedLines > 0 ? "; " + unrecognisedLines + " lines not recognised." : ".");
    }

    private final class Collector implements LogScanner.Sink {
      private final String source;

      Collector(String source) {
        this.source = source;
      }

      @Override
      public void lines(LogScanner.Kind kind, Optional<LogFormat> format, int count) {
        lines += count;
        switch (kind) {
          case TLS -> tlsLines += count;
          case UNRELATED -> unrelatedLines += count;
          case UNRECOGNISED -> unrecognisedLines += count;
          default -> throw new AssertionError(kind);
        }
        format.ifPresent(formats::add);
      }

      @Override
      public void event(LogScanner.Event e) {
        String key = e.format() + "|" + e.match().code() + "|" + e.match().key();
        GroupState g = groups.get(key);
        if (g == null) {
          if (groups.size() >= maxGroups) {
            ungrouped++;
            return;
          }
          g = new GroupState(e);
          groups.put(key, g);
        }
        g.add(e, source + ":" + e.line());
      }
    }
  }

  /** A group being filled; everything in it is bounded. */
  private static final class GroupState {
    final LogScanner.Event first;
    long count;
    Instant firstSeen;
    Instant lastSeen;
    String firstLine;
    String lastLine;
    final Map<String, Long> clients = new HashMap<>();
    long otherClients;
    final Set<String> offered = new LinkedHashSet<>();

    GroupState(LogScanner.Event first) {
      this.first = first;
    }

    void add(LogScanner.Event e, String where) {
      count++;
      if (firstLine == null) {
        firstLine = where;
      }
      lastLine = where;
      e.time().ifPresent(t -> {
        if (firstSeen == null || t.isBefore(firstSeen)) {
          firstSeen = t;
        }
        if (lastSeen == null || t.isAfter(lastSeen)) {
          lastSeen = t;
        }
      });
      if (e.client().isPresent() && (clients.containsKey(e.client().get()) || clients.size() < MAX_CLIENTS_KEPT)) {
        clients.merge(e.client().get(), 1L, Long::sum);
      } else {
        otherClients++;
      }
      for (String o : e.offered()) {
        if (offered.size() < MAX_OFFERED) {
          offered.add(o);
        }
      }
    }

    LogGroup toGroup() {
      LogRules.Match m = first.match();
      List<LogGroup.ClientCount> top = clients.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .limit(MAX_CLIENTS_SHOWN)
          .map(en -> new LogGroup.ClientCount(en.getKey(), en.getValue()))
          .toList();
      long shown = top.stream().mapToLong(LogGroup.ClientCount::count).sum();
      long hidden = clients.values().stream().mapToLong(Long::longValue).sum() - shown;
      Code code = m.code();
      Severity severity = Diagnoses.find(code).map(Diagnoses.Diagnosis::defaultSeverity).orElse(Severity.HIGH);
      String meaning = Diagnoses.find(code).map(Diagnoses.Diagnosis::meaning).orElse("");
      List<String> offers = List.copyOf(offered);
      return new LogGroup(code, m.candidates(), severity, first.format(), m.key(), m.problem(), count,
          Optional.ofNullable(firstSeen), Optional.ofNullable(lastSeen), firstLine, lastLine, top,
          otherClients + hidden, offers, first.sample(), meaning,
          LogRules.whatToChange(m, first.format(), offers));
    }
  }

  /**
   * Builds a {@link LogAnalyzer}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private ZoneId zone = ZoneOffset.UTC;
    private int maxGroups = 200;

    private Builder() {}

    /**
     * The zone of times that carry none (nginx, Apache, HAProxy, java.util.logging, Tomcat and
     * Jetty print local time without a zone). Default UTC.
     *
     * @param value the zone
     * @return this builder
     * @since 0.1.0
     */
    public Builder zone(ZoneId value) {
      this.zone = Objects.requireNonNull(value, "zone");
      return this;
    }

    /**
     * The most groups a report keeps; further failures are counted, not grouped. Default 200.
     *
     * @param value 1 to 10000
     * @return this builder
     * @throws IllegalArgumentException when out of range
     * @since 0.1.0
     */
    public Builder maxGroups(int value) {
      if (value < 1 || value > 10_000) {
        throw new IllegalArgumentException("maxGroups must be 1 to 10000: " + value);
      }
      this.maxGroups = value;
      return this;
    }

    /**
     * Builds the analyzer.
     *
     * @return the analyzer
     * @since 0.1.0
     */
    public LogAnalyzer build() {
      return new LogAnalyzer(this);
    }
  }
}
