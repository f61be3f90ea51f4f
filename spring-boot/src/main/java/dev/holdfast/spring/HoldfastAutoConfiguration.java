package dev.holdfast.spring;

import dev.holdfast.Holdfast;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * What the starter adds around every {@link Holdfast}: a {@code Repository<T, ID>} bean for each {@code Table<T,
 * ID>} bean, the safe key-value stores named under {@code holdfast.safe.key-value-stores}, and DAO beans wrapped
 * with {@link dev.holdfast.Resilient#wrap} ({@code holdfast.dao.enabled}). The Holdfast beans themselves come from
 * {@link HoldfastJdbcAutoConfiguration} and {@link HoldfastPostgrestAutoConfiguration}, or from the application.
 */
@AutoConfiguration(after = {HoldfastJdbcAutoConfiguration.class, HoldfastPostgrestAutoConfiguration.class})
@ConditionalOnClass(Holdfast.class)
@ConditionalOnProperty(prefix = "holdfast", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(HoldfastProperties.class)
public final class HoldfastAutoConfiguration {
  @Bean
  static TableRepositories holdfastTableRepositories() {
    return new TableRepositories();
  }

  @Bean
  static SafeKeyValueStores holdfastSafeKeyValueStores(Environment environment) {
    return new SafeKeyValueStores(environment);
  }

  @Bean
  @ConditionalOnProperty(prefix = "holdfast.dao", name = "enabled", havingValue = "true", matchIfMissing = true)
  static ResilientDaos holdfastResilientDaos(@Lazy ObjectProvider<Holdfast> holdfast) {
    return new ResilientDaos(holdfast);
  }
}
