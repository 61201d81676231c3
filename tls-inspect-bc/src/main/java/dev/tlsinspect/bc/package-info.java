/**
 * The Bouncy Castle provider: {@link dev.tlsinspect.bc.BcProbe} probes with Bouncy Castle's
 * low-level TLS API, offering exactly the versions, cipher suite codes and named groups asked for.
 *
 * @since 0.1.0
 */
package dev.tlsinspect.bc;
