package dev.tlsinspect.internal.explain;

import dev.tlsinspect.Explanation;
import java.security.cert.CertPathValidatorException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/*
 * Reads an exception, or the text of a stack trace, into a flat cause chain that the rules can
 * match: outermost first, JDK message variants normalised, wrappers marked, and the exception
 * class names mentioned inside messages collected (wrappers such as Netty's DecoderException or
 * Spring's ResourceAccessException repeat the inner exception in their own message).
 *
 * Everything is bounded, so hostile or enormous input costs linear time at most: the text is cut
 * at MAX_TEXT characters and scanned once; at most MAX_ELEMENTS elements are kept, each message
 * cut at MAX_MESSAGE characters; a Throwable's causes are followed MAX_DEPTH deep with cycle
 * detection. No regular expression runs on the input.
 */
/** The cause chain of an exception, read for matching. Not API. */
public final class ExceptionChain {
  static final int MAX_TEXT = 1 << 20;
  static final int MAX_ELEMENTS = 64;
  static final int MAX_MESSAGE = 4096;
  static final int MAX_DEPTH = 32;
  private static final int MAX_SUPPRESSED = 4;
  private static final int MAX_TYPE = 200;

  /** Class names of exceptions that only carry the real error (no dependency on their libraries). */
  private static final Set<String> WRAPPERS = Set.of(
      "java.util.concurrent.CompletionException",
      "java.util.concurrent.ExecutionException",
      "java.io.UncheckedIOException",
      "java.lang.reflect.InvocationTargetException",
      "java.lang.reflect.UndeclaredThrowableException",
      "io.netty.handler.codec.DecoderException",
      "io.netty.handler.codec.EncoderException",
      "org.springframework.web.client.ResourceAccessException",
      "org.springframework.web.reactive.function.client.WebClientRequestException",
      "org.springframework.dao.DataAccessResourceFailureException",
      "org.springframework.jdbc.CannotGetJdbcConnectionException",
      "org.springframework.transaction.CannotCreateTransactionException",
      "org.apache.http.client.ClientProtocolException",
      "org.apache.hc.client5.http.ClientProtocolException",
      "org.apache.http.conn.HttpHostConnectException",
      "org.apache.hc.client5.http.HttpHostConnectException",
      "okhttp3.internal.connection.RouteException",
      "java.sql.SQLException",
      "java.sql.SQLNonTransientConnectionException",
      "java.sql.SQLTransientConnectionException",
      "java.sql.SQLRecoverableException",
      "com.mysql.cj.jdbc.exceptions.CommunicationsException",
      "com.mysql.cj.exceptions.CJCommunicationsException",
      "org.postgresql.util.PSQLException",
      "com.microsoft.sqlserver.jdbc.SQLServerException",
      "com.zaxxer.hikari.pool.HikariPool$PoolInitializationException",
      "javax.ws.rs.ProcessingException",
      "jakarta.ws.rs.ProcessingException",
      "feign.RetryableException",
      "org.apache.kafka.common.errors.SslAuthenticationException",
      "javax.mail.MessagingException",
      "jakarta.mail.MessagingException",
      "io.grpc.StatusRuntimeException",
      "reactor.core.Exceptions$ReactiveException");

  /** One element of the chain. */
  static final class Element {
    final String type;
    final String simpleType;
    final boolean wrapper;
    final StringBuilder message = new StringBuilder();
    /** Simple class names: the element's own, and any named inside its message. */
    final Set<String> types = new LinkedHashSet<>();
    /** CertPathValidatorException.getReason(), when the element is one. */
    String reason = "";
    String lower;
    /**
     * The whole text the chain was read from (frames included), lower case and bounded: what the
     * JDK version, the platform and the client library are read from, which no single element
     * carries.
     */
    Context context = Context.NONE;

    Element(String type) {
      this.type = type;
      this.simpleType = simpleName(type);
      this.wrapper = WRAPPERS.contains(type) || WRAPPERS.stream().anyMatch(w -> simpleName(w).equals(type));
      if (!simpleType.isEmpty()) {
        types.add(simpleType);
      }
    }

