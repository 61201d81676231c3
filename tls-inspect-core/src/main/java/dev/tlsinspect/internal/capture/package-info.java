/**
 * Capturing real handshake failures: an {@code SSLContext} whose socket factory, sockets and
 * engines delegate every call to the application's own and hand each handshake failure to a
 * {@link dev.tlsinspect.internal.capture.FailureSink} before rethrowing the same exception. Depends
 * on the JDK only, on no other package of tls-inspect: the sink (in {@code TlsDiagnostics}) does the
 * explaining. Not API.
 */
package dev.tlsinspect.internal.capture;
