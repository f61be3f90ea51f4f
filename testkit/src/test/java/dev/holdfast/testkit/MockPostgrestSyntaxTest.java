package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Filter;
import dev.holdfast.Order;
import java.util.List;
import org.junit.jupiter.api.Test;

class MockPostgrestSyntaxTest {
  @Test
  void readsColumnFiltersWithNegation() {
    assertThat(MockPostgrestSyntax.columnFilter("id", "eq.5")).isEqualTo(Filter.eq("id", "5"));
    assertThat(MockPostgrestSyntax.columnFilter("t", "not.like.a*b")).isEqualTo(Filter.like("t", "a%b").negate());
    assertThat(MockPostgrestSyntax.columnFilter("t", "is.null")).isEqualTo(Filter.isNull("t"));
    assertThat(MockPostgrestSyntax.columnFilter("t", "eq.a,b.(c)")).isEqualTo(Filter.eq("t", "a,b.(c)"));
  }

  @Test
  void readsInListsWithQuotedMembersAndEscapes() {
    assertThat(MockPostgrestSyntax.columnFilter("t", "in.(a,\"b,c\",\"q\\\"x\",\"back\\\\\",\"\")"))
        .isEqualTo(Filter.in("t", List.of("a", "b,c", "q\"x", "back\\", "")));
    assertThat(MockPostgrestSyntax.columnFilter("t", "in.()")).isEqualTo(Filter.in("t", List.of()));
  }

  @Test
  void readsNestedLogicTrees() {
    Filter f = MockPostgrestSyntax.tree("or", "(a.eq.\"x,y\",and(b.gt.1,c.is.null),not.or(d.eq.1,e.eq.2),f.not.in.(1,2))");

    assertThat(f).isEqualTo(Filter.anyOf(Filter.eq("a", "x,y"), Filter.allOf(Filter.gt("b", "1"), Filter.isNull("c")),
        Filter.anyOf(Filter.eq("d", "1"), Filter.eq("e", "2")).negate(), Filter.in("f", List.of("1", "2")).negate()));
    assertThat(MockPostgrestSyntax.tree("not.and", "(a.eq.1,b.eq.2)"))
        .isEqualTo(Filter.allOf(Filter.eq("a", "1"), Filter.eq("b", "2")).negate());
  }

  @Test
  void readsAnchoredRegexesThatAreLikePatterns() {
    assertThat(MockPostgrestSyntax.regexToLike("^a\\*b.*$")).isEqualTo("a*b%");
    assertThat(MockPostgrestSyntax.regexToLike("^\\(x\\)\\*.%$")).isEqualTo("(x)*_\\%");
    assertThatThrownBy(() -> MockPostgrestSyntax.regexToLike("^a+$")).isInstanceOf(MockPostgrestError.class);
  }

  @Test
  void readsOrderAndSelect() {
    assertThat(MockPostgrestSyntax.order("a.desc.nullslast,b,c.asc.nullsfirst"))
        .containsExactly(Order.desc("a").nullsLast(), Order.asc("b"), Order.asc("c").nullsFirst());
    assertThat(MockPostgrestSyntax.select("id,label:title")).containsExactly(
        new MockPostgrestSyntax.Selected("id", "id"), new MockPostgrestSyntax.Selected("label", "title"));
    assertThat(MockPostgrestSyntax.select("*")).isEmpty();
  }

  @Test
  void rejectsWhatItDoesNotEmulateWithPgrst100() {
    assertThatThrownBy(() -> MockPostgrestSyntax.select("id,owner:users(name)"))
        .isInstanceOfSatisfying(MockPostgrestError.class, e -> assertThat(e.code).isEqualTo("PGRST100"));
    assertThatThrownBy(() -> MockPostgrestSyntax.columnFilter("t", "fts.cat"))
        .isInstanceOf(MockPostgrestError.class);
    assertThatThrownBy(() -> MockPostgrestSyntax.tree("or", "(a.eq.1"))
        .isInstanceOf(MockPostgrestError.class);
  }
}
