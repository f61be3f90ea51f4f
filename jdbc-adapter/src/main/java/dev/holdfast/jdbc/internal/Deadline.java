package dev.holdfast.jdbc.internal;

import dev.holdfast.ErrorDetails;
import dev.holdfast.TransientException;
import java.time.Duration;

/**
 * When an attempt must be done, on the monotonic clock; {@code watched} when a {@link StatementWatch} bounds the
 * connection the attempt runs on, so that its statements need no timeout of their own. Internal; immutable and
 * thread-safe.
 */
public record Deadline(long endNanos, boolean watched) {
  public static Deadline after(Duration timeout) {
    long nanos;
    try {
      nanos = timeout.toNanos();
    } catch (ArithmeticException e) {
      nanos = Long.MAX_VALUE / 4;
    }
    return new Deadline(System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4), false);
  }

  /** The same deadline, on a connection a {@link StatementWatch} bounds. */
  public Deadline asWatched() {
    return watched ? this : new Deadline(endNanos, true);
  }

  /** Milliseconds left, at least 1. */
  public long remainingMillis() {
    return Math.max(1, (endNanos - System.nanoTime()) / 1_000_000);
  }

  /**
   * Milliseconds left for the next statement; throws before sending anything when the attempt is out of time.
   */
  public long requireRemainingMillis() {
    long left = (endNanos - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new TransientException("The attempt ran out of time before the next statement",
          ErrorDetails.of("jdbc").withCode("57014"), null, false, null);
    }
    return left;
  }
}
