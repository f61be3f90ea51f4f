package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Filter;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Order;
import dev.holdfast.Query;
import dev.holdfast.SchemaMismatchException;
import dev.holdfast.spi.TableRef;
import dev.holdfast.testkit.internal.MemoryTable;
import dev.holdfast.testkit.internal.RowMatcher;
import dev.holdfast.testkit.internal.RowOrdering;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A small in-memory database of JSON rows with PostgreSQL's semantics where holdfast relies on them: SQL NULL
 * and three-valued logic, type-aware comparison, {@code LIKE} escapes, NULL ordering, identity columns,
 * primary-key and unique constraints with PostgreSQL's constraint names and SQLSTATEs, atomic multi-row
 * statements. InMemoryBackend serves it as a holdfast backend; MockPostgrest serves it over HTTP.
 *
 * <p>Thread-safe: each operation runs alone and atomically. Rows are deep-copied on the way in and out, so
 * callers cannot change stored state by mutating what they passed or got back.
 *
 * <pre>{@code
 * InMemoryDatabase db = new InMemoryDatabase();
 * db.createTable("public", "tasks", "id", true);
 * db.createKeyValueTable("public", "settings");
 * }</pre>
 *
 * <p>Operations take a {@link TableRef} and read its schema, name and columns (which must exist when the table
 * declares columns); the id column always comes from the table's {@link TableSpec}.
 */
public final class InMemoryDatabase {
  private static final String BACKEND = "memory";

  private final Clock clock;
  private final Map<String, MemoryTable> tables = new HashMap<>();

  /** An empty database whose {@code default now()} columns use the system clock. */
  public InMemoryDatabase() {
    this(Clock.systemUTC());
  }

