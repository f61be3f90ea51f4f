package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GuardDeadlineTest {
  private final ManualScheduler time = new ManualScheduler();

  private Guard guard(ResiliencePolicy.Builder policy) {
    return Guard.builder("test").scheduler(time).random(() -> 0.5)
        .policy(policy.withoutCircuitBreaker().withoutRetryBudget().build()).build();
  }

  @Test
  void eachAttemptGetsTheSmallerOfItsTimeoutAndWhatRemainsOfTheDeadlineAndTheCallStopsBeforeOverrunningIt() {
    Guard guard = guard(ResiliencePolicy.builder().maxAttempts(10).deadline(Duration.ofSeconds(1))
        .attemptTimeout(Duration.ofMillis(500)).backoff(Backoff.fixed(Duration.ofMillis(200))));
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>alwaysFailing(() -> Failures.sent("slow"))
        .during(() -> time.advance(Duration.ofMillis(100)));

    Throwable thrown = catchThrowable(() -> guard.call(Call.read("find"), attempt));

    // Attempts start at 0, 300, 600 and 900 ms; after the fourth fails at 1000 ms no retry fits.
    assertThat(attempt.contexts()).extracting(CallContext::timeout).containsExactly(Duration.ofMillis(500),
        Duration.ofMillis(500), Duration.ofMillis(400), Duration.ofMillis(100));
    assertThat(thrown).isInstanceOf(DeadlineExceededException.class);
    DeadlineExceededException deadline = (DeadlineExceededException) thrown;
    assertThat(deadline.getCause()).isInstanceOf(TransientException.class);
    assertThat(deadline.attempts()).isEqualTo(4);
    assertThat(deadline.getSuppressed()).hasSize(3);
    assertThat(deadline.code()).contains("HF_DEADLINE");
    assertThat(time.sleeps()).hasSize(3);
    assertThat(time.elapsed()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aRetryThatWouldStartAfterTheDeadlineIsNotWaitedFor() {
    Guard guard = guard(ResiliencePolicy.builder().maxAttempts(5).deadline(Duration.ofMillis(250))
        .backoff(Backoff.fixed(Duration.ofMillis(200))));
    ScriptedAttempt<String> attempt = ScriptedAttempt.alwaysFailing(() -> Failures.sent("down"));

    Throwable thrown = catchThrowable(() -> guard.call(Call.read("find"), attempt));

    assertThat(thrown).isInstanceOf(DeadlineExceededException.class);
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(200));
    assertThat(attempt.attempts()).isEqualTo(2);
  }

  @Test
  void aRetryAfterLongerThanTheBackoffReplacesIt() {
    Guard guard = guard(ResiliencePolicy.builder());
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("ok")
        .thenFail(Failures.retryAfter("503", Duration.ofSeconds(3)));

    assertThat(guard.call(Call.read("find"), attempt)).isEqualTo("ok");
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void aRetryAfterShorterThanTheBackoffDoesNotShortenIt() {
    Guard guard = guard(ResiliencePolicy.builder().backoff(Backoff.fixed(Duration.ofMillis(200))));
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("ok")
        .thenFail(Failures.retryAfter("503", Duration.ofMillis(10)));

    guard.call(Call.read("find"), attempt);

    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(200));
  }

  @Test
  void aRetryAfterIsIgnoredWhenThePolicySaysSo() {
    Guard guard = guard(ResiliencePolicy.builder().honorRetryAfter(false));
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("ok")
        .thenFail(Failures.retryAfter("503", Duration.ofSeconds(3)));

    guard.call(Call.read("find"), attempt);

    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(50));
  }

  @Test
  void aRetryAfterBeyondTheDeadlineEndsTheCallAtOnce() {
    Guard guard = guard(ResiliencePolicy.builder().deadline(Duration.ofSeconds(5)));
    TransientException busy = Failures.retryAfter("503", Duration.ofSeconds(30));
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("never").thenFail(busy);

    Throwable thrown = catchThrowable(() -> guard.call(Call.read("find"), attempt));

    assertThat(thrown).isInstanceOf(DeadlineExceededException.class).hasCause(busy);
    assertThat(((HoldfastException) thrown).hint()).contains("asked to wait 30 s");
    assertThat(time.sleeps()).isEmpty();
    assertThat(attempt.attempts()).isEqualTo(1);
  }

  @Test
  void aWriteWhoseRequestNeverLeftEndsInDeadlineExceededNotUnknownOutcome() {
    Guard guard = guard(ResiliencePolicy.builder().maxAttempts(5).deadline(Duration.ofMillis(150))
        .backoff(Backoff.fixed(Duration.ofMillis(100))));
    ScriptedAttempt<String> attempt = ScriptedAttempt.alwaysFailing(() -> Failures.notSent("refused"));

    Throwable thrown = catchThrowable(() -> guard.call(Call.write("insert"), attempt));

    assertThat(thrown).isInstanceOf(DeadlineExceededException.class);
    assertThat(attempt.attempts()).isEqualTo(2);
  }
}
