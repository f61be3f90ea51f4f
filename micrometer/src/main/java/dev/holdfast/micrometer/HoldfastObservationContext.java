package dev.holdfast.micrometer;

import dev.holdfast.GuardedCall;
import io.micrometer.observation.Observation;
import java.util.Objects;

/**
 * What a holdfast observation knows: the {@link GuardedCall}, which attempt it is (0 for the call itself) and, once
 * it ended, its outcome, the number of attempts (for a call) and the failure's code (for a failed attempt). The
 * failure itself is {@link #getError()}. Read by a {@link HoldfastObservationConvention}; named {@link #CALL} or {@link #ATTEMPT} (a convention whose
 * {@code getName()} is not null renames both). Written by the listener
 * only, one event after another; safe to read from the thread that stops the observation.
 */
public final class HoldfastObservationContext extends Observation.Context {
  /** The name of a call's observation. */
  public static final String CALL = "holdfast.call";
  /** The name of an attempt's observation. */
  public static final String ATTEMPT = "holdfast.attempt";
  /** The outcome before the observation ended. */
  public static final String UNKNOWN = "unknown";

  private final GuardedCall call;
  private final int attempt;
  private volatile String outcome = UNKNOWN;
  private volatile int attempts;
  private volatile String code;

  HoldfastObservationContext(GuardedCall call, int attempt) {
    this.call = Objects.requireNonNull(call, "call");
    this.attempt = attempt;
    setName(attempt > 0 ? ATTEMPT : CALL);
  }

  /** The call. */
  public GuardedCall call() {
    return call;
  }

  /** Whether this observes one attempt rather than the whole call. */
  public boolean isAttempt() {
    return attempt > 0;
  }

  /** The attempt's number, 1 for the first; 0 for the call. */
  public int attempt() {
    return attempt;
  }

  /**
   * How it ended, lower case: for a call a {@link dev.holdfast.CallOutcome} ({@code succeeded}, {@code
   * attempts_exhausted}, {@code circuit_open}, ...); for an attempt {@code succeeded} or {@code failed}; {@link
   * #UNKNOWN} until then.
   */
  public String outcome() {
    return outcome;
  }

  /** For a call that ended, how many attempts it made (0 when rejected before any); otherwise 0. */
  public int attempts() {
    return attempts;
  }

  /** For a failed attempt, the SQLSTATE, PostgREST or {@code HF_} code of its failure, or null. */
  public String code() {
    return code;
  }

  void ended(String outcome, int attempts, String code) {
    this.outcome = outcome;
    this.attempts = attempts;
    this.code = code;
  }
}
