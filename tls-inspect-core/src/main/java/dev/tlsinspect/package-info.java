/**
 * The tls-inspect API: describe a {@link dev.tlsinspect.Target}, choose
 * {@link dev.tlsinspect.InspectOptions}, run a {@link dev.tlsinspect.TlsInspector} and read the
 * {@link dev.tlsinspect.Report}: a {@link dev.tlsinspect.Verdict} and typed
 * {@link dev.tlsinspect.Finding findings} with root cause and remediation.
 *
 * @since 0.1.0
 */
package dev.tlsinspect;