    void append(String text) {
      int room = MAX_MESSAGE - message.length();
      if (room <= 0) {
        return;
      }
      if (message.length() > 0) {
        message.append(' ');
        room--;
      }
      message.append(text, 0, Math.min(text.length(), Math.max(0, room)));
    }

    String message() {
      return message.toString();
    }

    void seal() {
      String normalized = normalize(message.toString());
      message.setLength(0);
      message.append(normalized);
      lower = normalized.toLowerCase(Locale.ROOT);
      collectTypes(normalized, types);
    }

    boolean hasType(String simple) {
      return types.contains(simple);
    }

    Explanation.Cause toCause() {
      return new Explanation.Cause(type, message(), wrapper);
    }
  }

  private final List<Element> elements;
  private final long work;

  private ExceptionChain(List<Element> elements, long work) {
    this.elements = Collections.unmodifiableList(elements);
    this.work = work;
  }

  List<Element> elements() {
    return elements;
  }

  /**
   * Characters examined while reading (for the fuzz test's linear-work bound).
   *
   * @return the count
   */
  public long work() {
    return work;
  }

  /**
   * The chain as API values.
   *
   * @return the causes, outermost first
   */
  public List<Explanation.Cause> causes() {
    return elements.stream().map(Element::toCause).toList();
  }

  /**
   * Reads a throwable, its causes (bounded depth, cycles cut) and a few suppressed exceptions.
   *
   * @param error the throwable
   * @return the chain
   */
  public static ExceptionChain of(Throwable error) {
    List<Element> out = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> main = new ArrayList<>();
    for (Throwable t = error; t != null && main.size() < MAX_DEPTH && seen.add(t); t = cause(t)) {
      main.add(t);
    }
    for (Throwable t : main) {
      add(out, t);
    }
    // Suppressed exceptions after the main chain: an HTTP client that tried several addresses
    // keeps the other failures there.
    for (Throwable t : main) {
      for (Throwable s : suppressed(t)) {
        for (Throwable c = s; c != null && out.size() < MAX_ELEMENTS && seen.add(c); c = cause(c)) {
          add(out, c);
        }
      }
    }
    long work = 0;
    StringBuilder context = new StringBuilder();
    for (Element e : out) {
      e.seal();
      work += e.message.length();
      context.append(e.type).append(": ").append(e.message).append('\n');
    }
    // The frames tell the JDK version (java.base/ module names) and the client library.
    for (Throwable t : main) {
      for (StackTraceElement f : frames(t)) {
        if (context.length() >= MAX_CONTEXT) {
          break;
        }
        context.append(f).append('\n');
      }
    }
    setContext(out, context);
    return new ExceptionChain(out, work);
  }

  static final int MAX_CONTEXT = 1 << 16;

  private static void setContext(List<Element> out, CharSequence text) {
    Context c = Context.of(text.subSequence(0, Math.min(text.length(), MAX_CONTEXT)).toString()
        .toLowerCase(Locale.ROOT));
    for (Element e : out) {
      e.context = c;
    }
  }

