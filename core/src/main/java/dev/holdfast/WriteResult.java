package dev.holdfast;

import java.util.Objects;
import java.util.Optional;

/**
 * What a safe write did: whether it was {@link Outcome#APPLIED applied}, certainly {@link Outcome#FAILED not
 * applied}, or may have been applied ({@link Outcome#UNKNOWN}). Safe writes never throw for data-access failures;
 * they return one of these. Immutable and thread-safe.
 *
 * <pre>{@code
 * WriteResult r = settings.safeSet("banner", Map.of("text", "Maintenance at 22:00"));
 * if (r.outcome() == WriteResult.Outcome.UNKNOWN) scheduleReadBack("banner");
 * }</pre>
 */
public final class WriteResult {
  /** Whether a write took effect. */
  public enum Outcome {
    /** The backend confirmed the write. */
    APPLIED,
    /** The write certainly did not take effect: it was rejected, or never reached the backend. */
    FAILED,
    /**
     * The write may or may not have taken effect: a request reached the backend and its answer was lost. Read back
     * to find out, or repeat it if it is idempotent.
     */
    UNKNOWN
  }

  private static final WriteResult APPLIED = new WriteResult(Outcome.APPLIED, null);

  private final Outcome outcome;
  private final HoldfastException failure;

  private WriteResult(Outcome outcome, HoldfastException failure) {
    this.outcome = outcome;
    this.failure = failure;
  }

  /** A write the backend confirmed. */
  public static WriteResult applied() {
    return APPLIED;
  }

  /**
   * The result of a write that ended in {@code failure}: UNKNOWN when any attempt may have reached the backend
   * (an {@link UnknownOutcomeException}, or a {@link TransientException} whose request may have been sent, such as
   * a deadline that ran out after a dropped connection, in the failure itself, its causes or the earlier attempts
   * attached to it), FAILED otherwise (a rejection, or attempts that all certainly never left).
   *
   * @throws NullPointerException if {@code failure} is null
   */
  public static WriteResult of(HoldfastException failure) {
    Objects.requireNonNull(failure, "failure");
    return new WriteResult(mayHaveApplied(failure, 0) ? Outcome.UNKNOWN : Outcome.FAILED, failure);
  }

  /** Whether the write took effect. */
  public Outcome outcome() {
    return outcome;
  }

  /** The failure, when the write was not confirmed. */
  public Optional<HoldfastException> error() {
    return Optional.ofNullable(failure);
  }

  /** Whether the backend confirmed the write. */
  public boolean isApplied() {
    return outcome == Outcome.APPLIED;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WriteResult r && outcome == r.outcome && Objects.equals(failure, r.failure);
  }

  @Override
  public int hashCode() {
    return Objects.hash(outcome, failure);
  }

  @Override
  public String toString() {
    return "WriteResult{" + outcome
        + (failure == null ? "" : ", error=" + failure.getClass().getSimpleName() + ": " + failure.getMessage()) + "}";
  }

  private static boolean mayHaveApplied(Throwable t, int depth) {
    if (t == null || depth > 8) {
      return false;
    }
    // Deciding why not: each of these says a request was sent and its answer lost. A deadline, a spent budget or
    // a breaker that opened under a retrying call carries requestSent() for all the call's attempts.
    if (t instanceof UnknownOutcomeException) {
      return true;
    }
    if (t instanceof TransientException transientFailure && transientFailure.requestSent()) {
      return true;
    }
    // The others (rejections, refused connections) did not apply anything themselves, but an earlier attempt or a
    // wrapped cause may have.
    for (Throwable earlier : t.getSuppressed()) {
      if (mayHaveApplied(earlier, depth + 1)) {
        return true;
      }
    }
    return t.getCause() instanceof HoldfastException && mayHaveApplied(t.getCause(), depth + 1);
  }
}
