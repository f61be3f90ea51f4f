package dev.holdfast.internal;

import dev.holdfast.RetryBudgetSettings;
import dev.holdfast.TransientException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A guard's retry quota (see {@link RetryBudgetSettings}): starts full; a retry takes its cost or is refused; a
 * successful call gives back its last retry's cost, or the no-retry increment. Lock-free and thread-safe.
 */
public final class RetryBudget {
  private final int maxTokens;
  private final int retryCost;
  private final int timeoutRetryCost;
  private final int noRetryIncrement;
  private final AtomicInteger tokens;

  /**
   * A full bucket.
   *
   * @throws NullPointerException if {@code settings} is null
   */
  public RetryBudget(RetryBudgetSettings settings) {
    Objects.requireNonNull(settings, "settings");
    this.maxTokens = settings.maxTokens();
    this.retryCost = settings.retryCost();
    this.timeoutRetryCost = settings.timeoutRetryCost();
    this.noRetryIncrement = settings.noRetryIncrement();
    this.tokens = new AtomicInteger(maxTokens);
  }

  /** What a retry after {@code failure} costs: more after a timeout, which kept the server busy longer. */
  public int costOf(TransientException failure) {
    return isTimeout(failure) ? timeoutRetryCost : retryCost;
  }

  /** Takes the cost of a retry after {@code failure}; returns the tokens taken, or 0 when the bucket cannot pay. */
  public int tryAcquire(TransientException failure) {
    int cost = costOf(failure);
    while (true) {
      int now = tokens.get();
      if (now < cost) {
        return 0;
      }
      if (tokens.compareAndSet(now, now - cost)) {
        return cost;
      }
    }
  }

  /**
   * Records a successful call: gives back {@code lastRetryCost} (what its last retry took), or the no-retry
   * increment when it made no retry; never above {@code maxTokens}.
   */
  public void onSuccess(int lastRetryCost) {
    int refund = lastRetryCost > 0 ? lastRetryCost : noRetryIncrement;
    // The hot path: a healthy backend keeps the bucket full, and a full bucket needs no write.
    if (refund == 0 || tokens.get() >= maxTokens) {
      return;
    }
    tokens.accumulateAndGet(refund, (now, add) -> Math.min(maxTokens, now + add));
  }

  /** The tokens left. */
  public int tokens() {
    return tokens.get();
  }

  /** The bucket's size. */
  public int maxTokens() {
    return maxTokens;
  }

  /** Whether {@code failure} was a timeout: the guard's own ({@code HF_TIMEOUT}) or a statement timeout. */
  static boolean isTimeout(TransientException failure) {
    String code = failure.code().orElse("");
    return code.equals(JdkErrorClassifier.TIMEOUT) || code.equals("57014");
  }

  @Override
  public String toString() {
    return "RetryBudget{tokens=" + tokens() + "/" + maxTokens + "}";
  }
}