  /**
   * What the whole text tells beyond its messages, read once per chain: the JDK version (a
   * message means different things on JDK 7 and 17), the platform and client library, and hints
   * that rank one cause up (a known intercepting product, a custom trust store).
   *
   * @param jdk the JDK feature version the text shows (7 stands for 7 or older), 0 when unknown
   * @param jdkText the version as the text gives it, empty when unknown
   * @param android whether the text comes from Android (Conscrypt, Harmony, logcat)
   * @param oldAndroid Android 4.x's OpenSSL 1.0 (SSL23_GET_SERVER_HELLO): TLS 1.2 off by default
   * @param client the client library the frames or messages name, empty when none
   * @param interception a known intercepting proxy or product is named in the text
   * @param customTrustStore the text names a custom trust store (or a vendor JSSE with its own)
   * @param clientSide the text shows this side is a client (client classes in the frames, an
   *     HTTP client's wording)
   */
  record Context(int jdk, String jdkText, boolean android, boolean oldAndroid, String client,
      boolean interception, boolean customTrustStore, boolean clientSide) {
    static final Context NONE = new Context(0, "", false, false, "", false, false, false);
    private static final List<String> CLIENT_SIDE = List.of("clienthandshaker", "client.", "client$",
        "clientthread", "clienthello", "httpsurlconnection", "okhttp", "http failed", "i/o error on ",
        "resttemplate", "webclient", "sslsocketimpl.starthandshake", "connectionpool", "apnsclient");

    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile(
        "(?:\\b1\\.([678])\\.0_\\d+|jdk-?1\\.([678])\\b|java-([678])-|\\b(?:jdk|java|openjdk)[ -/]?(1[0-9]|2[0-9]|[6-9])(?:\\.(\\d+)\\.(\\d+))?\\b)");
    private static final List<String> INTERCEPTORS = List.of("charles", "fiddler", "mitmproxy", "mitm",
        "netskope", "zscaler", "bluecoat", "blue coat", "fortinet", "fortigate", "palo alto", "sophos",
        "kaspersky", "avast", "eset ssl", "browsermob", "burp", "proxypin", "mockserver",
        "littleproxy", "corporate proxy", "capture proxy", "ssl inspection", "deep inspection");
    private static final List<String> TRUST_STORES = List.of("javax.net.ssl.truststore", "truststore",
        "trust store", "trustmanagerfactory", "com.ibm.jsse2", "ibmcertpathbuilder", ".jks", ".p12");

    static Context of(String lower) {
      int jdk = 0;
      String jdkText = "";
      java.util.regex.Matcher m = VERSION.matcher(lower);
      if (m.find()) {
        for (int g = 1; g <= 4; g++) {
          if (m.group(g) != null) {
            jdk = Integer.parseInt(m.group(g));
            break;
          }
        }
        jdkText = m.group(4) != null && m.group(5) != null
            ? "JDK " + jdk + "." + m.group(5) + "." + m.group(6) : "JDK " + jdk;
      } else if (lower.contains("com.sun.net.ssl.internal.ssl")) {
        jdk = 6;
        jdkText = "JDK 6 (com.sun.net.ssl.internal.ssl frames)";
      } else if (lower.contains("java.base/") || lower.contains("jdk.internal.")) {
        jdkText = "JDK 9 or later (module names in the frames)";
      }
      if (jdk > 0 && jdk < 7) {
        jdk = 7;
      }
      boolean android = lower.contains("conscrypt") || lower.contains("org.apache.harmony")
          || lower.contains("w/system.err") || lower.contains("android");
      boolean oldAndroid = lower.contains("ssl23_get_server_hello") || lower.contains("s23_clnt.c");
      String client = client(lower);
      return new Context(jdk, jdkText, android, oldAndroid, client,
          INTERCEPTORS.stream().anyMatch(lower::contains), TRUST_STORES.stream().anyMatch(lower::contains),
          !client.isEmpty() && !client.equals("Netty") || CLIENT_SIDE.stream().anyMatch(lower::contains));
    }

    private static String client(String lower) {
      if (lower.contains("okhttp")) {
        return "OkHttp";
      }
      if (lower.contains("org.apache.http") || lower.contains("hostname in certificate didn't match")
          || lower.contains("doesn't match any of the subject alternative names")) {
        return "Apache HttpClient";
      }
      if (lower.contains("org.bouncycastle.tls") || lower.contains("tlsfatalalert")) {
        return "Bouncy Castle TLS";
      }
      if (lower.contains("openssl_internal") || lower.contains("openssleng") || lower.contains("tcnative")) {
        return "netty-tcnative (BoringSSL/OpenSSL)";
      }
      if (lower.contains("conscrypt")) {
        return "Android Conscrypt";
      }
      if (lower.contains("org.apache.harmony")) {
        return "Android Harmony";
      }
      if (lower.contains("com.ibm.jsse2")) {
        return "IBM JSSE";
      }
      if (lower.contains("resourceaccessexception") || lower.contains("i/o error on ")) {
        return "Spring RestTemplate";
      }
      if (lower.contains("org.apache.kafka")) {
        return "Kafka client";
      }
      if (lower.contains("io.netty")) {
        return "Netty";
      }
      return "";
    }

    /** Names what the text told, for the explanation; empty when nothing. */
    String describe() {
      List<String> parts = new ArrayList<>();
      if (!jdkText.isEmpty()) {
        parts.add(jdkText);
      }
      if (!client.isEmpty()) {
        parts.add(client);
      } else if (android) {
        parts.add("Android");
      }
      return String.join(", ", parts);
    }
  }

