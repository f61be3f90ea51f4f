package dev.holdfast.postgrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.Call;
import dev.holdfast.CallContext;
import dev.holdfast.ConfigurationException;
import dev.holdfast.DeadlineExceededException;
import dev.holdfast.Guard;
import dev.holdfast.HoldfastException;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.ManualScheduler;
import dev.holdfast.Query;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.TransientException;
import dev.holdfast.UnknownOutcomeException;
import dev.holdfast.Table;
import dev.holdfast.WriteMode;
import dev.holdfast.spi.TableMapping;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * Malformed answers, each ending in a typed holdfast exception within the call's time: a read may be retried; a
 * write that may have reached the server ends in {@link UnknownOutcomeException}.
 */
class MalformedResponseTest extends WireFixture {
  record Task(Long id, String title) {}

  private static final TableMapping<Task> TASKS = Table.builder("tasks", Task.class, Long.class).build().mapping();
  private static final Duration SHORT = Duration.ofMillis(400);

  private static MockResponse ok(String body) {
    return json(200, body);
  }

  private Throwable read() {
    return catchThrowable(() -> client.from("tasks").select("*").timeout(SHORT).execute());
  }

  private Throwable insertUnderGuard() {
    try (Guard guard = guard()) {
      return catchThrowable(() -> guard.call(Call.write("tasks.insert"),
          ctx -> PostgrestBackend.wrap(client).insert(ctx, TASKS, List.of(new Task(null, "a")),
              List.of("title"), WriteMode.CONFIRMED)));
    }
  }

  private static Guard guard() {
    return Guard.builder("postgrest").scheduler(new ManualScheduler()).random(() -> 0.5)
        .policy(ResiliencePolicy.builder().maxAttempts(3).deadline(Duration.ofSeconds(5))
            .attemptTimeout(SHORT).withoutCircuitBreaker().withoutRetryBudget().build()).build();
  }

  @Test
  void jsonCutOffMidArrayIsATransientReadThatTheGuardRetries() {
    server.enqueue(ok("[{\"id\":1,\"title\":\"a\"},{\"id\":2,"));
    server.enqueue(ok("[{\"id\":1,\"title\":\"a\"}]"));

    try (Guard guard = guard()) {
      List<Task> rows = guard.call(Call.read("tasks.find"),
          ctx -> PostgrestBackend.wrap(client).select(ctx, TASKS, Query.all()));

      assertThat(rows).hasSize(1);
      assertThat(server.getRequestCount()).isEqualTo(2);
    }
    server.enqueue(ok("[{\"id\":1},"));
    TransientException e = (TransientException) read();
    assertThat(e.requestSent()).isTrue();
    assertThat(e.getMessage()).contains("was cut off");
  }

  @Test
  void jsonCutOffAfterAWriteIsAnUnknownOutcome() {
    server.enqueue(json(201, "[{\"id\":1,\"title\":"));

    assertThat(insertUnderGuard()).isInstanceOf(UnknownOutcomeException.class)
        .hasMessageContaining("may or may not have been applied");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void htmlWithStatus200IsAConfigurationErrorOnAReadAndAnUnknownOutcomeOnAWrite() {
    String page = "<!doctype html><html><head><title>Captive portal</title></head><body>sign in</body></html>";
    server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html").body(page).build());
    server.enqueue(new MockResponse.Builder().code(201).setHeader("Content-Type", "text/html").body(page).build());

    assertThat(read()).isInstanceOf(ConfigurationException.class).hasMessageContaining("Captive portal");
    assertThat(insertUnderGuard()).isInstanceOf(UnknownOutcomeException.class)
        .satisfies(e -> assertThat(((HoldfastException) e).hint()).contains("base URL"));
  }

  @Test
  void malformedContentRangesGiveNoCount() {
    for (String range : List.of("abc", "0-1/-5", "*/99999999999999999999", "5-2/10", "-/-", "0-1/1.5")) {
      server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Range", range).build());
      assertThat(client.from("t").select("*").count(CountMode.EXACT).head().execute().count()).as(range).isEmpty();
      server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Range", range).build());
      assertThat(catchThrowable(() -> PostgrestBackend.wrap(client).count(CallContext.of("count", SHORT), TASKS.ref(),
          dev.holdfast.Filter.all()))).as(range).isExactlyInstanceOf(HoldfastException.class)
          .hasMessageContaining("without a count");
    }
  }

  @Test
  void aContentLengthThatNeverArrivesTimesOut() {
    server.enqueue(new MockResponse.Builder().code(200).body("[{\"id\":1}").setHeader("Content-Length", "1000000")
        .build());

    Throwable e = read();

    assertThat(e).isInstanceOf(TransientException.class).hasMessageContaining("timed out after PT0.4S");
    assertThat(((TransientException) e).requestSent()).isTrue();
  }

  @Test
  void aContentLengthTooLargeToBufferFailsAtOnce() {
    server.enqueue(new MockResponse.Builder().code(200).body("[]").setHeader("Content-Length", "99999999999")
        .build());

    assertThat(read()).isInstanceOf(TransientException.class).hasMessageContaining("failed after the request");
  }

  @Test
  void gzipGarbageIsATransportFailureAfterSending() {
    server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Encoding", "gzip")
        .setHeader("Content-Type", "application/json").body("this is not gzip at all").build());

    Throwable e = read();

    assertThat(e).isInstanceOf(TransientException.class);
    assertThat(((TransientException) e).requestSent()).isTrue();
  }

