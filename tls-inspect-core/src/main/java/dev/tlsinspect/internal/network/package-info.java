/**
 * Network findings: a failed connect or handshake, address consistency, SNI, client certificates
 * and clock skew. May depend on the API packages, {@code registry}, {@code cert} and
 * {@code protocol}. Not API.
 */
package dev.tlsinspect.internal.network;
