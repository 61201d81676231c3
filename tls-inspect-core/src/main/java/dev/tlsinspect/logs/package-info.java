/**
 * The server log analyzer: {@link dev.tlsinspect.logs.LogAnalyzer} reads nginx, Apache httpd
 * (mod_ssl), HAProxy, OpenSSL, Java (stack traces, {@code javax.net.debug}), Tomcat and Jetty logs,
 * maps the lines about failed TLS handshakes to the codes of the diagnosis catalogue, and groups
 * them into a {@link dev.tlsinspect.logs.LogReport}: how often, when, which clients, what they
 * offered, and what to change in that server's configuration.
 *
 * @since 0.1.0
 */
package dev.tlsinspect.logs;
