/**
 * MicroProfile Health for tls-inspect: {@link dev.tlsinspect.microprofile.TlsReadinessCheck}, a
 * {@code @Readiness} check configured through MicroProfile Config ({@code tls-inspect.*}) that
 * reads the last result of inspections run on a schedule of their own, so a health call never
 * does network I/O.
 */
package dev.tlsinspect.microprofile;
