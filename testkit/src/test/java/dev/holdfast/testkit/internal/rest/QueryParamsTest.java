package dev.holdfast.testkit.internal.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.testkit.internal.rest.Url.Expr;
import dev.holdfast.testkit.internal.rest.Url.Field;
import dev.holdfast.testkit.internal.rest.Url.Filter;
import dev.holdfast.testkit.internal.rest.Url.InOp;
import dev.holdfast.testkit.internal.rest.Url.OrderTerm;
import dev.holdfast.testkit.internal.rest.Url.QuantOp;
import dev.holdfast.testkit.internal.rest.Url.SelectField;
import dev.holdfast.testkit.internal.rest.Url.SelectRelation;
import dev.holdfast.testkit.internal.rest.Url.Stmnt;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the port of PostgREST's QueryParams.parse makes of query strings (successes; errors: the doctests). */
class QueryParamsTest {
  private static QueryParams parse(String query) {
    return QueryParams.parse(false, query);
  }

  @Test
  void readsColumnFiltersWithNegationAndKeepsTheRestOfTheValue() {
    Filter f = parse("t=not.eq.a,b.(c)").filters.get(0).value();

    assertThat(f.field()).isEqualTo(Field.of("t"));
    assertThat(f.expr().negated()).isTrue();
    assertThat(f.expr().operation()).isEqualTo(new QuantOp("eq", null, "a,b.(c)"));
  }

  @Test
  void readsInListsWithQuotedMembersEscapesAndTheEmptyElement() {
    Url.Operation op = parse("t=in.(a,%22b,c%22,%22q%5C%22x%22,%22back%5C%5C%22)").filters.get(0).value().expr()
        .operation();

    assertThat(op).isEqualTo(new InOp(List.of("a", "b,c", "q\"x", "back\\")));
    assertThat(parse("t=in.()").filters.get(0).value().expr().operation()).isEqualTo(new InOp(List.of("")));
    assertThat(parse("t=in.(%22%22)").filters.get(0).value().expr().operation()).isEqualTo(new InOp(List.of("")));
  }

  @Test
  void readsNestedLogicTreesWithTheirEmbedPaths() {
    QueryParams q = parse("or=(a.eq.%22x,y%22,and(b.gt.1,c.is.null),not.or(d.eq.1))&users.not.and=(e.eq.1)");

    Expr top = (Expr) q.logic.get(0).value();
    assertThat(top.and()).isFalse();
    assertThat(((Stmnt) top.children().get(0)).filter().expr().operation()).isEqualTo(new QuantOp("eq", null, "x,y"));
    assertThat(((Expr) top.children().get(2)).negated()).isTrue();
    assertThat(q.logic.get(1).path()).containsExactly("users");
    assertThat(((Expr) q.logic.get(1).value()).negated()).isTrue();
  }

  @Test
  void readsOrderSelectAndTheReservedParameters() {
    QueryParams q = parse("select=id,label:title,users!inner(name)&order=a.desc.nullslast,b&columns=x,y"
        + "&on_conflict=x&limit=5&offset=10");

    assertThat(q.order.get(0).value()).containsExactly(new OrderTerm(null, Field.of("a"), true, false),
        new OrderTerm(null, Field.of("b"), null, null));
    assertThat(q.select.get(1).item()).isEqualTo(new SelectField(Field.of("title"), null, null, null, "label"));
    assertThat(q.select.get(2).item()).isEqualTo(new SelectRelation("users", null, null, "inner"));
    assertThat(q.columns).containsExactly("x", "y");
    assertThat(q.onConflict).containsExactly("x");
    assertThat(q.ranges.get("limit")).isEqualTo(new Range(10L, 14L));
    assertThat(q.filters).isEmpty();
  }

  @Test
  void splitsOnSemicolonsAndReadsPlusAsASpace() {
    QueryParams q = parse("a=eq.x+y;b=eq.z");

    assertThat(q.filters).hasSize(2);
    assertThat(q.filters.get(0).value().expr().operation()).isEqualTo(new QuantOp("eq", null, "x y"));
  }

  @Test
  void aQuotedNameIsAFilterEvenWhenItIsReserved() {
    assertThat(parse("%22select%22=eq.1").filters.get(0).value().field()).isEqualTo(Field.of("select"));
    assertThat(parse("select=id").filters).isEmpty();
    assertThatThrownBy(() -> parse("select=eq.1")).isInstanceOf(QueryParams.Invalid.class);
  }

  @Test
  void rpcReadsTakeParametersWithoutAnOperatorAsArguments() {
    QueryParams q = QueryParams.parse(true, "a=1&b=eq.2");

    assertThat(q.rpcParams).hasSize(1);
    assertThat(q.rpcParams.get(0)).containsExactly("a", "1");
    assertThat(q.filters).hasSize(1);
  }

  @Test
  void writesTheCanonicalQueryOfContentLocation() {
    assertThat(parse("select=id,name&order=id&a=eq.1&a=eq.2").canonical)
        .isEqualTo("a=eq.1,eq.2&order=id&select=id%2Cname");
    assertThat(QueryStrings.canonical(QueryStrings.split("t=eq.%C3%BC"))).isEqualTo("t=eq.%C3%83%C2%BC");
  }
}
