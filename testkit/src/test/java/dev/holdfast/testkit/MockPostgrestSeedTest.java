package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.ConflictException;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Query;
import dev.holdfast.Table;
import dev.holdfast.spi.TableRef;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MockPostgrestSeedTest {
  enum Priority { LOW, HIGH }

  record Task(Long id, String title, Priority priority, Instant dueAt, List<String> tags) {}

  private final MockPostgrest postgrest = MockPostgrest.start();

  @AfterEach
  void stop() {
    postgrest.close();
  }

  private List<String> rows(String table) {
    return postgrest.database().select(new TableRef("public", table, "id", List.of()), Query.all()).stream()
        .map(ObjectNode::toString).toList();
  }

  @Test
  void seedsRecordsIntoANewTableWithValuesAsHoldfastSendsThem() {
    postgrest.seed("tasks", List.of(
        new Task(1L, "write", Priority.HIGH, Instant.parse("2026-01-02T03:04:05.123456Z"), List.of("a", "b")),
        new Task(null, "test", Priority.LOW, null, List.of())));

    assertThat(rows("tasks")).containsExactly(
        "{\"id\":1,\"title\":\"write\",\"priority\":\"HIGH\",\"dueAt\":\"2026-01-02T03:04:05.123456Z\","
            + "\"tags\":[\"a\",\"b\"]}",
        "{\"id\":2,\"title\":\"test\",\"priority\":\"LOW\",\"dueAt\":null,\"tags\":[]}");
  }

  @Test
  void seedsThroughATablesMapperWithItsColumnNames() {
    Table<Task, Long> tasks = Table.builder("tasks", Task.class, Long.class).build();

    postgrest.seed(tasks, List.of(new Task(5L, "write", Priority.LOW, Instant.parse("2026-01-02T03:04:05Z"),
        List.of())));

    assertThat(rows("tasks")).singleElement().asString().contains("\"due_at\":\"2026-01-02T03:04:05Z\"");
  }

  @Test
  void seedsMapsAndJsonAndLaterInsertsGetFreshIds() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", 10);
    row.put("title", "from a map");
    postgrest.seed("tasks", List.of(row));
    postgrest.seedJson("tasks", "{\"id\":11,\"title\":\"from json\"}");
    postgrest.seedJson("tasks", "[{\"title\":\"generated\"}]");

    assertThat(rows("tasks")).containsExactly("{\"id\":10,\"title\":\"from a map\"}",
        "{\"id\":11,\"title\":\"from json\"}", "{\"id\":12,\"title\":\"generated\"}");
  }

  @Test
  void seedsAnExistingTableAndKeepsItsConstraints() {
    postgrest.database().createTable(TableSpec.builder("public", "users").columns("email").unique("email").build());
    postgrest.seedJson("users", "[{\"email\":\"a@example.com\"}]");

    assertThatThrownBy(() -> postgrest.seedJson("users", "[{\"email\":\"b@example.com\"},{\"email\":\"a@example.com\"}]"))
        .isInstanceOf(ConflictException.class);
    assertThat(rows("users")).containsExactly("{\"id\":1,\"email\":\"a@example.com\"}");
  }

  @Test
  void badSeedInputIsATypedError() {
    assertThatThrownBy(() -> postgrest.seedJson("tasks", "[{\"title\":")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> postgrest.seedJson("tasks", "[1, 2]")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("NUMBER");
    assertThatThrownBy(() -> postgrest.seed("tasks", List.of("a string"))).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("java.lang.String");
    assertThatThrownBy(() -> postgrest.seed("bad name", List.of())).isInstanceOf(InvalidRequestException.class);
  }
}
