package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.Filter;
import dev.holdfast.Query;
import dev.holdfast.spi.TableRef;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;

/**
 * MockPostgrest's table endpoints over an {@link InMemoryDatabase}, answering as PostgREST does: status codes
 * (200/201/204/206, 200 for an upsert that created nothing), {@code Content-Range} with the count when one was
 * asked for, {@code return=minimal|representation}, single-object reads, and {@code PGRST116} for zero or several
 * rows there. Each operation holds this object's lock, so multi-step ones (upsert status, delete with
 * representation) are atomic with respect to other requests.
 */
final class MockPostgrestTables {
  private final InMemoryDatabase db;

  MockPostgrestTables(InMemoryDatabase db) {
    this.db = db;
  }

  synchronized MockResponse read(MockPostgrestRequest request, String table) {
    TableRef ref = ref(request, table);
    Filter filter = request.filter();
    Query query = Query.where(filter).orderBy(request.order()).offset(request.offset());
    if (request.limit() >= 0) {
      query = query.limit((int) Math.min(Integer.MAX_VALUE, request.limit()));
    }
    List<ObjectNode> rows = db.select(ref, query);
    Long total = request.prefer("count") == null ? null : db.count(ref, filter);
    boolean head = request.method().equals("HEAD");
    if (request.single()) {
      return single(project(rows, request), head);
    }
    long first = query.offset();
    String range = (rows.isEmpty() ? "*" : first + "-" + (first + rows.size() - 1)) + "/"
        + (total == null ? "*" : total);
    boolean partial = total != null && rows.size() < total;
    return MockPostgrestRequest.json(partial ? 206 : 200, MockPostgrestDispatcher.write(project(rows, request)),
        head).newBuilder().setHeader("Content-Range", range).build();
  }

  synchronized MockResponse insert(MockPostgrestRequest request, String table) {
    TableRef ref = ref(request, table);
    List<ObjectNode> rows = rows(request);
    String resolution = request.prefer("resolution");
    List<ObjectNode> stored;
    boolean created;
    if (resolution == null) {
      stored = db.insert(ref, rows);
      created = true;
    } else {
      List<String> conflict = request.onConflict() != null ? request.onConflict()
          : List.of(db.spec(ref.schema(), ref.name()).orElseThrow().idColumn());
      List<ObjectNode> fresh = new ArrayList<>();
      for (ObjectNode row : rows) {
        if (!exists(ref, conflict, row)) {
          fresh.add(row);
        }
      }
      created = !fresh.isEmpty();
      stored = resolution.equals("ignore-duplicates") ? db.insert(ref, fresh) : db.upsert(ref, rows, conflict);
    }
    return written(request, stored, created ? 201 : 200);
  }

  synchronized MockResponse update(MockPostgrestRequest request, String table) {
    TableRef ref = ref(request, table);
    JsonNode changes = request.jsonBody();
    if (changes == null || !changes.isObject()) {
      throw new MockPostgrestError(400, "PGRST102", "Empty or invalid json", null, null);
    }
    return written(request, db.update(ref, request.filter(), (ObjectNode) changes), 200);
  }

  synchronized MockResponse delete(MockPostgrestRequest request, String table) {
    TableRef ref = ref(request, table);
    Filter filter = request.filter();
    List<ObjectNode> doomed = db.select(ref, Query.where(filter));
    db.delete(ref, filter);
    return written(request, doomed, 200);
  }

  private MockResponse written(MockPostgrestRequest request, List<ObjectNode> rows, int status) {
    boolean representation = "representation".equals(request.prefer("return"));
    if (request.single() && representation) {
      return single(project(rows, request), false);
    }
    MockResponse.Builder b;
    if (representation) {
      b = MockPostgrestRequest.json(status, MockPostgrestDispatcher.write(project(rows, request)), false)
          .newBuilder();
    } else {
      b = new MockResponse.Builder().code(request.method().equals("POST") ? 201 : 204);
    }
    if (request.prefer("count") != null) {
      b.setHeader("Content-Range", "*/" + rows.size());
    }
    return b.build();
  }

  private static MockResponse single(ArrayNode rows, boolean head) {
    if (rows.size() != 1) {
      throw new MockPostgrestError(406, "PGRST116", "Cannot coerce the result to a single JSON object",
          "The result contains " + rows.size() + " rows", null);
    }
    return new MockResponse.Builder().code(200)
        .setHeader("Content-Type", "application/vnd.pgrst.object+json; charset=utf-8")
        .body(head ? "" : MockPostgrestDispatcher.write(rows.get(0))).build();
  }

  private TableRef ref(MockPostgrestRequest request, String table) {
    if (!dev.holdfast.Identifier.isValid(table) || !db.hasTable(request.schema(), table)) {
      throw MockPostgrestError.unknownTable(request.schema(), table);
    }
    List<String> columns = new ArrayList<>();
    request.select().forEach(s -> columns.add(s.column()));
    return new TableRef(request.schema(), table, "id", columns);
  }

  /** The body's rows, narrowed or widened to {@code columns=} when given (absent keys: default or null). */
  private static List<ObjectNode> rows(MockPostgrestRequest request) {
    JsonNode body = request.jsonBody();
    if (body == null || !(body.isObject() || body.isArray())) {
      throw new MockPostgrestError(400, "PGRST102", "Empty or invalid json", null, null);
    }
    List<ObjectNode> rows = new ArrayList<>();
    for (JsonNode node : body.isArray() ? body : List.of(body)) {
      if (!node.isObject()) {
        throw new MockPostgrestError(400, "PGRST102", "All object keys must match", null, null);
      }
      rows.add((ObjectNode) node);
    }
    List<String> columns = request.columns();
    if (columns == null) {
      return rows;
    }
    boolean useDefaults = "default".equals(request.prefer("missing"));
    List<ObjectNode> shaped = new ArrayList<>();
    for (ObjectNode row : rows) {
      ObjectNode out = row.objectNode();
      for (String c : columns) {
        if (row.has(c)) {
          out.set(c, row.get(c));
        } else if (!useDefaults) {
          out.putNull(c);
        }
      }
      shaped.add(out);
    }
    return shaped;
  }

  private boolean exists(TableRef ref, List<String> columns, ObjectNode row) {
    List<Filter> keys = new ArrayList<>();
    for (String c : columns) {
      JsonNode v = row.get(c);
      if (v == null || v.isNull() || v.isContainerNode()) {
        return false;
      }
      keys.add(Filter.eq(c, v.isNumber() ? v.decimalValue() : v.isBoolean() ? (Object) v.booleanValue()
          : v.asText()));
    }
    TableRef any = new TableRef(ref.schema(), ref.name(), "id", List.of());
    return db.count(any, new Filter.And(keys)) > 0;
  }

  private static ArrayNode project(List<ObjectNode> rows, MockPostgrestRequest request) {
    List<MockPostgrestSyntax.Selected> select = request.select();
    ArrayNode out = MockPostgrestDispatcher.array();
    for (ObjectNode row : rows) {
      if (select.isEmpty()) {
        out.add(row);
        continue;
      }
      ObjectNode projected = out.addObject();
      for (MockPostgrestSyntax.Selected s : select) {
        projected.set(s.alias(), row.has(s.column()) ? row.get(s.column()) : projected.nullNode());
      }
    }
    return out;
  }
}
