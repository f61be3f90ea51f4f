package dev.holdfast.postgrest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.CallContext;
import dev.holdfast.Filter;
import dev.holdfast.Query;
import dev.holdfast.Table;
import dev.holdfast.WriteMode;
import dev.holdfast.spi.TableMapping;
import dev.holdfast.testkit.InMemoryDatabase;
import dev.holdfast.testkit.MockPostgrest;
import dev.holdfast.testkit.TableSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** End to end through MockPostgrest's parser: a delete on a reserved-name column deletes only its rows. */
class ReservedNamesAgainstMockPostgrestTest {
  private static final CallContext CTX = CallContext.of("test", Duration.ofSeconds(5));
  private static final List<String> RESERVED = ReservedNamesWireTest.RESERVED;

  private MockPostgrest postgrest;
  /** A row of table {@code odd}, whose columns are named like PostgREST's own parameters. */
  record Odd(Long id, String select, String columns, String on_conflict, String order, String limit,
      String offset, String and, String or) {
    static Odd numbered(int i) {
      return new Odd(null, "select" + i, "columns" + i, "on_conflict" + i, "order" + i, "limit" + i,
          "offset" + i, "and" + i, "or" + i);
    }
  }

  private static final TableMapping<Odd> ODD = Table.builder("odd", Odd.class, Long.class).columnNamesAsIs().build()
      .mapping();

  private PostgrestBackend backend;
  private TableMapping<Odd> table;

  @BeforeEach
  void start() {
    InMemoryDatabase db = new InMemoryDatabase();
    db.createTable(TableSpec.builder("public", "odd").id("id", true).columns(RESERVED.toArray(String[]::new))
        .build());
    postgrest = MockPostgrest.start(db);
    backend = PostgrestBackend.create(PostgrestClient.builder(postgrest.url()).apiKey("anon"));
    table = ODD;
    assertThat(table.columns().subList(1, table.size())).isEqualTo(RESERVED);
    for (int i = 1; i <= 3; i++) {
      backend.insert(CTX, table, List.of(Odd.numbered(i)), RESERVED, WriteMode.CONFIRMED);
    }
  }

  @AfterEach
  void stop() {
    backend.close();
    postgrest.close();
  }

  @Test
  void filtersOnReservedColumnsSelectUpdateAndDeleteOnlyTheirRows() {
    for (String c : RESERVED) {
      assertThat(backend.select(CTX, table, Query.where(Filter.eq(c, c + "2")))).as(c).hasSize(1);
      assertThat(backend.count(CTX, table.ref(), Filter.neq(c, c + "2"))).as(c).isEqualTo(2);
      assertThat(backend.update(CTX, table, Filter.eq(c, c + "3"), Map.of(c, c + "3"), WriteMode.CONFIRMED))
          .as(c).hasSize(1);
    }
    assertThat(backend.delete(CTX, table.ref(), Filter.eq("select", "select1"), WriteMode.CONFIRMED)).isEqualTo(1);
    assertThat(backend.delete(CTX, table.ref(), Filter.eq("limit", "none"), WriteMode.CONFIRMED)).isZero();
    assertThat(backend.count(CTX, table.ref(), Filter.all())).isEqualTo(2);
  }
}
