package dev.holdfast.testkit.contract;

import static dev.holdfast.testkit.contract.ContractData.names;
import static dev.holdfast.testkit.contract.ContractData.normalize;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Filter;
import dev.holdfast.Order;
import dev.holdfast.Query;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reads over {@link ContractData#SEED}: findById, every filter operator with SQL's NULL rules, sort orders with
 * NULL placement, limit, offset and count. Each expected list is exact and in order.
 *
 * <p>Part of {@link BackendContract}; JUnit runs its tests on the subclass, one instance per test, so nothing
 * here needs to be thread-safe.
 */
public interface RepositoryQueryContract extends ContractSuite {

  private List<String> matching(Filter filter) {
    return names(items().find(Query.where(filter).orderBy(Order.asc("name"))));
  }

  private List<String> sorted(Order... keys) {
    return names(items().find(Query.all().orderBy(keys)));
  }

  @Test
  default void findByIdReturnsTheStoredRowOrNothing() {
    List<ContractItem> stored = seed();
    for (int i = 0; i < stored.size(); i++) {
      assertThat(items().findById(stored.get(i).id()).map(ContractData::normalize))
          .contains(normalize(ContractData.stored(ContractData.SEED.get(i), stored.get(i).id())));
    }
    assertThat(items().findById(987_654_321L)).isEmpty();
  }

  @Test
  default void findWithoutFilterReturnsEveryRow() {
    seed();
    assertThat(sorted(Order.asc("name"))).containsExactly("alpha", "bravo", "charlie", "delta", "echo", "foxtrot");
    assertThat(matching(Filter.all())).hasSize(6);
    assertThat(matching(Filter.anyOf())).isEmpty();
  }

  @Test
  default void comparesIntegersAndSkipsNulls() {
    seed();
    assertThat(matching(Filter.eq("qty", 20))).containsExactly("bravo", "echo");
    assertThat(matching(Filter.neq("qty", 20))).containsExactly("alpha", "delta", "foxtrot");
    assertThat(matching(Filter.gt("qty", 5))).containsExactly("alpha", "bravo", "echo");
    assertThat(matching(Filter.gte("qty", 5L))).containsExactly("alpha", "bravo", "delta", "echo");
    assertThat(matching(Filter.lt("qty", 5))).containsExactly("foxtrot");
    assertThat(matching(Filter.lte("qty", 5))).containsExactly("delta", "foxtrot");
    assertThat(matching(Filter.lt("qty", 0))).containsExactly("foxtrot");
  }

  @Test
  default void comparesDecimalsNumericallyNotAsText() {
    seed();
    assertThat(matching(Filter.eq("price", new BigDecimal("10")))).containsExactly("charlie");
    assertThat(matching(Filter.eq("price", new BigDecimal("1.5")))).containsExactly("alpha");
    assertThat(matching(Filter.gt("price", 2))).containsExactly("bravo", "charlie", "foxtrot");
    assertThat(matching(Filter.lt("price", 1.0))).containsExactly("echo");
    assertThat(matching(Filter.gte("price", new BigDecimal("2.25")))).containsExactly("bravo", "charlie", "foxtrot");
    assertThat(matching(Filter.lte("price", new BigDecimal("10.00")))).containsExactly("alpha", "bravo", "charlie",
        "echo");
  }

  @Test
  default void comparesTextAndBooleans() {
    seed();
    assertThat(matching(Filter.eq("name", "charlie"))).containsExactly("charlie");
    assertThat(matching(Filter.gt("name", "charlie"))).containsExactly("delta", "echo", "foxtrot");
    assertThat(matching(Filter.lte("name", "bravo"))).containsExactly("alpha", "bravo");
    assertThat(matching(Filter.neq("name", "alpha"))).containsExactly("bravo", "charlie", "delta", "echo",
        "foxtrot");
    assertThat(matching(Filter.eq("name", "Alpha"))).isEmpty();
    assertThat(matching(Filter.eq("active", false))).containsExactly("bravo", "echo");
    assertThat(matching(Filter.neq("active", true))).containsExactly("bravo", "echo");
  }

  @Test
  default void comparesTimestampsAsInstantsToTheMicrosecond() {
    seed();
    assertThat(matching(Filter.gte("created_at", Instant.parse("2026-01-01T00:00:00Z"))))
        .containsExactly("alpha", "bravo", "delta", "echo");
    assertThat(matching(Filter.lt("created_at", Instant.parse("2026-01-01T00:00:00.000001Z"))))
        .containsExactly("alpha", "foxtrot");
    assertThat(matching(Filter.eq("created_at", Instant.parse("2026-01-02T00:00:00.123456Z"))))
        .containsExactly("bravo");
    assertThat(matching(Filter.eq("created_at", OffsetDateTime.parse("2026-01-01T02:00:00+02:00"))))
        .containsExactly("alpha");
    assertThat(matching(Filter.gt("createdAt", Instant.parse("2026-01-02T00:00:00.123455Z"))))
        .containsExactly("bravo", "delta");
  }

  @Test
  default void inMatchesListedValuesAndEmptyInMatchesNothing() {
    seed();
    assertThat(matching(Filter.in("qty", List.of(5, 20, 999)))).containsExactly("bravo", "delta", "echo");
    assertThat(matching(Filter.in("name", List.of("alpha", "nobody", "echo")))).containsExactly("alpha", "echo");
    assertThat(matching(Filter.in("qty", List.of()))).isEmpty();
    assertThat(matching(Filter.in("qty", List.of()).negate())).containsExactly("alpha", "bravo", "charlie",
        "delta", "echo", "foxtrot");
    assertThat(matching(Filter.in("qty", List.of(5)).negate())).containsExactly("alpha", "bravo", "echo",
        "foxtrot");
  }

  @Test
  default void isNullAndIsNotNull() {
    seed();
    assertThat(matching(Filter.isNull("qty"))).containsExactly("charlie");
    assertThat(matching(Filter.isNull("created_at"))).containsExactly("charlie");
    assertThat(matching(Filter.isNull("tags"))).containsExactly("charlie", "delta", "echo");
    assertThat(matching(Filter.isNotNull("note"))).containsExactly("alpha", "charlie", "delta", "echo", "foxtrot");
    assertThat(matching(Filter.isNotNull("price"))).containsExactly("alpha", "bravo", "charlie", "echo", "foxtrot");
  }

  @Test
  default void likeHonoursWildcardsAndEscapes() {
    seed();
    assertThat(matching(Filter.like("name", "_lpha"))).containsExactly("alpha");
    assertThat(matching(Filter.like("name", "%a"))).containsExactly("alpha", "delta");
    assertThat(matching(Filter.like("name", "%A%"))).isEmpty();
    assertThat(matching(Filter.like("note", "50\\% off"))).containsExactly("charlie");
    assertThat(matching(Filter.like("note", "%\\%%"))).containsExactly("charlie");
    assertThat(matching(Filter.like("note", "%\\_%"))).containsExactly("delta");
    assertThat(matching(Filter.like("note", "%_%"))).containsExactly("alpha", "charlie", "delta", "echo", "foxtrot");
    assertThat(matching(Filter.like("note", "back\\\\slash"))).containsExactly("echo");
    assertThat(matching(Filter.like("note", "Mixed%"))).containsExactly("foxtrot");
    assertThat(matching(Filter.like("note", "mixed%"))).isEmpty();
    assertThat(matching(Filter.startsWith("note", "50%"))).containsExactly("charlie");
    assertThat(matching(Filter.startsWith("note", "under_"))).containsExactly("delta");
    assertThat(matching(Filter.startsWith("note", "back\\"))).containsExactly("echo");
    assertThat(matching(Filter.startsWith("note", "50_"))).isEmpty();
  }

  @Test
  default void ilikeIgnoresCase() {
    seed();
    assertThat(matching(Filter.ilike("name", "%A%"))).containsExactly("alpha", "bravo", "charlie", "delta");
    assertThat(matching(Filter.ilike("note", "mixed case"))).containsExactly("foxtrot");
    assertThat(matching(Filter.ilike("note", "%CASE"))).containsExactly("foxtrot");
    assertThat(matching(Filter.ilike("note", "%\\_S%"))).containsExactly("delta");
  }

  @Test
  default void andOrNotFollowThreeValuedLogic() {
    seed();
    assertThat(matching(Filter.eq("active", true).and(Filter.gt("qty", 5)))).containsExactly("alpha");
    assertThat(matching(Filter.lt("qty", 0).or(Filter.isNull("note")))).containsExactly("bravo", "foxtrot");
    assertThat(matching(Filter.gt("qty", 5).negate())).containsExactly("delta", "foxtrot");
    assertThat(matching(Filter.gt("qty", 5).negate().negate())).containsExactly("alpha", "bravo", "echo");
    assertThat(matching(Filter.isNull("qty").negate())).containsExactly("alpha", "bravo", "delta", "echo",
        "foxtrot");
    assertThat(matching(Filter.anyOf(Filter.eq("qty", 20), Filter.eq("qty", 5)).negate()))
        .containsExactly("alpha", "foxtrot");
    // charlie: qty > 100 is UNKNOWN, so the AND is UNKNOWN and so is its negation.
    assertThat(matching(Filter.allOf(Filter.gt("qty", 100), Filter.eq("name", "charlie")).negate()))
        .containsExactly("alpha", "bravo", "delta", "echo", "foxtrot");
    // UNKNOWN OR TRUE is TRUE.
    assertThat(matching(Filter.anyOf(Filter.gt("qty", 100), Filter.eq("name", "charlie"))))
        .containsExactly("charlie");
    assertThat(matching(Filter.like("note", "%a%").negate())).containsExactly("charlie", "delta");
  }

  @Test
  default void nestsFiltersAnyDeep() {
    seed();
    Filter nested = Filter.allOf(
        Filter.anyOf(Filter.eq("active", false), Filter.gt("price", 50)),
        Filter.like("name", "e%").negate());
    assertThat(matching(nested)).containsExactly("bravo", "foxtrot");
    Filter deeper = Filter.anyOf(nested, Filter.allOf(Filter.isNull("price"), Filter.in("qty", List.of(5))));
    assertThat(matching(deeper)).containsExactly("bravo", "delta", "foxtrot");
  }

  @Test
  default void ordersNullsLastAscendingAndFirstDescendingByDefault() {
    seed();
    assertThat(sorted(Order.asc("qty"), Order.asc("name")))
        .containsExactly("foxtrot", "delta", "alpha", "bravo", "echo", "charlie");
    assertThat(sorted(Order.desc("qty"), Order.asc("name")))
        .containsExactly("charlie", "bravo", "echo", "alpha", "delta", "foxtrot");
  }

  @Test
  default void ordersNullsWhereAsked() {
    seed();
    assertThat(sorted(Order.asc("qty").nullsFirst(), Order.asc("name")))
        .containsExactly("charlie", "foxtrot", "delta", "alpha", "bravo", "echo");
    assertThat(sorted(Order.desc("qty").nullsLast(), Order.desc("name")))
        .containsExactly("echo", "bravo", "alpha", "delta", "foxtrot", "charlie");
  }

  @Test
  default void ordersByTypeAndByMultipleKeys() {
    seed();
    assertThat(sorted(Order.asc("price"))).containsExactly("echo", "alpha", "bravo", "charlie", "foxtrot", "delta");
    assertThat(sorted(Order.desc("createdAt")))
        .containsExactly("charlie", "delta", "bravo", "echo", "alpha", "foxtrot");
    assertThat(sorted(Order.desc("name"))).containsExactly("foxtrot", "echo", "delta", "charlie", "bravo", "alpha");
    assertThat(sorted(Order.desc("active"), Order.asc("qty"), Order.asc("name")))
        .containsExactly("foxtrot", "delta", "alpha", "charlie", "bravo", "echo");
  }

  @Test
  default void limitsAndOffsets() {
    seed();
    Query byName = Query.all().orderBy(Order.asc("name"));
    assertThat(names(items().find(byName.limit(2)))).containsExactly("alpha", "bravo");
    assertThat(names(items().find(byName.offset(2).limit(2)))).containsExactly("charlie", "delta");
    assertThat(names(items().find(byName.offset(5)))).containsExactly("foxtrot");
    assertThat(items().find(byName.offset(6))).isEmpty();
    assertThat(items().find(byName.limit(0))).isEmpty();
    assertThat(names(items().find(Query.where(Filter.eq("active", true)).orderBy(Order.desc("name")).limit(3))))
        .containsExactly("foxtrot", "delta", "charlie");
  }

  @Test
  default void countsWithAndWithoutFilter() {
    assertThat(items().count(Filter.all())).isZero();
    seed();
    assertThat(items().count(Filter.all())).isEqualTo(6);
    assertThat(items().count(Filter.eq("active", true))).isEqualTo(4);
    assertThat(items().count(Filter.isNull("qty"))).isEqualTo(1);
    assertThat(items().count(Filter.gt("qty", 5).negate())).isEqualTo(2);
    assertThat(items().count(Filter.in("qty", List.of()))).isZero();
  }
}
