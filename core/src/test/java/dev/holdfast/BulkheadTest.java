package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BulkheadTest {
  private final ManualScheduler time = new ManualScheduler();

  private Guard guard(BulkheadSettings bulkhead) {
    return Guard.builder("test").scheduler(time)
        .policy(ResiliencePolicy.builder().bulkhead(bulkhead).withoutCircuitBreaker().withoutRetryBudget().build())
        .build();
  }

  @Test
  void aCallBeyondTheLimitIsRejectedWithoutBeingSent() {
    Guard guard = guard(new BulkheadSettings(1, Duration.ZERO));
    ScriptedAttempt<String> inner = ScriptedAttempt.returning("inner");
    AtomicReference<Throwable> rejected = new AtomicReference<>();

    guard.call(Call.read("outer"), ctx -> {
      rejected.set(catchThrowable(() -> guard.call(Call.read("inner"), inner)));
      return "outer";
    });

    assertThat(rejected.get()).isInstanceOf(BulkheadFullException.class).hasMessageContaining("at most 1");
    assertThat(((HoldfastException) rejected.get()).code()).contains("HF_BULKHEAD_FULL");
    assertThat(inner.attempts()).isZero();
    assertThat(guard.<String>call(Call.read("after"), inner)).isEqualTo("inner");
  }

  @Test
  void aFailedAttemptGivesItsPlaceBack() {
    Guard guard = guard(new BulkheadSettings(1, Duration.ZERO));
    ScriptedAttempt<String> attempt = ScriptedAttempt.<String>returning("ok").thenFail(Failures.sent("reset"));

    assertThat(guard.<String>call(Call.read("find"), attempt)).isEqualTo("ok");
    assertThat(guard.<String>call(Call.read("find"), ctx -> "again")).isEqualTo("again");
  }

  @Test
  void aBlockingCallWaitsForAPlaceThatFreesUp() throws Exception {
    Guard guard = guard(new BulkheadSettings(1, Duration.ofMinutes(1)));
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder = new Thread(() -> guard.call(Call.read("holder"), ctx -> {
      holding.countDown();
      release.await();
      return "held";
    }));
    holder.start();
    holding.await();

    CompletableFuture<String> waiter = CompletableFuture.supplyAsync(() -> guard.call(Call.read("waiter"),
        ctx -> "got in"));
    release.countDown();

    assertThat(waiter.get(1, TimeUnit.MINUTES)).isEqualTo("got in");
    holder.join();
  }

  @Test
  void aWaitThatTimesOutDoesNotLoseAPlace() {
    // Failsafe 3.3.2's timed Bulkhead.tryAcquirePermit leaks a permit on each timeout (failsafe-lib/failsafe#393).
    Guard guard = guard(new BulkheadSettings(1, Duration.ofMillis(1)));
    AtomicReference<Throwable> rejected = new AtomicReference<>();

    guard.call(Call.read("outer"), ctx -> {
      rejected.set(catchThrowable(() -> guard.call(Call.read("inner"), c -> "inner")));
      return "outer";
    });

    assertThat(rejected.get()).isInstanceOf(BulkheadFullException.class);
    assertThat(guard.<String>call(Call.read("first"), ctx -> "first")).isEqualTo("first");
    assertThat(guard.<String>call(Call.read("second"), ctx -> "second")).isEqualTo("second");
  }

  @Test
  void anAsyncCallNeverWaitsForAPlace() {
    Guard guard = guard(new BulkheadSettings(1, Duration.ofMinutes(1)));
    AtomicReference<CompletableFuture<String>> inner = new AtomicReference<>();

    guard.call(Call.read("outer"), ctx -> {
      inner.set(guard.callAsync(Call.read("inner"), c -> "inner"));
      return "outer";
    });

    assertThat(inner.get()).isCompletedExceptionally();
    assertThat(catchThrowable(() -> inner.get().join())).hasCauseInstanceOf(BulkheadFullException.class);
  }
}
