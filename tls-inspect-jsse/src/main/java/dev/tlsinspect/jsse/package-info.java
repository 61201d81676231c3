/**
 * The JSSE provider: {@link dev.tlsinspect.jsse.JsseProbe} probes with the JDK's own TLS stack.
 *
 * @since 0.1.0
 */
package dev.tlsinspect.jsse;
