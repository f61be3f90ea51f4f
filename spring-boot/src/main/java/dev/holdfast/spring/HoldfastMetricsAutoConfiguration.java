package dev.holdfast.spring;

import dev.holdfast.Holdfast;
import dev.holdfast.micrometer.HoldfastMetrics;
import dev.holdfast.micrometer.HoldfastObservations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * holdfast-micrometer on the application's registries, when it is on the class path: a {@link HoldfastMetrics}
 * listener on the {@link MeterRegistry} (with its breaker, budget and bulkhead gauges bound to every {@link
 * Holdfast} bean) and a {@link HoldfastObservations} listener on the {@link ObservationRegistry}. Both are {@code
 * GuardListener} beans, so every auto-configured Holdfast gets them; a Holdfast of the application's own adds
 * them itself. Each backs off for a bean of the application's own of its type.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnClass({Holdfast.class, HoldfastMetrics.class})
public final class HoldfastMetricsAutoConfiguration {
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  @ConditionalOnBean(MeterRegistry.class)
  static final class Meters {
    @Bean
    @ConditionalOnMissingBean
    HoldfastMetrics holdfastMetrics(MeterRegistry registry) {
      return HoldfastMetrics.create(registry);
    }

    @Bean
    SmartInitializingSingleton holdfastMetricsGauges(HoldfastMetrics metrics, ObjectProvider<Holdfast> instances) {
      return () -> instances.orderedStream().forEach(metrics::bindTo);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ObservationRegistry.class)
  @ConditionalOnBean(ObservationRegistry.class)
  static final class Observations {
    @Bean
    @ConditionalOnMissingBean
    HoldfastObservations holdfastObservations(ObservationRegistry registry) {
      return HoldfastObservations.create(registry);
    }
  }
}
