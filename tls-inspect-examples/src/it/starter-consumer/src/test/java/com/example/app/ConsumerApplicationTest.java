package com.example.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.health.HealthResult;
import dev.tlsinspect.health.HealthStatus;
import dev.tlsinspect.spring.boot.autoconfigure.TlsInspections;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The starter's auto-configuration, as an application gets it from the one dependency. */
class ConsumerApplicationTest {
  @Test
  void aClosedLoopbackPort_isDown_inHealthAndMeters() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ConsumerApplication.class)
        .web(WebApplicationType.NONE)
        .properties("tls-inspect.targets[0].name=backend",
            "tls-inspect.targets[0].host=127.0.0.1",
            "tls-inspect.targets[0].port=" + port,
            "tls-inspect.budget=5s")
        .run()) {
      HealthResult result = context.getBean(TlsInspections.class).result("backend").orElseThrow();
      assertEquals(HealthStatus.DOWN, result.status(), result.message());
      assertTrue(result.message().contains("CONNECTION_REFUSED"), result.message());
      assertTrue(context.containsBean("tlsHealthContributor"));
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertEquals(0.0, registry.get("tls.inspect.up").tag("target", "127.0.0.1:" + port).gauge().value());
    }
  }
}
