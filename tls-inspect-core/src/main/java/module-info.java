/**
 * tls-inspect's API: targets, options, the inspector, reports and findings ({@code dev.tlsinspect}),
 * the provider SPI ({@code probe}), custom checks ({@code check}), policies ({@code policy}),
 * health checks ({@code health}) and the log analyzer ({@code logs}). The analysis lives in
 * {@code dev.tlsinspect.internal.*}, which is not exported; the handshake trace is exported to the
 * two provider modules only.
 *
 * @since 0.1.0
 */
// The provider modules are built after this one: javac cannot see them yet.
@SuppressWarnings("module")
module dev.tlsinspect.core {
  requires java.naming;
  requires java.net.http;
  // TlsDiagnostics.Builder.logger names an SLF4J type.
  requires transitive org.slf4j;
  // Only for the JSON shape of the report records; absent at run time unless the user has Jackson.
  requires static com.fasterxml.jackson.annotation;

  exports dev.tlsinspect;
  exports dev.tlsinspect.check;
  exports dev.tlsinspect.health;
  exports dev.tlsinspect.logs;
  exports dev.tlsinspect.policy;
  exports dev.tlsinspect.probe;

  exports dev.tlsinspect.internal.trace to dev.tlsinspect.jsse, dev.tlsinspect.bc;

  uses dev.tlsinspect.check.Check;
  uses dev.tlsinspect.probe.HandshakeProbe;
}
