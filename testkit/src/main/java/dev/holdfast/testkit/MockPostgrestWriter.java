package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.testkit.MockPostgrestEval.Pred;
import dev.holdfast.testkit.MockPostgrestEval.Relation;
import dev.holdfast.testkit.internal.MemoryTable;
import dev.holdfast.testkit.internal.RowMatcher.Truth;
import dev.holdfast.testkit.internal.rest.PgError;
import dev.holdfast.testkit.internal.rest.PgJsonb;
import dev.holdfast.testkit.internal.rest.PgType;
import dev.holdfast.testkit.internal.rest.Url;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statements PostgREST 13 generates for POST, PATCH, PUT and DELETE, run in one {@link DatabaseTx}: the
 * payload read per column type as {@code json_to_recordset} reads it ({@code ?columns} picks the columns, missing
 * keys become NULL or, with {@code missing=default}, the default), {@code ON CONFLICT DO UPDATE/NOTHING},
 * {@code UPDATE ... WHERE} and {@code DELETE ... WHERE} over the top-level filters only, privileges and
 * row-level security as PostgreSQL applies them, and {@code pg-safeupdate} when enabled. Not thread-safe; one
 * per request.
 */
final class MockPostgrestWriter {
  /** What a statement did: the rows it returns and, for upserts, how many it inserted. */
  record Outcome(List<ObjectNode> rows, long inserted) {}

  private final DatabaseTx tx;
  private final MockPostgrestRequest req;
  private final MockPostgrestAccess access;
  private final MockPostgrestOptions options;
  private final TableSpec cached;
  private final MemoryTable table;
  private final boolean returning;

  MockPostgrestWriter(DatabaseTx tx, MockPostgrestRequest req, MockPostgrestAccess access,
      MockPostgrestOptions options, TableSpec cached, MemoryTable table) {
    this.tx = tx;
    this.req = req;
    this.access = access;
    this.options = options;
    this.cached = cached;
    this.table = table;
    String rep = req.prefs.representation;
    this.returning = "return=representation".equals(rep) || "return=headers-only".equals(rep);
  }

  /** {@code 400 PGRST204} for a payload or {@code ?columns} column the schema cache does not know. */
  static void checkColumns(TableSpec cached, Set<String> columns) {
    if (cached.columns().isEmpty()) {
      return;
    }
    for (String c : columns) {
      if (!cached.columns().contains(c)) {
        throw new MockPostgrestError(400, "PGRST204", "Could not find the '" + c + "' column of '" + cached.name()
            + "' in the schema cache", null, null);
      }
    }
  }

  /** The payload rows as the statement receives them: one object per row over {@code columns}. */
  private List<ObjectNode> bodyRows() {
    List<ObjectNode> out = new ArrayList<>();
    boolean defaults = "missing=default".equals(req.prefs.missing);
    for (int i = 0; i < req.payload.rows.size(); i++) {
      ObjectNode given = req.payload.rows.get(i);
      Map<String, String> raw = req.payload.raw.get(i);
      ObjectNode row = PgJsonb.MAPPER.createObjectNode();
      for (String c : req.columns) {
        JsonNode v = given.get(c);
        if (v == null) {
          if (!defaults) {
            row.putNull(c);
          }
          continue;
        }
        PgType type = table.type(c);
        row.set(c, type == null ? v : type.fromJson(v, raw.get(c)));
      }
      out.add(row);
    }
    return out;
  }

  /** POST: {@code INSERT ... [ON CONFLICT ...] RETURNING}. */
  Outcome insert() {
    access.require(table.spec(), "insert");
    String resolution = req.prefs.resolution;
    List<String> conflict = req.query.onConflict != null ? req.query.onConflict : List.of(cached.idColumn());
    if ("resolution=merge-duplicates".equals(resolution)) {
      access.require(table.spec(), "update");
    }
    if (returning) {
      access.require(table.spec(), "select");
    }
    List<ObjectNode> rows = bodyRows();
    List<ObjectNode> out = new ArrayList<>();
    long inserted = 0;
    Set<ObjectNode> touched = Collections.newSetFromMap(new IdentityHashMap<>());
    for (ObjectNode given : rows) {
      ObjectNode existing = resolution == null ? null : tx.conflicting(table, conflict, given);
      if (existing != null && resolution.equals("resolution=ignore-duplicates")) {
        continue;
      }
      if (existing != null) {
        if (touched.contains(existing)) {
          throw pg(InMemoryDatabase.cardinality());
        }
        if (!access.visible(table.spec(), RowPolicy.Command.UPDATE, existing)) {
          throw new PgError("42501", "new row violates row-level security policy (USING expression) for table \""
              + table.spec().name() + "\"", null, null);
        }
        ObjectNode row = tx.update(table, existing, given);
        access.check(table.spec(), RowPolicy.Command.UPDATE, row, false);
        touched.add(row);
        out.add(row);
        continue;
      }
      ObjectNode row = tx.insert(table, given);
      access.check(table.spec(), RowPolicy.Command.INSERT, row, false);
      touched.add(row);
      inserted++;
      out.add(row);
    }
    finish(out);
    return new Outcome(out, inserted);
  }

