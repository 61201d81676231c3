/**
 * Micrometer meters for tls-inspect health checks: {@link dev.tlsinspect.micrometer.TlsMeterBinder}.
 *
 * @since 0.1.0
 */
package dev.tlsinspect.micrometer;
