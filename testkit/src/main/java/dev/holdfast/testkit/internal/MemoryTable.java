package dev.holdfast.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.ConflictException;
import dev.holdfast.ErrorDetails;
import dev.holdfast.testkit.TableSpec;
import dev.holdfast.testkit.internal.rest.PgError;
import dev.holdfast.testkit.internal.rest.PgType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The rows of one in-memory table with its identity and unique indexes. Stored rows are never mutated: a change
 * replaces the row, so a failed statement can be rolled back by restoring the previous row list. Not
 * thread-safe: {@link dev.holdfast.testkit.InMemoryDatabase} serialises access.
 */
public final class MemoryTable {
  private static final JsonNodeFactory NODES = new JsonNodeFactory(true);

  private final TableSpec spec;
  private final Clock clock;
  /** Constraint name to its columns; the primary key first. */
  private final Map<String, List<String>> constraints = new LinkedHashMap<>();
  private final Map<String, Map<String, ObjectNode>> indexes = new HashMap<>();
  private final Map<String, PgType> types = new HashMap<>();
  private List<ObjectNode> rows = new ArrayList<>();
  private long nextId = 1;

  public MemoryTable(TableSpec spec, Clock clock) {
    this.spec = spec;
    this.clock = clock;
    spec.types().forEach((c, t) -> types.put(c, PgType.cached(t)));
    constraints.put(spec.name() + "_pkey", List.of(spec.idColumn()));
    for (List<String> unique : spec.uniques()) {
      constraints.put(spec.name() + "_" + String.join("_", unique) + "_key", unique);
    }
    constraints.keySet().forEach(c -> indexes.put(c, new HashMap<>()));
  }

  public TableSpec spec() {
    return spec;
  }

  /** The stored rows in physical order; callers must copy before handing them out. */
  public List<ObjectNode> rows() {
    return rows;
  }

  /** Whether {@code columns} is exactly the primary key or one unique constraint (in any order). */
  public boolean isConstraint(List<String> columns) {
    return constraints.values().stream()
        .anyMatch(c -> c.size() == columns.size() && c.containsAll(columns));
  }

  /** The declared type of {@code column}, or null when it has none. */
  public PgType type(String column) {
    return types.get(column);
  }

  /** Runs {@code statement} atomically: if it throws, the rows are as before (the identity is not rolled back). */
  public <T> T atomically(Supplier<T> statement) {
    List<ObjectNode> before = snapshot();
    try {
      return statement.get();
    } catch (RuntimeException e) {
      restore(before);
      throw e;
    }
  }

  /** The rows as they are now, for {@link #restore}; like a savepoint, it does not cover the identity. */
  public List<ObjectNode> snapshot() {
    return new ArrayList<>(rows);
  }

  /** Puts back the rows of a {@link #snapshot}. */
  public void restore(List<ObjectNode> snapshot) {
    rows = new ArrayList<>(snapshot);
    rebuildIndexes();
  }

  /** A new row from {@code given}: declared columns present, defaults and identity applied. */
  public ObjectNode newRow(ObjectNode given) {
    ObjectNode row = NODES.objectNode();
    row.putNull(spec.idColumn());
    for (String c : spec.columns()) {
      row.putNull(c);
    }
    spec.defaults().forEach((c, v) -> row.set(c, v.deepCopy()));
    spec.defaultNow().forEach(c -> row.put(c, clock.instant().toString()));
    given.properties().iterator().forEachRemaining(e -> row.set(e.getKey(), e.getValue().deepCopy()));
    if (JsonValues.isNull(row.get(spec.idColumn())) && spec.generatedId()) {
      row.put(spec.idColumn(), nextId++);
    }
    return coerce(row);
  }

  /** {@code row} with every typed column's value read as its type (as {@code INSERT} casts), in place. */
  public ObjectNode coerce(ObjectNode row) {
    if (!types.isEmpty()) {
      types.forEach((c, t) -> {
        JsonNode v = row.get(c);
        if (v != null) {
          row.set(c, t.fromJson(v, null));
        }
      });
    }
    return row;
  }

  /** Makes the next generated id at least {@code lastUsed + 1}, as {@code setval} does; never moves it back. */
  public void advanceIdentity(long lastUsed) {
    nextId = Math.max(nextId, lastUsed + 1);
  }

  /** Adds {@code row} at the end after checking NOT NULL and unique constraints. */
  public void add(ObjectNode row) {
    checkNotNull(row);
    index(row);
    rows.add(row);
  }

  /** Replaces the row at {@code position} by {@code row} after checking constraints. */
  public void replace(int position, ObjectNode row) {
    checkNotNull(row);
    unindex(rows.get(position));
    index(row);
    rows.set(position, row);
  }

