package dev.holdfast.internal;

import dev.holdfast.ErrorDetails;
import dev.holdfast.Scheduler;
import dev.holdfast.TransientException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Waits for a call at most a timeout measured on a {@link Scheduler}, for DAOs that ignore timeouts themselves.
 * The scheduler's timer, not the waiting thread, decides when time is up, so a ManualScheduler drives it in tests.
 * An abandoned call is not interrupted: it finishes in the background on its scheduler thread. Internal.
 */
public final class BoundedWait {
  /** A call that may throw anything. */
  @FunctionalInterface
  public interface Body<T> {
    /** Runs the call. */
    T run() throws Exception;
  }

  private BoundedWait() {}

  /**
   * Runs {@code body} on a scheduler thread and waits for it at most {@code timeout}. What the body throws is
   * rethrown as the very same object, so that the proxy can pass unrecognised exceptions through unchanged.
   */
  public static <T> T run(Scheduler scheduler, Duration timeout, String operation, String backend, Body<T> body)
      throws Exception {
    // Outcomes travel as values: completing the future exceptionally would let it rewrap what the body threw.
    CompletableFuture<Outcome<T>> result = new CompletableFuture<>();
    // The timer is armed first, so a call that overruns (even one run inline by a ManualScheduler) loses the race.
    Scheduler.Cancellable timer = scheduler.schedule(timeout,
        () -> result.complete(new Outcome<>(null, timedOut(operation, backend, timeout))));
    try {
      scheduler.schedule(Duration.ZERO, () -> {
        try {
          result.complete(new Outcome<>(body.run(), null));
        } catch (Throwable t) {
          result.complete(new Outcome<>(null, t));
        }
      });
      Outcome<T> outcome = result.get();
      if (outcome.failure() != null) {
        throw Futures.<Exception>sneakyThrow(outcome.failure());
      }
      return outcome.value();
    } finally {
      timer.cancel();
    }
  }

  private record Outcome<T>(T value, Throwable failure) {}

  /**
   * Waits for {@code stage} on the calling thread, rethrowing its failure as the DAO raised it. No timer of its
   * own: this runs inside an async guarded attempt, which the guard already bounds (and interrupts) by the attempt
   * timeout.
   */
  public static <T> T await(CompletionStage<T> stage) throws Exception {
    return await(stage.toCompletableFuture());
  }

  private static <T> T await(CompletableFuture<T> result) throws Exception {
    try {
      return result.get();
    } catch (ExecutionException e) {
      Throwable cause = Futures.unwrap(e);
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw Futures.<RuntimeException>sneakyThrow(cause);
    }
  }

  private static TransientException timedOut(String operation, String backend, Duration timeout) {
    return new TransientException(operation + " timed out after " + timeout.toMillis() + " ms",
        ErrorDetails.of(backend).withHint("The call did not answer within its @Timeout; it may still complete."),
        null);
  }
}
