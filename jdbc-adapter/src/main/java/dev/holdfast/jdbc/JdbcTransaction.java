package dev.holdfast.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;

/**
 * The open transaction a unit of work runs in, handed to {@link JdbcTransactions#inTransaction}. Parameters are
 * bound by their Java type (strings untyped, so the server infers timestamptz, uuid or numeric from context); each
 * statement is bounded by what remains of the attempt's timeout. Valid only inside the unit; not thread-safe.
 */
public interface JdbcTransaction {
  /**
   * Runs an INSERT, UPDATE, DELETE or DDL statement with {@code params} bound to its {@code ?} placeholders.
   *
   * @return the number of rows affected
   */
  long update(String sql, Object... params);

  /** Runs a query with {@code params} bound to its placeholders; rows as JSON objects keyed by column label. */
  List<ObjectNode> query(String sql, Object... params);

  /**
   * The underlying connection, for code that needs plain JDBC. Do not commit, roll back, close it or change its
   * auto-commit mode: holdfast does that. Prefer {@code SET LOCAL} over {@code SET}, which would leak to other
   * clients behind a transaction-mode pooler.
   */
  Connection connection();

  /** What remains of the attempt's time. */
  Duration remaining();
}
