package dev.holdfast;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * An attempt that throws the scripted failures in order, then returns {@code result} (or, with {@link
 * #alwaysFailing}, throws forever); records every {@link CallContext} it was given. Thread-safe.
 */
final class ScriptedAttempt<T> implements Attempt<T> {
  private final Deque<Supplier<? extends Exception>> script = new ArrayDeque<>();
  private final List<CallContext> contexts = new ArrayList<>();
  private final T result;
  private final Supplier<? extends Exception> forever;
  private Runnable during = () -> {};

  private ScriptedAttempt(T result, Supplier<? extends Exception> forever) {
    this.result = result;
    this.forever = forever;
  }

  /** Returns {@code result} once the scripted failures are used up. */
  static <T> ScriptedAttempt<T> returning(T result) {
    return new ScriptedAttempt<>(result, null);
  }

  /** Throws a fresh failure from {@code failure} on every attempt. */
  static <T> ScriptedAttempt<T> alwaysFailing(Supplier<? extends Exception> failure) {
    return new ScriptedAttempt<>(null, failure);
  }

  /** Queues a failure. */
  synchronized ScriptedAttempt<T> thenFail(Exception failure) {
    script.add(() -> failure);
    return this;
  }

  /** Runs {@code action} inside every attempt, before it fails or returns (for example, to move the clock). */
  synchronized ScriptedAttempt<T> during(Runnable action) {
    this.during = action;
    return this;
  }

  @Override
  public T run(CallContext context) throws Exception {
    Supplier<? extends Exception> next;
    Runnable action;
    synchronized (this) {
      contexts.add(context);
      next = script.poll();
      action = during;
    }
    action.run();
    if (next != null) {
      throw next.get();
    }
    if (forever != null) {
      throw forever.get();
    }
    return result;
  }

  synchronized int attempts() {
    return contexts.size();
  }

  synchronized List<CallContext> contexts() {
    return List.copyOf(contexts);
  }
}
