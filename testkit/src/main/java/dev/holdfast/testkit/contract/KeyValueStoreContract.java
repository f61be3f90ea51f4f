package dev.holdfast.testkit.contract;

import static dev.holdfast.testkit.contract.ContractData.json;
import static dev.holdfast.testkit.contract.ContractData.normalize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.KeyValueStore;
import dev.holdfast.SchemaMismatchException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The key-value store: reads, writes, prefixes taken literally, batches, Unicode keys and every JSON shape.
 *
 * <p>Part of {@link BackendContract}; JUnit runs its tests on the subclass, one instance per test, so nothing
 * here needs to be thread-safe.
 */
public interface KeyValueStoreContract extends ContractSuite {

  /** A value type for typed reads. */
  record Point(int x, int y) {}

  private JsonNode read(String key) {
    return normalize(kv().get(key).orElseThrow(() -> new AssertionError("no value for key " + key)));
  }

  @Test
  default void setThenGetReturnsTheValue() {
    kv().set("alpha", Map.of("x", 1, "y", List.of("a", "b")));
    assertThat(read("alpha")).isEqualTo(normalize(json("{\"x\":1,\"y\":[\"a\",\"b\"]}")));
  }

  @Test
  default void getOfAnAbsentKeyIsEmpty() {
    kv().set("present", 1);
    assertThat(kv().get("absent")).isEmpty();
    assertThat(kv().get("absent", Point.class)).isEmpty();
    assertThat(kv().get("PRESENT")).isEmpty();
  }

  @Test
  default void setOverwrites() {
    kv().set("k", 1);
    kv().set("k", "two");
    kv().set("k", Map.of("three", 3));
    assertThat(read("k")).isEqualTo(normalize(json("{\"three\":3}")));
    assertThat(kv().getByPrefix("k")).hasSize(1);
  }

  @Test
  default void getWithATypeConvertsOrFailsClearly() {
    kv().set("point", new Point(3, -4));
    assertThat(kv().get("point", Point.class)).contains(new Point(3, -4));
    kv().set("text", "not a point");
    assertThatThrownBy(() -> kv().get("text", Point.class)).isInstanceOf(InvalidRequestException.class);
    kv().set("n", 42);
    assertThat(kv().get("n", Integer.class)).contains(42);
    assertThat(kv().get("n", Long.class)).contains(42L);
  }

  @Test
  default void getByPrefixTakesPercentAndUnderscoreLiterallyAndOrdersByKey() {
    for (String key : List.of("app:c", "app:a", "app_x", "app%y", "apple", "apx", "ap", "app:b", "app\\z")) {
      kv().set(key, key);
    }
    assertThat(kv().getByPrefix("app:")).containsExactly(Map.entry("app:a", json("\"app:a\"")),
        Map.entry("app:b", json("\"app:b\"")), Map.entry("app:c", json("\"app:c\"")));
    assertThat(kv().getByPrefix("app_").keySet()).containsExactly("app_x");
    assertThat(kv().getByPrefix("app%").keySet()).containsExactly("app%y");
    assertThat(kv().getByPrefix("app\\").keySet()).containsExactly("app\\z");
    assertThat(kv().getByPrefix("zzz")).isEmpty();
    assertThat(kv().getByPrefix("").keySet()).containsExactlyInAnyOrder("app:c", "app:a", "app_x", "app%y",
        "apple", "apx", "ap", "app:b", "app\\z");
    assertThat(kv().getByPrefix("app").keySet()).hasSize(7).doesNotContain("apx", "ap");
  }

  @Test
  default void getManyReturnsFoundKeysInRequestOrderAcrossManyRoundTrips() {
    Map<String, Object> entries = new LinkedHashMap<>();
    for (int i = 0; i < 250; i++) {
      entries.put("key-" + i, i);
    }
    kv().setMany(entries);
    List<String> wanted = new ArrayList<>();
    for (int i = 249; i >= 0; i--) {
      wanted.add("key-" + i);
      if (i % 50 == 0) {
        wanted.add("missing-" + i);
        wanted.add("key-249");
      }
    }
    Map<String, JsonNode> found = kv().getMany(wanted);
    assertThat(found).hasSize(250);
    List<String> expectedOrder = new ArrayList<>();
    for (int i = 249; i >= 0; i--) {
      expectedOrder.add("key-" + i);
    }
    assertThat(found.keySet()).containsExactlyElementsOf(expectedOrder);
    assertThat(found.get("key-7").intValue()).isEqualTo(7);
    assertThat(kv().getMany(List.of())).isEmpty();
    assertThat(kv().getMany(List.of("missing"))).isEmpty();
  }

