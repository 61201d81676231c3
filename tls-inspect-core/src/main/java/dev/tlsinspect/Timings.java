package dev.tlsinspect;

/**
 * How long the parts of an inspection took, in milliseconds.
 *
 * @param resolveMillis name resolution
 * @param connectMillis the TCP connect of the main handshake
 * @param handshakeMillis the TLS handshake of the main handshake
 * @param totalMillis the whole inspection
 * @since 0.1.0
 */
public record Timings(long resolveMillis, long connectMillis, long handshakeMillis, long totalMillis) {}
