package dev.holdfast.jdbc.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.jdbc.JdbcTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Raw SQL on a transaction's connection, each statement one-shot and bounded by what remains of the attempt.
 * Internal; confined to the unit's thread.
 */
public final class RawTransaction implements JdbcTransaction {
  private final Connection conn;
  private final Deadline deadline;

  public RawTransaction(Connection conn, Deadline deadline) {
    this.conn = conn;
    this.deadline = deadline;
  }

  @Override
  public long update(String sql, Object... params) {
    try (PreparedStatement ps = prepare(sql, params)) {
      return ps.executeLargeUpdate();
    } catch (SQLException e) {
      throw sneaky(e);
    }
  }

  @Override
  public List<ObjectNode> query(String sql, Object... params) {
    try (PreparedStatement ps = prepare(sql, params); ResultSet rs = ps.executeQuery()) {
      List<ObjectNode> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(RowReader.read(rs));
      }
      return rows;
    } catch (SQLException e) {
      throw sneaky(e);
    }
  }

  private PreparedStatement prepare(String sql, Object... params) throws SQLException {
    Objects.requireNonNull(sql, "sql");
    PreparedStatement ps = Statements.prepare(conn, sql);
    try {
      Statements.timeout(ps, deadline);
      for (int i = 0; i < params.length; i++) {
        Values.bindJava(ps, i + 1, params[i]);
      }
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  @Override
  public Connection connection() {
    return conn;
  }

  @Override
  public Duration remaining() {
    return Duration.ofMillis(deadline.remainingMillis());
  }

  /** Rethrows a SQLException unchecked, so the unit's code stays plain and the engine classifies it. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
    throw (E) e;
  }
}
