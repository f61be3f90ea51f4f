package dev.holdfast.jdbc;

import dev.holdfast.jdbc.internal.SqlFailures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * An opt-in self-test that tells whether a DataSource's path to PostgreSQL is safe behind a transaction-mode
 * pooler. Two connections take turns running the same parameterised statement eight times each, every run in its
 * own transaction. With server-side prepared statements on (pgjdbc's default after five runs) and a pooler that
 * hands transactions to whichever server connection is free, the second connection's statement meets the first
 * one's name ({@code 42P05}) or misses its own ({@code 26000}); with {@code prepareThreshold=0}, or a direct
 * connection, every run succeeds. The test only reads.
 *
 * <pre>{@code
 * PoolerSafetyCheck.Result result = PoolerSafetyCheck.run(dataSource, Duration.ofSeconds(10));
 * if (!result.safe()) {
 *   log.error("Unsafe database path: {}", result.advice());
 * }
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class PoolerSafetyCheck {
  /** Runs per connection: more than pgjdbc's default prepareThreshold of five. */
  static final int RUNS_PER_CONNECTION = 8;

  private PoolerSafetyCheck() {}

  /**
   * The outcome.
   *
   * @param safe whether every run succeeded
   * @param runs how many statements ran
   * @param failures how many failed
   * @param sqlStates the SQLSTATEs of the failures
   * @param advice one line saying what to change, or an empty string when safe
   */
  public record Result(boolean safe, int runs, int failures, Set<String> sqlStates, String advice) {
    public Result {
      sqlStates = Set.copyOf(sqlStates);
      Objects.requireNonNull(advice, "advice");
    }
  }

  /**
   * Runs the self-test on two connections from {@code dataSource}, each statement bounded by {@code timeout}.
   *
   * @throws NullPointerException if an argument is null
   * @throws dev.holdfast.HoldfastException if no connection can be opened at all (classified)
   */
  public static Result run(DataSource dataSource, Duration timeout) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(timeout, "timeout");
    int runs = 0;
    List<String> states = new ArrayList<>();
    try (Connection a = dataSource.getConnection(); Connection b = dataSource.getConnection()) {
      boolean aAuto = a.getAutoCommit();
      boolean bAuto = b.getAutoCommit();
      try (PreparedStatement pa = a.prepareStatement("SELECT ?::int + 1 AS holdfast_pooler_check");
          PreparedStatement pb = b.prepareStatement("SELECT ?::int + 1 AS holdfast_pooler_check")) {
        a.setAutoCommit(false);
        b.setAutoCommit(false);
        for (int i = 0; i < RUNS_PER_CONNECTION; i++) {
          for (Connection c : List.of(a, b)) {
            runs++;
            String state = runOnce(c, c == a ? pa : pb, i, timeout);
            if (state != null) {
              states.add(state);
            }
          }
        }
      } finally {
        restore(a, aAuto, states);
        restore(b, bAuto, states);
      }
    } catch (SQLException e) {
      if (!isStatementFailure(e)) {
        throw SqlFailures.classify(e, "jdbc", SqlFailures.Phase.CONNECT).orElseThrow();
      }
      // pgjdbc prepares its own BEGIN too, so the collision can surface outside the statement itself.
      states.add(e.getSQLState());
    }
    boolean safe = states.isEmpty();
    String advice = safe ? "" : "Statements failed with SQLSTATE " + new LinkedHashSet<>(states)
        + ": a transaction-mode pooler sits in front of PostgreSQL while server-side prepared statements are on. "
        + "Set prepareThreshold=0 and preparedStatementCacheQueries=0, or use session mode (port 5432).";
    return new Result(safe, runs, states.size(), new LinkedHashSet<>(states), advice);
  }

  /** One transaction with one run of the statement; the failure's SQLSTATE, or null on success. */
  private static String runOnce(Connection c, PreparedStatement ps, int i, Duration timeout) throws SQLException {
    try {
      ps.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
      ps.setInt(1, i);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
      }
      c.commit();
      return null;
    } catch (SQLException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // The connection may be broken; the failure itself is what the test reports.
      }
      if (!isStatementFailure(e)) {
        throw e;
      }
      return e.getSQLState();
    }
  }

  private static void restore(Connection c, boolean autoCommit, List<String> states) throws SQLException {
    try {
      c.setAutoCommit(autoCommit);
    } catch (SQLException e) {
      if (!isStatementFailure(e)) {
        throw e;
      }
      states.add(e.getSQLState());
    }
  }

  /** A failure of a statement on a working connection, rather than of the connection itself. */
  private static boolean isStatementFailure(SQLException e) {
    String state = e.getSQLState();
    return state != null && !state.startsWith("08") && !state.startsWith("28") && !state.equals("3D000")
        && !state.startsWith("57P");
  }
}
