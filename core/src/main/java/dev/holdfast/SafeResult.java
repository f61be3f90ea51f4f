package dev.holdfast;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a safe read returned: the value, where it came from, and the failure that made it come from somewhere other
 * than the backend. Safe reads never throw for data-access failures; they return one of these instead.
 *
 * <table>
 *   <caption>Sources</caption>
 *   <tr><th>{@link #source()}</th><th>{@link #error()}</th><th>Meaning</th></tr>
 *   <tr><td>FRESH</td><td>empty</td><td>read from the backend just now</td></tr>
 *   <tr><td>LAST_KNOWN_GOOD</td><td>present</td><td>the backend failed; a cached copy {@link #age()} old</td></tr>
 *   <tr><td>DEFAULT</td><td>present</td><td>the backend failed and nothing usable was cached</td></tr>
 *   <tr><td>DEFAULT</td><td>empty</td><td>the backend answered that there is no such value</td></tr>
 * </table>
 *
 * <pre>{@code
 * SafeResult<Boolean> on = settings.safeGet("feature.checkout", Boolean.class, false);
 * if (!on.isFresh()) metrics.increment("settings.stale");
 * return on.value();
 * }</pre>
 *
 * <p>Immutable and thread-safe if the value is.
 *
 * @param <T> the value's type
 */
public final class SafeResult<T> {
  /** Where a {@link SafeResult}'s value came from. */
  public enum Source {
    /** Read from the backend by this call. */
    FRESH,
    /** A copy cached by an earlier successful read, served because this read failed. */
    LAST_KNOWN_GOOD,
    /** The caller's default: the read failed with nothing usable cached, or found no value. */
    DEFAULT
  }

  private final T value;
  private final Source source;
  private final HoldfastException error;
  private final Duration age;

  private SafeResult(T value, Source source, HoldfastException error, Duration age) {
    this.value = value;
    this.source = Objects.requireNonNull(source, "source");
    this.error = error;
    this.age = Objects.requireNonNull(age, "age");
  }

  /** A value just read from the backend. */
  public static <T> SafeResult<T> fresh(T value) {
    return new SafeResult<>(value, Source.FRESH, null, Duration.ZERO);
  }

  /**
   * A cached copy served instead of a failed read.
   *
   * @throws NullPointerException if {@code age} or {@code error} is null
   */
  public static <T> SafeResult<T> lastKnownGood(T value, Duration age, HoldfastException error) {
    return new SafeResult<>(value, Source.LAST_KNOWN_GOOD, Objects.requireNonNull(error, "error"), age);
  }

  /** The caller's default, because of {@code error}, or because the value does not exist when it is null. */
  public static <T> SafeResult<T> defaulted(T value, HoldfastException error) {
    return new SafeResult<>(value, Source.DEFAULT, error, Duration.ZERO);
  }

  /** The value; null only when the backend returned null or the caller's default is null. */
  public T value() {
    return value;
  }

  /** Where the value came from. */
  public Source source() {
    return source;
  }

  /** The data-access failure behind a LAST_KNOWN_GOOD or DEFAULT value; empty when the read succeeded. */
  public Optional<HoldfastException> error() {
    return Optional.ofNullable(error);
  }

  HoldfastException errorOrNull() {
    return error;
  }

  /**
   * How old a LAST_KNOWN_GOOD value is, measured on the {@link Scheduler}'s clock since the read that cached it;
   * zero for the other sources.
   */
  public Duration age() {
    return age;
  }

  /** Whether the value was read from the backend by this call. */
  public boolean isFresh() {
    return source == Source.FRESH;
  }

  /**
   * Whether the value was served without asking the backend, because its circuit breaker is open: {@link #error()}
   * is then a {@link CircuitOpenException}, which says when the next trial is due.
   */
  public boolean circuitOpen() {
    return error instanceof CircuitOpenException;
  }

  /** Whether the read failed (the value is then a cached copy or the default). */
  public boolean failed() {
    return error != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SafeResult<?> r && Objects.equals(value, r.value) && source == r.source
        && Objects.equals(error, r.error) && age.equals(r.age);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value, source, error, age);
  }

  /**
   * Names the value, source, age and failure: {@code SafeResult{LAST_KNOWN_GOOD, value=42, age=PT3S, circuit open,
   * error=...}}. The value is shown as its {@code toString()} through {@link Secrets#redact(String)}, which masks
   * what looks like a password, key or token and nothing else.
   */
  @Override
  public String toString() {
    return "SafeResult{" + source + ", value=" + Secrets.redact(String.valueOf(value))
        + (source == Source.LAST_KNOWN_GOOD ? ", age=" + age : "") + (circuitOpen() ? ", circuit open" : "")
        + (error == null ? "" : ", error=" + error.getClass().getSimpleName() + ": " + error.getMessage()) + "}";
  }
}
