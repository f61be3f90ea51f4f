package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.holdfast.spi.TableRef;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The builder's options, declared functions and what MockPostgrest answers "not supported". */
class MockPostgrestOptionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final OkHttpClient http = new OkHttpClient();
  private MockPostgrest postgrest;

  @AfterEach
  void stop() {
    if (postgrest != null) {
      postgrest.close();
    }
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private record Answer(int status, String body, okhttp3.Headers headers) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  private Answer send(String method, String path, String body, String... headers) throws IOException {
    Request.Builder b = new Request.Builder().url(postgrest.url() + path)
        .method(method, body == null ? null : RequestBody.create(body, MediaType.get("application/json")));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try (Response r = http.newCall(b.build()).execute()) {
      return new Answer(r.code(), r.body().string(), r.headers());
    }
  }

  private static InMemoryDatabase tasks() {
    InMemoryDatabase db = new InMemoryDatabase();
    db.createTable(TableSpec.builder("public", "tasks").id("id", true).column("id", "bigint")
        .column("title", "text").column("due", "timestamptz").build());
    return db;
  }

  @Test
  void answersFeaturesItDoesNotEmulateWith400NotSupported() throws IOException {
    postgrest = MockPostgrest.start(tasks());
    List<String[]> requests = List.of(
        new String[] {"GET", "/tasks?title=fts.cat", null},
        new String[] {"GET", "/tasks?select=title::interval", null},
        new String[] {"GET", "/tasks?title=match.\\mcat", null},
        new String[] {"POST", "/tasks", "{\"title\":\"x\",\"due\":\"Jan 1 2024\"}"});
    for (String[] r : requests) {
      Answer a = send(r[0], r[1], r[2]);
      assertThat(a.status()).as(r[1]).isEqualTo(400);
      assertThat(a.json().get("code").asText()).isEqualTo("PGRST127");
      assertThat(a.json().get("message").asText()).isEqualTo("Feature not implemented");
      assertThat(a.json().get("details").asText()).startsWith("MockPostgrest does not emulate");
    }
    Answer csv = send("GET", "/tasks", null, "Accept", "text/csv");
    assertThat(csv.status()).isEqualTo(400);
    assertThat(csv.json().get("details").asText()).contains("CSV");
  }

  @Test
  void aggregatesAreRefusedAsPostgrestRefusesThemByDefault() throws IOException {
    postgrest = MockPostgrest.start(tasks());

    Answer a = send("GET", "/tasks?select=count()", null);

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.json().get("code").asText()).isEqualTo("PGRST123");
  }

  @Test
  void maxRowsCapsEveryRead() throws IOException {
    postgrest = MockPostgrest.builder().database(tasks()).maxRows(2).start();
    postgrest.seedJson("tasks", "[{\"title\":\"a\"},{\"title\":\"b\"},{\"title\":\"c\"}]");

    Answer a = send("GET", "/tasks?select=id", null, "Prefer", "count=exact");

    assertThat(a.status()).isEqualTo(206);
    assertThat(a.headers().get("Content-Range")).isEqualTo("0-1/3");
  }

  @Test
  void exposedSchemasAreNegotiatedWithProfileHeaders() throws IOException {
    InMemoryDatabase db = tasks();
    db.createTable(TableSpec.builder("api", "things").id("id", true).column("id", "bigint").build());
    postgrest = MockPostgrest.builder().database(db).schemas("public", "api").start();

    Answer api = send("GET", "/things", null, "Accept-Profile", "api");
    Answer deflt = send("GET", "/tasks", null);

    assertThat(api.status()).isEqualTo(200);
    assertThat(api.headers().get("Content-Profile")).isEqualTo("api");
    assertThat(deflt.headers().get("Content-Profile")).as("several schemas: the default is negotiated too")
        .isEqualTo("public");
  }

  @Test
  void jwtsAreSignedWithTheConfiguredSecretAndRefusedWithoutOne() throws IOException {
    postgrest = MockPostgrest.builder().database(tasks()).jwtSecret("a-secret-of-at-least-thirty-two-chars")
        .start();
    String token = postgrest.jwt(Map.of("role", "authenticated", "sub", "u1"));

    assertThat(send("GET", "/tasks", null, "Authorization", "Bearer " + token).status()).isEqualTo(200);
    assertThatThrownBy(() -> MockPostgrest.builder().jwtSecret("short"))
        .isInstanceOf(IllegalArgumentException.class);
    try (MockPostgrest plain = MockPostgrest.start()) {
      assertThatThrownBy(() -> plain.jwt(Map.of("role", "anon"))).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void withoutASecretTokensAreIgnoredAndEveryRequestRunsAsTheOwner() throws IOException {
    InMemoryDatabase db = new InMemoryDatabase();
    db.createTable(TableSpec.builder("public", "notes").id("id", true).columns("owner")
        .rowLevelSecurity().build());
    postgrest = MockPostgrest.start(db);
    postgrest.seedJson("notes", "{\"owner\":\"u1\"}");

    Answer a = send("GET", "/notes?select=owner", null, "Authorization", "Bearer not-a-jwt");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).isEqualTo("[{\"owner\":\"u1\"}]");
  }

  @Test
  void overloadsArePickedByTheirParameterNames() throws IOException {
    postgrest = MockPostgrest.start(tasks());
    postgrest.function(MockPostgrestFunction.builder("f").param("a", "integer").returns("integer")
        .body(args -> IntNode.valueOf(1)).build());
    postgrest.function(MockPostgrestFunction.builder("f").param("a", "integer").param("b", "integer")
        .returns("integer").body(args -> IntNode.valueOf(2)).build());
    postgrest.function(MockPostgrestFunction.builder("f").optionalParam("z", "text").returns("integer")
        .body(args -> IntNode.valueOf(3)).build());

    assertThat(send("GET", "/rpc/f?a=1", null).body()).isEqualTo("1");
    assertThat(send("GET", "/rpc/f?a=1&b=2", null).body()).isEqualTo("2");
    assertThat(send("GET", "/rpc/f", null).body()).isEqualTo("3");
    assertThat(send("GET", "/rpc/f?z=x", null).body()).isEqualTo("3");
  }

  @Test
  void aFunctionsWritesRollBackWithItsRequest() throws IOException {
    InMemoryDatabase db = tasks();
    postgrest = MockPostgrest.start(db);
    TableRef ref = new TableRef("public", "tasks", "id", List.of());
    postgrest.function(MockPostgrestFunction.builder("make_two").returnsRows("tasks").body(args -> {
      db.insert(ref, List.of(JSON.createObjectNode().put("title", "a"), JSON.createObjectNode().put("title", "b")));
      return JSON.createArrayNode();
    }).build());

    Answer a = send("POST", "/rpc/make_two", "{}", "Accept", "application/vnd.pgrst.object+json");

    assertThat(a.status()).isEqualTo(406);
    assertThat(send("GET", "/tasks", null).body()).as("PostgREST rolled the call back").isEqualTo("[]");
  }

  @Test
  void aDeclaredParameterTypeReadsTheArgument() throws IOException {
    postgrest = MockPostgrest.start(tasks());
    postgrest.function(MockPostgrestFunction.builder("double_it").param("n", "numeric").returns("numeric")
        .body(args -> JSON.getNodeFactory().numberNode(args.get("n").decimalValue().multiply(
            java.math.BigDecimal.valueOf(2)))).build());

    assertThat(send("GET", "/rpc/double_it?n=0.10000000000000000001", null).body())
        .isEqualTo("0.20000000000000000002");
    assertThat(send("GET", "/rpc/double_it?n=abc", null).json().get("code").asText()).isEqualTo("22P02");
  }
}
