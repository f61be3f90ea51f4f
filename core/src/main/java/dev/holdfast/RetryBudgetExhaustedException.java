package dev.holdfast;

/**
 * A retry was needed but the backend's retry budget is spent: during an outage holdfast stops multiplying the load
 * on a struggling database. A {@link TransientException}: the message starts with what kept failing; the last
 * failure is the cause.
 *
 * <p>Safe to publish across threads once thrown.
 */
public class RetryBudgetExhaustedException extends TransientException {
  private static final long serialVersionUID = 1L;

  /**
   * A refusal whose {@link #requestSent()} is the cause's (false without a transient cause).
   *
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the underlying exception, or null
   */
  public RetryBudgetExhaustedException(String message, ErrorDetails details, Throwable cause) {
    this(message, details, cause, sentPerCause(cause, false));
  }

  /**
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the last attempt's failure
   * @param requestSent whether any attempt of the call may have reached the server
   */
  public RetryBudgetExhaustedException(String message, ErrorDetails details, Throwable cause, boolean requestSent) {
    super(message, details, cause, requestSent, null);
  }
}
