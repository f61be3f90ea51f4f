package dev.holdfast;

/**
 * A retry was needed but the backend's retry budget is spent: during an outage holdfast stops multiplying the load on a struggling database. The last failure is the cause.
 *
 * <p>Safe to publish across threads once thrown.
 */
public class RetryBudgetExhaustedException extends HoldfastException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the underlying exception, or null
   */
  public RetryBudgetExhaustedException(String message, ErrorDetails details, Throwable cause) {
    super(message, details, cause);
  }
}
