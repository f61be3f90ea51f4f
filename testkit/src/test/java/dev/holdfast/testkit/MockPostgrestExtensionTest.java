package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

@ExtendWith(MockPostgrestExtension.class)
class MockPostgrestExtensionTest {
  private static final OkHttpClient HTTP = new OkHttpClient.Builder().retryOnConnectionFailure(false)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private MockPostgrest fromBeforeEach;

  @BeforeEach
  void seed(MockPostgrest postgrest) {
    fromBeforeEach = postgrest;
    postgrest.seedJson("tasks", "[{\"title\":\"seeded\"}]");
  }

  static int status(MockPostgrest postgrest, String pathAndQuery) throws IOException {
    try (Response r = HTTP.newCall(new Request.Builder().url(postgrest.url() + pathAndQuery).build()).execute()) {
      return r.code();
    }
  }

  @Test
  void injectsOneServerPerTestIntoLifecycleMethodsAndTheTest(MockPostgrest postgrest, InMemoryDatabase database)
      throws IOException {
    assertThat(postgrest).isSameAs(fromBeforeEach);
    assertThat(database).isSameAs(postgrest.database());
    assertThat(status(postgrest, "/tasks?title=eq.seeded")).isEqualTo(200);
    assertThat(status(postgrest, "/unknown")).isEqualTo(404);
  }

  @Test
  void closesEachTestsServerWhenTheTestEndsAndNeverSharesIt() {
    Fixture.SEEN.clear();

    TestExecutionSummary summary = RunTests.run(Fixture.class);

    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(Fixture.SEEN).hasSize(2);
    assertThat(Fixture.SEEN.get(0)).isNotSameAs(Fixture.SEEN.get(1));
    for (MockPostgrest closed : Fixture.SEEN) {
      assertThatThrownBy(() -> status(closed, "/tasks")).isInstanceOf(IOException.class);
    }
  }

  /** Run by the test above: each test sees an empty database, whatever the other one wrote. */
  @ExtendWith(MockPostgrestExtension.class)
  static class Fixture {
    static final List<MockPostgrest> SEEN = new CopyOnWriteArrayList<>();

    @Test
    void first(MockPostgrest postgrest) {
      check(postgrest);
    }

    @Test
    void second(MockPostgrest postgrest) {
      check(postgrest);
    }

    private static void check(MockPostgrest postgrest) {
      SEEN.add(postgrest);
      assertThat(postgrest.database().hasTable("public", "tasks")).isFalse();
      postgrest.seedJson("tasks", "{\"title\":\"mine\"}");
    }

    @AfterEach
    void stillOpenDuringAfterEach(MockPostgrest postgrest) throws IOException {
      assertThat(status(postgrest, "/tasks")).isEqualTo(200);
    }
  }
}
