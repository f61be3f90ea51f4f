package dev.holdfast.jdbc.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs {@link SqlText} statements: binds, applies the timeout, reads rows. Internal; stateless. */
public final class Statements {
  private Statements() {}

  /**
   * What starts the text of every statement holdfast sends. pgjdbc caches statements per connection by their
   * text, and a statement the connection's other users ran often enough is named on the server; holdfast's
   * statement would then reuse that name whatever its own {@code prepareThreshold}, and behind a transaction
   * pooler the name may stand for another client's statement on the server it reaches, which then runs in its
   * place without an error (an acknowledged write lost). Text of its own keeps holdfast's cache entries apart,
   * and so always unnamed.
   */
  static final String MARK = "/* holdfast */ ";

  /** {@code conn.prepareStatement} of {@code sql} as holdfast's own text ({@link #MARK}). */
  public static PreparedStatement prepare(java.sql.Connection conn, String sql) throws SQLException {
    return conn.prepareStatement(MARK.concat(sql));
  }

  /**
   * Applies {@code millis} as the statement's timeout (pgjdbc cancels the statement on the server when it ends)
   * and keeps the statement unnamed on the server even when a wrapped DataSource has prepared statements on.
   */
  public static void timeout(PreparedStatement ps, long millis) throws SQLException {
    OneShot.configure(ps, millis);
  }

  /**
   * Bounds the statement by {@code d}: by a statement timeout of its own only when no {@link StatementWatch}
   * bounds its connection already (a wrapped DataSource that is not pgjdbc's), since pgjdbc arms a timer task per
   * execution for it. Either way it stays unnamed on the server.
   *
   * @throws dev.holdfast.TransientException before sending anything when the attempt is out of time
   */
  public static void timeout(PreparedStatement ps, Deadline d) throws SQLException {
    long millis = d.requireRemainingMillis();
    if (d.watched()) {
      OneShot.keepUnnamed(ps);
    } else {
      OneShot.configure(ps, millis);
    }
  }

  /** Binds {@code text}'s parameters, typing each by its column where the column's type is known. */
  public static void bind(PreparedStatement ps, SqlText text, Map<String, String> types) throws SQLException {
    int i = 1;
    for (SqlText.Param p : text.params()) {
      if (p.binder() != null) {
        p.binder().bind(ps, i++, p.value());
      } else {
        Values.bind(ps, i++, p.value(), p.column(), p.column() == null ? null : types.get(p.column()));
      }
    }
  }

  /** Reads one row of a result. */
  @FunctionalInterface
  public interface RowParser<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Runs a query and reads every row with {@code parser}. */
  public static <T> List<T> query(java.sql.Connection conn, SqlText text, Map<String, String> types,
      Deadline deadline, RowParser<T> parser) throws SQLException {
    try (PreparedStatement ps = prepare(conn, text.sql())) {
      timeout(ps, deadline);
      bind(ps, text, types);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(parser.read(rs));
        }
        return rows;
      }
    }
  }

  /** Runs a query and reads every row. */
  public static List<ObjectNode> query(java.sql.Connection conn, SqlText text, Map<String, String> types,
      Deadline deadline) throws SQLException {
    try (PreparedStatement ps = prepare(conn, text.sql())) {
      timeout(ps, deadline);
      bind(ps, text, types);
      try (ResultSet rs = ps.executeQuery()) {
        List<ObjectNode> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(RowReader.read(rs));
        }
        return rows;
      }
    }
  }

  /** Runs an update and returns its count. */
  public static long update(java.sql.Connection conn, SqlText text, Map<String, String> types, Deadline deadline)
      throws SQLException {
    try (PreparedStatement ps = prepare(conn, text.sql())) {
      timeout(ps, deadline);
      bind(ps, text, types);
      return ps.executeLargeUpdate();
    }
  }
}
