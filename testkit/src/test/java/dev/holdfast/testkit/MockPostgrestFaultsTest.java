package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each scripted fault as a client sees it on the wire, and recovery after it. */
class MockPostgrestFaultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType TYPE = MediaType.get("application/json");

  // No silent retries by OkHttp: every attempt the test makes is one request in the journal.
  private final OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
  private MockPostgrest postgrest;

  record Answer(int status, String body, Headers headers) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  @BeforeEach
  void start() {
    postgrest = MockPostgrest.start();
    postgrest.seedJson("tasks", "[{\"id\":1,\"title\":\"a\"},{\"id\":2,\"title\":\"b\"}]");
  }

  @AfterEach
  void stop() {
    postgrest.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private Answer send(OkHttpClient client, String method, String pathAndQuery, String body) throws IOException {
    Request request = new Request.Builder().url(postgrest.url() + pathAndQuery)
        .method(method, body == null ? null : RequestBody.create(body, TYPE))
        .header("apikey", "anon-key").header("Prefer", "return=representation").build();
    try (Response r = client.newCall(request).execute()) {
      return new Answer(r.code(), r.body().string(), r.headers());
    }
  }

  private Answer get() throws IOException {
    return send(http, "GET", "/tasks?select=id&order=id", null);
  }

  private List<String> titles() {
    return postgrest.database().select(new dev.holdfast.spi.TableRef("public", "tasks", "id", List.of()),
        dev.holdfast.Query.all()).stream().map(r -> r.get("title").asText()).toList();
  }

  @Test
  void serviceUnavailableAnswersPgrst002WithRetryAfterForTheNextNRequestsThenRecovers() throws IOException {
    postgrest.faults().next(2, MockPostgrestFault.serviceUnavailable(Duration.ofMillis(1500)));

    Answer first = send(http, "POST", "/tasks", "{\"title\":\"c\"}");
    Answer second = get();
    Answer third = get();

    assertThat(first.status()).isEqualTo(503);
    assertThat(first.json().get("code").asText()).isEqualTo("PGRST002");
    assertThat(first.json().get("message").asText())
        .isEqualTo("Could not query the database for the schema cache. Retrying.");
    assertThat(first.json().has("details")).isTrue();
    assertThat(first.json().has("hint")).isTrue();
    assertThat(first.headers().get("Retry-After")).isEqualTo("2");
    assertThat(first.headers().get("Proxy-Status")).isEqualTo("PostgREST; error=PGRST002");
    assertThat(first.headers().get("Content-Type")).startsWith("application/json");
    assertThat(second.status()).isEqualTo(503);
    assertThat(third.status()).isEqualTo(200);
    assertThat(third.body()).isEqualTo("[{\"id\":1}, \n {\"id\":2}]");
    assertThat(titles()).as("the refused insert never reached the database").containsExactly("a", "b");
    assertThat(postgrest.faults().pending()).isZero();
  }

  @Test
  void gatewayTimeoutAnswersPgrst003() throws IOException {
    postgrest.faults().next(1, MockPostgrestFault.gatewayTimeout());

    Answer answer = get();

    assertThat(answer.status()).isEqualTo(504);
    assertThat(answer.json().get("code").asText()).isEqualTo("PGRST003");
    assertThat(answer.json().get("message").asText()).isEqualTo("Timed out acquiring connection from connection pool.");
    assertThat(answer.headers().get("Proxy-Status")).isEqualTo("PostgREST; error=PGRST003");
    assertThat(answer.headers().get("Retry-After")).isNull();
    assertThat(get().status()).isEqualTo(200);
  }

  @Test
  void cloudflareErrorsAreHtmlPagesFromTheEdge() throws IOException {
    postgrest.faults().next(1, MockPostgrestFault.cloudflare(520)).next(1, MockPostgrestFault.cloudflare(522));

    Answer unknown = get();
    Answer timedOut = get();

    assertThat(unknown.status()).isEqualTo(520);
    assertThat(unknown.headers().get("Content-Type")).isEqualTo("text/html; charset=UTF-8");
    assertThat(unknown.headers().get("Server")).isEqualTo("cloudflare");
    assertThat(unknown.headers().get("CF-RAY")).isNotBlank();
    assertThat(unknown.headers().get("Proxy-Status")).isEqualTo("Cloudflare-Proxy;error=http_response_incomplete");
    assertThat(unknown.body()).startsWith("<!DOCTYPE html>").contains("<span class=\"cf-error-code\">520</span>");
    assertThat(timedOut.status()).isEqualTo(522);
    assertThat(timedOut.headers().get("Proxy-Status")).isEqualTo("Cloudflare-Proxy;error=connection_timeout");
    assertThat(timedOut.body()).contains("Connection timed out");
    assertThatThrownBy(() -> MockPostgrestFault.cloudflare(502)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void resetBeforeTheResponseIsAnIoExceptionAndTheWriteIsNotApplied() throws IOException {
    postgrest.faults().next(1, MockPostgrestFault.resetBeforeResponse());

    assertThatThrownBy(() -> send(http, "POST", "/tasks", "{\"title\":\"c\"}")).isInstanceOf(IOException.class);

    assertThat(titles()).containsExactly("a", "b");
    assertThat(get().status()).isEqualTo(200);
  }

  @Test
  void aResetAfterApplyingLosesTheAnswerButKeepsTheWrite() {
    postgrest.faults().next(1, MockPostgrestFault.resetBeforeResponse().afterApplying());

    assertThatThrownBy(() -> send(http, "POST", "/tasks", "{\"title\":\"c\"}")).isInstanceOf(IOException.class);

    assertThat(titles()).containsExactly("a", "b", "c");
    assertThat(postgrest.journal()).extracting(MockPostgrestCall::fault)
        .containsExactly("reset before response (after applying)");
  }

  @Test
  void resetDuringTheBodySendsStatusAndHeadersThenCutsTheBodyAfterApplyingTheRequest() throws IOException {
    postgrest.faults().on("POST", "/tasks").next(1, MockPostgrestFault.resetDuringBody());
    Request insert = new Request.Builder().url(postgrest.url() + "/tasks")
        .post(RequestBody.create("{\"title\":\"a long enough title to cut in half\"}", TYPE))
        .header("Prefer", "return=representation").build();

    try (Response response = http.newCall(insert).execute()) {
      assertThat(response.code()).isEqualTo(201);
      assertThatThrownBy(() -> response.body().string()).isInstanceOf(IOException.class);
    }

    assertThat(titles()).containsExactly("a", "b", "a long enough title to cut in half");
    assertThat(get().status()).isEqualTo(200);
  }

  @Test
  void resetDuringAnEmptyBodyCutsTheAnswerBeforeItsHeaders() {
    postgrest.faults().next(1, MockPostgrestFault.resetDuringBody());
    Request minimal = new Request.Builder().url(postgrest.url() + "/tasks")
        .post(RequestBody.create("{\"title\":\"c\"}", TYPE)).header("Prefer", "return=minimal").build();

    assertThatThrownBy(() -> http.newCall(minimal).execute().close()).isInstanceOf(IOException.class);

    assertThat(titles()).containsExactly("a", "b", "c");
  }

  @Test
  void aStallLongerThanTheClientsDeadlineIsATimeoutAndClosingTheServerEndsIt() throws IOException {
    postgrest.faults().next(1, MockPostgrestFault.stall(Duration.ofMinutes(5)));
    OkHttpClient impatient = http.newBuilder().readTimeout(Duration.ofMillis(200)).build();

    assertThatThrownBy(() -> send(impatient, "GET", "/tasks", null)).isInstanceOf(SocketTimeoutException.class);

    assertThat(send(impatient, "GET", "/tasks?select=id&order=id", null).body()).isEqualTo("[{\"id\":1}, \n {\"id\":2}]");
    assertThat(postgrest.journal()).extracting(MockPostgrestCall::fault).containsExactly("stall PT5M", null);
  }

  @Test
  void aTrickledBodyOutlastsACallDeadlineThoughEveryReadGetsDataInTime() throws IOException {
    postgrest.faults().next(1, MockPostgrestFault.trickle(1, Duration.ofMillis(50)));
    OkHttpClient deadline = http.newBuilder().readTimeout(Duration.ofSeconds(10))
        .callTimeout(Duration.ofMillis(300)).build();

    // 200 bytes at 1 byte per 50 ms would take 10 s; the 300 ms call deadline ends it.
    assertThatThrownBy(() -> send(deadline, "GET", "/tasks?select=id,title,pad:title&order=id&limit=2", null))
        .isInstanceOf(InterruptedIOException.class);

    assertThat(send(deadline, "GET", "/tasks?select=id&order=id", null).status()).isEqualTo(200);
  }

  @Test
  void faultsFilteredByMethodAndPathLeaveOtherRequestsAlone() throws IOException {
    postgrest.faults().on("post", "tasks").next(1, MockPostgrestFault.gatewayTimeout());
    postgrest.function("ping", args -> JSON.getNodeFactory().textNode("pong"));

    assertThat(get().status()).isEqualTo(200);
    assertThat(send(http, "POST", "/rpc/ping", "{}").status()).isEqualTo(200);
    assertThat(send(http, "POST", "/tasks", "{\"title\":\"c\"}").status()).isEqualTo(504);
    assertThat(send(http, "POST", "/tasks", "{\"title\":\"c\"}").status()).isEqualTo(201);
  }

  @Test
  void everyKthRequestFailsUntilTheScriptIsCleared() throws IOException {
    postgrest.faults().every(3, MockPostgrestFault.cloudflare(522));

    List<Integer> statuses = new java.util.ArrayList<>();
    for (int i = 0; i < 9; i++) {
      statuses.add(get().status());
    }
    postgrest.faults().clear();
    statuses.add(get().status());
    statuses.add(get().status());
    statuses.add(get().status());

    assertThat(statuses).containsExactly(200, 200, 522, 200, 200, 522, 200, 200, 522, 200, 200, 200);
  }

  @Test
  void aSeededFractionFailsTheSameRequestsOnEveryRun() throws IOException {
    List<Boolean> firstRun = faultedPattern(42L);
    List<Boolean> secondRun = faultedPattern(42L);
    java.util.Random expected = new java.util.Random(42L);

    assertThat(secondRun).isEqualTo(firstRun);
    for (boolean faulted : firstRun) {
      assertThat(faulted).isEqualTo(expected.nextDouble() < 0.3);
    }
    assertThat(firstRun).contains(true, false);
    assertThat(faultedPattern(7L)).isNotEqualTo(firstRun);
  }

  private List<Boolean> faultedPattern(long seed) throws IOException {
    postgrest.faults().clear();
    postgrest.clearJournal();
    postgrest.faults().randomly(0.3, seed, MockPostgrestFault.gatewayTimeout());
    for (int i = 0; i < 40; i++) {
      get();
    }
    return postgrest.journal().stream().map(MockPostgrestCall::faulted).toList();
  }

  @Test
  void headRequestsGetFaultsWithoutABodyAndTheConnectionStaysUsable() throws IOException {
    postgrest.faults().next(1, MockPostgrestFault.cloudflare(520));

    assertThat(send(http, "HEAD", "/tasks", null).status()).isEqualTo(520);
    assertThat(get().status()).isEqualTo(200);
  }

  @Test
  void rejectsMeaninglessScripts() {
    assertThatThrownBy(() -> postgrest.faults().next(-1, MockPostgrestFault.gatewayTimeout()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> postgrest.faults().every(0, MockPostgrestFault.gatewayTimeout()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> postgrest.faults().randomly(1.5, 1L, MockPostgrestFault.gatewayTimeout()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> postgrest.faults().next(1, null)).isInstanceOf(NullPointerException.class)
        .hasMessage("fault");
    assertThatThrownBy(() -> MockPostgrestFault.stall(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MockPostgrestFault.resetDuringBody().afterApplying())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> MockPostgrestFault.trickle(0, Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
    MockPostgrestFault applied = MockPostgrestFault.gatewayTimeout().afterApplying();
    assertThat(applied.afterApplying()).isSameAs(applied);
    assertThat(applied.appliesRequest()).isTrue();
  }
}
