package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.testkit.MockPostgrestEval.Relation;
import dev.holdfast.testkit.MockPostgrestPlan.Node;
import dev.holdfast.testkit.internal.MemoryTable;
import dev.holdfast.testkit.internal.rest.PgError;
import dev.holdfast.testkit.internal.rest.PgJson;
import dev.holdfast.testkit.internal.rest.PgJsonb;
import dev.holdfast.testkit.internal.rest.PgNodes;
import dev.holdfast.testkit.internal.rest.PgType;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;

/**
 * One {@code /rpc/<function>} call as PostgREST 13 answers it: the body runs inside the request's transaction
 * (writes it makes through the database roll back with it), its result is coerced to the declared return type,
 * rows are filtered, ordered, counted and ranged like a table's, and the response follows {@code actionResponse}
 * for calls: {@code Content-Range} ({@code 0-0/*} for a single value), 206 for a partial page, 416 past the end,
 * 204 for {@code void}, 406 when a singular {@code Accept} does not get exactly one row. Stateless.
 */
final class MockPostgrestInvoke {
  private static final JsonNodeFactory NODES = new JsonNodeFactory(true);

  private MockPostgrestInvoke() {}

  static MockResponse run(DatabaseTx tx, MockPostgrestRequest req, MockPostgrestFunction f, Node plan,
      MockPostgrestMedia media, MockPostgrestAccess access, MockPostgrestOptions options) {
    ObjectNode args = MockPostgrestRpc.arguments(f, req);
    MockPostgrestReader reader = new MockPostgrestReader(tx, req.schema, access, req.prefs.zone());
    Relation rel = null;
    MemoryTable returnTable = null;
    if (plan != null) {
      returnTable = reader.table(f.returnTable());
      rel = Relation.of(f.returnTable(), returnTable.spec());
      reader.prepare(plan, rel);
    }
    JsonNode result = MockPostgrestRpc.call(f, args);
    boolean single = f.returnsSingle() || f.returns() == MockPostgrestFunction.Returns.VOID;
    String body;
    long queryTotal;
    long total;
    switch (f.returns()) {
      case VOID -> {
        body = "";
        queryTotal = 1;
        total = 1;
      }
      case ANY -> {
        body = result == null ? "null" : PgJson.write(result);
        queryTotal = 1;
        total = 1;
      }
      case SCALAR -> {
        JsonNode v = PgType.cached(f.returnType()).fromJson(result, null);
        body = PgJson.write(reader.output(PgType.cached(f.returnType()), v));
        queryTotal = 1;
        total = 1;
      }
      case ROW -> {
        ObjectNode row = result == null || result.isNull() ? null : coerce(returnTable, result);
        List<ObjectNode> rows = row == null ? List.of() : reader.run(plan, rel, List.of(row),
            dev.holdfast.testkit.internal.rest.Range.ALL).rows();
        body = rows.isEmpty() ? "null" : PgJson.write(MockPostgrestReader.strip(rows.get(0)));
        queryTotal = 1;
        total = 1;
      }
      case SET_OF_SCALARS -> {
        PgType type = PgType.cached(f.returnType());
        List<JsonNode> values = new ArrayList<>();
        if (result != null && result.isArray()) {
          result.forEach(v -> values.add(reader.output(type, type.fromJson(v, null))));
        }
        dev.holdfast.testkit.internal.rest.Range range = dev.holdfast.testkit.internal.rest.Range.limitZeroOr(
            req.topLevelRange, req.topLevelRange.restrict(options.maxRows()));
        long from = range.offset();
        Long upper = range.upper();
        PgNodes.Agg agg = new PgNodes.Agg();
        for (int i = 0; i < values.size(); i++) {
          if (i >= from && (upper == null || i <= upper)) {
            agg.add(values.get(i));
          }
        }
        body = PgJson.write(agg);
        queryTotal = agg.size();
        total = values.size();
      }
      default -> {
        List<ObjectNode> rows = new ArrayList<>();
        if (result != null && result.isArray()) {
          for (JsonNode r : result) {
            rows.add(coerce(returnTable, r));
          }
        }
        MockPostgrestReader.Result r = reader.run(plan, rel, rows, plan.range);
        body = MockPostgrestResponses.body(r.rows(), media);
        queryTotal = r.rows().size();
        total = r.total();
      }
    }
    if ("tx=rollback".equals(req.prefs.transaction)) {
      tx.rollback();
    }
    if (media.singular() && queryTotal != 1) {
      throw new MockPostgrestError(406, "PGRST116", "Cannot coerce the result to a single JSON object",
          "The result contains " + queryTotal + " rows", null);
    }
    if (req.prefs.strict() && req.prefs.maxAffected != null && queryTotal > req.prefs.maxAffected) {
      throw new MockPostgrestError(400, "PGRST124", "Query result exceeds max-affected preference constraint",
          "The query affects " + queryTotal + " rows", null);
    }
    if (media.singular() && !single && f.returns() == MockPostgrestFunction.Returns.SET_OF_SCALARS) {
      body = body.substring(1, body.length() - 1);
    }
    Long tableTotal = req.prefs.counts() ? total : null;
    Object[] status = MockPostgrestResponses.rangeStatus(req.topLevelRange, queryTotal, tableTotal);
    int code = (Integer) status[0];
    if (code == 416) {
      body = MockPostgrestResponses.outOfBounds(req.topLevelRange.offset(), tableTotal);
    }
    boolean isVoid = f.returns() == MockPostgrestFunction.Returns.VOID;
    MockResponse.Builder b = MockPostgrestResponses.builder(isVoid ? 204 : code);
    b.setHeader("Content-Range", (String) status[1]);
    MockPostgrestResponses.header(b, "Preference-Applied", req.prefs.applied(false, false, false, true));
    if (isVoid) {
      return b.build();
    }
    MockPostgrestResponses.contentType(b, media, req);
    return req.isHead() ? b.build() : b.body(body).build();
  }

  /** A row a function returned, read as its table's row type (unknown keys are PostgreSQL's 42703). */
  private static ObjectNode coerce(MemoryTable t, JsonNode r) {
    if (!r.isObject()) {
      throw new PgError("42804", "structure of query does not match function result type", "Returned type "
          + r.getNodeType().toString().toLowerCase(java.util.Locale.ROOT) + " does not match expected type "
          + t.spec().name() + ".", null);
    }
    ObjectNode row = PgJsonb.MAPPER.createObjectNode();
    List<String> cols = t.spec().columns().isEmpty() ? new ArrayList<>() : t.spec().columns();
    if (cols.isEmpty()) {
      r.fieldNames().forEachRemaining(cols::add);
    }
    for (String c : cols) {
      JsonNode v = r.get(c);
      PgType type = t.type(c);
      row.set(c, v == null || v.isNull() ? NODES.nullNode() : type == null ? v : type.fromJson(v, null));
    }
    return row;
  }
}