  /** PUT: a single-row upsert on the primary key, where the payload must match the URL's key. */
  Outcome put(List<Url.Filter> keyFilters) {
    access.require(table.spec(), "insert");
    access.require(table.spec(), "update");
    if (returning) {
      access.require(table.spec(), "select");
    }
    Relation body = new Relation("pgrst_body", List.of(), table.spec().types());
    List<Pred> preds = new ArrayList<>();
    keyFilters.forEach(f -> preds.add(MockPostgrestEval.filter(body, f, req.prefs.zone())));
    List<ObjectNode> out = new ArrayList<>();
    long inserted = 0;
    for (ObjectNode given : bodyRows()) {
      if (MockPostgrestEval.and(preds, given) != Truth.TRUE) {
        continue;
      }
      ObjectNode existing = tx.conflicting(table, List.of(cached.idColumn()), given);
      ObjectNode row;
      if (existing == null) {
        row = tx.insert(table, given);
        access.check(table.spec(), RowPolicy.Command.INSERT, row, false);
        inserted++;
      } else {
        if (!access.visible(table.spec(), RowPolicy.Command.UPDATE, existing)) {
          throw new PgError("42501", "new row violates row-level security policy (USING expression) for table \""
              + table.spec().name() + "\"", null, null);
        }
        row = tx.update(table, existing, given);
        access.check(table.spec(), RowPolicy.Command.UPDATE, row, false);
      }
      out.add(row);
    }
    finish(out);
    return new Outcome(out, inserted);
  }

  /** PATCH: {@code UPDATE ... SET <payload columns> WHERE <top-level filters> RETURNING}. */
  Outcome update() {
    access.require(table.spec(), "update");
    if (req.columns.isEmpty()) {
      return new Outcome(List.of(), 0);
    }
    List<Url.Filter> filters = req.query.rootFilters();
    boolean where = !filters.isEmpty() || !rootLogic().isEmpty();
    if (where || returning) {
      access.require(table.spec(), "select");
    }
    safeUpdate("UPDATE", where);
    List<ObjectNode> body = bodyRows();
    ObjectNode changes = body.isEmpty() ? PgJsonb.MAPPER.createObjectNode() : body.get(0);
    if ("missing=default".equals(req.prefs.missing)) {
      for (String c : req.columns) {
        if (!changes.has(c)) {
          JsonNode d = table.spec().defaults().get(c);
          changes.set(c, d == null ? changes.nullNode() : d);
        }
      }
    }
    List<Pred> preds = predicates(filters);
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode row : List.copyOf(table.rows())) {
      if (!targeted(row, preds, RowPolicy.Command.UPDATE, where || returning)) {
        continue;
      }
      ObjectNode updated = tx.update(table, row, changes);
      access.check(table.spec(), RowPolicy.Command.UPDATE, updated, false);
      out.add(updated);
    }
    finish(out);
    return new Outcome(out, 0);
  }

  /** DELETE: {@code DELETE ... WHERE <top-level filters> RETURNING}. */
  Outcome delete() {
    access.require(table.spec(), "delete");
    List<Url.Filter> filters = req.query.rootFilters();
    boolean where = !filters.isEmpty() || !rootLogic().isEmpty();
    if (where || returning) {
      access.require(table.spec(), "select");
    }
    safeUpdate("DELETE", where);
    List<Pred> preds = predicates(filters);
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode row : List.copyOf(table.rows())) {
      if (targeted(row, preds, RowPolicy.Command.DELETE, where || returning)) {
        tx.delete(table, row);
        out.add(row);
      }
    }
    tx.endStatement();
    return new Outcome(out, 0);
  }

  private List<Url.LogicTree> rootLogic() {
    List<Url.LogicTree> out = new ArrayList<>();
    req.query.logic.forEach(l -> {
      if (l.path().isEmpty()) {
        out.add(l.value());
      }
    });
    return out;
  }

  private List<Pred> predicates(List<Url.Filter> filters) {
    Relation rel = Relation.of(table.spec().name(), table.spec());
    List<Pred> preds = new ArrayList<>();
    filters.forEach(f -> preds.add(MockPostgrestEval.filter(rel, f, req.prefs.zone())));
    rootLogic().forEach(l -> preds.add(MockPostgrestEval.tree(rel, l, req.prefs.zone())));
    return preds;
  }

  /** Whether the statement touches {@code row}: its policy for the command, SELECT's when it reads columns. */
  private boolean targeted(ObjectNode row, List<Pred> preds, RowPolicy.Command command, boolean readsColumns) {
    if (!access.visible(table.spec(), command, row)) {
      return false;
    }
    if (readsColumns && !access.visible(table.spec(), RowPolicy.Command.SELECT, row)) {
      return false;
    }
    return MockPostgrestEval.and(preds, row) == Truth.TRUE;
  }

  private void safeUpdate(String statement, boolean where) {
    if (options.safeUpdate() && !where) {
      throw new PgError("21000", statement + " requires a WHERE clause", null, null);
    }
  }

  /** Foreign keys at statement end, and the SELECT policies RETURNING applies to new rows. */
  private void finish(List<ObjectNode> rows) {
    tx.endStatement();
    if (returning) {
      for (ObjectNode row : rows) {
        access.check(table.spec(), RowPolicy.Command.SELECT, row, false);
      }
    }
  }

  private static PgError pg(RuntimeException e) {
    PgError p = PgError.in(e);
    return p != null ? p : new PgError("XX000", e.getMessage(), null, null);
  }
}
