package dev.holdfast.testkit.contract;

import static dev.holdfast.testkit.contract.ContractData.ids;
import static dev.holdfast.testkit.contract.ContractData.names;
import static dev.holdfast.testkit.contract.ContractData.normalize;
import static dev.holdfast.testkit.contract.ContractData.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Changes;
import dev.holdfast.ConflictException;
import dev.holdfast.Filter;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Order;
import dev.holdfast.Query;
import dev.holdfast.Repository;
import dev.holdfast.SchemaMismatchException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Inserts, batches, upserts, updates, deletes, and the errors writes report.
 *
 * <p>Part of {@link BackendContract}; JUnit runs its tests on the subclass, one instance per test, so nothing
 * here needs to be thread-safe.
 */
public interface RepositoryWriteContract extends ContractSuite {

  private List<ContractItem> all() {
    return normalize(items().find(Query.all().orderBy(Order.asc("id"))));
  }

  @Test
  default void insertReturnsTheGeneratedIdAndColumnDefaults() {
    ContractItem first = items().insert(ContractItem.named("first"));
    ContractItem second = items().insert(ContractItem.named("second").withActive(false).withQty(2));
    assertThat(first.id()).isNotNull();
    assertThat(second.id()).isGreaterThan(first.id());
    assertThat(normalize(first)).isEqualTo(ContractItem.named("first").withId(first.id()).withActive(true));
    assertThat(normalize(second)).isEqualTo(normalize(stored(ContractItem.named("second").withActive(false)
        .withQty(2), second.id())));
    assertThat(all()).containsExactly(normalize(first), normalize(second));
  }

