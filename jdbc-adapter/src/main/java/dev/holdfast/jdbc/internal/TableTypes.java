package dev.holdfast.jdbc.internal;

import dev.holdfast.ErrorDetails;
import dev.holdfast.SchemaMismatchException;
import dev.holdfast.spi.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The column types of each table, read once from the catalog and cached, so values can be bound by the column's
 * type (json, bytea, arrays). Also turns a missing table or column into a {@link SchemaMismatchException} before
 * a statement is sent. Internal; thread-safe.
 */
public final class TableTypes {
  private static final String SQL = "SELECT a.attname, t.typname FROM pg_catalog.pg_attribute a "
      + "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
      + "WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped";

  private final Map<String, Map<String, String>> byTable = new ConcurrentHashMap<>();
  private final String backend;

  public TableTypes(String backend) {
    this.backend = backend;
  }

  /** Column name to PostgreSQL type name (such as {@code jsonb}, {@code _int4}) for {@code table}. */
  public Map<String, String> of(Connection conn, TableRef table, int timeoutMillis) throws SQLException {
    String key = SqlText.table(table);
    Map<String, String> cached = byTable.get(key);
    if (cached != null) {
      return cached;
    }
    Map<String, String> types = new HashMap<>();
    try (PreparedStatement ps = Statements.prepare(conn, SQL)) {
      Statements.timeout(ps, timeoutMillis);
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          types.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    if (types.isEmpty()) {
      throw new SchemaMismatchException("Table " + table.qualifiedName() + " does not exist",
          ErrorDetails.of(backend).withCode("42P01").withHint("Create the table (has the migration run?)."), null);
    }
    for (String column : table.columns()) {
      if (!types.containsKey(column)) {
        throw new SchemaMismatchException("Table " + table.qualifiedName() + " has no column " + column,
            ErrorDetails.of(backend).withCode("42703").withHint("Add the column, or rename the record component."),
            null);
      }
    }
    Map<String, String> frozen = Map.copyOf(types);
    byTable.put(key, frozen);
    return frozen;
  }

  /** Forgets what is cached for {@code table}, after a failure that suggests its shape changed. */
  public void forget(TableRef table) {
    byTable.remove(SqlText.table(table));
  }
}
