package dev.tlsinspect.internal.logs;

import dev.tlsinspect.Code;
import dev.tlsinspect.Explanation;
import dev.tlsinspect.TlsExplainer;
import dev.tlsinspect.logs.LogFormat;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/*
 * Reads one log source line by line and reports TLS failure events and line counts to a sink.
 *
 * Every line is tried against the line shapes of the servers we know (anchored patterns without
 * nested repetition on the same characters, run on lines already cut to MAX_LINE, so each costs
 * linear time). A line that fits no shape is "unrecognised" and counted; a line that fits a shape
 * but is not a TLS failure is "unrelated" and counted. Nothing is dropped silently.
 *
 * State is small and bounded: one open Java block (a log header and the stack trace under it,
 * cut at MAX_BLOCK characters), the ClientHello offers of the last few JSSE debug threads and the
 * client address of the last few Apache connections (both LRU maps of at most MAX_CONTEXT).
 */
/** Turns log lines into TLS failure events. One instance per source; not thread-safe. Not API. */
public final class LogScanner {
  /** Longer lines are cut here before anything else looks at them. */
  public static final int MAX_LINE = 8192;
  static final int MAX_BLOCK = 64 * 1024;
  static final int MAX_CONTEXT = 256;
  static final int MAX_OFFERED = 12;

  /** The kind of a counted line. */
  public enum Kind {
    /** Part of a TLS failure event. */
    TLS,
    /** In a known format, but not a TLS failure. */
    UNRELATED,
    /** In no format tls-inspect knows. */
    UNRECOGNISED
  }

  /**
   * One failure event.
   *
   * @param format the log's format
   * @param match what it means
   * @param time when, if the line says
   * @param client the client address, if the line says
   * @param offered versions or suites the client offered, if the log says
   * @param sample the line (or the exception line of a trace)
   * @param line the line number in the source (1-based)
   */
  public record Event(LogFormat format, LogRules.Match match, Optional<Instant> time, Optional<String> client,
      List<String> offered, String sample, long line) {}

  /** Receives events and line counts. */
  public interface Sink {
    /** An event. */
    void event(Event event);

    /** Lines of a kind; format is empty for unrecognised lines. */
    void lines(Kind kind, Optional<LogFormat> format, int count);
  }

  private static final Pattern NGINX = Pattern.compile(
      "^(\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}) \\[(\\w+)\\] \\d+#\\d+: (?:\\*\\d+ )?(.*)$");
  private static final Pattern APACHE = Pattern.compile(
      "^\\[(\\w{3} \\w{3} +\\d{1,2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)? \\d{4})\\] \\[([\\w:]+)\\]"
          + "(?: \\[pid (\\d+)(?::tid (\\d+))?\\])?(?: \\[client ([^\\]]{1,100})\\])? (.*)$");
  private static final Pattern ACCESS = Pattern.compile(
      "^(\\S{1,100}) \\S+ \\S+ \\[(\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2}) ([+-]\\d{4})\\] \"[^\"]*\" \\d{3} .*$");
  private static final Pattern HAPROXY = Pattern.compile(
      "^(?:<\\d{1,3}>)?(?:\\w{3} +\\d{1,2} \\d{2}:\\d{2}:\\d{2} \\S+ )?(?:haproxy\\[\\d+\\]: )?"
          + "([0-9a-fA-F.:]{2,45}):(\\d{1,5}) \\[(\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?)\\] (.*)$");
  private static final Pattern HAPROXY_ERROR = Pattern.compile("^[^ /]+/[^ :]+: (.*)$");
  private static final Pattern JUL_HEAD = Pattern.compile(
      "^([A-Z][a-z]{2} \\d{1,2}, \\d{4} \\d{1,2}:\\d{2}:\\d{2} [AP]M) \\S+(?: \\S+)?$");
  private static final Pattern JUL_MESSAGE = Pattern.compile(
      "^(SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST): (.*)$");
  private static final Pattern TOMCAT = Pattern.compile(
      "^(\\d{2}-[A-Z][a-z]{2}-\\d{4} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) (SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST) "
          + "\\[[^\\]]*\\] \\S+ (.*)$");
  private static final Pattern JETTY = Pattern.compile(
      "^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}):(TRACE|DEBUG|DBUG|INFO|WARN|ERROR) *:(.*)$");
  private static final Pattern JAVA_LINE = Pattern.compile(
      "^(\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d{1,9})?)(Z|[+-]\\d{2}:?\\d{2})? "
          + "(?:[^ ]{1,80} ){0,3}\\[?(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\\]? (.*)$");
  private static final Pattern JSSE_DEBUG = Pattern.compile(
      "^javax\\.net\\.ssl\\|(\\w+)\\|([^|]{0,40})\\|[^|]{0,200}\\|([^|]{0,60})\\|[^|]{0,100}\\|(.*)$");
  private static final Pattern FRAME = Pattern.compile(
      "^\\s+(?:at |\\.\\.\\. \\d+ (?:more|common frames omitted)|Suppressed: |\\[CIRCULAR|Caused by: ).*$"
          + "|^Caused by: .*$");
  private static final Pattern REMOTE = Pattern.compile("\\br=/([0-9a-fA-F.:]{2,45}):\\d{1,5}");
  private static final Pattern IPV4 = Pattern.compile("(?<![\\w.])(\\d{1,3}(?:\\.\\d{1,3}){3})(?![\\w.])");
  private static final Pattern VERIFY_ERROR = Pattern.compile(
      "^(client|upstream) SSL certificate verify error: \\((\\d{1,4}):([^)]{0,200})\\)");
  private static final Pattern APACHE_VERIFY = Pattern.compile(
      "^AH02276: Certificate Verification: Error \\((\\d{1,4})\\): ([^\\[]{0,200})");
  private static final Pattern OPENSSL_LINE = Pattern.compile(
      "^(?:[0-9A-Fa-f]{1,16}:)?error:[0-9A-Fa-f]{8}:.*$");
  private static final Pattern OPENSSL_VERIFY = Pattern.compile("^verify error:num=(\\d{1,4}):(.{0,200})$");
  private static final Pattern JAVA_REQUESTED = Pattern.compile(
      "Client requested protocol (\\S{1,20}) is not enabled");

