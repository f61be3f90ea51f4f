package dev.holdfast.jdbc.internal;

import dev.holdfast.CallContext;
import dev.holdfast.Filter;
import dev.holdfast.HoldfastException;
import dev.holdfast.Identifier;
import dev.holdfast.Query;
import dev.holdfast.SchemaMismatchException;
import dev.holdfast.WriteMode;
import dev.holdfast.spi.RowCursor;
import dev.holdfast.spi.TableMapping;
import dev.holdfast.spi.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Backend operations as SQL: one statement per call (insert and upsert chunks are one statement each),
 * values bound, identifiers quoted, rows read and written through each table's {@link RecordCodec}. Internal;
 * thread-safe.
 */
public final class JdbcOperations {
  /** PostgreSQL's protocol allows 65,535 parameters; stay well inside it. */
  static final int MAX_PARAMS = 32_000;
  /** Binds text of unspecified type: the cast beside the placeholder says what the server reads it as. */
  private static final SqlText.Binder UNTYPED = (ps, index, value) -> ps.setObject(index, value, Types.OTHER);
  private static final int MAX_CODECS = 1_024;

  private final Source source;
  private final TableTypes types;
  /** Each table's codec, compiled from its mapping and column types; dropped with the types. */
  private final Map<TableMapping<?>, RecordCodec<?>> codecs;

  public JdbcOperations(Connections connections, String backend) {
    this(Source.pooled(connections), new TableTypes(backend), new ConcurrentHashMap<>());
  }

  /** Operations whose reads go through {@code routing}, to replicas when it has them. */
  public JdbcOperations(Connections connections, ReadRouting routing, String backend) {
    this(Source.routed(connections, routing), new TableTypes(backend), new ConcurrentHashMap<>());
  }

  private JdbcOperations(Source source, TableTypes types, Map<TableMapping<?>, RecordCodec<?>> codecs) {
    this.source = source;
    this.types = types;
    this.codecs = codecs;
  }

  /** These operations on {@code source} instead (a transaction's connection), sharing types and codecs. */
  public JdbcOperations on(Source other) {
    return new JdbcOperations(other, types, codecs);
  }

  public <T> List<T> select(CallContext ctx, TableMapping<T> table, Query query) {
    SqlText sql = selectSql(table.ref(), query);
    return guarded(table.ref(), () -> source.read(ctx, (c, d) -> {
      RecordCodec<T> codec = codec(c, table, d);
      return Statements.query(c, sql, types(c, table.ref(), d), d, codec::read);
    }));
  }

  public long count(CallContext ctx, TableRef table, Filter filter) {
    SqlText sql = new SqlText().append("SELECT count(*) AS n FROM ").append(SqlText.table(table)).where(filter);
    return guarded(table, () -> source.read(ctx, (c, d) ->
        Statements.query(c, sql, typesFor(c, table, filter, d), d, rs -> rs.getLong(1))
            .get(0)));
  }

  public <T> RowCursor<T> stream(CallContext ctx, TableMapping<T> table, Query query, int fetchSize) {
    SqlText sql = selectSql(table.ref(), query);
    Source.Cursor lease = source.cursor(ctx);
    Deadline d = lease.deadline();
    PreparedStatement ps = null;
    try {
      Connection c = lease.connection();
      RecordCodec<T> codec = codec(c, table, d);
      Map<String, String> t = types(c, table.ref(), d);
      ps = Statements.prepare(c, sql.sql());
      // Inside a transaction with a fetch size, pgjdbc reads through a portal a batch at a time: memory stays
      // bounded, and the transaction pins one server connection, so this works behind transaction pooling.
      ps.setFetchSize(Math.max(1, fetchSize));
      Statements.timeout(ps, d);
      Statements.bind(ps, sql, t);
      ResultSet rs = ps.executeQuery();
      return new Cursor<>(lease, ps, rs, codec);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(ps);
      lease.close();
      forgetOnSchemaChange(table.ref(), e);
      throw source.classify(e, SqlFailures.Phase.UNKNOWN);
    }
  }

