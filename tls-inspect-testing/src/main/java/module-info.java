/**
 * The test kit: certificates, loopback TLS servers with chosen faults, scripted peers and JUnit 5
 * assertions on reports, for this project's tests and for users testing their own checks.
 *
 * @since 0.1.0
 */
module dev.tlsinspect.testing {
  requires transitive dev.tlsinspect.core;
  requires transitive org.junit.jupiter.api;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.tls;
  requires org.bouncycastle.util;
  // RecordingLogger is an SLF4J logger: its signatures name SLF4J types.
  requires transitive org.slf4j;

  exports dev.tlsinspect.testing;
}
