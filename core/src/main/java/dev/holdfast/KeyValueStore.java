package dev.holdfast;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * A key-value store with JSON values, kept in a table ({@code key text primary key, value jsonb, updated_at
 * timestamptz}) on any backend. {@code set} is an upsert, so retrying it is safe. Keys are non-empty strings of
 * any characters. Thread-safe.
 *
 * <pre>{@code
 * KeyValueStore settings = db.keyValueStore("app_settings");
 * settings.set("feature.checkout", Map.of("enabled", true));
 * boolean on = settings.get("feature.checkout").map(v -> v.path("enabled").asBoolean()).orElse(false);
 * }</pre>
 *
 * <p>For reads that must not fail a page, see {@code SafeKeyValueStore}.
 */
public interface KeyValueStore {
  /** The value stored under {@code key}. */
  Optional<JsonNode> get(String key);

  /** The value under {@code key} converted to {@code type} through Jackson. */
  <V> Optional<V> get(String key, Class<V> type);

  /** Every entry whose key starts with {@code prefix} (taken literally), in key order. */
  Map<String, JsonNode> getByPrefix(String prefix);

  /** The entries for those of {@code keys} that exist, in one round trip. */
  Map<String, JsonNode> getMany(Collection<String> keys);

  /**
   * Stores {@code value} (anything Jackson can serialize) under {@code key}, replacing any earlier value.
   *
   * @throws InvalidRequestException if {@code value} serializes to JSON null (delete the key instead)
   */
  void set(String key, Object value);

  /** Stores every entry of {@code entries} in batched round trips. */
  void setMany(Map<String, ?> entries);

  /** Deletes {@code key}; returns whether it existed. */
  boolean delete(String key);
}
