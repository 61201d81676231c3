package dev.tlsinspect.cli;

import dev.tlsinspect.Target;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/*
 * The targets of a scan: those on the command line, then the lines of the targets file, read
 * lazily (a file of any length costs one line of memory). A line is
 *
 *   HOST[:PORT] | URL   [starttls=PROTO] [sni=NAME] [no-sni] [connect=ADDRESS]     # comment
 *
 * The per-line options override the command line's --starttls, --sni, --no-sni and --connect.
 * A bad line is a usage error that names the file and line number; a line longer than MAX_LINE
 * characters is one too (a file with no line breaks must not be read whole).
 */
/** Iterates the targets of a scan, parsing as it goes. One pass; close it when done. */
final class ScanTargets implements Iterator<Target>, Closeable {
  static final int MAX_LINE = 8192;

  private final List<String> hosts;
  private final Path file;
  private final EndpointOptions defaults;
  private BufferedReader reader;
  private int hostIndex;
  private long lineNumber;
  private Target next;
  private boolean done;

  ScanTargets(List<String> hosts, Path file, EndpointOptions defaults) {
    this.hosts = List.copyOf(hosts);
    this.file = file;
    this.defaults = defaults;
  }

  /**
   * Reads every target once, parsing each, and counts them: bad lines and unreadable files show
   * before anything is connected, and the count gives the progress bar its total.
   */
  static long count(List<String> hosts, Path file, EndpointOptions defaults) {
    long n = 0;
    try (ScanTargets t = new ScanTargets(hosts, file, defaults)) {
      while (t.hasNext()) {
        t.next();
        n++;
      }
    }
    return n;
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    if (done) {
      return false;
    }
    while (hostIndex < hosts.size()) {
      String h = hosts.get(hostIndex++);
      next = parse(h, "argument '" + h + "'");
      if (next != null) {
        return true;
      }
    }
    if (file == null) {
      done = true;
      return false;
    }
    try {
      if (reader == null) {
        reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
      }
      String line;
      while ((line = readLine(reader)) != null) {
        lineNumber++;
        next = parse(line, file + ":" + lineNumber);
        if (next != null) {
          return true;
        }
      }
    } catch (java.nio.charset.CharacterCodingException e) {
      throw UsageException.badArgument(file + ":" + (lineNumber + 1) + ": not UTF-8 text");
    } catch (IOException e) {
      throw UsageException.badArgument("cannot read --targets " + file + ": "
          + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
    }
    done = true;
    close();
    return false;
  }

  @Override
  public Target next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Target t = next;
    next = null;
    return t;
  }

  /** A line without its end; {@code null} at the end of the file. */
  private String readLine(Reader in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        return b.toString();
      }
      if (b.length() >= MAX_LINE) {
        throw UsageException.badArgument(file + ":" + (lineNumber + 1) + ": line longer than "
            + MAX_LINE + " characters");
      }
      b.append((char) c);
    }
    return b.isEmpty() ? null : b.toString();
  }

  /** The target of one line, or {@code null} for a blank or comment line. */
  private Target parse(String raw, String where) {
    String line = raw;
    int hash = line.indexOf('#');
    if (hash >= 0) {
      line = line.substring(0, hash);
    }
    line = line.strip();
    if (line.isEmpty()) {
      return null;
    }
    String[] tokens = line.split("\\s+");
    EndpointOptions o = new EndpointOptions();
    o.sni = defaults.sni;
    o.noSni = defaults.noSni;
    o.connect = defaults.connect;
    o.starttls = defaults.starttls;
    o.proxy = defaults.proxy;
    for (int i = 1; i < tokens.length; i++) {
      String t = tokens[i];
      int eq = t.indexOf('=');
      String key = (eq < 0 ? t : t.substring(0, eq)).toLowerCase(java.util.Locale.ROOT);
      String value = eq < 0 ? null : t.substring(eq + 1);
      switch (key) {
        case "starttls" -> o.starttls = required(value, key, where);
        case "sni" -> {
          o.sni = required(value, key, where);
          o.noSni = false;
        }
        case "no-sni" -> {
          o.noSni = true;
          o.sni = null;
        }
        case "connect" -> o.connect = required(value, key, where);
        default -> throw UsageException.badArgument(where + ": unknown option '" + t
            + "': use starttls=PROTO, sni=NAME, no-sni or connect=ADDRESS");
      }
    }
    try {
      o.validate();
      return o.target(tokens[0]);
    } catch (UsageException e) {
      throw UsageException.badArgument(where + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw UsageException.badArgument(where + ": " + e.getMessage());
    }
  }

  private static String required(String value, String key, String where) {
    if (value == null || value.isEmpty()) {
      throw UsageException.badArgument(where + ": " + key + "= needs a value");
    }
    return value;
  }

  @Override
  public void close() {
    if (reader != null) {
      try {
        reader.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        reader = null;
      }
    }
  }
}
