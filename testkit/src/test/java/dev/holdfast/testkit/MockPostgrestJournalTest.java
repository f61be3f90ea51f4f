package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MockPostgrestJournalTest {
  private final OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
  private final MockPostgrest postgrest = MockPostgrest.start();

  @AfterEach
  void stop() {
    postgrest.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private int send(String method, String pathAndQuery, String body) throws IOException {
    Request request = new Request.Builder().url(postgrest.url() + pathAndQuery)
        .method(method, body == null ? null : RequestBody.create(body, MediaType.get("application/json")))
        .header("apikey", "secret-anon-key").header("Authorization", "Bearer eyJhbGciOi.payload.sig")
        .header("Prefer", "return=minimal").build();
    try (Response r = http.newCall(request).execute()) {
      return r.code();
    }
  }

  @Test
  void recordsEveryAttemptWithItsHeadersBodyAndFault() throws IOException {
    postgrest.seed("tasks", java.util.List.of(java.util.Map.of("id", 1, "title", "a")));
    postgrest.faults().next(1, MockPostgrestFault.serviceUnavailable(Duration.ofSeconds(1)));

    send("POST", "/tasks?columns=title", "{\"title\":\"b\"}");
    send("POST", "/tasks?columns=title", "{\"title\":\"b\"}");
    send("GET", "/tasks?select=id&title=eq.b", null);

    assertThat(postgrest.journal()).hasSize(3);
    MockPostgrestCall first = postgrest.journal().get(0);
    assertThat(first.sequence()).isEqualTo(1);
    assertThat(first.method()).isEqualTo("POST");
    assertThat(first.path()).isEqualTo("/tasks");
    assertThat(first.query()).isEqualTo("columns=title");
    assertThat(first.body()).isEqualTo("{\"title\":\"b\"}");
    assertThat(first.header("APIKEY")).contains("secret-anon-key");
    assertThat(first.header("prefer")).contains("return=minimal");
    assertThat(first.fault()).isEqualTo("503 PGRST002");
    assertThat(postgrest.journal().get(1).faulted()).isFalse();
    assertThat(postgrest.journal("post", "tasks")).extracting(MockPostgrestCall::sequence).containsExactly(1, 2);
    assertThat(postgrest.journal("GET", "/tasks").get(0).query()).isEqualTo("select=id&title=eq.b");
    assertThat(postgrest.journal("GET", "/tasks").get(0).body()).isEmpty();
    assertThat(postgrest.requestCount()).isEqualTo(3);
  }

  @Test
  void journalEntriesPrintWithoutCredentials() throws IOException {
    send("GET", "/tasks?select=id", null);

    assertThat(postgrest.journal().get(0).toString()).isEqualTo("1 GET /tasks?select=id")
        .doesNotContain("secret-anon-key").doesNotContain("eyJ");
  }

  @Test
  void clearingTheJournalStartsNumberingAgain() throws IOException {
    send("GET", "/x", null);
    postgrest.clearJournal();
    send("GET", "/y", null);

    assertThat(postgrest.journal()).extracting(MockPostgrestCall::sequence, MockPostgrestCall::path)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "/y"));
  }
}
