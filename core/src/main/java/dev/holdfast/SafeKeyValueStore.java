package dev.holdfast;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.internal.Futures;
import dev.holdfast.internal.KeyValueAsync;
import dev.holdfast.internal.KeyValueFallbacks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;

/**
 * Reads and writes over a {@link KeyValueStore} that never throw for data-access failures: reads return a {@link
 * SafeResult} (fresh, last known good, or the caller's default, with the error), writes a {@link WriteResult}.
 * Programmer errors still throw: a null key, value or type is a {@link NullPointerException}. A key or value the
 * store cannot hold (an empty key, a NUL character, a value Jackson cannot serialize) is an {@link
 * InvalidRequestException} returned in the result, like any other data-access failure; nothing is sent. Each
 * failure is logged once at WARN (logger {@code dev.holdfast.Safe}) with the key, never the value.
 *
 * <pre>{@code
 * SafeKeyValueStore settings = db.safeKeyValueStore("app_settings")
 *     .withLastKnownGood(LastKnownGood.of(10_000, Duration.ofMinutes(10)));
 * boolean checkout = settings.safeGet("feature.checkout", Boolean.class, false).value();
 * }</pre>
 *
 * <p>From {@link Holdfast#safeKeyValueStore(String)} calls run under {@link ResiliencePolicy#safeDefaults()} (3
 * attempts, 100 ms then 200 ms plus up to 25 % jitter), their async variants wait on the scheduler, and the guard's
 * circuit breaker, budget and bulkhead are shared with every other call to the backend.
 *
 * <p><b>Last known good</b> ({@link #withLastKnownGood}, off by default): a successful read refreshes the cache, a
 * read that finds no value drops the key, and a failed read serves the cached copy while it is younger than the
 * maximum age (measured on the scheduler's clock). A successful write caches the written value and a write of
 * unknown outcome drops the key; either drops the cached prefix results the key belongs to. A read that overlaps
 * a write does not refresh the cache, since its answer may predate the write.
 *
 * <p><b>Many keys</b>: {@link #safeGetMany} reads up to 200 keys per round trip, so one failed round trip does not
 * sink the others. When a round trip fails, its keys are not re-read one by one, because a struggling backend
 * would then receive one call per key: each key gets its own last-known-good copy or the default. The exception
 * is an {@link InvalidRequestException}, which says the request itself (perhaps one key) was rejected: then each
 * key is read on its own, so one bad key does not sink the rest. A value that does not convert to the type fails
 * that key alone.
 *
 * <p>Thread-safe.
 */
public final class SafeKeyValueStore {
  private static final int KEYS_PER_READ = 200;

  private final String name;
  private final KeyValueStore store;
  private final KeyValueAsync async;
  private final Scheduler scheduler;
  private final Executor callbacks;
  private final LastKnownGood lastKnownGood;
  private final KeyValueFallbacks fallbacks;
  private final Guard guard;

  private SafeKeyValueStore(String name, KeyValueStore store, Scheduler scheduler, LastKnownGood lastKnownGood,
      Guard guard) {
    this.name = name;
    this.store = store;
    this.scheduler = scheduler;
    this.async = KeyValueAsync.of(store, scheduler);
    this.callbacks = task -> scheduler.schedule(Duration.ZERO, task);
    this.lastKnownGood = lastKnownGood;
    this.guard = guard;
    this.fallbacks = new KeyValueFallbacks(name, lastKnownGood, scheduler, "kv." + name,
        guard == null ? KeyValueFallbacks.Served.NONE : (operation, result) -> Safe.report(guard, operation, result));
  }

  /**
   * Safe reads and writes over {@code store}, which keeps its own policy; {@code scheduler} measures cached
   * copies' age and runs the async variants (a store that has no async calls of its own then blocks a scheduler
   * thread during its retries, never the caller's).
   *
   * @throws NullPointerException if an argument is null
   */
  public static SafeKeyValueStore over(KeyValueStore store, Scheduler scheduler) {
    return create("kv", store, scheduler, null);
  }

  /** A store whose results are reported to {@code guard}'s listeners ({@link GuardEvent.SafeResultServed}). */
  static SafeKeyValueStore create(String name, KeyValueStore store, Scheduler scheduler, Guard guard) {
    return new SafeKeyValueStore(Objects.requireNonNull(name, "name"), Objects.requireNonNull(store, "store"),
        Objects.requireNonNull(scheduler, "scheduler"), null, guard);
  }

