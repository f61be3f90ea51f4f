package dev.holdfast.spring;

import dev.holdfast.Backoff;
import dev.holdfast.BulkheadSettings;
import dev.holdfast.CircuitBreakerSettings;
import dev.holdfast.Jitter;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.RetryBudgetSettings;
import java.time.Duration;

/**
 * A {@link ResiliencePolicy} written as properties: {@code holdfast.resilience.*} for every call, {@code
 * holdfast.jdbc.resilience.*} and {@code holdfast.postgrest.resilience.*} for one backend (a key set there replaces
 * the one under {@code holdfast.resilience}, the others are inherited).
 * The defaults are {@link ResiliencePolicy#defaults()}'s. Not thread-safe; Spring binds it once at startup.
 */
public class ResilienceProperties {
  /** Attempts per call, the first included (1: no retries). */
  private int maxAttempts = 3;

  /** All attempts and waits of one call together. */
  private Duration deadline = Duration.ofSeconds(10);

  /** One attempt; backends apply it to the statement or HTTP call. */
  private Duration attemptTimeout = Duration.ofSeconds(5);

  /** Whether a longer Retry-After (PostgREST 503, 429) replaces the backoff delay, within the deadline. */
  private boolean honorRetryAfter = true;

  private final BackoffProperties backoff = new BackoffProperties();

  private final CircuitBreakerProperties circuitBreaker = new CircuitBreakerProperties();

  private final RetryBudgetProperties retryBudget = new RetryBudgetProperties();

  private final BulkheadProperties bulkhead = new BulkheadProperties();

  /** The policy these properties describe. */
  public ResiliencePolicy toPolicy() {
    ResiliencePolicy.Builder b = ResiliencePolicy.builder().maxAttempts(maxAttempts).deadline(deadline)
        .attemptTimeout(attemptTimeout).honorRetryAfter(honorRetryAfter).backoff(backoff.toBackoff());
    if (circuitBreaker.enabled) {
      b.circuitBreaker(circuitBreaker.toSettings());
    } else {
      b.withoutCircuitBreaker();
    }
    if (retryBudget.enabled) {
      b.retryBudget(new RetryBudgetSettings(retryBudget.maxTokens, retryBudget.retryCost,
          retryBudget.timeoutRetryCost, retryBudget.noRetryIncrement));
    } else {
      b.withoutRetryBudget();
    }
    if (bulkhead.maxConcurrentCalls > 0) {
      b.bulkhead(new BulkheadSettings(bulkhead.maxConcurrentCalls, bulkhead.maxWait));
    }
    return b.build();
  }

  public int getMaxAttempts() {
    return maxAttempts;
  }

