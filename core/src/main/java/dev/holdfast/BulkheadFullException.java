package dev.holdfast;

/**
 * Too many calls to this backend are already in flight; this one (or its next retry) was rejected without being
 * sent, so that a slow database is not buried by its own clients. A {@link TransientException}: try again later.
 *
 * <p>Safe to publish across threads once thrown.
 */
public class BulkheadFullException extends TransientException {
  private static final long serialVersionUID = 1L;

  /**
   * A rejection whose {@link #requestSent()} is the cause's (false without a transient cause: the rejection itself
   * sent nothing).
   *
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the underlying exception, or null
   */
  public BulkheadFullException(String message, ErrorDetails details, Throwable cause) {
    this(message, details, cause, sentPerCause(cause, false));
  }

  /**
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the last attempt's failure when a retry was rejected, or null
   * @param requestSent whether an earlier attempt of the call may have reached the server
   */
  public BulkheadFullException(String message, ErrorDetails details, Throwable cause, boolean requestSent) {
    super(message, details, cause, requestSent, null);
  }
}
