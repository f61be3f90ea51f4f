package dev.holdfast.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.postgresql.jdbc.PgStatement;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * Statements that are never named on the server, and transaction ends whose effect is read back. Internal;
 * stateless.
 *
 * <p>Why holdfast ends transactions itself rather than with {@link Connection#commit()}: pgjdbc sends COMMIT as a
 * statement prepared once per connection, and on a connection whose {@code prepareThreshold} is not 0 it is a
 * named server-side statement ({@code S_1}, ...) from the first commit on. Behind a transaction-mode pooler the
 * next COMMIT's Bind reaches whichever server connection the transaction runs on, where that name may belong to
 * another client's statement: the COMMIT then never runs, or runs another client's statement, and pgjdbc reports
 * success. Setting the threshold to 0 later does not help, because a statement already named stays named. A
 * one-shot COMMIT is parsed, bound and run together on the server connection that holds the transaction, so it
 * cannot land on anything else; and the server's transaction status after it (every reply carries one) must say
 * that no transaction is open, or nothing is acknowledged.
 */
public final class OneShot {
  private OneShot() {}

  /**
   * Keeps {@code statement} unnamed on the server whatever the connection's settings, and bounds it by
   * {@code timeoutMillis} (pgjdbc cancels it on the server when the time is up).
   */
  public static void configure(Statement statement, long timeoutMillis) throws SQLException {
    long ms = Math.max(1, timeoutMillis);
    if (statement.isWrapperFor(PgStatement.class)) {
      PgStatement pg = statement.unwrap(PgStatement.class);
      pg.setPrepareThreshold(0);
      pg.setQueryTimeoutMs(ms);
    } else {
      statement.setQueryTimeout((int) Math.max(1, (ms + 999) / 1000));
    }
  }

  /** Keeps {@code statement} unnamed on the server whatever the connection's settings. */
  public static void keepUnnamed(Statement statement) throws SQLException {
    if (statement.isWrapperFor(PgStatement.class)) {
      statement.unwrap(PgStatement.class).setPrepareThreshold(0);
    }
  }

  /**
   * Commits the open transaction with a one-shot COMMIT and checks the server's answer.
   *
   * @throws SQLException with SQLSTATE {@code 25P02} when the server had already aborted the transaction (a
   *     statement in it failed): nothing was committed; with {@code 08P01} when the server still reports an open
   *     transaction after the COMMIT: nothing was committed either, and the connection must not be reused
   */
  public static void commit(Connection conn) throws SQLException {
    BaseConnection pg = pgjdbc(conn);
    if (pg == null) {
      conn.commit();
      return;
    }
    TransactionState before = pg.getTransactionState();
    if (before == TransactionState.IDLE) {
      return;
    }
    if (before == TransactionState.FAILED) {
      // pgjdbc would send COMMIT, the server would answer ROLLBACK, and pgjdbc would report success.
      throw new PSQLException("The transaction was aborted by a statement that failed inside it, so it was "
          + "rolled back, not committed", PSQLState.IN_FAILED_SQL_TRANSACTION);
    }
    run(conn, "COMMIT");
    if (pg.getTransactionState() != TransactionState.IDLE) {
      throw new PSQLException("The server did not confirm the COMMIT (it still reports an open transaction), so "
          + "nothing was committed", PSQLState.PROTOCOL_VIOLATION);
    }
  }

  /** Rolls back the open transaction, if any, with a one-shot ROLLBACK. */
  public static void rollback(Connection conn) throws SQLException {
    BaseConnection pg = pgjdbc(conn);
    if (pg == null) {
      conn.rollback();
      return;
    }
    if (pg.getTransactionState() != TransactionState.IDLE) {
      run(conn, "ROLLBACK");
    }
  }

  /** Whether the server reports no open transaction on {@code conn}; true when it cannot be read. */
  public static boolean isIdle(Connection conn) throws SQLException {
    BaseConnection pg = pgjdbc(conn);
    return pg == null || pg.getTransactionState() == TransactionState.IDLE;
  }

  private static void run(Connection conn, String sql) throws SQLException {
    try (Statement s = conn.createStatement()) {
      if (s.isWrapperFor(PgStatement.class)) {
        s.unwrap(PgStatement.class).setPrepareThreshold(0);
      }
      s.execute(Statements.MARK.concat(sql));
    }
  }

  private static BaseConnection pgjdbc(Connection conn) throws SQLException {
    return conn.isWrapperFor(BaseConnection.class) ? conn.unwrap(BaseConnection.class) : null;
  }
}
