package dev.holdfast;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} whose clock moves only when told to, for tests that assert delays exactly and never sleep
 * (in the manner of Failsafe's and OkHttp's fake clocks).
 *
 * <ul>
 *   <li>{@link #sleep(Duration)} advances the clock by the duration (running tasks that fall due) and records
 *       it in {@link #sleeps()}: a blocking call's backoff waits are thus instantaneous and visible;</li>
 *   <li>{@link #schedule(Duration, Runnable)} with a zero delay runs the task at once on the calling thread; with
 *       a positive delay it queues the task, records the delay in {@link #scheduledDelays()}, and runs it when
 *       {@link #advance(Duration)} or {@link #runUntilIdle()} reaches its time.</li>
 * </ul>
 *
 * <pre>{@code
 * ManualScheduler time = new ManualScheduler();
 * Guard guard = Guard.builder("test").scheduler(time).random(() -> 0.5).build();
 * ... // a call that fails twice, then succeeds
 * assertThat(time.sleeps()).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
 * }</pre>
 *
 * <p>Thread-safe; tasks run on the thread that advances the clock.
 */
public final class ManualScheduler implements Scheduler {
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private final List<Duration> sleeps = new ArrayList<>();
  private final List<Duration> scheduledDelays = new ArrayList<>();
  private long now;
  private long sequence;

  /** A scheduler whose clock starts at zero. */
  public ManualScheduler() {}

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  /** The time elapsed on this scheduler's clock since it was created. */
  public synchronized Duration elapsed() {
    return Duration.ofNanos(now);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(task, "task");
    if (delay.isZero() || delay.isNegative()) {
      task.run();
      return () -> false;
    }
    Task t;
    synchronized (this) {
      scheduledDelays.add(delay);
      t = new Task(now + delay.toNanos(), sequence++, task);
      queue.add(t);
    }
    return () -> {
      synchronized (this) {
        return queue.remove(t);
      }
    };
  }

  @Override
  public void sleep(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    synchronized (this) {
      sleeps.add(duration);
    }
    advance(duration);
  }

  /** Moves the clock forward by {@code duration}, running every task that falls due, in time order. */
  public void advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    long target;
    synchronized (this) {
      target = now + duration.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.at > target) {
          now = Math.max(now, target);
          return;
        }
        queue.poll();
        now = Math.max(now, next.at);
      }
      next.task.run();
    }
  }

  /**
   * Runs queued tasks in time order, advancing the clock to each, until none is left.
   *
   * @throws IllegalStateException if tasks keep scheduling tasks beyond 10,000 runs
   */
  public void runUntilIdle() {
    for (int i = 0; i < 10_000; i++) {
      Task next;
      synchronized (this) {
        next = queue.poll();
        if (next == null) {
          return;
        }
        now = Math.max(now, next.at);
      }
      next.task.run();
    }
    throw new IllegalStateException("tasks keep scheduling tasks");
  }

  /** How many tasks are waiting for their time. */
  public synchronized int pendingTasks() {
    return queue.size();
  }

  /** Every duration passed to {@link #sleep(Duration)}, in order. */
  public synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  /** Every positive delay passed to {@link #schedule(Duration, Runnable)}, in order. */
  public synchronized List<Duration> scheduledDelays() {
    return List.copyOf(scheduledDelays);
  }

  /** Does nothing: a manual scheduler owns no threads. */
  @Override
  public void close() {}

  private record Task(long at, long seq, Runnable task) implements Comparable<Task> {
    @Override
    public int compareTo(Task o) {
      return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
    }
  }
}
