package dev.holdfast.spring;

import dev.holdfast.GuardListener;
import dev.holdfast.HealthReport;
import dev.holdfast.Holdfast;
import dev.holdfast.postgrest.PostgrestBackend;
import dev.holdfast.postgrest.PostgrestClient;
import dev.holdfast.postgrest.TokenSupplier;
import org.springframework.beans.factory.BeanFactory;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * A {@link Holdfast} over PostgREST, bean {@code postgrestHoldfast}, when {@code holdfast.postgrest.url} is set:
 * over the application's {@link PostgrestClient} bean if it has one (which stays the application's to close),
 * otherwise over a client built from {@code holdfast.postgrest.*}. When a JDBC backend is configured too, that one
 * is the primary Holdfast; inject this one with {@code @Qualifier("postgrestHoldfast")}.
 */
@AutoConfiguration(after = HoldfastJdbcAutoConfiguration.class)
@ConditionalOnClass({Holdfast.class, PostgrestBackend.class})
@ConditionalOnProperty(prefix = "holdfast", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnProperty(prefix = "holdfast.postgrest", name = "url")
@Conditional(NoUserHoldfastCondition.class)
@EnableConfigurationProperties(HoldfastProperties.class)
public final class HoldfastPostgrestAutoConfiguration {
  static final String BEAN = "postgrestHoldfast";

  @Bean(BEAN)
  Holdfast postgrestHoldfast(HoldfastProperties properties, Environment environment, BeanFactory beans,
      ObjectProvider<PostgrestClient> clients, ObjectProvider<TokenSupplier> tokens,
      ObjectProvider<GuardListener> listeners, ObjectProvider<HoldfastBuilderCustomizer> customizers) {
    HoldfastProperties.Postgrest p = properties.getPostgrest();
    PostgrestClient own = clients.getIfUnique();
    PostgrestBackend backend = own != null ? PostgrestBackend.wrap(own)
        : PostgrestBackend.create(client(p, p.getTokenSupplier() != null
            ? beans.getBean(p.getTokenSupplier(), TokenSupplier.class) : tokens.getIfUnique()));
    Holdfast db = Backends.holdfast("postgrest", backend, environment, properties.getSafe(), listeners, customizers);
    if (properties.getStartup().isFailFast()) {
      failFast(db, p.getUrl(), properties.getStartup().getTimeout());
    }
    return db;
  }

  /** Probes PostgREST with the backend's health check. */
  private static void failFast(Holdfast db, String url, Duration timeout) {
    HealthReport report = db.health(timeout);
    if (report.status() == HealthReport.Status.DOWN) {
      db.close();
      throw new BackendUnavailableException("postgrest", "PostgREST at " + url + " did not answer: "
          + report.detail(), "Check holdfast.postgrest.url (Supabase: https://<project-ref>.supabase.co/rest/v1) "
          + "and holdfast.postgrest.api-key." + StartupCheck.OFF, null);
    }
  }

  private static PostgrestClient.Builder client(HoldfastProperties.Postgrest p, TokenSupplier tokens) {
    PostgrestClient.Builder b = PostgrestClient.builder(p.getUrl())
        .timeouts(p.getConnectTimeout(), p.getReadTimeout(), p.getWriteTimeout(), p.getCallTimeout());
    if (p.getApiKey() != null) {
      b.apiKey(p.getApiKey());
    }
    if (tokens != null) {
      b.tokenSupplier(tokens);
    }
    if (p.getSchema() != null) {
      b.schema(p.getSchema());
    }
    return b;
  }
}
