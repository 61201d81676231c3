/**
 * Versioned, frozen TLS policies a server can be checked against: {@link
 * dev.tlsinspect.policy.TlsPolicies#named(String)} gives a {@link dev.tlsinspect.policy.TlsPolicy}
 * (Mozilla modern, intermediate and old; NIST SP 800-52r2), and {@code
 * InspectOptions.builder().policies(...)} selects them for an inspection, which reports each
 * deviation as POLICY_VIOLATION.
 *
 * @since 0.1.0
 */
package dev.tlsinspect.policy;