  private static final DateTimeFormatter NGINX_TIME = DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm:ss", Locale.ROOT);
  private static final DateTimeFormatter APACHE_TIME = new DateTimeFormatterBuilder()
      .appendPattern("EEE MMM d HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .appendPattern(" uuuu").toFormatter(Locale.ENGLISH);
  private static final DateTimeFormatter HAPROXY_TIME = new DateTimeFormatterBuilder()
      .appendPattern("dd/MMM/uuuu:HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .toFormatter(Locale.ENGLISH);
  private static final DateTimeFormatter JUL_TIME = DateTimeFormatter.ofPattern("MMM d, uuuu h:mm:ss a", Locale.ENGLISH);
  private static final DateTimeFormatter TOMCAT_TIME = DateTimeFormatter.ofPattern("dd-MMM-uuuu HH:mm:ss.SSS", Locale.ENGLISH);
  private static final DateTimeFormatter ISO_TIME = new DateTimeFormatterBuilder()
      .appendPattern("uuuu-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .toFormatter(Locale.ROOT);

  private final ZoneId zone;
  private final Sink sink;
  private long lineNo;

  /** The open Java block: a header (optional) and the trace lines under it. */
  private LogFormat blockFormat;
  private Optional<Instant> blockTime = Optional.empty();
  private String blockMessage = "";
  private final StringBuilder blockTrace = new StringBuilder();
  private String blockSample = "";
  private long blockLine;
  private int blockLines;
  private boolean blockAwaitsMessage;
  private boolean causedByOpen;

  /** An open javax.net.debug record (header ending in " (" up to a line ")"). */
  private boolean debugOpen;
  private boolean debugFatal;
  private String debugThread = "";
  private String debugExtension = "";
  /** A JSSE debug "Fatal" event, held until the application's own log line for it is seen. */
  private Event pendingDebug;
  /** The last classified line was a JSSE debug header: a following unknown line continues it. */
  private boolean afterDebug;
  private final Map<String, List<String>> offersByThread = lru();
  private final Map<String, String> apacheClients = lru();
  private final Map<String, Boolean> apacheVerified = lru();

  /**
   * A scanner.
   *
   * @param zone the zone of timestamps that carry none
   * @param sink where events and counts go
   */
  public LogScanner(ZoneId zone, Sink sink) {
    this.zone = zone;
    this.sink = sink;
  }

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > MAX_CONTEXT;
      }
    };
  }

  /**
   * Reads one line (without its line terminator; cut to {@link #MAX_LINE} by the caller).
   *
   * @param raw the line
   */
  public void line(String raw) {
    lineNo++;
    String line = raw.length() > MAX_LINE ? raw.substring(0, MAX_LINE) : raw;
    if (!interceptorSeen) {
      String lower = line.toLowerCase(Locale.ROOT);
      interceptorSeen = INTERCEPTORS.stream().anyMatch(lower::contains);
    }
    if (debugOpen && !line.startsWith("javax.net.ssl|")) {
      debugBody(line);
      return;
    }
    if (blockFormat != null || blockLines > 0) {
      if (blockAwaitsMessage) {
        Matcher m = JUL_MESSAGE.matcher(line);
        blockAwaitsMessage = false;
        if (m.matches()) {
          blockMessage = m.group(2);
          blockLines++;
          return;
        }
      }
      if (FRAME.matcher(line).matches() || (blockTrace.isEmpty() || causedByOpen) && isException(line, true)) {
        appendTrace(line);
        return;
      }
      closeBlock();
    }
    classify(line);
  }

  /** Ends the source: closes what is open. */
  public void finish() {
    debugOpen = false;
    closeBlock();
    flushDebug();
  }

  private void flushDebug() {
    if (pendingDebug != null) {
      Event e = pendingDebug;
      pendingDebug = null;
      sink.event(e);
    }
  }

