package dev.tlsinspect.logs;

/**
 * The kinds of log the {@link LogAnalyzer} reads. The set is owned by tls-inspect; each constant
 * names the server (or library) whose lines it recognises.
 *
 * @since 0.1.0
 */
public enum LogFormat {
  /** nginx error log ({@code 2026/11/26 01:44:22 [info] 123#123: *1 ...}). */
  NGINX("nginx"),
  /** Apache httpd error log with mod_ssl ({@code [Thu Nov 26 01:44:37.32 2026] [ssl:info] ...}). */
  APACHE("Apache httpd"),
  /** HAProxy log, raw or behind a syslog header ({@code 127.0.0.1:45186 [26/Nov/2026:...] fe/1: ...}). */
  HAPROXY("HAProxy"),
  /** OpenSSL error strings on their own ({@code openssl s_server}, stunnel, applications). */
  OPENSSL("OpenSSL"),
  /** Java logs: java.util.logging, Logback/Log4j lines with stack traces, and {@code javax.net.debug} output. */
  JAVA("Java"),
  /** Apache Tomcat (JULI one-line format, {@code 26-Nov-2026 01:45:28.123 WARNING [thread] ...}). */
  TOMCAT("Tomcat"),
  /** Eclipse Jetty ({@code 2026-11-26 01:45:28.123:WARN :oejs.X:thread: ...}). */
  JETTY("Jetty"),
  /** A common or combined access log (nginx, Apache): requests; a TLS ClientHello logged as a request is a failure. */
  ACCESS_LOG("access log"),
  /**
   * Windows: Schannel events of the System log (36874, 36887, 36888, 36871, 36886) as exported
   * in text, CSV or {@code wevtutil qe} XML, and IIS {@code HTTPERR} logs.
   */
  WINDOWS("Windows Schannel/IIS"),
  /**
   * A line in no layout tls-inspect parses (Go, Traefik, Envoy, Kafka, journal or Kubernetes
   * prefixes, application logs) that is recognisably a TLS failure: counted, with its reason quoted.
   */
  OTHER("other");

  private final String label;

  LogFormat(String label) {
    this.label = label;
  }

  /**
   * The name people use for it, for example "Apache httpd".
   *
   * @return the label
   * @since 0.1.0
   */
  public String label() {
    return label;
  }
}
