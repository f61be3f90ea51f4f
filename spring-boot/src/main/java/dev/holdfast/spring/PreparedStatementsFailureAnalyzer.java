package dev.holdfast.spring;

import dev.holdfast.ConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Startup failed because the application's DataSource reaches PostgreSQL through a transaction-mode pooler
 * (PgBouncer, Supabase's port 6543) while pgjdbc's server-side prepared statements are on: prints holdfast's
 * finding and the Spring Boot property that fixes it. Runs before {@link HoldfastFailureAnalyzer}.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class PreparedStatementsFailureAnalyzer extends AbstractFailureAnalyzer<ConfigurationException> {
  /** The property that turns prepared statements off on Spring Boot's HikariCP pool. */
  public static final String PROPERTY = "spring.datasource.hikari.data-source-properties.prepareThreshold=0";

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ConfigurationException cause) {
    if (!cause.hint().contains("prepareThreshold=0") || !cause.getMessage().contains("transaction-mode pooler")) {
      return null;
    }
    return new FailureAnalysis("holdfast refused the application's DataSource: " + cause.getMessage() + ".",
        "Set " + PROPERTY + " (in application.properties; in YAML under spring.datasource.hikari."
            + "data-source-properties: prepareThreshold: 0), or add prepareThreshold=0 to spring.datasource.url. "
            + "Or connect in session mode or directly (Supabase: port 5432). If no transaction-mode pooler is in "
            + "between, say so with holdfast.jdbc.transaction-pooler=false.\n\nholdfast's hint: " + cause.hint(),
        cause);
  }
}
