package dev.holdfast.testkit.contract;

import static dev.holdfast.testkit.contract.ContractData.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.holdfast.Changes;
import dev.holdfast.Filter;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Order;
import dev.holdfast.Query;
import dev.holdfast.Repository;
import dev.holdfast.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A name that is not a plain identifier never reaches a backend, whichever backend it is and wherever the name
 * comes from (a filter, an order, a change, a table or schema, a key-value table, or a record component's Jackson
 * {@code @JsonProperty}); a valid {@code @JsonProperty} name is the column its value is stored in and read from, so
 * nothing is lost on the way; and a NUL character in a filter value or key is refused before anything is sent.
 *
 * <p>Part of {@link BackendContract}; JUnit runs its tests on the subclass, one instance per test, so nothing
 * here needs to be thread-safe.
 */
public interface HostileIdentifierContract extends ContractSuite {
  /** Names that would break out of quoting, a URL's query string, PostgREST's syntax or PostgreSQL's limits. */
  List<String> HOSTILE_NAMES = List.of("name\"; drop table contract_items;--", "id&select=*", "name,id", "na me",
      "a.b", "name)", "x'y", "1name", "", "n\u0000ame", "naïve", "name\n", "-name", "x".repeat(64), "*", "name=eq.1",
      "name->>x", "name::text");

  /** A record whose JSON name for {@code name} is hostile. */
  record InjectedName(Long id, @JsonProperty("name\"; drop table contract_items;--") String name) {}

  /** A record whose JSON name for {@code name} is PostgREST query syntax. */
  record QuerySyntaxName(Long id, @JsonProperty("id&select=*") String name) {}

  /** A record that stores its {@code title} in the contract table's {@code name} column. */
  record Titled(Long id, @JsonProperty("name") String title, Integer qty) {}

  @Test
  default void aRecordWhoseJsonNameIsNotAnIdentifierIsRefusedWhenItsTableIsBuilt() {
    long before = backendCalls();

    assertThatThrownBy(() -> Table.builder(ContractSchema.ITEMS_TABLE, InjectedName.class, Long.class).build())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not a valid identifier");
    assertThatThrownBy(() -> Table.builder(ContractSchema.ITEMS_TABLE, QuerySyntaxName.class, Long.class).build())
        .isInstanceOf(InvalidRequestException.class);

    assertThat(backendCalls()).isEqualTo(before);
    assertThat(items().count(Filter.all())).as("the table is intact").isZero();
  }

  @Test
  default void aValidJsonPropertyNameIsTheColumnItsValueIsStoredInAndReadFrom() {
    Table<Titled, Long> table = Table.builder(ContractSchema.ITEMS_TABLE, Titled.class, Long.class).build();
    Repository<Titled, Long> titled = holdfast().repository(table);

    Titled stored = titled.insert(new Titled(null, "renamed", 3));
    titled.insertAll(List.of(new Titled(null, "second", 4)));

    assertThat(stored.title()).as("returned as stored").isEqualTo("renamed");
    assertThat(titled.findById(stored.id()).orElseThrow().title()).isEqualTo("renamed");
    assertThat(titled.find(Query.where(Filter.eq("title", "renamed")))).extracting(Titled::qty).containsExactly(3);
    assertThat(titled.updateById(stored.id(), Changes.set("title", "changed")).orElseThrow().title())
        .isEqualTo("changed");
    assertThat(names(items().find(Query.all().orderBy(Order.asc("id"))))).as("read through the plain record")
        .containsExactly("changed", "second");
  }

  @Test
  default void aHostileNameIsRefusedInEveryPlaceANameGoesBeforeAnythingIsSent() {
    long before = backendCalls();
    List<Consumer<String>> places = List.of(
        name -> Filter.eq(name, 1),
        name -> Filter.in(name, List.of(1)),
        name -> Filter.isNull(name),
        name -> Filter.like(name, "%"),
        name -> Order.asc(name),
        name -> Changes.set(name, 1),
        name -> items().count(Filter.eq(name, "x")),
        name -> items().updateWhere(Filter.all(), Changes.set(name, "x")),
        name -> Table.builder(name, ContractItem.class, Long.class),
        name -> Table.builder(ContractSchema.ITEMS_TABLE, ContractItem.class, Long.class).schema(name),
        name -> Table.builder(ContractSchema.ITEMS_TABLE, ContractItem.class, Long.class).idColumn(name),
        name -> holdfast().keyValueStore(name),
        name -> holdfast().keyValueStore(name, ContractSchema.KV_TABLE),
        name -> holdfast().safeKeyValueStore(name));
    List<String> accepted = new ArrayList<>();
    for (String name : HOSTILE_NAMES) {
      for (int place = 0; place < places.size(); place++) {
        Consumer<String> use = places.get(place);
        try {
          use.accept(name);
          accepted.add("place " + place + ": " + name);
        } catch (InvalidRequestException expected) {
          // refused, as it must be
        }
      }
    }

    assertThat(accepted).as("hostile names accepted").isEmpty();
    assertThat(backendCalls()).isEqualTo(before);
  }

  @Test
  default void aNulCharacterInAFilterValueOrKeyIsRefusedBeforeAnythingIsSent() {
    seed();
    long before = backendCalls();

    assertThatThrownBy(() -> items().find(Query.where(Filter.eq("name", "al\u0000pha"))))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("NUL");
    assertThatThrownBy(() -> items().count(Filter.in("name", List.of("alpha", "\u0000"))))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> items().find(Query.where(Filter.startsWith("name", "al\u0000"))))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> kv().get("a\u0000b")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> kv().set("k", "a\u0000b")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> items().insert(ContractItem.named("a\u0000b"))).isInstanceOf(InvalidRequestException.class);

    assertThat(backendCalls()).isEqualTo(before);
  }
}