  /*
   * With -Djavax.net.debug the JDK logs a failure as a "Fatal (...)" record, and the application
   * usually logs the exception right after: one failure, two records. The application's record
   * has the client address, the debug record the offer; they become one event.
   */
  private void event(Event raw) {
    // After a line that names an intercepting proxy, this server is one: its CA is the usual
    // reason clients reject it.
    Event e = interceptorSeen && raw.match().code().equals(Code.HANDSHAKE_FAILED)
        ? new Event(raw.format(), LogRules.intercepting(raw.match()), raw.time(), raw.client(), raw.offered(),
            raw.sample(), raw.line())
        : raw;
    if (pendingDebug != null && e.format() == LogFormat.JAVA && pendingDebug.match().key().equals(e.match().key())
        && pendingDebug.match().code().equals(e.match().code())) {
      Event d = pendingDebug;
      pendingDebug = null;
      sink.event(new Event(e.format(), d.match(), d.time().or(e::time), e.client().or(d::client),
          d.offered().isEmpty() ? e.offered() : d.offered(), d.sample(), d.line()));
      return;
    }
    flushDebug();
    sink.event(e);
  }

  private void appendTrace(String line) {
    if (causedByOpen && blockTrace.length() > 0) {
      // Jetty 9 prints "Caused by: " and the exception on the next line: one element of the chain.
      blockTrace.setLength(blockTrace.length() - 1);
    }
    causedByOpen = line.strip().equals("Caused by:");
    if (blockTrace.isEmpty()) {
      blockSample = line.strip();
      if (blockLines == 0) {
        blockLine = lineNo;
      }
    }
    if (blockTrace.length() + line.length() < MAX_BLOCK) {
      blockTrace.append(line).append('\n');
    }
    blockLines++;
  }

  private void classify(String line) {
    boolean continuesDebug = afterDebug;
    afterDebug = false;
    Matcher m;
    if (line.isBlank()) {
      // Blank lines separate records in many logs; they are in no format and tell nothing.
      sink.lines(Kind.UNRELATED, Optional.empty(), 1);
    } else if ((m = NGINX.matcher(line)).matches()) {
      nginx(line, m);
    } else if ((m = APACHE.matcher(line)).matches()) {
      apache(line, m);
    } else if ((m = HAPROXY.matcher(line)).matches()) {
      haproxy(line, m);
    } else if (ACCESS.matcher(line).matches()) {
      // A TLS ClientHello sent to a plain-HTTP port is logged as a garbage request line.
      if (line.contains("\"\\x16\\x03")) {
        emit(LogFormat.ACCESS_LOG, LogRules.ofMessage(line, ""), Optional.empty(), firstIpv4(line), List.of(), line);
      } else {
        sink.lines(Kind.UNRELATED, Optional.of(LogFormat.ACCESS_LOG), 1);
      }
    } else if ((m = JSSE_DEBUG.matcher(line)).matches()) {
      debugHeader(line, m);
      afterDebug = true;
    } else if ((m = JUL_HEAD.matcher(line)).matches()) {
      openBlock(LogFormat.JAVA, time(m.group(1), JUL_TIME), "");
      blockAwaitsMessage = true;
    } else if ((m = TOMCAT.matcher(line)).matches()) {
      openBlock(LogFormat.TOMCAT, time(m.group(1), TOMCAT_TIME), m.group(3));
    } else if ((m = JETTY.matcher(line)).matches()) {
      openBlock(LogFormat.JETTY, time(m.group(1), ISO_TIME), m.group(3));
    } else if ((m = JAVA_LINE.matcher(line)).matches()) {
      openBlock(LogFormat.JAVA, isoTime(m.group(1), m.group(2)), m.group(4));
    } else if (isException(line, false)) {
      // A bare stack trace (printStackTrace on stderr, catalina.out).
      blockFormat = LogFormat.JAVA;
      blockTime = Optional.empty();
      blockMessage = "";
      blockLines = 0;
      appendTrace(line);
    } else if (OPENSSL_LINE.matcher(line).matches()) {
      openssl(line);
    } else if (OPENSSL_VERIFY.matcher(line).matches() || line.startsWith("depth=") || line.startsWith("verify return:")
        || line.equals("ACCEPT") || line.startsWith("Using default temp DH parameters")
        || line.startsWith("verify depth is ") || line.startsWith("notAfter=") || line.startsWith("notBefore=")) {
      // openssl s_server's own chatter around the errors.
      sink.lines(Kind.UNRELATED, Optional.of(LogFormat.OPENSSL), 1);
    } else if (embeddedSslError(line)) {
      // An OpenSSL SSL-library error string inside another program's line (postfix, stunnel,
      // syslog-wrapped daemons): the packed code says it is one, whatever the prefix.
      emit(LogFormat.OPENSSL, opensslOrMessage(line), Optional.empty(), firstIpv4(line), List.of(), line);
    } else if (continuesDebug) {
      // A JSSE debug message of several lines without the " (" ... ")" frame ("countdown value = ...").
      afterDebug = true;
      sink.lines(Kind.UNRELATED, Optional.of(LogFormat.JAVA), 1);
    } else {
      // No layout we parse (Go, Traefik, Envoy, Kafka, Schannel, journal or Kubernetes prefixes):
      // a line that is recognisably a TLS failure still counts as one, with its reason quoted.
      Optional<LogRules.Match> match = looksLikeLog(line) ? anyLayout(line) : Optional.empty();
      if (match.isPresent()) {
        emit(formatOf(line), match, Optional.empty(), firstIpv4(line), List.of(), line);
      } else {
        sink.lines(Kind.UNRECOGNISED, Optional.empty(), 1);
      }
    }
  }

