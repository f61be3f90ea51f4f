package dev.holdfast.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** HikariCP pools for the harness. */
final class Pools {
  private Pools() {}

  /**
   * A pool with the driver settings holdfast's own pools use (server-side prepared statements off, untyped
   * strings, keep-alive, 60 s socket timeout). Both sides of every JDBC comparison share one such pool.
   */
  static HikariDataSource poolerSafe(String jdbcUrl, int size) {
    HikariConfig config = base(jdbcUrl, size);
    config.addDataSourceProperty("prepareThreshold", "0");
    config.addDataSourceProperty("preparedStatementCacheQueries", "0");
    config.addDataSourceProperty("preparedStatementCacheSizeMiB", "0");
    config.addDataSourceProperty("stringtype", "unspecified");
    config.addDataSourceProperty("tcpKeepAlive", "true");
    config.addDataSourceProperty("socketTimeout", "60");
    return new HikariDataSource(config);
  }

  /** A pool with pgjdbc's default settings (server-side prepared statements after 5 executions). */
  static HikariDataSource driverDefaults(String jdbcUrl, int size) {
    return new HikariDataSource(base(jdbcUrl, size));
  }

  private static HikariConfig base(String jdbcUrl, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    config.setConnectionTimeout(5_000);
    config.setInitializationFailTimeout(-1);
    return config;
  }
}
