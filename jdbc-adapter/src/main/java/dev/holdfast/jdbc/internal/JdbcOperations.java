package dev.holdfast.jdbc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.CallContext;
import dev.holdfast.Filter;
import dev.holdfast.HoldfastException;
import dev.holdfast.Identifier;
import dev.holdfast.Query;
import dev.holdfast.SchemaMismatchException;
import dev.holdfast.spi.RowCursor;
import dev.holdfast.spi.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Backend operations as SQL: one statement per call (insert and upsert chunks are one statement each),
 * values bound, identifiers quoted. Internal; thread-safe.
 */
public final class JdbcOperations {
  /** PostgreSQL's protocol allows 65,535 parameters; stay well inside it. */
  static final int MAX_PARAMS = 32_000;

  private final Connections connections;
  private final TableTypes types;

  public JdbcOperations(Connections connections, String backend) {
    this.connections = connections;
    this.types = new TableTypes(backend);
  }

  public List<ObjectNode> select(CallContext ctx, TableRef table, Query query) {
    SqlText sql = new SqlText().append("SELECT ").append(SqlText.columns(table)).append(" FROM ")
        .append(SqlText.table(table)).where(query.filter()).orderBy(query.order()).limitOffset(query);
    return guarded(table, () -> connections.read(ctx, (c, d) ->
        Statements.query(c, sql, typesFor(c, table, query.filter(), d), d.requireRemainingMillis())));
  }

  public long count(CallContext ctx, TableRef table, Filter filter) {
    SqlText sql = new SqlText().append("SELECT count(*) AS n FROM ").append(SqlText.table(table)).where(filter);
    return guarded(table, () -> connections.read(ctx, (c, d) ->
        Statements.query(c, sql, typesFor(c, table, filter, d), d.requireRemainingMillis()).get(0).get("n")
            .longValue()));
  }

  public RowCursor stream(CallContext ctx, TableRef table, Query query, int fetchSize) {
    SqlText sql = new SqlText().append("SELECT ").append(SqlText.columns(table)).append(" FROM ")
        .append(SqlText.table(table)).where(query.filter()).orderBy(query.order()).limitOffset(query);
    Connections.Lease lease = connections.openForCursor(ctx);
    Deadline d = Deadline.after(ctx.timeout());
    PreparedStatement ps = null;
    try {
      Map<String, String> t = typesFor(lease.connection(), table, query.filter(), d);
      ps = lease.connection().prepareStatement(sql.sql());
      // Inside a transaction with a fetch size, pgjdbc reads through a portal a batch at a time: memory stays
      // bounded, and the transaction pins one server connection, so this works behind transaction pooling.
      ps.setFetchSize(Math.max(1, fetchSize));
      Statements.timeout(ps, d.requireRemainingMillis());
      Statements.bind(ps, sql, t);
      ResultSet rs = ps.executeQuery();
      return new Cursor(lease, ps, rs);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(ps);
      lease.rollbackQuietly();
      lease.close();
      forgetOnSchemaChange(table, e);
      throw connections.classify(e, SqlFailures.Phase.UNKNOWN);
    }
  }

  public List<ObjectNode> insert(CallContext ctx, TableRef table, List<ObjectNode> rows) {
    return write(ctx, table, rows, null);
  }

  public List<ObjectNode> upsert(CallContext ctx, TableRef table, List<ObjectNode> rows, List<String> conflict) {
    if (conflict.isEmpty()) {
      throw new IllegalArgumentException("an upsert needs at least one conflict column");
    }
    conflict.forEach(c -> Identifier.require(c, "conflict column"));
    return write(ctx, table, lastPerKey(rows, conflict), conflict);
  }

