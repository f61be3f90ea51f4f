package dev.holdfast.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.Call;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Filter;
import dev.holdfast.Guard;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.KeyValueStore;
import dev.holdfast.Order;
import dev.holdfast.Query;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.spi.Backend;
import dev.holdfast.WriteMode;
import dev.holdfast.spi.TableMapping;
import dev.holdfast.spi.TableRef;
import java.time.Instant;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link KeyValueStore} on a table {@code (key text primary key, value jsonb, updated_at timestamptz)} through
 * the backend SPI, so every backend has one. Its reads and writes also run on {@link Guard#callAsync} for the safe
 * store's async methods ({@link KeyValueAsync}). Internal; thread-safe.
 */
public final class BackendKeyValueStore implements KeyValueStore, KeyValueAsync {
  /** Keys per round trip for {@link #getMany}: keeps URLs and statements a sane size. */
  static final int KEYS_PER_READ = 200;
  private static final List<String> COLUMNS = List.of("key", "value", "updated_at");
  private static final ObjectMapper ENTRY_MAPPER = Json.rowMapper(null, true);
  /** One mapping per table, however many stores are made for it: backends cache per mapping. */
  private static final Map<TableRef, TableMapping<Entry>> MAPPINGS = new java.util.concurrent.ConcurrentHashMap<>();

  /** A row of the key-value table. */
  record Entry(String key, JsonNode value, Instant updatedAt) {}

  private final Backend backend;
  private final Guard guard;
  private final TableRef ref;
  private final TableMapping<Entry> rows;
  private final ObjectMapper mapper = Json.mapper();
  private final Clock clock;
  private final String name;
  private final ResiliencePolicy policy;

  public BackendKeyValueStore(Backend backend, Guard guard, String schema, String table) {
    this(backend, guard, schema, table, null);
  }

  /**
   * A store whose calls run under {@code policy} instead of the guard's own (still sharing the guard's breaker,
   * budget and bulkhead); null keeps the guard's. The safe store uses this so that its calls are retried once,
   * under the safe policy, rather than nesting one retry loop in another.
   */
  public BackendKeyValueStore(Backend backend, Guard guard, String schema, String table, ResiliencePolicy policy) {
    this(backend, guard, schema, table, policy, Clock.systemUTC());
  }

  BackendKeyValueStore(
      Backend backend, Guard guard, String schema, String table, ResiliencePolicy policy, Clock clock) {
    this.backend = backend;
    this.guard = guard;
    this.ref = new TableRef(schema, table, "key", COLUMNS);
    this.rows = MAPPINGS.computeIfAbsent(ref, r -> TableMapping.of(r, Entry.class, COLUMNS, ENTRY_MAPPER));
    this.clock = clock;
    this.name = table;
    this.policy = policy;
  }

  private Call read(String operation) {
    Call call = Call.read("kv." + name + "." + operation);
    return policy == null ? call : call.withPolicy(policy);
  }

  private Call idempotentWrite(String operation) {
    Call call = Call.idempotentWrite("kv." + name + "." + operation);
    return policy == null ? call : call.withPolicy(policy);
  }

  @Override
  public Optional<JsonNode> get(String key) {
    Query q = Query.where(Filter.eq("key", requireKey(key))).limit(1);
    return firstValue(guard.call(read("get"), ctx -> backend.select(ctx, rows, q)));
  }

  @Override
  public CompletableFuture<Optional<JsonNode>> getAsync(String key) {
    Query q = Query.where(Filter.eq("key", requireKey(key))).limit(1);
    return guard.callAsync(read("get"), ctx -> backend.select(ctx, rows, q)).thenApply(BackendKeyValueStore::firstValue);
  }

  private static Optional<JsonNode> firstValue(List<Entry> found) {
    return found.stream().findFirst().map(Entry::value);
  }

  @Override
  public <V> Optional<V> get(String key, Class<V> type) {
    Objects.requireNonNull(type, "type");
    return get(key).map(value -> convert(key, value, type));
  }

  @Override
  public Map<String, JsonNode> getByPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    Query q = Query.where(Filter.startsWith("key", prefix)).orderBy(Order.asc("key"));
    return entries(guard.call(read("getByPrefix"), ctx -> backend.select(ctx, rows, q)));
  }

  @Override
  public CompletableFuture<Map<String, JsonNode>> getByPrefixAsync(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    Query q = Query.where(Filter.startsWith("key", prefix)).orderBy(Order.asc("key"));
    return guard.callAsync(read("getByPrefix"), ctx -> backend.select(ctx, rows, q))
        .thenApply(BackendKeyValueStore::entries);
  }

  @Override
  public Map<String, JsonNode> getMany(Collection<String> keys) {
    List<String> distinct = distinctKeys(keys);
    Map<String, JsonNode> found = new LinkedHashMap<>();
    for (int i = 0; i < distinct.size(); i += KEYS_PER_READ) {
      List<String> chunk = distinct.subList(i, Math.min(distinct.size(), i + KEYS_PER_READ));
      Query q = Query.where(Filter.in("key", chunk));
      found.putAll(entries(guard.call(read("getMany"), ctx -> backend.select(ctx, rows, q))));
    }
    return inOrder(distinct, found);
  }

  @Override
  public CompletableFuture<Map<String, JsonNode>> getManyAsync(Collection<String> keys) {
    List<String> distinct = distinctKeys(keys);
    CompletableFuture<Map<String, JsonNode>> all = CompletableFuture.completedFuture(new LinkedHashMap<>());
    for (int i = 0; i < distinct.size(); i += KEYS_PER_READ) {
      Query q = Query.where(Filter.in("key", distinct.subList(i, Math.min(distinct.size(), i + KEYS_PER_READ))));
      all = all.thenCompose(found -> guard.callAsync(read("getMany"), ctx -> backend.select(ctx, rows, q))
          .thenApply(rows -> {
            found.putAll(entries(rows));
            return found;
          }));
    }
    return all.thenApply(found -> inOrder(distinct, found));
  }

  private static Map<String, JsonNode> inOrder(List<String> keys, Map<String, JsonNode> found) {
    Map<String, JsonNode> ordered = new LinkedHashMap<>();
    for (String key : keys) {
      if (found.containsKey(key)) {
        ordered.put(key, found.get(key));
      }
    }
    return ordered;
  }

  @Override
  public void set(String key, Object value) {
    List<Entry> row = List.of(row(requireKey(key), value));
    guard.call(idempotentWrite("set"), ctx -> backend.upsert(ctx, rows, row, KEY, WriteMode.ONE_ROUND_TRIP));
  }

  @Override
  public CompletableFuture<Void> setAsync(String key, Object value) {
    List<Entry> row = List.of(row(requireKey(key), value));
    return guard.callAsync(idempotentWrite("set"),
        ctx -> backend.upsert(ctx, rows, row, KEY, WriteMode.ONE_ROUND_TRIP)).thenApply(stored -> null);
  }

  @Override
  public void setMany(Map<String, ?> entries) {
    Objects.requireNonNull(entries, "entries");
    List<Entry> all = new ArrayList<>(entries.size());
    entries.forEach((k, v) -> all.add(row(requireKey(k), v)));
    for (int i = 0; i < all.size(); i += backend.maxBatchSize()) {
      List<Entry> batch = all.subList(i, Math.min(all.size(), i + backend.maxBatchSize()));
      guard.call(idempotentWrite("setMany"), ctx -> backend.upsert(ctx, rows, batch, KEY, WriteMode.ONE_ROUND_TRIP));
    }
  }

  @Override
  public boolean delete(String key) {
    Filter f = Filter.eq("key", requireKey(key));
    return guard.call(idempotentWrite("delete"), ctx -> backend.delete(ctx, ref, f, WriteMode.ONE_ROUND_TRIP)) > 0;
  }

  private Entry row(String key, Object value) {
    Objects.requireNonNull(value, "value");
    JsonNode json;
    try {
      json = mapper.valueToTree(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("The value for key '" + key + "' cannot be converted to JSON: "
          + jacksonMessage(e), ErrorDetails.of(backend.name()).withHint("Store a value Jackson can serialize: a "
          + "record, map, list, string, number or boolean."), e);
    }
    Values.requireStorable(json, "value (key '" + key + "')");
    if (json == null || json.isNull() || json.isMissingNode()) {
      // PostgREST turns a JSON null into SQL NULL, so no backend could store it the same way: refuse it.
      throw new InvalidRequestException("The value for key '" + key + "' is JSON null",
          ErrorDetails.of(backend.name()).withHint("Delete the key instead of storing null."), null);
    }
    return new Entry(key, json, clock.instant());
  }

  private static Map<String, JsonNode> entries(List<Entry> rows) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (Entry row : rows) {
      out.put(row.key(), row.value());
    }
    return out;
  }

  private <V> V convert(String key, JsonNode value, Class<V> type) {
    try {
      return mapper.treeToValue(value, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new InvalidRequestException("The value of key '" + key + "' is not a " + type.getSimpleName(),
          ErrorDetails.of(backend.name()).withHint("Read it as JsonNode, or store values of one shape per key."), e);
    }
  }

  private static final List<String> KEY = List.of("key");

  /**
   * {@code key}, if it can be stored: null is a programmer error; an empty key, or one with the NUL character, is
   * data the store cannot hold.
   */
  static String requireKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new InvalidRequestException("The key is empty", ErrorDetails.of("holdfast")
          .withHint("Keys are non-empty strings."), null);
    }
    return Values.requireNoNul(key, "the key");
  }

  private static List<String> distinctKeys(Collection<String> keys) {
    Objects.requireNonNull(keys, "keys");
    List<String> distinct = new ArrayList<>(keys.size());
    int i = 0;
    for (String key : keys) {
      if (key == null) {
        throw new NullPointerException("keys[" + i + "] is null");
      }
      i++;
    }
    for (String key : new LinkedHashSet<>(keys)) {
      distinct.add(requireKey(key));
    }
    return distinct;
  }

  private static String jacksonMessage(IllegalArgumentException e) {
    return e.getCause() instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
  }

  @Override
  public String toString() {
    return "KeyValueStore{" + ref.qualifiedName() + ", backend=" + backend.name() + "}";
  }
}
