package dev.holdfast.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.ConfigurationException;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Secrets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.ds.common.BaseDataSource;

/**
 * Detects a user's DataSource that points at a transaction-mode pooler while pgjdbc's server-side prepared
 * statements are still on, which fails under load with 42P05/26000 once a statement has run five times. Signals
 * of a transaction-mode pooler: port 6543 (Supabase's transaction pooler), {@code pgbouncer=true} in the URL, or
 * the user saying so. Internal; stateless.
 */
public final class PoolerSettings {
  private PoolerSettings() {}

  /** Checks what can be read without connecting: pgjdbc data sources and HikariCP pools over pgjdbc. */
  public static void checkConfigured(DataSource ds, boolean declaredTransactionPooler) {
    if (ds instanceof BaseDataSource pg) {
      String url = pg.getUrl();
      require(url, pg.getPrepareThreshold(), declaredTransactionPooler);
    } else if (ds instanceof HikariDataSource hikari) {
      if (hikari.getDataSource() != null) {
        checkConfigured(hikari.getDataSource(), declaredTransactionPooler);
      } else if (hikari.getJdbcUrl() != null) {
        require(hikari.getJdbcUrl(), threshold(hikari.getJdbcUrl(), hikari.getDataSourceProperties()),
            declaredTransactionPooler);
      }
    }
  }

  /** Checks a live connection from the user's DataSource. */
  public static void checkConnection(Connection conn, boolean declaredTransactionPooler) {
    try {
      if (!conn.isWrapperFor(PGConnection.class)) {
        return;
      }
      int threshold = conn.unwrap(PGConnection.class).getPrepareThreshold();
      require(conn.getMetaData().getURL(), threshold, declaredTransactionPooler);
    } catch (SQLException e) {
      // Not a pgjdbc connection we can inspect; the self-test is still available.
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

  private static void require(String url, int prepareThreshold, boolean declared) {
    if (prepareThreshold <= 0 || url == null) {
      return;
    }
    if (!declared && !looksLikeTransactionPooler(url)) {
      return;
    }
    throw new ConfigurationException("The DataSource points at a transaction-mode pooler (" + Secrets.redact(url)
        + ") but pgjdbc's server-side prepared statements are on (prepareThreshold=" + prepareThreshold + ")",
        ErrorDetails.of("jdbc").withHint(SqlFailures.PREPARED_HINT), null);
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
