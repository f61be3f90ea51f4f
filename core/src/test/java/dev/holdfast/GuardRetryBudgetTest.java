package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GuardRetryBudgetTest {
  private final ManualScheduler time = new ManualScheduler();

  private Guard guard(int maxAttempts, RetryBudgetSettings budget) {
    return Guard.builder("test").scheduler(time).random(() -> 0.5)
        .policy(ResiliencePolicy.builder().maxAttempts(maxAttempts).withoutCircuitBreaker().retryBudget(budget)
            .build())
        .build();
  }

  private static int attemptsOfAFailingCall(Guard guard, List<Throwable> outcomes) {
    ScriptedAttempt<String> attempt = ScriptedAttempt.alwaysFailing(() -> Failures.sent("down"));
    outcomes.add(catchThrowable(() -> guard.call(Call.read("find"), attempt)));
    return attempt.attempts();
  }

  @Test
  void aShortOutageUnderLightTrafficIsRetriedNormally() {
    // The issue that set the defaults: maxAttempts(4) without a breaker, where only the first call used to retry.
    Guard guard = guard(4, RetryBudgetSettings.defaults());
    AtomicInteger down = new AtomicInteger(30);
    List<Integer> attempts = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ScriptedAttempt<String> attempt = ScriptedAttempt.returning("ok");
      Throwable failure = catchThrowable(() -> guard.call(Call.read("find"), ctx -> {
        attempt.run(ctx);
        if (down.getAndDecrement() > 0) {
          throw Failures.sent("connection refused");
        }
        return "ok";
      }));
      assertThat(failure).as("call %d", i).satisfiesAnyOf(
          f -> assertThat(f).isNull(),
          f -> assertThat(f).isExactlyInstanceOf(TransientException.class));
      attempts.add(attempt.attempts());
    }

    // 30 failed attempts: the first 7 calls fail after 4 attempts each, the 8th succeeds at its 3rd.
    assertThat(attempts).containsExactly(4, 4, 4, 4, 4, 4, 4, 3, 1, 1, 1, 1);
    // 23 retries cost 115 tokens; the retried success gave its 5 back and each first-attempt success 1.
    assertThat(guard.retryBudgetTokens()).hasValue(500 - 115 + 5 + 4);
  }

  @Test
  void aStormIsCutOnceTheQuotaIsSpentAndEveryCallThenMakesOneAttempt() {
    Guard guard = guard(3, RetryBudgetSettings.defaults());
    List<Throwable> outcomes = new ArrayList<>();
    List<Integer> attempts = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      attempts.add(attemptsOfAFailingCall(guard, outcomes));
    }

    // Two retries cost 10 tokens: 500 pay for the retries of 50 calls.
    assertThat(attempts.subList(0, 50)).containsOnly(3);
    assertThat(attempts.subList(50, 200)).containsOnly(1);
    assertThat(outcomes.subList(0, 50)).allSatisfy(t -> assertThat(t).isExactlyInstanceOf(TransientException.class));
    assertThat(outcomes.subList(50, 200)).allSatisfy(t -> assertThat(t)
        .isInstanceOf(RetryBudgetExhaustedException.class).isInstanceOf(TransientException.class)
        .hasCauseInstanceOf(TransientException.class));
    RetryBudgetExhaustedException cut = (RetryBudgetExhaustedException) outcomes.get(50);
    assertThat(cut.getMessage()).startsWith("down: 1 attempt in 0 ms; stopped retrying: the retry budget of test is "
        + "spent (0 of 500 tokens left, a retry costs 5)");
    assertThat(cut.attempts()).isEqualTo(1);
    assertThat(cut.code()).contains("HF_RETRY_BUDGET");
    assertThat(cut.requestSent()).isTrue();
    int total = attempts.stream().mapToInt(Integer::intValue).sum();
    assertThat(total / 200.0).as("attempts per call").isEqualTo(1.5);
    assertThat(guard.retryBudgetTokens()).hasValue(0.0);
  }

  @Test
  void successesRefillTheQuotaAndRetriesResume() {
    Guard guard = guard(3, new RetryBudgetSettings(20, 5, 10, 1));
    List<Throwable> outcomes = new ArrayList<>();
    attemptsOfAFailingCall(guard, outcomes);
    attemptsOfAFailingCall(guard, outcomes);
    assertThat(guard.retryBudgetTokens()).hasValue(0.0);
    assertThat(attemptsOfAFailingCall(guard, outcomes)).isEqualTo(1);

    for (int i = 0; i < 5; i++) {
      guard.call(Call.read("find"), ctx -> "ok");
    }

    assertThat(guard.retryBudgetTokens()).hasValue(5.0);
    assertThat(attemptsOfAFailingCall(guard, outcomes)).isEqualTo(2);
  }

  @Test
  void aCallThatSucceedsAfterARetryGivesItsCostBack() {
    Guard guard = guard(3, RetryBudgetSettings.defaults());
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("ok").thenFail(Failures.sent("blip"));

    assertThat(guard.call(Call.read("find"), attempt)).isEqualTo("ok");

    assertThat(guard.retryBudgetTokens()).hasValue(500.0);
  }

  @Test
  void aRetryAfterATimeoutCostsMore() {
    Guard guard = guard(2, new RetryBudgetSettings(30, 5, 10, 1));
    TransientException timeout = new TransientException("timed out", ErrorDetails.of("test").withCode("57014"), null);
    catchThrowable(() -> guard.call(Call.read("find"), ScriptedAttempt.<String>returning("x").thenFail(timeout)
        .thenFail(Failures.sent("again"))));

    assertThat(guard.retryBudgetTokens()).hasValue(20.0);
  }

  @Test
  void nonTransientFailuresDoNotSpendIt() {
    Guard guard = guard(3, RetryBudgetSettings.defaults());
    for (int i = 0; i < 20; i++) {
      catchThrowable(() -> guard.call(Call.read("find"), ctx -> {
        throw Failures.conflict();
      }));
    }
    assertThat(guard.retryBudgetTokens()).hasValue(500.0);
  }

  @Test
  void isEmptyWhenThePolicyHasNone() {
    Guard unlimited = Guard.builder("test").scheduler(time)
        .policy(ResiliencePolicy.builder().withoutRetryBudget().build()).build();
    assertThat(unlimited.retryBudgetTokens()).isEmpty();
  }
}
