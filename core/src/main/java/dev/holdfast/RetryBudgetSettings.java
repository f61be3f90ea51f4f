package dev.holdfast;

/**
 * A token bucket that limits retries per backend, in the manner of gRPC retry throttling and the AWS SDKs'
 * retry quota: the bucket starts full at {@code maxTokens}; every failed attempt takes one token, every success
 * gives back {@code tokenRatio}; retries are allowed only while more than half the tokens are left. During an
 * outage the bucket drains and retries stop, so clients do not multiply the load on a struggling database; as
 * calls succeed again it refills. Immutable and thread-safe.
 *
 * @param maxTokens the bucket's size (gRPC's {@code maxTokens}, 1 to 1000)
 * @param tokenRatio the tokens a success returns (gRPC's {@code tokenRatio}, greater than 0)
 */
public record RetryBudgetSettings(double maxTokens, double tokenRatio) {
  public RetryBudgetSettings {
    if (!(maxTokens >= 1 && maxTokens <= 1000)) {
      throw new IllegalArgumentException("maxTokens must be in [1, 1000]: " + maxTokens);
    }
    if (!(tokenRatio > 0)) {
      throw new IllegalArgumentException("tokenRatio must be > 0: " + tokenRatio);
    }
  }

  /** 10 tokens, 0.1 back per success: gRPC's recommended starting point. */
  public static RetryBudgetSettings defaults() {
    return new RetryBudgetSettings(10, 0.1);
  }
}