  private List<ObjectNode> write(CallContext ctx, TableRef table, List<ObjectNode> rows, List<String> conflict) {
    if (rows.isEmpty()) {
      return List.of();
    }
    List<String> columns = new ArrayList<>();
    rows.get(0).fieldNames().forEachRemaining(c -> columns.add(Identifier.require(c, "column")));
    int perStatement = columns.isEmpty() ? 1 : Math.max(1, MAX_PARAMS / columns.size());
    return guarded(table, () -> connections.write(ctx, (c, d) -> {
      Map<String, String> t = types.of(c, table, (int) d.requireRemainingMillis());
      List<ObjectNode> stored = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i += perStatement) {
        SqlText sql = insertSql(table, columns, rows.subList(i, Math.min(rows.size(), i + perStatement)), conflict);
        stored.addAll(Statements.query(c, sql, t, d.requireRemainingMillis()));
      }
      return stored;
    }));
  }

  private static SqlText insertSql(TableRef table, List<String> columns, List<ObjectNode> rows,
      List<String> conflict) {
    SqlText sql = new SqlText().append("INSERT INTO ").append(SqlText.table(table));
    if (columns.isEmpty()) {
      sql.append(" DEFAULT VALUES");
    } else {
      sql.append(" (").append(String.join(", ", columns.stream().map(SqlText::quote).toList())).append(") VALUES ");
      for (int r = 0; r < rows.size(); r++) {
        sql.append(r == 0 ? "(" : ", (");
        for (int i = 0; i < columns.size(); i++) {
          sql.append(i == 0 ? "" : ", ");
          JsonNode v = rows.get(r).get(columns.get(i));
          sql.param(v == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : v, columns.get(i));
        }
        sql.append(")");
      }
    }
    if (conflict != null) {
      sql.append(" ON CONFLICT (").append(String.join(", ", conflict.stream().map(SqlText::quote).toList()))
          .append(") DO UPDATE SET ");
      List<String> updated = columns.stream().filter(c -> !conflict.contains(c)).toList();
      // With nothing else to set, "update" the key to itself so RETURNING still yields the existing row.
      List<String> set = updated.isEmpty() ? List.of(conflict.get(0)) : updated;
      sql.append(String.join(", ", set.stream().map(c -> SqlText.quote(c) + " = EXCLUDED." + SqlText.quote(c))
          .toList()));
    }
    return sql.append(" RETURNING ").append(SqlText.columns(table));
  }

  /** One row per key, the last one winning: ON CONFLICT cannot touch the same row twice in one statement. */
  private static List<ObjectNode> lastPerKey(List<ObjectNode> rows, List<String> conflict) {
    Map<List<String>, ObjectNode> byKey = new LinkedHashMap<>();
    for (ObjectNode row : rows) {
      List<String> key = conflict.stream().map(c -> String.valueOf(row.get(c))).toList();
      byKey.remove(key);
      byKey.put(key, row);
    }
    return byKey.size() == rows.size() ? rows : new ArrayList<>(byKey.values());
  }

  public List<ObjectNode> update(CallContext ctx, TableRef table, Filter filter, ObjectNode changes) {
    if (changes.isEmpty()) {
      return select(ctx, table, Query.where(filter));
    }
    SqlText sql = new SqlText().append("UPDATE ").append(SqlText.table(table)).append(" SET ");
    Iterator<Map.Entry<String, JsonNode>> it = changes.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      sql.append(SqlText.quote(e.getKey())).append(" = ").param(e.getValue(), e.getKey());
      sql.append(it.hasNext() ? ", " : "");
    }
    sql.where(filter).append(" RETURNING ").append(SqlText.columns(table));
    return guarded(table, () -> connections.write(ctx, (c, d) ->
        Statements.query(c, sql, types.of(c, table, (int) d.requireRemainingMillis()), d.requireRemainingMillis())));
  }

  public long delete(CallContext ctx, TableRef table, Filter filter) {
    SqlText sql = new SqlText().append("DELETE FROM ").append(SqlText.table(table)).where(filter);
    return guarded(table, () -> connections.write(ctx, (c, d) ->
        Statements.update(c, sql, typesFor(c, table, filter, d), d.requireRemainingMillis())));
  }

  /** Column types when the filter binds values (to type json and bytea values); none otherwise. */
  private Map<String, String> typesFor(Connection c, TableRef table, Filter filter, Deadline d) throws SQLException {
    return Query.isMatchAll(filter) ? Map.of() : types.of(c, table, (int) d.requireRemainingMillis());
  }

  private <T> T guarded(TableRef table, java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      forgetOnSchemaChange(table, e);
      throw e;
    }
  }

  private void forgetOnSchemaChange(TableRef table, Exception e) {
    if (e instanceof SchemaMismatchException || (e instanceof HoldfastException h
        && h.code().filter(code -> code.startsWith("42")).isPresent())) {
      types.forget(table);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // Already failing; the original failure is what matters.
      }
    }
  }

  /** Rows from an open portal; releases the connection when exhausted or closed. Not thread-safe. */
  private final class Cursor implements RowCursor {
    private final Connections.Lease lease;
    private final PreparedStatement ps;
    private final ResultSet rs;
    private ObjectNode next;
    private boolean done;

    Cursor(Connections.Lease lease, PreparedStatement ps, ResultSet rs) {
      this.lease = lease;
      this.ps = ps;
      this.rs = rs;
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (done) {
        return false;
      }
      try {
        if (rs.next()) {
          next = RowReader.read(rs);
          return true;
        }
      } catch (SQLException | RuntimeException e) {
        close();
        throw connections.classify(e, SqlFailures.Phase.UNKNOWN);
      }
      close();
      return false;
    }

    @Override
    public ObjectNode next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      ObjectNode row = next;
      next = null;
      return row;
    }

    @Override
    public void close() {
      if (done) {
        return;
      }
      done = true;
      closeQuietly(rs);
      closeQuietly(ps);
      lease.rollbackQuietly();
      lease.close();
    }
  }
}
