package dev.holdfast.testkit.internal.proxy;

import dev.holdfast.testkit.FaultProxy.Direction;
import dev.holdfast.testkit.FaultProxy.Fault;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The fault in force and the place where pump threads wait: while a black hole holds their bytes, or while a
 * chunk serves its latency. Every change of fault, and every connection that ends, wakes the waiters, so a
 * heal, a reset or a close takes effect at once instead of after a sleep. Thread-safe.
 */
final class FaultState {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private volatile Installed installed = new Installed(new Fault.PassThrough(), 0);

  /** A fault with the sequence number of its installation, so a connection can tell two equal faults apart. */
  record Installed(Fault fault, long generation) {}

  Installed current() {
    return installed;
  }

  void install(Fault fault) {
    lock.lock();
    try {
      installed = new Installed(fault, installed.generation() + 1);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Makes every waiter re-check whether it was cancelled. */
  void wakeAll() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until a new connection may be forwarded to the target (no black hole in force).
   *
   * @return the fault in force then, or null if {@code cancelled} became true first
   */
  Installed awaitAdmission(BooleanSupplier cancelled) {
    return await(null, 0, cancelled);
  }

  /**
   * Waits until a chunk that arrived at {@code arrivedNanos} travelling {@code way} may be forwarded: no black
   * hole in force and the latency in force, if it applies to {@code way}, served since arrival. The latency is
   * re-read after every wake-up, so healing releases a chunk that is still serving it.
   *
   * @return the fault in force then, or null if {@code cancelled} became true first
   */
  Installed awaitForwarding(Direction way, long arrivedNanos, BooleanSupplier cancelled) {
    return await(way, arrivedNanos, cancelled);
  }

  private Installed await(Direction way, long arrivedNanos, BooleanSupplier cancelled) {
    lock.lock();
    try {
      while (true) {
        if (cancelled.getAsBoolean()) {
          return null;
        }
        Installed now = installed;
        if (now.fault() instanceof Fault.BlackHole) {
          changed.await();
          continue;
        }
        long remaining = way == null ? 0 : latencyNanos(now.fault(), way) - (System.nanoTime() - arrivedNanos);
        if (remaining <= 0) {
          return now;
        }
        changed.awaitNanos(remaining);
      }
    } catch (InterruptedException e) {
      // Nobody interrupts the proxy's threads on purpose; treat it as a request to stop this connection.
      Thread.currentThread().interrupt();
      return null;
    } finally {
      lock.unlock();
    }
  }

  private static long latencyNanos(Fault fault, Direction way) {
    if (fault instanceof Fault.Latency latency && latency.direction().includes(way)) {
      return saturatedNanos(latency.delay());
    }
    return 0;
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }
}