  @Test
  default void setManyStoresMoreEntriesThanOneBatchAndOverwrites() {
    Map<String, Object> entries = new LinkedHashMap<>();
    for (int i = 0; i < 640; i++) {
      entries.put("bulk:" + i, Map.of("i", i));
    }
    kv().setMany(entries);
    kv().setMany(Map.of("bulk:0", "changed", "bulk:639", List.of(1)));
    Map<String, JsonNode> all = kv().getByPrefix("bulk:");
    assertThat(all).hasSize(640);
    assertThat(normalize(all.get("bulk:0"))).isEqualTo(json("\"changed\""));
    assertThat(normalize(all.get("bulk:639"))).isEqualTo(normalize(json("[1]")));
    assertThat(normalize(all.get("bulk:320"))).isEqualTo(normalize(json("{\"i\":320}")));
    kv().setMany(Map.of());
  }

  @Test
  default void deleteSaysWhetherAKeyWasDeleted() {
    kv().set("gone", true);
    assertThat(kv().delete("gone")).isTrue();
    assertThat(kv().delete("gone")).isFalse();
    assertThat(kv().get("gone")).isEmpty();
  }

  @Test
  default void unicodeAndHostileKeysWorkLikeAnyOther() {
    List<String> keys = new ArrayList<>(List.of("ключ", "🔑-key", "مفتاح", "键"));
    ContractData.HOSTILE.stream().filter(k -> !k.isEmpty()).forEach(keys::add);
    for (String key : keys) {
      kv().set(key, Map.of("key", key));
    }
    for (String key : keys) {
      assertThat(read(key)).as("value of %s", key).isEqualTo(json("{\"key\":" + quote(key) + "}"));
    }
    assertThat(kv().getByPrefix("🔑").keySet()).containsExactly("🔑-key");
    assertThat(kv().getMany(keys).keySet()).containsExactlyElementsOf(keys);
    assertThat(kv().delete("\"); DROP TABLE contract_kv; --")).isTrue();
    assertThat(kv().getMany(keys)).hasSize(keys.size() - 1);
  }

  @Test
  default void everyJsonShapeRoundTrips() {
    Map<String, JsonNode> shapes = new LinkedHashMap<>();
    shapes.put("string", json("\"text with \\\"quotes\\\", \\\\ and \\n\""));
    shapes.put("empty-string", json("\"\""));
    shapes.put("zero", json("0"));
    shapes.put("negative", json("-17"));
    shapes.put("long", json("9007199254740993"));
    shapes.put("decimal", json("0.1"));
    shapes.put("exponent", json("1.5e10"));
    shapes.put("true", json("true"));
    shapes.put("false", json("false"));
    shapes.put("empty-object", json("{}"));
    shapes.put("empty-array", json("[]"));
    shapes.put("nested", json("{\"a\":{\"b\":{\"c\":[1,{\"d\":null}]}},\"e\":\"🦀\"}"));
    shapes.put("mixed-array", json("[1,\"two\",true,null,{\"x\":[]},[[]],2.5]"));
    shapes.forEach(kv()::set);
    shapes.forEach((key, value) -> assertThat(read(key)).as(key).isEqualTo(normalize(value)));
    assertThat(kv().getMany(shapes.keySet()).keySet()).containsExactlyElementsOf(shapes.keySet());
  }

  @Test
  default void jsonNullIsRejectedBeforeAnythingIsSent() {
    long before = backendCalls();
    assertThatThrownBy(() -> kv().set("nothing", NullNode.getInstance()))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> kv().setMany(Map.of("a", 1, "nothing", NullNode.getInstance())))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(backendCalls()).isEqualTo(before);
    assertThat(kv().get("a")).isEmpty();
  }

  @Test
  default void invalidKeysAreRejectedBeforeAnythingIsSent() {
    long before = backendCalls();
    // An empty key is data the store cannot hold; a null one is the caller's mistake.
    assertThatThrownBy(() -> kv().set("", 1)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> kv().get(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> kv().set("k", null)).isInstanceOf(NullPointerException.class);
    assertThat(backendCalls()).isEqualTo(before);
  }

  @Test
  default void aMissingTableIsASchemaMismatch() {
    KeyValueStore missing = holdfast().keyValueStore(ContractSchema.SCHEMA, ContractSchema.MISSING_TABLE);
    assertThatThrownBy(() -> missing.get("k")).isInstanceOf(SchemaMismatchException.class);
    assertThatThrownBy(() -> missing.set("k", 1)).isInstanceOf(SchemaMismatchException.class);
  }

  private static String quote(String text) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
  }
}
