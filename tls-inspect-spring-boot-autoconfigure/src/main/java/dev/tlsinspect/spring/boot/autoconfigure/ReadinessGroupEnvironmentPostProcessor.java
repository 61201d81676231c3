package dev.tlsinspect.spring.boot.autoconfigure;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With {@code tls-inspect.include-in-readiness=true}: the {@code readiness} health group holds
 * {@code readinessState} and {@code tls}, as if the application had set
 * {@code management.endpoint.health.group.readiness.include=readinessState,tls}; a load balancer
 * then stops sending traffic while a dependency's TLS is broken, and liveness is untouched. An
 * application that configures the readiness group itself keeps its configuration (add
 * {@code tls} to it). A default at the lowest precedence: every other source wins.
 *
 * @since 0.1.0
 */
public final class ReadinessGroupEnvironmentPostProcessor implements EnvironmentPostProcessor {
  static final String INCLUDE = "management.endpoint.health.group.readiness.include";

  /** Created by Spring Boot from {@code META-INF/spring.factories}. */
  public ReadinessGroupEnvironmentPostProcessor() {}

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    boolean wanted = environment.getProperty("tls-inspect.include-in-readiness", Boolean.class, false)
        && environment.getProperty("tls-inspect.enabled", Boolean.class, true)
        && environment.getProperty("management.health.tls.enabled", Boolean.class, true);
    if (wanted && !environment.containsProperty(INCLUDE)) {
      environment.getPropertySources().addLast(new MapPropertySource("tls-inspect-readiness",
          Map.of(INCLUDE, "readinessState,tls")));
    }
  }
}