  @Test
  void aTenMegabyteLineOfTextIsAConfigurationErrorWithAShortMessage() {
    server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/plain")
        .body("x".repeat(10_000_000)).build());

    Throwable e = catchThrowable(() -> client.from("tasks").select("*").timeout(Duration.ofSeconds(20)).execute());

    assertThat(e).isInstanceOf(ConfigurationException.class);
    assertThat(e.getMessage()).hasSizeLessThan(600);
  }

  @Test
  void aTenMegabyteValueOnOneLineIsReadExactly() {
    String big = "y".repeat(10_000_000);
    server.enqueue(ok("[{\"id\":1,\"note\":\"" + big + "\"}]"));

    PostgrestResponse r = client.from("tasks").select("*").timeout(Duration.ofSeconds(20)).execute();

    assertThat(r.rows().get(0).get("note").textValue()).isEqualTo(big);
  }

  @Test
  void duplicateKeysAreRefusedRatherThanOneValueSilentlyLost() {
    server.enqueue(ok("[{\"id\":1,\"id\":2}]"));
    server.enqueue(json(201, "[{\"id\":1,\"title\":\"a\",\"title\":\"b\"}]"));

    assertThat(read()).isInstanceOf(InvalidRequestException.class).hasMessageContaining("duplicate key");
    assertThat(insertUnderGuard()).isInstanceOf(UnknownOutcomeException.class);
  }

  @Test
  void nestingTenThousandDeepExceedsTheReaderLimitsWithATypedError() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    server.enqueue(ok(deep));
    server.enqueue(json(201, "[{\"id\":1,\"title\":" + deep + "}]"));

    assertThat(read()).isExactlyInstanceOf(HoldfastException.class).hasMessageContaining("limits");
    assertThat(insertUnderGuard()).isInstanceOf(UnknownOutcomeException.class);
  }

  @Test
  void trailingGarbageAfterTheJsonIsNotIgnored() {
    server.enqueue(ok("[{\"id\":1}] <html>"));

    assertThat(read()).isInstanceOf(HoldfastException.class).isNotInstanceOf(UnknownOutcomeException.class);
  }

  @Test
  void aTrickleThatOutlastsTheDeadlineEndsWithinIt() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse.Builder().code(200).body("[" + "{\"id\":1},".repeat(400) + "{\"id\":2}]")
          .throttleBody(8, 100, TimeUnit.MILLISECONDS).build());
    }
    long start = System.nanoTime();
    try (Guard guard = Guard.builder("postgrest").scheduler(new ManualScheduler()).random(() -> 0.5)
        .policy(ResiliencePolicy.builder().maxAttempts(3).deadline(Duration.ofMillis(900))
            .attemptTimeout(Duration.ofMillis(300)).withoutCircuitBreaker().withoutRetryBudget().build())
        .build()) {
      Throwable e = catchThrowable(() -> guard.call(Call.read("tasks.find"),
          ctx -> PostgrestBackend.wrap(client).select(ctx, TASKS, Query.all())));

      assertThat(e).isInstanceOfAny(TransientException.class, DeadlineExceededException.class);
    }
    // A liveness bound, not a speed assertion: the trickle alone would take over a minute.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void emptyAndNullBodiesOfAReadAreErrorsNotNoRows() {
    server.enqueue(ok(""));
    server.enqueue(ok("null"));
    server.enqueue(ok("  \n"));

    for (int i = 0; i < 3; i++) {
      assertThat(read()).isInstanceOf(TransientException.class).hasMessageContaining("never answers to a read");
    }
  }

  /**
   * The backend reads rows straight into records with the streaming parser, the client builds trees: every
   * unusable body must end in the same typed failure on both, and with the same reason.
   */
  @Test
  void theBackendsRecordReaderClassifiesEveryUnusableBodyAsTheClientDoes() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    List<MockResponse> bodies = List.of(ok("[{\"id\":1,\"title\":\"a\"},{\"id\":2,"), ok("[{\"id\":1,\"title\":\"a"),
        ok("[{\"id\":1}"), ok("{\"id\":1,"), ok("[{\"id\":1,\"id\":2}]"), ok(deep), ok("[{\"id\":1}] <html>"),
        ok("[{\"id\":1}] [{\"id\":2}]"), ok(""), ok("null"), ok(" \n"), ok("[{\"id\":1,\"title\":tru}]"),
        new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
            .body("<html><title>Captive portal</title></html>").build());
    PostgrestBackend backend = PostgrestBackend.wrap(client);
    for (MockResponse body : bodies) {
      server.enqueue(body);
      Throwable viaClient = read();
      server.enqueue(body);
      Throwable viaRecords = catchThrowable(() -> backend.select(new CallContext("tasks.find", 1, SHORT), TASKS,
          Query.all()));

      assertThat(viaRecords).as(body.getBody() == null ? "no body" : body.getBody().toString())
          .isExactlyInstanceOf(viaClient.getClass());
      // The same reason; the parser's own words in parentheses may differ (a tree reader names ObjectNode).
      assertThat(viaRecords.getMessage()).startsWith(viaClient.getMessage().split(" \\(")[0]);
    }
  }

  @Test
  void aRowThatDoesNotMapIsASchemaMismatchNamingTheColumn() {
    server.enqueue(ok("[{\"id\":1,\"title\":\"a\"},{\"id\":\"two\",\"title\":\"b\"}]"));

    Throwable e = catchThrowable(() -> PostgrestBackend.wrap(client).select(new CallContext("tasks.find", 1, SHORT),
        TASKS, Query.all()));

    assertThat(e).isInstanceOf(dev.holdfast.SchemaMismatchException.class).hasMessageContaining("Task")
        .hasMessageContaining("two");
  }

  @Test
  void aFunctionMayAnswerNullOrNothing() {
    server.enqueue(ok("null"));
    server.enqueue(new MockResponse.Builder().code(204).build());

    assertThat(client.rpc("f", null).execute().body().isNull()).isTrue();
    assertThat(client.rpc("g", null).execute().body().isMissingNode()).isTrue();
  }

  @Test
  void retryAfterAsDateNegativeOrAbsurdNeverEscapesAsARawException() throws Exception {
    Instant now = Instant.parse("2026-11-22T10:00:00Z");
    client.close();
    client = clientBuilder().clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    List<String> values = List.of("Sun, 22 Nov 2026 10:00:45 GMT", "-5", "99999999999999999999", "0",
        "2147483648", "soon");
    List<Supplier<Object>> expected = List.of(() -> Duration.ofSeconds(45), () -> null, () -> Duration.ofHours(1),
        () -> Duration.ZERO, () -> Duration.ofHours(1), () -> null);
    for (int i = 0; i < values.size(); i++) {
      server.enqueue(error(503, "PGRST001", "Database client error", null, null).newBuilder()
          .setHeader("Retry-After", values.get(i)).build());
      TransientException e = catchThrowableOfType(TransientException.class,
          () -> client.from("t").insert(row("{\"id\":1}")).execute());
      assertThat(e.retryAfter().orElse(null)).as(values.get(i)).isEqualTo(expected.get(i).get());
    }
    // OkHttp re-sends on a 503 with Retry-After: 0 unless holdfast hides the header: every value was one request.
    assertThat(server.getRequestCount()).isEqualTo(values.size());
  }

  @Test
  void a503WithoutPostgrestBodyKeepsItsRetryAfter() {
    server.enqueue(new MockResponse.Builder().code(503).setHeader("Retry-After", "7").body(new Buffer()
        .writeUtf8("Service Unavailable")).build());

    assertThat(catchThrowableOfType(TransientException.class, () -> client.from("t").select("*").execute())
        .retryAfter()).hasValue(Duration.ofSeconds(7));
  }
}
