package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class QueryModelTest {
  @Test
  void rejectsColumnNamesThatAreNotIdentifiers() {
    for (String bad : List.of("", "1abc", "name; drop table x", "a-b", "\"quoted\"", "a.b", "x".repeat(64))) {
      assertThatThrownBy(() -> Filter.eq(bad, 1))
          .as(bad).isInstanceOf(InvalidRequestException.class).hasMessageContaining("Invalid column name");
    }
    assertThat(Identifier.isValid("created_at")).isTrue();
    assertThat(Identifier.isValid("_x9")).isTrue();
    assertThat(Identifier.isValid("Z".repeat(63))).isTrue();
    // Only ASCII: Character.isLetterOrDigit would let these through, and PostgreSQL folds or rejects them.
    for (String bad : List.of("é", "a\u0660", "\uff21", "_\u0000", "a b", "9")) {
      assertThat(Identifier.isValid(bad)).as(bad).isFalse();
    }
  }

  @Test
  void rejectsValuesThatAreNotScalars() {
    assertThatThrownBy(() -> Filter.eq("tags", List.of("a"))).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> Filter.eq("id", null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("isNull");
    assertThat(Filter.eq("id", UUID.randomUUID())).isNotNull();
    assertThat(Filter.gte("at", Instant.EPOCH)).isNotNull();
  }

  @Test
  void escapesLikeMetacharacters() {
    assertThat(Filter.escapeLike("50%_off\\now")).isEqualTo("50\\%\\_off\\\\now");
    assertThat(Filter.startsWith("key", "a%")).isEqualTo(new Filter.Like("key", "a\\%%", false));
  }

  @Test
  void queriesAreImmutableValues() {
    Query base = Query.where(Filter.eq("done", false));
    Query limited = base.limit(10).offset(5).orderBy(Order.desc("id").nullsLast());
    assertThat(base.limit()).isEmpty();
    assertThat(limited.limit()).hasValue(10);
    assertThat(limited.offset()).isEqualTo(5);
    assertThat(limited.order()).containsExactly(new Order("id", true, Order.Nulls.LAST));
    assertThat(base.and(Filter.gt("id", 3)).filter())
        .isEqualTo(new Filter.And(List.of(Filter.eq("done", false), Filter.gt("id", 3))));
    assertThat(Query.all().and(Filter.gt("id", 3)).filter()).isEqualTo(Filter.gt("id", 3));
    assertThatThrownBy(() -> base.limit(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void changesValidateColumnsAndKeepOrder() {
    Changes changes = Changes.set("title", "x").and("done", true).and("note", null);
    assertThat(changes.values().keySet()).containsExactly("title", "done", "note");
    assertThatThrownBy(() -> Changes.set("x; --", 1)).isInstanceOf(InvalidRequestException.class);
  }
}
