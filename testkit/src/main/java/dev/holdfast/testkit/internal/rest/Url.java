package dev.holdfast.testkit.internal.rest;

import java.util.List;

/**
 * The parsed pieces of a PostgREST URL, as PostgREST's {@code ApiRequest.Types} names them: fields with JSON
 * paths, select trees, filters and their operations, logic trees and order terms. Immutable values.
 */
public final class Url {
  private Url() {}

  /** {@code ->} or {@code ->>} with a key or an index. */
  public record JsonOp(boolean text, boolean index, String value) {}

  /** A column and its JSON path: {@code data->a->>b}. */
  public record Field(String name, List<JsonOp> path) {
    public Field {
      path = List.copyOf(path);
    }

    public static Field of(String name) {
      return new Field(name, List.of());
    }
  }

  /** One item of {@code select=}. */
  public sealed interface SelectItem permits SelectField, SelectRelation, SpreadRelation {}

  /** A column, {@code *} or {@code count()}; {@code aggregate} is sum/avg/max/min/count or null. */
  public record SelectField(Field field, String aggregate, String aggregateCast, String cast, String alias)
      implements SelectItem {}

  /** {@code alias:relation!hint!inner(...)}. */
  public record SelectRelation(String relation, String alias, String hint, String joinType) implements SelectItem {}

  /** {@code ...relation!hint(...)}. */
  public record SpreadRelation(String relation, String hint, String joinType) implements SelectItem {}

  /** A select item and the items nested in it. */
  public record SelectNode(SelectItem item, List<SelectNode> children) {
    public SelectNode {
      children = List.copyOf(children);
    }
  }

  /** What follows the column in a filter. */
  public sealed interface Operation permits SimpleOp, QuantOp, InOp, IsOp, IsDistinct, FtsOp {}

  /** neq, cs, cd, ov, sl, sr, nxr, nxl, adj. */
  public record SimpleOp(String op, String value) implements Operation {}

  /** eq, gte, gt, lte, lt, like, ilike, match, imatch, optionally with {@code (any)}/{@code (all)}. */
  public record QuantOp(String op, String quantifier, String value) implements Operation {}

  /** {@code in.(a,b)}. */
  public record InOp(List<String> values) implements Operation {
    public InOp {
      values = List.copyOf(values);
    }
  }

  /** {@code is.null|not_null|true|false|unknown}. */
  public record IsOp(String value) implements Operation {}

  /** {@code isdistinct.v}. */
  public record IsDistinct(String value) implements Operation {}

  /** fts, plfts, phfts, wfts with an optional language. */
  public record FtsOp(String op, String language, String value) implements Operation {}

  /** An operator expression, negated by {@code not.}; {@code operation} is null for an RPC argument. */
  public record OpExpr(boolean negated, Operation operation, String rawValue) {}

  /** {@code field=opExpr}. */
  public record Filter(Field field, OpExpr expr) {}

  /** A logic tree: a filter, or {@code [not.]and(...)} / {@code [not.]or(...)}. */
  public sealed interface LogicTree permits Stmnt, Expr {}

  public record Stmnt(Filter filter) implements LogicTree {}

  public record Expr(boolean negated, boolean and, List<LogicTree> children) implements LogicTree {
    public Expr {
      children = List.copyOf(children);
    }
  }

  /** {@code field.desc.nullsfirst}; {@code relation} is set for {@code rel(field)}; booleans are null when absent. */
  public record OrderTerm(String relation, Field field, Boolean descending, Boolean nullsFirst) {}
}
