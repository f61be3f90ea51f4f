package dev.holdfast.postgrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.NotFoundException;
import dev.holdfast.Order;
import dev.holdfast.SchemaMismatchException;
import java.time.Instant;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The options postgrest-js can say, as PostgREST's docs spell them on the wire. */
class RequestOptionsWireTest extends WireFixture {
  record Task(long id, String title, @JsonProperty("created_at") Instant createdAt) {}

  @Test
  void csvAndGeojsonAskForTheirMediaTypes() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/csv; charset=utf-8")
        .body("id,title\n1,a\n").build());
    server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/geo+json")
        .body("{\"type\":\"FeatureCollection\",\"features\":[]}").build());

    assertThat(client.from("t").select("id,title").csv().execute().text()).isEqualTo("id,title\n1,a\n");
    assertThat(client.from("t").select("*").geojson().execute().body().get("type").asText())
        .isEqualTo("FeatureCollection");
    assertThat(take().getHeaders().get("Accept")).isEqualTo("text/csv");
    assertThat(take().getHeaders().get("Accept")).isEqualTo("application/geo+json");
  }

  @Test
  void strippedNullsUseTheVendorMediaTypes() throws Exception {
    server.enqueue(json(200, "[{\"id\":1}]"));
    server.enqueue(json(200, "{\"id\":1}"));

    client.from("t").select("*").stripNulls().execute();
    client.from("t").select("*").eq("id", 1).stripNulls().single();

    assertThat(take().getHeaders().get("Accept")).isEqualTo("application/vnd.pgrst.array+json;nulls=stripped");
    assertThat(take().getHeaders().get("Accept")).isEqualTo("application/vnd.pgrst.object+json;nulls=stripped");
    assertThatThrownBy(() -> client.from("t").select("*").csv().stripNulls()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void explainAsksForThePlanOfTheMediaTypeItWouldOtherwiseGet() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200)
        .setHeader("Content-Type", "application/vnd.pgrst.plan+text; for=\"text/csv\"; charset=utf-8")
        .body("Aggregate  (cost=0.00..0.01 rows=1 width=112)").build());
    server.enqueue(json(200, "[{\"Plan\":{\"Node Type\":\"Aggregate\"}}]"));

    String plan = client.from("t").select("*").csv().explain(Explain.Format.TEXT).execute().text();
    PostgrestResponse json = client.from("t").select("*").explain(Explain.Format.JSON, Explain.Option.ANALYZE,
        Explain.Option.BUFFERS).execute();

    assertThat(plan).startsWith("Aggregate");
    assertThat(json.body().get(0).get("Plan").get("Node Type").asText()).isEqualTo("Aggregate");
    assertThat(take().getHeaders().get("Accept")).isEqualTo("application/vnd.pgrst.plan+text; for=\"text/csv\"");
    assertThat(take().getHeaders().get("Accept"))
        .isEqualTo("application/vnd.pgrst.plan+json; for=\"application/json\"; options=analyze|buffers");
  }

  @Test
  void extraPreferencesFollowTheOnesHoldfastSets() throws Exception {
    server.enqueue(json(200, "[{\"id\":1}]"));
    server.enqueue(json(200, "[]"));

    client.from("t").update(row("{\"done\":true}")).eq("id", 1).select("id").rollback().maxAffected(10).execute();
    client.from("t").select("*").strict().count(CountMode.EXACT).execute();

    assertThat(take().getHeaders().get("Prefer"))
        .isEqualTo("return=representation,tx=rollback,handling=strict,max-affected=10");
    assertThat(take().getHeaders().get("Prefer")).isEqualTo("count=exact,handling=strict");
    assertThatThrownBy(() -> client.from("t").insert(row("{}")).maxAffected(1))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void embeddedResourcesAreOrderedAndLimitedByTheirOwnParameters() throws Exception {
    server.enqueue(json(200, "[]"));

    client.from("clients").select("id,projects(id,name,tasks(id))").order("projects", Order.desc("name"))
        .order("projects", Order.asc("id").nullsFirst()).limit("projects", 3).offset("projects", 1)
        .order("projects.tasks", Order.asc("id")).limit("projects.tasks", 2).execute();

    RecordedRequest r = take();
    assertThat(r.getUrl().queryParameter("projects.order")).isEqualTo("name.desc,id.asc.nullsfirst");
    assertThat(r.getUrl().queryParameter("projects.limit")).isEqualTo("3");
    assertThat(r.getUrl().queryParameter("projects.offset")).isEqualTo("1");
    assertThat(r.getUrl().queryParameter("projects.tasks.order")).isEqualTo("id.asc");
    assertThat(r.getUrl().queryParameter("projects.tasks.limit")).isEqualTo("2");
    assertThatThrownBy(() -> client.from("t").select("*").limit("projects;x", 1))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void ordersByAJsonPath() throws Exception {
    server.enqueue(json(200, "[]"));

    client.from("t").select("*").orderByJson("data->>created", true, Order.Nulls.LAST)
        .orderByJson("data->items->0->>n", false, Order.Nulls.DEFAULT).order(Order.asc("id")).execute();

    assertThat(take().getUrl().queryParameter("order"))
        .isEqualTo("data->>created.desc.nullslast,data->items->0->>n.asc,id.asc");
    for (String bad : List.of("data", "data->>a.b", "data->>a,id", "da ta->>x", "data->>", "data->>x)")) {
      assertThatThrownBy(() -> client.from("t").select("*").orderByJson(bad, false, Order.Nulls.DEFAULT)).as(bad)
          .isInstanceOf(InvalidRequestException.class);
    }
  }

  @Test
  void headAndFunctionRangesUseLimitAndOffsetBecausePostgrestIgnoresRangeThere() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Range", "10-19/100").build());
    server.enqueue(json(200, "[]"));
    server.enqueue(json(200, "[]"));

    client.from("t").select("*").range(10, 19).count(CountMode.EXACT).head().execute();
    client.rpc("list_tasks", null).range(5, 9).execute();
    client.rpc("list_tasks", null).offset(6).limit(2).range(5, 9).execute();

    RecordedRequest head = take();
    assertThat(head.getMethod()).isEqualTo("HEAD");
    assertThat(head.getHeaders().get("Range")).isNull();
    assertThat(head.getUrl().queryParameter("offset")).isEqualTo("10");
    assertThat(head.getUrl().queryParameter("limit")).isEqualTo("10");
    RecordedRequest rpc = take();
    assertThat(rpc.getMethod()).isEqualTo("POST");
    assertThat(rpc.getHeaders().get("Range")).isNull();
    assertThat(rpc.getUrl().queryParameter("offset")).isEqualTo("5");
    assertThat(rpc.getUrl().queryParameter("limit")).isEqualTo("5");
    RecordedRequest both = take();
    assertThat(both.getUrl().queryParameter("offset")).isEqualTo("6");
    assertThat(both.getUrl().queryParameter("limit")).isEqualTo("2");
    assertThatThrownBy(() -> client.from("t").delete().range(0, 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theEmptyStringAloneInAListIsSentSoPostgrestReadsItAsAValue() throws Exception {
    server.enqueue(json(200, "[]"));
    server.enqueue(json(200, "[]"));

    client.from("t").select("*").in("name", List.of("")).execute();
    client.from("t").select("*").in("name", List.of("", "a")).execute();

    // PostgREST turns in.("") into = ANY('{}'): no row. ("","") is the one-value list {""}.
    assertThat(take().getUrl().queryParameter("name")).isEqualTo("in.(\"\",\"\")");
    assertThat(take().getUrl().queryParameter("name")).isEqualTo("in.(\"\",a)");
  }

  @Test
  void nulInAnyFilterValueIsRefusedBeforeSending() {
    List<Runnable> attempts = List.of(
        () -> client.from("t").select("*").eq("name", "a\u0000b").execute(),
        () -> client.from("t").select("*").in("name", List.of("ok", "a\u0000")).execute(),
        () -> client.from("t").delete().like("name", "%\u0000%").execute(),
        () -> client.from("t").select("*").filter("tags", "cs", "{a\u0000}"),
        () -> client.from("t").select("*").or("a.eq.\u0000"),
        () -> client.rpc("f", row("{\"q\":\"a\\u0000\"}")).get().execute());
    for (Runnable attempt : attempts) {
      assertThatThrownBy(attempt::run).isInstanceOf(InvalidRequestException.class).hasMessageContaining("NUL");
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void typedResultsMapRowsStraightIntoRecords() {
    server.enqueue(json(200, "[{\"id\":1,\"title\":\"a\",\"created_at\":\"2026-03-04T05:06:07.123456+00:00\","
        + "\"extra\":true},{\"id\":2,\"title\":\"b\",\"created_at\":null}]"));
    server.enqueue(json(200, "{\"id\":3,\"title\":\"c\",\"created_at\":\"2026-03-04 05:06:07+02:00\"}"));
    server.enqueue(error(406, "PGRST116", "Cannot coerce the result to a single JSON object",
        "The result contains 0 rows", null));
    server.enqueue(json(200, "[{\"id\":\"not a number\"}]"));

    List<Task> tasks = client.from("tasks").select("*").execute().as(Task.class);
    Task one = client.from("tasks").select("*").eq("id", 3).single(Task.class);

    assertThat(tasks).containsExactly(new Task(1, "a", Instant.parse("2026-03-04T05:06:07.123456Z")),
        new Task(2, "b", null));
    assertThat(one).isEqualTo(new Task(3, "c", Instant.parse("2026-03-04T03:06:07Z")));
    assertThat(client.from("tasks").select("*").eq("id", 4).maybeSingle(Task.class)).isEmpty();
    assertThatThrownBy(() -> client.from("tasks").select("*").execute().as(Task.class))
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("Task");
  }

  @Test
  void singleUnderstandsAnArrayOfOneRowAndRefusesMore() {
    server.enqueue(json(200, "[{\"id\":7}]"));
    server.enqueue(json(200, "[]"));
    server.enqueue(json(200, "[{\"id\":7},{\"id\":8}]"));

    assertThat(client.from("t").select("*").eq("id", 7).single().get("id").asInt()).isEqualTo(7);
    assertThatThrownBy(() -> client.from("t").select("*").single()).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> client.from("t").select("*").single()).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("2 rows");
  }

  @Test
  void responseHeadersCanBeRead() {
    server.enqueue(new MockResponse.Builder().code(201).setHeader("Location", "/tasks?id=eq.1")
        .setHeader("Preference-Applied", "return=headers-only").build());

    PostgrestResponse r = client.from("tasks").insert(row("{\"id\":1}")).execute();

    assertThat(r.header("Location")).hasValue("/tasks?id=eq.1");
    assertThat(r.header("preference-applied")).hasValue("return=headers-only");
    assertThat(r.header("X-Missing")).isEmpty();
  }

  @Test
  void rawFiltersValidateTheirColumnAndOperator() throws Exception {
    server.enqueue(json(200, "[]"));

    client.from("t").select("*,clients(name)").filter("data->>kind", "eq", "a").filter("clients.name", "fts(english)",
        "cat").filter("id", "eq(any)", "{1,2}").not("tags", "cs", "{x}").execute();

    RecordedRequest r = take();
    assertThat(r.getUrl().queryParameter("data->>kind")).isEqualTo("eq.a");
    assertThat(r.getUrl().queryParameter("clients.name")).isEqualTo("fts(english).cat");
    assertThat(r.getUrl().queryParameter("id")).isEqualTo("eq(any).{1,2}");
    assertThat(r.getUrl().queryParameter("tags")).isEqualTo("not.cs.{x}");
    for (String[] bad : List.of(new String[] {"a&select", "eq"}, new String[] {"a b", "eq"},
        new String[] {"id", "eq.1&x"}, new String[] {"id", ""}, new String[] {"id", "EQ"})) {
      assertThatThrownBy(() -> client.from("t").select("*").filter(bad[0], bad[1], "1")).as(bad[0] + " " + bad[1])
          .isInstanceOf(InvalidRequestException.class);
    }
  }
}
