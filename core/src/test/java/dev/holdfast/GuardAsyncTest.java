package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GuardAsyncTest {
  private final ManualScheduler time = new ManualScheduler();
  private final RecordingListener events = new RecordingListener();
  private final ExecutorService workers = Executors.newCachedThreadPool();

  @AfterEach
  void stopWorkers() {
    workers.shutdownNow();
  }

  private Guard guard(Scheduler scheduler, ResiliencePolicy.Builder policy) {
    return Guard.builder("test").scheduler(scheduler).random(() -> 0.5).listener(events)
        .policy(policy.withoutCircuitBreaker().withoutRetryBudget().build()).build();
  }

  /** Timers on the manual clock, attempts on real worker threads: an attempt can hang while the test moves time. */
  private Scheduler threaded() {
    return new ForwardingScheduler(time) {
      @Override
      public Cancellable schedule(Duration delay, Runnable task) {
        if (delay.isZero()) {
          var f = workers.submit(task);
          return () -> f.cancel(false);
        }
        return super.schedule(delay, task);
      }
    };
  }

  private static Throwable failureOf(CompletableFuture<?> future) throws InterruptedException {
    try {
      future.get(1, TimeUnit.MINUTES);
      throw new AssertionError("the future succeeded");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the future never completed", e);
    }
  }

  @Test
  void backoffWaitsAreTimersAndTheFutureCompletesOnlyAsTheClockAdvances() {
    Guard guard = guard(time, ResiliencePolicy.builder());
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("ok")
        .thenFail(Failures.sent("reset")).thenFail(Failures.sent("reset"));

    CompletableFuture<String> future = guard.callAsync(Call.read("find"), attempt);
    assertThat(future).isNotDone();
    assertThat(attempt.attempts()).isEqualTo(1);

    time.advance(Duration.ofMillis(49));
    assertThat(attempt.attempts()).isEqualTo(1);
    time.advance(Duration.ofMillis(1));
    assertThat(attempt.attempts()).isEqualTo(2);
    assertThat(future).isNotDone();
    time.advance(Duration.ofMillis(100));

    assertThat(future).isCompletedWithValue("ok");
    // The deadline, then per attempt its timeout and the backoff before the next.
    assertThat(time.scheduledDelays()).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(5),
        Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(5));
    assertThat(time.sleeps()).isEmpty();
    assertThat(time.pendingTasks()).isZero();
  }

  @Test
  void givingUpFailsTheFutureWithTheSameExceptionAsABlockingCall() {
    Guard guard = guard(time, ResiliencePolicy.builder().maxAttempts(2));
    TransientException first = Failures.sent("first");
    TransientException second = Failures.sent("second");
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("never").thenFail(first).thenFail(second);

    CompletableFuture<String> future = guard.callAsync(Call.read("find"), attempt);
    time.runUntilIdle();

    assertThat(catchThrowable(future::join)).hasCause(second);
    assertThat(second.attempts()).isEqualTo(2);
    assertThat(second.getSuppressed()).containsExactly(first);
    assertThat(events.names()).containsExactly("CallStarted", "AttemptStarted", "AttemptFailed", "RetryScheduled",
        "AttemptStarted", "AttemptFailed", "CallFailed");
    assertThat(events.of(GuardEvent.CallFailed.class).get(0).outcome()).isEqualTo(CallOutcome.ATTEMPTS_EXHAUSTED);
    assertThat(time.pendingTasks()).isZero();
  }

  @Test
  void anUnrecognisedCheckedFailureReachesTheFutureUnchanged() {
    Guard guard = guard(time, ResiliencePolicy.builder());
    GuardRetryTest.DaoException checked = new GuardRetryTest.DaoException();
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("never").thenFail(checked);

    CompletableFuture<String> future = guard.callAsync(Call.read("find"), attempt);

    assertThat(catchThrowable(future::join)).hasCause(checked);
    assertThat(attempt.attempts()).isEqualTo(1);
  }

  @Test
  void theDeadlineTimerFailsTheFutureWhileAnAttemptHangsAndInterruptsIt() throws Exception {
    Guard guard = guard(threaded(), ResiliencePolicy.builder().deadline(Duration.ofSeconds(2)));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);

    CompletableFuture<String> future = guard.callAsync(Call.read("find"), ctx -> {
      started.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
      return "too late";
    });
    started.await();
    time.advance(Duration.ofSeconds(2));

    Throwable thrown = failureOf(future);
    assertThat(thrown).isInstanceOf(DeadlineExceededException.class);
    assertThat(thrown.getCause()).isInstanceOf(TransientException.class);
    assertThat(((HoldfastException) thrown.getCause()).code()).contains("HF_TIMEOUT");
    assertThat(interrupted.await(1, TimeUnit.MINUTES)).isTrue();
  }

  @Test
  void aHungNonIdempotentWriteEndsInUnknownOutcomeAtTheDeadline() throws Exception {
    Guard guard = guard(threaded(), ResiliencePolicy.builder().deadline(Duration.ofSeconds(2)));
    CountDownLatch started = new CountDownLatch(1);

    CompletableFuture<String> future = guard.callAsync(Call.write("insert"), ctx -> {
      started.countDown();
      new CountDownLatch(1).await();
      return "inserted";
    });
    started.await();
    time.advance(Duration.ofSeconds(2));

    assertThat(failureOf(future)).isInstanceOf(UnknownOutcomeException.class);
  }

  @Test
  void anAttemptThatOutlivesItsTimeoutFailsAsTransientAndIsRetried() throws Exception {
    Guard guard = guard(threaded(), ResiliencePolicy.builder().attemptTimeout(Duration.ofSeconds(1)));
    CountDownLatch firstStarted = new CountDownLatch(1);
    AtomicBoolean firstInterrupted = new AtomicBoolean();

    CompletableFuture<String> future = guard.callAsync(Call.read("find"), ctx -> {
      if (ctx.attempt() == 1) {
        firstStarted.countDown();
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException e) {
          firstInterrupted.set(true);
        }
        return "first";
      }
      return "second";
    });
    firstStarted.await();
    time.advance(Duration.ofSeconds(1));
    time.advance(Duration.ofMillis(50));

    assertThat(future.get(1, TimeUnit.MINUTES)).isEqualTo("second");
    GuardEvent.AttemptFailed failed = events.of(GuardEvent.AttemptFailed.class).get(0);
    assertThat(failed.error()).isInstanceOf(TransientException.class);
    assertThat(failed.code()).contains("HF_TIMEOUT");
    assertThat(((TransientException) failed.error()).requestSent()).isTrue();
    assertThat(events.of(GuardEvent.RetryScheduled.class)).extracting(GuardEvent.RetryScheduled::delay)
        .containsExactly(Duration.ofMillis(50));
  }

  @Test
  void manyConcurrentCallsOnTheSystemSchedulerAllRetryAndComplete() {
    try (Guard guard = Guard.builder("test")
        .policy(ResiliencePolicy.builder().backoff(Backoff.fixed(Duration.ofMillis(1))).withoutCircuitBreaker()
            .withoutRetryBudget().build())
        .build()) {
      java.util.List<CompletableFuture<Integer>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i;
        ScriptedAttempt<Integer> attempt = ScriptedAttempt.<Integer>returning(n).thenFail(Failures.sent("reset"));
        futures.add(guard.callAsync(Call.read("find"), attempt));
      }

      assertThat(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)))
          .succeedsWithin(Duration.ofMinutes(1));
      assertThat(futures).extracting(CompletableFuture::join)
          .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 200).boxed().toList());
    }
  }

  @Test
  void cancellingTheFutureStopsRetrying() {
    Guard guard = guard(time, ResiliencePolicy.builder().maxAttempts(5));
    ScriptedAttempt<String> attempt = ScriptedAttempt.alwaysFailing(() -> Failures.sent("down"));

    CompletableFuture<String> future = guard.callAsync(Call.read("find"), attempt);
    future.cancel(true);
    time.runUntilIdle();

    assertThat(attempt.attempts()).isEqualTo(1);
    assertThat(time.pendingTasks()).isZero();
  }
}