  /** An empty database whose {@code default now()} columns read {@code clock}. */
  public InMemoryDatabase(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Creates a table that accepts any column, with primary key {@code idColumn}.
   *
   * @param generatedId whether a missing or null id gets the next identity value (1, 2, ...)
   * @param uniqueColumns columns that each get a unique constraint ({@code <table>_<column>_key})
   * @throws IllegalStateException if the table exists
   */
  public void createTable(String schema, String name, String idColumn, boolean generatedId,
      String... uniqueColumns) {
    TableSpec.Builder spec = TableSpec.builder(schema, name).id(idColumn, generatedId);
    for (String column : uniqueColumns) {
      spec.unique(column);
    }
    createTable(spec.build());
  }

  /**
   * Creates a table as {@code spec} describes.
   *
   * @throws IllegalStateException if the table exists
   */
  public synchronized void createTable(TableSpec spec) {
    String key = spec.schema() + "." + spec.name();
    if (tables.containsKey(key)) {
      throw new IllegalStateException("Table " + key + " already exists");
    }
    tables.put(key, new MemoryTable(spec, clock));
  }

  /**
   * Creates a key-value table like holdfast's KeyValueStore expects: {@code key text primary key, value jsonb
   * not null, updated_at timestamptz not null default now()}.
   */
  public void createKeyValueTable(String schema, String name) {
    createTable(TableSpec.builder(schema, name).id("key", false).columns("value", "updated_at")
        .notNull("value", "updated_at").defaultNow("updated_at").build());
  }

  /** Drops {@code schema.name}; returns whether it existed. */
  public synchronized boolean dropTable(String schema, String name) {
    return tables.remove(schema + "." + name) != null;
  }

  /** The spec of {@code schema.name}, when the table exists. */
  public synchronized java.util.Optional<TableSpec> spec(String schema, String name) {
    MemoryTable t = tables.get(schema + "." + name);
    return t == null ? java.util.Optional.empty() : java.util.Optional.of(t.spec());
  }

  /** Whether {@code schema.name} exists. */
  public synchronized boolean hasTable(String schema, String name) {
    return tables.containsKey(schema + "." + name);
  }

  /** Empties every table and restarts identities, like {@code TRUNCATE ... RESTART IDENTITY}; keeps the tables. */
  public synchronized void clear() {
    tables.values().forEach(MemoryTable::truncate);
  }

  /** Empties one table and restarts its identity. */
  public synchronized void truncate(String schema, String name) {
    table(new TableRef(schema, name, "id", List.of())).truncate();
  }

  /** The rows matching {@code query}, in its order, within its limit and offset. */
  public synchronized List<ObjectNode> select(TableRef ref, Query query) {
    MemoryTable t = table(ref);
    checkColumns(t, RowMatcher.columns(query.filter()));
    checkColumns(t, query.order().stream().map(Order::column).toList());
    List<ObjectNode> found = matching(t, query.filter());
    RowOrdering.sort(found, query.order());
    int from = (int) Math.min(found.size(), query.offset());
    int to = query.limit().isPresent() ? (int) Math.min(found.size(), (long) from + query.limit().getAsInt())
        : found.size();
    return copies(found.subList(from, to));
  }

  /** How many rows match {@code filter}. */
  public synchronized long count(TableRef ref, Filter filter) {
    MemoryTable t = table(ref);
    checkColumns(t, RowMatcher.columns(filter));
    return matching(t, filter).size();
  }

  /**
   * Inserts {@code rows} atomically and returns them as stored.
   *
   * @throws dev.holdfast.ConflictException on a duplicate key ({@code <table>_pkey}) or unique value (SQLSTATE
   *     23505), or a NULL in a NOT NULL column (23502); then nothing is inserted
   */
  public synchronized List<ObjectNode> insert(TableRef ref, List<ObjectNode> rows) {
    MemoryTable t = table(ref);
    rows.forEach(r -> checkColumns(t, fieldNames(r)));
    return t.atomically(() -> {
      List<ObjectNode> stored = new ArrayList<>(rows.size());
      for (ObjectNode given : rows) {
        ObjectNode row = t.newRow(given);
        t.add(row);
        stored.add(row);
      }
      return copies(stored);
    });
  }

  /**
   * Inserts {@code rows}, or where a row with the same {@code conflictColumns} exists, sets the columns the new
   * row gives on it (like {@code ON CONFLICT (...) DO UPDATE SET c = excluded.c}); atomic; returns the rows as
   * stored.
   *
   * @throws InvalidRequestException if {@code conflictColumns} are not the primary key or a unique constraint
   *     (42P10), or two rows share a key (21000)
   */
  public synchronized List<ObjectNode> upsert(TableRef ref, List<ObjectNode> rows, List<String> conflictColumns) {
    MemoryTable t = table(ref);
    checkColumns(t, conflictColumns);
    rows.forEach(r -> checkColumns(t, fieldNames(r)));
    if (!t.isConstraint(conflictColumns)) {
      throw invalid("42P10", "there is no unique or exclusion constraint matching the ON CONFLICT specification "
          + conflictColumns, "Upsert on the primary key or on the columns of a unique constraint.");
    }
    return t.atomically(() -> {
      List<ObjectNode> stored = new ArrayList<>(rows.size());
      Set<ObjectNode> touched = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (ObjectNode given : rows) {
        int at = t.find(conflictColumns, given);
        ObjectNode row;
        if (at < 0) {
          row = t.newRow(given);
          t.add(row);
        } else {
          if (touched.contains(t.rows().get(at))) {
            throw invalid("21000", "ON CONFLICT DO UPDATE command cannot affect row a second time",
                "Send each key once per upsert.");
          }
          row = t.rows().get(at).deepCopy();
          given.fields().forEachRemaining(e -> row.set(e.getKey(), e.getValue().deepCopy()));
          t.replace(at, row);
        }
        touched.add(row);
        stored.add(row);
      }
      return copies(stored);
    });
  }

  /** Sets {@code changes} on the rows matching {@code filter}, atomically; returns the updated rows. */
  public synchronized List<ObjectNode> update(TableRef ref, Filter filter, ObjectNode changes) {
    MemoryTable t = table(ref);
    checkColumns(t, RowMatcher.columns(filter));
    checkColumns(t, fieldNames(changes));
    return t.atomically(() -> {
      List<ObjectNode> updated = new ArrayList<>();
      List<ObjectNode> rows = t.rows();
      for (int i = 0; i < rows.size(); i++) {
        if (RowMatcher.matches(rows.get(i), filter)) {
          ObjectNode row = rows.get(i).deepCopy();
          changes.fields().forEachRemaining(e -> row.set(e.getKey(), e.getValue().deepCopy()));
          t.replace(i, row);
          updated.add(row);
        }
      }
      return copies(updated);
    });
  }

  /** Deletes the rows matching {@code filter}; returns how many were deleted. */
  public synchronized long delete(TableRef ref, Filter filter) {
    MemoryTable t = table(ref);
    checkColumns(t, RowMatcher.columns(filter));
    return t.atomically(() -> {
      long deleted = 0;
      for (int i = t.rows().size() - 1; i >= 0; i--) {
        if (RowMatcher.matches(t.rows().get(i), filter)) {
          t.remove(i);
          deleted++;
        }
      }
      return deleted;
    });
  }

  /**
   * Runs {@code work} as one transaction: other calls on this database wait until it ends, and if it throws, every
   * row it inserted, changed or deleted is as before (tables it created or dropped stay so, as DDL is outside the
   * transactions this models).
   *
   * @throws Exception what {@code work} threw, after undoing its changes
   */
  public synchronized <R> R inTransaction(java.util.concurrent.Callable<R> work) throws Exception {
    Map<MemoryTable, Object> saved = new java.util.IdentityHashMap<>();
    tables.values().forEach(t -> saved.put(t, t.snapshot()));
    try {
      return work.call();
    } catch (Exception | Error e) {
      saved.forEach(MemoryTable::restore);
      throw e;
    }
  }

  /**
   * Makes the table's next generated id at least {@code lastUsed + 1} (like {@code SELECT setval(...)} after
   * loading rows with explicit ids), so that later inserts without an id do not collide. Never moves it back.
   *
   * @throws dev.holdfast.SchemaMismatchException if the table does not exist
   */
  public synchronized void advanceIdentity(String schema, String name, long lastUsed) {
    table(new TableRef(schema, name, "id", List.of())).advanceIdentity(lastUsed);
  }

  private MemoryTable table(TableRef ref) {
    Objects.requireNonNull(ref, "table");
    MemoryTable t = tables.get(ref.schema() + "." + ref.name());
    if (t == null) {
      throw new SchemaMismatchException("relation \"" + ref.qualifiedName() + "\" does not exist",
          ErrorDetails.of(BACKEND).withCode("42P01").withHint("Create the table first (InMemoryDatabase.createTable,"
              + " or run your migrations)."), null);
    }
    checkColumns(t, ref.columns());
    return t;
  }

  private static void checkColumns(MemoryTable t, Collection<String> columns) {
    List<String> known = t.spec().columns();
    if (known.isEmpty()) {
      return;
    }
    for (String c : columns) {
      if (!known.contains(c)) {
        throw new SchemaMismatchException("column \"" + c + "\" of relation \"" + t.spec().name()
            + "\" does not exist", ErrorDetails.of(BACKEND).withCode("42703")
            .withHint("Check the column's name, or add it to the table."), null);
      }
    }
  }

  private static List<ObjectNode> matching(MemoryTable t, Filter filter) {
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode row : t.rows()) {
      if (RowMatcher.matches(row, filter)) {
        out.add(row);
      }
    }
    return out;
  }

  private static List<String> fieldNames(ObjectNode row) {
    List<String> names = new ArrayList<>(row.size());
    for (Iterator<String> it = row.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static List<ObjectNode> copies(List<ObjectNode> rows) {
    List<ObjectNode> out = new ArrayList<>(rows.size());
    for (ObjectNode row : rows) {
      out.add(row.deepCopy());
    }
    return out;
  }

  private static InvalidRequestException invalid(String code, String message, String hint) {
    return new InvalidRequestException(message, ErrorDetails.of(BACKEND).withCode(code).withHint(hint), null);
  }

  @Override
  public synchronized String toString() {
    return "InMemoryDatabase" + new java.util.TreeSet<>(tables.keySet());
  }
}
