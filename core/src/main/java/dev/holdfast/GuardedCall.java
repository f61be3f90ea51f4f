package dev.holdfast;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One call through a {@link Guard} as {@link GuardListener}s see it: every event of the call carries the same
 * instance, from {@link GuardEvent.CallStarted} to {@link GuardEvent.CallSucceeded} or {@link
 * GuardEvent.CallFailed}, so a listener can keep its per-call state on it (a timer sample, an observation and its
 * current child for the attempt) with {@link #put} and {@link #get}. It exists only while someone listens: a
 * guard whose listeners are all idle makes none.
 *
 * <pre>{@code
 * public void on(GuardEvent event) {
 *   if (event instanceof GuardEvent.CallStarted e) {
 *     e.call().put(Sample.class, Timer.start(registry));
 *   } else if (event instanceof GuardEvent.CallSucceeded e) {
 *     e.call().get(Sample.class, Timer.Sample.class).stop(timer(e.call(), "success"));
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safe: an async call's events may come from different threads (one after another).
 */
public final class GuardedCall {
  private final String backend;
  private final String operation;
  private final Effect effect;
  private Map<Object, Object> attachments;

  GuardedCall(String backend, Call call) {
    this.backend = backend;
    this.operation = call.operation();
    this.effect = call.effect();
  }

  /** The backend's name, such as {@code jdbc}: a low-cardinality tag. */
  public String backend() {
    return backend;
  }

  /**
   * The call's operation name, such as {@code tasks.findById}, {@code OrderDao.insert} or {@code kv.settings.get}:
   * what meters and spans are named or tagged by. Never holds parameter values.
   */
  public String operation() {
    return operation;
  }

  /** What the call does to the backend. */
  public Effect effect() {
    return effect;
  }

  /**
   * Attaches {@code value} to this call under {@code key}, replacing an earlier one; a null value removes it.
   *
   * @throws NullPointerException if {@code key} is null
   */
  public synchronized void put(Object key, Object value) {
    Objects.requireNonNull(key, "key");
    if (value == null) {
      remove(key);
      return;
    }
    if (attachments == null) {
      attachments = new HashMap<>(4);
    }
    attachments.put(key, value);
  }

  /**
   * The value attached under {@code key}, or null.
   *
   * @throws NullPointerException if an argument is null
   * @throws ClassCastException if the value is not a {@code type}
   */
  public synchronized <T> T get(Object key, Class<T> type) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    return attachments == null ? null : type.cast(attachments.get(key));
  }

  /**
   * Removes and returns the value attached under {@code key}, or null.
   *
   * @throws NullPointerException if {@code key} is null
   */
  public synchronized Object remove(Object key) {
    Objects.requireNonNull(key, "key");
    return attachments == null ? null : attachments.remove(key);
  }

  /** Names the backend, operation and effect; never the attachments. */
  @Override
  public String toString() {
    return "GuardedCall{" + backend + ", " + operation + ", " + effect + "}";
  }
}
