package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardRetryBudgetTest {
  private final ManualScheduler time = new ManualScheduler();
  private final Guard guard = Guard.builder("test").scheduler(time).random(() -> 0.5)
      .policy(ResiliencePolicy.builder().maxAttempts(3).withoutCircuitBreaker()
          .retryBudget(RetryBudgetSettings.defaults()).build())
      .build();

  private int attemptsOfAFailingCall(List<Throwable> outcomes) {
    ScriptedAttempt<String> attempt = ScriptedAttempt.alwaysFailing(() -> Failures.sent("down"));
    outcomes.add(catchThrowable(() -> guard.call(Call.read("find"), attempt)));
    return attempt.attempts();
  }

  @Test
  void aSustainedOutageDrainsTheBudgetUntilCallsMakeOneAttempt() {
    List<Throwable> outcomes = new ArrayList<>();
    List<Integer> attempts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      attempts.add(attemptsOfAFailingCall(outcomes));
    }

    // 10 tokens: 9, 8, 7 (attempts exhausted); 6, 5 (refused); then below half at once.
    assertThat(attempts).containsExactly(3, 2, 1, 1, 1, 1);
    assertThat(outcomes.get(0)).isInstanceOf(TransientException.class);
    assertThat(outcomes.subList(1, 6)).allSatisfy(t -> assertThat(t)
        .isInstanceOf(RetryBudgetExhaustedException.class).hasCauseInstanceOf(TransientException.class));
    RetryBudgetExhaustedException second = (RetryBudgetExhaustedException) outcomes.get(1);
    assertThat(second.attempts()).isEqualTo(2);
    assertThat(second.getSuppressed()).hasSize(1);
    assertThat(second.code()).contains("HF_RETRY_BUDGET");
    assertThat(guard.retryBudgetTokens()).hasValue(1.0);
  }

  @Test
  void successesRefillTheBudgetAndRetriesResume() {
    List<Throwable> outcomes = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      attemptsOfAFailingCall(outcomes);
    }
    assertThat(guard.retryBudgetTokens()).hasValue(0.0);
    // 61 successes give 6.1 tokens: the next failure leaves 5.1, above half, so one retry is allowed again.
    for (int i = 0; i < 61; i++) {
      guard.call(Call.read("find"), ctx -> "ok");
    }

    assertThat(attemptsOfAFailingCall(outcomes)).isEqualTo(2);
  }

  @Test
  void nonTransientFailuresDoNotSpendIt() {
    for (int i = 0; i < 20; i++) {
      catchThrowable(() -> guard.call(Call.read("find"), ctx -> {
        throw Failures.conflict();
      }));
    }
    assertThat(guard.retryBudgetTokens()).hasValue(10.0);
  }

  @Test
  void isEmptyWhenThePolicyHasNone() {
    Guard unlimited = Guard.builder("test").scheduler(time)
        .policy(ResiliencePolicy.builder().withoutRetryBudget().build()).build();
    assertThat(unlimited.retryBudgetTokens()).isEmpty();
  }
}
