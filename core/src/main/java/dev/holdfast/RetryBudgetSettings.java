package dev.holdfast;

/**
 * A per-backend quota of retries, sized like the AWS SDKs' retry quota (standard retry mode): the bucket starts
 * full at {@code maxTokens}; a retry is made only if the bucket can pay its cost ({@code retryCost}, or {@code
 * timeoutRetryCost} when the failure being retried was a timeout, which ties up the server longer); a call that
 * succeeds gives back what its last retry cost, or {@code noRetryIncrement} when it succeeded at the first attempt.
 * First attempts are never refused. Immutable and thread-safe.
 *
 * <p>With the defaults (500 tokens, 5 per retry, 10 after a timeout, 1 back per first-attempt success) a guard may
 * retry 100 times (50 after timeouts) before it has to earn tokens back. A short outage under light traffic (say 10
 * failing calls of 3 attempts: 20 retries, 100 tokens) is retried normally; a storm of failing calls is cut after
 * about 100 retries, and each call then makes one attempt, so the load on a struggling database stays near the
 * load without retries. As calls succeed again the bucket refills.
 *
 * @param maxTokens the bucket's size and starting level, at least 1
 * @param retryCost tokens a retry costs, at least 1
 * @param timeoutRetryCost tokens a retry after a timeout costs ({@code HF_TIMEOUT} or SQLSTATE {@code 57014}), at
 *     least 1
 * @param noRetryIncrement tokens a call that succeeded at its first attempt gives back, at least 0
 */
public record RetryBudgetSettings(int maxTokens, int retryCost, int timeoutRetryCost, int noRetryIncrement) {
  public RetryBudgetSettings {
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be at least 1: " + maxTokens);
    }
    if (retryCost < 1 || timeoutRetryCost < 1) {
      throw new IllegalArgumentException("retryCost and timeoutRetryCost must be at least 1: " + retryCost + ", "
          + timeoutRetryCost);
    }
    if (noRetryIncrement < 0) {
      throw new IllegalArgumentException("noRetryIncrement must not be negative: " + noRetryIncrement);
    }
  }

  /** The AWS SDKs' standard retry quota: 500 tokens, 5 per retry, 10 per retry after a timeout, 1 back per success. */
  public static RetryBudgetSettings defaults() {
    return new RetryBudgetSettings(500, 5, 10, 1);
  }
}
