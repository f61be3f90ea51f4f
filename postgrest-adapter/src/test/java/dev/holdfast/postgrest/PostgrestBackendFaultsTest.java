package dev.holdfast.postgrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Filter;
import dev.holdfast.Holdfast;
import dev.holdfast.ManualScheduler;
import dev.holdfast.Repository;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.Table;
import dev.holdfast.UnknownOutcomeException;
import dev.holdfast.testkit.MockPostgrest;
import dev.holdfast.testkit.MockPostgrestCall;
import dev.holdfast.testkit.MockPostgrestFault;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real PostgrestBackend under the real Guard against MockPostgrest's scripted faults: what a read survives,
 * what a write must not repeat, and the attempts on the wire as MockPostgrest's journal saw them.
 */
class PostgrestBackendFaultsTest {
  record Task(Long id, String title, Boolean done) {}

  private static final Table<Task, Long> TASKS = Table.builder("tasks", Task.class, Long.class).build();

  private final ManualScheduler time = new ManualScheduler();
  private MockPostgrest postgrest;
  private Holdfast holdfast;
  private Repository<Task, Long> tasks;

  @BeforeEach
  void start() {
    postgrest = MockPostgrest.start();
    postgrest.seed(TASKS, List.of(new Task(1L, "write", false), new Task(2L, "test", true)));
    holdfast = Holdfast.builder(PostgrestBackend.create(PostgrestClient.builder(postgrest.url()).apiKey("anon")))
        .scheduler(time)
        .policy(ResiliencePolicy.builder().maxAttempts(4).attemptTimeout(Duration.ofSeconds(5))
            .withoutCircuitBreaker().withoutRetryBudget().build())
        .build();
    tasks = holdfast.repository(TASKS);
  }

  @AfterEach
  void stop() {
    holdfast.close();
    postgrest.close();
  }

  private List<String> faults(String method) {
    return postgrest.journal(method, "/tasks").stream().map(MockPostgrestCall::fault)
        .map(f -> f == null ? "served" : f).toList();
  }

  @Test
  void aReadWaitsOutServiceUnavailableForAsLongAsRetryAfterSaysAndSucceeds() {
    postgrest.faults().next(2, MockPostgrestFault.serviceUnavailable(Duration.ofSeconds(3)));

    assertThat(tasks.findById(1L)).contains(new Task(1L, "write", false));

    assertThat(faults("GET")).containsExactly("503 PGRST002", "503 PGRST002", "served");
    assertThat(time.sleeps()).hasSize(2).allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(3)));
    assertThat(postgrest.journal()).allSatisfy(c -> assertThat(c.header("apikey")).contains("anon"));
  }

  @Test
  void aReadIsRetriedAfterCloudflare520AndAfterAResetBeforeTheResponse() {
    postgrest.faults().next(1, MockPostgrestFault.cloudflare(520)).next(1, MockPostgrestFault.resetBeforeResponse());

    assertThat(tasks.count(Filter.eq("done", true))).isEqualTo(1);

    // count() asks with HEAD and Prefer: count=exact.
    assertThat(faults("HEAD")).containsExactly("Cloudflare 520", "reset before response", "served");
  }

  @Test
  void readsKeepWorkingWhenEveryOtherRequestFails() {
    postgrest.faults().on("GET", "/tasks").every(2, MockPostgrestFault.cloudflare(522));

    for (int i = 0; i < 5; i++) {
      assertThat(tasks.findById(2L)).map(Task::title).contains("test");
    }

    // The 2nd, 4th, ... request fails and its retry is the next, odd-numbered one.
    assertThat(faults("GET")).containsExactly("served", "Cloudflare 522", "served", "Cloudflare 522", "served",
        "Cloudflare 522", "served", "Cloudflare 522", "served");
  }

  @Test
  void anInsertWhoseAnswerIsCutMidBodyIsAnUnknownOutcomeAndIsNotRepeated() {
    postgrest.faults().on("POST", "/tasks").next(1, MockPostgrestFault.resetDuringBody());

    assertThatThrownBy(() -> tasks.insert(new Task(null, "maybe", false)))
        .isInstanceOf(UnknownOutcomeException.class);

    assertThat(faults("POST")).containsExactly("reset during body");
    // The insert did happen: exactly why the caller must not be told it failed, nor have it silently repeated.
    assertThat(tasks.count(Filter.eq("title", "maybe"))).isEqualTo(1);
  }

  @Test
  void anInsertRefusedWithServiceUnavailableNeverRanAndIsRetried() {
    postgrest.faults().on("POST", "/tasks").next(1, MockPostgrestFault.serviceUnavailable(Duration.ofSeconds(1)));

    Task saved = tasks.insert(new Task(null, "once", false));

    assertThat(saved.id()).isEqualTo(3L);
    assertThat(faults("POST")).containsExactly("503 PGRST002", "served");
    assertThat(tasks.count(Filter.eq("title", "once"))).isEqualTo(1);
    assertThat(Arrays.asList(postgrest.journal("POST", "/tasks").get(0).body(),
        postgrest.journal("POST", "/tasks").get(1).body())).allSatisfy(b -> assertThat(b).contains("\"once\""));
  }
}
