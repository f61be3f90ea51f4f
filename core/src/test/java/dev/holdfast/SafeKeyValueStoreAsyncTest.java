package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.SafeResult.Source;
import dev.holdfast.internal.BackendKeyValueStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class SafeKeyValueStoreAsyncTest {
  private final KvBackend backend = new KvBackend();

  private SafeKeyValueStore storeOn(Scheduler scheduler) {
    Guard guard = Guard.builder("fake").scheduler(scheduler).random(() -> 0.5)
        .policy(ResiliencePolicy.builder().withoutCircuitBreaker().withoutRetryBudget().build()).build();
    return SafeKeyValueStore.create("settings",
        new BackendKeyValueStore(backend, guard, "public", "settings", ResiliencePolicy.safeDefaults()), scheduler, guard);
  }

  @Test
  void waitsBetweenAttemptsOnSchedulerTimersNeverBySleeping() {
    ManualScheduler time = new ManualScheduler();
    backend.put("k", 7).failNext(2, KvBackend::connectionReset);

    CompletableFuture<SafeResult<Integer>> result = storeOn(time).safeGetAsync("k", Integer.class, 0);

    assertThat(result).isNotDone();
    time.advance(Duration.ofMillis(112).plusNanos(500_000));
    assertThat(result).isNotDone();
    time.runUntilIdle();
    assertThat(result.join()).isEqualTo(SafeResult.fresh(7));
    assertThat(time.sleeps()).isEmpty();
    assertThat(time.scheduledDelays()).containsSubsequence(Duration.ofMillis(100).plusNanos(12_500_000),
        Duration.ofMillis(200).plusNanos(25_000_000));
  }

  @Test
  void servesTheDefaultWhenTheBackendKeepsFailing() {
    ManualScheduler time = new ManualScheduler();
    backend.failNext(3, KvBackend::connectionReset);

    CompletableFuture<SafeResult<String>> result = storeOn(time).safeGetAsync("k", String.class, "none");
    time.runUntilIdle();

    assertThat(result.join().value()).isEqualTo("none");
    assertThat(result.join().error()).get().isInstanceOf(TransientException.class);
  }

  @Test
  void runsTheReadAndCompletesOnSchedulerThreadsNeverTheCallers() {
    try (Scheduler scheduler = Scheduler.system()) {
      backend.put("k", 1).gate = new CountDownLatch(1);
      String caller = Thread.currentThread().getName();

      CompletableFuture<String> completedOn = storeOn(scheduler).safeGetAsync("k", Integer.class, 0)
          .thenApply(r -> Thread.currentThread().getName());
      backend.gate.countDown();

      assertThat(completedOn.join()).isNotEqualTo(caller).startsWith("holdfast-worker");
      assertThat(backend.threads).singleElement().asString().startsWith("holdfast-worker");
    }
  }

  @Test
  void asyncManyReadsReturnPerKeyResults() {
    ManualScheduler time = new ManualScheduler();
    backend.put("a", 1).put("b", 2).poison("b", () -> new InvalidRequestException("bad key", ErrorDetails.of("f"),
        null));

    CompletableFuture<Map<String, SafeResult<Integer>>> result =
        storeOn(time).safeGetManyAsync(List.of("a", "b"), Integer.class, 0);
    time.runUntilIdle();

    assertThat(result.join().get("a")).isEqualTo(SafeResult.fresh(1));
    assertThat(result.join().get("b").source()).isEqualTo(Source.DEFAULT);
    assertThat(result.join().get("b").error()).get().isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void asyncWritesAndPrefixReadsReportTheirOutcome() {
    ManualScheduler time = new ManualScheduler();
    SafeKeyValueStore store = storeOn(time);

    CompletableFuture<WriteResult> written = store.safeSetAsync("flags.a", true);
    time.runUntilIdle();
    CompletableFuture<SafeResult<Map<String, com.fasterxml.jackson.databind.JsonNode>>> flags =
        store.safeGetByPrefixAsync("flags.", Map.of());
    time.runUntilIdle();

    assertThat(written.join().isApplied()).isTrue();
    assertThat(flags.join().value()).containsOnlyKeys("flags.a");
  }
}