  /**
   * A copy over the same store with its own, empty last-known-good cache. Keep the instance: each copy caches on
   * its own.
   *
   * @throws NullPointerException if {@code settings} is null
   */
  public SafeKeyValueStore withLastKnownGood(LastKnownGood settings) {
    return new SafeKeyValueStore(name, store, scheduler, Objects.requireNonNull(settings, "settings"), guard);
  }

  /** The last-known-good settings, when the cache is on. */
  public Optional<LastKnownGood> lastKnownGood() {
    return Optional.ofNullable(lastKnownGood);
  }

  /** The value under {@code key}, or {@code defaultValue} (which may be null) when it is missing or unreadable. */
  public SafeResult<JsonNode> safeGet(String key, JsonNode defaultValue) {
    return safeGet(key, JsonNode.class, defaultValue);
  }

  /**
   * The value under {@code key} converted to {@code type} through Jackson, or {@code defaultValue} (which may be
   * null) when it is missing, unreadable or of another shape.
   *
   * @throws NullPointerException if {@code key} or {@code type} is null
   */
  public <V> SafeResult<V> safeGet(String key, Class<V> type, V defaultValue) {
    requireKey(key);
    Objects.requireNonNull(type, "type");
    String op = name + ".safeGet";
    long seen = fallbacks.writes();
    try {
      return fallbacks.fresh(seen, op, key, type, defaultValue, store.get(key));
    } catch (HoldfastException e) {
      return fallbacks.cachedOrDefault(op, key, type, defaultValue, e, true);
    }
  }

  /** As {@link #safeGet(String, Class, Object)}, with attempts and waits on the scheduler. */
  public <V> CompletableFuture<SafeResult<V>> safeGetAsync(String key, Class<V> type, V defaultValue) {
    requireKey(key);
    Objects.requireNonNull(type, "type");
    String op = name + ".safeGet";
    long seen = fallbacks.writes();
    return settle(start(() -> async.getAsync(key)), (found, failure) -> failure == null
        ? fallbacks.fresh(seen, op, key, type, defaultValue, found)
        : fallbacks.cachedOrDefault(op, key, type, defaultValue, failure, true));
  }

  /**
   * Every entry whose key starts with {@code prefix}, in key order, or {@code defaultValue} when the read fails.
   * A cached result for the same prefix is served as last known good.
   *
   * @throws NullPointerException if {@code prefix} is null
   */
  public SafeResult<Map<String, JsonNode>> safeGetByPrefix(String prefix, Map<String, JsonNode> defaultValue) {
    Objects.requireNonNull(prefix, "prefix");
    long seen = fallbacks.writes();
    try {
      return fallbacks.freshPrefix(seen, prefix, store.getByPrefix(prefix));
    } catch (HoldfastException e) {
      return fallbacks.cachedPrefixOrDefault(prefix, defaultValue, e);
    }
  }

  /** As {@link #safeGetByPrefix(String, Map)}, with attempts and waits on the scheduler. */
  public CompletableFuture<SafeResult<Map<String, JsonNode>>> safeGetByPrefixAsync(
      String prefix, Map<String, JsonNode> defaultValue) {
    Objects.requireNonNull(prefix, "prefix");
    long seen = fallbacks.writes();
    return settle(start(() -> async.getByPrefixAsync(prefix)), (found, failure) -> failure == null
        ? fallbacks.freshPrefix(seen, prefix, found) : fallbacks.cachedPrefixOrDefault(prefix, defaultValue, failure));
  }

  /**
   * One result per distinct key, in the order given: see the class comment for how failed round trips fall back.
   *
   * @throws NullPointerException if {@code keys}, one of them, or {@code type} is null
   */
  public <V> Map<String, SafeResult<V>> safeGetMany(Collection<String> keys, Class<V> type, V defaultValue) {
    Objects.requireNonNull(type, "type");
    Map<String, SafeResult<V>> out = new LinkedHashMap<>();
    for (List<String> chunk : chunks(keys)) {
      long seen = fallbacks.writes();
      try {
        out.putAll(fallbacks.freshMany(seen, chunk, type, defaultValue, store.getMany(chunk)));
      } catch (HoldfastException e) {
        if (KeyValueFallbacks.isolate(chunk, e)) {
          chunk.forEach(key -> out.put(key, safeGet(key, type, defaultValue)));
        } else {
          out.putAll(fallbacks.cachedOrDefaultMany(chunk, type, defaultValue, e));
        }
      }
    }
    return out;
  }

