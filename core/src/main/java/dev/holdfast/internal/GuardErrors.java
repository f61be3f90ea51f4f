package dev.holdfast.internal;

import dev.holdfast.BulkheadFullException;
import dev.holdfast.CallContext;
import dev.holdfast.CircuitOpenException;
import dev.holdfast.DeadlineExceededException;
import dev.holdfast.ErrorDetails;
import dev.holdfast.HoldfastException;
import dev.holdfast.RetryBudgetExhaustedException;
import dev.holdfast.TransientException;
import dev.holdfast.UnknownOutcomeException;
import java.time.Duration;
import java.util.Locale;

/**
 * The exceptions a guard makes itself, with their messages, {@code HF_} codes and hints in one place. Stateless.
 */
public final class GuardErrors {
  private GuardErrors() {}

  /** The call's deadline ran out; {@code last} is the last attempt's failure, or null. */
  public static DeadlineExceededException deadlineExceeded(String backend, String message, String hint,
      HoldfastException last) {
    return new DeadlineExceededException(message, details(backend, "HF_DEADLINE").withHint(hint), last);
  }

  /** A non-idempotent write failed after its request may have reached the server. */
  public static UnknownOutcomeException unknownOutcome(TransientException failure) {
    return new UnknownOutcomeException("the write may or may not have been applied: " + failure.reason(),
        failure.details().withHint("Read back to check whether it was applied, or make the write idempotent."),
        failure);
  }

  /** The circuit breaker rejected the call; {@code remaining} is how long until trial calls (zero: in progress). */
  public static CircuitOpenException circuitOpen(String backend, Duration remaining, HoldfastException last) {
    String when = remaining.isZero() ? "trial calls are in progress" : "next trial call in " + human(remaining);
    return new CircuitOpenException("circuit breaker of " + backend + " is open; " + when,
        details(backend, "HF_CIRCUIT_OPEN").withHint("The backend failed repeatedly; nothing is sent to it until a "
            + "trial call succeeds."), last);
  }

  /** The bulkhead had no place for the call. */
  public static BulkheadFullException bulkheadFull(String backend, String why, int maxConcurrentCalls,
      Throwable cause) {
    return new BulkheadFullException(why + " to " + backend + " (at most " + maxConcurrentCalls + ")",
        details(backend, "HF_BULKHEAD_FULL").withHint("Reduce concurrency, or raise the bulkhead's "
            + "maxConcurrentCalls or maxWait."), cause);
  }

  /** The retry budget refused a retry after {@code last}. */
  public static RetryBudgetExhaustedException budgetExhausted(String backend, RetryBudget budget,
      HoldfastException last) {
    return new RetryBudgetExhaustedException("not retrying: the retry budget of " + backend + " is spent ("
        + String.format(Locale.ROOT, "%.1f of %.0f", budget.tokens(), budget.maxTokens()) + " tokens left)",
        details(backend, "HF_RETRY_BUDGET").withHint("Many calls to this backend are failing; retries resume as "
            + "calls succeed again."), last);
  }

  /** An async attempt outlived its timeout; it may have reached the server. */
  public static TransientException attemptTimedOut(String backend, CallContext context) {
    return new TransientException("attempt " + context.attempt() + " timed out after " + human(context.timeout()),
        details(backend, JdkErrorClassifier.TIMEOUT).withHint("The backend answered too slowly; check its load, or "
            + "raise the attempt timeout."), null, true, null);
  }

  /** A duration as people write it: {@code 250 ms}, {@code 30 s}, {@code 1.5 s}. */
  public static String human(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    return (ms % 1000 == 0 ? String.valueOf(ms / 1000) : String.valueOf(ms / 1000.0)) + " s";
  }

  private static ErrorDetails details(String backend, String code) {
    return ErrorDetails.of(backend).withCode(code);
  }
}