  private void nginx(String line, Matcher m) {
    Optional<Instant> when = time(m.group(1), NGINX_TIME);
    String text = m.group(3);
    Optional<String> client = after(text, ", client: ");
    Optional<LogRules.Match> match = Optional.empty();
    Matcher v = VERIFY_ERROR.matcher(text);
    if (v.find()) {
      match = Optional.of(LogRules.ofVerifyError(Integer.parseInt(v.group(2)), v.group(3),
          v.group(1).equals("client")));
    } else if (text.startsWith("upstream SSL certificate does not match")) {
      match = Optional.of(LogRules.Match.of(Code.HOSTNAME_MISMATCH, "upstream certificate name mismatch",
          "the upstream server's certificate does not match proxy_ssl_name"));
    } else if (text.contains("SSL") || text.contains("plain HTTP") || text.contains("handshak")) {
      match = opensslOrMessage(text);
    }
    emit(LogFormat.NGINX, match, when, client, List.of(), line);
  }

  private void apache(String line, Matcher m) {
    Optional<Instant> when = time(m.group(1).replaceAll(" +", " "), APACHE_TIME);
    String conn = (m.group(3) == null ? "" : m.group(3)) + ":" + (m.group(4) == null ? "" : m.group(4));
    String text = m.group(6);
    Optional<String> client = Optional.ofNullable(m.group(5)).map(LogScanner::withoutPort);
    if (client.isPresent()) {
      apacheClients.put(conn, client.get());
    } else {
      client = Optional.ofNullable(apacheClients.get(conn));
    }
    Matcher v = APACHE_VERIFY.matcher(text);
    if (v.find()) {
      apacheVerified.put(conn, Boolean.TRUE);
      emit(LogFormat.APACHE, Optional.of(LogRules.ofVerifyError(Integer.parseInt(v.group(1)), v.group(2), true)),
          when, client, List.of(), line);
      return;
    }
    if (text.startsWith("AH02008:") || text.startsWith("AH01998:")) {
      // "SSL library error 1 in handshake" / "closed with abortive shutdown": the reason is on the next line.
      sink.lines(text.startsWith("AH02008:") ? Kind.TLS : Kind.UNRELATED, Optional.of(LogFormat.APACHE), 1);
      return;
    }
    if (text.startsWith("AH01964:")) {
      apacheVerified.remove(conn);
    }
    Optional<LogRules.Match> match = Optional.empty();
    if (text.startsWith("SSL Library Error:") || text.startsWith("AH01996:") || text.contains("SSL handshake")) {
      match = opensslOrMessage(text);
      if (match.isPresent() && match.get().code().equals(Code.NOT_TLS) && text.startsWith("SSL Library Error:")
          && apacheClients.containsKey(conn + "#http")) {
        match = Optional.empty(); // AH01996 already reported this connection
      }
      if (text.startsWith("AH01996:")) {
        apacheClients.put(conn + "#http", "");
      } else if (text.startsWith("SSL Library Error:")) {
        apacheClients.remove(conn + "#http");
      }
      if (match.isPresent() && Boolean.TRUE.equals(apacheVerified.get(conn))
          && match.get().key().contains("certificate")) {
        // AH02276 named the reason; the library error that follows is the same failure.
        apacheVerified.remove(conn);
        sink.lines(Kind.TLS, Optional.of(LogFormat.APACHE), 1);
        return;
      }
    }
    emit(LogFormat.APACHE, match, when, client, List.of(), line);
  }

  private void haproxy(String line, Matcher m) {
    Optional<Instant> when = time(m.group(3), HAPROXY_TIME);
    Matcher e = HAPROXY_ERROR.matcher(m.group(4));
    Optional<LogRules.Match> match = e.matches() ? opensslOrMessage(e.group(1)) : Optional.empty();
    emit(LogFormat.HAPROXY, match, when, Optional.of(m.group(1)), List.of(), line);
  }

  private static boolean embeddedSslError(String line) {
    if (line.indexOf("error:") < 0) {
      return false;
    }
    Optional<OpenSslErrors.Error> e = OpenSslErrors.find(line);
    return e.isPresent() && !e.get().version().isEmpty();
  }

  private void openssl(String line) {
    Optional<LogRules.Match> match = opensslOrMessage(line);
    emit(LogFormat.OPENSSL, match, Optional.empty(), Optional.empty(), List.of(), line);
  }

  private static Optional<LogRules.Match> opensslOrMessage(String text) {
    Optional<OpenSslErrors.Error> error = OpenSslErrors.find(text);
    if (error.isPresent()) {
      Optional<LogRules.Match> m = LogRules.ofMessage(error.get().reason(), error.get().function());
      if (m.isPresent()) {
        return m;
      }
    }
    return LogRules.ofMessage(text, "");
  }

