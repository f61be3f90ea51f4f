package dev.holdfast.postgrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.CallContext;
import dev.holdfast.Filter;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Order;
import dev.holdfast.Query;
import dev.holdfast.WriteMode;
import dev.holdfast.spi.TableMapping;
import dev.holdfast.spi.TableRef;
import java.util.Map;
import java.time.Duration;
import java.util.List;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/**
 * Columns named like PostgREST's own query parameters. PostgREST's parser (ApiRequest/QueryParams.hs) takes
 * {@code select}, {@code columns}, {@code on_conflict} and anything ending in {@code order}, {@code limit},
 * {@code offset}, {@code and}, {@code or} for itself; inside a logic tree the same names are columns.
 */
class ReservedNamesWireTest extends WireFixture {
  static final List<String> RESERVED = List.of("select", "columns", "on_conflict", "order", "limit", "offset", "and",
      "or");
  private static final CallContext CTX = CallContext.of("test", Duration.ofSeconds(5));

  record Row(Long id, Object value) {}

  /** Table {@code t} of ids and one column named {@code column}. */
  private static TableMapping<Row> table(String column) {
    return TableMapping.of(new TableRef("public", "t", "id", List.of("id", column)), Row.class,
        List.of("id", column), new com.fasterxml.jackson.databind.ObjectMapper());
  }

  /** The values of every parameter named {@code name}. */
  private static List<String> values(HttpUrl url, String name) {
    return url.queryParameterValues(name).stream().map(String::valueOf).toList();
  }

  @Test
  void aFilterOnAReservedColumnTravelsInsideAnAndTree() throws Exception {
    for (String column : RESERVED) {
      server.enqueue(json(200, "[]"));
      client.from("t").select("id").eq(column, 1).eq("id", 2).filter(Filter.in(column, List.of("a,b", "")))
          .filter(Filter.eq(column, 3).negate()).is(column, true).execute();

      HttpUrl url = take().getUrl();
      assertThat(url.queryParameter("id")).isEqualTo("eq.2");
      List<String> trees = values(url, "and");
      assertThat(trees).as(column).containsExactly(
          "(" + column + ".eq.1," + column + ".in.(\"a,b\",\"\")," + column + ".not.eq.3)",
          "(" + column + ".is.true)");
      if (!column.equals("select") && !column.equals("and")) {
        assertThat(url.queryParameterValues(column)).as(column).isEmpty();
      }
      assertThat(values(url, "select")).containsExactly("id");
    }
  }

  @Test
  void deletesAndUpdatesOnAReservedColumnKeepTheirFilter() throws Exception {
    for (String column : RESERVED) {
      server.enqueue(json(200, "[{\"id\":1}]"));
      server.enqueue(json(200, "[{\"id\":1}]"));
      PostgrestBackend backend = PostgrestBackend.wrap(client);

      backend.delete(CTX, table(column).ref(), Filter.eq(column, 1), WriteMode.CONFIRMED);
      backend.update(CTX, table(column), Filter.eq(column, 1).and(Filter.gt("id", 0)), Map.of("id", 1L),
          WriteMode.CONFIRMED);

      RecordedRequest delete = take();
      assertThat(delete.getMethod()).isEqualTo("DELETE");
      assertThat(values(delete.getUrl(), "and")).as(column).containsExactly("(" + column + ".eq.1)");
      RecordedRequest update = take();
      assertThat(update.getUrl().queryParameter("id")).isEqualTo("gt.0");
      assertThat(values(update.getUrl(), "and")).as(column).containsExactly("(" + column + ".eq.1)");
    }
  }

  @Test
  void readsOrderAndSelectReservedColumnsAsValuesOfTheirOwnParameters() throws Exception {
    server.enqueue(json(200, "[]"));

    PostgrestBackend.wrap(client).select(CTX, table("order"), Query.where(Filter.eq("order", "x"))
        .orderBy(Order.desc("order")).limit(1));

    HttpUrl url = take().getUrl();
    assertThat(url.queryParameter("select")).isEqualTo("id,order");
    assertThat(url.queryParameter("order")).isEqualTo("order.desc");
    assertThat(url.queryParameter("and")).isEqualTo("(order.eq.x)");
  }

  @Test
  void rawFiltersAndGetArgumentsThatPostgrestWouldReadAsItsOwnAreRefused() {
    for (String column : RESERVED) {
      assertThatThrownBy(() -> client.from("t").select("*").filter(column, "eq", "1")).as(column)
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("own");
      assertThatThrownBy(() -> client.from("t").select("*").filter("clients." + column, "eq", "1")).as(column)
          .isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> client.rpc("f", row("{\"" + column + "\":1}")).get().execute()).as(column)
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("by POST");
    }
    for (String value : List.of("eq.1", "not.x", "in.(1,2)", "is.null", "fts(english).cat", "cs.{a}")) {
      assertThatThrownBy(() -> client.rpc("search", row("{\"q\":\"" + value + "\"}")).get().execute()).as(value)
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("looks like a PostgREST filter");
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aFunctionCalledByPostTakesAnyArgumentName() throws Exception {
    server.enqueue(json(200, "[]"));

    client.rpc("f", row("{\"limit\":5,\"q\":\"eq.1\"}")).execute();

    assertThat(take().getBody().utf8()).isEqualTo("{\"limit\":5,\"q\":\"eq.1\"}");
  }
}
