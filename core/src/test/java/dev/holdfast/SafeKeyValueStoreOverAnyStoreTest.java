package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.SafeResult.Source;
import dev.holdfast.internal.BackendKeyValueStore;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A store of the user's own (here one that only forwards) keeps its own policy; the safe store adds the rest. */
class SafeKeyValueStoreOverAnyStoreTest {
  private final KvBackend backend = new KvBackend();

  /** Has no async calls of its own, so the safe store runs its blocking calls on scheduler threads. */
  private record Forwarding(KeyValueStore store) implements KeyValueStore {
    @Override
    public Optional<JsonNode> get(String key) {
      return store.get(key);
    }

    @Override
    public <V> Optional<V> get(String key, Class<V> type) {
      return store.get(key, type);
    }

    @Override
    public Map<String, JsonNode> getByPrefix(String prefix) {
      return store.getByPrefix(prefix);
    }

    @Override
    public Map<String, JsonNode> getMany(Collection<String> keys) {
      return store.getMany(keys);
    }

    @Override
    public void set(String key, Object value) {
      store.set(key, value);
    }

    @Override
    public void setMany(Map<String, ?> entries) {
      store.setMany(entries);
    }

    @Override
    public boolean delete(String key) {
      return store.delete(key);
    }
  }

  private KeyValueStore plainStore(Scheduler scheduler, int attempts) {
    Guard guard = Guard.builder("fake").scheduler(scheduler)
        .policy(ResiliencePolicy.builder().maxAttempts(attempts).withoutCircuitBreaker().withoutRetryBudget().build())
        .build();
    return new Forwarding(new BackendKeyValueStore(backend, guard, "public", "kv"));
  }

  @Test
  void keepsTheStoresOwnPolicy() {
    ManualScheduler time = new ManualScheduler();
    SafeKeyValueStore safe = SafeKeyValueStore.over(plainStore(time, 1), time);
    backend.put("k", 1).failNext(1, KvBackend::connectionReset);

    SafeResult<Integer> result = safe.safeGet("k", Integer.class, 0);

    assertThat(result.source()).isEqualTo(Source.DEFAULT);
    assertThat(backend.calls).hasSize(1);
  }

  @Test
  void runsTheBlockingCallsOfAPlainStoreOnSchedulerThreads() {
    try (Scheduler scheduler = Scheduler.system()) {
      SafeKeyValueStore safe = SafeKeyValueStore.over(plainStore(scheduler, 3), scheduler);
      backend.put("a", 1).put("b", 2).gate = new CountDownLatch(1);
      String caller = Thread.currentThread().getName();

      CompletableFuture<Map<String, SafeResult<Integer>>> many = safe.safeGetManyAsync(List.of("a", "b"),
          Integer.class, 0);
      backend.gate.countDown();

      assertThat(many.join()).containsEntry("a", SafeResult.fresh(1)).containsEntry("b", SafeResult.fresh(2));
      assertThat(backend.threads).isNotEmpty().noneMatch(caller::equals);
    }
  }
}
