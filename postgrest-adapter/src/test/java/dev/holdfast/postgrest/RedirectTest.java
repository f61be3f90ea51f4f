package dev.holdfast.postgrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.holdfast.ConfigurationException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class RedirectTest extends WireFixture {
  private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLWJ5dGVz";

  private static MockResponse redirect(int status, String location) {
    return new MockResponse.Builder().code(status).setHeader("Location", location).build();
  }

  @Test
  void aRedirectToAnotherOriginIsRefusedAndTheOtherServerSeesNothing() throws Exception {
    try (MockWebServer elsewhere = new MockWebServer()) {
      elsewhere.start();
      client.close();
      client = clientBuilder().tokenSupplier(() -> TOKEN).build();
      String target = elsewhere.url("/steal?token=" + TOKEN).toString();
      server.enqueue(redirect(302, target));

      ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
          () -> client.from("tasks").select("*").execute());

      assertThat(e.getMessage()).contains("GET /tasks was redirected (HTTP 302) to another origin")
          .contains("http://" + elsewhere.getHostName() + ":" + elsewhere.getPort())
          .doesNotContain("steal").doesNotContain(TOKEN).doesNotContain(KEY);
      assertThat(e.hint()).contains(server.url("/rest/v1").toString());
      assertThat(e.httpStatus()).hasValue(302);
      assertThat(elsewhere.getRequestCount()).isZero();
      assertThat(server.getRequestCount()).isEqualTo(1);
    }
  }

  @Test
  void aRedirectToAnotherPortOfTheSameHostIsAnotherOrigin() throws Exception {
    try (MockWebServer otherPort = new MockWebServer()) {
      otherPort.start();
      server.enqueue(redirect(307, otherPort.url("/rest/v1/tasks").toString()));

      ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
          () -> client.from("tasks").insert(row("{\"id\":1}")).execute());

      assertThat(e.getMessage()).contains("POST /tasks").contains("another origin");
      assertThat(otherPort.getRequestCount()).isZero();
    }
  }

  @Test
  void aCallersOkHttpClientThatFollowsRedirectsStillNeverLeavesTheOrigin() throws Exception {
    OkHttpClient mine = new OkHttpClient.Builder().followRedirects(true).followSslRedirects(true).build();
    try (MockWebServer elsewhere = new MockWebServer()) {
      elsewhere.start();
      client.close();
      client = clientBuilder().okHttpClient(mine).build();
      server.enqueue(redirect(301, elsewhere.url("/x").toString()));

      catchThrowableOfType(ConfigurationException.class, () -> client.from("tasks").select("*").execute());

      assertThat(elsewhere.getRequestCount()).isZero();
      assertThat(mine.followRedirects()).as("the caller's own client is left as it was").isTrue();
    } finally {
      mine.dispatcher().executorService().shutdown();
      mine.connectionPool().evictAll();
    }
  }

  @Test
  void aSameOriginRedirectIsFollowedWithTheSameCredentialsAndBody() throws Exception {
    client.close();
    client = clientBuilder().tokenSupplier(() -> TOKEN).build();
    server.enqueue(redirect(308, "/rest/v1/tasks_v2?select=id"));
    server.enqueue(json(201, "[{\"id\":1}]"));

    PostgrestResponse response = client.from("tasks").insert(row("{\"title\":\"a\"}")).select("id").execute();

    assertThat(response.status()).isEqualTo(201);
    take();
    RecordedRequest followed = take();
    assertThat(followed.getMethod()).isEqualTo("POST");
    assertThat(followed.getUrl().encodedPath()).isEqualTo("/rest/v1/tasks_v2");
    assertThat(followed.getBody().utf8()).isEqualTo("{\"title\":\"a\"}");
    assertThat(followed.getHeaders().get("apikey")).isEqualTo(KEY);
    assertThat(followed.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(followed.getHeaders().get("Prefer")).isEqualTo("return=representation");
  }

  @Test
  void aFoundRedirectOfAReadIsFollowed() throws Exception {
    server.enqueue(redirect(302, server.url("/rest/v1/tasks/").toString()));
    server.enqueue(json(200, "[{\"id\":1}]"));

    assertThat(client.from("tasks").select("*").execute().rows()).hasSize(1);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aFoundRedirectOfAWriteIsNotTurnedIntoAGet() {
    server.enqueue(redirect(302, "/rest/v1/elsewhere"));

    ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
        () -> client.from("tasks").update(row("{\"done\":true}")).eq("id", 1).execute());

    assertThat(e.getMessage()).contains("would turn the PATCH into a GET");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aRedirectLoopEndsAfterFiveHops() {
    for (int i = 0; i < 10; i++) {
      server.enqueue(redirect(307, "/rest/v1/tasks"));
    }

    ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
        () -> client.from("tasks").select("*").timeout(Duration.ofSeconds(5)).execute());

    assertThat(e.getMessage()).contains("redirected more than 5 times");
    assertThat(server.getRequestCount()).isEqualTo(6);
  }

  @Test
  void aRedirectWithoutLocationIsAConfigurationError() throws Exception {
    server.enqueue(new MockResponse.Builder().code(301).build());

    assertThat(catchThrowableOfType(ConfigurationException.class, () -> client.from("t").select("*").execute())
        .getMessage()).contains("without a Location");
    assertThat(server.takeRequest(1, TimeUnit.SECONDS)).isNotNull();
  }
}