  /** The position of the row whose {@code columns} hold the same values as {@code row}'s, or -1. */
  public int find(List<String> columns, ObjectNode row) {
    String name = constraints.entrySet().stream()
        .filter(e -> e.getValue().size() == columns.size() && e.getValue().containsAll(columns))
        .map(Map.Entry::getKey).findFirst().orElseThrow();
    String key = key(constraints.get(name), row);
    ObjectNode existing = key == null ? null : indexes.get(name).get(key);
    return existing == null ? -1 : indexOf(existing);
  }

  /** Removes the row at {@code position}. */
  public void remove(int position) {
    unindex(rows.remove(position));
  }

  /** Empties the table and restarts its identity. */
  public void truncate() {
    rows = new ArrayList<>();
    rebuildIndexes();
    nextId = 1;
  }

  private int indexOf(ObjectNode row) {
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i) == row) {
        return i;
      }
    }
    return -1;
  }

  private void checkNotNull(ObjectNode row) {
    List<String> required = new ArrayList<>(spec.notNull());
    required.add(0, spec.idColumn());
    for (String c : required) {
      if (JsonValues.isNull(row.get(c))) {
        String message = "null value in column \"" + c + "\" of relation \"" + spec.name()
            + "\" violates not-null constraint";
        PgError pg = new PgError("23502", message, "Failing row contains (" + rowText(row) + ").", null);
        throw new ConflictException(message, ErrorDetails.of("memory").withCode("23502")
            .withHint("Give the column a value."), null, pg);
      }
    }
  }

  /** The row's values in column order as PostgreSQL prints them in a {@code Failing row contains} detail. */
  public String rowText(ObjectNode row) {
    List<String> values = new ArrayList<>();
    if (spec.columns().isEmpty()) {
      row.properties().iterator().forEachRemaining(e -> values.add(PgType.outputText(types.get(e.getKey()), e.getValue())));
    } else {
      for (String c : spec.columns()) {
        values.add(PgType.outputText(types.get(c), row.get(c)));
      }
    }
    return String.join(", ", values);
  }

  /** {@code (a, b)=(1, x)}: a key as PostgreSQL prints it in constraint details. */
  public String keyText(List<String> columns, ObjectNode row) {
    List<String> values = new ArrayList<>();
    for (String c : columns) {
      values.add(PgType.outputText(types.get(c), row.get(c)));
    }
    return "(" + String.join(", ", columns) + ")=(" + String.join(", ", values) + ")";
  }

  private void index(ObjectNode row) {
    for (Map.Entry<String, List<String>> c : constraints.entrySet()) {
      String key = key(c.getValue(), row);
      if (key != null && indexes.get(c.getKey()).containsKey(key)) {
        String message = "duplicate key value violates unique constraint \"" + c.getKey() + "\"";
        PgError pg = new PgError("23505", message, "Key " + keyText(c.getValue(), row) + " already exists.", null);
        throw new ConflictException(message, ErrorDetails.of("memory").withCode("23505")
            .withHint("A row with this key already exists; use upsert or another key."), c.getKey(), pg);
      }
    }
    for (Map.Entry<String, List<String>> c : constraints.entrySet()) {
      String key = key(c.getValue(), row);
      if (key != null) {
        indexes.get(c.getKey()).put(key, row);
      }
    }
  }

  private void unindex(ObjectNode row) {
    for (Map.Entry<String, List<String>> c : constraints.entrySet()) {
      String key = key(c.getValue(), row);
      if (key != null) {
        indexes.get(c.getKey()).remove(key);
      }
    }
  }

  private void rebuildIndexes() {
    indexes.values().forEach(Map::clear);
    for (ObjectNode row : rows) {
      for (Map.Entry<String, List<String>> c : constraints.entrySet()) {
        String key = key(c.getValue(), row);
        if (key != null) {
          indexes.get(c.getKey()).put(key, row);
        }
      }
    }
  }

  /** A canonical key for the values of {@code columns}, or null when one is NULL (NULLs never conflict). */
  public static String key(List<String> columns, ObjectNode row) {
    StringBuilder out = new StringBuilder();
    for (String c : columns) {
      JsonNode v = row.get(c);
      if (JsonValues.isNull(v)) {
        return null;
      }
      if (v.isNumber() && (v.isDouble() || v.isFloat()) && !Double.isFinite(v.doubleValue())) {
        out.append('d').append(v.doubleValue());
      } else if (v.isNumber()) {
        out.append('n').append(v.decimalValue().stripTrailingZeros().toPlainString());
      } else if (v.isTextual()) {
        java.time.Instant at = JsonValues.parseTimestamp(v.textValue());
        out.append(at != null ? "i" + at : "s" + v.textValue());
      } else {
        out.append('j').append(v);
      }
      out.append('\u0000');
    }
    return out.toString();
  }
}
