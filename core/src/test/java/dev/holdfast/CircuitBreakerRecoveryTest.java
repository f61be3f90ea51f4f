package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.IntNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** How an open breaker finds out the backend is back: a growing open delay, trial calls, and the probe. */
class CircuitBreakerRecoveryTest {
  private static final CircuitBreakerSettings OPENS_AT_ONCE = CircuitBreakerSettings.defaults()
      .withFailureThreshold(1, 1);

  private final ManualScheduler time = new ManualScheduler();
  private final RecordingListener events = new RecordingListener();
  /** What the probe answers; counts how often it ran. */
  private final AtomicReference<HealthReport.Status> health = new AtomicReference<>(HealthReport.Status.DOWN);
  private final AtomicInteger probes = new AtomicInteger();

  private final HealthCheck probe = timeout -> {
    probes.incrementAndGet();
    return new HealthReport(health.get(), Duration.ZERO, "fake", Map.of());
  };

  private Guard guard(CircuitBreakerSettings breaker, boolean withProbe) {
    Guard.Builder b = Guard.builder("db").scheduler(time).random(() -> 0.5).listener(events)
        .policy(ResiliencePolicy.builder().maxAttempts(1).withoutRetryBudget().circuitBreaker(breaker).build());
    return (withProbe ? b.healthCheck(probe) : b).build();
  }

  private static void fail(Guard guard) {
    assertThatThrownBy(() -> guard.call(Call.read("find"), ctx -> {
      throw Failures.sent("down");
    })).isInstanceOf(TransientException.class);
  }

  private static String succeed(Guard guard) {
    return guard.call(Call.read("find"), ctx -> "ok");
  }

  private List<Duration> openDelays() {
    return events.of(GuardEvent.CircuitOpened.class).stream().map(GuardEvent.CircuitOpened::openFor).toList();
  }

  @Test
  void theOpenDelayStartsShortAndDoublesWithEachFailedTrialUpToItsCap() {
    Guard guard = guard(OPENS_AT_ONCE.withOpenDelay(Duration.ofMillis(100), Duration.ofMillis(700)).withoutProbe(),
        false);
    fail(guard);
    for (int i = 0; i < 4; i++) {
      time.advance(guard.circuitState() == CircuitState.OPEN ? openDelays().get(i) : Duration.ZERO);
      fail(guard);
    }

    assertThat(openDelays()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
        Duration.ofMillis(700), Duration.ofMillis(700));
  }

  @Test
  void aSuccessfulTrialClosesItAndTheNextOpeningStartsShortAgain() {
    Guard guard = guard(OPENS_AT_ONCE.withoutProbe(), false);
    fail(guard);
    time.advance(Duration.ofMillis(100));
    fail(guard);
    time.advance(Duration.ofMillis(200));

    assertThat(succeed(guard)).isEqualTo("ok");
    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED);
    fail(guard);