  public <T> List<T> insert(CallContext ctx, TableMapping<T> table, List<T> rows, List<String> columns,
      WriteMode mode) {
    return write(ctx, table, rows, columns, null, mode);
  }

  public <T> List<T> upsert(CallContext ctx, TableMapping<T> table, List<T> rows, List<String> conflict,
      WriteMode mode) {
    if (conflict.isEmpty()) {
      throw new IllegalArgumentException("an upsert needs at least one conflict column");
    }
    conflict.forEach(c -> Identifier.require(c, "conflict column"));
    return write(ctx, table, lastPerKey(table, rows, conflict), table.columns(), conflict, mode);
  }

  private <T> List<T> write(CallContext ctx, TableMapping<T> table, List<T> rows, List<String> columns,
      List<String> conflict, WriteMode mode) {
    if (rows.isEmpty()) {
      return List.of();
    }
    int[] components = new int[columns.size()];
    for (int i = 0; i < components.length; i++) {
      components[i] = table.indexOf(Identifier.require(columns.get(i), "column"));
      if (components[i] < 0) {
        throw new IllegalArgumentException("no component maps to column " + columns.get(i));
      }
    }
    int perStatement = columns.isEmpty() ? 1 : Math.max(1, MAX_PARAMS / columns.size());
    return guarded(table.ref(), () -> source.write(ctx, mode, (c, d) -> {
      RecordCodec<T> codec = codec(c, table, d);
      Map<String, String> t = types(c, table.ref(), d);
      List<String> casts = arrayCasts(table.ref(), columns);
      if (casts != null && rows.size() > 1) {
        // Every row in one statement whatever its size: one array per column, not one parameter per value.
        return Statements.query(c, unnestSql(table, codec, columns, casts, components, rows, conflict), t, d,
            codec::read);
      }
      List<T> stored = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i += perStatement) {
        List<T> chunk = rows.subList(i, Math.min(rows.size(), i + perStatement));
        SqlText sql = insertSql(table, codec, columns, components, chunk, conflict);
        stored.addAll(Statements.query(c, sql, t, d, codec::read));
      }
      return stored;
    }));
  }

  /** The array type of each of {@code columns}, in order, or null when one of them cannot travel as an array. */
  private List<String> arrayCasts(TableRef table, List<String> columns) {
    if (columns.isEmpty()) {
      return null;
    }
    Map<String, String> all = types.arrayCasts(table);
    List<String> casts = new ArrayList<>(columns.size());
    for (String column : columns) {
      String cast = all.get(column);
      if (cast == null) {
        return null;
      }
      casts.add(cast);
    }
    return casts;
  }

  /**
   * Many rows as {@code INSERT ... SELECT * FROM unnest($1::t1[], $2::t2[], ...)}: one array literal per column,
   * each element the text the one-row form would bind ({@link RecordCodec#text}), so the stored rows are the same
   * (a value the column cannot take fails on assignment, as it does in a VALUES list). Measured against the VALUES
   * form for 10,000 rows in 500-row statements (docs/benchmarks.md, section 4): the server parses two parameters
   * instead of a thousand and the statement text is the same for every chunk; pgjdbc's rewritten batch is beaten
   * by this, not by the VALUES list.
   */
  private static <T> SqlText unnestSql(TableMapping<T> table, RecordCodec<T> codec, List<String> columns,
      List<String> casts, int[] components, List<T> rows, List<String> conflict) {
    SqlText sql = new SqlText().append("INSERT INTO ").append(SqlText.table(table.ref())).append(" (")
        .append(String.join(", ", columns.stream().map(SqlText::quote).toList())).append(") SELECT * FROM unnest(");
    for (int i = 0; i < components.length; i++) {
      StringBuilder literal = new StringBuilder(rows.size() * 12 + 2).append('{');
      for (int r = 0; r < rows.size(); r++) {
        if (r > 0) {
          literal.append(',');
        }
        Values.appendArrayElement(literal, codec.text(components[i], table.get(rows.get(r), components[i])));
      }
      sql.append(i == 0 ? "" : ", ").param(literal.append('}').toString(), columns.get(i), UNTYPED)
          .append("::").append(casts.get(i));
    }
    sql.append(")");
    return conflict(sql, columns, conflict).append(" RETURNING ").append(SqlText.columns(table.ref()));
  }

  private static <T> SqlText insertSql(TableMapping<T> table, RecordCodec<T> codec, List<String> columns,
      int[] components, List<T> rows, List<String> conflict) {
    SqlText sql = new SqlText().append("INSERT INTO ").append(SqlText.table(table.ref()));
    if (columns.isEmpty()) {
      sql.append(" DEFAULT VALUES");
    } else {
      sql.append(" (").append(String.join(", ", columns.stream().map(SqlText::quote).toList())).append(") VALUES ");
      for (int r = 0; r < rows.size(); r++) {
        sql.append(r == 0 ? "(" : ", (");
        T row = rows.get(r);
        for (int i = 0; i < components.length; i++) {
          sql.append(i == 0 ? "" : ", ");
          sql.param(table.get(row, components[i]), columns.get(i), codec.binder(components[i]));
        }
        sql.append(")");
      }
    }
    return conflict(sql, columns, conflict).append(" RETURNING ").append(SqlText.columns(table.ref()));
  }

  /** Appends the upsert's {@code ON CONFLICT ... DO UPDATE}, when {@code conflict} names its columns. */
  private static SqlText conflict(SqlText sql, List<String> columns, List<String> conflict) {
    if (conflict != null) {
      sql.append(" ON CONFLICT (").append(String.join(", ", conflict.stream().map(SqlText::quote).toList()))
          .append(") DO UPDATE SET ");
      List<String> updated = columns.stream().filter(c -> !conflict.contains(c)).toList();
      // With nothing else to set, "update" the key to itself so RETURNING still yields the existing row.
      List<String> set = updated.isEmpty() ? List.of(conflict.get(0)) : updated;
      sql.append(String.join(", ", set.stream().map(c -> SqlText.quote(c) + " = EXCLUDED." + SqlText.quote(c))
          .toList()));
    }
    return sql;
  }

  /** One row per key, the last one winning: ON CONFLICT cannot touch the same row twice in one statement. */
  private static <T> List<T> lastPerKey(TableMapping<T> table, List<T> rows, List<String> conflict) {
    Map<List<Object>, T> byKey = new LinkedHashMap<>();
    for (T row : rows) {
      List<Object> key = new ArrayList<>(conflict.size());
      for (String c : conflict) {
        key.add(String.valueOf(table.get(row, c)));
      }
      byKey.remove(key);
      byKey.put(key, row);
    }
    return byKey.size() == rows.size() ? rows : new ArrayList<>(byKey.values());
  }

  public <T> List<T> update(CallContext ctx, TableMapping<T> table, Filter filter, Map<String, Object> changes,
      WriteMode mode) {
    if (changes.isEmpty()) {
      return select(ctx, table, Query.where(filter));
    }
    changes.keySet().forEach(c -> Identifier.require(c, "column"));
    return guarded(table.ref(), () -> source.write(ctx, mode, (c, d) -> {
      RecordCodec<T> codec = codec(c, table, d);
      Map<String, String> t = types(c, table.ref(), d);
      SqlText sql = new SqlText().append("UPDATE ").append(SqlText.table(table.ref())).append(" SET ");
      int n = 0;
      for (Map.Entry<String, Object> e : changes.entrySet()) {
        int i = table.indexOf(e.getKey());
        sql.append(n++ == 0 ? "" : ", ").append(SqlText.quote(e.getKey())).append(" = ");
        // A value of the component's own type binds as the component would; anything else (a column the record
        // does not hold, a Map for a jsonb column) goes as JSON, by the column's type.
        boolean own = i >= 0 && e.getValue() != null && wrap(table.rawType(i)).isInstance(e.getValue());
        String type = t.get(e.getKey());
        sql.param(e.getValue(), e.getKey(), own ? codec.binder(i) : (ps, index, value) ->
            Values.bind(ps, index, value == null ? null : table.valueToJson(value), e.getKey(), type));
      }
      sql.where(filter).append(" RETURNING ").append(SqlText.columns(table.ref()));
      return Statements.query(c, sql, t, d, codec::read);
    }));
  }

  public long delete(CallContext ctx, TableRef table, Filter filter, WriteMode mode) {
    SqlText sql = new SqlText().append("DELETE FROM ").append(SqlText.table(table)).where(filter);
    return guarded(table, () -> source.write(ctx, mode, (c, d) ->
        Statements.update(c, sql, typesFor(c, table, filter, d), d)));
  }

  private static Class<?> wrap(Class<?> c) {
    if (!c.isPrimitive()) {
      return c;
    }
    return java.lang.invoke.MethodType.methodType(c).wrap().returnType();
  }

  /** {@code SELECT <columns> FROM <table>} per table, quoted once: every read starts with it. */
  private static final Map<TableRef, String> SELECT_HEADS = new java.util.concurrent.ConcurrentHashMap<>();

  private static SqlText selectSql(TableRef table, Query query) {
    String head = SELECT_HEADS.get(table);
    if (head == null) {
      head = "SELECT " + SqlText.columns(table) + " FROM " + SqlText.table(table);
      if (SELECT_HEADS.size() >= MAX_CODECS) {
        SELECT_HEADS.clear(); // tables made per call must not grow this without bound
      }
      SELECT_HEADS.put(table, head);
    }
    return new SqlText().append(head).where(query.filter()).orderBy(query.order()).limitOffset(query);
  }

  private Map<String, String> types(Connection c, TableRef table, Deadline d) throws SQLException {
    return types.of(c, table, (int) d.requireRemainingMillis());
  }

  /** Column types when the filter binds values (to type json and bytea values); none otherwise. */
  private Map<String, String> typesFor(Connection c, TableRef table, Filter filter, Deadline d) throws SQLException {
    return Query.isMatchAll(filter) ? Map.of() : types(c, table, d);
  }

  @SuppressWarnings("unchecked")
  private <T> RecordCodec<T> codec(Connection c, TableMapping<T> table, Deadline d) throws SQLException {
    RecordCodec<?> cached = codecs.get(table);
    if (cached == null) {
      cached = RecordCodec.of(table, types(c, table.ref(), d));
      if (codecs.size() >= MAX_CODECS) {
        // Mappings made per call (rather than once per table) must not grow this without bound.
        codecs.clear();
      }
      codecs.put(table, cached);
    }
    return (RecordCodec<T>) cached;
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
      codecs.keySet().removeIf(m -> m.ref().equals(table));
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
  private final class Cursor<T> implements RowCursor<T> {
    private final Source.Cursor lease;
    private final PreparedStatement ps;
    private final ResultSet rs;
    private final RecordCodec<T> codec;
    private T next;
    private boolean done;

    Cursor(Source.Cursor lease, PreparedStatement ps, ResultSet rs, RecordCodec<T> codec) {
      this.lease = lease;
      this.ps = ps;
      this.rs = rs;
      this.codec = codec;
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
          next = codec.read(rs);
          return true;
        }
      } catch (SQLException | RuntimeException e) {
        close();
        throw source.classify(e, SqlFailures.Phase.UNKNOWN);
      }
      close();
      return false;
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      T row = next;
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
      lease.close();
    }
  }
}
