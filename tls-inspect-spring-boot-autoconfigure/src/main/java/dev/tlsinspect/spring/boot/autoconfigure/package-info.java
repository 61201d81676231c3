/**
 * Spring Boot auto-configuration for tls-inspect: {@code tls-inspect.*} properties
 * ({@link dev.tlsinspect.spring.boot.autoconfigure.TlsInspectProperties}), a health contributor
 * per target under {@code tls}, the application's SSL bundles checked, the {@code /actuator/tls}
 * endpoint, Micrometer meters and an optional startup gate. Add
 * {@code tls-inspect-spring-boot-starter} rather than this module.
 *
 * @since 0.1.0
 */
package dev.tlsinspect.spring.boot.autoconfigure;
