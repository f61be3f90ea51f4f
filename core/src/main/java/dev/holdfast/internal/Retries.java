package dev.holdfast.internal;

import dev.failsafe.ExecutionContext;
import dev.failsafe.RetryPolicy;
import dev.holdfast.Effect;
import dev.holdfast.HoldfastException;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.TransientException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * The retry decisions of one {@link ResiliencePolicy}, as Failsafe {@link RetryPolicy}s, one per {@link Effect}:
 * which failures are retried ({@link #verdict}), how many attempts, and the delay before each retry (the policy's
 * {@link dev.holdfast.Backoff} or a longer Retry-After). Failsafe's standalone {@link dev.failsafe.Execution} runs
 * them; the waiting happens elsewhere. Built once per policy; immutable and thread-safe.
 */
public final class Retries {
  /** What a failed attempt means for the call. */
  public enum Verdict {
    /** Nobody recognised the failure: it reaches the caller unchanged. */
    UNRECOGNISED,
    /** Retrying would fail the same way: the failure reaches the caller. */
    FINAL,
    /** A non-idempotent write may have been applied: the call ends in UnknownOutcomeException. */
    AMBIGUOUS_WRITE,
    /** A later attempt may succeed. */
    RETRYABLE
  }

  private final ResiliencePolicy policy;
  private final EnumMap<Effect, RetryPolicy<Object>> byEffect = new EnumMap<>(Effect.class);

  /** The retry policies of {@code policy}, drawing jitter from {@code random}. */
  public Retries(ResiliencePolicy policy, DoubleSupplier random) {
    this.policy = Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(random, "random");
    for (Effect effect : Effect.values()) {
      byEffect.put(effect, RetryPolicy.builder()
          .handleIf((result, failure) -> failure instanceof TransientException)
          .abortIf((result, failure) -> verdict(effect, failure) == Verdict.AMBIGUOUS_WRITE)
          .withMaxAttempts(policy.maxAttempts())
          .withDelayFn(ctx -> delay(ctx, random))
          .build());
    }
  }

  /**
   * Whether a failed attempt of a call with {@code effect} may be retried, as a ladder of reasons not to (in the
   * manner of OkHttp's {@code RetryAndFollowUpInterceptor.recover()}).
   */
  public static Verdict verdict(Effect effect, Throwable failure) {
    // Nobody recognised it, so nobody knows whether repeating it is safe: leave it to the caller.
    if (!(failure instanceof HoldfastException)) {
      return Verdict.UNRECOGNISED;
    }
    // A conflict, a missing table, bad credentials or a bad request fail the same way every time.
    if (!(failure instanceof TransientException t)) {
      return Verdict.FINAL;
    }
    // A write that may have reached the server could be applied twice.
    if (effect == Effect.WRITE && t.requestSent()) {
      return Verdict.AMBIGUOUS_WRITE;
    }
    return Verdict.RETRYABLE;
  }

  /** The policy these retries belong to. */
  public ResiliencePolicy policy() {
    return policy;
  }

  /** The Failsafe retry policy for calls with {@code effect}. */
  public RetryPolicy<Object> forEffect(Effect effect) {
    return byEffect.get(effect);
  }

  /**
   * The server's Retry-After when the policy honours it and it is longer than {@code backoff}; otherwise null.
   */
  public Duration retryAfterOver(Throwable failure, Duration backoff) {
    if (policy.honorRetryAfter() && failure instanceof TransientException t) {
      Duration hint = t.retryAfter().orElse(null);
      if (hint != null && hint.compareTo(backoff) > 0) {
        return hint;
      }
    }
    return null;
  }

  private Duration delay(ExecutionContext<Object> ctx, DoubleSupplier random) {
    // Failsafe has counted the failed attempt already, so the attempt count is the number of the coming retry.
    Duration backoff = policy.backoff().delay(ctx.getAttemptCount(), random.getAsDouble());
    Duration hint = retryAfterOver(ctx.getLastException(), backoff);
    return hint != null ? hint : backoff;
  }
}
