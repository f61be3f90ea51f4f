package dev.holdfast.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.jdbc.ConnectionString;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the HikariCP pool holdfast owns when given a connection string. Every connection has server-side
 * prepared statements off ({@code prepareThreshold=0}, no statement cache), so nothing named outlives a
 * transaction and the pool works behind PgBouncer or Supabase's pooler in transaction mode. Internal.
 */
public final class Pools {
  private static final AtomicInteger COUNT = new AtomicInteger();
  // libpq parameter names that pgjdbc spells differently.
  private static final Map<String, String> LIBPQ_TO_PGJDBC = Map.of(
      "application_name", "ApplicationName",
      "connect_timeout", "connectTimeout",
      "target_session_attrs", "targetServerType",
      "sslcompression", "sslcompression");

  private Pools() {}

  /** The settings a pool is built from. */
  public record Settings(int maximumPoolSize, Duration connectionTimeout, Duration connectTimeout,
      Duration socketTimeout, Duration maxLifetime, String sslMode, String sslRootCert, String applicationName) {}

  public static HikariDataSource create(ConnectionString cs, Settings s) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("holdfast-" + COUNT.incrementAndGet());
    config.setJdbcUrl(cs.toJdbcUrl());
    cs.user().ifPresent(config::setUsername);
    cs.password().ifPresent(config::setPassword);
    cs.parameters().forEach((k, v) -> {
      String key = cs.format() == ConnectionString.Format.JDBC_URL ? k : LIBPQ_TO_PGJDBC.getOrDefault(k, k);
      if (!key.equals("user") && !key.equals("password")) {
        config.addDataSourceProperty(key, v);
      }
    });
    if (s.sslMode() != null) {
      config.addDataSourceProperty("sslmode", s.sslMode());
    }
    if (s.sslRootCert() != null) {
      config.addDataSourceProperty("sslrootcert", s.sslRootCert());
    }
    if (!cs.parameters().containsKey("application_name") && !cs.parameters().containsKey("ApplicationName")) {
      config.addDataSourceProperty("ApplicationName", s.applicationName());
    }
    // What makes the pool safe behind a transaction-mode pooler; it overrides anything in the string.
    config.addDataSourceProperty("prepareThreshold", "0");
    config.addDataSourceProperty("preparedStatementCacheQueries", "0");
    config.addDataSourceProperty("preparedStatementCacheSizeMiB", "0");
    // Strings reach the server untyped, so it infers timestamptz, uuid or numeric from the column.
    config.addDataSourceProperty("stringtype", "unspecified");
    config.addDataSourceProperty("tcpKeepAlive", "true");
    if (!cs.parameters().containsKey("connect_timeout") && !cs.parameters().containsKey("connectTimeout")) {
      config.addDataSourceProperty("connectTimeout", String.valueOf(seconds(s.connectTimeout())));
    }
    config.addDataSourceProperty("socketTimeout", String.valueOf(seconds(s.socketTimeout())));
    config.setMaximumPoolSize(s.maximumPoolSize());
    config.setMinimumIdle(Math.min(2, s.maximumPoolSize()));
    config.setConnectionTimeout(Math.max(250, s.connectionTimeout().toMillis()));
    config.setValidationTimeout(Math.max(250, Math.min(s.connectionTimeout().toMillis() - 1, 3_000)));
    config.setMaxLifetime(Math.max(30_000, s.maxLifetime().toMillis()));
    // HikariCP otherwise learns the default isolation from its first connection; if that connection is killed
    // while being set up it remembers -1 and every later connection fails ("isolation level -1 not supported").
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    // Start even when the database is down: holdfast's guard retries, and the first call reports the failure.
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }

  private static long seconds(Duration d) {
    return d.isZero() ? 0 : Math.max(1, (d.toMillis() + 999) / 1000);
  }
}
