package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.ConflictException;
import dev.holdfast.ErrorDetails;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.testkit.internal.JsonValues;
import dev.holdfast.testkit.internal.MemoryTable;
import dev.holdfast.testkit.internal.rest.PgError;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One transaction of an {@link InMemoryDatabase}, run under its lock: the statements write rows in place, and
 * {@link #rollback} (or an exception out of {@link InMemoryDatabase#transaction}) puts back every table the
 * transaction touched, as PostgreSQL's {@code ROLLBACK} does (identities, like sequences, stay advanced). Foreign
 * keys are checked at the end of each statement ({@link #endStatement}), as PostgreSQL checks immediate ones. A
 * transaction opened while another runs on the same thread (a statement inside a MockPostgrest function) is a
 * savepoint of the outer one. Not thread-safe: it lives inside one locked call.
 */
final class DatabaseTx {
  private final InMemoryDatabase db;
  private final DatabaseTx parent;
  private final Map<MemoryTable, List<ObjectNode>> snapshots = new IdentityHashMap<>();
  private final List<Object[]> removed = new ArrayList<>();
  private final Map<ObjectNode, MemoryTable> written = new IdentityHashMap<>();

  DatabaseTx(InMemoryDatabase db, DatabaseTx parent) {
    this.db = db;
    this.parent = parent;
  }

  InMemoryDatabase database() {
    return db;
  }

  /** The table, or null when it does not exist. */
  MemoryTable table(String schema, String name) {
    return db.tableOrNull(schema, name);
  }

  private void touch(MemoryTable t) {
    // A nested transaction (a statement inside a function) is a savepoint: the outer one must be able to undo
    // its writes too, so it snapshots the table first.
    if (parent != null) {
      parent.touch(t);
    }
    snapshots.computeIfAbsent(t, MemoryTable::snapshot);
  }

  /** Inserts a row built from {@code given} (defaults, identity, types applied); returns the stored row. */
  ObjectNode insert(MemoryTable t, ObjectNode given) {
    touch(t);
    ObjectNode row = t.newRow(given);
    t.add(row);
    written.put(row, t);
    return row;
  }

  /** Sets {@code changes} on the stored row {@code existing}; returns the new stored row. */
  ObjectNode update(MemoryTable t, ObjectNode existing, ObjectNode changes) {
    touch(t);
    int at = indexOf(t, existing);
    ObjectNode row = existing.deepCopy();
    changes.properties().iterator().forEachRemaining(e -> row.set(e.getKey(), e.getValue().deepCopy()));
    t.coerce(row);
    t.replace(at, row);
    written.put(row, t);
    removed.add(new Object[] {t, existing, row});
    return row;
  }

  /** Deletes the stored row {@code existing}. */
  void delete(MemoryTable t, ObjectNode existing) {
    touch(t);
    t.remove(indexOf(t, existing));
    removed.add(new Object[] {t, existing, null});
  }

  /** The stored row with the same values in {@code columns} (a key of {@code t}) as {@code row}, or null. */
  ObjectNode conflicting(MemoryTable t, List<String> columns, ObjectNode row) {
    if (!t.isConstraint(columns)) {
      throw noConstraint();
    }
    ObjectNode probe = t.coerce(row.deepCopy());
    int at = t.find(columns, probe);
    return at < 0 ? null : t.rows().get(at);
  }

  private static int indexOf(MemoryTable t, ObjectNode row) {
    List<ObjectNode> rows = t.rows();
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i) == row) {
        return i;
      }
    }
    throw new IllegalStateException("row not in " + t.spec().name());
  }

  /** Checks the foreign keys the statement's writes affect, as PostgreSQL does at the end of a statement. */
  void endStatement() {
    for (Object[] r : removed) {
      MemoryTable t = (MemoryTable) r[0];
      ObjectNode old = (ObjectNode) r[1];
      ObjectNode now = (ObjectNode) r[2];
      db.checkNotReferenced(t, old, now);
    }
    written.forEach((row, t) -> {
      if (indexOfOrMinus(t, row) >= 0) {
        db.checkReferences(t, row);
      }
    });
    removed.clear();
    written.clear();
  }

  private static int indexOfOrMinus(MemoryTable t, ObjectNode row) {
    for (int i = 0; i < t.rows().size(); i++) {
      if (t.rows().get(i) == row) {
        return i;
      }
    }
    return -1;
  }

  /** Undoes every write of this transaction. */
  void rollback() {
    snapshots.forEach(MemoryTable::restore);
    snapshots.clear();
    removed.clear();
    written.clear();
  }

  /** Whether {@code value} is SQL NULL. */
  static boolean isNull(JsonNode value) {
    return JsonValues.isNull(value);
  }

  /** 42P10, as PostgreSQL words it. */
  static InvalidRequestException noConstraint() {
    String message = "there is no unique or exclusion constraint matching the ON CONFLICT specification";
    return new InvalidRequestException(message, ErrorDetails.of("memory").withCode("42P10")
        .withHint("Upsert on the primary key or on the columns of a unique constraint."),
        new PgError("42P10", message, null, null));
  }

  static ConflictException foreignKey(String message, String detail, String constraint) {
    return new ConflictException(message, ErrorDetails.of("memory").withCode("23503")
        .withHint("Insert the referenced row first, or delete the referencing rows."), constraint,
        new PgError("23503", message, detail, null));
  }
}
