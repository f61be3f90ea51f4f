package dev.holdfast.internal;

import dev.holdfast.Attempt;
import dev.holdfast.Call;
import dev.holdfast.CallContext;
import dev.holdfast.Guard;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * How a repository's calls run: under a guard (retries, deadline, breaker), or once, inside a transaction whose
 * unit the guard retries as a whole. Internal; thread-safe.
 */
public interface Caller {
  /** Runs {@code attempt} as {@code call}. */
  <R> R call(Call call, Attempt<R> attempt);

  /** Runs {@code attempt} as {@code call}; the future fails as {@link #call} would throw. */
  <R> CompletableFuture<R> callAsync(Call call, Attempt<R> attempt);

  /** Whether a call may be tried more than once (so that an earlier attempt's effect must be accounted for). */
  boolean retries();

  /** Calls under {@code guard}. */
  static Caller guarded(Guard guard) {
    return new Caller() {
      @Override
      public <R> R call(Call call, Attempt<R> attempt) {
        return guard.call(call, attempt);
      }

      @Override
      public <R> CompletableFuture<R> callAsync(Call call, Attempt<R> attempt) {
        return guard.callAsync(call, attempt);
      }

      @Override
      public boolean retries() {
        return true;
      }
    };
  }

  /**
   * Calls made once each, inside a transaction's attempt {@code outer}: each gets what is left of that attempt's
   * time, and a failure ends the unit (whose attempt the guard may retry).
   */
  static Caller within(CallContext outer) {
    long start = System.nanoTime();
    long budget = outer.timeout().toNanos();
    return new Caller() {
      @Override
      public <R> R call(Call call, Attempt<R> attempt) {
        long left = Math.max(1_000_000, budget - (System.nanoTime() - start));
        try {
          return attempt.run(new CallContext(call.operation(), outer.attempt(), Duration.ofNanos(left)));
        } catch (Exception e) {
          throw Sneaky.rethrow(e);
        }
      }

      @Override
      public <R> CompletableFuture<R> callAsync(Call call, Attempt<R> attempt) {
        try {
          return CompletableFuture.completedFuture(call(call, attempt));
        } catch (RuntimeException e) {
          return CompletableFuture.failedFuture(e);
        }
      }

      @Override
      public boolean retries() {
        return false;
      }
    };
  }
}