  /** As {@link #safeGetMany(Collection, Class, Object)}, with attempts and waits on the scheduler. */
  public <V> CompletableFuture<Map<String, SafeResult<V>>> safeGetManyAsync(
      Collection<String> keys, Class<V> type, V defaultValue) {
    Objects.requireNonNull(type, "type");
    List<CompletableFuture<Map<String, SafeResult<V>>>> parts = new ArrayList<>();
    for (List<String> chunk : chunks(keys)) {
      long seen = fallbacks.writes();
      parts.add(settle(start(() -> async.getManyAsync(chunk)), (found, failure) -> {
        if (failure == null) {
          return CompletableFuture.completedFuture(fallbacks.freshMany(seen, chunk, type, defaultValue, found));
        }
        if (KeyValueFallbacks.isolate(chunk, failure)) {
          return eachKeyAsync(chunk, type, defaultValue);
        }
        return CompletableFuture.completedFuture(
            fallbacks.cachedOrDefaultMany(chunk, type, defaultValue, failure));
      }).thenCompose(part -> part));
    }
    return joinInOrder(parts);
  }

  private <V> CompletableFuture<Map<String, SafeResult<V>>> eachKeyAsync(
      List<String> chunk, Class<V> type, V defaultValue) {
    List<CompletableFuture<Map<String, SafeResult<V>>>> parts = new ArrayList<>();
    for (String key : chunk) {
      parts.add(safeGetAsync(key, type, defaultValue).thenApply(result -> Map.of(key, result)));
    }
    return joinInOrder(parts);
  }

  private static <V> CompletableFuture<Map<String, SafeResult<V>>> joinInOrder(
      List<CompletableFuture<Map<String, SafeResult<V>>>> parts) {
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
      Map<String, SafeResult<V>> out = new LinkedHashMap<>();
      parts.forEach(part -> out.putAll(part.join()));
      return out;
    });
  }

  /**
   * Stores {@code value} under {@code key} (an upsert, so it is retried under the policy).
   *
   * @throws NullPointerException if {@code key} or {@code value} is null
   */
  public WriteResult safeSet(String key, Object value) {
    requireKey(key);
    Objects.requireNonNull(value, "value");
    try {
      store.set(key, value);
      return fallbacks.written(key, value, null);
    } catch (HoldfastException e) {
      return fallbacks.written(key, value, e);
    }
  }

  /** As {@link #safeSet(String, Object)}, with attempts and waits on the scheduler. */
  public CompletableFuture<WriteResult> safeSetAsync(String key, Object value) {
    requireKey(key);
    Objects.requireNonNull(value, "value");
    return settle(start(() -> async.setAsync(key, value)), (ignored, failure) -> fallbacks.written(key, value, failure));
  }

  private static List<List<String>> chunks(Collection<String> keys) {
    Objects.requireNonNull(keys, "keys");
    int index = 0;
    for (String key : keys) {
      if (key == null) {
        throw new NullPointerException("keys[" + index + "] is null");
      }
      index++;
    }
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
    List<List<String>> chunks = new ArrayList<>();
    for (int i = 0; i < distinct.size(); i += KEYS_PER_READ) {
      chunks.add(List.copyOf(distinct.subList(i, Math.min(distinct.size(), i + KEYS_PER_READ))));
    }
    return chunks;
  }

  /** Only null is the caller's mistake; a key the store cannot hold comes back as a result like any failure. */
  private static String requireKey(String key) {
    return Objects.requireNonNull(key, "key");
  }

  /** The store's future, or a failed one when it refused the request before sending it. */
  private static <T> CompletableFuture<T> start(java.util.function.Supplier<CompletableFuture<T>> call) {
    try {
      return call.get();
    } catch (HoldfastException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private <R, T> CompletableFuture<R> settle(
      CompletableFuture<T> guarded, BiFunction<T, HoldfastException, R> toResult) {
    return Futures.settle(guarded, toResult, callbacks);
  }

  /** Names the store and whether the cache is on; never values. */
  @Override
  public String toString() {
    return "SafeKeyValueStore{" + name + ", lastKnownGood=" + lastKnownGood + "}";
  }
}