  private static final Pattern VERIFY_ANYWHERE = Pattern.compile(
      "(\\w{1,20}) SSL certificate verify error: \\((\\d{1,4}):([^)]{0,200})\\)");
  private static final Pattern SCHANNEL_ALERT = Pattern.compile(
      "(?:fatal (?:alert|error) code is|fatal alert was (?:generated|received):?|AlertDesc\">|alert description is) ?(\\d{1,3})", Pattern.CASE_INSENSITIVE);
  private static final Pattern SCHANNEL_EVENT = Pattern.compile("<EventID[^>]{0,40}>(3687[14]|3688[678])</EventID>");
  private static final List<String> TLS_WORDS = List.of("ssl", "tls", "handshak", "certificate", "x509",
      "schannel", "cipher", "\\x16\\x03", "error:", "<eventid", "https", "(16,3,", "0x8009", "cert chain",
      "fatal alert");
  private static final List<String> INTERCEPTORS = List.of("charles", "mitmproxy", "mockserver", "fiddler",
      "burp", "zscaler", "netskope", "proxypin");

  /** The TLS alert descriptions by number (RFC 8446 and earlier), as Schannel events give them. */
  private static String alertName(int code) {
    return switch (code) {
      case 10 -> "unexpected message";
      case 20 -> "bad record mac";
      case 40 -> "handshake failure";
      case 42 -> "bad certificate";
      case 43 -> "unsupported certificate";
      case 44 -> "certificate revoked";
      case 45 -> "certificate expired";
      case 46 -> "certificate unknown";
      case 47 -> "illegal parameter";
      case 48 -> "unknown ca";
      case 50 -> "decode error";
      case 51 -> "decrypt error";
      case 70 -> "protocol version";
      case 71 -> "insufficient security";
      case 80 -> "internal error";
      case 86 -> "inappropriate fallback";
      case 112 -> "unrecognized name";
      case 116 -> "certificate required";
      default -> "alert " + code;
    };
  }

  /** A TLS failure in a line of any layout, or empty. */
  static Optional<LogRules.Match> anyLayout(String line) {
    String s = line.toLowerCase(Locale.ROOT);
    if (TLS_WORDS.stream().noneMatch(s::contains)) {
      return Optional.empty();
    }
    Matcher v = VERIFY_ANYWHERE.matcher(line);
    if (v.find()) {
      return Optional.of(LogRules.ofVerifyError(Integer.parseInt(v.group(2)), v.group(3), v.group(1).equals("client")));
    }
    Matcher a = SCHANNEL_ALERT.matcher(line);
    if (a.find()) {
      String name = alertName(Integer.parseInt(a.group(1)));
      return LogRules.ofMessage("alert " + name, "").or(() -> Optional.of(LogRules.Match.ambiguous(
          "fatal alert " + name, "a fatal TLS alert (" + name + ")", Code.HANDSHAKE_FAILED)));
    }
    Matcher e = SCHANNEL_EVENT.matcher(line);
    if (e.find()) {
      return Optional.of(switch (e.group(1)) {
        case "36874" -> LogRules.Match.of(Code.NO_COMMON_CIPHER, "no shared cipher",
            "clients offer no cipher suite the server accepts (Schannel 36874)");
        case "36871", "36886" -> LogRules.Match.ambiguous("server credential unusable",
            "Schannel cannot use the certificate or its private key (" + e.group(1) + ")",
            Code.HANDSHAKE_FAILED, Code.CLIENT_CERT_REQUIRED);
        default -> LogRules.Match.ambiguous("fatal alert (Schannel " + e.group(1) + ")",
            "a fatal TLS alert was sent or received; the event's AlertDesc names it",
            Code.HANDSHAKE_FAILED, Code.NO_COMMON_CIPHER, Code.NO_COMMON_PROTOCOL);
      });
    }
    // Kafka and others put the cause after "caused by": read it first, it is the specific one.
    int cause = s.indexOf(" caused by ");
    if (cause > 0) {
      String after = line.substring(cause + " caused by ".length());
      Explanation why = TlsExplainer.explain(after);
      Optional<LogRules.Match> inner = why.recognised() ? fromExplanation(why, after) : anyLayout(after);
      if (inner.isPresent()) {
        return inner;
      }
    }
    Optional<LogRules.Match> m = opensslOrMessage(line);
    if (m.isPresent()) {
      return m;
    }
    if (s.contains("exception") || s.contains("caused by") || s.contains("fatal alert")) {
      Optional<LogRules.Match> why = fromExplanation(TlsExplainer.explain(line), line);
      if (why.isPresent()) {
        return why;
      }
    }
    for (String failure : List.of("handshake failed", "handshake failure", "handshake error", "ssl error",
        "tls error", "ssl_error", "tls_error", "error during ssl handshake", "security layer detected an error",
        "unsuccessful handshake", "alert: fatal", "fatal error:")) {
      int at = s.indexOf(failure);
      if (at >= 0) {
        String reason = clip(line.substring(at).strip(), 100);
        return Optional.of(LogRules.Match.ambiguous("TLS failure: " + reason.replaceAll("\\d+", "#"),
            "a TLS failure whose reason no rule knows: " + reason, Code.HANDSHAKE_FAILED));
      }
    }
    return Optional.empty();
  }

