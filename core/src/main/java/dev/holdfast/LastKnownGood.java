package dev.holdfast;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings for the opt-in last-known-good cache of a {@link SafeKeyValueStore}: successful reads refresh it, and a
 * failed read serves the cached copy while it is younger than {@code maxAge}, instead of a blank default. The cache
 * holds at most {@code maxEntries} keys (and as many prefixes), evicting the least recently used. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * SafeKeyValueStore settings = db.safeKeyValueStore("app_settings")
 *     .withLastKnownGood(LastKnownGood.of(10_000, Duration.ofMinutes(10)));
 * }</pre>
 *
 * @param maxEntries the most keys kept (and, separately, the most prefix results kept), at least 1
 * @param maxAge how old a cached copy may be and still be served, positive
 */
public record LastKnownGood(int maxEntries, Duration maxAge) {
  public LastKnownGood {
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries < 1: " + maxEntries);
    }
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
    }
  }

  /**
   * Settings keeping up to {@code maxEntries} keys for up to {@code maxAge}.
   *
   * @throws IllegalArgumentException if {@code maxEntries} &lt; 1 or {@code maxAge} is not positive
   */
  public static LastKnownGood of(int maxEntries, Duration maxAge) {
    return new LastKnownGood(maxEntries, maxAge);
  }
}
