package dev.holdfast.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.ConfigurationException;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Secrets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.jdbc.PreferQueryMode;
import org.postgresql.ds.common.BaseDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a user's DataSource may be used: one whose connections use server-side prepared statements
 * (pgjdbc's default, {@code prepareThreshold=5}) while a transaction-mode pooler sits in front of PostgreSQL is
 * refused, with the setting to change. Internal; stateless.
 *
 * <p>Why refuse rather than switch prepared statements off on each leased connection: such a pool is broken for
 * every user of it, not only for holdfast. Its other code gets {@code 42P05}/{@code 26000} errors and, worse,
 * Binds that land on another client's statement; and a connection that has already run statements keeps them named
 * (pgjdbc's own COMMIT among them), which no later setting undoes. Only the pool's configuration fixes that, so
 * holdfast says which setting to change instead of quietly working around it for its own statements. (Its own
 * statements and COMMITs are one-shot whatever the pool says, see {@link OneShot}, so a pool that holdfast cannot
 * judge is still safe for holdfast.)
 *
 * <p>A transaction-mode pooler is recognised by the URL (port 6543, {@code pgbouncer=true}), by the user saying so,
 * or by the server's behaviour ({@link PoolerProbe}); a user who knows their pooler runs in session mode says so
 * and no probe runs.
 */
public final class PoolerSettings {
  private static final Logger LOG = LoggerFactory.getLogger(PoolerSettings.class);

  /** What to change, for every kind of pool a user may have built. */
  public static final String PREPARED_HINT = "Turn pgjdbc's server-side prepared statements off for this pool: "
      + "prepareThreshold=0 on the JDBC URL; for HikariCP config.addDataSourceProperty(\"prepareThreshold\", \"0\"); "
      + "in Spring Boot spring.datasource.hikari.data-source-properties.prepareThreshold=0; for a "
      + "PGSimpleDataSource setPrepareThreshold(0). Or connect in session mode or directly (Supabase: port 5432).";

  private PoolerSettings() {}

  /**
   * Checks what can be read without connecting (pgjdbc data sources and HikariCP pools over pgjdbc): refuses a
   * pool that the URL or the user says is behind a transaction pooler while its prepared statements are on.
   *
   * @param declared true or false when the user said whether a transaction pooler is in between; null when not
   */
  public static void checkConfigured(DataSource ds, Boolean declared) {
    if (Boolean.FALSE.equals(declared)) {
      return;
    }
    if (ds instanceof BaseDataSource pg) {
      refuseIfPooled(pg.getUrl(), pg.getPrepareThreshold(), declared);
    } else if (ds instanceof HikariDataSource hikari) {
      if (hikari.getDataSource() != null) {
        checkConfigured(hikari.getDataSource(), declared);
      } else if (hikari.getJdbcUrl() != null) {
        refuseIfPooled(hikari.getJdbcUrl(), threshold(hikari.getJdbcUrl(), hikari.getDataSourceProperties()),
            declared);
      }
    }
  }

  /**
   * Checks a live connection from the user's DataSource: reads its prepared-statement settings and, when they are
   * on and nobody said what is in between, probes the path ({@link PoolerProbe}), borrowing a second connection
   * with {@code second}.
   *
   * @param bound how long any one probe statement may take
   * @throws ConfigurationException when the connection would use server-side prepared statements through a
   *     transaction-mode pooler
   */
  public static void checkConnection(Connection conn, Boolean declared,
      Function<Duration, Optional<Connection>> second, Duration bound) throws SQLException {
    if (!conn.isWrapperFor(PGConnection.class) || Boolean.FALSE.equals(declared)) {
      return;
    }
    PGConnection pg = conn.unwrap(PGConnection.class);
    int threshold = pg.getPrepareThreshold();
    if (threshold <= 0 || pg.getPreferQueryMode() == PreferQueryMode.SIMPLE) {
      return;
    }
    String url = conn.getMetaData().getURL();
    if (Boolean.TRUE.equals(declared) || (url != null && looksLikeTransactionPooler(url))) {
      throw refusal(url, threshold, Boolean.TRUE.equals(declared) ? "declared with transactionPooler(true)"
          : "its URL names one");
    }
    PoolerProbe.Finding finding = PoolerProbe.run(conn, second, bound);
    switch (finding.path()) {
      case TRANSACTION_POOLER -> throw refusal(url, threshold, finding.evidence());
      case POOLER, UNKNOWN -> LOG.warn("holdfast could not tell whether {} is behind a transaction-mode pooler "
          + "({}). holdfast's own statements never use server-side prepared statements; if it is one, the "
          + "pool's other users need prepareThreshold=0 (prepareThreshold is {} now). Say which with "
          + "JdbcBackend.Builder.transactionPooler(...).", Secrets.redact(String.valueOf(url)), finding.evidence(),
          threshold);
      default -> LOG.debug("wrapped DataSource path: {} ({})", finding.path(), finding.evidence());
    }
  }

  private static int threshold(String url, Properties props) {
    String fromProps = props == null ? null : props.getProperty("prepareThreshold");
    String fromUrl = parameter(url, "prepareThreshold").orElse(null);
    String value = fromProps != null ? fromProps : fromUrl;
    try {
      return value == null ? 5 : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return 5;
    }
  }

  private static void refuseIfPooled(String url, int prepareThreshold, Boolean declared) {
    if (prepareThreshold <= 0 || url == null) {
      return;
    }
    if (Boolean.TRUE.equals(declared)) {
      throw refusal(url, prepareThreshold, "declared with transactionPooler(true)");
    }
    if (looksLikeTransactionPooler(url)) {
      throw refusal(url, prepareThreshold, "its URL names one");
    }
  }

  private static ConfigurationException refusal(String url, int threshold, String evidence) {
    return new ConfigurationException("The DataSource reaches PostgreSQL through a transaction-mode pooler ("
        + evidence + (url == null ? "" : "; " + Secrets.redact(url)) + ") while pgjdbc's server-side prepared "
        + "statements are on (prepareThreshold=" + threshold + "): statements and COMMITs would land on other "
        + "clients' server connections, and acknowledged writes could be lost", ErrorDetails.of("jdbc")
        .withHint(PREPARED_HINT), null);
  }

  /** Whether {@code url} names a transaction-mode pooler by its conventions. */
  public static boolean looksLikeTransactionPooler(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    return lower.matches(".*//[^/?]*:6543(/.*|\\?.*|)$") || parameter(url, "pgbouncer").filter("true"::equals)
        .isPresent();
  }

  private static Optional<String> parameter(String url, String name) {
    int q = url.indexOf('?');
    if (q < 0) {
      return Optional.empty();
    }
    for (String pair : url.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equalsIgnoreCase(name)) {
        return Optional.of(pair.substring(eq + 1));
      }
    }
    return Optional.empty();
  }
}
