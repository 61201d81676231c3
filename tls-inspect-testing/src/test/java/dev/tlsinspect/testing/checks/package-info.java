/**
 * One test class per built-in check, through the public {@code CheckHarness}: positive, negative
 * and "not applicable" cases on hand-built contexts. They live here, not in tls-inspect-core,
 * because core cannot depend on the test kit (the kit depends on core), and because using only
 * the public API ({@code TlsInspector.builtInChecks()}) shows that custom checks are tested the
 * same way.
 */
package dev.tlsinspect.testing.checks;
