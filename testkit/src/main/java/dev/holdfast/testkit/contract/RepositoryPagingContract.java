package dev.holdfast.testkit.contract;

import static dev.holdfast.testkit.contract.ContractData.ids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Filter;
import dev.holdfast.Order;
import dev.holdfast.Page;
import dev.holdfast.PageRequest;
import dev.holdfast.Query;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Offset and keyset pages, and streams: every row exactly once, in order, with resources released.
 *
 * <p>Part of {@link BackendContract}; JUnit runs its tests on the subclass, one instance per test, so nothing
 * here needs to be thread-safe.
 */
public interface RepositoryPagingContract extends ContractSuite {

  private List<List<Long>> pages(Query query, PageRequest first) {
    List<List<Long>> pages = new ArrayList<>();
    PageRequest request = first;
    while (true) {
      Page<ContractItem> page = items().page(query, request);
      assertThat(page.items()).hasSizeLessThanOrEqualTo(first.size());
      pages.add(ids(page.items()));
      if (page.next().isEmpty()) {
        return pages;
      }
      assertThat(pages).as("pages read so far").hasSizeLessThan(1_000);
      request = page.next().get();
    }
  }

  private static List<Long> reversed(List<Long> ids) {
    List<Long> copy = new ArrayList<>(ids);
    java.util.Collections.reverse(copy);
    return copy;
  }

  private static List<Long> flatten(List<List<Long>> pages) {
    return pages.stream().flatMap(List::stream).toList();
  }

  /** 57 rows with repeating qty and distinct timestamps (some negative offsets from an epoch in the past). */
  private List<ContractItem> insertPagingRows() {
    List<ContractItem> rows = new ArrayList<>();
    Instant base = Instant.parse("2026-02-01T00:00:00Z");
    for (int i = 0; i < 57; i++) {
      rows.add(ContractItem.named(String.format("row-%02d", i)).withQty(i % 7).withActive(i % 3 != 0)
          .withCreatedAt(base.plusNanos(((i * 37L) % 57) * 1_000L).minusSeconds(i % 2 * 86_400L).toString()));
    }
    return items().insertAll(rows);
  }

  @Test
  default void offsetPagesVisitEveryRowInOrder() {
    List<Long> all = ids(items().insertAll(ContractData.numbered("page", 23)));
    List<List<Long>> pages = pages(Query.all().orderBy(Order.asc("id")), PageRequest.offset(0, 5));
    assertThat(pages).extracting(List::size).containsExactly(5, 5, 5, 5, 3);
    assertThat(flatten(pages)).containsExactlyElementsOf(all);
  }

  @Test
  default void offsetPagingStopsAfterAnExactlyFullLastPage() {
    List<Long> all = ids(items().insertAll(ContractData.numbered("page", 20)));
    List<List<Long>> pages = pages(Query.all().orderBy(Order.desc("qty")), PageRequest.offset(0, 5));
    assertThat(pages).extracting(List::size).containsExactly(5, 5, 5, 5);
    assertThat(flatten(pages)).containsExactlyElementsOf(reversed(all));
  }

  @Test
  default void offsetPageOfAnEmptyTableIsEmptyAndLast() {
    Page<ContractItem> page = items().page(Query.all().orderBy(Order.asc("id")), PageRequest.offset(0, 10));
    assertThat(page.items()).isEmpty();
    assertThat(page.hasNext()).isFalse();
  }

  @Test
  default void keysetPagesByIdVisitEveryRowOnceInOrder() {
    List<Long> all = ids(insertPagingRows());
    List<List<Long>> pages = pages(Query.all(), PageRequest.first(10));
    assertThat(pages).extracting(List::size).containsExactly(10, 10, 10, 10, 10, 7);
    assertThat(flatten(pages)).containsExactlyElementsOf(all);
  }

  @Test
  default void keysetPagesByDescendingKeyWithTiesVisitEveryRowOnceInOrder() {
    insertPagingRows();
    Query query = Query.all().orderBy(Order.desc("qty"));
    List<Long> expected = ids(items().find(query.thenOrderBy(Order.asc("id"))));
    List<Long> visited = flatten(pages(query, PageRequest.first(10)));
    assertThat(visited).containsExactlyElementsOf(expected).doesNotHaveDuplicates().hasSize(57);
  }

  @Test
  default void keysetPagesByTimestampWithAFilterVisitEveryMatchOnceInOrder() {
    insertPagingRows();
    Query query = Query.where(Filter.eq("active", true)).orderBy(Order.desc("createdAt"));
    List<Long> expected = ids(items().find(query.thenOrderBy(Order.asc("id"))));
    assertThat(expected).hasSize(38);
    List<List<Long>> pages = pages(query, PageRequest.first(8));
    assertThat(flatten(pages)).containsExactlyElementsOf(expected);
    assertThat(pages).hasSize(5);
  }

  @Test
  default void keysetPagesByTwoAscendingKeys() {
    insertPagingRows();
    Query query = Query.all().orderBy(Order.asc("qty"), Order.asc("name"));
    List<Long> expected = ids(items().find(query));
    assertThat(flatten(pages(query, PageRequest.first(7)))).containsExactlyElementsOf(expected);
  }

  @Test
  default void streamsThousandsOfRowsInOrder() {
    List<Long> all = ids(items().insertAll(ContractData.numbered("stream", 3_000)));
    try (Stream<ContractItem> stream = items().stream(Query.all().orderBy(Order.asc("id")))) {
      assertThat(ids(stream.toList())).containsExactlyElementsOf(all);
    }
    try (Stream<ContractItem> stream = items().stream(Query.where(Filter.lt("qty", 1_000)).orderBy(Order.desc("id")))) {
      assertThat(ids(stream.toList())).containsExactlyElementsOf(reversed(all.subList(0, 1_000)));
    }
  }

  @Test
  default void streamsClosedEarlyReleaseTheirResources() {
    items().insertAll(ContractData.numbered("early", 1_200));
    // More early-closed streams than any sane pool has connections: a leaked cursor would block or fail here.
    for (int i = 0; i < 40; i++) {
      try (Stream<ContractItem> stream = items().stream(Query.all().orderBy(Order.asc("id")))) {
        assertThat(stream.limit(3).map(ContractItem::name).toList())
            .containsExactly("early-0000", "early-0001", "early-0002");
      }
    }
    assertThat(items().insert(ContractItem.named("after")).id()).isNotNull();
    assertThat(items().count(Filter.all())).isEqualTo(1_201);
  }

  @Test
  default void streamOfNoRowsIsEmpty() {
    try (Stream<ContractItem> stream = items().stream(Query.where(Filter.eq("name", "nobody")))) {
      assertThat(stream.toList()).isEmpty();
    }
  }
}
