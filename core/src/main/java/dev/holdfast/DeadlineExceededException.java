package dev.holdfast;

/**
 * The call's overall deadline ran out while it was retrying transient failures (or, for an async call, while an
 * attempt was still running). A {@link TransientException}: the message starts with what kept failing and says how
 * many attempts were made in how long; the last attempt's failure is the cause and the earlier ones are attached as
 * suppressed exceptions. When the deadline ran out after an attempt of a non-idempotent write that may have
 * reached the server, holdfast throws {@link UnknownOutcomeException} instead.
 *
 * <p>Safe to publish across threads once thrown.
 */
public class DeadlineExceededException extends TransientException {
  private static final long serialVersionUID = 1L;

  /**
   * A deadline whose {@link #requestSent()} is the cause's: false without a cause (nothing was tried), true for a
   * cause that is not a {@link TransientException}.
   *
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the underlying exception, or null
   */
  public DeadlineExceededException(String message, ErrorDetails details, Throwable cause) {
    this(message, details, cause, sentPerCause(cause, cause != null));
  }

  /**
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the last attempt's failure, or null
   * @param requestSent whether any attempt of the call may have reached the server
   */
  public DeadlineExceededException(String message, ErrorDetails details, Throwable cause, boolean requestSent) {
    super(message, details, cause, requestSent, null);
  }
}
