package dev.holdfast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.holdfast.Call;
import dev.holdfast.Changes;
import dev.holdfast.Filter;
import dev.holdfast.Holdfast;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.KeyValueStore;
import dev.holdfast.ManualScheduler;
import dev.holdfast.Order;
import dev.holdfast.PageRequest;
import dev.holdfast.Query;
import dev.holdfast.Repository;
import dev.holdfast.Table;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The input rule: a programmer error is a NullPointerException or IllegalArgumentException naming the parameter,
 * data that cannot be stored an InvalidRequestException; both before anything is sent (the backend here fails
 * the test if it is reached).
 */
class InputRuleTest {
  record Item(Long id, String name, Object extra) {}

  record Renamed(Long id, @JsonProperty("item_title") String title) {}

  record Hostile(Long id, @JsonProperty("name\"; drop table t;--") String name) {}

  record Amp(Long id, @JsonProperty("id&select=*") String name) {}

  private static final Table<Item, Long> ITEMS = Table.builder("items", Item.class, Long.class).build();

  private final Holdfast db = Holdfast.builder(new UnusedBackend()).scheduler(new ManualScheduler()).build();
  private final Repository<Item, Long> items = db.repository(ITEMS);
  private final KeyValueStore kv = db.keyValueStore("settings");

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void nullArgumentsAreNullPointerExceptionsNamingTheParameter() {
    assertThatThrownBy(() -> items.insertAll(null)).isInstanceOf(NullPointerException.class).hasMessage("rows");
    assertThatThrownBy(() -> items.insertAll(Arrays.asList(new Item(null, "a", null), null)))
        .isInstanceOf(NullPointerException.class).hasMessage("rows[1] is null");
    assertThatThrownBy(() -> items.upsertAll(null)).isInstanceOf(NullPointerException.class).hasMessage("rows");
    assertThatThrownBy(() -> items.insert(null)).isInstanceOf(NullPointerException.class).hasMessage("row");
    assertThatThrownBy(() -> items.findById(null)).isInstanceOf(NullPointerException.class).hasMessage("id");
    assertThatThrownBy(() -> items.find(null)).isInstanceOf(NullPointerException.class).hasMessage("query");
    assertThatThrownBy(() -> items.updateById(1L, null)).isInstanceOf(NullPointerException.class)
        .hasMessage("changes");
    assertThatThrownBy(() -> Filter.in("name", Arrays.asList("a", null))).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("values[1] is null");
    assertThatThrownBy(() -> Filter.in("name", null)).isInstanceOf(NullPointerException.class).hasMessage("values");
    assertThatThrownBy(() -> Filter.startsWith("name", null)).isInstanceOf(NullPointerException.class)
        .hasMessage("prefix");
    assertThatThrownBy(() -> Filter.allOf(Filter.all(), null)).isInstanceOf(NullPointerException.class)
        .hasMessage("filters[1] is null");
    assertThatThrownBy(() -> Filter.all().and(null)).isInstanceOf(NullPointerException.class).hasMessage("other");
    assertThatThrownBy(() -> Query.all().orderBy((Order) null)).isInstanceOf(NullPointerException.class)
        .hasMessage("keys[0] is null");
    assertThatThrownBy(() -> Changes.of(null)).isInstanceOf(NullPointerException.class).hasMessage("values");
    assertThatThrownBy(() -> PageRequest.after(Arrays.asList(1, null), 10)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("after[1] is null");
    assertThatThrownBy(() -> kv.getMany(null)).isInstanceOf(NullPointerException.class).hasMessage("keys");
    assertThatThrownBy(() -> kv.getMany(Arrays.asList("a", null))).isInstanceOf(NullPointerException.class)
        .hasMessage("keys[1] is null");
    assertThatThrownBy(() -> kv.setMany(null)).isInstanceOf(NullPointerException.class).hasMessage("entries");
    Map<String, Object> nullValue = new HashMap<>();
    nullValue.put("k", null);
    assertThatThrownBy(() -> kv.setMany(nullValue)).isInstanceOf(NullPointerException.class).hasMessage("value");
    assertThatThrownBy(() -> kv.set(null, 1)).isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> ITEMS.column(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
    assertThatThrownBy(() -> ITEMS.idOf(null)).isInstanceOf(NullPointerException.class).hasMessage("row");
    assertThatThrownBy(() -> db.health(null)).isInstanceOf(NullPointerException.class).hasMessage("timeout");
  }

  @Test
  void outOfRangeArgumentsAreIllegalArgumentExceptions() {
    assertThatThrownBy(() -> Call.read(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("operation is blank");
    assertThatThrownBy(() -> db.safe().get("", ctx -> 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Query.all().limit(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> PageRequest.offset(0, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size");
  }

  @Test
  void dataThatCannotBeStoredIsAnInvalidRequest() {
    assertThatThrownBy(() -> kv.set("k", new Object())).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("The value for key 'k' cannot be converted to JSON");
    assertThatThrownBy(() -> kv.set("", 1)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("The key is empty");
    assertThatThrownBy(() -> kv.get("")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> kv.get("a\u0000b")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("NUL");
    assertThatThrownBy(() -> kv.set("k", Map.of("text", "a\u0000b"))).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("NUL");
    assertThatThrownBy(() -> kv.set("k", Map.of("a\u0000b", 1))).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> kv.getByPrefix("a\u0000")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> items.insert(new Item(null, "a", new Object()))).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("cannot be converted to JSON");
    assertThatThrownBy(() -> items.insert(new Item(null, "a\u0000b", null))).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("column name contains the NUL character");
    assertThatThrownBy(() -> items.updateById(1L, Changes.set("extra", new Object())))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> items.updateById(1L, Changes.set("name", "x\u0000")))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void aNulInAFilterValueIsRefusedWhenTheFilterIsBuilt() {
    assertThatThrownBy(() -> Filter.eq("name", "a\u0000b")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("A filter value contains the NUL character");
    assertThatThrownBy(() -> Filter.in("name", List.of("ok", "a\u0000b"))).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> Filter.like("name", "%\u0000%")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> Filter.startsWith("name", "\u0000")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> Filter.eq("name", '\u0000')).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void columnNamesFromJsonPropertyAreValidatedWhenTheTableIsBuilt() {
    assertThatThrownBy(() -> Table.builder("t", Hostile.class, Long.class).build())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("maps 'name' to the column name 'name\"; drop table t;--'");
    assertThatThrownBy(() -> Table.builder("t", Amp.class, Long.class).build())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'id&select=*'");

    Table<Renamed, Long> renamed = Table.builder("t", Renamed.class, Long.class).build();
    assertThat(renamed.columns()).containsExactly("id", "item_title");
    assertThat(renamed.column("title")).isEqualTo("item_title");
    assertThat(renamed.mapping().toJson(new Renamed(1L, "x"), null).has("item_title")).isTrue();
  }
}
