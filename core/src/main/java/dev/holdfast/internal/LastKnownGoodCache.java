package dev.holdfast.internal;

import dev.holdfast.LastKnownGood;
import dev.holdfast.Scheduler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A bounded least-recently-used cache of last-known-good values, each stamped with the {@link Scheduler}'s clock
 * when stored, so that its age is measured on the same clock as the guard's waits (and a ManualScheduler drives
 * it in tests). Internal; thread-safe (one lock: entries are small and operations O(1)).
 *
 * @param <V> the cached values' type
 */
public final class LastKnownGoodCache<V> {
  /**
   * A cached value and its age.
   *
   * @param value the value
   * @param age how long ago it was stored
   */
  public record Hit<V>(V value, Duration age) {}

  private record Entry<V>(V value, long storedAtNanos) {}

  private final Scheduler clock;
  private final long maxAgeNanos;
  private final Map<String, Entry<V>> entries;

  public LastKnownGoodCache(LastKnownGood settings, Scheduler clock) {
    Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxAgeNanos = settings.maxAge().toNanos();
    int max = settings.maxEntries();
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry<V>> eldest) {
        return size() > max;
      }
    };
  }

  /** Stores {@code value} under {@code key}, stamped now. */
  public synchronized void put(String key, V value) {
    entries.put(key, new Entry<>(value, clock.nanoTime()));
  }

  /** Forgets {@code key}: its value is gone or no longer known. */
  public synchronized void remove(String key) {
    entries.remove(key);
  }

  /** Forgets every key that {@code stale} accepts. */
  public synchronized void removeIf(Predicate<String> stale) {
    entries.keySet().removeIf(stale);
  }

  /** The value under {@code key} if it is at most the maximum age old; an older one is dropped. */
  public synchronized Optional<Hit<V>> get(String key) {
    Entry<V> e = entries.get(key);
    if (e == null) {
      return Optional.empty();
    }
    long age = clock.nanoTime() - e.storedAtNanos;
    if (age > maxAgeNanos) {
      entries.remove(key);
      return Optional.empty();
    }
    return Optional.of(new Hit<>(e.value, Duration.ofNanos(age)));
  }

  /** How many entries are cached. */
  public synchronized int size() {
    return entries.size();
  }
}
