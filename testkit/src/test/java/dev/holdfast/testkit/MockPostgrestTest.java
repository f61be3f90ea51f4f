package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MockPostgrestTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType TYPE = MediaType.get("application/json");

  private final OkHttpClient http = new OkHttpClient();
  private MockPostgrest postgrest;

  @BeforeEach
  void start() {
    InMemoryDatabase db = new InMemoryDatabase();
    db.createTable(TableSpec.builder("public", "tasks").id("id", true).columns("title", "done").build());
    postgrest = MockPostgrest.start(db);
  }

  @AfterEach
  void stop() {
    postgrest.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private record Answer(int status, String body, okhttp3.Headers headers) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  private Answer send(String method, String pathAndQuery, String body, String... headers) throws IOException {
    Request.Builder b = new Request.Builder().url(postgrest.url() + pathAndQuery)
        .method(method, body == null ? null : RequestBody.create(body, TYPE));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try (Response r = http.newCall(b.build()).execute()) {
      return new Answer(r.code(), r.body().string(), r.headers());
    }
  }

  @Test
  void insertsAndReadsBackWithFiltersOrderAndCount() throws IOException {
    Answer created = send("POST", "/tasks?select=id,title", "[{\"title\":\"b\",\"done\":false},"
        + "{\"title\":\"a,(x)\",\"done\":true},{\"title\":\"c\",\"done\":false}]", "Prefer", "return=representation");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get(0).get("id").asInt()).isEqualTo(1);

    Answer read = send("GET", "/tasks?select=id,name:title&or=(done.eq.false,title.in.(%22a,(x)%22))"
        + "&order=title.desc&limit=2", null, "Prefer", "count=exact");

    assertThat(read.status()).isEqualTo(206);
    assertThat(read.headers().get("Content-Range")).isEqualTo("0-1/3");
    assertThat(read.json().toString()).isEqualTo("[{\"id\":3,\"name\":\"c\"},{\"id\":1,\"name\":\"b\"}]");
  }

  @Test
  void answersPostgrestErrorsForUnknownTablesAndDuplicates() throws IOException {
    Answer unknown = send("GET", "/nope?select=*", null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("code").asText()).isEqualTo("PGRST205");
    assertThat(unknown.json().get("message").asText())
        .isEqualTo("Could not find the table 'public.nope' in the schema cache");
    assertThat(unknown.headers().get("Proxy-Status")).isEqualTo("PostgREST; error=PGRST205");

    send("POST", "/tasks", "{\"id\":1,\"title\":\"a\"}");
    Answer duplicate = send("POST", "/tasks", "{\"id\":1,\"title\":\"a\"}");
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.json().get("code").asText()).isEqualTo("23505");
  }

  @Test
  void upsertAnswers201WhenCreatingAnd200WhenEveryRowExisted() throws IOException {
    Answer first = send("POST", "/tasks?on_conflict=id", "{\"id\":5,\"title\":\"a\"}",
        "Prefer", "resolution=merge-duplicates,return=representation");
    Answer again = send("POST", "/tasks?on_conflict=id", "{\"id\":5,\"title\":\"b\"}",
        "Prefer", "resolution=merge-duplicates,return=representation");
    Answer ignored = send("POST", "/tasks?on_conflict=id", "{\"id\":5,\"title\":\"c\"}",
        "Prefer", "resolution=ignore-duplicates,return=representation");

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get(0).get("title").asText()).isEqualTo("b");
    assertThat(ignored.json()).isEmpty();
    assertThat(send("GET", "/tasks?id=eq.5", null).json().get(0).get("title").asText()).isEqualTo("b");
  }

  @Test
  void upsertWithoutOnConflictUsesThePrimaryKey() throws IOException {
    InMemoryDatabase db = postgrest.database();
    db.createTable(TableSpec.builder("public", "settings").id("name", false).columns("v").build());
    send("POST", "/settings", "{\"name\":\"a\",\"v\":1}", "Prefer", "resolution=merge-duplicates");
    Answer merged = send("POST", "/settings", "{\"name\":\"a\",\"v\":2}",
        "Prefer", "resolution=merge-duplicates,return=representation");

    assertThat(merged.status()).isEqualTo(200);
    assertThat(merged.json().toString()).isEqualTo("[{\"name\":\"a\",\"v\":2}]");
  }

  @Test
  void singleObjectReadsAnswerPgrst116UnlessExactlyOneRow() throws IOException {
    send("POST", "/tasks", "[{\"title\":\"a\"},{\"title\":\"b\"}]");
    String object = "application/vnd.pgrst.object+json";

    assertThat(send("GET", "/tasks?id=eq.1", null, "Accept", object).json().get("title").asText())
        .isEqualTo("a");
    Answer none = send("GET", "/tasks?id=eq.9", null, "Accept", object);
    assertThat(none.status()).isEqualTo(406);
    assertThat(none.json().get("details").asText()).isEqualTo("The result contains 0 rows");
    assertThat(send("GET", "/tasks", null, "Accept", object).json().get("details").asText())
        .isEqualTo("The result contains 2 rows");
  }

  @Test
  void updatesAndDeletesWithFiltersAndReturnPreferences() throws IOException {
    send("POST", "/tasks", "[{\"title\":\"a\",\"done\":false},{\"title\":\"b\",\"done\":false}]");

    Answer patched = send("PATCH", "/tasks?title=eq.a", "{\"done\":true}", "Prefer", "return=representation");
    Answer minimal = send("PATCH", "/tasks?title=eq.b", "{\"done\":true}");
    Answer deleted = send("DELETE", "/tasks?done=is.true&select=id", null, "Prefer", "return=representation");

    assertThat(patched.json().get(0).get("done").asBoolean()).isTrue();
    assertThat(minimal.status()).isEqualTo(204);
    assertThat(deleted.json().toString()).isEqualTo("[{\"id\":1},{\"id\":2}]");
    assertThat(send("HEAD", "/tasks", null, "Prefer", "count=exact").headers().get("Content-Range"))
        .isEqualTo("*/0");
  }

  @Test
  void callsRegisteredFunctionsByPostAndGet() throws IOException {
    postgrest.function("add", args -> IntNode.valueOf(args.get("a").asInt() + args.get("b").asInt()));

    assertThat(send("POST", "/rpc/add", "{\"a\":40,\"b\":2}").json().asInt()).isEqualTo(42);
    assertThat(send("GET", "/rpc/add?a=1&b=2", null).json().asInt()).isEqualTo(3);
    Answer missing = send("POST", "/rpc/nope", "{}");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("code").asText()).isEqualTo("PGRST202");
  }

  @Test
  void headAnswersCarryNoBodyEvenForErrorsSoTheConnectionStaysInStep() throws IOException {
    Answer missing = send("HEAD", "/nope", null, "Prefer", "count=exact");
    Answer next = send("GET", "/tasks", null);

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body()).isEmpty();
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.body()).isEqualTo("[]");
  }

  @Test
  void rejectsMalformedQueriesWithPgrst100() throws IOException {
    Answer bad = send("GET", "/tasks?or=(title.eq.a", null);

    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("code").asText()).isEqualTo("PGRST100");
  }
}