  @Test
  default void insertAllStoresMoreRowsThanOneBatchWithMixedNulls() {
    List<ContractItem> rows = new ArrayList<>();
    for (int i = 0; i < 1_234; i++) {
      ContractItem row = ContractItem.named(String.format("bulk-%04d", i)).withQty(i).withPrice(i + ".25")
          .withNote("note " + i);
      int block = i < 600 ? 0 : (i / 100) % 3;
      if (block == 1) {
        row = row.withQty(null).withActive(i % 2 == 0);
      } else if (block == 2) {
        row = row.withNote(null).withPrice(null);
      }
      rows.add(row);
    }
    List<ContractItem> inserted = items().insertAll(rows);
    assertThat(names(inserted)).containsExactlyElementsOf(names(rows));
    assertThat(ids(inserted)).doesNotContainNull().isSortedAccordingTo(Comparator.naturalOrder())
        .doesNotHaveDuplicates();
    List<ContractItem> expected = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      expected.add(normalize(stored(rows.get(i), inserted.get(i).id())));
    }
    assertThat(normalize(inserted)).containsExactlyElementsOf(expected);
    assertThat(all()).containsExactlyElementsOf(expected);
  }

  @Test
  default void insertAllOfNothingDoesNothing() {
    assertThat(items().insertAll(List.of())).isEmpty();
    assertThat(items().count(Filter.all())).isZero();
  }

  @Test
  default void upsertInsertsThenReplaces() {
    ContractItem first = ContractItem.named("up").withId(1_000L).withQty(1).withActive(true).withNote("one");
    assertThat(normalize(items().upsert(first))).isEqualTo(normalize(first));
    ContractItem replaced = ContractItem.named("up2").withId(1_000L).withActive(false).withPrice("3.50");
    assertThat(normalize(items().upsert(replaced))).isEqualTo(normalize(replaced));
    assertThat(all()).containsExactly(normalize(replaced));
  }

  @Test
  default void upsertAllInsertsNewRowsAndReplacesExistingOnes() {
    List<ContractItem> existing = items().insertAll(List.of(ContractItem.named("a"), ContractItem.named("b")));
    List<ContractItem> batch = List.of(
        existing.get(0).withName("a2").withQty(7),
        ContractItem.named("new").withId(2_000L).withActive(false),
        existing.get(1).withNote("b note"));
    assertThat(normalize(items().upsertAll(batch))).containsExactlyElementsOf(normalize(batch));
    assertThat(all()).containsExactly(normalize(batch.get(0)), normalize(batch.get(2)), normalize(batch.get(1)));
  }

  @Test
  default void upsertAllStoresMoreRowsThanOneBatch() {
    List<ContractItem> rows = new ArrayList<>();
    for (int i = 0; i < 777; i++) {
      rows.add(ContractItem.named("u" + i).withId(10_000L + i).withActive(i % 2 == 0).withQty(i % 5 == 0 ? null : i));
    }
    assertThat(items().upsertAll(rows)).hasSize(777);
    List<ContractItem> changed = rows.stream().map(r -> r.withNote("again")).toList();
    assertThat(items().upsertAll(changed)).hasSize(777);
    assertThat(all()).containsExactlyElementsOf(normalize(changed));
  }

  @Test
  default void upsertWithoutAnIdIsRejectedBeforeAnythingIsSent() {
    long before = backendCalls();
    assertThatThrownBy(() -> items().upsert(ContractItem.named("no id").withActive(true)))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(backendCalls()).isEqualTo(before);
  }

  @Test
  default void updateByIdChangesOnlyThatRow() {
    List<ContractItem> seeded = seed();
    ContractItem alpha = seeded.get(0);
    Instant when = Instant.parse("2026-05-06T07:08:09.654321Z");
    Optional<ContractItem> updated = items().updateById(alpha.id(),
        Changes.set("qty", 11).and("note", null).and("createdAt", when).and("tags", ContractData.json("[1,2]")));
    ContractItem expected = stored(ContractData.SEED.get(0), alpha.id()).withQty(11).withNote(null)
        .withCreatedAt(when.toString()).withTags(ContractData.json("[1,2]"));
    assertThat(updated.map(ContractData::normalize)).contains(normalize(expected));
    assertThat(items().findById(alpha.id()).map(ContractData::normalize)).contains(normalize(expected));
    assertThat(normalize(items().findById(seeded.get(1).id()).orElseThrow())).isEqualTo(normalize(seeded.get(1)));
    assertThat(items().updateById(987_654_321L, Changes.set("qty", 1))).isEmpty();
  }

  @Test
  default void updateWhereReturnsEveryUpdatedRow() {
    seed();
    List<ContractItem> updated = new ArrayList<>(items().updateWhere(Filter.eq("active", false),
        Changes.set("note", "inactive")));
    updated.sort(Comparator.comparing(ContractItem::name));
    assertThat(names(updated)).containsExactly("bravo", "echo");
    assertThat(updated).extracting(ContractItem::note).containsExactly("inactive", "inactive");
    assertThat(names(items().find(Query.where(Filter.eq("note", "inactive")).orderBy(Order.asc("name")))))
        .containsExactly("bravo", "echo");
    assertThat(items().count(Filter.isNull("note"))).isZero();
    assertThat(items().updateWhere(Filter.gt("qty", 1_000), Changes.set("note", "never"))).isEmpty();
    assertThat(items().updateWhere(Filter.isNull("qty"), Changes.set("qty", 0))).extracting(ContractItem::name)
        .containsExactly("charlie");
  }

  @Test
  default void deleteByIdSaysWhetherARowWasDeleted() {
    List<ContractItem> seeded = seed();
    assertThat(items().deleteById(seeded.get(2).id())).isTrue();
    assertThat(items().deleteById(seeded.get(2).id())).isFalse();
    assertThat(items().findById(seeded.get(2).id())).isEmpty();
    assertThat(items().count(Filter.all())).isEqualTo(5);
  }

  @Test
  default void deleteWhereCountsDeletedRows() {
    seed();
    assertThat(items().deleteWhere(Filter.isNull("qty"))).isEqualTo(1);
    assertThat(items().deleteWhere(Filter.gt("qty", 5))).isEqualTo(3);
    assertThat(items().deleteWhere(Filter.in("qty", List.of()))).isZero();
    assertThat(names(items().find(Query.all().orderBy(Order.asc("name"))))).containsExactly("delta", "foxtrot");
    assertThat(items().deleteWhere(Filter.all())).isEqualTo(2);
    assertThat(items().count(Filter.all())).isZero();
  }

  @Test
  default void updatesAndDeletesFollowThreeValuedLogicToo() {
    seed();
    // charlie's qty is NULL: NOT (qty > 5) is UNKNOWN for it, so neither statement may touch it.
    assertThat(names(items().updateWhere(Filter.gt("qty", 5).negate(), Changes.set("note", "small"))))
        .containsExactlyInAnyOrder("delta", "foxtrot");
    assertThat(items().deleteWhere(Filter.in("qty", List.of(10, 20)).negate())).isEqualTo(2);
    assertThat(names(items().find(Query.all().orderBy(Order.asc("name")))))
        .containsExactly("alpha", "bravo", "charlie", "echo");
  }

  @Test
  default void concurrentWritesAndReadsLoseNothing() throws Exception {
    int threads = 8;
    int perThread = 40;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<List<Long>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          List<Long> ids = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            ContractItem row = items().insert(ContractItem.named("t" + thread + "-" + i).withQty(thread));
            ids.add(row.id());
            assertThat(items().findById(row.id()).map(ContractItem::name)).contains(row.name());
          }
          assertThat(items().count(Filter.eq("qty", thread))).isEqualTo(perThread);
          return ids;
        }));
      }
      List<Long> all = new ArrayList<>();
      for (java.util.concurrent.Future<List<Long>> result : results) {
        all.addAll(result.get(5, java.util.concurrent.TimeUnit.MINUTES));
      }
      assertThat(all).hasSize(threads * perThread).doesNotHaveDuplicates();
      assertThat(items().count(Filter.all())).isEqualTo(threads * perThread);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  default void healthIsUpWhileTheBackendWorks() {
    assertThat(holdfast().health(java.time.Duration.ofSeconds(10)).status())
        .isEqualTo(dev.holdfast.HealthReport.Status.UP);
  }

  @Test
  default void duplicateIdIsAConflictNamingTheConstraint() {
    items().insert(ContractItem.named("original").withId(77L));
    assertThatThrownBy(() -> items().insert(ContractItem.named("copy").withId(77L)))
        .isInstanceOfSatisfying(ConflictException.class,
            e -> assertThat(e.constraint()).contains("contract_items_pkey"));
    assertThat(items().findById(77L).map(ContractItem::name)).contains("original");
  }

  @Test
  default void aBatchWithOneDuplicateInsertsNothing() {
    items().insert(ContractItem.named("original").withId(77L));
    List<ContractItem> batch = List.of(ContractItem.named("x").withId(80L), ContractItem.named("y").withId(81L),
        ContractItem.named("z").withId(77L));
    assertThatThrownBy(() -> items().insertAll(batch)).isInstanceOf(ConflictException.class);
    assertThat(names(items().find(Query.all()))).containsExactly("original");
  }

  @Test
  default void missingTableIsASchemaMismatch() {
    Repository<ContractItem, Long> missing = holdfast().repository(ContractSchema.MISSING);
    assertThatThrownBy(() -> missing.find(Query.all())).isInstanceOf(SchemaMismatchException.class);
    assertThatThrownBy(() -> missing.count(Filter.all())).isInstanceOf(SchemaMismatchException.class);
    assertThatThrownBy(() -> missing.insert(ContractItem.named("x"))).isInstanceOf(SchemaMismatchException.class);
    assertThatThrownBy(() -> missing.deleteWhere(Filter.all())).isInstanceOf(SchemaMismatchException.class);
  }

  @Test
  default void unknownColumnIsASchemaMismatch() {
    seed();
    assertThatThrownBy(() -> items().find(Query.where(Filter.eq("no_such_column", 1))))
        .isInstanceOf(SchemaMismatchException.class);
    assertThatThrownBy(() -> items().updateWhere(Filter.all(), Changes.set("no_such_column", 1)))
        .isInstanceOf(SchemaMismatchException.class);
    assertThat(items().count(Filter.all())).isEqualTo(6);
  }

  @Test
  default void asyncVariantsReturnWhatTheBlockingOnesReturn() {
    List<ContractItem> seeded = seed();
    var async = items().async();
    Query query = Query.where(Filter.gt("qty", 0)).orderBy(Order.desc("qty"), Order.asc("name"));
    assertThat(normalize(async.find(query).join())).containsExactlyElementsOf(normalize(items().find(query)));
    assertThat(async.count(Filter.eq("active", true)).join()).isEqualTo(4);
    assertThat(async.findById(seeded.get(3).id()).join().map(ContractItem::name)).contains("delta");
    assertThat(ids(async.page(query, dev.holdfast.PageRequest.first(2)).join().items()))
        .containsExactlyElementsOf(ids(items().find(query.limit(2))));
    ContractItem inserted = async.insert(ContractItem.named("async")).join();
    assertThat(items().findById(inserted.id()).map(ContractItem::name)).contains("async");
    assertThat(async.insertAll(ContractData.numbered("async", 700)).join()).hasSize(700);
    assertThat(async.updateById(inserted.id(), Changes.set("qty", 3)).join().map(ContractItem::qty)).contains(3);
    assertThat(async.updateWhere(Filter.eq("name", "async"), Changes.set("qty", 4)).join()).hasSize(1);
    assertThat(async.upsert(inserted.withQty(5).withActive(true)).join().qty()).isEqualTo(5);
    assertThat(async.deleteById(inserted.id()).join()).isTrue();
    assertThat(async.deleteWhere(Filter.like("name", "async-%")).join()).isEqualTo(700);
    assertThat(items().count(Filter.all())).isEqualTo(6);
    assertThat(async.insert(seeded.get(0))).failsWithin(java.time.Duration.ofSeconds(30))
        .withThrowableThat().havingCause().isInstanceOf(ConflictException.class);
    assertThat(holdfast().repository(ContractSchema.MISSING).async().find(Query.all()))
        .failsWithin(java.time.Duration.ofSeconds(30))
        .withThrowableThat().havingCause().isInstanceOf(SchemaMismatchException.class);
  }
}