    assertThat(openDelays()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(100));
  }

  @Test
  void theProbeClosesTheBreakerAsSoonAsTheBackendAnswersHoweverLongTheDelayGrew() {
    Guard guard = guard(OPENS_AT_ONCE.withOpenDelay(Duration.ofSeconds(30), Duration.ofSeconds(30))
        .withProbe(Duration.ofMillis(500)), true);
    fail(guard);
    time.advance(Duration.ofMillis(1_600));
    assertThat(probes).as("probes while the backend is down").hasValue(3);
    assertThat(guard.circuitState()).isEqualTo(CircuitState.OPEN);
    assertThatThrownBy(() -> succeed(guard)).isInstanceOf(CircuitOpenException.class)
        .hasMessageContaining("next trial call in 28.4 s at the latest");

    health.set(HealthReport.Status.UP);
    time.advance(Duration.ofMillis(400));

    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED);
    assertThat(events.names()).containsSubsequence("CircuitOpened", "CircuitClosed");
    assertThat(succeed(guard)).isEqualTo("ok");
    assertThat(time.pendingTasks()).as("the probe stops once the breaker is closed").isZero();
    assertThat(probes).hasValue(4);
  }

  @Test
  void theProbeGoesOnWhileATrialHangsAndClosesTheBreakerWhenTheBackendAnswers() {
    Guard guard = guard(OPENS_AT_ONCE.withOpenDelay(Duration.ofMillis(100), Duration.ofSeconds(30))
        .withProbe(Duration.ofMillis(500)), true);
    fail(guard);
    time.advance(Duration.ofMillis(100));
    AtomicReference<CircuitState> duringTrial = new AtomicReference<>();
    AtomicReference<String> other = new AtomicReference<>();

    String trial = guard.call(Call.read("trial"), ctx -> {
      // The trial hangs (a pool waiting for a connection) while the backend comes back and the probe sees it.
      health.set(HealthReport.Status.DEGRADED);
      time.advance(Duration.ofMillis(500));
      duringTrial.set(guard.circuitState());
      other.set(succeed(guard));
      return "trial";
    });

    assertThat(trial).isEqualTo("trial");
    assertThat(duringTrial.get()).isEqualTo(CircuitState.CLOSED);
    assertThat(other.get()).as("a call made while the trial still hung").isEqualTo("ok");
  }

  @Test
  void aBackendThatAnswersTheProbeButFailsCallsOpensItAgainAndIsProbedAgain() {
    Guard guard = guard(OPENS_AT_ONCE.withOpenDelay(Duration.ofSeconds(10), Duration.ofSeconds(30))
        .withProbe(Duration.ofMillis(500)), true);
    health.set(HealthReport.Status.UP);
    fail(guard);
    time.advance(Duration.ofMillis(500));
    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED);

    fail(guard);

    assertThat(guard.circuitState()).isEqualTo(CircuitState.OPEN);
    assertThat(openDelays()).as("a close resets the delay").containsExactly(Duration.ofSeconds(10),
        Duration.ofSeconds(10));
    time.advance(Duration.ofMillis(500));
    assertThat(probes).hasValue(2);
    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aProbeThatThrowsCountsAsDown() {
    Guard guard = Guard.builder("db").scheduler(time).healthCheck(timeout -> {
      throw new IllegalStateException("broken probe");
    }).policy(ResiliencePolicy.builder().maxAttempts(1).circuitBreaker(OPENS_AT_ONCE
        .withOpenDelay(Duration.ofSeconds(5), Duration.ofSeconds(5))).build()).build();
    fail(guard);

    time.advance(Duration.ofSeconds(2));

    assertThat(guard.circuitState()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void withoutAHealthCheckOnlyTrialCallsEndTheOpenState() {
    Guard guard = guard(OPENS_AT_ONCE.withOpenDelay(Duration.ofSeconds(5), Duration.ofSeconds(5)), false);
    fail(guard);

    time.advance(Duration.ofSeconds(4));

    assertThat(time.pendingTasks()).isZero();
    assertThat(guard.circuitState()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void closingTheGuardStopsThePendingProbe() {
    Guard guard = guard(OPENS_AT_ONCE, true);
    fail(guard);
    assertThat(time.pendingTasks()).isEqualTo(1);

    guard.close();
    time.advance(Duration.ofSeconds(5));

    assertThat(time.pendingTasks()).isZero();
    assertThat(probes).hasValue(0);
  }

  @Test
  void halfOpenLetsTheConfiguredNumberOfTrialsThroughAndTheRestFailFast() {
    Guard guard = guard(OPENS_AT_ONCE.withTrialCalls(2, 3).withOpenDelay(Duration.ofSeconds(1),
        Duration.ofSeconds(1)).withoutProbe(), false);
    fail(guard);
    time.advance(Duration.ofSeconds(1));
    AtomicReference<Object> second = new AtomicReference<>();
    AtomicReference<Object> third = new AtomicReference<>();
    AtomicReference<Throwable> fourth = new AtomicReference<>();

    guard.call(Call.read("trial 1"), ctx -> guard.call(Call.read("trial 2"), c2 -> {
      second.set("in");
      return guard.call(Call.read("trial 3"), c3 -> {
        third.set("in");
        fourth.set(catchThrowable(() -> succeed(guard)));
        return "ok";
      });
    }));

    assertThat(second.get()).isEqualTo("in");
    assertThat(third.get()).isEqualTo("in");
    assertThat(fourth.get()).isInstanceOf(CircuitOpenException.class)
        .hasMessageContaining("trial calls are in progress");
    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void theOldFourArgumentSettingsKeepAFixedDelayWithoutAProbe() {
    CircuitBreakerSettings fixed = new CircuitBreakerSettings(5, 10, Duration.ofSeconds(2), 1);

    assertThat(fixed.maxOpenDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(fixed.trialCalls()).isEqualTo(1);
    assertThat(fixed.probeInterval()).isZero();
    assertThatThrownBy(() -> fixed.withOpenDelay(Duration.ofSeconds(3), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fixed.withTrialCalls(2, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSafeReadServedFromLastKnownGoodWhileTheBreakerIsOpenSaysSo() {
    KvBackend backend = new KvBackend().put("banner", 7);
    try (Holdfast db = Holdfast.builder(backend).scheduler(time).listener(events)
        .policy(ResiliencePolicy.builder().circuitBreaker(OPENS_AT_ONCE.withOpenDelay(Duration.ofSeconds(2),
            Duration.ofSeconds(2)).withoutProbe()).build())
        .safePolicy(ResiliencePolicy.builder().maxAttempts(1).build()).build()) {
      SafeKeyValueStore settings = db.safeKeyValueStore("settings")
          .withLastKnownGood(LastKnownGood.of(10, Duration.ofMinutes(1)));
      settings.safeGet("banner", IntNode.valueOf(0));
      backend.failNext(1, KvBackend::connectionReset);
      settings.safeGet("banner", IntNode.valueOf(0));
      int callsBefore = backend.calls.size();

      SafeResult<com.fasterxml.jackson.databind.JsonNode> served = settings.safeGet("banner", IntNode.valueOf(0));

      assertThat(backend.calls).as("nothing was sent").hasSize(callsBefore);
      assertThat(served.source()).isEqualTo(SafeResult.Source.LAST_KNOWN_GOOD);
      assertThat(served.value()).isEqualTo(IntNode.valueOf(7));
      assertThat(served.circuitOpen()).isTrue();
      assertThat(((CircuitOpenException) served.error().orElseThrow()).nextTrialIn()).isEqualTo(Duration.ofSeconds(2));
      assertThat(served.toString()).contains("LAST_KNOWN_GOOD", "value=7", "circuit open", "next trial call in 2 s");
      assertThat(events.of(GuardEvent.SafeResultServed.class).get(2).error())
          .isInstanceOf(CircuitOpenException.class);
    }
  }
}
