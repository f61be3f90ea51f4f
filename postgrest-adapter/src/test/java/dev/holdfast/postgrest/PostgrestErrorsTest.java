package dev.holdfast.postgrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.holdfast.ConfigurationException;
import dev.holdfast.ConflictException;
import dev.holdfast.HoldfastException;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.SchemaMismatchException;
import dev.holdfast.TransientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;

class PostgrestErrorsTest extends WireFixture {
  private <T extends Throwable> T read(Class<T> type) {
    return catchThrowableOfType(type, () -> client.from("tasks").select("*").execute());
  }

  @Test
  void databaseUnreachableIsTransientAndProvesNothingWasSent() {
    server.enqueue(error(503, "PGRST001", "Database client error. Retrying the connection.", null, null).newBuilder()
        .setHeader("Retry-After", "3").build());

    TransientException e = read(TransientException.class);

    assertThat(e.requestSent()).isFalse();
    assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(3));
    assertThat(e.code()).hasValue("PGRST001");
    assertThat(e.httpStatus()).hasValue(503);
  }

  @Test
  void poolTimeoutIsTransientBeforeSending() {
    server.enqueue(error(504, "PGRST003", "Timed out acquiring connection from connection pool.", null, null));

    assertThat(read(TransientException.class).requestSent()).isFalse();
  }

  @Test
  void retryAfterAsHttpDateIsMeasuredFromTheClock() {
    client.close();
    Instant now = Instant.parse("2026-11-22T10:00:00Z");
    client = clientBuilder().clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    server.enqueue(error(503, "PGRST000", "Could not connect with the database", null, null).newBuilder()
        .setHeader("Retry-After", "Sun, 22 Nov 2026 10:00:45 GMT").build());

    assertThat(read(TransientException.class).retryAfter()).hasValue(Duration.ofSeconds(45));
  }

  @Test
  void badRequestCodesAreInvalidRequests() {
    server.enqueue(error(400, "PGRST100", "\"failed to parse filter (xx.1)\" (line 1, column 4)",
        "unexpected \"x\" expecting \"not\" or operator", null));

    InvalidRequestException e = read(InvalidRequestException.class);

    assertThat(e.getMessage()).contains("GET /tasks failed").contains("failed to parse filter");
  }

  @Test
  void unknownTableIsSchemaMismatchWithReloadHint() {
    server.enqueue(error(404, "PGRST205", "Could not find the table 'public.tasks' in the schema cache", null,
        "Perhaps you meant the table 'public.task'"));

    SchemaMismatchException e = read(SchemaMismatchException.class);

    assertThat(e.hint()).contains("public.task").contains("NOTIFY pgrst, 'reload schema'");
  }

  @Test
  void forwardedUndefinedTableIsSchemaMismatch() {
    server.enqueue(error(404, "42P01", "relation \"api.tasks\" does not exist", null, null));

    assertThat(read(SchemaMismatchException.class).code()).hasValue("42P01");
  }

  @Test
  void jwtErrorsAreConfigurationErrors() {
    server.enqueue(error(401, "PGRST301", "JWSError JWSInvalidSignature", null, null));

    ConfigurationException e = read(ConfigurationException.class);

    assertThat(e.httpStatus()).hasValue(401);
    assertThat(server.getRequestCount()).as("no token supplier, so no refresh").isEqualTo(1);
  }

  @Test
  void uniqueViolationIsConflictWithConstraint() {
    server.enqueue(error(409, "23505", "duplicate key value violates unique constraint \"tasks_pkey\"",
        "Key (id)=(1) already exists.", null));

    ConflictException e = catchThrowableOfType(ConflictException.class,
        () -> client.from("tasks").insert(row("{\"id\":1}")).execute());

    assertThat(e.constraint()).hasValue("tasks_pkey");
    assertThat(e.getMessage()).contains("Key (id)=(1) already exists.");
  }

  @Test
  void serializationFailureAndStatementTimeoutAreTransientAndKnownNotApplied() {
    server.enqueue(error(500, "40001", "could not serialize access due to concurrent update", null, null));
    server.enqueue(error(500, "57014", "canceling statement due to statement timeout", null, null));

    TransientException serialization = catchThrowableOfType(TransientException.class,
        () -> client.from("tasks").update(row("{\"done\":true}")).eq("id", 1).execute());
    TransientException timeout = catchThrowableOfType(TransientException.class,
        () -> client.from("tasks").insert(row("{\"id\":1}")).execute());

    // PostgreSQL rolled the transaction back, so even these writes may be sent again.
    assertThat(serialization.requestSent()).isFalse();
    assertThat(timeout.requestSent()).isFalse();
    assertThat(timeout.code()).hasValue("57014");
    assertThat(timeout.hint()).contains("statement_timeout");
  }

  @Test
  void cloudflareHtmlPagesAreClassifiedByStatusWithAnExcerpt() {
    String page = "<!DOCTYPE html><html><head><title>abc.supabase.co | 522: Connection timed out</title></head>"
        + "<body><h1>Connection timed out</h1>" + "x".repeat(5000) + "</body></html>";
    server.enqueue(new MockResponse.Builder().code(522).setHeader("Content-Type", "text/html").body(page).build());
    server.enqueue(new MockResponse.Builder().code(524).setHeader("Content-Type", "text/html")
        .body("<html><title>524: A timeout occurred</title></html>").build());

    TransientException notReached = read(TransientException.class);
    TransientException timedOut = read(TransientException.class);

    assertThat(notReached.requestSent()).isFalse();
    assertThat(notReached.getMessage()).contains("HTTP 522: abc.supabase.co | 522: Connection timed out")
        .hasSizeLessThan(400);
    assertThat(timedOut.requestSent()).isTrue();
  }

  @Test
  void proxyTextAndUnexpectedStatusesAreClassifiedByStatus() {
    server.enqueue(new MockResponse.Builder().code(502).body("upstream connect error or disconnect/reset").build());
    server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "2").body("slow down").build());
    server.enqueue(new MockResponse.Builder().code(403).body("{not json").build());
    server.enqueue(new MockResponse.Builder().code(418).body("").build());

    assertThat(read(TransientException.class).getMessage()).contains("upstream connect error");
    assertThat(read(TransientException.class).retryAfter()).hasValue(Duration.ofSeconds(2));
    assertThat(read(ConfigurationException.class).httpStatus()).hasValue(403);
    assertThat(read(InvalidRequestException.class).httpStatus()).hasValue(418);
  }

  @Test
  void successfulStatusWithHtmlBodyIsAConfigurationError() {
    server.enqueue(new MockResponse.Builder().code(200).body("<html><title>Welcome to nginx!</title></html>")
        .build());

    assertThat(read(ConfigurationException.class).getMessage()).contains("not JSON").contains("Welcome to nginx!");
  }

  @Test
  void connectionResetMidBodyIsTransientAfterSending() {
    server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Length", "1000")
        .body("[{\"id\":1},").onResponseBody(new SocketEffect.CloseSocket(true, false, false)).build());

    TransientException e = read(TransientException.class);

    assertThat(e.requestSent()).isTrue();
  }

  @Test
  void connectionRefusedIsTransientBeforeSending() throws Exception {
    MockWebServer dead = new MockWebServer();
    dead.start();
    String url = dead.url("/rest/v1").toString();
    dead.close();
    try (PostgrestClient refused = PostgrestClient.builder(url).apiKey(KEY).build()) {
      TransientException e = catchThrowableOfType(TransientException.class,
          () -> refused.from("t").insert(row("{\"id\":1}")).execute());

      assertThat(e.requestSent()).isFalse();
      assertThat(e.getMessage()).contains("failed to connect");
    }
  }

  @Test
  void slowBodyIsCutOffByTheRequestTimeout() {
    server.enqueue(new MockResponse.Builder().code(200).body("[" + "{\"id\":1},".repeat(200) + "{\"id\":2}]")
        .throttleBody(16, 1, TimeUnit.SECONDS).build());

    TransientException e = catchThrowableOfType(TransientException.class,
        () -> client.from("t").select("*").timeout(Duration.ofMillis(300)).execute());

    assertThat(e.getMessage()).contains("timed out after PT0.3S");
    assertThat(e.requestSent()).isTrue();
  }

  @Test
  void unknownServerErrorWithJsonIsNotRetryable() {
    server.enqueue(error(500, "XX000", "internal error", null, null));

    HoldfastException e = read(HoldfastException.class);

    assertThat(e).isExactlyInstanceOf(HoldfastException.class);
  }

  @Test
  void headErrorsWithoutBodyAreClassifiedFromProxyStatus() {
    server.enqueue(new MockResponse.Builder().code(503).setHeader("Proxy-Status", "PostgREST; error=PGRST001")
        .build());
    server.enqueue(new MockResponse.Builder().code(404).setHeader("Proxy-Status", "PostgREST; error=PGRST205")
        .build());

    TransientException unreachable = catchThrowableOfType(TransientException.class,
        () -> client.from("t").select("*").count(CountMode.EXACT).head().execute());
    SchemaMismatchException missing = catchThrowableOfType(SchemaMismatchException.class,
        () -> client.from("t").select("*").count(CountMode.EXACT).head().execute());

    assertThat(unreachable.requestSent()).isFalse();
    assertThat(unreachable.getMessage()).contains("HEAD /t failed: HTTP 503");
    assertThat(missing.code()).hasValue("PGRST205");
    assertThat(missing.hint()).contains("NOTIFY pgrst");
  }

  @Test
  void errorMessagesNeverShowTheKey() {
    server.enqueue(error(401, "PGRST302", "Anonymous access is disabled, apikey=" + KEY, null, null));

    assertThat(read(ConfigurationException.class).getMessage()).doesNotContain(KEY);
  }
}