  public void setMaxAttempts(int maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  public Duration getDeadline() {
    return deadline;
  }

  public void setDeadline(Duration deadline) {
    this.deadline = deadline;
  }

  public Duration getAttemptTimeout() {
    return attemptTimeout;
  }

  public void setAttemptTimeout(Duration attemptTimeout) {
    this.attemptTimeout = attemptTimeout;
  }

  public boolean isHonorRetryAfter() {
    return honorRetryAfter;
  }

  public void setHonorRetryAfter(boolean honorRetryAfter) {
    this.honorRetryAfter = honorRetryAfter;
  }

  public BackoffProperties getBackoff() {
    return backoff;
  }

  public CircuitBreakerProperties getCircuitBreaker() {
    return circuitBreaker;
  }

  public RetryBudgetProperties getRetryBudget() {
    return retryBudget;
  }

  public BulkheadProperties getBulkhead() {
    return bulkhead;
  }

  /** How a backoff delay is randomised: {@link Jitter#full()}, {@link Jitter#additive} or {@link Jitter#none()}. */
  public enum JitterKind {
    /** A delay drawn uniformly from zero to the nominal delay. */
    FULL,
    /** The nominal delay plus up to jitter-fraction of it. */
    ADDITIVE,
    /** The nominal delay. */
    NONE
  }

  /** The delay before each retry: {@code base * multiplier^(retry - 1)}, at most {@code cap}, then jittered. */
  public static class BackoffProperties {
    /** The delay before the first retry, before jitter. */
    private Duration base = Duration.ofMillis(100);

    /** The longest delay, before jitter. */
    private Duration cap = Duration.ofSeconds(2);

    /** What each further retry multiplies the delay by. */
    private double multiplier = 2.0;

    /** How the delay is randomised, so that clients that failed together do not retry together. */
    private JitterKind jitter = JitterKind.FULL;

    /** For ADDITIVE jitter: the largest share of the nominal delay that is added, 0 to 1. */
    private double jitterFraction = 0.25;

    /** ResiliencePolicy.safeDefaults()'s backoff: 100 ms doubling to 400 ms, plus up to 25 %. */
    static BackoffProperties safe() {
      BackoffProperties b = new BackoffProperties();
      b.cap = Duration.ofMillis(400);
      b.jitter = JitterKind.ADDITIVE;
      return b;
    }

    Backoff toBackoff() {
      Jitter j = switch (jitter) {
        case FULL -> Jitter.full();
        case ADDITIVE -> Jitter.additive(jitterFraction);
        case NONE -> Jitter.none();
      };
      return new Backoff(base, cap, multiplier, j);
    }

    public Duration getBase() {
      return base;
    }

    public void setBase(Duration base) {
      this.base = base;
    }

    public Duration getCap() {
      return cap;
    }

    public void setCap(Duration cap) {
      this.cap = cap;
    }

    public double getMultiplier() {
      return multiplier;
    }

    public void setMultiplier(double multiplier) {
      this.multiplier = multiplier;
    }

    public JitterKind getJitter() {
      return jitter;
    }

    public void setJitter(JitterKind jitter) {
      this.jitter = jitter;
    }

    public double getJitterFraction() {
      return jitterFraction;
    }

    public void setJitterFraction(double jitterFraction) {
      this.jitterFraction = jitterFraction;
    }
  }

  /** The backend's circuit breaker; see {@link CircuitBreakerSettings}. */
  public static class CircuitBreakerProperties {
    /** Whether calls go through a circuit breaker. */
    private boolean enabled = true;

    /** Transient failures among the last window attempts that open the breaker. */
    private int failureThreshold = 5;

    /** How many recent attempts are counted. */
    private int window = 10;

    /** How long the breaker stays open the first time. */
    private Duration openDelay = Duration.ofMillis(100);

    /** The longest open delay, reached by doubling after each failed trial call. */
    private Duration maxOpenDelay = Duration.ofSeconds(2);

    /** Trial calls that must succeed to close the breaker. */
    private int successThreshold = 1;

    /** Trial calls let through at once while half-open. */
    private int trialCalls = 1;

    /** How often a breaker that is not closed probes the backend's health check; 0 for no probe. */
    private Duration probeInterval = Duration.ofMillis(500);

    CircuitBreakerSettings toSettings() {
      return new CircuitBreakerSettings(failureThreshold, window, openDelay, maxOpenDelay, successThreshold,
          trialCalls, probeInterval);
    }

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public int getFailureThreshold() {
      return failureThreshold;
    }

    public void setFailureThreshold(int failureThreshold) {
      this.failureThreshold = failureThreshold;
    }

    public int getWindow() {
      return window;
    }

    public void setWindow(int window) {
      this.window = window;
    }

    public Duration getOpenDelay() {
      return openDelay;
    }

    public void setOpenDelay(Duration openDelay) {
      this.openDelay = openDelay;
    }

    public Duration getMaxOpenDelay() {
      return maxOpenDelay;
    }

    public void setMaxOpenDelay(Duration maxOpenDelay) {
      this.maxOpenDelay = maxOpenDelay;
    }

    public int getSuccessThreshold() {
      return successThreshold;
    }

    public void setSuccessThreshold(int successThreshold) {
      this.successThreshold = successThreshold;
    }

    public int getTrialCalls() {
      return trialCalls;
    }

    public void setTrialCalls(int trialCalls) {
      this.trialCalls = trialCalls;
    }

    public Duration getProbeInterval() {
      return probeInterval;
    }

    public void setProbeInterval(Duration probeInterval) {
      this.probeInterval = probeInterval;
    }
  }

  /** The backend's retry budget (the AWS SDKs' retry quota); see {@link RetryBudgetSettings}. */
  public static class RetryBudgetProperties {
    /** Whether retries are rationed by a token bucket per backend. */
    private boolean enabled = true;

    /** The bucket's size and starting level. */
    private int maxTokens = 500;

    /** Tokens a retry costs. */
    private int retryCost = 5;

    /** Tokens a retry after a timeout costs. */
    private int timeoutRetryCost = 10;

    /** Tokens a call that succeeded at its first attempt gives back. */
    private int noRetryIncrement = 1;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public int getMaxTokens() {
      return maxTokens;
    }

    public void setMaxTokens(int maxTokens) {
      this.maxTokens = maxTokens;
    }

    public int getRetryCost() {
      return retryCost;
    }

    public void setRetryCost(int retryCost) {
      this.retryCost = retryCost;
    }

    public int getTimeoutRetryCost() {
      return timeoutRetryCost;
    }

    public void setTimeoutRetryCost(int timeoutRetryCost) {
      this.timeoutRetryCost = timeoutRetryCost;
    }

    public int getNoRetryIncrement() {
      return noRetryIncrement;
    }

    public void setNoRetryIncrement(int noRetryIncrement) {
      this.noRetryIncrement = noRetryIncrement;
    }
  }

  /** A bound on the calls in flight to one backend; see {@link BulkheadSettings}. */
  public static class BulkheadProperties {
    /** The most calls in flight at once; 0 for no bulkhead. */
    private int maxConcurrentCalls = 0;

    /** How long a call waits for a free slot before failing with BulkheadFullException. */
    private Duration maxWait = Duration.ZERO;

    public int getMaxConcurrentCalls() {
      return maxConcurrentCalls;
    }

    public void setMaxConcurrentCalls(int maxConcurrentCalls) {
      this.maxConcurrentCalls = maxConcurrentCalls;
    }

    public Duration getMaxWait() {
      return maxWait;
    }

    public void setMaxWait(Duration maxWait) {
      this.maxWait = maxWait;
    }
  }
}
