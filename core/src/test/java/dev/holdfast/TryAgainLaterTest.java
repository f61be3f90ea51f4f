package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Every "try again later" outcome is a {@link TransientException}, says what kept failing, and tells a write
 * whether anything may have reached the server.
 */
class TryAgainLaterTest {
  private final ManualScheduler time = new ManualScheduler();

  private Guard guard(ResiliencePolicy.Builder policy) {
    return Guard.builder("db").scheduler(time).random(() -> 0.5).policy(policy.build()).build();
  }

  private static TransientException refused() {
    return new TransientException("could not connect: Connection refused", ErrorDetails.of("db").withCode("08001"),
        null, false, null);
  }

  @Test
  void aDeadlineWhileRetryingARefusedPortSaysWhatFailedHowOftenAndWhyItStopped() {
    Guard guard = guard(ResiliencePolicy.builder().maxAttempts(10).withoutCircuitBreaker().withoutRetryBudget()
        .backoff(Backoff.fixed(Duration.ofSeconds(3))).deadline(Duration.ofSeconds(10)));
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>alwaysFailing(TryAgainLaterTest::refused)
        .during(() -> time.advance(Duration.ofMillis(50)));

    Throwable thrown = catchThrowable(() -> guard.call(Call.write("insert"), attempt));

    assertThat(thrown).isInstanceOf(DeadlineExceededException.class).isInstanceOf(TransientException.class);
    assertThat(thrown.getMessage()).startsWith("could not connect: Connection refused: 4 attempts in 9.2 s; stopped "
        + "at the call's 10 s deadline (the next retry, due in 3 s, would have started after it)");
    DeadlineExceededException deadline = (DeadlineExceededException) thrown;
    assertThat(deadline.requestSent()).as("every attempt was refused").isFalse();
    assertThat(WriteResult.of(deadline).outcome()).isEqualTo(WriteResult.Outcome.FAILED);
    assertThat(deadline.attempts()).isEqualTo(4);
  }

  @Test
  void aDeadlineAfterADroppedConnectionSaysTheRequestMayHaveBeenSent() {
    Guard guard = guard(ResiliencePolicy.builder().maxAttempts(10).withoutCircuitBreaker().withoutRetryBudget()
        .backoff(Backoff.fixed(Duration.ofSeconds(4))).deadline(Duration.ofSeconds(5)));

    Throwable thrown = catchThrowable(() -> guard.call(Call.read("find"),
        ScriptedAttempt.<String>alwaysFailing(() -> Failures.sent("connection reset"))));

    assertThat(((TransientException) thrown).requestSent()).isTrue();
    assertThat(thrown.getMessage()).startsWith("connection reset: 2 attempts in 4 s; stopped at the call's 5 s");
  }

  @Test
  void anOpenBreakerAFullBulkheadAndASpentBudgetAreAllCaughtAsTransient() {
    List<Throwable> outcomes = new ArrayList<>();
    Guard breaker = guard(ResiliencePolicy.builder().maxAttempts(1).withoutRetryBudget()
        .circuitBreaker(new CircuitBreakerSettings(1, 1, Duration.ofSeconds(1), 1)));
    catchThrowable(() -> breaker.call(Call.read("find"), ctx -> {
      throw refused();
    }));
    outcomes.add(catchThrowable(() -> breaker.call(Call.read("find"), ctx -> "never")));

    Guard bulkhead = guard(ResiliencePolicy.builder().withoutCircuitBreaker()
        .bulkhead(new BulkheadSettings(1, Duration.ZERO)));
    AtomicReference<Throwable> inner = new AtomicReference<>();
    bulkhead.call(Call.read("outer"), ctx -> {
      inner.set(catchThrowable(() -> bulkhead.call(Call.read("inner"), c -> "never")));
      return "outer";
    });
    outcomes.add(inner.get());

    Guard budget = guard(ResiliencePolicy.builder().maxAttempts(3).withoutCircuitBreaker()
        .retryBudget(new RetryBudgetSettings(1, 5, 10, 1)));
    outcomes.add(catchThrowable(() -> budget.call(Call.read("find"),
        ScriptedAttempt.<String>alwaysFailing(() -> Failures.sent("down")))));

    assertThat(outcomes).hasExactlyElementsOfTypes(CircuitOpenException.class, BulkheadFullException.class,
        RetryBudgetExhaustedException.class);
    for (Throwable t : outcomes) {
      try {
        throw t;
      } catch (TransientException expected) {
        assertThat(expected.getMessage()).doesNotStartWith("null");
      } catch (Throwable other) {
        throw new AssertionError("not caught as transient: " + other, other);
      }
    }
    assertThat(((TransientException) outcomes.get(0)).requestSent()).as("nothing was sent").isFalse();
    assertThat(((TransientException) outcomes.get(1)).requestSent()).isFalse();
  }

  @Test
  void anOpenBreakerTellsWhenTheNextTrialIsDue() {
    Guard guard = guard(ResiliencePolicy.builder().maxAttempts(1).withoutRetryBudget()
        .circuitBreaker(new CircuitBreakerSettings(1, 1, Duration.ofSeconds(8), 1)));
    catchThrowable(() -> guard.call(Call.read("find"), ctx -> {
      throw refused();
    }));
    time.advance(Duration.ofSeconds(3));

    CircuitOpenException open = (CircuitOpenException) catchThrowable(() -> guard.call(Call.read("find"),
        ctx -> "never"));

    assertThat(open.nextTrialIn()).isEqualTo(Duration.ofSeconds(5));
    assertThat(open.retryAfter()).contains(Duration.ofSeconds(5));
    assertThat(open.getMessage()).startsWith("circuit breaker of db is open; next trial call in 5 s");
  }

  @Test
  void aBreakerThatOpensUnderARetryingCallSaysWhatFailedFirst() {
    Guard guard = guard(ResiliencePolicy.builder().maxAttempts(5).withoutRetryBudget()
        .circuitBreaker(new CircuitBreakerSettings(2, 2, Duration.ofSeconds(10), 1)));

    Throwable thrown = catchThrowable(() -> guard.call(Call.read("find"),
        ScriptedAttempt.<String>alwaysFailing(() -> Failures.sent("reset"))));

    assertThat(thrown).isInstanceOf(CircuitOpenException.class);
    assertThat(thrown.getMessage()).startsWith("reset: 2 attempts in 50 ms; stopped retrying: the circuit breaker "
        + "of db opened; next trial call in 10 s");
    assertThat(((CircuitOpenException) thrown).requestSent()).isTrue();
  }

  @Test
  void anOuterGuardWaitsForTheInnerBreakersTrialBeforeRetrying() {
    Guard inner = guard(ResiliencePolicy.builder().maxAttempts(1).withoutRetryBudget()
        .circuitBreaker(new CircuitBreakerSettings(1, 1, Duration.ofMillis(700), 1)));
    catchThrowable(() -> inner.call(Call.read("find"), ctx -> {
      throw refused();
    }));
    Guard outer = guard(ResiliencePolicy.builder().maxAttempts(2).withoutCircuitBreaker().withoutRetryBudget());

    String result = outer.call(Call.write("dao.insert"), ctx -> inner.call(Call.write("insert"), c -> "stored"));

    assertThat(result).isEqualTo("stored");
    assertThat(time.sleeps()).as("the inner breaker's next trial, not the 50 ms backoff")
        .containsExactly(Duration.ofMillis(700));
  }
}
