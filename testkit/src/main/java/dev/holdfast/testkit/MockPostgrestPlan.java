package dev.holdfast.testkit;

import dev.holdfast.testkit.internal.rest.PgJson;
import dev.holdfast.testkit.internal.rest.QueryParams;
import dev.holdfast.testkit.internal.rest.Range;
import dev.holdfast.testkit.internal.rest.Url;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PostgREST 13's read plan ({@code Plan.readPlan}) for MockPostgrest: the tree of the resource and the resources
 * embedded in it, each with its filters, logic trees, order and range, built in PostgREST's order so that the same
 * request fails with the same error first ({@code PGRST108} for a filter, order or limit on a resource not in
 * {@code select}, then {@code PGRST200}/{@code PGRST201} for an embedding no foreign key or more than one
 * supports, {@code PGRST118} for ordering by a to-many embedding, {@code PGRST123} for aggregates). Not
 * thread-safe; built per request.
 */
final class MockPostgrestPlan {
  /** One resource of the plan. */
  static final class Node {
    final String relName;
    final String alias;
    final String hint;
    final String joinType;
    final boolean spread;
    final int depth;
    final List<Url.SelectField> fields = new ArrayList<>();
    final List<Node> children = new ArrayList<>();
    final List<Url.Filter> filters = new ArrayList<>();
    final List<Url.LogicTree> logic = new ArrayList<>();
    /** Filters {@code embed=is.null} / {@code embed=not.is.null}: the child and whether it must be present. */
    final List<Object[]> nullEmbed = new ArrayList<>();
    List<Url.OrderTerm> order = List.of();
    boolean orderSet;
    Range range = Range.ALL;
    String table;
    TableSpec spec;
    MockPostgrestSchema.Relationship rel;

    Node(String relName, String alias, String hint, String joinType, boolean spread, int depth) {
      this.relName = relName;
      this.alias = alias;
      this.hint = hint;
      this.joinType = joinType;
      this.spread = spread;
      this.depth = depth;
    }

    String outName() {
      return alias != null ? alias : relName;
    }

    /** The name PostgreSQL's errors give this resource: the table at the top, {@code <table>_<depth>} below. */
    String sqlAlias() {
      return depth == 0 ? table : table + "_" + depth;
    }

    boolean inner() {
      return "inner".equals(joinType);
    }

    /** An embedding with nothing selected in it or below: used to filter only, left out of the output. */
    boolean empty() {
      return fields.isEmpty() && children.stream().allMatch(Node::empty);
    }

    Node child(String name) {
      for (Node c : children) {
        if (c.relName.equals(name) || name.equals(c.alias)) {
          return c;
        }
      }
      return null;
    }
  }

  private MockPostgrestPlan() {}

  /**
   * The plan for {@code req} on {@code table} (a table, or the table a function returns rows of).
   *
   * @param mutation whether the top-level filters belong to a mutation (then they are not the plan's)
   */
  static Node build(MockPostgrestRequest req, MockPostgrestSchema cache, String table, TableSpec spec,
      boolean mutation, MockPostgrestOptions options) {
    Node root = new Node(table, null, null, null, false, 0);
    root.table = table;
    root.spec = spec;
    addSelect(root, req.query.select);
    for (QueryParams.AtPath<Url.Filter> f : req.query.filters) {
      if (mutation && f.path().isEmpty()) {
        continue;
      }
      find(root, f.path()).filters.add(f.value());
    }
    for (QueryParams.AtPath<List<Url.OrderTerm>> o : req.query.order) {
      Node n = find(root, o.path());
      if (!n.orderSet) {
        n.order = o.value();
        n.orderSet = true;
      }
    }
    if (!mutation) {
      for (Map.Entry<String, Range> r : req.ranges.entrySet()) {
        List<String> path = r.getKey().equals("limit") ? List.of() : QueryParams.treePath(r.getKey());
        find(root, path).range = r.getValue();
      }
    }
    for (QueryParams.AtPath<Url.LogicTree> l : req.query.logic) {
      find(root, l.path()).logic.add(l.value());
    }
    addRelationships(root, req.schema, cache);
    relatedOrders(root);
    nullEmbedFilters(root);
    aggregates(root, options);
    if (!mutation) {
      restrict(root, options.maxRows());
    }
    return root;
  }

  private static void addSelect(Node node, List<Url.SelectNode> select) {
    for (Url.SelectNode s : select) {
      if (s.item() instanceof Url.SelectField f) {
        node.fields.add(f);
      } else if (s.item() instanceof Url.SelectRelation r) {
        Node c = new Node(r.relation(), r.alias(), r.hint(), r.joinType(), false, node.depth + 1);
        addSelect(c, s.children());
        node.children.add(c);
      } else {
        Url.SpreadRelation r = (Url.SpreadRelation) s.item();
        Node c = new Node(r.relation(), null, r.hint(), r.joinType(), true, node.depth + 1);
        addSelect(c, s.children());
        node.children.add(c);
      }
    }
    if (node.depth == 0 && node.fields.isEmpty() && node.children.isEmpty()) {
      node.fields.add(new Url.SelectField(Url.Field.of("*"), null, null, null, null));
    }
  }

  private static Node find(Node root, List<String> path) {
    Node n = root;
    for (String segment : path) {
      Node next = n.child(segment);
      if (next == null) {
        throw notEmbedded(segment);
      }
      n = next;
    }
    return n;
  }

  private static MockPostgrestError notEmbedded(String name) {
    return new MockPostgrestError(400, "PGRST108", "'" + name + "' is not an embedded resource in this request", null,
        "Verify that '" + name + "' is included in the 'select' query parameter.");
  }