  private static StackTraceElement[] frames(Throwable t) {
    try {
      StackTraceElement[] f = t.getStackTrace();
      return f == null ? new StackTraceElement[0] : f;
    } catch (RuntimeException | LinkageError e) {
      return new StackTraceElement[0];
    }
  }

  private static void add(List<Element> out, Throwable t) {
    if (out.size() >= MAX_ELEMENTS) {
      return;
    }
    Element e = new Element(t.getClass().getName());
    String message;
    try {
      message = t.getMessage();
    } catch (RuntimeException | LinkageError ex) {
      message = "";
    }
    e.append(message == null ? "" : message);
    if (t instanceof CertPathValidatorException cpve && cpve.getReason() != null) {
      e.reason = String.valueOf(cpve.getReason());
    }
    out.add(e);
  }

  private static Throwable cause(Throwable t) {
    try {
      Throwable c = t.getCause();
      return c == t ? null : c;
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static List<Throwable> suppressed(Throwable t) {
    try {
      Throwable[] s = t.getSuppressed();
      List<Throwable> out = new ArrayList<>();
      for (int i = 0; i < s.length && i < MAX_SUPPRESSED; i++) {
        if (s[i] != null) {
          out.add(s[i]);
        }
      }
      return out;
    } catch (RuntimeException | LinkageError e) {
      return List.of();
    }
  }

  /**
   * Reads the text of a stack trace or an exception message: the first line, each
   * {@code Caused by:} and {@code Suppressed:} line, and lines that start with an exception class
   * name; stack frames are skipped and other lines continue the message before them.
   *
   * @param text the text; only its first mebibyte is read
   * @return the chain
   */
  public static ExceptionChain parse(String text) {
    List<Element> out = new ArrayList<>();
    if (text == null) {
      return new ExceptionChain(out, 0);
    }
    int end = Math.min(text.length(), MAX_TEXT);
    long work = 0;
    Element current = null;
    int pos = 0;
    while (pos < end) {
      int nl = pos;
      while (nl < end && text.charAt(nl) != '\n') {
        nl++;
      }
      work += nl - pos + 1;
      int from = pos;
      int to = nl;
      pos = nl + 1;
      while (from < to && isSpace(text.charAt(from))) {
        from++;
      }
      while (to > from && isSpace(text.charAt(to - 1))) {
        to--;
      }
      if (from == to) {
        continue;
      }
      if (startsWith(text, from, to, "at ") || startsWith(text, from, to, "...")) {
        continue; // a stack frame or "... 12 more"
      }
      boolean causedBy = false;
      if (startsWith(text, from, to, "Caused by:")) {
        from += "Caused by:".length();
        causedBy = true;
      } else if (startsWith(text, from, to, "Suppressed:")) {
        from += "Suppressed:".length();
        causedBy = true;
      }
      while (from < to && isSpace(text.charAt(from))) {
        from++;
      }
      // Bound the per-line work to what an element can keep.
      int lineEnd = Math.min(to, from + MAX_MESSAGE + MAX_TYPE + 2);
      String line = text.substring(from, lineEnd);
      int typeEnd = typePrefix(line);
      if (causedBy || current == null || typeEnd > 0) {
        if (out.size() >= MAX_ELEMENTS) {
          // Keep reading continuation text into the last element only while it has room.
          continue;
        }
        if (typeEnd > 0) {
          current = new Element(line.substring(0, typeEnd));
          int msg = typeEnd;
          if (msg < line.length() && line.charAt(msg) == ':') {
            msg++;
          }
          current.append(line.substring(msg).strip());
        } else {
          current = new Element("");
          current.append(line);
        }
        out.add(current);
      } else {
        current.append(line);
      }
    }
    for (Element e : out) {
      e.seal();
      work += e.message.length();
    }
    setContext(out, text.subSequence(0, Math.min(end, MAX_CONTEXT)));
    work += Math.min(end, MAX_CONTEXT);
    return new ExceptionChain(out, work);
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u000B';
  }

  private static boolean startsWith(String s, int from, int to, String prefix) {
    return to - from >= prefix.length() && s.startsWith(prefix, from);
  }

  /**
   * The length of a leading class name ({@code a.b.FooException} followed by {@code :} or the end
   * of the line), or 0.
   */
  static int typePrefix(String line) {
    int i = 0;
    int n = Math.min(line.length(), MAX_TYPE);
    while (i < n && isTypeChar(line.charAt(i))) {
      i++;
    }
    if (i == 0 || (i < line.length() && line.charAt(i) != ':')) {
      return 0;
    }
    String type = line.substring(0, i);
    return looksLikeExceptionType(type) ? i : 0;
  }

  private static boolean isTypeChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '.' || c == '$' || c == '_';
  }

  /** A qualified name, or a simple name ending in Exception/Error, starting with a letter. */
  static boolean looksLikeExceptionType(String type) {
    if (type.isEmpty() || !Character.isLetter(type.charAt(0)) || type.endsWith(".")) {
      return false;
    }
    String simple = simpleName(type);
    boolean named = simple.endsWith("Exception") || simple.endsWith("Error") || simple.endsWith("Throwable")
        || simple.endsWith("Failure") || simple.endsWith("Alert");
    return named && (type.indexOf('.') > 0 || simple.length() > "Exception".length());
  }

  static String simpleName(String type) {
    int cut = Math.max(type.lastIndexOf('.'), type.lastIndexOf('$'));
    return type.substring(cut + 1);
  }

  /** Adds the simple names of exception classes named inside a message ("nested exception is a.b.C: ..."). */
  private static void collectTypes(String message, Set<String> types) {
    int i = 0;
    int n = message.length();
    while (i < n) {
      while (i < n && !isTypeChar(message.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && isTypeChar(message.charAt(i))) {
        i++;
      }
      if (i > start && i - start <= MAX_TYPE) {
        String token = message.substring(start, i);
        if (token.indexOf('.') > 0 && looksLikeExceptionType(token)) {
          types.add(simpleName(token));
        }
      }
    }
  }

  /**
   * Normalises JDK message variants: removes the {@code (alert_name) } prefix that JDK 21+ and
   * recent 17u builds put before a message (also where a wrapper repeats the message after
   * {@code ": "}), and fixes the JDK 17 typos fixed in later JDKs ({@code Unsupported
   * protocolTLSv1.4}, {@code avaiable}, {@code Incorect}).
   *
   * @param message the message, may be null
   * @return the normalised message, never null
   */
  public static String normalize(String message) {
    if (message == null || message.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(message.length());
    int n = message.length();
    int i = 0;
    while (i < n) {
      boolean boundary = i == 0 || (i >= 2 && message.charAt(i - 1) == ' '
          && (message.charAt(i - 2) == ':' || message.charAt(i - 2) == ';'));
      if (boundary && message.charAt(i) == '(') {
        int j = i + 1;
        while (j < n && j - i <= 41 && isAlertChar(message.charAt(j))) {
          j++;
        }
        if (j > i + 1 && j + 1 < n && message.charAt(j) == ')' && message.charAt(j + 1) == ' ') {
          i = j + 2;
          continue;
        }
      }
      sb.append(message.charAt(i));
      i++;
    }
    String s = sb.toString();
    if (s.contains("protocolTLS") || s.contains("protocolSSL") || s.contains("protocolDTLS")) {
      s = s.replace("Unsupported protocolTLS", "Unsupported protocol: TLS")
          .replace("Unsupported protocolSSL", "Unsupported protocol: SSL")
          .replace("Unsupported protocolDTLS", "Unsupported protocol: DTLS");
    }
    if (s.contains("avaiable")) {
      s = s.replace("avaiable", "available");
    }
    if (s.contains("Incorect")) {
      s = s.replace("Incorect", "Incorrect");
    }
    return s;
  }

  private static boolean isAlertChar(char c) {
    return (c >= 'a' && c <= 'z') || c == '_';
  }
}