  private static final Pattern LOG_SHAPE = Pattern.compile(
      "\\d{2}:\\d{2}:\\d{2}|\\b(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRIT|crit|error|warn)\\b|level=|\"level\"");
  private static final List<String> STRONG = List.of("while ssl handshaking", "ssl_do_handshake", "ssl routines",
      "ssl_routines", "tls handshake error", "handshake failed", "handshake failure", "schannel", "<eventid",
      "fatal alert", "did not trust", "client application", "credential", "plaintext http", "tls:",
      "certificate verify error", "ssl handshake", "security layer", "0x8009", "alert: fatal", "fatal error:",
      "https channel");

  /**
   * Whether a line in no parsed layout still looks like a log line (a time, a level) or carries
   * a phrase only TLS failures use: a CSV or a document that merely mentions TLS words does not.
   */
  private static boolean looksLikeLog(String line) {
    String s = line.toLowerCase(Locale.ROOT);
    return STRONG.stream().anyMatch(s::contains) || LOG_SHAPE.matcher(line).find();
  }

  private static LogFormat formatOf(String line) {
    String s = line.toLowerCase(Locale.ROOT);
    if (s.contains("schannel") || s.contains("<eventid") || s.contains("0x8009") || s.contains("client application")
        || s.contains("credential") || s.contains("httperr") || s.contains("fatal alert code")) {
      return LogFormat.WINDOWS;
    }
    if (s.contains("exception") || s.contains("org.apache.") || s.contains("kafka")) {
      return LogFormat.JAVA;
    }
    return LogFormat.OTHER;
  }

  private static boolean outbound(String line) {
    String s = line.toLowerCase(Locale.ROOT);
    return s.contains("to upstream") || s.contains("ah00898") || s.contains("sslproxy") || s.contains("layer6")
        || s.contains("with remote server") || s.contains("proxy_ssl") || s.contains("upstream:");
  }

  /** The log named an intercepting proxy (MockServer, Charles, ...): this server is one. */
  private boolean interceptorSeen;

  private void emit(LogFormat format, Optional<LogRules.Match> found, Optional<Instant> when,
      Optional<String> client, List<String> offered, String line) {
    // nginx and HAProxy lines the rules above did not read, and Apache's proxy lines, still count
    // when recognisably TLS failures; Java layouts have their own trace handling.
    boolean retry = found.isEmpty() && (format == LogFormat.NGINX || format == LogFormat.HAPROXY
        || format == LogFormat.APACHE && outbound(line));
    Optional<LogRules.Match> match = retry ? anyLayout(line) : found;
    if (match.isPresent() && outbound(line)) {
      match = match.map(LogRules::outbound);
    }

    if (match.isEmpty()) {
      sink.lines(Kind.UNRELATED, Optional.of(format), 1);
      return;
    }
    sink.lines(Kind.TLS, Optional.of(format), 1);
    event(new Event(format, match.get(), when, client, offered, line, lineNo));
  }

  private void debugHeader(String line, Matcher m) {
    String level = m.group(1);
    debugThread = m.group(2);
    Optional<Instant> when = debugTime(m.group(3));
    String text = m.group(4);
    debugOpen = text.endsWith("(");
    debugFatal = false;
    debugExtension = "";
    if (text.startsWith("Consuming ClientHello") || text.startsWith("Produced ClientHello")) {
      offersByThread.put(debugThread, new ArrayList<>());
    }
    if (level.equals("ERROR") && text.startsWith("Fatal (")) {
      String message = text.endsWith(" (") ? text.substring(0, text.length() - 2) : text;
      int close = message.indexOf("): ");
      String reason = close > 0 ? message.substring(close + 3) : message;
      Explanation why = TlsExplainer.explain("javax.net.ssl.SSLHandshakeException: " + reason);
      Optional<LogRules.Match> match = fromExplanation(why, reason);
      List<String> offered = offersByThread.getOrDefault(debugThread, List.of());
      debugFatal = match.isPresent();
      if (match.isEmpty()) {
        sink.lines(Kind.UNRELATED, Optional.of(LogFormat.JAVA), 1);
        return;
      }
      sink.lines(Kind.TLS, Optional.of(LogFormat.JAVA), 1);
      flushDebug();
      pendingDebug = new Event(LogFormat.JAVA, match.get(), when, Optional.empty(),
          offered.isEmpty() ? requested(reason) : List.copyOf(offered), line, lineNo);
      return;
    }
    sink.lines(Kind.UNRELATED, Optional.of(LogFormat.JAVA), 1);
  }

