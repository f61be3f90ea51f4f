package dev.holdfast.postgrest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Filter;
import dev.holdfast.Order;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FilterEncoderTest {
  private static List<QueryParam> encode(Filter f) {
    return FilterEncoder.encode(f).orElseThrow();
  }

  @Test
  void writesEachComparisonAsItsOwnParameter() {
    Filter f = Filter.allOf(Filter.eq("a", 1), Filter.neq("b", "x"), Filter.gt("c", 2), Filter.gte("d", 3),
        Filter.lt("e", 4), Filter.lte("f", 5));
    assertThat(encode(f)).containsExactly(new QueryParam("a", "eq.1"), new QueryParam("b", "neq.x"),
        new QueryParam("c", "gt.2"), new QueryParam("d", "gte.3"), new QueryParam("e", "lt.4"),
        new QueryParam("f", "lte.5"));
  }

  @Test
  void leavesTopLevelValuesUnquotedBecausePostgrestReadsThemVerbatim() {
    assertThat(encode(Filter.eq("title", "a,b.(c)"))).containsExactly(new QueryParam("title", "eq.a,b.(c)"));
  }

  @Test
  void quotesListMembersThatContainReservedCharacters() {
    Filter f = Filter.in("t", List.of("plain", "a,b", "x.y", "p:q", "(z)", "sp ace", "q\"uote", "back\\slash", "",
        "null", "st*r"));
    assertThat(encode(f)).containsExactly(new QueryParam("t",
        "in.(plain,\"a,b\",\"x.y\",\"p:q\",\"(z)\",\"sp ace\",\"q\\\"uote\",\"back\\\\slash\",\"\",\"null\","
            + "\"st*r\")"));
  }

  @Test
  void writesNumbersBooleansUuidsAndInstantsAsText() {
    UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    Filter f = Filter.allOf(Filter.eq("n", new BigDecimal("1E+3")), Filter.eq("b", true), Filter.eq("u", id),
        Filter.gte("at", Instant.parse("2026-01-02T03:04:05Z")));
    assertThat(encode(f)).containsExactly(new QueryParam("n", "eq.1000"), new QueryParam("b", "eq.true"),
        new QueryParam("u", "eq." + id), new QueryParam("at", "gte.2026-01-02T03:04:05Z"));
  }

  @Test
  void nestsOrAndAndNotAsLogicTreesWithQuotedValues() {
    Filter f = Filter.anyOf(Filter.eq("a", "x,y"), Filter.allOf(Filter.gt("b", 1.5), Filter.isNull("c")),
        Filter.anyOf(Filter.eq("d", 1), Filter.eq("e", 2)).negate(), Filter.eq("f", "z").negate());
    assertThat(encode(f)).containsExactly(new QueryParam("or",
        "(a.eq.\"x,y\",and(b.gt.\"1.5\",c.is.null),not.or(d.eq.1,e.eq.2),f.not.eq.z)"));
  }

  @Test
  void writesNegatedGroupsAtTopLevelWithNotPrefix() {
    assertThat(encode(Filter.allOf(Filter.eq("a", 1), Filter.eq("b", 2)).negate()))
        .containsExactly(new QueryParam("not.and", "(a.eq.1,b.eq.2)"));
    assertThat(encode(Filter.in("a", List.of(1, 2)).negate())).containsExactly(new QueryParam("a", "not.in.(1,2)"));
    assertThat(encode(Filter.isNull("a").negate())).containsExactly(new QueryParam("a", "not.is.null"));
  }

  @Test
  void reportsFilterThatMatchesNothingInsteadOfSendingIt() {
    assertThat(FilterEncoder.encode(Filter.in("a", List.of()))).isEmpty();
    assertThat(FilterEncoder.encode(Filter.anyOf())).isEmpty();
    assertThat(FilterEncoder.encode(Filter.eq("a", 1).and(Filter.anyOf()))).isEmpty();
    assertThat(FilterEncoder.encode(Filter.all().negate())).isEmpty();
  }

  @Test
  void dropsConstantTrueParts() {
    assertThat(encode(Filter.all())).isEmpty();
    assertThat(encode(Filter.anyOf(Filter.eq("a", 1), Filter.all()))).isEmpty();
    assertThat(encode(Filter.anyOf(Filter.eq("a", 1), Filter.in("b", List.of()))))
        .containsExactly(new QueryParam("a", "eq.1"));
    assertThat(encode(Filter.in("a", List.of()).negate())).isEmpty();
  }

  @Test
  void sendsLikePatternsAsIsAndTurnsLiteralStarsIntoAnAnchoredRegex() {
    assertThat(encode(Filter.ilike("t", "%inv_ice\\%%"))).containsExactly(new QueryParam("t", "ilike.%inv_ice\\%%"));
    assertThat(encode(Filter.like("t", "a*b%"))).containsExactly(new QueryParam("t", "match.^a\\*b.*$"));
    assertThat(encode(Filter.ilike("t", "(x)*_"))).containsExactly(new QueryParam("t", "imatch.^\\(x\\)\\*.$"));
  }

  @Test
  void ordersWithDirectionAndNulls() {
    assertThat(FilterEncoder.order(List.of(Order.desc("a").nullsLast(), Order.asc("b").nullsFirst(),
        Order.asc("c")))).isEqualTo("a.desc.nullslast,b.asc.nullsfirst,c.asc");
  }
}
