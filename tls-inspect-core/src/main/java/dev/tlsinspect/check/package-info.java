/**
 * The check SPI: a {@link dev.tlsinspect.check.Check} turns what the probes saw
 * ({@link dev.tlsinspect.check.CheckContext}) into findings. Register checks in code or with
 * {@link java.util.ServiceLoader}.
 *
 * @since 0.1.0
 */
package dev.tlsinspect.check;
