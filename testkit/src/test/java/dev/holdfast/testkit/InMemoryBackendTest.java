package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.CallContext;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Filter;
import dev.holdfast.HealthReport;
import dev.holdfast.Holdfast;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Query;
import dev.holdfast.SchemaMismatchException;
import dev.holdfast.TransientException;
import dev.holdfast.spi.RowCursor;
import dev.holdfast.WriteMode;
import dev.holdfast.spi.TableMapping;
import dev.holdfast.spi.TableRef;
import dev.holdfast.testkit.contract.ContractItem;
import dev.holdfast.testkit.contract.ContractSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class InMemoryBackendTest {
  private static final CallContext CTX = CallContext.of("test", Duration.ofSeconds(1));
  private static final TableRef ITEMS = ContractSchema.ITEMS.ref();
  private static final TableMapping<ContractItem> ROWS = ContractSchema.ITEMS.mapping();
  private static final List<String> NAME = List.of("name");

  private final InMemoryDatabase db = new InMemoryDatabase();
  private final InMemoryBackend backend = new InMemoryBackend(db, 3);

  InMemoryBackendTest() {
    ContractSchema.createIn(db);
  }

  private static ObjectNode item(String name) {
    return JsonNodeFactory.instance.objectNode().put("name", name);
  }

  private static TransientException outage() {
    return new TransientException("scripted outage", ErrorDetails.of("memory"), null);
  }

  @Test
  void scriptedFaultsFailTheNextCallsThenStop() {
    backend.failNext(2, InMemoryBackendTest::outage);
    assertThat(backend.pendingFaults()).isEqualTo(2);
    assertThatThrownBy(() -> backend.select(CTX, ROWS, Query.all())).isInstanceOf(TransientException.class);
    assertThatThrownBy(() -> backend.insert(CTX, ROWS, List.of(ContractItem.named("a")), NAME, WriteMode.CONFIRMED))
        .isInstanceOf(TransientException.class);
    assertThat(backend.insert(CTX, ROWS, List.of(ContractItem.named("a")), NAME, WriteMode.CONFIRMED)).hasSize(1);
    assertThat(backend.pendingFaults()).isZero();
    assertThat(backend.calls()).isEqualTo(3);
    assertThat(db.count(ITEMS, Filter.all())).isEqualTo(1);
  }

  @Test
  void scriptedFaultsReachRepositoryCallers() {
    try (Holdfast holdfast = Holdfast.builder(backend).build()) {
      // Not retryable, so the guard hands it straight to the caller whatever its retry policy.
      backend.failNext(1, () -> new SchemaMismatchException("scripted drift", ErrorDetails.of("memory"), null));
      assertThatThrownBy(() -> holdfast.repository(ContractSchema.ITEMS).count(Filter.all()))
          .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("scripted drift");
      assertThat(holdfast.repository(ContractSchema.ITEMS).insert(ContractItem.named("ok")).id()).isEqualTo(1L);
    }
  }

  @Test
  void rejectsBatchesLargerThanItsLimit() {
    List<ContractItem> four = List.of(ContractItem.named("a"), ContractItem.named("b"), ContractItem.named("c"),
        ContractItem.named("d"));
    assertThatThrownBy(() -> backend.insert(CTX, ROWS, four, NAME, WriteMode.CONFIRMED))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(backend.maxBatchSize()).isEqualTo(3);
    assertThat(db.count(ITEMS, Filter.all())).isZero();
  }

  @Test
  void repositoriesSplitWritesIntoBatchesItAccepts() {
    try (Holdfast holdfast = Holdfast.builder(backend).build()) {
      List<ContractItem> rows = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        rows.add(ContractItem.named("n" + i));
      }
      assertThat(holdfast.repository(ContractSchema.ITEMS).insertAll(rows)).hasSize(10);
      assertThat(backend.calls()).isEqualTo(4);
    }
  }

  @Test
  void streamsHandOutTheSnapshotInFetchSizedChunks() {
    db.insert(ITEMS, List.of(item("a"), item("b"), item("c"), item("d"), item("e")));
    try (RowCursor<ContractItem> cursor = backend.stream(CTX, ROWS, Query.all(), 2)) {
      db.delete(ITEMS, Filter.all());
      List<String> names = new ArrayList<>();
      cursor.forEachRemaining(r -> names.add(r.name()));
      assertThat(names).containsExactly("a", "b", "c", "d", "e");
      assertThat(((SnapshotCursor<?>) cursor).fetches()).isEqualTo(3);
    }
  }

  @Test
  void aClosedCursorHasNoMoreRows() {
    db.insert(ITEMS, List.of(item("a"), item("b")));
    RowCursor<ContractItem> cursor = backend.stream(CTX, ROWS, Query.all(), 1);
    assertThat(cursor.next().name()).isEqualTo("a");
    cursor.close();
    cursor.close();
    assertThat(cursor.hasNext()).isFalse();
    assertThatThrownBy(cursor::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void closeIsIdempotentAndLaterCallsFailClearly() {
    assertThat(backend.check(Duration.ofSeconds(1)).status()).isEqualTo(HealthReport.Status.UP);
    backend.close();
    backend.close();
    assertThat(backend.isClosed()).isTrue();
    assertThat(backend.check(Duration.ofSeconds(1)).status()).isEqualTo(HealthReport.Status.DOWN);
    assertThatThrownBy(() -> backend.select(CTX, ROWS, Query.all()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThat(db.count(ITEMS, Filter.all())).isZero();
  }

  @Test
  void rejectsBadConstructionAndFaultArguments() {
    assertThatThrownBy(() -> new InMemoryBackend(db, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InMemoryBackend(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> backend.failNext(-1, InMemoryBackendTest::outage))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> backend.failNext(1, null)).isInstanceOf(NullPointerException.class);
    assertThat(backend.name()).isEqualTo("memory");
  }
}
