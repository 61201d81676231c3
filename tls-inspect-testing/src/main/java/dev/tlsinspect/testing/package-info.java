/**
 * Test kit for tls-inspect and for its users: a certificate builder for roots, intermediates
 * and leaves with chosen faults ({@link dev.tlsinspect.testing.CertificateBuilder}), an in-JVM
 * loopback TLS server that sends exactly the chain it is given
 * ({@link dev.tlsinspect.testing.TlsServer}, or {@link dev.tlsinspect.testing.TlsServerExtension} to run
 * one for a JUnit 5 test), and loopback peers that misbehave on purpose
 * ({@link dev.tlsinspect.testing.FakePeer}).
 *
 * <p>Nothing in this package changes JVM-global state: no security provider is installed, no
 * system or security property is set, and no default {@code SSLContext} is replaced. Bouncy
 * Castle is used through a private provider instance passed explicitly to the builders that
 * need it. Every server binds to {@code 127.0.0.1} only, runs on daemon threads, uses timeouts
 * on every read, and stops its threads and sockets on {@code close()}.
 *
 * <p>Return values are never {@code null}; absent values are empty lists or empty
 * {@link java.util.Optional}s.
 *
 * @since 0.1.0
 */
package dev.tlsinspect.testing;
