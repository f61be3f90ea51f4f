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
import dev.holdfast.testkit.internal.rest.PgError;
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
  private long schemaVersion;

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
    schemaVersion++;
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
    boolean existed = tables.remove(schema + "." + name) != null;
    schemaVersion++;
    return existed;
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
   *     23505), a NULL in a NOT NULL column (23502) or a missing referenced row (23503); then nothing is inserted
   */
  public synchronized List<ObjectNode> insert(TableRef ref, List<ObjectNode> rows) {
    MemoryTable t = table(ref);
    rows.forEach(r -> checkColumns(t, fieldNames(r)));
    return transaction(tx -> {
      List<ObjectNode> stored = new ArrayList<>(rows.size());
      for (ObjectNode given : rows) {
        stored.add(tx.insert(t, given));
      }
      tx.endStatement();
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
      throw DatabaseTx.noConstraint();
    }
    return transaction(tx -> {
      List<ObjectNode> stored = new ArrayList<>(rows.size());
      Set<ObjectNode> touched = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (ObjectNode given : rows) {
        ObjectNode existing = tx.conflicting(t, conflictColumns, given);
        ObjectNode row;
        if (existing == null) {
          row = tx.insert(t, given);
        } else {
          if (touched.contains(existing)) {
            throw cardinality();
          }
          row = tx.update(t, existing, given);
        }
        touched.add(row);
        stored.add(row);
      }
      tx.endStatement();
      return copies(stored);
    });
  }

  /** 21000 for an upsert that would change one row twice, as PostgreSQL words it. */
  static InvalidRequestException cardinality() {
    String message = "ON CONFLICT DO UPDATE command cannot affect row a second time";
    String hint = "Ensure that no rows proposed for insertion within the same command have duplicate constrained "
        + "values.";
    return new InvalidRequestException(message, ErrorDetails.of(BACKEND).withCode("21000")
        .withHint("Send each key once per upsert."), new PgError("21000", message, null, hint));
  }

  /** Sets {@code changes} on the rows matching {@code filter}, atomically; returns the updated rows. */
  public synchronized List<ObjectNode> update(TableRef ref, Filter filter, ObjectNode changes) {
    MemoryTable t = table(ref);
    checkColumns(t, RowMatcher.columns(filter));
    checkColumns(t, fieldNames(changes));
    return transaction(tx -> {
      List<ObjectNode> updated = new ArrayList<>();
      for (ObjectNode row : List.copyOf(t.rows())) {
        if (RowMatcher.matches(row, filter)) {
          updated.add(tx.update(t, row, changes));
        }
      }
      tx.endStatement();
      return copies(updated);
    });
  }

  /** Deletes the rows matching {@code filter}; returns how many were deleted. */
  public synchronized long delete(TableRef ref, Filter filter) {
    MemoryTable t = table(ref);
    checkColumns(t, RowMatcher.columns(filter));
    return transaction(tx -> {
      long deleted = 0;
      for (ObjectNode row : List.copyOf(t.rows())) {
        if (RowMatcher.matches(row, filter)) {
          tx.delete(t, row);
          deleted++;
        }
      }
      tx.endStatement();
      return deleted;
    });
  }

  /**
   * Runs {@code work} as one transaction: other calls on this database wait until it ends, and if it throws, every
   * row it inserted, changed or deleted is as before (tables it created or dropped stay so, as DDL is outside the
   * transactions this models, and generated ids are not given back, as sequences are not).
   *
   * @throws Exception what {@code work} threw, after undoing its changes
   */
  public <R> R inTransaction(java.util.concurrent.Callable<R> work) throws Exception {
    try {
      return transaction(tx -> {
        try {
          return work.call();
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new CheckedFailure(e);
        }
      });
    } catch (CheckedFailure e) {
      throw (Exception) e.getCause();
    }
  }

  /** Carries a checked exception out of {@link #transaction}, which rolls back on unchecked ones. */
  private static final class CheckedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CheckedFailure(Exception cause) {
      super(cause);
    }
  }

  /**
   * Runs {@code work} as one transaction under this database's lock; if it throws, every write it made is undone.
   * MockPostgrest runs each request this way.
   */
  synchronized <T> T transaction(java.util.function.Function<DatabaseTx, T> work) {
    DatabaseTx outer = CURRENT.get();
    DatabaseTx tx = new DatabaseTx(this, outer != null && outer.database() == this ? outer : null);
    CURRENT.set(tx);
    try {
      return work.apply(tx);
    } catch (RuntimeException | Error e) {
      tx.rollback();
      throw e;
    } finally {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  /** The transaction running on this thread, which a nested one joins as a savepoint. */
  private static final ThreadLocal<DatabaseTx> CURRENT = new ThreadLocal<>();

  /** How many times a table was created or dropped: MockPostgrest's schema cache compares it. */
  synchronized long schemaVersion() {
    return schemaVersion;
  }

  /** The table, or null. Callers hold the lock. */
  MemoryTable tableOrNull(String schema, String name) {
    return tables.get(schema + "." + name);
  }

  /** The specs of every table, by {@code schema.name}. */
  synchronized Map<String, TableSpec> specs() {
    Map<String, TableSpec> out = new java.util.TreeMap<>();
    tables.forEach((k, t) -> out.put(k, t.spec()));
    return out;
  }

  /** 23503 unless every foreign key of {@code row} finds its referenced row. */
  void checkReferences(MemoryTable t, ObjectNode row) {
    for (TableSpec.ForeignKey fk : t.spec().foreignKeys()) {
      boolean anyNull = fk.columns().stream().anyMatch(c -> DatabaseTx.isNull(row.get(c)));
      MemoryTable target = tables.get(fk.schema() + "." + fk.table());
      if (anyNull || target == null) {
        continue;
      }
      ObjectNode probe = row.objectNode();
      for (int i = 0; i < fk.columns().size(); i++) {
        probe.set(fk.refColumns().get(i), row.get(fk.columns().get(i)));
      }
      if (!contains(target, fk.refColumns(), probe)) {
        throw DatabaseTx.foreignKey("insert or update on table \"" + t.spec().name() + "\" violates foreign key "
            + "constraint \"" + fk.name() + "\"", "Key " + t.keyText(fk.columns(), row) + " is not present in table \""
            + fk.table() + "\".", fk.name());
      }
    }
  }

  /** 23503 when a row other tables reference is deleted, or its referenced columns change. */
  void checkNotReferenced(MemoryTable t, ObjectNode old, ObjectNode now) {
    for (MemoryTable child : tables.values()) {
      for (TableSpec.ForeignKey fk : child.spec().foreignKeys()) {
        if (!fk.schema().equals(t.spec().schema()) || !fk.table().equals(t.spec().name())) {
          continue;
        }
        String oldKey = MemoryTable.key(fk.refColumns(), old);
        if (oldKey == null || (now != null && oldKey.equals(MemoryTable.key(fk.refColumns(), now)))) {
          continue;
        }
        if (contains(t, fk.refColumns(), old)) {
          continue;
        }
        for (ObjectNode row : child.rows()) {
          ObjectNode probe = row.objectNode();
          for (int i = 0; i < fk.columns().size(); i++) {
            probe.set(fk.refColumns().get(i), row.get(fk.columns().get(i)));
          }
          if (oldKey.equals(MemoryTable.key(fk.refColumns(), probe))) {
            throw DatabaseTx.foreignKey("update or delete on table \"" + t.spec().name() + "\" violates foreign key "
                + "constraint \"" + fk.name() + "\" on table \"" + child.spec().name() + "\"", "Key "
                + t.keyText(fk.refColumns(), old) + " is still referenced from table \"" + child.spec().name()
                + "\".", fk.name());
          }
        }
      }
    }
  }

  private static boolean contains(MemoryTable t, List<String> columns, ObjectNode probe) {
    String want = MemoryTable.key(columns, t.coerce(probe.deepCopy()));
    for (ObjectNode r : t.rows()) {
      if (want != null && want.equals(MemoryTable.key(columns, r))) {
        return true;
      }
    }
    return false;
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
      String message = "relation \"" + ref.qualifiedName() + "\" does not exist";
      throw new SchemaMismatchException(message, ErrorDetails.of(BACKEND).withCode("42P01")
          .withHint("Create the table first (InMemoryDatabase.createTable, or run your migrations)."),
          new PgError("42P01", message, null, null));
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


  @Override
  public synchronized String toString() {
    return "InMemoryDatabase" + new java.util.TreeSet<>(tables.keySet());
  }
}
