package dev.holdfast.postgrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.CallContext;
import dev.holdfast.Filter;
import dev.holdfast.HoldfastException;
import dev.holdfast.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.Table;
import dev.holdfast.WriteMode;
import dev.holdfast.spi.TableMapping;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the backend refuses before sending, by the same rules as JDBC, and what it refuses to accept back. */
class BackendInputTest extends WireFixture {
  record Task(Long id, String title, JsonNode tags) {}

  private static final TableMapping<Task> TASKS = Table.builder("tasks", Task.class, Long.class).build().mapping();
  private static final WriteMode MODE = WriteMode.ONE_ROUND_TRIP;

  private static Task task(String title, JsonNode tags) {
    return new Task(null, title, tags);
  }
  private static final CallContext CTX = CallContext.of("test", Duration.ofSeconds(5));

  private PostgrestBackend backend() {
    return PostgrestBackend.wrap(client);
  }

  @Test
  void columnNamesThatAreNotIdentifiersNeverReachTheWire() {
    for (String key : List.of("name\"; drop table t;--", "id&select=*", "title ", "a.b", "data->>x", "",
        "x".repeat(64), "1id")) {
      assertThatThrownBy(() -> backend().insert(CTX, TASKS, List.of(task("ok", null)), List.of("title", key), MODE))
          .as(key).isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> backend().update(CTX, TASKS, Filter.eq("id", 1), Map.of(key, "v"), MODE)).as(key)
          .isInstanceOf(InvalidRequestException.class);
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void nulInAnyRowValueOrFilterIsRefusedAsOnJdbc() {
    List<Task> rows = List.of(task("a\u0000b", null), task("t", JSON.createObjectNode().set("k",
        JSON.createArrayNode().add("x\u0000"))), task("t", JSON.createObjectNode().put("k\u0000", 1)));
    for (Task row : rows) {
      assertThatThrownBy(() -> backend().insert(CTX, TASKS, List.of(row), List.of("title", "tags"), MODE))
          .as(row.toString()).isInstanceOf(InvalidRequestException.class).hasMessageContaining("NUL");
      assertThatThrownBy(() -> backend().update(CTX, TASKS, Filter.eq("id", 1), Map.of("tags",
          row.tags() == null ? row.title() : row.tags()), MODE)).as(row.toString())
          .isInstanceOf(InvalidRequestException.class);
    }
    assertThatThrownBy(() -> backend().delete(CTX, TASKS.ref(), Filter.eq("title", "a\u0000b"), MODE))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> backend().count(CTX, TASKS.ref(), Filter.in("title", List.of("a", "\u0000"))))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void jsonNestedPastTheWritersLimitIsRefusedBeforeSending() {
    com.fasterxml.jackson.databind.node.ArrayNode deep = JSON.createArrayNode();
    com.fasterxml.jackson.databind.node.ArrayNode at = deep;
    for (int i = 0; i < 5_000; i++) {
      at = at.addArray();
    }
    Task row = task("deep", deep);

    assertThatThrownBy(() -> backend().insert(CTX, TASKS, List.of(row), List.of("title", "tags"), MODE))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Cannot serialize");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void anInsertAnsweredWithFewerRowsThanSentIsATypedError() {
    server.enqueue(json(201, "[]"));
    server.enqueue(json(201, "[{\"id\":1,\"title\":\"a\"}]"));
    server.enqueue(json(200, "[]"));

    List<String> title = List.of("title");
    assertThatThrownBy(() -> backend().insert(CTX, TASKS, List.of(task("a", null)), title, MODE))
        .isExactlyInstanceOf(HoldfastException.class).hasMessageContaining("returned 0")
        .satisfies(e -> assertThat(((HoldfastException) e).hint()).contains("trigger"));
    assertThatThrownBy(() -> backend().insert(CTX, TASKS, List.of(task("a", null), task("b", null)), title, MODE))
        .isExactlyInstanceOf(HoldfastException.class).hasMessageContaining("of 2 rows");
    assertThatThrownBy(() -> backend().upsert(CTX, TASKS, List.of(new Task(1L, null, null)), List.of("id"), MODE))
        .isExactlyInstanceOf(HoldfastException.class);
  }

  @Test
  void deletesOfEveryRowStillCarryAFilter() throws Exception {
    server.enqueue(json(200, "[]"));

    backend().delete(CTX, TASKS.ref(), Filter.in("id", List.of()).negate(), MODE);

    assertThat(take().getUrl().queryParameter("id")).isEqualTo("not.is.null");
  }
}
