package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private static final Duration OPEN_DELAY = Duration.ofSeconds(10);

  private final ManualScheduler time = new ManualScheduler();
  private final RecordingListener events = new RecordingListener();

  private Guard guard(int maxAttempts, CircuitBreakerSettings breaker) {
    return Guard.builder("test").scheduler(time).random(() -> 0.5).listener(events)
        .policy(ResiliencePolicy.builder().maxAttempts(maxAttempts).circuitBreaker(breaker).withoutRetryBudget()
            .build())
        .build();
  }

  private Guard guard(int successThreshold) {
    return guard(1, new CircuitBreakerSettings(2, 4, OPEN_DELAY, successThreshold));
  }

  private static void fail(Guard guard) {
    assertThatThrownBy(() -> guard.call(Call.read("find"), ctx -> {
      throw Failures.sent("down");
    })).isInstanceOf(TransientException.class);
  }

  private static String succeed(Guard guard) {
    return guard.call(Call.read("find"), ctx -> "ok");
  }

  @Test
  void opensAfterTheThresholdThenRejectsWithoutSendingAnything() {
    Guard guard = guard(1);
    fail(guard);
    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED);
    fail(guard);
    assertThat(guard.circuitState()).isEqualTo(CircuitState.OPEN);

    ScriptedAttempt<String> attempt = ScriptedAttempt.returning("ok");
    time.advance(Duration.ofSeconds(4));
    Throwable thrown = catchThrowable(() -> guard.call(Call.read("find"), attempt));

    assertThat(thrown).isInstanceOf(CircuitOpenException.class).hasMessageContaining("next trial call in 6 s");
    assertThat(((HoldfastException) thrown).attempts()).isZero();
    assertThat(((HoldfastException) thrown).code()).contains("HF_CIRCUIT_OPEN");
    assertThat(attempt.attempts()).isZero();
    assertThat(events.of(GuardEvent.CircuitOpened.class))
        .containsExactly(new GuardEvent.CircuitOpened("test", OPEN_DELAY));
  }

  @Test
  void goesHalfOpenOnTheInjectedClockAndClosesAfterASuccessfulTrial() {
    Guard guard = guard(1);
    fail(guard);
    fail(guard);

    time.advance(OPEN_DELAY.minusMillis(1));
    assertThat(guard.circuitState()).isEqualTo(CircuitState.OPEN);
    time.advance(Duration.ofMillis(1));
    assertThat(guard.circuitState()).isEqualTo(CircuitState.HALF_OPEN);

    assertThat(succeed(guard)).isEqualTo("ok");
    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED);
    assertThat(events.names()).containsSubsequence("CircuitOpened", "CircuitHalfOpened", "CircuitClosed");
  }

  @Test
  void aFailedTrialOpensItAgainForAFullDelay() {
    Guard guard = guard(1);
    fail(guard);
    fail(guard);
    time.advance(OPEN_DELAY);

    fail(guard);
    assertThat(guard.circuitState()).isEqualTo(CircuitState.OPEN);
    time.advance(OPEN_DELAY.minusSeconds(1));
    assertThatThrownBy(() -> succeed(guard)).isInstanceOf(CircuitOpenException.class);
    time.advance(Duration.ofSeconds(1));
    assertThat(succeed(guard)).isEqualTo("ok");
    assertThat(events.names().stream().filter(n -> n.startsWith("Circuit")).toList()).containsExactly(
        "CircuitOpened", "CircuitHalfOpened", "CircuitOpened", "CircuitHalfOpened", "CircuitClosed");
  }

  @Test
  void halfOpenLetsOnlyTheTrialCallsThrough() {
    Guard guard = guard(1);
    fail(guard);
    fail(guard);
    time.advance(OPEN_DELAY);
    AtomicReference<Throwable> concurrent = new AtomicReference<>();

    String result = guard.call(Call.read("trial"), ctx -> {
      concurrent.set(catchThrowable(() -> succeed(guard)));
      return "trial ok";
    });

    assertThat(result).isEqualTo("trial ok");
    assertThat(concurrent.get()).isInstanceOf(CircuitOpenException.class)
        .hasMessageContaining("trial calls are in progress");
    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void needsSuccessThresholdTrialsInARowToClose() {
    Guard guard = guard(2);
    fail(guard);
    fail(guard);
    time.advance(OPEN_DELAY);

    succeed(guard);
    assertThat(guard.circuitState()).isEqualTo(CircuitState.HALF_OPEN);
    fail(guard);
    assertThat(guard.circuitState()).isEqualTo(CircuitState.OPEN);

    time.advance(OPEN_DELAY);
    succeed(guard);
    succeed(guard);
    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void nonTransientFailuresNeverOpenIt() {
    Guard guard = guard(1);
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> guard.call(Call.read("find"), ctx -> {
        throw Failures.conflict();
      })).isInstanceOf(ConflictException.class);
    }
    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void onlyTheLastWindowOfCallsCounts() {
    Guard guard = guard(1);
    fail(guard);
    succeed(guard);
    succeed(guard);
    succeed(guard);
    succeed(guard);
    fail(guard);
    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aRetryStopsWhenTheBreakerOpensUnderIt() {
    Guard guard = guard(5, new CircuitBreakerSettings(2, 2, OPEN_DELAY, 1));
    TransientException first = Failures.sent("first");
    TransientException second = Failures.sent("second");
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("never").thenFail(first).thenFail(second);

    Throwable thrown = catchThrowable(() -> guard.call(Call.read("find"), attempt));

    assertThat(thrown).isInstanceOf(CircuitOpenException.class).hasCause(second);
    assertThat(((HoldfastException) thrown).attempts()).isEqualTo(2);
    assertThat(thrown.getSuppressed()).containsExactly(first);
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(50));
  }

  @Test
  void callsWithAPolicyOverrideShareTheGuardsBreaker() {
    Guard guard = guard(1);
    ResiliencePolicy override = ResiliencePolicy.builder().maxAttempts(1).withoutCircuitBreaker().build();
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> guard.call(Call.read("find").withPolicy(override), ctx -> {
        throw Failures.sent("down");
      })).isInstanceOf(TransientException.class);
    }
    assertThat(guard.circuitState()).isEqualTo(CircuitState.OPEN);
    assertThatThrownBy(() -> guard.call(Call.read("find").withPolicy(override), ctx -> "ok"))
        .isInstanceOf(CircuitOpenException.class);
  }

  @Test
  void aTrialAnsweredWithANonTransientFailureCountsAsTheBackendAnswering() {
    Guard guard = guard(1);
    fail(guard);
    fail(guard);
    time.advance(OPEN_DELAY);

    assertThatThrownBy(() -> guard.call(Call.read("find"), ctx -> {
      throw Failures.conflict();
    })).isInstanceOf(ConflictException.class);

    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void listenersHearTheBreakerOpenBetweenTheFailureAndGivingUp() {
    Guard guard = guard(1);
    fail(guard);
    fail(guard);

    assertThat(events.names()).containsExactly("CallStarted", "AttemptStarted", "AttemptFailed", "CallFailed",
        "CallStarted", "AttemptStarted", "AttemptFailed", "CircuitOpened", "CallFailed");
  }

  @Test
  void asyncCallsShareTheBreakerAndAreRejectedWhileItIsOpen() {
    Guard guard = guard(1);
    fail(guard);
    fail(guard);
    ScriptedAttempt<String> attempt = ScriptedAttempt.returning("ok");

    var rejected = guard.callAsync(Call.read("find"), attempt);

    assertThat(catchThrowable(rejected::join)).hasCauseInstanceOf(CircuitOpenException.class);
    assertThat(attempt.attempts()).isZero();
    time.advance(OPEN_DELAY);
    assertThat(guard.callAsync(Call.read("find"), attempt)).isCompletedWithValue("ok");
    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void isDisabledWhenThePolicyHasNone() {
    Guard guard = Guard.builder("test").scheduler(time)
        .policy(ResiliencePolicy.builder().withoutCircuitBreaker().build()).build();
    assertThat(guard.circuitState()).isEqualTo(CircuitState.DISABLED);
  }
}
