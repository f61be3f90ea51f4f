package dev.holdfast.postgrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.holdfast.Effect;
import dev.holdfast.Guard;
import dev.holdfast.ManualScheduler;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.UnknownOutcomeException;
import java.time.Duration;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GuardedRequestTest extends WireFixture {
  private final ManualScheduler time = new ManualScheduler();
  private Guard guard;

  @BeforeEach
  void startGuard() {
    guard = Guard.builder("postgrest").scheduler(time).random(() -> 0.5)
        .policy(ResiliencePolicy.builder().maxAttempts(3).attemptTimeout(Duration.ofSeconds(1))
            .withoutCircuitBreaker().withoutRetryBudget().build())
        .build();
  }

  @AfterEach
  void stopGuard() {
    guard.close();
  }

  private static MockResponse badGateway() {
    return new MockResponse.Builder().code(502).body("bad gateway").build();
  }

  @Test
  void readsAreRetriedOnTransientFailures() {
    server.enqueue(badGateway());
    server.enqueue(json(200, "[{\"id\":1}]"));

    PostgrestResponse response = client.from("t").select("*").execute(guard, "t.read");

    assertThat(response.rows()).hasSize(1);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void upsertsAreRetriedButInsertsAfterSendingAreNot() {
    server.enqueue(badGateway());
    server.enqueue(json(200, "[]"));
    server.enqueue(badGateway());

    client.from("t").upsert(row("{\"id\":1}")).onConflict("id").execute(guard, "t.upsert");
    assertThat(server.getRequestCount()).isEqualTo(2);

    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> client.from("t").insert(row("{\"id\":2}")).execute(guard, "t.insert"))
        .isInstanceOf(UnknownOutcomeException.class);
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void eachAttemptCarriesTheAttemptTimeout() {
    server.enqueue(new MockResponse.Builder().code(200).body("[]").headersDelay(5, java.util.concurrent.TimeUnit.SECONDS)
        .build());
    server.enqueue(new MockResponse.Builder().code(200).body("[]").headersDelay(5, java.util.concurrent.TimeUnit.SECONDS)
        .build());
    server.enqueue(json(200, "[{\"id\":1}]"));

    PostgrestResponse response = client.from("t").select("*").execute(guard, "t.read");

    assertThat(response.rows()).hasSize(1);
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void aContextWithNoTimeLeftSendsNothing() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.from("t").insert(row("{}"))
        .execute(dev.holdfast.CallContext.of("t.insert", Duration.ZERO)))
        .isInstanceOf(dev.holdfast.DeadlineExceededException.class);

    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void effectFollowsWhatRepeatingTheRequestWouldDo() {
    assertThat(client.from("t").select("*").effect()).isEqualTo(Effect.READ);
    assertThat(client.rpc("f", null).get().effect()).isEqualTo(Effect.READ);
    assertThat(client.rpc("f", null).effect()).isEqualTo(Effect.WRITE);
    assertThat(client.from("t").upsert(row("{}")).effect()).isEqualTo(Effect.IDEMPOTENT_WRITE);
    assertThat(client.from("t").insert(row("{}")).effect()).isEqualTo(Effect.WRITE);
    assertThat(client.from("t").delete().eq("id", 1).effect()).isEqualTo(Effect.WRITE);
  }
}
