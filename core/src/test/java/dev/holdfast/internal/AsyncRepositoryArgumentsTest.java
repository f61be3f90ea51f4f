package dev.holdfast.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Guard;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.ManualScheduler;
import dev.holdfast.Table;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Async methods report bad arguments through their future, as the blocking ones throw them. */
class AsyncRepositoryArgumentsTest {
  record Item(Long id, String name) {}

  private static final Table<Item, Long> ITEMS = Table.builder("items", Item.class, Long.class).build();

  @Test
  void batchedWritesFailTheirFutureInsteadOfThrowing() {
    try (Guard guard = Guard.builder("test").scheduler(new ManualScheduler()).build()) {
      var repository = new BackendRepository<>(new UnusedBackend(), guard, ITEMS).async();

      CompletableFuture<List<Item>> nullRow = repository.insertAll(Arrays.asList(new Item(null, "a"), null));
      CompletableFuture<List<Item>> noId = repository.upsertAll(List.of(new Item(null, "b")));

      assertThat(nullRow).isCompletedExceptionally();
      assertThat(noId).failsWithin(java.time.Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .havingCause().isInstanceOf(InvalidRequestException.class);
    }
  }
}
