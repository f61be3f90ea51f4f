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
  private static final String SQL = "SELECT a.attname, t.typname, "
      + "pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(t.typname) "
      + "FROM pg_catalog.pg_attribute a "
      + "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
      + "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
      + "WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped";

  private final Map<String, Map<String, String>> byTable = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> arrayCasts = new ConcurrentHashMap<>();
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
    Map<String, String> casts = new HashMap<>();
    try (PreparedStatement ps = Statements.prepare(conn, SQL)) {
      Statements.timeout(ps, timeoutMillis);
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          types.put(rs.getString(1), rs.getString(2));
          String cast = arrayCast(rs.getString(2), rs.getString(3));
          if (cast != null) {
            casts.put(rs.getString(1), cast);
          }
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
    arrayCasts.put(key, Map.copyOf(casts));
    byTable.put(key, frozen);
    return frozen;
  }

  /**
   * Column name to the array type its values travel in when many rows go as one array per column ({@code
   * unnest}), such as {@code pg_catalog.timestamptz[]} or {@code "Odd Schema"."Mood"[]}: the type's own name,
   * schema-qualified and quoted, without the column's modifier, so that a value too long for a {@code varchar(5)}
   * fails on assignment as it would in a VALUES list instead of being cut by a length cast. Never the SQL spelling
   * ({@code format_type}): {@code character} and {@code bit} without a length mean length 1, and a cast to them
   * truncates.
   * Columns that cannot travel so are absent: array columns ({@code unnest} would flatten them) and {@code box}
   * (whose array elements are separated by semicolons). Empty until {@link #of} has read the table.
   */
  public Map<String, String> arrayCasts(TableRef table) {
    return arrayCasts.getOrDefault(SqlText.table(table), Map.of());
  }

  private static String arrayCast(String typname, String formatted) {
    if (typname == null || formatted == null || typname.startsWith("_") || typname.equals("box")) {
      return null;
    }
    return formatted + "[]";
  }

  /** Forgets what is cached for {@code table}, after a failure that suggests its shape changed. */
  public void forget(TableRef table) {
    byTable.remove(SqlText.table(table));
    arrayCasts.remove(SqlText.table(table));
  }
}
