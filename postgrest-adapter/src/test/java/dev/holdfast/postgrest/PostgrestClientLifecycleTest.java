package dev.holdfast.postgrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.ConfigurationException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class PostgrestClientLifecycleTest extends WireFixture {
  private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYXV0aGVudGljYXRlZCJ9.c2lnbmF0dXJl";

  @Test
  void toStringShowsTheUrlButMasksKeyAndToken() {
    try (PostgrestClient c = clientBuilder().tokenSupplier(() -> JWT).schema("api").build()) {
      assertThat(c.toString()).contains(server.url("/rest/v1").toString()).contains("schema=api")
          .doesNotContain(KEY).doesNotContain(JWT).contains("apiKey=****").contains("token=****");
    }
  }

  @Test
  void malformedBaseUrlFailsAtBuildWithTheUrlMasked() {
    assertThatThrownBy(() -> PostgrestClient.builder("htp://user:hunter2@host/rest/v1").build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("Invalid PostgREST base URL")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> PostgrestClient.builder("https://x.supabase.co/rest/v1?apikey=" + KEY).build())
        .isInstanceOf(ConfigurationException.class).hasMessageNotContaining(KEY);
  }

  @Test
  void closeIsIdempotentAndLaterRequestsFailClearly() {
    client.close();
    client.close();

    assertThatThrownBy(() -> client.from("t").select("*").execute()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThat(client.transport().http().dispatcher().executorService().isShutdown()).isTrue();
  }

  @Test
  void closeReleasesPooledConnections() {
    server.enqueue(json(200, "[]"));
    client.from("t").select("*").execute();
    assertThat(client.transport().http().connectionPool().connectionCount()).isEqualTo(1);

    client.close();

    assertThat(client.transport().http().connectionPool().connectionCount()).isZero();
  }

  @Test
  void leavesTheCallersOkHttpClientRunning() {
    OkHttpClient mine = new OkHttpClient();
    try {
      server.enqueue(json(200, "[]"));
      server.enqueue(json(200, "[]"));
      PostgrestClient borrowed = clientBuilder().okHttpClient(mine).build();
      borrowed.from("t").select("*").execute();

      borrowed.close();

      assertThat(mine.dispatcher().executorService().isShutdown()).isFalse();
      assertThat(mine.connectionPool().connectionCount()).isEqualTo(1);
      try (PostgrestClient again = clientBuilder().okHttpClient(mine).build()) {
        assertThat(again.from("t").select("*").execute().status()).isEqualTo(200);
      }
    } finally {
      mine.dispatcher().executorService().shutdown();
      mine.connectionPool().evictAll();
    }
  }

  @Test
  void twoHundredOpenUseCloseCyclesLeaveNoExtraThreads() throws Exception {
    cycle();
    Set<String> before = okHttpThreads();
    for (int i = 0; i < 200; i++) {
      cycle();
    }
    // OkHttp's shared task runner may keep an idle worker or two; clients must not add their own, and a
    // connection left open would keep one of MockWebServer's per-connection threads alive.
    assertThat(waitForThreadsToSettle(before.size() + 2)).hasSizeLessThanOrEqualTo(before.size() + 2);
  }

  private void cycle() {
    server.enqueue(json(200, "[{\"id\":1}]"));
    try (PostgrestClient c = clientBuilder().build()) {
      assertThat(c.from("t").select("*").execute().rows()).hasSize(1);
    }
  }

  private static Set<String> waitForThreadsToSettle(int bound) throws InterruptedException {
    Set<String> now = okHttpThreads();
    for (int i = 0; i < 100 && now.size() > bound; i++) {
      TimeUnit.MILLISECONDS.sleep(50);
      now = okHttpThreads();
    }
    return now;
  }

  private static Set<String> okHttpThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .filter(t -> t.getName().contains("OkHttp") || t.getName().contains("MockWebServer"))
        .map(t -> t.getName() + "#" + t.getId()).collect(Collectors.toSet());
  }
}
