package dev.holdfast;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code maxConcurrentCalls} attempts in flight to one backend; a further blocking call waits up to
 * {@code maxWait} for a place and is then rejected with {@link BulkheadFullException}, nothing sent. The wait blocks
 * the caller's thread in real time (a place frees up when another thread's attempt ends), not on the guard's
 * {@link Scheduler}; an asynchronous call never waits and is rejected at once. Immutable and thread-safe.
 *
 * @param maxConcurrentCalls the most attempts in flight at once (at least 1)
 * @param maxWait how long a blocking call waits for a place (zero: reject at once)
 */
public record BulkheadSettings(int maxConcurrentCalls, Duration maxWait) {
  public BulkheadSettings {
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxConcurrentCalls < 1 || maxWait.isNegative()) {
      throw new IllegalArgumentException("need maxConcurrentCalls >= 1 and maxWait >= 0");
    }
  }
}
