package dev.holdfast.testkit;

import dev.holdfast.HoldfastException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.function.Supplier;

/** The faults a test scripted for an {@link InMemoryBackend}, fired in order, one per call. Thread-safe. */
final class ScriptedFaults {
  private final Deque<Supplier<? extends HoldfastException>> queue = new ArrayDeque<>();

  synchronized void add(int n, Supplier<? extends HoldfastException> failure) {
    Objects.requireNonNull(failure, "failure");
    if (n < 0) {
      throw new IllegalArgumentException("n < 0: " + n);
    }
    for (int i = 0; i < n; i++) {
      queue.add(failure);
    }
  }

  synchronized int pending() {
    return queue.size();
  }

  /** The next fault to throw, or null when none is scripted. */
  HoldfastException next() {
    Supplier<? extends HoldfastException> failure;
    synchronized (this) {
      failure = queue.poll();
    }
    if (failure == null) {
      return null;
    }
    return Objects.requireNonNull(failure.get(), "scripted failure supplied null");
  }
}
