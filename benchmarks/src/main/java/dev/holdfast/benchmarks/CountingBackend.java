package dev.holdfast.benchmarks;

import dev.holdfast.spi.Backend;
import dev.holdfast.testkit.ForwardingBackend;

/**
 * Delegates to a backend and counts, per thread, the attempts that reach it, so that the outage measurement can
 * charge attempts to the logical request that made them (the blocking guard runs attempts on the caller's
 * thread), and the health checks the circuit breaker's probe makes. Thread-safe.
 */
final class CountingBackend extends ForwardingBackend {
  private static final ThreadLocal<int[]> ATTEMPTS = ThreadLocal.withInitial(() -> new int[1]);

  CountingBackend(Backend delegate) {
    super(delegate);
  }

  /** The attempts made on this thread since the last call, and resets the count. */
  static int takeAttempts() {
    int[] a = ATTEMPTS.get();
    int n = a[0];
    a[0] = 0;
    return n;
  }

  @Override
  protected void beforeCall(String operation) {
    ATTEMPTS.get()[0]++;
  }

  /** Health checks (the circuit breaker's probes) so far. */
  final java.util.concurrent.atomic.AtomicLong probes = new java.util.concurrent.atomic.AtomicLong();

  @Override
  public dev.holdfast.HealthReport check(java.time.Duration timeout) {
    probes.incrementAndGet();
    return super.check(timeout);
  }
}
