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
 * The exceptions a guard makes itself, with their messages, {@code HF_} codes and hints in one place. A call that
 * stops after attempts says first what kept failing, then how many attempts in how long, then why it stopped:
 * {@code could not connect: Connection refused: 4 attempts in 9.9 s; stopped at the call's 10 s deadline}.
 * Stateless.
 */
public final class GuardErrors {
  private GuardErrors() {}

  /**
   * What a call's attempts amounted to: the last failure's reason, the attempts and the time they took.
   *
   * @param last the last attempt's failure, or null when there was none
   */
  public static String tried(HoldfastException last, int attempts, Duration elapsed) {
    String what = last == null ? "no answer" : last.reason();
    return what + ": " + attempts + (attempts == 1 ? " attempt" : " attempts") + " in " + human(elapsed);
  }

  /** The call's deadline ran out; {@code tried} comes from {@link #tried}; {@code why} adds detail, or is empty. */
  public static DeadlineExceededException deadlineExceeded(String backend, String tried, Duration deadline,
      String why, String hint, HoldfastException last, boolean requestSent) {
    String message = tried + "; stopped at the call's " + human(deadline) + " deadline"
        + (why.isEmpty() ? "" : " (" + why + ")");
    return new DeadlineExceededException(message, details(backend, "HF_DEADLINE").withHint(hint), last,
        requestSent);
  }

  /** A non-idempotent write failed after its request may have reached the server. */
  public static UnknownOutcomeException unknownOutcome(TransientException failure) {
    return new UnknownOutcomeException("the write may or may not have been applied: " + failure.reason(),
        failure.details().withHint("Read back to check whether it was applied, or make the write idempotent."),
        failure);
  }

  /**
   * The circuit breaker rejected the call, before any attempt ({@code tried} null) or before a retry.
   *
   * @param remaining how long until the next trial call; zero when trial calls are in progress
   * @param probed whether a background health check may close the breaker sooner
   */
  public static CircuitOpenException circuitOpen(String backend, String tried, Duration remaining, boolean probed,
      HoldfastException last, boolean requestSent) {
    String when = remaining.isZero() ? "trial calls are in progress" : "next trial call in " + human(remaining)
        + (probed ? " at the latest" : "");
    String message = tried == null ? "circuit breaker of " + backend + " is open; " + when
        : tried + "; stopped retrying: the circuit breaker of " + backend + " opened; " + when;
    String hint = "The backend failed repeatedly; calls fail fast until a trial call succeeds"
        + (probed ? ", or a background health check finds it answering." : ".");
    return new CircuitOpenException(message, details(backend, "HF_CIRCUIT_OPEN").withHint(hint), last,
        requestSent, remaining);
  }

  /** The bulkhead had no place for the call (or its retry, when {@code tried} is not null). */
  public static BulkheadFullException bulkheadFull(String backend, String tried, String why, int maxConcurrentCalls,
      Throwable cause, boolean requestSent) {
    String rejected = why + " to " + backend + " (at most " + maxConcurrentCalls + ")";
    return new BulkheadFullException(tried == null ? rejected : tried + "; stopped retrying: " + rejected,
        details(backend, "HF_BULKHEAD_FULL").withHint("Reduce concurrency, or raise the bulkhead's "
            + "maxConcurrentCalls or maxWait."), cause, requestSent);
  }

  /** The retry budget refused a retry after {@code last}. */
  public static RetryBudgetExhaustedException budgetExhausted(String backend, String tried, RetryBudget budget,
      TransientException last, boolean requestSent) {
    return new RetryBudgetExhaustedException(tried + "; stopped retrying: the retry budget of " + backend
        + " is spent (" + String.format(Locale.ROOT, "%d of %d tokens left, a retry costs %d", budget.tokens(),
        budget.maxTokens(), budget.costOf(last)) + ")",
        details(backend, "HF_RETRY_BUDGET").withHint("Many calls to this backend are failing; retries resume as "
            + "calls succeed again."), last, requestSent);
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
    return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  private static ErrorDetails details(String backend, String code) {
    return ErrorDetails.of(backend).withCode(code);
  }
}
