package dev.holdfast.spring;

import dev.holdfast.GuardListener;
import dev.holdfast.Holdfast;
import dev.holdfast.jdbc.JdbcBackend;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * A {@link Holdfast} over PostgreSQL, bean {@code jdbcHoldfast} (primary): over its own pool when {@code
 * holdfast.jdbc.url} is set, otherwise over the application's {@link DataSource}, which it checks first (a pool
 * with server-side prepared statements behind a transaction-mode pooler fails startup, with the setting to
 * change). Backs off when the application defines a {@link Holdfast} bean, or sets {@code
 * holdfast.jdbc.enabled=false}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({Holdfast.class, JdbcBackend.class})
@ConditionalOnProperty(prefix = "holdfast", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnProperty(prefix = "holdfast.jdbc", name = "enabled", havingValue = "true", matchIfMissing = true)
@Conditional({NoUserHoldfastCondition.class, HoldfastJdbcAutoConfiguration.UrlOrDataSource.class})
@EnableConfigurationProperties(HoldfastProperties.class)
public final class HoldfastJdbcAutoConfiguration {
  static final String BEAN = "jdbcHoldfast";

  @Bean(BEAN)
  @Primary
  Holdfast jdbcHoldfast(HoldfastProperties properties, Environment environment,
      ObjectProvider<DataSource> dataSources, ObjectProvider<GuardListener> listeners,
      ObjectProvider<HoldfastBuilderCustomizer> customizers) {
    HoldfastProperties.Jdbc jdbc = properties.getJdbc();
    JdbcBackend backend = jdbc.getUrl() != null ? ownPool(jdbc) : overDataSource(jdbc, dataSources.getIfUnique());
    Holdfast db = Backends.holdfast("jdbc", backend, environment, properties.getSafe(), listeners, customizers);
    if (properties.getStartup().isFailFast()) {
      StartupCheck.jdbc(db, backend, jdbc.getUrl(), properties.getStartup().getTimeout());
    }
    return db;
  }

  private static JdbcBackend ownPool(HoldfastProperties.Jdbc jdbc) {
    JdbcBackend.Builder b = JdbcBackend.builder(jdbc.getUrl()).maximumPoolSize(jdbc.getMaximumPoolSize())
        .connectionTimeout(jdbc.getConnectionTimeout()).connectTimeout(jdbc.getConnectTimeout())
        .socketTimeout(jdbc.getSocketTimeout()).maxLifetime(jdbc.getMaxLifetime())
        .applicationName(jdbc.getApplicationName()).maxBatchSize(jdbc.getMaxBatchSize());
    if (jdbc.getSslMode() != null) {
      b.sslMode(jdbc.getSslMode());
    }
    if (jdbc.getSslRootCert() != null) {
      b.sslRootCert(jdbc.getSslRootCert());
    }
    return b.build();
  }

  private static JdbcBackend overDataSource(HoldfastProperties.Jdbc jdbc, DataSource dataSource) {
    JdbcBackend.Builder b = JdbcBackend.builder(dataSource).maxBatchSize(jdbc.getMaxBatchSize())
        .poolerCheckTimeout(jdbc.getPoolerCheckTimeout());
    if (jdbc.getTransactionPooler() != null) {
      b.transactionPooler(jdbc.getTransactionPooler());
    }
    return b.build();
  }

  /** {@code holdfast.jdbc.url} is set, or the application has one DataSource. */
  static final class UrlOrDataSource extends AnyNestedCondition {
    UrlOrDataSource() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnProperty(prefix = "holdfast.jdbc", name = "url")
    static final class Url {}

    @ConditionalOnSingleCandidate(DataSource.class)
    static final class OneDataSource {}
  }
}
