package dev.holdfast;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How calls to a backend are retried, bounded and protected. Immutable and thread-safe; made by a {@link
 * Builder} and executed by a {@link Guard}, which owns the per-backend state (circuit breaker, retry budget,
 * bulkhead).
 *
 * <p>The policies nest like this, outermost first (Failsafe's composition order):
 * <pre>
 * Deadline( Retry+Budget( CircuitBreaker( Bulkhead( AttemptTimeout( call ) ) ) ) )
 * </pre>
 * <ul>
 *   <li>at most {@link #maxAttempts()} attempts, waiting {@link #backoff()} between them;</li>
 *   <li>a server's Retry-After hint replaces the backoff delay when longer, and only within the deadline;</li>
 *   <li>one overall {@link #deadline()}, and each attempt bounded by {@link #attemptTimeout()} (and by what
 *       remains of the deadline);</li>
 *   <li>reads and idempotent writes retry transient failures; a non-idempotent write retries only when the
 *       failure proves the request never reached the server, and otherwise ends in {@link
 *       UnknownOutcomeException};</li>
 *   <li>optional per-backend circuit breaker, retry budget and bulkhead.</li>
 * </ul>
 *
 * <p>The circuit breaker, retry budget and bulkhead are per backend: a {@link Guard} builds them once from its own
 * policy, and every call through it shares them. A policy given to a single call ({@link Call#withPolicy}) changes
 * only that call's attempts, backoff, deadline, attempt timeout and Retry-After handling.
 *
 * <pre>{@code
 * ResiliencePolicy policy = ResiliencePolicy.builder()
 *     .maxAttempts(4)
 *     .backoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2)))
 *     .deadline(Duration.ofSeconds(5))
 *     .build();
 * }</pre>
 */
public final class ResiliencePolicy {
  private static final ResiliencePolicy DEFAULTS = builder().build();
  private static final ResiliencePolicy SAFE_DEFAULTS = builder()
      .maxAttempts(3)
      .backoff(new Backoff(Duration.ofMillis(100), Duration.ofMillis(400), 2.0, Jitter.additive(0.25)))
      .build();

  private final int maxAttempts;
  private final Backoff backoff;
  private final Duration deadline;
  private final Duration attemptTimeout;
  private final boolean honorRetryAfter;
  private final CircuitBreakerSettings circuitBreaker;
  private final RetryBudgetSettings retryBudget;
  private final BulkheadSettings bulkhead;

  private ResiliencePolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.backoff = b.backoff;
    this.deadline = b.deadline;
    this.attemptTimeout = b.attemptTimeout;
    this.honorRetryAfter = b.honorRetryAfter;
    this.circuitBreaker = b.circuitBreaker;
    this.retryBudget = b.retryBudget;
    this.bulkhead = b.bulkhead;
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The default for repositories: 3 attempts, exponential backoff from 100 ms to 2 s with full jitter, a 10 s
   * deadline, 5 s per attempt, Retry-After honoured, the default circuit breaker and retry budget, no bulkhead.
   */
  public static ResiliencePolicy defaults() {
    return DEFAULTS;
  }

  /**
   * The default for safe get/set: 3 attempts with backoff 100 ms then 200 ms (capped at 400 ms) plus up to 25 %
   * jitter, otherwise as {@link #defaults()}.
   */
  public static ResiliencePolicy safeDefaults() {
    return SAFE_DEFAULTS;
  }

  /** A builder starting from this policy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The most attempts per call, including the first (1 means no retry). */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The delay between attempts. */
  public Backoff backoff() {
    return backoff;
  }

  /** The most time one call may take, all attempts and waits included. */
  public Duration deadline() {
    return deadline;
  }

  /** The most time one attempt may take. */
  public Duration attemptTimeout() {
    return attemptTimeout;
  }

  /** Whether a server's Retry-After hint replaces the backoff delay when it is longer. */
  public boolean honorRetryAfter() {
    return honorRetryAfter;
  }

  /** The circuit breaker, when enabled. */
  public Optional<CircuitBreakerSettings> circuitBreaker() {
    return Optional.ofNullable(circuitBreaker);
  }

  /** The retry budget, when enabled. */
  public Optional<RetryBudgetSettings> retryBudget() {
    return Optional.ofNullable(retryBudget);
  }

  /** The bulkhead, when enabled. */
  public Optional<BulkheadSettings> bulkhead() {
    return Optional.ofNullable(bulkhead);
  }

  @Override
  public String toString() {
    return "ResiliencePolicy{maxAttempts=" + maxAttempts + ", backoff=" + backoff + ", deadline=" + deadline
        + ", attemptTimeout=" + attemptTimeout + ", honorRetryAfter=" + honorRetryAfter + ", circuitBreaker="
        + circuitBreaker + ", retryBudget=" + retryBudget + ", bulkhead=" + bulkhead + "}";
  }

  /** Builds a {@link ResiliencePolicy}. Not thread-safe; {@link #build()} copies the settings. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2));
    private Duration deadline = Duration.ofSeconds(10);
    private Duration attemptTimeout = Duration.ofSeconds(5);
    private boolean honorRetryAfter = true;
    private CircuitBreakerSettings circuitBreaker = CircuitBreakerSettings.defaults();
    private RetryBudgetSettings retryBudget = RetryBudgetSettings.defaults();
    private BulkheadSettings bulkhead;

    private Builder() {}

    private Builder(ResiliencePolicy p) {
      maxAttempts = p.maxAttempts;
      backoff = p.backoff;
      deadline = p.deadline;
      attemptTimeout = p.attemptTimeout;
      honorRetryAfter = p.honorRetryAfter;
      circuitBreaker = p.circuitBreaker;
      retryBudget = p.retryBudget;
      bulkhead = p.bulkhead;
    }

    /**
     * The most attempts per call, including the first; default 3.
     *
     * @throws IllegalArgumentException if {@code maxAttempts} &lt; 1
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts < 1: " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** The delay between attempts; default 100 ms doubling to 2 s, full jitter. */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /** The most time one call may take, all attempts and waits included; default 10 s. */
    public Builder deadline(Duration deadline) {
      this.deadline = positive(deadline, "deadline");
      return this;
    }

    /** The most time one attempt may take; default 5 s. */
    public Builder attemptTimeout(Duration attemptTimeout) {
      this.attemptTimeout = positive(attemptTimeout, "attemptTimeout");
      return this;
    }

    /** Whether a server's Retry-After hint replaces a shorter backoff delay; default true. */
    public Builder honorRetryAfter(boolean honorRetryAfter) {
      this.honorRetryAfter = honorRetryAfter;
      return this;
    }

    /** The circuit breaker; default {@link CircuitBreakerSettings#defaults()}. */
    public Builder circuitBreaker(CircuitBreakerSettings circuitBreaker) {
      this.circuitBreaker = Objects.requireNonNull(circuitBreaker, "circuitBreaker");
      return this;
    }

    /** No circuit breaker. */
    public Builder withoutCircuitBreaker() {
      this.circuitBreaker = null;
      return this;
    }

    /** The retry budget; default {@link RetryBudgetSettings#defaults()}. */
    public Builder retryBudget(RetryBudgetSettings retryBudget) {
      this.retryBudget = Objects.requireNonNull(retryBudget, "retryBudget");
      return this;
    }

    /** No retry budget: retries are limited by attempts and the deadline only. */
    public Builder withoutRetryBudget() {
      this.retryBudget = null;
      return this;
    }

    /** A bulkhead; default none. */
    public Builder bulkhead(BulkheadSettings bulkhead) {
      this.bulkhead = Objects.requireNonNull(bulkhead, "bulkhead");
      return this;
    }

    /** No bulkhead (the default). */
    public Builder withoutBulkhead() {
      this.bulkhead = null;
      return this;
    }

    /** The policy. */
    public ResiliencePolicy build() {
      return new ResiliencePolicy(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }
  }
}
