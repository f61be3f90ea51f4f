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
   * Applies {@code millis} as the statement's timeout (pgjdbc cancels the statement on the server when it ends)
   * and keeps the statement unnamed on the server even when a wrapped DataSource has prepared statements on.
   */
  public static void timeout(PreparedStatement ps, long millis) throws SQLException {
    OneShot.configure(ps, millis);
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
      long timeoutMillis, RowParser<T> parser) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(text.sql())) {
      timeout(ps, timeoutMillis);
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
      long timeoutMillis) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(text.sql())) {
      timeout(ps, timeoutMillis);
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
  public static long update(java.sql.Connection conn, SqlText text, Map<String, String> types, long timeoutMillis)
      throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(text.sql())) {
      timeout(ps, timeoutMillis);
      bind(ps, text, types);
      return ps.executeLargeUpdate();
    }
  }
}
