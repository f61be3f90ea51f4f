package dev.holdfast;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link Scheduler#system()}: a timer thread that hands due tasks to a cached pool of daemon workers. */
final class SystemScheduler implements Scheduler {
  private static final AtomicInteger IDS = new AtomicInteger();

  private final ScheduledExecutorService timer;
  private final ExecutorService workers;

  SystemScheduler() {
    int id = IDS.incrementAndGet();
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, daemon("holdfast-timer-" + id));
    t.setRemoveOnCancelPolicy(true);
    this.timer = t;
    this.workers = Executors.newCachedThreadPool(daemon("holdfast-worker-" + id + "-"));
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    java.util.Objects.requireNonNull(delay, "delay");
    java.util.Objects.requireNonNull(task, "task");
    if (delay.isZero() || delay.isNegative()) {
      java.util.concurrent.Future<?> f = workers.submit(task);
      return () -> f.cancel(false);
    }
    ScheduledFuture<?> f = timer.schedule(() -> workers.execute(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    long nanos = java.util.Objects.requireNonNull(duration, "duration").toNanos();
    if (nanos > 0) {
      TimeUnit.NANOSECONDS.sleep(nanos);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    workers.shutdownNow();
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name.endsWith("-") ? name + n.incrementAndGet() : name);
      t.setDaemon(true);
      return t;
    };
  }
}
