package dev.holdfast.postgrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.Filter;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.NotFoundException;
import dev.holdfast.Order;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class PostgrestRequestWireTest extends WireFixture {
  @Test
  void sendsSelectFiltersOrderAndPagingAsPostgrestQuery() throws Exception {
    server.enqueue(json(200, "[{\"id\":1,\"title\":\"a\"}]"));

    PostgrestResponse response = client.from("tasks").select("id, title, owner:users(name)").eq("done", false)
        .gte("priority", 2).is("archived", null).order(Order.desc("created_at").nullsLast()).order(Order.asc("id"))
        .limit(10).offset(20).execute();

    assertThat(response.rows()).extracting(r -> r.get("title").asText()).containsExactly("a");
    RecordedRequest r = take();
    assertThat(r.getMethod()).isEqualTo("GET");
    assertThat(r.getUrl().encodedPath()).isEqualTo("/rest/v1/tasks");
    assertThat(r.getUrl().queryParameter("select")).isEqualTo("id,title,owner:users(name)");
    assertThat(r.getUrl().queryParameter("done")).isEqualTo("eq.false");
    assertThat(r.getUrl().queryParameter("priority")).isEqualTo("gte.2");
    assertThat(r.getUrl().queryParameter("archived")).isEqualTo("is.null");
    assertThat(r.getUrl().queryParameter("order")).isEqualTo("created_at.desc.nullslast,id.asc");
    assertThat(r.getUrl().queryParameter("limit")).isEqualTo("10");
    assertThat(r.getUrl().queryParameter("offset")).isEqualTo("20");
    assertThat(r.getHeaders().get("apikey")).isEqualTo(KEY);
    assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(r.getHeaders().get("Accept")).isEqualTo("application/json");
    assertThat(r.getHeaders().get("Accept-Profile")).isNull();
  }

  @Test
  void encodesHostileValuesSoTheyCannotChangeTheQuery() throws Exception {
    server.enqueue(json(200, "[]"));
    String hostile = "a\"b,c(d)e\\f+g h&select=secret#x";

    client.from("t").select("*").eq("name", hostile).in("tag", List.of(hostile, "", "ünï😀", "1+1"))
        .filter(Filter.anyOf(Filter.eq("a", hostile), Filter.eq("b", ""))).execute();

    RecordedRequest r = take();
    String target = r.getTarget();
    assertThat(target).doesNotContain("+").doesNotContain("&select=secret").doesNotContain(" ")
        .doesNotContain("#").contains("%2B");
    assertThat(r.getUrl().querySize()).isEqualTo(4);
    assertThat(r.getUrl().queryParameter("select")).isEqualTo("*");
    assertThat(r.getUrl().queryParameter("name")).isEqualTo("eq." + hostile);
    assertThat(r.getUrl().queryParameter("tag"))
        .isEqualTo("in.(\"a\\\"b,c(d)e\\\\f+g h&select=secret#x\",\"\",\"ünï😀\",\"1+1\")");
    assertThat(r.getUrl().queryParameter("or"))
        .isEqualTo("(a.eq.\"a\\\"b,c(d)e\\\\f+g h&select=secret#x\",b.eq.\"\")");
  }

  @Test
  void readsCountFromContentRangeOfPartialResponse() throws Exception {
    server.enqueue(new MockResponse.Builder().code(206).setHeader("Content-Range", "0-24/3573")
        .body("[{\"id\":1}]").build());

    PostgrestResponse response = client.from("tasks").select("id").range(0, 24).count(CountMode.EXACT).execute();

    assertThat(response.status()).isEqualTo(206);
    assertThat(response.count()).hasValue(3573);
    RecordedRequest r = take();
    assertThat(r.getHeaders().get("Range")).isEqualTo("0-24");
    assertThat(r.getHeaders().get("Range-Unit")).isEqualTo("items");
    assertThat(r.getHeaders().get("Prefer")).isEqualTo("count=exact");
  }

  @Test
  void headCountReadsEmptyAndUnknownTotals() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Range", "*/0").build());
    server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Range", "*/*").build());

    assertThat(client.from("t").select("*").count(CountMode.PLANNED).head().execute().count()).hasValue(0);
    assertThat(client.from("t").select("*").head().execute().count()).isEmpty();
    RecordedRequest r = take();
    assertThat(r.getMethod()).isEqualTo("HEAD");
    assertThat(r.getHeaders().get("Prefer")).isEqualTo("count=planned");
  }

  @Test
  void singleAsksForObjectAndMapsPgrst116() throws Exception {
    server.enqueue(json(200, "{\"id\":7}"));
    server.enqueue(error(406, "PGRST116", "Cannot coerce the result to a single JSON object",
        "The result contains 0 rows", null));
    server.enqueue(error(406, "PGRST116", "Cannot coerce the result to a single JSON object",
        "The result contains 2 rows", null));

    assertThat(client.from("t").select("*").eq("id", 7).single().get("id").asInt()).isEqualTo(7);
    assertThat(take().getHeaders().get("Accept")).isEqualTo("application/vnd.pgrst.object+json");
    assertThat(client.from("t").select("*").eq("id", 8).maybeSingle()).isEmpty();
    assertThatThrownBy(() -> client.from("t").select("*").single())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("2 rows");
  }

  @Test
  void singleOfNoRowThrowsNotFound() {
    server.enqueue(error(406, "PGRST116", "Cannot coerce the result to a single JSON object",
        "The result contains 0 rows", null));

    assertThatThrownBy(() -> client.from("t").select("*").eq("id", 1).single())
        .isInstanceOf(NotFoundException.class)
        .satisfies(e -> assertThat(((NotFoundException) e).code()).hasValue("PGRST116"));
  }

  @Test
  void insertsInChunksAndCollectsRepresentation() throws Exception {
    server.enqueue(json(201, "[{\"id\":1},{\"id\":2}]"));
    server.enqueue(json(201, "[{\"id\":3},{\"id\":4}]"));
    server.enqueue(json(201, "[{\"id\":5}]"));
    List<ObjectNode> rows = List.of(row("{\"t\":1}"), row("{\"t\":2}"), row("{\"t\":3}"), row("{\"t\":4}"),
        row("{\"t\":5}"));

    PostgrestResponse response = client.from("tasks").insert(rows).select("id").chunkSize(2).execute();

    assertThat(response.rows()).extracting(r -> r.get("id").asInt()).containsExactly(1, 2, 3, 4, 5);
    assertThat(server.getRequestCount()).isEqualTo(3);
    RecordedRequest first = take();
    assertThat(first.getMethod()).isEqualTo("POST");
    assertThat(first.getHeaders().get("Prefer")).isEqualTo("return=representation");
    assertThat(first.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(first.getBody().utf8()).isEqualTo("[{\"t\":1},{\"t\":2}]");
    assertThat(first.getUrl().queryParameter("select")).isEqualTo("id");
  }

  @Test
  void aChunkThatNeverRanAfterEarlierChunksMakesTheInsertUnsafeToRepeat() {
    server.enqueue(json(201, "[{\"id\":1},{\"id\":2}]"));
    server.enqueue(error(503, "PGRST001", "Database client error. Retrying the connection.", null, null));
    List<ObjectNode> rows = List.of(row("{\"t\":1}"), row("{\"t\":2}"), row("{\"t\":3}"));

    dev.holdfast.TransientException e = org.assertj.core.api.Assertions.catchThrowableOfType(
        dev.holdfast.TransientException.class,
        () -> client.from("tasks").insert(rows).select("id").chunkSize(2).execute());

    assertThat(e.requestSent()).as("the first chunk was written").isTrue();
    assertThat(e.getMessage()).contains("after 2 of 3 rows were inserted");
  }

  @Test
  void insertOfRowsWithDifferentKeysSendsColumnsAndMissingDefault() throws Exception {
    server.enqueue(new MockResponse.Builder().code(201).build());

    PostgrestResponse response = client.from("t").insert(List.of(row("{\"a\":1}"), row("{\"b\":2}"))).execute();

    assertThat(response.status()).isEqualTo(201);
    assertThat(response.body().isMissingNode()).isTrue();
    RecordedRequest r = take();
    assertThat(r.getUrl().queryParameter("columns")).isEqualTo("a,b");
    assertThat(r.getHeaders().get("Prefer")).isEqualTo("missing=default");
  }

  @Test
  void upsertSendsOnConflictAndResolutionAndReportsWhetherRowsWereCreated() throws Exception {
    server.enqueue(json(201, "[{\"id\":1,\"v\":\"new\"}]"));
    server.enqueue(json(200, "[{\"id\":1,\"v\":\"again\"}]"));
    server.enqueue(json(200, "[]"));

    PostgrestResponse created = client.from("t").upsert(row("{\"id\":1,\"v\":\"new\"}")).onConflict("id")
        .select("*").execute();
    PostgrestResponse merged = client.from("t").upsert(row("{\"id\":1,\"v\":\"again\"}")).onConflict("id")
        .select("*").execute();
    client.from("t").upsert(row("{\"id\":1}")).ignoreDuplicates().returning(Returning.REPRESENTATION).execute();

    assertThat(created.status()).isEqualTo(201);
    assertThat(merged.status()).isEqualTo(200);
    assertThat(merged.rows().get(0).get("v").asText()).isEqualTo("again");
    RecordedRequest r = take();
    assertThat(r.getUrl().queryParameter("on_conflict")).isEqualTo("id");
    assertThat(r.getHeaders().get("Prefer")).isEqualTo("resolution=merge-duplicates,return=representation");
    take();
    RecordedRequest ignore = take();
    assertThat(ignore.getHeaders().get("Prefer")).isEqualTo("resolution=ignore-duplicates,return=representation");
    assertThat(ignore.getUrl().queryParameter("on_conflict")).isNull();
  }

  @Test
  void updatesAndDeletesWithFiltersAndProfiles() throws Exception {
    server.enqueue(json(200, "[{\"id\":3,\"done\":true}]"));
    server.enqueue(new MockResponse.Builder().code(204).build());

    PostgrestResponse updated = client.from("t").update(row("{\"done\":true}")).eq("id", 3).select("id,done")
        .schema("api").execute();
    PostgrestResponse deleted = client.from("t").delete().lt("id", 0).returning(Returning.MINIMAL).execute();

    assertThat(updated.rows()).hasSize(1);
    assertThat(deleted.status()).isEqualTo(204);
    RecordedRequest patch = take();
    assertThat(patch.getMethod()).isEqualTo("PATCH");
    assertThat(patch.getUrl().queryParameter("id")).isEqualTo("eq.3");
    assertThat(patch.getHeaders().get("Content-Profile")).isEqualTo("api");
    assertThat(patch.getBody().utf8()).isEqualTo("{\"done\":true}");
    RecordedRequest delete = take();
    assertThat(delete.getMethod()).isEqualTo("DELETE");
    assertThat(delete.getUrl().queryParameter("id")).isEqualTo("lt.0");
    assertThat(delete.getHeaders().get("Prefer")).isEqualTo("return=minimal");
  }

  @Test
  void callsFunctionsWithPostOrGet() throws Exception {
    server.enqueue(json(200, "42"));
    server.enqueue(json(200, "[{\"n\":1}]"));

    PostgrestResponse post = client.rpc("add", row("{\"a\":40,\"b\":2}")).execute();
    PostgrestResponse get = client.rpc("search", row("{\"q\":\"a b+c\",\"tags\":[\"x,y\",\"z\"]}")).get()
        .schema("api").select("n").gt("n", 0).execute();

    assertThat(post.body().asInt()).isEqualTo(42);
    assertThat(get.rows()).hasSize(1);
    RecordedRequest p = take();
    assertThat(p.getMethod()).isEqualTo("POST");
    assertThat(p.getUrl().encodedPath()).isEqualTo("/rest/v1/rpc/add");
    assertThat(p.getBody().utf8()).isEqualTo("{\"a\":40,\"b\":2}");
    RecordedRequest g = take();
    assertThat(g.getMethod()).isEqualTo("GET");
    assertThat(g.getUrl().queryParameter("q")).isEqualTo("a b+c");
    assertThat(g.getUrl().queryParameter("tags")).isEqualTo("{\"x,y\",z}");
    assertThat(g.getUrl().queryParameter("n")).isEqualTo("gt.0");
    assertThat(g.getHeaders().get("Accept-Profile")).isEqualTo("api");
    assertThat(g.getBodySize()).isZero();
  }

  @Test
  void sendsNothingWhenTheFilterCanMatchNoRow() {
    PostgrestResponse response = client.from("t").delete().in("id", List.of()).execute();
    PostgrestResponse count = client.from("t").select("*").in("id", List.of()).count(CountMode.EXACT).execute();

    assertThat(response.rows()).isEmpty();
    assertThat(count.count()).hasValue(0);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void sendsRawFiltersForOperatorsTheTypedMethodsDoNotCover() throws Exception {
    server.enqueue(json(200, "[]"));

    client.from("t").select("*").filter("tags", "cs", "{a,b}").not("body", "fts", "cat & dog")
        .or("age.lt.18,and(role.eq.admin,active.is.true)").execute();

    RecordedRequest r = take();
    assertThat(r.getUrl().queryParameter("tags")).isEqualTo("cs.{a,b}");
    assertThat(r.getUrl().queryParameter("body")).isEqualTo("not.fts.cat & dog");
    assertThat(r.getUrl().queryParameter("or")).isEqualTo("(age.lt.18,and(role.eq.admin,active.is.true))");
    assertThat(r.getTarget()).doesNotContain(" ").doesNotContain("& ");
  }

  @Test
  void numericValuesKeepEveryDigit() {
    server.enqueue(json(200, "[{\"n\":12345678901234567890.123456789,\"big\":123456789012345678901234567890}]"));

    ObjectNode row = client.from("t").select("*").execute().rows().get(0);

    assertThat(row.get("n").decimalValue()).isEqualByComparingTo("12345678901234567890.123456789");
    assertThat(row.get("big").bigIntegerValue()).isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
  }

  @Test
  void rejectsOptionsThatDoNotApply() {
    assertThatThrownBy(() -> client.from("t").select("*").onConflict("id"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> client.from("t").insert(row("{}")).eq("id", 1).execute())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> client.from("t").select("*").eq("bad column", 1))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> client.from("tasks?select=secret")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> client.from("")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> client.rpc("f/../g", null)).isInstanceOf(InvalidRequestException.class);
  }
}
