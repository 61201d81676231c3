/**
 * The handshake trace and the recognition of non-TLS peers, fed by both providers with the bytes
 * they see. May depend on the API packages and {@code registry}; exported only to the provider
 * modules ({@code dev.tlsinspect.jsse}, {@code dev.tlsinspect.bc}). Not API.
 */
package dev.tlsinspect.internal.trace;
