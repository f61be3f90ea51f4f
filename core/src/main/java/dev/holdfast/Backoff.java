package dev.holdfast;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff: the n-th retry waits {@code min(cap, base * multiplier^(n-1))}, randomised by a
 * {@link Jitter}. A pure value: {@link #delay(int, double)} decides, and the waiting happens elsewhere, on the
 * guard's {@link Scheduler}. Immutable and thread-safe.
 *
 * <pre>{@code
 * Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2)).withJitter(Jitter.full())
 * }</pre>
 *
 * @param base the nominal delay before the first retry
 * @param cap the largest nominal delay
 * @param multiplier how much the nominal delay grows per retry (at least 1)
 * @param jitter how the nominal delay is randomised
 */
public record Backoff(Duration base, Duration cap, double multiplier, Jitter jitter) {
  public Backoff {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cap, "cap");
    Objects.requireNonNull(jitter, "jitter");
    if (base.isNegative() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 <= base <= cap, got base=" + base + " cap=" + cap);
    }
    if (!(multiplier >= 1)) {
      throw new IllegalArgumentException("multiplier must be >= 1: " + multiplier);
    }
  }

  /** Doubling from {@code base} up to {@code cap}, with full jitter. */
  public static Backoff exponential(Duration base, Duration cap) {
    return new Backoff(base, cap, 2.0, Jitter.full());
  }

  /** The same delay every time, without jitter. */
  public static Backoff fixed(Duration delay) {
    return new Backoff(delay, delay, 1.0, Jitter.none());
  }

  /** A copy with {@code multiplier}. */
  public Backoff withMultiplier(double multiplier) {
    return new Backoff(base, cap, multiplier, jitter);
  }

  /** A copy with {@code jitter}. */
  public Backoff withJitter(Jitter jitter) {
    return new Backoff(base, cap, multiplier, jitter);
  }

  /** The nominal (un-jittered) delay before retry number {@code retry} (1 for the first retry). */
  public Duration nominalDelay(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry < 1: " + retry);
    }
    double nanos = base.toNanos() * Math.pow(multiplier, retry - 1);
    return nanos >= cap.toNanos() ? cap : Duration.ofNanos((long) nanos);
  }

  /**
   * The delay before retry number {@code retry} (1 for the first), given {@code random} uniformly drawn from
   * [0, 1).
   */
  public Duration delay(int retry, double random) {
    return jitter.apply(nominalDelay(retry), random);
  }
}
