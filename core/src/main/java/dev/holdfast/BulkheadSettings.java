package dev.holdfast;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code maxConcurrentCalls} calls in flight to one backend; a further call waits up to {@code maxWait}
 * for a place and is then rejected with {@link BulkheadFullException}. Immutable and thread-safe.
 *
 * @param maxConcurrentCalls the most calls in flight at once (at least 1)
 * @param maxWait how long a call waits for a place (zero: reject at once)
 */
public record BulkheadSettings(int maxConcurrentCalls, Duration maxWait) {
  public BulkheadSettings {
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxConcurrentCalls < 1 || maxWait.isNegative()) {
      throw new IllegalArgumentException("need maxConcurrentCalls >= 1 and maxWait >= 0");
    }
  }
}