  private void debugBody(String line) {
    sink.lines(debugFatal ? Kind.TLS : Kind.UNRELATED, Optional.of(LogFormat.JAVA), 1);
    if (line.equals(")")) {
      debugOpen = false;
      return;
    }
    List<String> offers = offersByThread.get(debugThread);
    if (offers == null) {
      return;
    }
    String s = line.strip();
    if (s.startsWith("\"client version\"")) {
      addOffer(offers, "client version " + quoted(s));
    } else if (s.startsWith("\"cipher suites\"")) {
      String list = quoted(s);
      int n = 0;
      for (String suite : list.replace("[", "").replace("]", "").split(", ")) {
        int paren = suite.indexOf('(');
        String name = (paren > 0 ? suite.substring(0, paren) : suite).strip();
        if (!name.isEmpty() && !name.endsWith("_SCSV") && n++ < 6) {
          addOffer(offers, name);
        }
      }
    } else if (s.startsWith("\"") && s.endsWith("{")) {
      debugExtension = s;
    } else if (s.startsWith("\"versions\": [") && debugExtension.startsWith("\"supported_versions")) {
      addOffer(offers, "versions " + s.substring(12).replace("]", "]").strip());
    }
  }

  private static void addOffer(List<String> offers, String value) {
    if (offers.size() < MAX_OFFERED && !offers.contains(value)) {
      offers.add(value.length() > 200 ? value.substring(0, 200) : value);
    }
  }

  private static String quoted(String s) {
    int colon = s.indexOf(':');
    String v = colon < 0 ? s : s.substring(colon + 1).strip();
    if (v.endsWith(",")) {
      v = v.substring(0, v.length() - 1);
    }
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    return v;
  }

  private static List<String> requested(String message) {
    Matcher m = JAVA_REQUESTED.matcher(message);
    return m.find() ? List.of("client version " + m.group(1)) : List.of();
  }

  private void openBlock(LogFormat format, Optional<Instant> when, String message) {
    blockFormat = format;
    blockTime = when;
    blockMessage = message;
    blockLine = lineNo;
    blockLines = 1;
    blockAwaitsMessage = false;
    blockTrace.setLength(0);
    blockSample = "";
  }

  private void closeBlock() {
    if (blockFormat == null && blockLines == 0) {
      return;
    }
    LogFormat format = blockFormat == null ? LogFormat.JAVA : blockFormat;
    Optional<LogRules.Match> match = Optional.empty();
    String sample = blockSample;
    String reasonText = "";
    if (!blockTrace.isEmpty()) {
      Explanation why = TlsExplainer.explain(blockTrace.toString());
      reasonText = blockSample;
      match = fromExplanation(why, blockSample);
      if (match.isPresent() && blockTrace.indexOf(".checkClientTrusted(") >= 0
          && !match.get().code().equals(Code.CLIENT_CERT_REQUIRED)) {
        // The trust manager checked a client's chain: this server rejected a client certificate.
        boolean validity = why.candidateCodes().contains(Code.CERT_EXPIRED)
            || why.candidateCodes().contains(Code.CERT_NOT_YET_VALID);
        match = Optional.of(LogRules.Match.of(Code.CLIENT_CERT_REQUIRED,
            "client certificate rejected: " + (validity ? "outside its validity period" : "not trusted"),
            "the server rejects the clients' certificates: " + clip(blockSample, 160)));
      }
    }
    if (format == LogFormat.JETTY && blockMessage.contains(" stored f")) {
      // Jetty logs one failure several times: "stored flush exception", then "handshake failed".
      match = Optional.empty();
    } else if (match.isEmpty() && looksLikeTls(blockMessage)) {
      Explanation why = TlsExplainer.explain(blockMessage);
      match = fromExplanation(why, blockMessage);
      if (match.isEmpty()) {
        match = LogRules.ofMessage(blockMessage, "");
      }
      sample = blockMessage;
      reasonText = blockMessage;
    }
    int lines = blockLines;
    if (match.isPresent()) {
      Matcher remote = REMOTE.matcher(blockMessage);
      Optional<String> client = remote.find() ? Optional.of(remote.group(1)) : firstIpv4(blockMessage);
      if (client.isEmpty()) {
        client = firstIpv4(blockTrace.length() > 4096 ? blockTrace.substring(0, 4096) : blockTrace.toString());
      }
      sink.lines(Kind.TLS, Optional.of(format), lines);
      event(new Event(format, match.get(), blockTime, client, requested(reasonText),
          sample.length() > MAX_LINE ? sample.substring(0, MAX_LINE) : sample, blockLine));
    } else {
      sink.lines(Kind.UNRELATED, Optional.of(format), lines);
    }
    blockFormat = null;
    blockLines = 0;
    blockMessage = "";
    blockSample = "";
    blockTrace.setLength(0);
    blockAwaitsMessage = false;
    causedByOpen = false;
    blockTime = Optional.empty();
  }

