/**
 * Health checks over TLS endpoints: {@link dev.tlsinspect.health.TlsHealthCheck} inspects one or
 * many targets in quick mode under a time budget, caches the result, and maps it to
 * {@link dev.tlsinspect.health.HealthStatus UP, DEGRADED or DOWN} with a flat details map that
 * any health framework (Spring Boot Actuator, MicroProfile Health, Micrometer) can carry.
 *
 * @since 0.1.0
 */
package dev.tlsinspect.health;
