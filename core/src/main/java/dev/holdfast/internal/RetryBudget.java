package dev.holdfast.internal;

import dev.holdfast.RetryBudgetSettings;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A guard's retry budget: the token bucket of gRPC retry throttling (see {@link RetryBudgetSettings}). Starts full;
 * a transient failure takes one token, a success gives back {@code tokenRatio}; a retry is allowed only while more
 * than half the bucket is left. Lock-free and thread-safe: the token count is a double kept in an {@link
 * AtomicLong} and updated by compare-and-set.
 */
public final class RetryBudget {
  private final double maxTokens;
  private final double tokenRatio;
  private final double threshold;
  private final AtomicLong tokens;

  /**
   * A full bucket.
   *
   * @throws NullPointerException if {@code settings} is null
   */
  public RetryBudget(RetryBudgetSettings settings) {
    Objects.requireNonNull(settings, "settings");
    this.maxTokens = settings.maxTokens();
    this.tokenRatio = settings.tokenRatio();
    this.threshold = maxTokens / 2;
    this.tokens = new AtomicLong(Double.doubleToLongBits(maxTokens));
  }

  /** Records a transient failure: one token less, never below zero. */
  public void onFailure() {
    add(-1);
  }

  /** Records a success: {@code tokenRatio} tokens more, never above {@code maxTokens}. */
  public void onSuccess() {
    // The hot path: a healthy backend keeps the bucket full, and a full bucket needs no write.
    if (tokens() < maxTokens) {
      add(tokenRatio);
    }
  }

  /** Whether a retry may be sent now: more than half the bucket is left. */
  public boolean allowsRetry() {
    return tokens() > threshold;
  }

  /** The tokens left. */
  public double tokens() {
    return Double.longBitsToDouble(tokens.get());
  }

  /** The bucket's size. */
  public double maxTokens() {
    return maxTokens;
  }

  private void add(double delta) {
    long prev;
    long next;
    do {
      prev = tokens.get();
      double updated = Math.max(0, Math.min(maxTokens, Double.longBitsToDouble(prev) + delta));
      next = Double.doubleToLongBits(updated);
    } while (prev != next && !tokens.compareAndSet(prev, next));
  }

  @Override
  public String toString() {
    return "RetryBudget{tokens=" + tokens() + "/" + maxTokens + "}";
  }
}
