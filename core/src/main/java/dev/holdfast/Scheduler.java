package dev.holdfast;

import java.time.Duration;

/**
 * Time and timers for a {@link Guard}: where backoff waits, deadlines and attempt timeouts are measured and
 * scheduled. Injected per guard, never global, so tests use a {@link ManualScheduler} and assert delays exactly
 * without sleeping. Implementations are thread-safe.
 */
public interface Scheduler extends AutoCloseable {
  /** A monotonic time in nanoseconds, as {@link System#nanoTime()}: only differences mean anything. */
  long nanoTime();

  /**
   * Runs {@code task} after {@code delay} on a thread that may block (backend calls run there); a zero delay
   * runs it as soon as possible. Never runs it on the caller's thread unless the implementation says so.
   *
   * @return a handle that cancels the task if it has not started
   */
  Cancellable schedule(Duration delay, Runnable task);

  /**
   * Waits {@code duration} on the calling thread: how a blocking call waits between attempts. A {@link
   * ManualScheduler} advances its clock instead of blocking.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  void sleep(Duration duration) throws InterruptedException;

  /** Releases the scheduler's threads. Idempotent. */
  @Override
  void close();

  /**
   * A scheduler on daemon threads: one timer thread and a pool of workers for the tasks. The caller owns it
   * and must close it.
   */
  static Scheduler system() {
    return new SystemScheduler();
  }

  /** A scheduled task that can be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not started; returns whether it was cancelled. */
    boolean cancel();
  }
}
