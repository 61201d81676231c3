package dev.tlsinspect.spring.boot.autoconfigure;

import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.health.HealthResult;
import dev.tlsinspect.health.HealthStatus;
import dev.tlsinspect.micrometer.TlsMeterBinder;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of tls-inspect from the {@code tls-inspect.*} properties: the targets and
 * their schedule ({@link TlsInspections}), the startup gate, and, when their frameworks are
 * present, the {@code tls} health contributor, the {@code tls} actuator endpoint and the meters.
 * Off with {@code tls-inspect.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration")
@ConditionalOnBooleanProperty(name = "tls-inspect.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TlsInspectProperties.class)
public class TlsInspectAutoConfiguration {
  /** Created by Spring Boot. */
  public TlsInspectAutoConfiguration() {}

  /**
   * The inspector every target runs: the providers and checks found on the class path.
   *
   * @return the inspector
   */
  @Bean
  @ConditionalOnMissingBean
  public TlsInspector tlsInspector() {
    return TlsInspector.create();
  }

  /**
   * The configured targets; invalid properties fail startup with the property's name.
   *
   * @param properties the properties
   * @param bundles the SSL bundles, when configured
   * @param inspector the inspector
   * @return the inspections, started once every bean exists
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public TlsInspections tlsInspections(TlsInspectProperties properties,
      ObjectProvider<SslBundles> bundles, TlsInspector inspector) {
    return TlsInspections.of(properties, Optional.ofNullable(bundles.getIfAvailable()), inspector);
  }

  /**
   * Runs the startup gate when asked, then starts the schedule: after every bean exists, so
   * that the meters see the first results.
   *
   * @param inspections the inspections
   * @param properties the properties
   * @return the starter
   */
  @Bean
  public SmartInitializingSingleton tlsInspectionsStarter(TlsInspections inspections,
      TlsInspectProperties properties) {
    return () -> {
      if (properties.isFailOnStartup()) {
        gate(inspections);
      }
      inspections.start();
    };
  }

  static void gate(TlsInspections inspections) {
    Map<String, HealthResult> results = new LinkedHashMap<>();
    inspections.names().forEach(n -> results.put(n, inspections.result(n).orElseThrow()));
    Map<String, HealthResult> down = results.entrySet().stream()
        .filter(e -> e.getValue().status() == HealthStatus.DOWN)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    if (down.isEmpty()) {
      return;
    }
    StringBuilder message = new StringBuilder("tls-inspect.fail-on-startup: ")
        .append(down.size()).append(" of ").append(results.size()).append(" TLS target(s) DOWN");
    down.forEach((name, result) -> {
      String text = result.message();
      int firstLine = text.indexOf('\n');
      message.append("\n  [").append(name).append("]")
          .append(firstLine < 0 ? "" : text.substring(firstLine));
    });
    throw new TlsStartupException(message.toString());
  }

  /** The {@code tls} health contributor: one indicator per target, and the SSL bundles. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthContributor")
  @ConditionalOnEnabledHealthIndicator("tls")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "tlsHealthContributor")
    HealthContributor tlsHealthContributor(TlsInspections inspections, TlsInspectProperties properties,
        ObjectProvider<SslBundles> sslBundles) {
      Map<String, HealthContributor> contributors = new LinkedHashMap<>();
      for (String name : inspections.names()) {
        contributors.put(name, new TargetHealthIndicator(inspections, name));
      }
      SslBundles bundles = sslBundles.getIfAvailable();
      if (properties.isCheckSslBundles() && bundles != null && !bundles.getBundleNames().isEmpty()) {
        Map<String, HealthContributor> perBundle = new LinkedHashMap<>();
        for (String name : bundles.getBundleNames()) {
          perBundle.put(name, new SslBundleHealthIndicator(bundles, name,
              properties.getCriticalWindow(), Clock.systemUTC()));
        }
        contributors.put("ssl-bundles", CompositeHealthContributor.fromMap(perBundle));
      }
      return CompositeHealthContributor.fromMap(contributors);
    }
  }

  /** The {@code tls} actuator endpoint. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
  static class Endpoint {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    TlsInspectEndpoint tlsInspectEndpoint(TlsInspections inspections,
        org.springframework.beans.factory.ObjectProvider<dev.tlsinspect.TlsDiagnostics> diagnostics) {
      return new TlsInspectEndpoint(inspections, java.util.Optional.ofNullable(diagnostics.getIfAvailable()));
    }
  }

  /** The meters; Boot binds every {@code MeterBinder} bean to its registries. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"io.micrometer.core.instrument.binder.MeterBinder",
      "dev.tlsinspect.micrometer.TlsMeterBinder"})
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean
    TlsMeterBinder tlsMeterBinder(TlsInspections inspections) {
      TlsMeterBinder binder = new TlsMeterBinder(inspections.targets());
      inspections.addListener(binder::record);
      return binder;
    }
  }
}
