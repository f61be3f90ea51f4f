package dev.holdfast.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.ErrorDetails;
import dev.holdfast.HoldfastException;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.LastKnownGood;
import dev.holdfast.SafeResult;
import dev.holdfast.Scheduler;
import dev.holdfast.WriteResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code SafeKeyValueStore} makes of each answer, the same for its blocking and async calls: a fresh value
 * refreshes the last-known-good cache, a failure is served from it or from the default, and each failure is logged
 * once. Internal; thread-safe.
 */
public final class KeyValueFallbacks {
  private final String name;
  private final ObjectMapper mapper = Json.mapper();
  private final LastKnownGoodCache<JsonNode> values;
  private final LastKnownGoodCache<Map<String, JsonNode>> prefixes;
  // Counts finished writes. A read caches its answer only if no write finished while it ran: otherwise the answer
  // may predate the write and would overwrite the fresher value the write cached.
  private final AtomicLong writes = new AtomicLong();
  private final Served served;
  private final String getOp;
  private final String getManyOp;
  private final String getByPrefixOp;

  /** Hears every result a safe read returns, with the read's operation name; must be cheap when nobody listens. */
  @FunctionalInterface
  public interface Served {
    /** Nobody listens. */
    Served NONE = (operation, result) -> {};

    /** {@code result} was returned by the read {@code operation}. */
    void served(String operation, SafeResult<?> result);
  }

  /**
   * Fallbacks for the store called {@code name}, with a cache when {@code lastKnownGood} is not null; results are
   * reported to {@code served} under the operation names {@code operations + ".get"}, {@code ".getMany"} and
   * {@code ".getByPrefix"}.
   */
  public KeyValueFallbacks(String name, LastKnownGood lastKnownGood, Scheduler clock, String operations,
      Served served) {
    this.name = name;
    this.served = served;
    this.getOp = operations + ".get";
    this.getManyOp = operations + ".getMany";
    this.getByPrefixOp = operations + ".getByPrefix";
    this.values = lastKnownGood == null ? null : new LastKnownGoodCache<>(lastKnownGood, clock);
    this.prefixes = lastKnownGood == null ? null : new LastKnownGoodCache<>(lastKnownGood, clock);
  }

  /** The write count to pass to the {@code fresh*} methods: read it before the call. */
  public long writes() {
    return writes.get();
  }

  /** The result of a read that answered: refreshes or drops the cached copy; a value of another shape fails. */
  public <V> SafeResult<V> fresh(
      long seen, String op, String key, Class<V> type, V defaultValue, Optional<JsonNode> found) {
    return report(getOp, freshResult(seen, op, key, type, defaultValue, found));
  }

  private <V> SafeResult<V> freshResult(
      long seen, String op, String key, Class<V> type, V defaultValue, Optional<JsonNode> found) {
    if (found.isEmpty()) {
      if (values != null) {
        values.remove(key);
      }
      return SafeResult.defaulted(defaultValue, null);
    }
    JsonNode node = found.get();
    if (values != null && writes.get() == seen) {
      values.put(key, node.deepCopy());
    }
    try {
      return SafeResult.fresh(convert(key, node, type));
    } catch (InvalidRequestException e) {
      SafeResult<V> result = SafeResult.defaulted(defaultValue, e);
      SafeLog.readFailed(op, describe(key), result, e);
      return result;
    }
  }

  /** The result of a read that failed: the cached copy if young enough, else the default; logged if asked. */
  public <V> SafeResult<V> cachedOrDefault(
      String op, String key, Class<V> type, V defaultValue, HoldfastException error, boolean log) {
    return report(getOp, cachedResult(op, key, type, defaultValue, error, log));
  }

  private <V> SafeResult<V> cachedResult(
      String op, String key, Class<V> type, V defaultValue, HoldfastException error, boolean log) {
    SafeResult<V> result = SafeResult.defaulted(defaultValue, error);
    Optional<LastKnownGoodCache.Hit<JsonNode>> hit = values == null ? Optional.empty() : values.get(key);
    if (hit.isPresent()) {
      try {
        result = SafeResult.lastKnownGood(convert(key, hit.get().value().deepCopy(), type), hit.get().age(), error);
      } catch (InvalidRequestException shapeChanged) {
        // The copy is of another shape than this caller expects: the default serves it better.
      }
    }
    if (log) {
      SafeLog.readFailed(op, describe(key), result, error);
    }
    return result;
  }

