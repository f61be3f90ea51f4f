package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.testkit.MockPostgrestEval.Accessor;
import dev.holdfast.testkit.MockPostgrestEval.Pred;
import dev.holdfast.testkit.MockPostgrestEval.Relation;
import dev.holdfast.testkit.MockPostgrestEval.Typed;
import dev.holdfast.testkit.MockPostgrestPlan.Node;
import dev.holdfast.testkit.internal.MemoryTable;
import dev.holdfast.testkit.internal.RowMatcher.Truth;
import dev.holdfast.testkit.internal.rest.PgCompare;
import dev.holdfast.testkit.internal.rest.PgError;
import dev.holdfast.testkit.internal.rest.PgJsonb;
import dev.holdfast.testkit.internal.rest.PgTime;
import dev.holdfast.testkit.internal.rest.PgType;
import dev.holdfast.testkit.internal.rest.Range;
import dev.holdfast.testkit.internal.rest.Url;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link MockPostgrestPlan} over rows the way PostgREST's generated SQL runs: filters with three-valued
 * logic, each embedding as a lateral join (to-one: an object or null; to-many: an array, ordered and ranged on
 * its own; {@code !inner} drops parents without one), rows visible to the role only (row-level security applies
 * to every table touched), then order, count and range at the top. Embedded resources come out as {@code jsonb}
 * (PostgREST casts them), the top-level rows as {@code row_to_json}. Not thread-safe; one per request.
 */
final class MockPostgrestReader {
  private static final JsonNodeFactory NODES = new JsonNodeFactory(true);

  private final DatabaseTx tx;
  private final String schema;
  private final MockPostgrestAccess access;
  private final ZoneId zone;
  private final Map<Node, Compiled> compiled = new HashMap<>();
  private final Map<Node, Map<String, List<ObjectNode>>> childIndex = new HashMap<>();

  MockPostgrestReader(DatabaseTx tx, String schema, MockPostgrestAccess access, ZoneId zone) {
    this.tx = tx;
    this.schema = schema;
    this.access = access;
    this.zone = zone;
  }

  /** The rows a plan produces and how many matched before its range. */
  record Result(List<ObjectNode> rows, long total) {}

  private record Compiled(Relation relation, List<Pred> preds, List<Object[]> order, List<Object[]> output) {}

  /** The database table of a resource, or {@code 42P01} when it is in the schema cache only. */
  MemoryTable table(String name) {
    MemoryTable t = tx.table(schema, name);
    if (t == null) {
      throw new PgError("42P01", "relation \"" + schema + "." + name + "\" does not exist", null, null);
    }
    return t;
  }

