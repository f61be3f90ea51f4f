package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.testkit.internal.RowMatcher.Truth;
import dev.holdfast.testkit.internal.rest.Levenshtein;
import dev.holdfast.testkit.internal.rest.PgError;
import dev.holdfast.testkit.internal.rest.PgJsonb;
import dev.holdfast.testkit.internal.rest.PgNodes;
import dev.holdfast.testkit.internal.rest.PgType;
import dev.holdfast.testkit.internal.rest.Url;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compiles PostgREST filters and logic trees against a relation into row predicates with SQL's three-valued
 * logic, as PostgreSQL would run {@code WHERE "t"."c" = 'literal'}: columns and JSON paths are resolved here (an
 * unknown column is {@code 42703 column t.c does not exist} with PostgreSQL's hint), the operators are
 * {@link MockPostgrestOperators}. Literals are read as the column's type when the query is planned, so
 * {@code id=eq.abc} is {@code 22P02} even on an empty table. Untyped columns compare as the in-memory engine
 * always has. Stateless; predicates are thread-safe.
 */
final class MockPostgrestEval {
  private static final JsonNodeFactory NODES = new JsonNodeFactory(true);

  private MockPostgrestEval() {}

  /** A relation filters run against: its name in error messages, its columns (empty: any) and their types. */
  record Relation(String alias, List<String> columns, Map<String, String> types) {
    PgType type(String column) {
      String t = types.get(column);
      return t == null ? null : PgType.cached(t);
    }

    void require(String column) {
      if (!columns.isEmpty() && !columns.contains(column)) {
        throw missingColumn(alias, column, columns);
      }
    }

    static Relation of(String alias, TableSpec spec) {
      return new Relation(alias, spec.columns(), spec.types());
    }
  }

  static PgError missingColumn(String alias, String column, List<String> columns) {
    return new PgError("42703", "column " + alias + "." + column + " does not exist", null,
        Levenshtein.missingColumnHint(alias, column, columns));
  }

  /** A value and its type (null for an untyped column); {@code value} null is SQL NULL. */
  record Typed(PgType type, JsonNode value) {
    boolean isNull() {
      return value == null || value.isNull() || value.isMissingNode();
    }
  }

  interface Accessor {
    Typed get(ObjectNode row);

    PgType type();
  }

  interface Pred {
    Truth test(ObjectNode row);
  }

  /** The accessor of {@code field} (a column and its JSON path). */
  static Accessor field(Relation rel, Url.Field field) {
    rel.require(field.name());
    PgType columnType = rel.type(field.name());
    if (field.path().isEmpty()) {
      return new Accessor() {
        @Override
        public Typed get(ObjectNode row) {
          return new Typed(columnType, row.get(field.name()));
        }

        @Override
        public PgType type() {
          return columnType;
        }
      };
    }
    boolean json = columnType != null && columnType.kind == PgType.Kind.JSON;
    boolean lastText = field.path().get(field.path().size() - 1).text();
    PgType resultType = lastText ? PgType.cached("text") : PgType.cached(json ? "json" : "jsonb");
    return new Accessor() {
      @Override
      public Typed get(ObjectNode row) {
        JsonNode v = row.get(field.name());
        if (v == null || v.isNull()) {
          return new Typed(resultType, null);
        }
        JsonNode cur = toJson(columnType, v);
        for (int i = 0; i < field.path().size() && cur != null; i++) {
          Url.JsonOp op = field.path().get(i);
          cur = step(cur, op);
          if (cur != null && op.text()) {
            cur = cur.isNull() ? null : cur.isTextual() ? NODES.textNode(cur.textValue())
                : NODES.textNode(PgJsonb.of(cur).toString());
            if (i < field.path().size() - 1) {
              // ->> yields text; a further arrow would need json again (PostgreSQL: operator does not exist).
              throw new PgError("42883", "operator does not exist: text -> unknown", null,
                  MockPostgrestOperators.NO_OPERATOR_HINT);
            }
          }
        }
        if (cur == null) {
          return new Typed(resultType, null);
        }
        return new Typed(resultType, lastText ? cur : json ? new PgNodes.JsonText(cur.toString(), cur)
            : PgJsonb.of(cur));
      }

      @Override
      public PgType type() {
        return resultType;
      }
    };
  }

  /** {@code to_jsonb(value)} for a stored value, or the tree of a json/jsonb value. */
  static JsonNode toJson(PgType type, JsonNode v) {
    if (v instanceof PgNodes.Jsonb j) {
      return j.tree();
    }
    if (v instanceof PgNodes.JsonText j) {
      return j.tree();
    }
    if (type == null && (v.isContainerNode() || v.isNumber() || v.isBoolean())) {
      return v;
    }
    if (type != null && type.kind == PgType.Kind.TIMESTAMPTZ) {
      return NODES.textNode(v.textValue());
    }
    return v;
  }

  private static JsonNode step(JsonNode cur, Url.JsonOp op) {
    if (op.index()) {
      if (!cur.isArray()) {
        return null;
      }
      int i = Integer.parseInt(op.value());
      int at = i < 0 ? cur.size() + i : i;
      return at >= 0 && at < cur.size() ? cur.get(at) : null;
    }
    return cur.isObject() ? cur.get(op.value()) : null;
  }

  static Pred filter(Relation rel, Url.Filter f, ZoneId zone) {
    Accessor a = field(rel, f.field());
    Pred p = MockPostgrestOperators.operation(a, f.expr().operation(), zone);
    return f.expr().negated() ? row -> p.test(row).not() : p;
  }

  static Pred tree(Relation rel, Url.LogicTree t, ZoneId zone) {
    if (t instanceof Url.Stmnt s) {
      return filter(rel, s.filter(), zone);
    }
    Url.Expr e = (Url.Expr) t;
    List<Pred> children = new ArrayList<>();
    e.children().forEach(c -> children.add(tree(rel, c, zone)));
    Pred combined = e.and() ? row -> and(children, row) : row -> or(children, row);
    return e.negated() ? row -> combined.test(row).not() : combined;
  }

  static Truth and(List<Pred> preds, ObjectNode row) {
    Truth result = Truth.TRUE;
    for (Pred p : preds) {
      Truth t = p.test(row);
      if (t == Truth.FALSE) {
        return Truth.FALSE;
      }
      if (t == Truth.UNKNOWN) {
        result = Truth.UNKNOWN;
      }
    }
    return result;
  }

  static Truth or(List<Pred> preds, ObjectNode row) {
    Truth result = Truth.FALSE;
    for (Pred p : preds) {
      Truth t = p.test(row);
      if (t == Truth.TRUE) {
        return Truth.TRUE;
      }
      if (t == Truth.UNKNOWN) {
        result = Truth.UNKNOWN;
      }
    }
    return result;
  }

}
