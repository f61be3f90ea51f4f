package dev.holdfast.spring;

import dev.holdfast.Holdfast;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;

/**
 * The {@code holdfast} health contributor: one {@link HoldfastHealthIndicator} per {@link Holdfast} bean, named
 * after its backend ({@code /actuator/health/holdfast/jdbc}, {@code .../postgrest}), or after its bean name when
 * two share a backend. Off with {@code management.health.holdfast.enabled=false}; replaced by a bean named
 * {@code holdfastHealthContributor} of the application's own.
 */
@AutoConfiguration(after = {HoldfastJdbcAutoConfiguration.class, HoldfastPostgrestAutoConfiguration.class},
    afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({Holdfast.class, HealthIndicator.class})
@ConditionalOnBean(Holdfast.class)
@ConditionalOnEnabledHealthIndicator("holdfast")
@EnableConfigurationProperties(HoldfastProperties.class)
public final class HoldfastHealthAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean(name = "holdfastHealthContributor")
  HealthContributor holdfastHealthContributor(Map<String, Holdfast> instances, HoldfastProperties properties) {
    Status degraded = new Status(properties.getHealth().getDegradedStatus());
    Map<String, HealthContributor> byBackend = new LinkedHashMap<>();
    long distinct = instances.values().stream().map(h -> h.backend().name()).distinct().count();
    instances.forEach((bean, holdfast) -> byBackend.put(distinct == instances.size() ? holdfast.backend().name()
        : bean, new HoldfastHealthIndicator(holdfast, properties.getHealth().getTimeout(), degraded)));
    return CompositeHealthContributor.fromMap(byBackend);
  }
}
