package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GuardRetryTest {
  private final ManualScheduler time = new ManualScheduler();
  private final RecordingListener events = new RecordingListener();

  private Guard guard(ResiliencePolicy policy) {
    return Guard.builder("test").policy(policy).scheduler(time).random(() -> 0.5).listener(events).build();
  }

  private Guard guard() {
    return guard(ResiliencePolicy.builder().withoutCircuitBreaker().withoutRetryBudget().build());
  }

  @Test
  void retriesTransientFailuresWaitingTheJitteredBackoffOnTheScheduler() {
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("ok")
        .thenFail(Failures.sent("reset")).thenFail(Failures.sent("reset"));

    assertThat(guard().call(Call.read("find"), attempt)).isEqualTo("ok");

    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(attempt.contexts()).extracting(CallContext::attempt).containsExactly(1, 2, 3);
    assertThat(attempt.contexts()).extracting(CallContext::operation).containsOnly("find");
  }

  @Test
  void additiveJitterDelaysAreNeverShorterThanNominal() {
    ResiliencePolicy policy = ResiliencePolicy.safeDefaults().toBuilder().maxAttempts(4)
        .withoutCircuitBreaker().withoutRetryBudget().build();
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("ok")
        .thenFail(Failures.sent("1")).thenFail(Failures.sent("2")).thenFail(Failures.sent("3"));

    guard(policy).call(Call.read("find"), attempt);

    assertThat(time.sleeps()).containsExactly(
        Duration.ofMillis(112).plusNanos(500_000), Duration.ofMillis(225), Duration.ofMillis(450));
  }

  @Test
  void givesUpAfterMaxAttemptsWithTheLastTransientFailureCarryingTheEarlierOnes() {
    TransientException first = Failures.sent("first");
    TransientException second = Failures.sent("second");
    TransientException third = Failures.sent("third");
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("never")
        .thenFail(first).thenFail(second).thenFail(third);

    Throwable thrown = catchThrowable(() -> guard().call(Call.read("find"), attempt));

    assertThat(thrown).isSameAs(third);
    assertThat(third.attempts()).isEqualTo(3);
    assertThat(third.getSuppressed()).containsExactly(first, second);
    assertThat(third.getMessage()).contains("attempts=3");
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
  }

  @Test
  void neverRetriesAConflict() {
    ConflictException conflict = Failures.conflict();
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("never").thenFail(conflict);

    assertThat(catchThrowable(() -> guard().call(Call.idempotentWrite("upsert"), attempt))).isSameAs(conflict);
    assertThat(attempt.attempts()).isEqualTo(1);
    assertThat(conflict.attempts()).isEqualTo(1);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void neverRetriesASchemaMismatch() {
    ScriptedAttempt<String> attempt = ScriptedAttempt.alwaysFailing(Failures::schemaMismatch);

    assertThatThrownBy(() -> guard().call(Call.read("find"), attempt)).isInstanceOf(SchemaMismatchException.class);
    assertThat(attempt.attempts()).isEqualTo(1);
  }

  @Test
  void aFinalFailureAfterATransientOneCarriesItAndTheAttemptCount() {
    TransientException first = Failures.sent("reset");
    ConflictException conflict = Failures.conflict();
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("never").thenFail(first).thenFail(conflict);

    assertThat(catchThrowable(() -> guard().call(Call.read("find"), attempt))).isSameAs(conflict);
    assertThat(conflict.attempts()).isEqualTo(2);
    assertThat(conflict.getSuppressed()).containsExactly(first);
  }

  @Test
  void aWriteIsNotRetriedAfterAFailureThatMayHaveReachedTheServer() {
    TransientException ambiguous = Failures.sent("connection lost during COMMIT");
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("never").thenFail(ambiguous);

    Throwable thrown = catchThrowable(() -> guard().call(Call.write("insert"), attempt));

    assertThat(thrown).isInstanceOf(UnknownOutcomeException.class).hasCause(ambiguous);
    UnknownOutcomeException unknown = (UnknownOutcomeException) thrown;
    assertThat(unknown.code()).contains("08006");
    assertThat(unknown.hint()).contains("Read back").contains("idempotent");
    assertThat(unknown.attempts()).isEqualTo(1);
    assertThat(attempt.attempts()).isEqualTo(1);
  }

  @Test
  void aWriteIsRetriedWhenTheRequestNeverLeft() {
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("inserted")
        .thenFail(Failures.notSent("connection refused"));

    assertThat(guard().call(Call.write("insert"), attempt)).isEqualTo("inserted");
    assertThat(attempt.attempts()).isEqualTo(2);
  }

  @Test
  void aWriteRetriedOnceEndsInUnknownOutcomeWhenTheRetryMayHaveReachedTheServer() {
    TransientException refused = Failures.notSent("refused");
    TransientException lost = Failures.sent("lost");
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("never").thenFail(refused).thenFail(lost);

    Throwable thrown = catchThrowable(() -> guard().call(Call.write("insert"), attempt));

    assertThat(thrown).isInstanceOf(UnknownOutcomeException.class).hasCause(lost);
    assertThat(((HoldfastException) thrown).attempts()).isEqualTo(2);
    assertThat(thrown.getSuppressed()).containsExactly(refused);
  }

  @Test
  void anIdempotentWriteIsRetriedAfterAnAmbiguousFailure() {
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("upserted").thenFail(Failures.sent("lost"));

    assertThat(guard().call(Call.idempotentWrite("upsert"), attempt)).isEqualTo("upserted");
    assertThat(attempt.attempts()).isEqualTo(2);
  }

  @Test
  void anUnrecognisedRuntimeExceptionPropagatesUnchangedAndUnretried() {
    IllegalStateException bug = new IllegalStateException("mapping bug");
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("never").thenFail(bug);

    assertThat(catchThrowable(() -> guard().call(Call.read("find"), attempt))).isSameAs(bug);
    assertThat(bug.getSuppressed()).isEmpty();
    assertThat(attempt.attempts()).isEqualTo(1);
    assertThat(events.names()).containsExactly("CallStarted", "AttemptStarted", "AttemptFailed", "CallFailed");
    assertThat(events.of(GuardEvent.AttemptFailed.class).get(0).error()).isSameAs(bug);
    assertThat(events.of(GuardEvent.CallFailed.class).get(0).outcome()).isEqualTo(CallOutcome.UNRECOGNISED);
  }

  @Test
  void anUnrecognisedCheckedExceptionIsRethrownUnchanged() {
    DaoException checked = new DaoException();
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("never").thenFail(checked);

    assertThat(catchThrowable(() -> guard().call(Call.read("find"), attempt))).isSameAs(checked);
    assertThat(attempt.attempts()).isEqualTo(1);
  }

  @Test
  void anErrorIsNeverClassifiedEvenWhenItWrapsAnIoException() {
    AssertionError error = new AssertionError("boom", new IOException("io"));
    Attempt<String> attempt = ctx -> {
      throw error;
    };

    assertThat(catchThrowable(() -> guard().call(Call.read("find"), attempt))).isSameAs(error);
  }

  @Test
  void theBuildersClassifiersTurnForeignFailuresIntoTheTaxonomy() {
    Guard guard = Guard.builder("test").scheduler(time).random(() -> 0.5)
        .policy(ResiliencePolicy.builder().withoutCircuitBreaker().withoutRetryBudget().build())
        .classifier((failure, backend) -> failure instanceof DaoException
            ? Optional.of(new TransientException("dao", ErrorDetails.of(backend), failure)) : Optional.empty())
        .build();
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("ok").thenFail(new DaoException());

    assertThat(guard.call(Call.read("find"), attempt)).isEqualTo("ok");
    assertThat(attempt.attempts()).isEqualTo(2);
  }

  @Test
  void aThrowingClassifierIsSkipped() {
    Guard guard = Guard.builder("test").scheduler(time)
        .policy(ResiliencePolicy.builder().withoutCircuitBreaker().withoutRetryBudget().build())
        .classifier((failure, backend) -> {
          throw new IllegalStateException("broken classifier");
        })
        .build();
    IOException io = new IOException("reset");
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("ok").thenFail(io);

    assertThat(guard.call(Call.read("find"), attempt)).isEqualTo("ok");
    assertThat(attempt.attempts()).isEqualTo(2);
  }

  @Test
  void classifiersOnTheClassPathAreAskedByDefault() {
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("ok")
        .thenFail(new ClassPathTestClassifier.Marker());

    assertThat(guard().call(Call.read("find"), attempt)).isEqualTo("ok");
    assertThat(attempt.attempts()).isEqualTo(2);
  }

  @Test
  void classifiersOnTheClassPathCanBeLeftOut() {
    Guard guard = Guard.builder("test").scheduler(time).classifiersFromClassPath(false).build();
    ClassPathTestClassifier.Marker marker = new ClassPathTestClassifier.Marker();
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("ok").thenFail(marker);

    assertThat(catchThrowable(() -> guard.call(Call.read("find"), attempt))).isSameAs(marker);
  }

  @Test
  void listenersHearEveryStepInOrder() {
    TransientException first = Failures.sent("first");
    TransientException second = Failures.sent("second");
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("never").thenFail(first).thenFail(second)
        .thenFail(Failures.conflict());

    catchThrowable(() -> guard().call(Call.read("find"), attempt));

    assertThat(events.names()).containsExactly("CallStarted", "AttemptStarted", "AttemptFailed", "RetryScheduled",
        "AttemptStarted", "AttemptFailed", "RetryScheduled", "AttemptStarted", "AttemptFailed", "CallFailed");
    GuardedCall call = events.of(GuardEvent.CallStarted.class).get(0).call();
    assertThat(events.of(GuardEvent.AttemptFailed.class).get(0))
        .isEqualTo(new GuardEvent.AttemptFailed(call, 1, Duration.ZERO, first));
    assertThat(events.of(GuardEvent.RetryScheduled.class)).containsExactly(
        new GuardEvent.RetryScheduled(call, 2, Duration.ofMillis(50), first),
        new GuardEvent.RetryScheduled(call, 3, Duration.ofMillis(100), second));
    GuardEvent.CallFailed failed = events.of(GuardEvent.CallFailed.class).get(0);
    assertThat(failed.attempts()).isEqualTo(3);
    assertThat(failed.outcome()).isEqualTo(CallOutcome.FAILED);
    assertThat(failed.errorType()).isEqualTo("ConflictException");
    assertThat(failed.latency()).isEqualTo(Duration.ofMillis(150));
    assertThat(events.events()).allSatisfy(e -> assertThat(e.backend()).isEqualTo("test"));
  }

  @Test
  void aThrowingListenerIsIgnored() {
    Guard guard = Guard.builder("test").scheduler(time)
        .listener(event -> {
          throw new IllegalStateException("bad listener");
        })
        .listener(events).build();
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("ok").thenFail(Failures.sent("reset"));

    assertThat(guard.call(Call.read("find"), attempt)).isEqualTo("ok");
    assertThat(events.names()).containsExactly("CallStarted", "AttemptStarted", "AttemptFailed", "RetryScheduled",
        "AttemptStarted", "AttemptSucceeded", "CallSucceeded");
  }

  @Test
  void aPolicyOverrideChangesAttemptsForThatCallOnly() {
    Guard guard = guard();
    ResiliencePolicy once = guard.policy().toBuilder().maxAttempts(1).build();
    ScriptedAttempt<String> attempt = ScriptedAttempt.alwaysFailing(() -> Failures.sent("down"));

    assertThatThrownBy(() -> guard.call(Call.read("find").withPolicy(once), attempt))
        .isInstanceOf(TransientException.class);
    assertThat(attempt.attempts()).isEqualTo(1);

    assertThatThrownBy(() -> guard.call(Call.read("find"), attempt)).isInstanceOf(TransientException.class);
    assertThat(attempt.attempts()).isEqualTo(1 + 3);
  }

  @Test
  void anInterruptedWaitEndsTheCallWithTheLastFailureAndKeepsTheFlag() {
    Scheduler interrupting = new ForwardingScheduler(time) {
      @Override
      public void sleep(Duration duration) throws InterruptedException {
        throw new InterruptedException("stop");
      }
    };
    Guard guard = Guard.builder("test").scheduler(interrupting)
        .policy(ResiliencePolicy.builder().withoutCircuitBreaker().withoutRetryBudget().build()).build();
    TransientException reset = Failures.sent("reset");
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("never").thenFail(reset);

    try {
      assertThat(catchThrowable(() -> guard.call(Call.read("find"), attempt))).isSameAs(reset);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(reset.getSuppressed()).singleElement().isInstanceOf(InterruptedException.class);
      assertThat(attempt.attempts()).isEqualTo(1);
    } finally {
      Thread.interrupted();
    }
  }

  /** A checked exception as a user's DAO might declare it. */
  static final class DaoException extends Exception {
    DaoException() {
      super("dao failed");
    }
  }
}
