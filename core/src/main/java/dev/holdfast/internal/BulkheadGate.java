package dev.holdfast.internal;

import dev.failsafe.Bulkhead;
import dev.holdfast.BulkheadSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A guard's bulkhead: Failsafe's {@link Bulkhead} holds the permits. Thread-safe.
 *
 * <p>Waiting for a permit is done here, not by Failsafe: in Failsafe 3.3.2 a timed {@code
 * Bulkhead.tryAcquirePermit(Duration)} that times out leaves its waiter queued, and the next release hands that
 * waiter the permit, which is then lost for good (failsafe-lib/failsafe#393). So a waiting caller polls the
 * non-blocking {@link Bulkhead#tryAcquirePermit()} and sleeps on this gate's monitor, which {@link #release()}
 * signals. The wait uses real time (the caller's thread blocks until another thread frees a permit), not the
 * guard's scheduler; with {@code maxWait} zero nothing waits.
 */
public final class BulkheadGate {
  private final Bulkhead<Object> bulkhead;
  private final Duration maxWait;
  private final AtomicInteger waiters = new AtomicInteger();
  // Failsafe's Bulkhead does not say how many permits are taken; counted here for the in-use gauge.
  private final AtomicInteger inUse = new AtomicInteger();

  /** A bulkhead with all its permits free. */
  public BulkheadGate(BulkheadSettings settings) {
    this.bulkhead = Bulkhead.of(settings.maxConcurrentCalls());
    this.maxWait = settings.maxWait();
  }

  /** Takes a permit at once, or returns false. */
  public boolean tryAcquire() {
    return taken(bulkhead.tryAcquirePermit());
  }

  /**
   * Takes a permit, waiting up to {@code maxWait} for one.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public boolean acquire() throws InterruptedException {
    if (bulkhead.tryAcquirePermit()) {
      return taken(true);
    }
    if (maxWait.isZero()) {
      return false;
    }
    long deadline = System.nanoTime() + maxWait.toNanos();
    synchronized (this) {
      waiters.incrementAndGet();
      try {
        while (!bulkhead.tryAcquirePermit()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return taken(true);
      } finally {
        waiters.decrementAndGet();
      }
    }
  }

  /** Returns a permit taken by {@link #tryAcquire()} or {@link #acquire()}. */
  public void release() {
    inUse.decrementAndGet();
    bulkhead.releasePermit();
    // A waiter counts itself before it looks for a permit, so it either sees this permit or gets this signal.
    if (waiters.get() > 0) {
      synchronized (this) {
        notifyAll();
      }
    }
  }

  /** How many permits are taken now: attempts in flight. */
  public int inUse() {
    return inUse.get();
  }

  private boolean taken(boolean acquired) {
    if (acquired) {
      inUse.incrementAndGet();
    }
    return acquired;
  }

  /** The most calls in flight. */
  public int maxConcurrentCalls() {
    return bulkhead.getConfig().getMaxConcurrency();
  }

  /** How long a blocking call waits for a permit. */
  public Duration maxWait() {
    return maxWait;
  }
}
