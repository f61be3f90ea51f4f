package dev.holdfast.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.Call;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Filter;
import dev.holdfast.Guard;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.KeyValueStore;
import dev.holdfast.Order;
import dev.holdfast.Query;
import dev.holdfast.spi.Backend;
import dev.holdfast.spi.TableRef;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link KeyValueStore} on a table {@code (key text primary key, value jsonb, updated_at timestamptz)} through
 * the backend SPI, so every backend has one. Internal; thread-safe.
 */
public final class BackendKeyValueStore implements KeyValueStore {
  /** Keys per round trip for {@link #getMany}: keeps URLs and statements a sane size. */
  static final int KEYS_PER_READ = 200;

  private final Backend backend;
  private final Guard guard;
  private final TableRef ref;
  private final ObjectMapper mapper = Json.mapper();
  private final Clock clock;
  private final String name;

  public BackendKeyValueStore(Backend backend, Guard guard, String schema, String table) {
    this(backend, guard, schema, table, Clock.systemUTC());
  }

  BackendKeyValueStore(Backend backend, Guard guard, String schema, String table, Clock clock) {
    this.backend = backend;
    this.guard = guard;
    this.ref = new TableRef(schema, table, "key", List.of("key", "value", "updated_at"));
    this.clock = clock;
    this.name = table;
  }

  @Override
  public Optional<JsonNode> get(String key) {
    Query q = Query.where(Filter.eq("key", requireKey(key))).limit(1);
    List<ObjectNode> found = guard.call(Call.read(name + ".get"), ctx -> backend.select(ctx, ref, q));
    return found.stream().findFirst().map(row -> row.get("value"));
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
    return entries(guard.call(Call.read(name + ".getByPrefix"), ctx -> backend.select(ctx, ref, q)));
  }

  @Override
  public Map<String, JsonNode> getMany(Collection<String> keys) {
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
    distinct.forEach(BackendKeyValueStore::requireKey);
    Map<String, JsonNode> found = new LinkedHashMap<>();
    for (int i = 0; i < distinct.size(); i += KEYS_PER_READ) {
      List<String> chunk = distinct.subList(i, Math.min(distinct.size(), i + KEYS_PER_READ));
      Query q = Query.where(Filter.in("key", chunk));
      found.putAll(entries(guard.call(Call.read(name + ".getMany"), ctx -> backend.select(ctx, ref, q))));
    }
    Map<String, JsonNode> ordered = new LinkedHashMap<>();
    for (String key : distinct) {
      if (found.containsKey(key)) {
        ordered.put(key, found.get(key));
      }
    }
    return ordered;
  }

  @Override
  public void set(String key, Object value) {
    List<ObjectNode> row = List.of(row(requireKey(key), value));
    guard.call(Call.idempotentWrite(name + ".set"), ctx -> backend.upsert(ctx, ref, row, List.of("key")));
  }

  @Override
  public void setMany(Map<String, ?> entries) {
    List<ObjectNode> all = new ArrayList<>(entries.size());
    entries.forEach((k, v) -> all.add(row(requireKey(k), v)));
    for (int i = 0; i < all.size(); i += backend.maxBatchSize()) {
      List<ObjectNode> batch = all.subList(i, Math.min(all.size(), i + backend.maxBatchSize()));
      guard.call(Call.idempotentWrite(name + ".setMany"), ctx -> backend.upsert(ctx, ref, batch, List.of("key")));
    }
  }

  @Override
  public boolean delete(String key) {
    Filter f = Filter.eq("key", requireKey(key));
    return guard.call(Call.idempotentWrite(name + ".delete"), ctx -> backend.delete(ctx, ref, f)) > 0;
  }

  private ObjectNode row(String key, Object value) {
    Objects.requireNonNull(value, "value");
    JsonNode json = mapper.valueToTree(value);
    if (json == null || json.isNull() || json.isMissingNode()) {
      // PostgREST turns a JSON null into SQL NULL, so no backend could store it the same way: refuse it.
      throw new InvalidRequestException("The value for key '" + key + "' is JSON null",
          ErrorDetails.of(backend.name()).withHint("Delete the key instead of storing null."), null);
    }
    ObjectNode row = mapper.createObjectNode();
    row.put("key", key);
    row.set("value", json);
    row.put("updated_at", clock.instant().toString());
    return row;
  }

  private static Map<String, JsonNode> entries(List<ObjectNode> rows) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (ObjectNode row : rows) {
      out.put(row.path("key").asText(), row.get("value"));
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

  static String requireKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key is empty");
    }
    return key;
  }

  @Override
  public String toString() {
    return "KeyValueStore{" + ref.qualifiedName() + ", backend=" + backend.name() + "}";
  }
}
