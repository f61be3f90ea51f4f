package dev.holdfast.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.jdbc.ConnectionString;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the HikariCP pool holdfast owns when given a connection string. Every connection has server-side
 * prepared statements off ({@code prepareThreshold=0}, no statement cache), so nothing named outlives a
 * transaction and the pool works behind PgBouncer or Supabase's pooler in transaction mode. Internal.
 */
public final class Pools {
  private static final AtomicInteger COUNT = new AtomicInteger();

  private Pools() {}

  /** The settings a pool is built from. */
  /**
   * @param targetServerType pgjdbc's role for the pool's connections, overriding the string's; null keeps the
   *     string's, or {@code primary} for a multi-host string without one
   */
  public record Settings(int maximumPoolSize, Duration connectionTimeout, Duration connectTimeout,
      Duration socketTimeout, Duration maxLifetime, String sslMode, String sslRootCert, String applicationName,
      String targetServerType) {
    public Settings withTargetServerType(String target) {
      return new Settings(maximumPoolSize, connectionTimeout, connectTimeout, socketTimeout, maxLifetime, sslMode,
          sslRootCert, applicationName, target);
    }

    public Settings withMaximumPoolSize(int size) {
      return new Settings(size, connectionTimeout, connectTimeout, socketTimeout, maxLifetime, sslMode,
          sslRootCert, applicationName, targetServerType);
    }
  }

  /** The role a pool for {@code cs} asks for: the string's, or {@code primary} when it lists several hosts. */
  public static String targetServerType(ConnectionString cs) {
    String given = cs.parameter("targetServerType").orElse(cs.parameter("target_session_attrs")
        .map(v -> Parameters.pgjdbcValue("target_session_attrs", v)).orElse(null));
    if (given != null) {
      return given;
    }
    // With several hosts pgjdbc's default, any, takes the first that answers, replica or not: writes then fail.
    return cs.hosts().size() > 1 ? "primary" : null;
  }

  /** A pool and the connector that opens its connections. */
  public record Pool(HikariDataSource dataSource, Connector connector) {}

  public static Pool create(ConnectionString cs, Settings s) {
    Properties props = new Properties();
    cs.user().ifPresent(u -> props.setProperty("user", u));
    cs.password().ifPresent(p -> props.setProperty("password", p));
    // libpq's names and values become pgjdbc's, whichever form the string was written in.
    cs.parameters().forEach((k, v) -> {
      if (Parameters.passedToDriver(k) && !k.equals("user") && !k.equals("password")) {
        props.setProperty(Parameters.pgjdbcName(k), Parameters.pgjdbcValue(k, v));
      }
    });
    if (s.sslMode() != null) {
      props.setProperty("sslmode", s.sslMode());
    }
    if (s.sslRootCert() != null) {
      props.setProperty("sslrootcert", s.sslRootCert());
    }
    String target = s.targetServerType() != null ? s.targetServerType() : targetServerType(cs);
    if (target != null) {
      props.remove("target_session_attrs");
      props.setProperty("targetServerType", target);
      // pgjdbc remembers each host's role for hostRecheckSeconds (10 s by default): after a switchover it would
      // go on skipping the new primary and trying the old one for that long.
      props.putIfAbsent("hostRecheckSeconds", "1");
    }
    if (!props.containsKey("ApplicationName")) {
      props.setProperty("ApplicationName", s.applicationName());
    }
    // What makes the pool safe behind a transaction-mode pooler; it overrides anything in the string.
    props.setProperty("prepareThreshold", "0");
    props.setProperty("preparedStatementCacheQueries", "0");
    props.setProperty("preparedStatementCacheSizeMiB", "0");
    // Strings reach the server untyped, so it infers timestamptz, uuid or numeric from the column.
    props.setProperty("stringtype", "unspecified");
    props.setProperty("tcpKeepAlive", "true");
    if (!props.containsKey("connectTimeout")) {
      props.setProperty("connectTimeout", String.valueOf(seconds(s.connectTimeout())));
    }
    props.setProperty("socketTimeout", String.valueOf(seconds(s.socketTimeout())));
    Connector connector = Connector.pgjdbc(cs.toJdbcUrl(), props, address(cs));

    HikariConfig config = new HikariConfig();
    config.setPoolName("holdfast-" + COUNT.incrementAndGet());
    config.setDataSource(connector);
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
    return new Pool(new HikariDataSource(config), connector);
  }

  /** {@code host:port}, as headlines show it. */
  static String address(ConnectionString cs) {
    return String.join(",", cs.hosts().stream().map(ConnectionString.Host::toString).toList());
  }

  private static long seconds(Duration d) {
    return d.isZero() ? 0 : Math.max(1, (d.toMillis() + 999) / 1000);
  }
}