  /** The rows of {@code name} the role may see, after checking its SELECT privilege. */
  List<ObjectNode> visibleRows(String name) {
    MemoryTable t = table(name);
    access.require(t.spec(), "select");
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode row : t.rows()) {
      if (access.visible(t.spec(), RowPolicy.Command.SELECT, row)) {
        out.add(row);
      }
    }
    return out;
  }

  /**
   * Checks every column the plan names against the database (42703) and every literal against its column's
   * type (22P02), as PostgreSQL does while planning, before any row is read.
   */
  void prepare(Node node, Relation relation) {
    compile(node, relation);
  }

  /**
   * Runs {@code node} over {@code rows}.
   *
   * @param range the range to apply at this level (the top level's, or the node's own)
   */
  Result run(Node node, Relation relation, List<ObjectNode> rows, Range range) {
    Compiled c = compile(node, relation);
    if (range.lower() != null && range.lower() < 0) {
      throw new PgError("2201X", "OFFSET must not be negative", null, null);
    }
    List<ObjectNode[]> kept = new ArrayList<>();
    for (ObjectNode row : rows) {
      if (MockPostgrestEval.and(c.preds(), row) != Truth.TRUE) {
        continue;
      }
      ObjectNode out = NODES.objectNode();
      if (!embed(node, row, out)) {
        continue;
      }
      kept.add(new ObjectNode[] {row, out});
    }
    long total = kept.size();
    sort(c, kept);
    long from = range.lower() == null ? 0 : range.lower();
    long to = range.upper() == null ? Long.MAX_VALUE : range.upper();
    List<ObjectNode> projected = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      if (i >= from && i <= to) {
        projected.add(project(node, c, kept.get(i)[0], kept.get(i)[1]));
      }
    }
    return new Result(projected, total);
  }

  private Compiled compile(Node node, Relation relation) {
    Compiled existing = compiled.get(node);
    if (existing != null) {
      return existing;
    }
    List<Object[]> output = new ArrayList<>();
    for (Url.SelectField f : node.fields) {
      if (f.field().name().equals("*") && f.field().path().isEmpty()) {
        output.add(new Object[] {"*", null, null});
        continue;
      }
      Accessor a = MockPostgrestEval.field(relation, f.field());
      if (f.cast() != null) {
        castType(f.cast());
      }
      output.add(new Object[] {outputName(f), a, f.cast()});
    }
    for (Node child : node.children) {
      MemoryTable t = table(child.table);
      for (int i = 0; i < child.rel.foreignColumns().size(); i++) {
        relation.require(child.rel.columns().get(i));
      }
      compile(child, Relation.of(child.sqlAlias(), t.spec()));
    }
    List<Pred> preds = new ArrayList<>();
    for (Url.Filter f : node.filters) {
      preds.add(MockPostgrestEval.filter(relation, f, zone));
    }
    for (Url.LogicTree l : node.logic) {
      preds.add(MockPostgrestEval.tree(relation, l, zone));
    }
    List<Object[]> order = new ArrayList<>();
    for (Url.OrderTerm t : node.order) {
      if (t.relation() == null) {
        order.add(new Object[] {t, MockPostgrestEval.field(relation, t.field()), null});
      } else {
        Node c = node.child(t.relation());
        Relation childRel = Relation.of(c.sqlAlias(), table(c.table).spec());
        order.add(new Object[] {t, MockPostgrestEval.field(childRel, t.field()), c});
      }
    }
    Compiled c = new Compiled(relation, preds, order, output);
    compiled.put(node, c);
    return c;
  }

  /** The key a select field is answered under: its alias, the last JSON key, or the column. */
  private static String outputName(Url.SelectField f) {
    if (f.alias() != null) {
      return f.alias();
    }
    List<Url.JsonOp> path = f.field().path();
    if (path.isEmpty()) {
      return f.field().name();
    }
    Url.JsonOp last = path.get(path.size() - 1);
    if (!last.index()) {
      return last.value();
    }
    for (int i = path.size() - 1; i >= 0; i--) {
      if (!path.get(i).index()) {
        return path.get(i).value();
      }
    }
    return f.field().name();
  }

  /**
   * Computes the embeddings of {@code row} into {@code out}'s hidden slots; false when an {@code !inner} or a
   * {@code embed=[not.]is.null} filter drops the row.
   */
  private boolean embed(Node node, ObjectNode row, ObjectNode out) {
    for (Node child : node.children) {
      JsonNode value = childValue(child, row);
      boolean present = value != null && !(value.isArray() && value.isEmpty());
      if (child.inner() && !present) {
        return false;
      }
      out.set("\u0000" + child.outName() + "\u0000" + System.identityHashCode(child), value == null
          ? NODES.nullNode() : value);
    }
    for (Object[] ne : node.nullEmbed) {
      Node child = (Node) ne[0];
      boolean mustBePresent = (Boolean) ne[1];
      JsonNode v = out.get("\u0000" + child.outName() + "\u0000" + System.identityHashCode(child));
      boolean present = v != null && !v.isNull() && !(v.isArray() && v.isEmpty());
      if (present != mustBePresent) {
        return false;
      }
    }
    return true;
  }

  /** The embedded value for one parent row: the projected child row (to-one), a list of them, or null. */
  private JsonNode childValue(Node child, ObjectNode parent) {
    StringBuilder key = new StringBuilder();
    for (String c : child.rel.columns()) {
      JsonNode v = parent.get(c);
      if (v == null || v.isNull()) {
        return child.rel.toOne() ? null : NODES.arrayNode();
      }
      key.append(MemoryTable.key(List.of(c), parent)).append('\u0001');
    }
    List<ObjectNode> candidates = index(child).getOrDefault(key.toString(), List.of());
    Relation rel = Relation.of(child.sqlAlias(), table(child.table).spec());
    Result r = run(child, rel, candidates, child.range);
    if (child.rel.toOne()) {
      return r.rows().isEmpty() ? null : r.rows().get(0);
    }
    ArrayNode arr = NODES.arrayNode();
    r.rows().forEach(arr::add);
    return arr;
  }

  /** The visible rows of a child table by the values of its join columns. */
  private Map<String, List<ObjectNode>> index(Node child) {
    return childIndex.computeIfAbsent(child, n -> {
      Map<String, List<ObjectNode>> out = new HashMap<>();
      for (ObjectNode row : visibleRows(n.table)) {
        StringBuilder key = new StringBuilder();
        boolean anyNull = false;
        for (String c : n.rel.foreignColumns()) {
          JsonNode v = row.get(c);
          if (v == null || v.isNull()) {
            anyNull = true;
            break;
          }
          ObjectNode probe = NODES.objectNode();
          probe.set(n.rel.columns().get(n.rel.foreignColumns().indexOf(c)), v);
          key.append(MemoryTable.key(List.of(n.rel.columns().get(n.rel.foreignColumns().indexOf(c))), probe))
              .append('\u0001');
        }
        if (!anyNull) {
          out.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(row);
        }
      }
      return out;
    });
  }

  private void sort(Compiled c, List<ObjectNode[]> rows) {
    if (c.order().isEmpty()) {
      return;
    }
    rows.sort((x, y) -> {
      for (Object[] o : c.order()) {
        Url.OrderTerm t = (Url.OrderTerm) o[0];
        Accessor a = (Accessor) o[1];
        Node related = (Node) o[2];
        Typed vx = related == null ? a.get(x[0]) : relatedValue(related, a, x[1]);
        Typed vy = related == null ? a.get(y[0]) : relatedValue(related, a, y[1]);
        int cmp = compareForOrder(vx, vy, t);
        if (cmp != 0) {
          return cmp;
        }
      }
      return 0;
    });
  }

  private Typed relatedValue(Node related, Accessor a, ObjectNode embedded) {
    JsonNode child = embedded.get("\u0000" + related.outName() + "\u0000" + System.identityHashCode(related));
    ObjectNode raw = child instanceof ObjectNode o ? (ObjectNode) o.get("\u0000row") : null;
    return raw == null ? new Typed(a.type(), null) : a.get(raw);
  }

  private static int compareForOrder(Typed a, Typed b, Url.OrderTerm t) {
    boolean desc = Boolean.TRUE.equals(t.descending());
    boolean nullsFirst = t.nullsFirst() != null ? t.nullsFirst() : desc;
    if (a.isNull() || b.isNull()) {
      if (a.isNull() && b.isNull()) {
        return 0;
      }
      return a.isNull() == nullsFirst ? -1 : 1;
    }
    if (a.type() != null && a.type().kind == PgType.Kind.JSON) {
      throw new PgError("42883", "could not identify an ordering operator for type json", null,
          "Use an explicit ordering operator or modify the query.");
    }
    int cmp = PgCompare.compare(a.type(), a.value(), b.value());
    return desc ? -cmp : cmp;
  }

  /** The output row: selected fields in order, then embeddings and spreads in select order. */
  private ObjectNode project(Node node, Compiled c, ObjectNode row, ObjectNode embeds) {
    ObjectNode out = NODES.objectNode();
    MemoryTable t = table(node.table);
    for (Object[] o : c.output()) {
      if ("*".equals(o[0])) {
        List<String> cols = t.spec().columns().isEmpty() ? fieldNames(row) : t.spec().columns();
        for (String col : cols) {
          out.set(col, output(t.type(col), row.get(col)));
        }
        continue;
      }
      Typed v = ((Accessor) o[1]).get(row);
      out.set((String) o[0], o[2] == null ? output(v.type(), v.value()) : cast(v, (String) o[2]));
    }
    for (Node child : node.children) {
      JsonNode v = embeds.get("\u0000" + child.outName() + "\u0000" + System.identityHashCode(child));
      if (child.spread) {
        if (v instanceof ObjectNode o) {
          for (Iterator<Map.Entry<String, JsonNode>> it = o.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().startsWith("\u0000")) {
              out.set(e.getKey(), e.getValue());
            }
          }
        } else {
          Compiled cc = compiled.get(child);
          for (Object[] o : cc.output()) {
            if (!"*".equals(o[0])) {
              out.putNull((String) o[0]);
            }
          }
        }
        continue;
      }
      if (child.empty()) {
        continue;
      }
      out.set(child.outName(), v == null || v.isNull() ? NODES.nullNode() : PgJsonb.of(strip(v)));
    }
    out.set("\u0000row", row);
    return out;
  }

  /** A projected row without its bookkeeping, recursively. */
  static JsonNode strip(JsonNode v) {
    if (v instanceof ObjectNode o) {
      ObjectNode clean = NODES.objectNode();
      o.properties().iterator().forEachRemaining(e -> {
        if (!e.getKey().startsWith("\u0000")) {
          clean.set(e.getKey(), strip(e.getValue()));
        }
      });
      return clean;
    }
    if (v instanceof ArrayNode a && !(v instanceof dev.holdfast.testkit.internal.rest.PgNodes.Agg)) {
      ArrayNode clean = NODES.arrayNode();
      a.forEach(e -> clean.add(strip(e)));
      return clean;
    }
    return v;
  }

  private static List<String> fieldNames(ObjectNode row) {
    List<String> out = new ArrayList<>();
    row.fieldNames().forEachRemaining(n -> {
      if (!n.startsWith("\u0000")) {
        out.add(n);
      }
    });
    return out;
  }

  /** A stored value as PostgREST outputs it: timestamps in the session's zone, the rest as stored. */
  JsonNode output(PgType type, JsonNode v) {
    if (v == null) {
      return NODES.nullNode();
    }
    if (type != null && type.kind == PgType.Kind.TIMESTAMPTZ && v.isTextual()) {
      return NODES.textNode(PgTime.json(v.textValue(), zone));
    }
    return v;
  }

  private JsonNode cast(Typed v, String cast) {
    if (v.isNull()) {
      return NODES.nullNode();
    }
    PgType target = castType(cast);
    String text = v.type() != null && v.type().kind == PgType.Kind.TIMESTAMPTZ
        ? PgType.outputText(v.type(), NODES.textNode(PgTime.json(v.value().textValue(), zone)))
        : PgType.outputText(v.type(), v.value());
    return output(target, target.fromText(text, zone));
  }

  private static PgType castType(String name) {
    try {
      return PgType.cached(name);
    } catch (IllegalArgumentException e) {
      throw MockPostgrestError.unsupported("casts to " + name + " (it casts to " + PgType.SUPPORTED + ")");
    }
  }
}
