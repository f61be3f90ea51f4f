package dev.holdfast.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.KeyValueStore;
import dev.holdfast.Scheduler;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The non-blocking reads and writes that {@code SafeKeyValueStore}'s async methods build on. {@link
 * BackendKeyValueStore} implements them on {@code Guard.callAsync}, so backoff waits are scheduled rather than
 * slept; {@link #of} adapts any other store by running its blocking calls on scheduler threads.
 * Internal; implementations are thread-safe.
 */
public interface KeyValueAsync {
  /** As {@link KeyValueStore#get(String)}. */
  CompletableFuture<Optional<JsonNode>> getAsync(String key);

  /** As {@link KeyValueStore#getByPrefix(String)}. */
  CompletableFuture<Map<String, JsonNode>> getByPrefixAsync(String prefix);

  /** As {@link KeyValueStore#getMany(Collection)}. */
  CompletableFuture<Map<String, JsonNode>> getManyAsync(Collection<String> keys);

  /** As {@link KeyValueStore#set(String, Object)}. */
  CompletableFuture<Void> setAsync(String key, Object value);

  /**
   * {@code store}'s own async methods if it has them; otherwise its blocking methods run on {@code scheduler}'s
   * threads (where its own retries then sleep: a worker is blocked, never the caller).
   */
  static KeyValueAsync of(KeyValueStore store, Scheduler scheduler) {
    if (store instanceof KeyValueAsync async) {
      return async;
    }
    Objects.requireNonNull(scheduler, "scheduler");
    return new KeyValueAsync() {
      @Override
      public CompletableFuture<Optional<JsonNode>> getAsync(String key) {
        return run(() -> store.get(key));
      }

      @Override
      public CompletableFuture<Map<String, JsonNode>> getByPrefixAsync(String prefix) {
        return run(() -> store.getByPrefix(prefix));
      }

      @Override
      public CompletableFuture<Map<String, JsonNode>> getManyAsync(Collection<String> keys) {
        return run(() -> store.getMany(keys));
      }

      @Override
      public CompletableFuture<Void> setAsync(String key, Object value) {
        return run(() -> {
          store.set(key, value);
          return null;
        });
      }

      private <T> CompletableFuture<T> run(Supplier<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        scheduler.schedule(Duration.ZERO, () -> {
          try {
            result.complete(call.get());
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
        return result;
      }
    };
  }
}
