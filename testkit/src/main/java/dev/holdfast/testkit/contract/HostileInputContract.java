package dev.holdfast.testkit.contract;

import static dev.holdfast.testkit.contract.ContractData.names;
import static dev.holdfast.testkit.contract.ContractData.normalize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.Changes;
import dev.holdfast.Filter;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Order;
import dev.holdfast.Query;
import dev.holdfast.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Values are only ever values: quotes, SQL, URL syntax, PostgREST syntax and odd Unicode are stored and matched
 * literally; bad identifiers never reach the backend; JSON and timestamps round-trip exactly.
 *
 * <p>Part of {@link BackendContract}; JUnit runs its tests on the subclass, one instance per test, so nothing
 * here needs to be thread-safe.
 */
public interface HostileInputContract extends ContractSuite {

  @Test
  default void hostileStringsAreStoredAndReadBackLiterally() {
    List<ContractItem> stored = new ArrayList<>();
    for (String value : ContractData.HOSTILE) {
      stored.add(items().insert(ContractItem.named(value).withNote(value)));
    }
    for (int i = 0; i < stored.size(); i++) {
      String value = ContractData.HOSTILE.get(i);
      ContractItem read = items().findById(stored.get(i).id()).orElseThrow();
      assertThat(read.name()).as("name of %s", value).isEqualTo(value);
      assertThat(read.note()).as("note of %s", value).isEqualTo(value);
    }
    assertThat(items().count(Filter.all())).isEqualTo(ContractData.HOSTILE.size());
  }

  @Test
  default void hostileStringsMatchThemselvesInFilters() {
    items().insertAll(ContractData.HOSTILE.stream().map(ContractItem::named).toList());
    for (String value : ContractData.HOSTILE) {
      assertThat(names(items().find(Query.where(Filter.eq("name", value))))).as("eq %s", value)
          .containsExactly(value);
      assertThat(names(items().find(Query.where(Filter.in("name", List.of(value, "\u0001other"))))))
          .as("in %s", value).containsExactly(value);
      long prefixed = ContractData.HOSTILE.stream().filter(h -> h.startsWith(value)).count();
      assertThat(names(items().find(Query.where(Filter.startsWith("name", value)))))
          .as("startsWith %s", value).contains(value).hasSize((int) prefixed).allMatch(n -> n.startsWith(value));
      assertThat(items().count(Filter.neq("name", value))).as("neq %s", value)
          .isEqualTo(ContractData.HOSTILE.size() - 1);
    }
  }

  @Test
  default void hostileStringsSurviveUpdatesAndTheTableStaysIntact() {
    ContractItem row = items().insert(ContractItem.named("target"));
    for (String value : ContractData.HOSTILE) {
      assertThat(items().updateWhere(Filter.eq("id", row.id()), Changes.set("note", value)))
          .extracting(ContractItem::note).containsExactly(value);
    }
    items().insert(ContractItem.named("'); DROP TABLE contract_items; --"));
    assertThat(items().count(Filter.all())).isEqualTo(2);
    assertThat(items().deleteWhere(Filter.eq("name", "'); DROP TABLE contract_items; --"))).isEqualTo(1);
    assertThat(names(items().find(Query.all()))).containsExactly("target");
  }

  @Test
  default void aHundredKilobyteStringRoundTrips() {
    StringBuilder big = new StringBuilder();
    while (big.length() < 100_000) {
      big.append("0123456789 ünï 🦀 ';\\%_");
    }
    String value = big.toString();
    ContractItem row = items().insert(ContractItem.named("big").withNote(value));
    assertThat(items().findById(row.id()).orElseThrow().note()).isEqualTo(value);
    assertThat(items().count(Filter.eq("note", value))).isEqualTo(1);
  }

  @Test
  default void aNulCharacterRoundTripsOrIsAnInvalidRequest() {
    String value = "before\u0000after";
    Throwable failure = catchThrowable(() -> items().insert(ContractItem.named(value)));
    if (failure == null) {
      assertThat(names(items().find(Query.where(Filter.eq("name", value))))).containsExactly(value);
    } else {
      assertThat(failure).isInstanceOf(InvalidRequestException.class);
      assertThat(items().count(Filter.all())).isZero();
    }
    assertThat(items().insert(ContractItem.named("still works")).id()).isNotNull();
  }

  @Test
  default void invalidIdentifiersAreRejectedBeforeAnythingIsSent() {
    long before = backendCalls();
    List<Runnable> attempts = List.of(
        () -> Filter.eq("name; drop table contract_items", 1),
        () -> Filter.isNull("na\"me"),
        () -> Filter.like("name'", "%"),
        () -> Order.asc("name desc"),
        () -> Changes.set("qty = 1, name", 2),
        () -> items().find(Query.where(Filter.eq("1name", 1))),
        () -> items().updateById(1L, Changes.set("note)", "x")),
        () -> items().count(Filter.in("name--", List.of("a"))),
        () -> Table.builder("contract_items;", ContractItem.class, Long.class),
        () -> Table.builder("contract_items", ContractItem.class, Long.class).schema("public.x"),
        () -> holdfast().keyValueStore("contract_kv where 1=1"),
        () -> holdfast().keyValueStore("pub lic", "contract_kv"),
        () -> holdfast().keyValueStore("x".repeat(64)));
    for (Runnable attempt : attempts) {
      assertThatThrownBy(attempt::run).isInstanceOf(InvalidRequestException.class);
    }
    assertThat(backendCalls()).isEqualTo(before);
  }

  @Test
  default void jsonValuesRoundTrip() {
    List<JsonNode> values = List.of(
        ContractData.json("{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"},\"f\":1.5,\"g\":-7}"),
        ContractData.json("[1,\"two\",3.25,{\"x\":[]},[],null]"),
        ContractData.json("{}"),
        ContractData.json("[]"),
        ContractData.json("{\"quote\":\"it's \\\"q\\\"\",\"sql\":\"'); DROP TABLE contract_items; --\"}"),
        ContractData.json("{\"unicode\":\"🦀 עברית 中文\",\"big\":9007199254740993,\"empty\":\"\"}"));
    List<ContractItem> stored = new ArrayList<>();
    for (JsonNode value : values) {
      stored.add(items().insert(ContractItem.named("json").withTags(value)));
    }
    for (int i = 0; i < values.size(); i++) {
      assertThat(normalize(stored.get(i).tags())).isEqualTo(normalize(values.get(i)));
      assertThat(normalize(items().findById(stored.get(i).id()).orElseThrow().tags()))
          .isEqualTo(normalize(values.get(i)));
    }
  }

  @Test
  default void timestampsRoundTripToTheMicrosecond() {
    List<String> instants = List.of("2026-03-04T05:06:07.123456Z", "1969-07-20T20:17:40.000001Z",
        "2999-12-31T23:59:59.999999Z", "2026-03-29T01:30:00Z", "2000-02-29T12:00:00.100Z");
    for (String text : instants) {
      Instant when = Instant.parse(text);
      ContractItem row = items().insert(ContractItem.named(text).withCreatedAt(text));
      assertThat(row.createdAt()).as("returned %s", text).isEqualTo(when);
      assertThat(items().findById(row.id()).orElseThrow().createdAt()).as("read %s", text).isEqualTo(when);
      assertThat(names(items().find(Query.where(Filter.eq("created_at", when))))).as("eq %s", text)
          .containsExactly(text);
    }
  }
}