  /** {@code addRels} and {@code findRel}. */
  private static void addRelationships(Node parent, String schema, MockPostgrestSchema cache) {
    for (Node c : parent.children) {
      List<MockPostgrestSchema.Relationship> found = new ArrayList<>();
      for (MockPostgrestSchema.Relationship r : cache.relationships(schema, parent.table)) {
        if (matches(r, c.relName, c.hint)) {
          found.add(r);
        }
      }
      if (found.isEmpty()) {
        throw new MockPostgrestError(400, "PGRST200", "Could not find a relationship between '" + parent.table
            + "' and '" + c.relName + "' in the schema cache", "Searched for a foreign key relationship between '"
            + parent.table + "' and '" + c.relName + (c.hint == null ? "" : "' using the hint '" + c.hint)
            + "' in the schema '" + schema + "', but no matches were found.",
            cache.noRelationshipHint(schema, parent.table, c.relName));
      }
      if (found.size() > 1) {
        throw ambiguous(parent.table, c.relName, found);
      }
      c.rel = found.get(0);
      c.table = c.rel.foreignTable();
      c.spec = cache.table(schema, c.table);
      if (c.spread && !c.rel.toOne()) {
        throw MockPostgrestError.unsupported("spreading a to-many embedding (..." + c.relName + ")");
      }
      addRelationships(c, schema, cache);
    }
  }

  private static boolean matches(MockPostgrestSchema.Relationship r, String target, String hint) {
    boolean single = r.columns().size() == 1;
    boolean m2o = r.cardinality() == MockPostgrestSchema.Cardinality.M2O;
    boolean o2m = r.cardinality() == MockPostgrestSchema.Cardinality.O2M;
    if (r.self()) {
      if (hint == null) {
        return (target.equals(r.foreignTable()) && o2m) || (single && r.columns().get(0).equals(target) && m2o);
      }
      return target.equals(r.foreignTable()) && o2m && single && r.foreignColumns().get(0).equals(hint);
    }
    if (hint == null) {
      return target.equals(r.foreignTable()) || target.equals(r.constraint())
          || (single && r.columns().get(0).equals(target));
    }
    return target.equals(r.foreignTable()) && (hint.equals(r.constraint())
        || (single && (r.columns().get(0).equals(hint) || r.foreignColumns().get(0).equals(hint))));
  }

  /** {@code 300 PGRST201} with PostgREST's details array and hint. */
  private static MockPostgrestError ambiguous(String origin, String target,
      List<MockPostgrestSchema.Relationship> rels) {
    StringBuilder details = new StringBuilder("[");
    List<String> hints = new ArrayList<>();
    for (MockPostgrestSchema.Relationship r : rels) {
      String card = switch (r.cardinality()) {
        case M2O -> "many-to-one";
        case O2M -> "one-to-many";
        case O2O -> "one-to-one";
      };
      String relationship = r.constraint() + " using " + r.table() + "(" + String.join(", ", r.columns()) + ") and "
          + r.foreignTable() + "(" + String.join(", ", r.foreignColumns()) + ")";
      details.append(details.length() > 1 ? "," : "").append(PgJson.aeson(new java.util.TreeMap<>(Map.of(
          "cardinality", card, "embedding", r.table() + " with " + r.foreignTable(), "relationship", relationship))));
      hints.add("'" + r.foreignTable() + "!" + r.constraint() + "'");
    }
    details.append(']');
    return new MockPostgrestError(300, "PGRST201", "Could not embed because more than one relationship was found for '"
        + origin + "' and '" + target + "'", details.toString(), "Try changing '" + target
        + "' to one of the following: " + String.join(", ", hints) + ". Find the desired relationship in the "
        + "'details' key.", true);
  }

  /** {@code addRelatedOrders}: {@code order=rel(col)} needs {@code rel} embedded and to-one. */
  private static void relatedOrders(Node node) {
    for (Url.OrderTerm t : node.order) {
      if (t.relation() == null) {
        continue;
      }
      Node c = node.child(t.relation());
      if (c == null) {
        throw notEmbedded(t.relation());
      }
      if (!c.rel.toOne()) {
        throw new MockPostgrestError(400, "PGRST118", "A related order on '" + c.outName() + "' is not possible",
            "'" + node.table + "' and '" + c.outName() + "' do not form a many-to-one or one-to-one relationship",
            null);
      }
    }
    node.children.forEach(MockPostgrestPlan::relatedOrders);
  }

  /** {@code addNullEmbedFilters}: {@code embed=is.null} on an embedded resource tests its presence. */
  private static void nullEmbedFilters(Node node) {
    for (java.util.Iterator<Url.Filter> it = node.filters.iterator(); it.hasNext(); ) {
      Url.Filter f = it.next();
      Node c = f.field().path().isEmpty() ? node.child(f.field().name()) : null;
      if (c != null && f.expr().operation() instanceof Url.IsOp is && is.value().equals("null")) {
        node.nullEmbed.add(new Object[] {c, f.expr().negated()});
        it.remove();
      }
    }
    node.children.forEach(MockPostgrestPlan::nullEmbedFilters);
  }

  private static void aggregates(Node node, MockPostgrestOptions options) {
    for (Url.SelectField f : node.fields) {
      if (f.aggregate() != null) {
        if (!options.aggregates()) {
          throw new MockPostgrestError(400, "PGRST123", "Use of aggregate functions is not allowed", null, null);
        }
        throw MockPostgrestError.unsupported("aggregate functions (" + f.aggregate() + "())");
      }
    }
    node.children.forEach(c -> aggregates(c, options));
  }

  /** {@code treeRestrictRange}: {@code db-max-rows} caps every level. */
  private static void restrict(Node node, Long maxRows) {
    node.range = Range.limitZeroOr(node.range, node.range.restrict(maxRows));
    node.children.forEach(c -> restrict(c, maxRows));
  }
}
