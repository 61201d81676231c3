package dev.tlsinspect.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.PropertySource;

/**
 * A Spring Boot application whose TLS dependencies are watched by the starter: no tls-inspect
 * code, only {@code boot-example.properties} (targets, an SSL bundle for the internal CA, the
 * startup gate and the readiness group). {@code /actuator/health/tls}, {@code /actuator/tls} and
 * the {@code tls.inspect.*} meters then come from {@code tls-inspect-spring-boot-starter}.
 */
@SpringBootApplication
@PropertySource("classpath:boot-example.properties")
public class BootApplication {
  /** Created by Spring. */
  public BootApplication() {}

  /**
   * The application; its properties come from {@code boot-example.properties}, below the
   * command line and the environment.
   *
   * @return a builder to run
   */
  public static SpringApplicationBuilder application() {
    return new SpringApplicationBuilder(BootApplication.class);
  }

  /**
   * Runs the application.
   *
   * @param args command-line arguments, for example {@code --tls-inspect.targets[0].port=8443}
   */
  public static void main(String[] args) {
    SpringApplication app = application().build();
    app.run(args);
  }
}