  /**
   * Whether a line starts a Java exception: "a.b.SomeException" or "...Error"/"...Throwable",
   * optionally followed by ": message". Hand-written rather than a regular expression: a repeated
   * group over "a.a.a.a..." recurses once per segment in java.util.regex and overflows the stack.
   *
   * @param indented whether leading whitespace is allowed (Tomcat indents the exception line)
   */
  static boolean isException(String line, boolean indented) {
    int start = 0;
    if (indented) {
      while (start < line.length() && Character.isWhitespace(line.charAt(start))) {
        start++;
      }
    }
    int end = line.indexOf(':', start);
    if (end < 0) {
      end = line.length();
    }
    if (end - start < 3 || end - start > 300) {
      return false;
    }
    boolean dot = false;
    boolean segmentStart = true;
    for (int i = start; i < end; i++) {
      char c = line.charAt(i);
      if (c == '.') {
        if (segmentStart) {
          return false;
        }
        dot = true;
        segmentStart = true;
      } else if (segmentStart ? Character.isJavaIdentifierStart(c) : Character.isJavaIdentifierPart(c)) {
        segmentStart = false;
      } else {
        return false;
      }
    }
    String type = line.substring(start, end);
    return dot && !segmentStart
        && (type.endsWith("Exception") || type.endsWith("Error") || type.endsWith("Throwable"));
  }

  private static String clip(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 3) + "...";
  }

  private static boolean looksLikeTls(String message) {
    String s = message.toLowerCase(Locale.ROOT);
    return s.contains("exception") || s.contains("ssl") || s.contains("tls") || s.contains("handshake")
        || s.contains("certificate");
  }

  /** The explainer's candidates as a match: specific when it is sure, else HANDSHAKE_FAILED with them. */
  private static Optional<LogRules.Match> fromExplanation(Explanation why, String text) {
    if (!why.recognised()) {
      return LogRules.ofMessage(text, "");
    }
    List<Code> codes = why.candidateCodes();
    Explanation.Candidate first = why.candidates().get(0);
    // A server log is about the peer: the explainer reads the exception as the side that threw it.
    Optional<LogRules.Match> fromText = LogRules.ofMessage(text, "");
    if (fromText.isPresent()) {
      return fromText;
    }
    String key = normaliseKey(first.matched());
    String problem = first.why();
    boolean sure = first.confidence() == Explanation.Confidence.HIGH
        && (codes.size() == 1 || why.candidates().get(1).confidence() != Explanation.Confidence.HIGH);
    List<Code> candidates = codes.size() > 6 ? codes.subList(0, 6) : codes;
    return Optional.of(sure ? new LogRules.Match(first.code(), candidates, key, problem)
        : new LogRules.Match(Code.HANDSHAKE_FAILED, candidates, key, problem));
  }

  private static String normaliseKey(String matched) {
    String s = matched;
    int colon = s.indexOf(": ");
    if (colon > 0 && s.substring(0, colon).indexOf(' ') < 0) {
      s = s.substring(colon + 2);
    }
    // Addresses, ports and numbers vary per event; the message without them groups.
    s = s.replaceAll("\\d+", "#");
    return s.length() > 120 ? s.substring(0, 120) : s;
  }

  private static Optional<String> after(String text, String marker) {
    int i = text.indexOf(marker);
    if (i < 0) {
      return Optional.empty();
    }
    int start = i + marker.length();
    int end = text.indexOf(',', start);
    String v = (end < 0 ? text.substring(start) : text.substring(start, end)).strip();
    return v.isEmpty() || v.length() > 100 ? Optional.empty() : Optional.of(v);
  }

  private static Optional<String> firstIpv4(String text) {
    Matcher m = IPV4.matcher(text);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  static String withoutPort(String address) {
    int colon = address.lastIndexOf(':');
    if (colon > 0 && colon < address.length() - 1) {
      String port = address.substring(colon + 1);
      if (port.chars().allMatch(Character::isDigit) && port.length() <= 5) {
        return address.substring(0, colon);
      }
    }
    return address;
  }

  private Optional<Instant> time(String text, DateTimeFormatter format) {
    try {
      return Optional.of(LocalDateTime.parse(text, format).atZone(zone).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private Optional<Instant> isoTime(String local, String offset) {
    Optional<Instant> t = time(local.replace('T', ' ').replace(',', '.'), ISO_TIME);
    if (t.isEmpty() || offset == null) {
      return t;
    }
    try {
      ZoneId z = offset.equals("Z") ? ZoneId.of("UTC") : ZoneId.of(offset.length() == 5
          ? offset.substring(0, 3) + ":" + offset.substring(3) : offset);
      return Optional.of(LocalDateTime.parse(local.replace('T', ' ').replace(',', '.'), ISO_TIME)
          .atZone(z).toInstant());
    } catch (RuntimeException e) {
      return t;
    }
  }

  private Optional<Instant> debugTime(String text) {
    // "2026-11-26 01:45:36.193 UTC": the JDK prints its default zone's short name.
    int space = text.lastIndexOf(' ');
    if (space < 0) {
      return Optional.empty();
    }
    Optional<Instant> local = time(text.substring(0, space), ISO_TIME);
    String z = text.substring(space + 1);
    try {
      ZoneId id = ZoneId.of(z, ZoneId.SHORT_IDS);
      return local.map(i -> ZonedDateTime.of(LocalDateTime.ofInstant(i, zone), id).toInstant());
    } catch (RuntimeException e) {
      return local;
    }
  }
}
