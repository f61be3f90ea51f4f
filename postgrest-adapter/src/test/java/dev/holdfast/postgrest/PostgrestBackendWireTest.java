package dev.holdfast.postgrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.holdfast.Call;
import dev.holdfast.CallContext;
import dev.holdfast.Filter;
import dev.holdfast.Guard;
import dev.holdfast.HealthReport;
import dev.holdfast.ManualScheduler;
import dev.holdfast.Order;
import dev.holdfast.Query;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.TransientException;
import dev.holdfast.UnknownOutcomeException;
import dev.holdfast.Table;
import dev.holdfast.WriteMode;
import dev.holdfast.spi.RowCursor;
import dev.holdfast.spi.TableMapping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class PostgrestBackendWireTest extends WireFixture {
  record Task(Long id, String title, Boolean done) {}

  private static final TableMapping<Task> TASKS = Table.builder("tasks", Task.class, Long.class).build().mapping();
  private static final List<String> TITLE_DONE = List.of("title", "done");
  private static final CallContext CTX = CallContext.of("test", Duration.ofSeconds(5));

  private PostgrestBackend backend() {
    return PostgrestBackend.wrap(client);
  }

  @Test
  void selectSendsColumnsFilterOrderPagingAndProfile() throws Exception {
    server.enqueue(json(200, "[{\"id\":1,\"title\":\"a\",\"done\":false}]"));
    Query query = Query.where(Filter.eq("done", false)).orderBy(Order.desc("id")).limit(5).offset(10);

    List<Task> rows = backend().select(CTX, TASKS, query);

    assertThat(rows).containsExactly(new Task(1L, "a", false));
    RecordedRequest r = take();
    assertThat(r.getUrl().queryParameter("select")).isEqualTo("id,title,done");
    assertThat(r.getUrl().queryParameter("done")).isEqualTo("eq.false");
    assertThat(r.getUrl().queryParameter("order")).isEqualTo("id.desc");
    assertThat(r.getUrl().queryParameter("limit")).isEqualTo("5");
    assertThat(r.getUrl().queryParameter("offset")).isEqualTo("10");
    assertThat(r.getHeaders().get("Accept-Profile")).isEqualTo("public");
  }

  @Test
  void countUsesHeadWithExactCount() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Range", "0-24/3573").build());

    assertThat(backend().count(CTX, TASKS.ref(), Filter.eq("done", true))).isEqualTo(3573);
    RecordedRequest r = take();
    assertThat(r.getMethod()).isEqualTo("HEAD");
    assertThat(r.getHeaders().get("Prefer")).isEqualTo("count=exact");
  }

  @Test
  void writesAskForRepresentationAndDeleteCountsReturnedIds() throws Exception {
    server.enqueue(json(201, "[{\"id\":1,\"title\":\"a\",\"done\":false}]"));
    server.enqueue(json(200, "[{\"id\":1,\"title\":\"b\",\"done\":false}]"));
    server.enqueue(json(200, "[{\"id\":1,\"title\":\"b\",\"done\":true}]"));
    server.enqueue(json(200, "[{\"id\":1},{\"id\":2}]"));
    PostgrestBackend b = backend();

    assertThat(b.insert(CTX, TASKS, List.of(new Task(null, "a", false)), TITLE_DONE, WriteMode.CONFIRMED))
        .containsExactly(new Task(1L, "a", false));
    b.upsert(CTX, TASKS, List.of(new Task(1L, "b", false)), List.of("id"), WriteMode.ONE_ROUND_TRIP);
    assertThat(b.update(CTX, TASKS, Filter.eq("id", 1), Map.of("done", true), WriteMode.ONE_ROUND_TRIP))
        .containsExactly(new Task(1L, "b", true));
    long deleted = b.delete(CTX, TASKS.ref(), Filter.lt("id", 3), WriteMode.CONFIRMED);

    assertThat(deleted).isEqualTo(2);
    RecordedRequest insert = take();
    assertThat(insert.getBody().utf8()).isEqualTo("[{\"title\":\"a\",\"done\":false}]");
    assertThat(insert.getHeaders().get("Prefer")).isEqualTo("return=representation");
    assertThat(insert.getHeaders().get("Content-Profile")).isEqualTo("public");
    RecordedRequest upsert = take();
    assertThat(upsert.getUrl().queryParameter("on_conflict")).isEqualTo("id");
    assertThat(upsert.getHeaders().get("Prefer")).isEqualTo("resolution=merge-duplicates,return=representation");
    assertThat(take().getMethod()).isEqualTo("PATCH");
    RecordedRequest delete = take();
    assertThat(delete.getUrl().queryParameter("select")).isEqualTo("id");
  }

  @Test
  void updatesAndDeletesOfEveryRowStillSendAWhereClauseForSafeupdate() throws Exception {
    server.enqueue(json(200, "[]"));
    server.enqueue(json(200, "[]"));

    backend().update(CTX, TASKS, Filter.all(), Map.of("done", true), WriteMode.CONFIRMED);
    backend().delete(CTX, TASKS.ref(), Filter.anyOf(Filter.all(), Filter.eq("id", 1)), WriteMode.CONFIRMED);

    assertThat(take().getUrl().queryParameter("id")).isEqualTo("not.is.null");
    assertThat(take().getUrl().queryParameter("id")).isEqualTo("not.is.null");
  }

  @Test
  void streamReadsPagesOrderedByIdUntilAShortPage() throws Exception {
    server.enqueue(json(200, "[{\"id\":1},{\"id\":2}]"));
    server.enqueue(json(200, "[{\"id\":3},{\"id\":4}]"));
    server.enqueue(json(200, "[{\"id\":5}]"));

    List<Long> ids = new ArrayList<>();
    try (RowCursor<Task> cursor = backend().stream(CTX, TASKS, Query.all(), 2)) {
      cursor.forEachRemaining(r -> ids.add(r.id()));
    }

    assertThat(ids).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(take().getUrl().queryParameter("order")).isEqualTo("id.asc");
    assertThat(take().getUrl().queryParameter("offset")).isEqualTo("2");
    assertThat(take().getUrl().queryParameter("offset")).isEqualTo("4");
  }

  @Test
  void appliesTheCallTimeoutToEachRequest() {
    server.enqueue(new MockResponse.Builder().code(200).body("[]").headersDelay(2, java.util.concurrent.TimeUnit.SECONDS)
        .build());

    TransientException e = catchThrowableOfType(TransientException.class,
        () -> backend().select(CallContext.of("find", Duration.ofMillis(200)), TASKS, Query.all()));

    assertThat(e.getMessage()).contains("timed out after PT0.2S");
  }

  @Test
  void healthCheckIsUpOnSuccessAndDownWithTheReasonOtherwise() {
    server.enqueue(new MockResponse.Builder().code(200).build());
    server.enqueue(error(503, "PGRST000", "Could not connect with the database", null, null));

    assertThat(backend().check(Duration.ofSeconds(1)).status()).isEqualTo(HealthReport.Status.UP);
    HealthReport down = backend().check(Duration.ofSeconds(1));
    assertThat(down.status()).isEqualTo(HealthReport.Status.DOWN);
    assertThat(down.detail()).contains("PGRST000");
  }

  @Test
  void guardRetriesReadsOnTransientFailuresHonouringRetryAfter() {
    server.enqueue(error(503, "PGRST002", "Could not query the database for the schema cache. Retrying.", null,
        null).newBuilder().setHeader("Retry-After", "2").build());
    server.enqueue(new MockResponse.Builder().code(502).body("bad gateway").build());
    server.enqueue(json(200, "[{\"id\":1}]"));
    ManualScheduler time = new ManualScheduler();

    try (Guard guard = guard(time)) {
      List<Task> rows = guard.call(Call.read("tasks.find"), ctx -> backend().select(ctx, TASKS, Query.all()));

      assertThat(rows).hasSize(1);
      assertThat(server.getRequestCount()).isEqualTo(3);
      assertThat(time.sleeps().get(0)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }
  }

  @Test
  void guardRetriesAnInsertOnlyWhenTheRequestNeverRan() {
    server.enqueue(error(503, "PGRST001", "Database client error. Retrying the connection.", null, null));
    server.enqueue(json(201, "[{\"id\":1}]"));
    server.enqueue(new MockResponse.Builder().code(502).body("bad gateway").build());
    ManualScheduler time = new ManualScheduler();
    List<Task> rows = List.of(new Task(null, "a", null));
    List<String> title = List.of("title");

    try (Guard guard = guard(time)) {
      List<Task> stored = guard.call(Call.write("tasks.insert"),
          ctx -> backend().insert(ctx, TASKS, rows, title, WriteMode.CONFIRMED));
      assertThat(stored).hasSize(1);
      assertThat(server.getRequestCount()).isEqualTo(2);

      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> guard.call(Call.write("tasks.insert"),
              ctx -> backend().insert(ctx, TASKS, rows, title, WriteMode.CONFIRMED)))
          .isInstanceOf(UnknownOutcomeException.class);
      assertThat(server.getRequestCount()).as("a 502 after sending is not retried for an insert").isEqualTo(3);
    }
  }

  @Test
  void guardRetriesAnInsertThatPostgresqlRolledBack() {
    server.enqueue(error(500, "40001", "could not serialize access due to concurrent update", null, null));
    server.enqueue(error(500, "57014", "canceling statement due to statement timeout", null, null));
    server.enqueue(json(201, "[{\"id\":1}]"));
    ManualScheduler time = new ManualScheduler();

    try (Guard guard = guard(time)) {
      List<Task> stored = guard.call(Call.write("tasks.insert"),
          ctx -> backend().insert(ctx, TASKS, List.of(new Task(null, "a", null)), List.of("title"),
              WriteMode.CONFIRMED));

      assertThat(stored).hasSize(1);
      assertThat(server.getRequestCount()).isEqualTo(3);
    }
  }

  @Test
  void fluentClientRunsUnderAGuard() {
    server.enqueue(error(503, "PGRST000", "Could not connect with the database", null, null));
    server.enqueue(json(200, "[{\"id\":1}]"));
    ManualScheduler time = new ManualScheduler();

    try (Guard guard = guard(time)) {
      PostgrestResponse response = guard.call(Call.read("tasks.open"),
          ctx -> client.from("tasks").select("id").eq("done", false).execute(ctx));

      assertThat(response.rows()).hasSize(1);
      assertThat(server.getRequestCount()).isEqualTo(2);
    }
  }

  private static Guard guard(ManualScheduler time) {
    return Guard.builder("postgrest").scheduler(time).random(() -> 0.5)
        .policy(ResiliencePolicy.builder().maxAttempts(3).withoutCircuitBreaker().withoutRetryBudget().build())
        .build();
  }
}