  /** Per-key results of a round trip that answered; keys it did not return get the default. */
  public <V> Map<String, SafeResult<V>> freshMany(
      long seen, List<String> chunk, Class<V> type, V defaultValue, Map<String, JsonNode> found) {
    Map<String, SafeResult<V>> out = new LinkedHashMap<>();
    for (String key : chunk) {
      out.put(key, report(getManyOp,
          freshResult(seen, name + ".safeGetMany", key, type, defaultValue, Optional.ofNullable(found.get(key)))));
    }
    return out;
  }

  /** Every key of a failed round trip falls back on its own; the one failure is logged once for all of them. */
  public <V> Map<String, SafeResult<V>> cachedOrDefaultMany(
      List<String> chunk, Class<V> type, V defaultValue, HoldfastException error) {
    String op = name + ".safeGetMany";
    Map<String, SafeResult<V>> out = new LinkedHashMap<>();
    int cached = 0;
    for (String key : chunk) {
      SafeResult<V> result = report(getManyOp, cachedResult(op, key, type, defaultValue, error, false));
      cached += result.source() == SafeResult.Source.LAST_KNOWN_GOOD ? 1 : 0;
      out.put(key, result);
    }
    SafeLog.manyFailed(op, chunk.size(), cached, error);
    return out;
  }

  /** Whether the keys of a failed round trip should be read one by one. */
  public static boolean isolate(List<String> chunk, HoldfastException error) {
    // Only a rejected request can be one key's fault; anything else would fail each key's read again.
    return error instanceof InvalidRequestException && chunk.size() > 1;
  }

  /** The result of a prefix read that answered, cached by prefix. */
  public SafeResult<Map<String, JsonNode>> freshPrefix(long seen, String prefix, Map<String, JsonNode> found) {
    if (prefixes != null && writes.get() == seen) {
      prefixes.put(prefix, copy(found));
    }
    return report(getByPrefixOp, SafeResult.fresh(found));
  }

  /** The result of a prefix read that failed, logged once. */
  public SafeResult<Map<String, JsonNode>> cachedPrefixOrDefault(
      String prefix, Map<String, JsonNode> defaultValue, HoldfastException error) {
    var hit = prefixes == null ? Optional.<LastKnownGoodCache.Hit<Map<String, JsonNode>>>empty() : prefixes.get(prefix);
    SafeResult<Map<String, JsonNode>> result = hit.isPresent()
        ? SafeResult.lastKnownGood(copy(hit.get().value()), hit.get().age(), error)
        : SafeResult.defaulted(defaultValue, error);
    SafeLog.readFailed(name + ".safeGetByPrefix", "prefix '" + prefix + "'", result, error);
    return report(getByPrefixOp, result);
  }

  /** The result of a write ({@code failure} null when it was applied), keeping the cache truthful; logged once. */
  public WriteResult written(String key, Object value, HoldfastException failure) {
    WriteResult result = failure == null ? WriteResult.applied() : WriteResult.of(failure);
    if (result.outcome() != WriteResult.Outcome.FAILED) {
      writes.incrementAndGet();
      // The backend now holds the value, or may: cached prefix results that contain the key are out of date.
      if (prefixes != null) {
        prefixes.removeIf(key::startsWith);
      }
      if (values != null) {
        cacheWritten(key, value, result.isApplied());
      }
    }
    if (failure != null) {
      SafeLog.writeFailed(name + ".safeSet", describe(key), result);
    }
    return result;
  }

  private void cacheWritten(String key, Object value, boolean applied) {
    if (!applied) {
      values.remove(key);
      return;
    }
    try {
      values.put(key, mapper.valueToTree(value));
    } catch (IllegalArgumentException e) {
      values.remove(key);
    }
  }

  private <V> V convert(String key, JsonNode node, Class<V> type) {
    if (type == JsonNode.class) {
      return type.cast(node);
    }
    try {
      return mapper.treeToValue(node, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new InvalidRequestException("The value of key '" + key + "' is not a " + type.getSimpleName(),
          ErrorDetails.of(name).withHint("Read it as JsonNode, or store values of one shape per key."), e);
    }
  }

  private <R extends SafeResult<?>> R report(String operation, R result) {
    served.served(operation, result);
    return result;
  }

  private static Map<String, JsonNode> copy(Map<String, JsonNode> entries) {
    Map<String, JsonNode> copy = new LinkedHashMap<>();
    entries.forEach((k, v) -> copy.put(k, v == null ? null : v.deepCopy()));
    return copy;
  }

  private static String describe(String key) {
    return "key '" + key + "'";
  }
}
