package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.ConflictException;
import dev.holdfast.Filter;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Query;
import dev.holdfast.spi.TableRef;
import dev.holdfast.testkit.internal.rest.PgError;
import dev.holdfast.testkit.internal.rest.PgJsonb;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Typed columns and foreign keys through the database's own API, as an InMemoryBackend uses it. */
class InMemoryDatabaseTypesTest {
  private static final TableRef USERS = new TableRef("public", "users", "id", List.of());
  private static final TableRef ORDERS = new TableRef("public", "orders", "id", List.of());

  private final InMemoryDatabase db = new InMemoryDatabase();

  InMemoryDatabaseTypesTest() {
    db.createTable(TableSpec.builder("public", "users").id("id", true).column("id", "bigint")
        .column("name", "text").build());
    db.createTable(TableSpec.builder("public", "orders").id("id", true).column("id", "bigint")
        .column("user_id", "bigint").column("total", "numeric(6,2)").column("meta", "jsonb")
        .column("at", "timestamptz").references("user_id", "users").build());
  }

  private static ObjectNode row(String json) {
    return (ObjectNode) PgJsonb.parse(json);
  }

  @Test
  void typedColumnsStoreValuesAsPostgresqlReadsThem() {
    db.insert(USERS, List.of(row("{\"name\":\"a\"}")));
    ObjectNode stored = db.insert(ORDERS, List.of(row("{\"user_id\":\"1\",\"total\":1.005,"
        + "\"meta\":{\"b\":1,\"a\":2},\"at\":\"2024-01-01 12:00:00+02\"}"))).get(0);

    assertThat(stored.get("user_id").asLong()).isEqualTo(1);
    assertThat(stored.get("total").decimalValue()).isEqualByComparingTo(new BigDecimal("1.01"));
    assertThat(stored.get("meta").toString()).isEqualTo("{\"a\": 2, \"b\": 1}");
    assertThat(stored.get("at").asText()).isEqualTo("2024-01-01T10:00:00+00:00");
  }

  @Test
  void aValueThatIsNotOfTheColumnsTypeIsRefusedWithPostgresqlsWords() {
    assertThatThrownBy(() -> db.insert(USERS, List.of(row("{\"id\":\"x\",\"name\":\"a\"}"))))
        .satisfies(e -> assertThat(PgError.in(e).getMessage())
            .isEqualTo("invalid input syntax for type bigint: \"x\""));
  }

  @Test
  void foreignKeysAreCheckedAtTheEndOfTheStatement() {
    assertThatThrownBy(() -> db.insert(ORDERS, List.of(row("{\"user_id\":7}"))))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.constraint()).contains("orders_user_id_fkey");
          assertThat(PgError.in(e).detail()).isEqualTo("Key (user_id)=(7) is not present in table \"users\".");
        });
    db.insert(USERS, List.of(row("{\"name\":\"a\"}")));
    db.insert(ORDERS, List.of(row("{\"user_id\":1}")));

    assertThatThrownBy(() -> db.delete(USERS, Filter.eq("id", 1))).isInstanceOf(ConflictException.class);
    assertThat(db.count(USERS, Filter.all())).as("the refused delete deleted nothing").isEqualTo(1);
    db.delete(ORDERS, Filter.all());
    assertThat(db.delete(USERS, Filter.eq("id", 1))).isEqualTo(1);
  }

  @Test
  void constraintErrorsCarryPostgresqlsDetail() {
    db.insert(USERS, List.of(row("{\"id\":1,\"name\":\"a\"}")));

    assertThatThrownBy(() -> db.insert(USERS, List.of(row("{\"id\":1,\"name\":\"b\"}"))))
        .satisfies(e -> assertThat(PgError.in(e).detail()).isEqualTo("Key (id)=(1) already exists."));
    assertThatThrownBy(() -> db.upsert(USERS, List.of(row("{\"id\":1,\"name\":\"b\"}"),
        row("{\"id\":1,\"name\":\"c\"}")), List.of("id")))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.code()).contains("21000"));
  }

  @Test
  void filtersOnTypedColumnsCompareAsTheType() {
    db.insert(USERS, List.of(row("{\"name\":\"a\"}")));
    db.insert(ORDERS, List.of(row("{\"user_id\":1,\"total\":10}"), row("{\"user_id\":1,\"total\":9.5}")));

    assertThat(db.select(ORDERS, Query.where(Filter.gt("total", new BigDecimal("9.75"))))).hasSize(1);
  }
}
