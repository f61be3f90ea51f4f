package dev.holdfast;

import dev.holdfast.internal.Futures;
import dev.holdfast.internal.SafeLog;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;

/**
 * Runs any call under a guard and turns its data-access failures into values instead of exceptions: a read returns
 * a {@link SafeResult} (the fresh value, or the caller's default with the error), a write returns a {@link
 * WriteResult} (applied, failed, or unknown outcome). Each failure is logged once at WARN (logger {@code
 * dev.holdfast.Safe}) with the operation's name, without secrets.
 *
 * <p>Only {@link HoldfastException}s, the classified data-access failures, become results. Anything else (a null
 * argument, a bug in the call, an exception no classifier recognises) still propagates, because serving a default
 * would hide it.
 *
 * <p>Calls run under {@link ResiliencePolicy#safeDefaults()} (3 attempts, 100 ms then 200 ms plus up to 25 %
 * jitter) unless {@link #withPolicy(ResiliencePolicy) another policy} is given, while sharing the guard's circuit
 * breaker, retry budget and bulkhead.
 *
 * <pre>{@code
 * Safe safe = db.safe();
 * SafeResult<List<Offer>> offers = safe.get("offers.active", ctx -> offerDao.active(), List.of());
 * render(offers.value());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Safe {
  private final Guard guard;
  private final ResiliencePolicy policy;
  private final Executor callbacks;

  private Safe(Guard guard, ResiliencePolicy policy) {
    this.guard = guard;
    this.policy = policy;
    Scheduler scheduler = guard.scheduler();
    this.callbacks = task -> scheduler.schedule(Duration.ZERO, task);
  }

  /**
   * Safe calls over {@code guard}, under {@link ResiliencePolicy#safeDefaults()}.
   *
   * @throws NullPointerException if {@code guard} is null
   */
  public static Safe over(Guard guard) {
    return new Safe(Objects.requireNonNull(guard, "guard"), ResiliencePolicy.safeDefaults());
  }

  /**
   * A copy whose calls run under {@code policy}.
   *
   * @throws NullPointerException if {@code policy} is null
   */
  public Safe withPolicy(ResiliencePolicy policy) {
    return new Safe(guard, Objects.requireNonNull(policy, "policy"));
  }

  /** The policy safe calls run under. */
  public ResiliencePolicy policy() {
    return policy;
  }

  /**
   * Runs {@code read} as a {@link Effect#READ read}; returns its value, or {@code defaultValue} and the error when
   * it fails for good.
   *
   * @param operation a short name for logs and events, such as {@code offers.active}
   * @param read the read; it may throw anything, and the guard's classifiers decide what is a data-access failure
   * @param defaultValue what to return when the read fails; may be null
   * @throws NullPointerException if {@code operation} or {@code read} is null
   */
  public <T> SafeResult<T> get(String operation, Attempt<T> read, T defaultValue) {
    Call call = readCall(operation, read);
    SafeResult<T> result;
    try {
      result = SafeResult.fresh(guard.call(call, read));
    } catch (HoldfastException e) {
      result = readFailed(operation, defaultValue, e);
    }
    return report(guard, operation, result);
  }

  /**
   * Like {@link #get(String, Attempt, Object)}, with attempts and backoff waits on the guard's scheduler: the
   * caller's thread never runs or waits for the read, and the future completes on a scheduler thread. The future
   * fails only with what {@link #get} would throw.
   */
  public <T> CompletableFuture<SafeResult<T>> getAsync(String operation, Attempt<T> read, T defaultValue) {
    Call call = readCall(operation, read);
    return settle(guard.callAsync(call, read), (value, failure) -> report(guard, operation, failure == null
        ? SafeResult.fresh(value) : readFailed(operation, defaultValue, failure)));
  }

  /**
   * Runs {@code write} as {@code call} says (its {@link Effect} decides whether it may be retried, and its
   * policy, when it has one, replaces this one); returns whether it was applied.
   *
   * <pre>{@code
   * WriteResult r = safe.write(Call.idempotentWrite("profile.save"), ctx -> dao.upsert(profile));
   * }</pre>
   *
   * @throws NullPointerException if {@code call} or {@code write} is null
   */
  public WriteResult write(Call call, Attempt<?> write) {
    Call effective = writeCall(call, write);
    try {
      guard.call(effective, write);
      return WriteResult.applied();
    } catch (HoldfastException e) {
      return writeFailed(call.operation(), e);
    }
  }

  /** Like {@link #write(Call, Attempt)}, with attempts and waits on the guard's scheduler. */
  public CompletableFuture<WriteResult> writeAsync(Call call, Attempt<?> write) {
    Call effective = writeCall(call, write);
    return settle(guard.callAsync(effective, write), (ignored, failure) -> failure == null
        ? WriteResult.applied() : writeFailed(call.operation(), failure));
  }

  private Call readCall(String operation, Attempt<?> read) {
    Objects.requireNonNull(read, "read");
    return Call.read(operation).withPolicy(policy);
  }

  private Call writeCall(Call call, Attempt<?> write) {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(write, "write");
    return call.policyOverride().isPresent() ? call : call.withPolicy(policy);
  }

  /** Tells {@code guard}'s listeners where {@code result}'s value came from; builds nothing when nobody listens. */
  static <R extends SafeResult<?>> R report(Guard guard, String operation, R result) {
    if (guard.observed()) {
      guard.emit(new GuardEvent.SafeResultServed(guard.backend(), operation, result.source(), result.age(),
          result.errorOrNull()));
    }
    return result;
  }

  private static <T> SafeResult<T> readFailed(String operation, T defaultValue, HoldfastException e) {
    SafeResult<T> result = SafeResult.defaulted(defaultValue, e);
    SafeLog.readFailed(operation, null, result, e);
    return result;
  }

  private static WriteResult writeFailed(String operation, HoldfastException e) {
    WriteResult result = WriteResult.of(e);
    SafeLog.writeFailed(operation, null, result);
    return result;
  }

  private <V, R> CompletableFuture<R> settle(
      CompletableFuture<V> guarded, BiFunction<V, HoldfastException, R> toResult) {
    return Futures.settle(guarded, toResult, callbacks);
  }

  @Override
  public String toString() {
    return "Safe{backend=" + guard.backend() + ", policy=" + policy + "}";
  }
}
